"""Loading the sources: the ontology and every file in ``graph/``, parsed with positions for errors.

Blank nodes get labels from their file and order of appearance, so two loads of the same files give the same
terms (and the build's outputs stay byte-identical).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.config import Settings
from kg.errors import BuildError

__all__ = ["Sources", "graph_name", "load_sources", "parse_file"]

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
}


def graph_name(quad: ox.Quad) -> str:
    """The IRI of the quad's named graph ("" for the default graph)."""
    g = quad.graph_name
    return g.value if isinstance(g, ox.NamedNode | ox.BlankNode) else ""


@dataclass
class Sources:
    """What a build starts from: asserted quads (each in a named graph) and the SHACL shapes."""

    quads: list[ox.Quad]
    shapes: list[ox.Triple]
    files: dict[str, str] = field(default_factory=dict)  # graph IRI -> file it came from

    def graph_names(self) -> list[str]:
        return sorted({q.graph_name.value for q in self.quads if isinstance(q.graph_name, ox.NamedNode)})


def parse_file(path: Path, settings: Settings, *, tag: str) -> list[ox.Quad]:
    """Parse one file; a syntax error becomes a :class:`BuildError` naming the file, line and column."""
    fmt = _FORMATS.get(path.suffix)
    if fmt is None:
        raise BuildError(f"{path}: unknown RDF file type {path.suffix!r} (use .ttl or .trig)")
    try:
        text = settings.rebase(path.read_text(encoding="utf-8"))
        data = text.encode()
    except UnicodeDecodeError as exc:
        raise BuildError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        quads = list(ox.parse(data, format=fmt, base_iri=settings.base_iri))
    except SyntaxError as exc:
        msg = str(exc).split(" (", 1)[0] if exc.lineno else str(exc)
        where = f"{path}:{exc.lineno}:{exc.offset}" if exc.lineno else str(path)
        raise BuildError(f"{where}: {msg}") from None
    check_literals(quads, path, text, settings)
    return _relabel(quads, tag)


XSD = "http://www.w3.org/2001/XMLSchema#"
_LEXICAL = {
    "integer": re.compile(r"[+-]?\d+"),
    "nonNegativeInteger": re.compile(r"\+?\d+"),
    "positiveInteger": re.compile(r"\+?0*[1-9]\d*"),
    "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    "double": re.compile(r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF|NaN)|-INF"),
    "boolean": re.compile(r"true|false|1|0"),
    "gYear": re.compile(r"-?\d{4,}(Z|[+-]\d{2}:\d{2})?"),
    "date": re.compile(r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?"),
    "dateTime": re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?"),
}


def _well_formed(value: str, local: str) -> bool:
    check = _LEXICAL.get(local)
    if check is None:
        return True
    if not check.fullmatch(value):
        return False
    if local in ("date", "dateTime"):
        try:
            datetime.date.fromisoformat(value.lstrip("-")[:10])
        except ValueError:
            return False
    return True


def check_literals(quads: Iterable[ox.Quad], path: Path, text: str, settings: Settings) -> None:
    """Refuse a typed literal whose lexical form its datatype does not allow ("2024-13-45"^^xsd:date), naming the
    file, the line where it first appears and the statement, rather than letting a reasoner choke on it later."""
    from kg.query import prefixed

    for q in quads:
        o = q.object
        if isinstance(o, ox.Literal) and o.datatype.value.startswith(XSD):
            local = o.datatype.value[len(XSD) :]
            if not _well_formed(o.value, local):
                at = text.find(f'"{o.value}"')
                line = text.count("\n", 0, at) + 1 if at >= 0 else 0
                where = f"{path}:{line}" if line else str(path)
                p = settings.prefixes
                subject = q.subject.value if isinstance(q.subject, ox.NamedNode) else str(q.subject)
                raise BuildError(
                    f'{where}: "{o.value}" is not a valid xsd:{local} '
                    f"(in {prefixed(subject, p)} {prefixed(q.predicate.value, p)})"
                )


def _relabel(quads: Iterable[ox.Quad], tag: str) -> list[ox.Quad]:
    names: dict[str, ox.BlankNode] = {}

    def fix(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            if term.value not in names:
                names[term.value] = ox.BlankNode(f"{tag}b{len(names)}")
            return names[term.value]
        return term

    return [
        ox.Quad(fix(q.subject), q.predicate, fix(q.object), fix(q.graph_name))  # type: ignore[arg-type]
        for q in quads
    ]


def load_sources(settings: Settings) -> Sources:
    """Load ``ontology/*.ttl`` (into the ontology's named graph), ``ontology/shapes.ttl`` and ``graph/*``.

    Every statement in ``graph/`` must sit in a named graph: a statement in a file's default graph has no
    source and is refused, naming the file.
    """
    if not settings.ontology_dir.is_dir():
        raise BuildError(f"{settings.ontology_dir}: no ontology folder")
    ontology = ox.NamedNode(settings.ontology_iri)
    quads: list[ox.Quad] = []
    shapes: list[ox.Triple] = []
    files: dict[str, str] = {}
    for i, path in enumerate(sorted(settings.ontology_dir.glob("*.ttl"))):
        parsed = parse_file(path, settings, tag=f"o{i}")
        if path.name == "shapes.ttl":
            shapes += [q.triple for q in parsed]
            continue
        quads += [ox.Quad(q.subject, q.predicate, q.object, ontology) for q in parsed]
        files[ontology.value] = _rel(path, settings)
    data_files = sorted(settings.graph_dir.glob("*.trig")) + sorted(settings.graph_dir.glob("*.ttl"))
    if not data_files:
        raise BuildError(f"{settings.graph_dir}: no .trig files to load")
    for i, path in enumerate(data_files):
        parsed = parse_file(path, settings, tag=f"g{i}")
        for q in parsed:
            if isinstance(q.graph_name, ox.DefaultGraph):
                raise BuildError(
                    f"{path}: the statement {q.subject} {q.predicate} {q.object} is outside any named graph; "
                    "put every fact in a named graph that says where it comes from"
                )
            files.setdefault(q.graph_name.value, _rel(path, settings))
        quads += parsed
    return Sources(quads=quads, shapes=shapes, files=files)


def _rel(path: Path, settings: Settings) -> str:
    try:
        return path.relative_to(settings.root).as_posix()
    except ValueError:
        return str(path)
