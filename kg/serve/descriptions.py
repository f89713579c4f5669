"""RDF the server says about itself and its data: the SPARQL Service Description, the VoID description, the
ontology document, a resource's description and a named graph, each serializable in every RDF format.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.config import Settings
from kg.describe import Description
from kg.query import RDF_FORMATS

__all__ = [
    "graph_quads",
    "ontology_graph",
    "resource_quads",
    "serialize",
    "service_description",
    "used_prefixes",
    "void_description",
]

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FORMATS = "http://www.w3.org/ns/formats/"
DCTERMS = "http://purl.org/dc/terms/"
OWL_ONTOLOGY = ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology")

#: W3C format IRIs of every format the endpoint writes.
_RESULT_FORMAT_IRIS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "TriG",
    "N-Quads",
)


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=_n("http://www.w3.org/2001/XMLSchema#integer"))


def serialize(quads: Iterable[ox.Quad | ox.Triple], fmt: str, prefixes: Mapping[str, str]) -> bytes:
    """Write triples or quads in one of ``kg.query.RDF_FORMATS`` (quads lose their graph in triple formats)."""
    rdf_format = RDF_FORMATS[fmt][0]
    items: list[Any] = list(quads)
    if not rdf_format.supports_datasets:
        items = [q.triple if isinstance(q, ox.Quad) else q for q in items]
    else:
        items = [q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object) for q in items]
    out = io.BytesIO()
    kw = {"prefixes": used_prefixes(items, prefixes)} if fmt in ("turtle", "trig", "xml") else {}
    ox.serialize(items, out, rdf_format, **kw)  # type: ignore[arg-type]
    return out.getvalue()


def used_prefixes(items: Iterable[ox.Quad | ox.Triple], prefixes: Mapping[str, str]) -> dict[str, str]:
    """The prefixes whose namespace starts some IRI in ``items`` (so a document declares only what it uses)."""
    iris: set[str] = set()
    for q in items:
        for term in (q.subject, q.predicate, q.object, getattr(q, "graph_name", None)):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    return {p: ns for p, ns in prefixes.items() if any(i.startswith(ns) for i in iris)}


def _graph_sizes(manifest: Mapping[str, Any]) -> list[tuple[str, int]]:
    return [(str(g["iri"]), int(g.get("triples", 0))) for g in manifest.get("graphs", [])]


def service_description(endpoint: str, manifest: Mapping[str, Any], *, federation: bool) -> list[ox.Triple]:
    """SPARQL 1.1 Service Description of the endpoint at ``endpoint`` (its real public URL)."""
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("default")
    t = [
        ox.Triple(service, RDF_TYPE, _n(SD + "Service")),
        ox.Triple(service, _n(SD + "endpoint"), _n(endpoint)),
        ox.Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
        ox.Triple(service, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")),
        ox.Triple(service, _n(SD + "defaultEntailmentRegime"), _n("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(service, _n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _n(SD + "Dataset")),
        ox.Triple(dataset, _n(SD + "defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, _n(SD + "Graph")),
    ]
    if federation:
        t.append(ox.Triple(service, _n(SD + "feature"), _n(SD + "BasicFederatedQuery")))
    t += [ox.Triple(service, _n(SD + "resultFormat"), _n(FORMATS + f)) for f in _RESULT_FORMAT_IRIS]
    for i, (iri, triples) in enumerate(_graph_sizes(manifest)):
        named, graph = ox.BlankNode(f"named{i}"), ox.BlankNode(f"graph{i}")
        t += [
            ox.Triple(dataset, _n(SD + "namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _n(SD + "NamedGraph")),
            ox.Triple(named, _n(SD + "name"), _n(iri)),
            ox.Triple(named, _n(SD + "graph"), graph),
            ox.Triple(graph, RDF_TYPE, _n(SD + "Graph")),
            ox.Triple(graph, _n(VOID + "triples"), _int(triples)),
        ]
    return t


def void_description(
    settings: Settings, manifest: Mapping[str, Any], public_url: str, build_void: Path | None = None
) -> list[ox.Triple]:
    """VoID of the dataset: the build's own description when it wrote one (``void.ttl``), with the endpoint
    set to this server's public URL; otherwise one made from the manifest."""
    endpoint = _n(public_url + "/sparql")
    if build_void is not None and build_void.is_file():
        with build_void.open("rb") as f:
            triples = [q.triple for q in ox.parse(f, ox.RdfFormat.TURTLE, base_iri=settings.base_iri)]
        kept = [_served_dump(t, settings, public_url) for t in triples if t.predicate.value != VOID + "sparqlEndpoint"]
        datasets = {t.subject for t in triples if t.predicate == RDF_TYPE and t.object == _n(VOID + "Dataset")}
        tops = datasets - {t.object for t in triples if t.predicate.value == VOID + "subset"}
        return kept + [ox.Triple(d, _n(VOID + "sparqlEndpoint"), endpoint) for d in sorted(tops, key=str)]
    dataset = _n(settings.base_iri)
    total = sum(n for _, n in _graph_sizes(manifest))
    t = [
        ox.Triple(dataset, RDF_TYPE, _n(VOID + "Dataset")),
        ox.Triple(dataset, _n(VOID + "sparqlEndpoint"), endpoint),
        ox.Triple(dataset, _n(VOID + "uriSpace"), ox.Literal(settings.base_iri)),
        ox.Triple(dataset, _n(VOID + "triples"), _int(total)),
        ox.Triple(dataset, _n(VOID + "vocabulary"), _n(settings.ontology_iri)),
        ox.Triple(dataset, _n(VOID + "rootResource"), _n(settings.ontology_iri)),
    ]
    for iri, count in _graph_sizes(manifest):
        g = _n(iri)
        t += [
            ox.Triple(dataset, _n(VOID + "subset"), g),
            ox.Triple(g, RDF_TYPE, _n(VOID + "Dataset")),
            ox.Triple(g, _n(VOID + "triples"), _int(count)),
            ox.Triple(g, _n(VOID + "dataDump"), _n(f"{public_url}/store?graph={_quote(iri)}")),
        ]
    return t


def _served_dump(t: ox.Triple, settings: Settings, public_url: str) -> ox.Triple:
    """A ``void:dataDump`` under ``{base}dumps/`` points at this server's ``/dumps/`` route instead."""
    prefix = settings.base_iri + "dumps/"
    if (
        t.predicate.value == VOID + "dataDump"
        and isinstance(t.object, ox.NamedNode)
        and t.object.value.startswith(prefix)
    ):
        return ox.Triple(t.subject, t.predicate, _n(public_url + "/dumps/" + t.object.value[len(prefix) :]))
    return t


def _quote(iri: str) -> str:
    from urllib.parse import quote

    return quote(iri, safe="")


def ontology_graph(store: ox.Store, settings: Settings, manifest: Mapping[str, Any]) -> ox.NamedNode | None:
    """The named graph that holds the ontology: the manifest's graph with role ``ontology``, else the graph
    where the ontology IRI is typed ``owl:Ontology``."""
    for g in manifest.get("graphs", []):
        if g.get("role") == "ontology":
            return _n(str(g["iri"]))
    for q in store.quads_for_pattern(_n(settings.ontology_iri), RDF_TYPE, OWL_ONTOLOGY, None):
        if isinstance(q.graph_name, ox.NamedNode):
            return q.graph_name
    return None


def graph_quads(store: ox.Store, graph: ox.NamedNode | None) -> list[ox.Quad]:
    """Every quad of a named graph, or (``None``) the union of all named graphs as default-graph quads."""
    if graph is not None:
        return list(store.quads_for_pattern(None, None, None, graph))
    seen: set[ox.Triple] = set()
    out = []
    for q in store.quads_for_pattern(None, None, None, None):
        if q.triple not in seen:
            seen.add(q.triple)
            out.append(ox.Quad(q.subject, q.predicate, q.object))
    return out


def resource_quads(description: Description) -> list[ox.Quad]:
    """A resource's statements, each in every named graph that holds it (triple formats merge them)."""
    out: list[ox.Quad] = []
    for st in description.outgoing + description.incoming:
        for g in st.graphs or ("",):
            graph: ox.NamedNode | ox.DefaultGraph = _n(g) if g else ox.DefaultGraph()
            out.append(ox.Quad(st.subject, st.predicate, st.object, graph))
    return out
