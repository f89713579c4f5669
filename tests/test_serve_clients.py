"""Real clients against a real server: ``python -m kg.serve`` on a free loopback port, driven by SPARQLWrapper
and by rdflib's SPARQLStore; and the server picking up a new build while it runs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from serve_fixtures import BASE, TRIG, real_server, write_store
from SPARQLWrapper import JSON, N3, TURTLE, XML, SPARQLWrapper

from kg.config import Settings

MEETING = BASE + "id/csc-2024"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with real_server(tmp_path_factory.mktemp("clients")) as url:
        yield url


def wrapper(url: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sw = SPARQLWrapper(url + "/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    return sw


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json(server: str, method: str) -> None:
    q = f"SELECT ?name WHERE {{ <{MEETING}> <https://schema.org/attendee>/rdfs:label ?name }} ORDER BY ?name"
    result = wrapper(server, q, JSON, method).query().convert()
    names = [b["name"]["value"] for b in result["results"]["bindings"]]  # type: ignore[index]
    assert names == ["Alexander Lukashenko", "Kassym-Jomart Tokayev", "Vladimir Putin"]


def test_sparqlwrapper_select_xml(server: str) -> None:
    doc = wrapper(server, "SELECT ?s WHERE { ?s a sk:Meeting }", XML).query().convert()
    uris = [n.firstChild.data for n in doc.getElementsByTagName("uri")]  # type: ignore[union-attr]
    assert uris == [MEETING]


def test_sparqlwrapper_ask(server: str) -> None:
    result = wrapper(server, f"ASK {{ <{MEETING}> a <https://schema.org/Event> }}", JSON).query().convert()
    assert result["boolean"] is True  # type: ignore[index]


@pytest.mark.parametrize("fmt", [TURTLE, N3, XML])
def test_sparqlwrapper_construct(server: str, fmt: str) -> None:
    q = f"CONSTRUCT {{ <{MEETING}> ?p ?o }} WHERE {{ <{MEETING}> ?p ?o }}"
    result = wrapper(server, q, fmt).query().convert()
    graph = result if isinstance(result, rdflib.Graph) else rdflib.Graph().parse(data=result, format="turtle")
    assert (
        rdflib.URIRef(MEETING),
        rdflib.URIRef("https://schema.org/location"),
        rdflib.URIRef(BASE + "id/astana"),
    ) in graph


def test_sparqlwrapper_sees_a_syntax_error(server: str) -> None:
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    with pytest.raises(QueryBadFormed, match="syntax error"):
        wrapper(server, "SELECT * WHERE {", JSON).query()


def test_rdflib_sparqlstore(server: str) -> None:
    store = SPARQLStore(server + "/sparql", returnFormat="json")
    graph = rdflib.Graph(store=store)
    rows = list(
        graph.query(
            "SELECT ?name WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> ; "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?name"
        )
    )
    assert [str(r[0]) for r in rows] == [  # type: ignore[index]
        "Alexander Lukashenko",
        "Kassym-Jomart Tokayev",
        "Vladimir Putin",
    ]
    assert bool(graph.query(f"ASK {{ <{MEETING}> ?p ?o }}").askAnswer)
    label = rdflib.URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    assert str(graph.value(rdflib.URIRef(BASE + "id/astana"), label)) in ("Astana", "Астана")


def test_rdflib_sparqlstore_triples_and_len_of_a_named_graph(server: str) -> None:
    store = SPARQLStore(server + "/sparql")
    kremlin = rdflib.Graph(store=store, identifier=rdflib.URIRef(BASE + "graph/kremlin"))
    triples = set(kremlin.triples((None, None, None)))
    assert (
        rdflib.URIRef(MEETING),
        rdflib.URIRef("https://schema.org/attendee"),
        rdflib.URIRef(BASE + "id/lukashenko"),
    ) in triples
    assert len(triples) == 3


def test_rdflib_cannot_update(server: str) -> None:
    store = SPARQLStore(server + "/sparql")
    graph = rdflib.Graph(store=store)
    with pytest.raises(TypeError):  # rdflib's read-only store refuses before sending anything
        graph.add((rdflib.URIRef("http://e/a"), rdflib.URIRef("http://e/b"), rdflib.URIRef("http://e/c")))


def test_linked_data_over_http(server: str) -> None:
    r = httpx.get(server + "/id/csc-2024", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=r.text, format="turtle")
    assert (
        rdflib.URIRef(MEETING),
        rdflib.URIRef("https://schema.org/attendee"),
        rdflib.URIRef(BASE + "id/putin"),
    ) in graph


def test_new_build_is_picked_up_while_serving(tmp_path: Path) -> None:
    with real_server(tmp_path) as url:
        ask = {"query": f"ASK {{ <{BASE}id/new-meeting> a sk:Meeting }}"}
        first = httpx.get(url + "/sparql", params=ask)
        assert first.json()["boolean"] is False
        settings = Settings(root=tmp_path, build_dir=tmp_path / "build")
        write_store(
            settings,
            TRIG + "\n<https://w3id.org/summitkg/graph/extra> { "
            "<https://w3id.org/summitkg/id/new-meeting> a "
            "<https://w3id.org/summitkg/ontology#Meeting> . }\n",
        )
        deadline = time.monotonic() + 15
        while True:
            r = httpx.get(url + "/sparql", params=ask)
            if r.json()["boolean"] is True:
                break
            assert time.monotonic() < deadline, "the new build was not picked up"
            time.sleep(0.3)
        assert r.headers["etag"] != first.headers["etag"]
        page = httpx.get(url + "/id/new-meeting", headers={"Accept": "text/turtle"})
        assert page.status_code == 200
