"""Where things live and how IRIs are minted: the single place for paths, namespaces and the base IRI.

Source files (ontology, graph, queries, shapes) are written against :data:`CANONICAL_BASE`. A deployment may
publish under another base (``KG_BASE_IRI``); the build and the query runner then rewrite every IRI that starts
with the canonical base, so the sources never change when the base does.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "CANONICAL_BASE",
    "PREFIXES",
    "Settings",
    "settings",
]

#: The base every IRI in the sources is written under. Published IRIs never change (see README, "IRIs").
CANONICAL_BASE = "https://w3id.org/summitkg/"

#: Prefixes used in outputs, queries and the terminal, relative to the canonical base where they are ours.
PREFIXES: dict[str, str] = {
    "sk": CANONICAL_BASE + "ontology#",
    "id": CANONICAL_BASE + "id/",
    "graph": CANONICAL_BASE + "graph/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "wd": "http://www.wikidata.org/entity/",
}

ROOT = Path(__file__).resolve().parent.parent


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).resolve() if value else default


class Settings:
    """Paths of one project tree and the base its IRIs are published under (immutable).

    A plain class rather than a dataclass: ``dataclasses`` costs more to import than answering a query.

    >>> s = Settings(root=Path("/x"), base_iri="https://example.org/kg/")
    >>> s.rebase("https://w3id.org/summitkg/id/csto")
    'https://example.org/kg/id/csto'
    >>> s.build_dir
    PosixPath('/x/build')
    """

    __slots__ = ("base_iri", "build_dir", "root")
    root: Path
    base_iri: str
    build_dir: Path

    def __init__(self, root: Path = ROOT, base_iri: str = CANONICAL_BASE, build_dir: Path | None = None) -> None:
        if not base_iri.startswith(("http://", "https://")) or not base_iri.endswith("/") or " " in base_iri:
            from kg.errors import KgError

            raise KgError(f"the base IRI must be an http(s) IRI ending with '/' (KG_BASE_IRI), got {base_iri!r}")
        object.__setattr__(self, "root", Path(root))
        object.__setattr__(self, "base_iri", base_iri)
        object.__setattr__(self, "build_dir", Path(build_dir) if build_dir is not None else Path(root) / "build")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Settings are immutable (tried to set {name})")

    def __repr__(self) -> str:
        return f"Settings(root={self.root!r}, base_iri={self.base_iri!r}, build_dir={self.build_dir!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and (self.root, self.base_iri, self.build_dir) == (
            other.root,
            other.base_iri,
            other.build_dir,
        )

    def __hash__(self) -> int:
        return hash((self.root, self.base_iri, self.build_dir))

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def graph_dir(self) -> Path:
        return self.root / "graph"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def checks_dir(self) -> Path:
        return self.queries_dir / "checks"

    @property
    def shapes_file(self) -> Path:
        return self.ontology_dir / "shapes.ttl"

    @property
    def store_dir(self) -> Path:
        return self.build_dir / "store"

    @property
    def ontology_iri(self) -> str:
        return self.base_iri + "ontology"

    @property
    def inferred_graph(self) -> str:
        """Name of the graph that holds what reasoning derives from unhedged facts alone."""
        return self.base_iri + "graph/inferred"

    @property
    def inferred_reported_graph(self) -> str:
        """Name of the graph that holds what reasoning derives only with the help of "reportedly" facts."""
        return self.base_iri + "graph/inferred-reportedly"

    @property
    def void_graph(self) -> str:
        """Name of the graph that holds the dataset's VoID description (written by the build)."""
        return self.base_iri + "graph/void"

    @property
    def inferred_graphs(self) -> tuple[str, str]:
        """The graphs reasoning writes: firm inferences, then hedged ones."""
        return (self.inferred_graph, self.inferred_reported_graph)

    @property
    def prefixes(self) -> dict[str, str]:
        return {k: self.rebase(v) for k, v in PREFIXES.items()}

    def rebase(self, text: str) -> str:
        """Rewrite IRIs written under the canonical base to this deployment's base."""
        if self.base_iri == CANONICAL_BASE:
            return text
        return text.replace(CANONICAL_BASE, self.base_iri)

    def unbase(self, text: str) -> str:
        """The inverse of :meth:`rebase`: from this deployment's base back to the canonical one."""
        if self.base_iri == CANONICAL_BASE:
            return text
        return text.replace(self.base_iri, CANONICAL_BASE)


def settings() -> Settings:
    """Settings from the environment: ``KG_ROOT``, ``KG_BUILD_DIR``, ``KG_BASE_IRI``."""
    root = _env_path("KG_ROOT", ROOT)
    build = _env_path("KG_BUILD_DIR", root / "build")
    return Settings(root=root, base_iri=os.environ.get("KG_BASE_IRI", CANONICAL_BASE), build_dir=build)
