"""The server on a build of the project's own sources (the session's ``built`` fixture): every minted IRI
dereferences, the ontology documents every term, every saved query and every graph is served."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from kg.catalog import load_catalog
from kg.config import Settings
from kg.query import run_query
from kg.serve.app import create_app
from kg.serve.options import ServeOptions
from kg.store import read_manifest

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
RDFS_DEFINED_BY = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#isDefinedBy")


@pytest.fixture(scope="module")
def client(built: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(built, ServeOptions(workers=1))) as c:
        yield c


def test_csto_dereferences(client: TestClient, built: Settings) -> None:
    html = client.get("/id/csto", headers=BROWSER)
    assert html.status_code == 200
    assert "Collective Security Treaty Organization" in html.text
    assert "https://www.wikidata.org/wiki/Q" in html.text
    ttl = client.get("/id/csto", headers={"Accept": "text/turtle"})
    triples = list(ox.parse(ttl.content, ox.RdfFormat.TURTLE))
    csto = ox.NamedNode(built.base_iri + "id/csto")
    assert any(t.subject == csto and t.predicate.value.endswith("#exactMatch") for t in triples)


def test_every_minted_iri_dereferences(client: TestClient, store: ox.Store, built: Settings) -> None:
    minted = sorted(
        {
            q.subject.value
            for q in store.quads_for_pattern(None, None, None, None)
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(built.base_iri + "id/")
        }
    )
    assert len(minted) > 20
    failures = []
    for iri in minted:
        path = "/" + iri.removeprefix(built.base_iri)
        r = client.get(path, headers={"Accept": "application/n-triples"})
        if r.status_code != 200 or f"<{iri}>" not in r.text:
            failures.append((path, r.status_code))
    assert failures == []


def test_the_ontology_documents_every_term(client: TestClient, store: ox.Store, built: Settings) -> None:
    html = client.get("/ontology", headers=BROWSER).text
    terms = {
        q.subject.value for q in store.quads_for_pattern(None, RDFS_DEFINED_BY, ox.NamedNode(built.ontology_iri), None)
    }
    ours = [t for t in terms if t.startswith(built.ontology_iri + "#")]
    assert ours
    missing = [t for t in ours if f'id="{t.split("#", 1)[1]}"' not in html]
    assert missing == []
    ttl = client.get("/ontology", headers={"Accept": "text/turtle"})
    parsed = {q.subject.value for q in ox.parse(ttl.content, ox.RdfFormat.TURTLE)}
    assert set(ours) <= parsed


def test_every_saved_query_answers_as_the_library_does(client: TestClient, built: Settings, store: ox.Store) -> None:
    catalog = load_catalog(built)
    assert catalog
    for name, q in catalog.items():
        r = client.get(f"/queries/{name}", headers={"Accept": "application/sparql-results+json, text/turtle"})
        assert r.status_code == 200, (name, r.text)
        expected = run_query(store, q.bind({}, built.prefixes), built)
        if isinstance(expected, ox.QuerySolutions):
            assert len(json.loads(r.content)["results"]["bindings"]) == len(list(expected)), name
        elif isinstance(expected, ox.QueryBoolean):
            assert json.loads(r.content)["boolean"] is bool(expected), name
        else:
            assert len(list(ox.parse(r.content, ox.RdfFormat.TURTLE))) == len(set(expected)), name


def test_every_graph_is_served_whole(client: TestClient, built: Settings) -> None:
    for g in read_manifest(built)["graphs"]:
        r = client.get("/store", params={"graph": g["iri"]}, headers={"Accept": "application/n-quads"})
        assert r.status_code == 200, g["iri"]
        assert len(list(ox.parse(r.content, ox.RdfFormat.N_QUADS))) == g["triples"], g["iri"]


def test_service_description_and_void_name_every_graph(client: TestClient, built: Settings) -> None:
    sd = client.get("/sparql").text
    void = client.get("/.well-known/void", headers={"Accept": "application/n-triples"}).text
    assert "<http://127.0.0.1:8000/sparql>" in void
    for g in read_manifest(built)["graphs"]:
        assert f"<{g['iri']}>" in sd or g["iri"] in sd


def test_void_dumps_are_served(built: Settings) -> None:
    """Every void:dataDump of the served VoID points at this server and is served there, byte for byte; nothing
    else under /dumps/ is."""
    public = "https://kg.example.org/sub"
    with TestClient(create_app(built, ServeOptions(workers=1, base_url=public))) as client:
        void = ox.parse(client.get("/.well-known/void", headers={"Accept": "text/turtle"}).content, ox.RdfFormat.TURTLE)
        dumps = sorted(t.object.value for t in void if t.predicate.value == "http://rdfs.org/ns/void#dataDump")
        assert len(dumps) == 5
        for iri in dumps:
            assert iri.startswith(public + "/dumps/"), iri
            name = iri.removeprefix(public + "/dumps/")
            r = client.get("/dumps/" + name)  # behind a proxy that strips /sub
            assert r.status_code == 200, iri
            assert r.content == (built.build_dir / name).read_bytes()
            assert client.get("/dumps/" + name, headers={"If-None-Match": r.headers["etag"]}).status_code == 304
        for bad in ("manifest.json", "..%2Fmanifest.json", "store", "asserted.nq"):
            assert client.get("/dumps/" + bad).status_code == 404, bad


def test_a_graph_nothing_describes_sends_programs_to_its_contents(client: TestClient, built: Settings) -> None:
    """graph:void holds the dataset description but is described nowhere: RDF clients are sent (303) to the
    Graph Store route for its contents instead of getting an empty 200."""
    r = client.get("/graph/void", headers={"Accept": "text/turtle"}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/store?graph=" + quote(built.base_iri + "graph/void", safe="")
    contents = client.get(r.headers["location"], headers={"Accept": "text/turtle"})
    assert contents.status_code == 200 and b"void:Dataset" in contents.content
    assert client.get("/graph/void", headers=BROWSER).status_code == 200
