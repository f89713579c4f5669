"""The dataset description in VoID: triples per graph, classes, properties, Wikidata links, endpoint, dumps."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import pyoxigraph as ox

from kg.config import Settings
from kg.load import graph_name

__all__ = ["DUMP_FILES", "void_triples"]

VOID = "http://rdfs.org/ns/void#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_INT = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
XSD_BOOL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
WIKIDATA = "http://www.wikidata.org/entity/"

#: Dump files of the complete graph, as served under ``{base}dumps/``.
DUMP_FILES = ("complete.nq", "complete.trig", "complete.ttl", "complete.nt", "complete.jsonld")


def _n(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD_INT)


def _slug(iri: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", iri.split("://", 1)[-1]).strip("-")


def void_triples(quads: Iterable[ox.Quad], settings: Settings, graph_roles: dict[str, str]) -> list[ox.Triple]:
    """VoID for the dataset and one subset per named graph (deterministic: IRIs only, sorted counts)."""
    base = settings.base_iri
    ds = ox.NamedNode(base + "dataset")
    T: list[ox.Triple] = []

    def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        T.append(ox.Triple(s, ox.NamedNode(p), o))

    quads = list(quads)
    per_graph: Counter[str] = Counter()
    classes: Counter[str] = Counter()
    properties: Counter[str] = Counter()
    links = 0
    triples = set()
    for q in quads:
        per_graph[graph_name(q)] += 1
        triples.add(q.triple)
    for t in triples:
        properties[t.predicate.value] += 1
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            classes[t.object.value] += 1
        if isinstance(t.object, ox.NamedNode) and t.object.value.startswith(WIKIDATA):
            links += 1
    desc = ox.NamedNode(base + "void")
    add(desc, RDF_TYPE, ox.NamedNode(VOID + "DatasetDescription"))
    add(desc, "http://xmlns.com/foaf/0.1/primaryTopic", ds)
    add(ds, RDF_TYPE, ox.NamedNode(VOID + "Dataset"))
    add(ds, DCT + "title", ox.Literal("Summit knowledge graph", language="en"))
    add(
        ds,
        DCT + "description",
        ox.Literal(
            "International organizations, their summits, participants, documents and statements, each fact with "
            "the source that reports it, plus what OWL 2 RL reasoning derives from them.",
            language="en",
        ),
    )
    add(ds, DCT + "license", ox.NamedNode("https://creativecommons.org/licenses/by/4.0/"))
    add(ds, VOID + "sparqlEndpoint", ox.NamedNode(base + "sparql"))
    for f in DUMP_FILES:
        add(ds, VOID + "dataDump", ox.NamedNode(base + "dumps/" + f))
    add(ds, VOID + "uriSpace", ox.Literal(base + "id/"))
    add(ds, VOID + "vocabulary", ox.NamedNode(settings.ontology_iri))
    add(ds, VOID + "triples", _n(len(triples)))
    add(ds, VOID + "classes", _n(len(classes)))
    add(ds, VOID + "properties", _n(len(properties)))
    add(ds, VOID + "distinctSubjects", _n(len({str(t.subject) for t in triples})))
    firm, reported = settings.inferred_graphs
    for g, hedged, what in (
        (firm, "false", "What OWL 2 RL reasoning derives from the unhedged facts alone."),
        (reported, "true", 'What OWL 2 RL reasoning derives only with the help of facts reported as "reportedly".'),
    ):
        add(ox.NamedNode(g), "http://www.w3.org/2000/01/rdf-schema#label", ox.Literal(what, language="en"))
        add(ox.NamedNode(g), settings.base_iri + "ontology#hedged", ox.Literal(hedged, datatype=XSD_BOOL))
    for g in sorted(per_graph):
        sub = ox.NamedNode(base + "dataset/" + _slug(g))
        add(ds, VOID + "subset", sub)
        add(sub, RDF_TYPE, ox.NamedNode(VOID + "Dataset"))
        add(sub, "http://www.w3.org/ns/sparql-service-description#name", ox.NamedNode(g))
        add(sub, VOID + "triples", _n(per_graph[g]))
        add(sub, DCT + "type", ox.Literal(graph_roles.get(g, "data")))
    for c, n in sorted(classes.items()):
        part = ox.NamedNode(f"{base}dataset/class/{_slug(c)}")
        add(ds, VOID + "classPartition", part)
        add(part, VOID + "class", ox.NamedNode(c))
        add(part, VOID + "entities", _n(n))
    for p, n in sorted(properties.items()):
        part = ox.NamedNode(f"{base}dataset/property/{_slug(p)}")
        add(ds, VOID + "propertyPartition", part)
        add(part, VOID + "property", ox.NamedNode(p))
        add(part, VOID + "triples", _n(n))
    ls = ox.NamedNode(base + "dataset/wikidata-links")
    add(ds, VOID + "subset", ls)
    add(ls, RDF_TYPE, ox.NamedNode(VOID + "Linkset"))
    add(ls, VOID + "subjectsTarget", ds)
    add(ls, VOID + "objectsTarget", ox.NamedNode("http://www.wikidata.org/"))
    add(ls, VOID + "linkPredicate", ox.NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch"))
    add(ls, VOID + "triples", _n(links))
    return T
