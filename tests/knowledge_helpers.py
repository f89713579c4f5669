"""Load, reason over and validate the knowledge files for the knowledge tests, in one small place.

Loading and reasoning go through the build's own ``kg.load`` and ``kg.reason`` (so the knowledge tests see
exactly what ``kg build`` sees, owlrl's junk removed); the results are handed to the tests as rdflib datasets.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import Dataset, Graph, Namespace, URIRef

from kg.config import Settings
from kg.errors import InconsistencyError
from kg.load import parse_file
from kg.reason import reason as kg_reason
from kg.reason import to_dataset, to_oxigraph, to_rdflib

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = ROOT / "ontology" / "summit.ttl"
SHAPES_FILE = ROOT / "ontology" / "shapes.ttl"
GRAPH_DIR = ROOT / "graph"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "knowledge"

BASE = "https://w3id.org/summitkg/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")
INFERRED_GRAPH = URIRef(BASE + "graph/inferred")
INFERRED_REPORTED_GRAPH = URIRef(BASE + "graph/inferred-reportedly")
PROVENANCE_GRAPH = URIRef(BASE + "graph/provenance")
SETTINGS = Settings(root=ROOT)

SK = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")

PREFIXES = f"""
PREFIX sk: <{SK}>
PREFIX id: <{ID}>
PREFIX graph: <{GRAPH}>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX wd: <http://www.wikidata.org/entity/>
"""


@contextmanager
def quiet() -> Iterator[None]:
    """Silence the DeprecationWarnings rdflib 7.6 raises from its own Dataset and TriG code on every quad."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def graph_files() -> list[Path]:
    """The data files of the project, in a fixed order."""
    return sorted(GRAPH_DIR.glob("*.trig"))


def load(data_files: Iterable[Path] | None = None, *, ontology: bool = True) -> Dataset:
    """A dataset of the ontology (in its own named graph) and the TriG files (default: all of graph/)."""
    quads: list[ox.Quad] = []
    if ontology:
        onto = ox.NamedNode(SETTINGS.ontology_iri)
        quads += [ox.Quad(q.subject, q.predicate, q.object, onto) for q in parse_file(ONTOLOGY_FILE, SETTINGS, tag="o")]
    for i, path in enumerate(graph_files() if data_files is None else data_files):
        quads += parse_file(path, SETTINGS, tag=f"g{i}")
    with quiet():
        ds = to_dataset(quads)
    ds.default_union = True
    return ds


def reason(ds: Dataset) -> list[str]:
    """Add what ``kg.reason`` infers to graph:inferred and graph:inferred-reportedly in ``ds``.

    Returns the inconsistency report, line by line (empty when the data is consistent)."""
    quads = [
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), to_oxigraph(g))  # type: ignore[arg-type]
        for s, p, o, g in ds.quads((None, None, None, None))
        if g is not None
    ]
    with quiet():
        try:
            inferred = kg_reason(quads, SETTINGS)
        except InconsistencyError as exc:
            return str(exc).splitlines()
        for name, triples in ((INFERRED_GRAPH, inferred.firm), (INFERRED_REPORTED_GRAPH, inferred.reported)):
            graph = ds.graph(name)
            for t in triples:
                graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return []


@lru_cache(maxsize=1)
def asserted() -> Dataset:
    """The ontology and graph/ as written (cached: do not modify)."""
    return load()


@lru_cache(maxsize=1)
def reasoned() -> tuple[Dataset, tuple[str, ...]]:
    """The ontology and graph/ with the OWL 2 RL closure, and its inconsistency messages (cached)."""
    ds = load()
    return ds, tuple(reason(ds))


def ask(ds: Dataset, query: str) -> bool:
    """Answer a SPARQL ASK (prefixes of the project added) against ``ds``."""
    with quiet():
        return bool(ds.query(PREFIXES + query).askAnswer)


def union(ds: Dataset) -> Graph:
    """Every triple of ``ds`` in one plain graph, as SHACL validation wants it."""
    graph = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def validate(ds: Dataset) -> tuple[bool, Graph, str]:
    """SHACL-validate the union of ``ds`` (data and ontology) against the shapes, without inference."""
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    with quiet():
        conforms, report, text = pyshacl.validate(union(ds), shacl_graph=shapes, inference="none")
    assert isinstance(report, Graph)
    return bool(conforms), report, str(text)
