"""Linked data: every minted IRI dereferences (HTML for people, RDF by negotiation), the ontology documents
itself, unknown IRIs get a 404 page; plus the Graph Store read side, VoID and the home page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from serve_fixtures import BASE, KASEI, serve_client
from starlette.testclient import TestClient

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
MEETING = BASE + "id/csc-2024"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with serve_client(tmp_path_factory.mktemp("ld")) as c:
        yield c


def rows_of(html: str, table_id: str) -> list[str]:
    """The rows of one table of a page, as text with tags removed."""
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in table.split("<tr>")[2:]]


def test_resource_page_for_a_browser(client: TestClient) -> None:
    r = client.get("/id/csc-2024", headers=BROWSER)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    html = r.text
    assert "<h1>CSTO Collective Security Council, Astana, 2024</h1>" in html
    assert f"<code>{MEETING}</code>" in html
    # types, linked: the ontology term into the ontology page
    assert 'href="/ontology#Meeting"' in html
    out = rows_of(html, "outgoing")
    assert "schema:attendee Vladimir Putin TASS" in out
    # a statement from the hedged source is marked, and names its source
    assert "schema:attendee Alexander Lukashenko Kremlin press service reportedly" in out
    # a statement only reasoning added is marked inferred, with no source
    assert "rdf:type schema:Event reasoning inferred" in out
    assert 'href="/id/astana"' in html


def test_resource_page_links_incoming_statements_and_wikidata(client: TestClient) -> None:
    html = client.get("/id/putin", headers=BROWSER).text
    assert rows_of(html, "incoming") == ["CSTO Collective Security Council, Astana, 2024 schema:attendee TASS"]
    csto = client.get("/id/csto", headers=BROWSER).text
    assert 'href="https://www.wikidata.org/wiki/Q11113"' in csto


@pytest.mark.parametrize(
    ("accept", "content_type", "fmt"),
    [
        ("text/turtle", "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("*/*", "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    ],
)
def test_resource_rdf_by_conneg(client: TestClient, accept: str, content_type: str, fmt: ox.RdfFormat) -> None:
    r = client.get("/id/csc-2024", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"] == content_type
    assert "Accept" in r.headers["vary"]
    triples = {(q.subject.value, q.predicate.value, q.object.value) for q in ox.parse(r.content, fmt)}
    assert (MEETING, "https://schema.org/attendee", BASE + "id/putin") in triples
    assert (MEETING, "https://schema.org/location", BASE + "id/astana") in triples
    assert (MEETING, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "https://schema.org/Event") in triples


def test_resource_in_trig_keeps_the_graph_of_each_statement(client: TestClient) -> None:
    r = client.get("/id/csc-2024", headers={"Accept": "application/trig"})
    quads = list(ox.parse(r.content, ox.RdfFormat.TRIG))
    graphs = {q.graph_name.value for q in quads if q.object == ox.NamedNode(BASE + "id/lukashenko")}
    assert graphs == {BASE + "graph/kremlin"}


def test_format_parameter_on_a_resource(client: TestClient) -> None:
    r = client.get("/id/csc-2024?format=nt", headers=BROWSER)
    assert r.headers["content-type"] == "application/n-triples"


def test_resource_not_acceptable(client: TestClient) -> None:
    assert client.get("/id/csc-2024", headers={"Accept": "image/png"}).status_code == 406


def test_unknown_iri_is_a_404_page(client: TestClient) -> None:
    r = client.get("/id/no-such-thing", headers=BROWSER)
    assert r.status_code == 404
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert "nothing is known about https://w3id.org/summitkg/id/no-such-thing" in r.text
    assert "Traceback" not in r.text
    plain = client.get("/id/no-such-thing", headers={"Accept": "text/turtle"})
    assert plain.status_code == 404 and plain.headers["content-type"].startswith("text/plain")


def test_404_page_escapes_the_path(client: TestClient) -> None:
    r = client.get("/id/%3Cscript%3Ealert(1)%3C%2Fscript%3E", headers=BROWSER)
    assert r.status_code == 404
    assert "<script>" not in r.text


def test_named_graph_iri_dereferences(client: TestClient) -> None:
    html = client.get("/graph/kremlin", headers=BROWSER).text
    assert "Kremlin press service" in html  # prov:wasAttributedTo
    assert 'href="/store?graph=https%3A%2F%2Fw3id.org%2Fsummitkg%2Fgraph%2Fkremlin"' in html


def test_describe_any_iri(client: TestClient) -> None:
    r = client.get("/describe", params={"iri": KASEI + "data1.rdf"}, headers=BROWSER)
    assert r.status_code == 200
    assert "Document" in r.text
    assert client.get("/describe", params={"iri": "not an iri"}).status_code == 400


def test_ontology_page(client: TestClient) -> None:
    r = client.get("/ontology", headers=BROWSER)
    assert r.status_code == 200
    html = r.text
    assert "<h1>Summit ontology</h1>" in html
    assert '<section class="term" id="Meeting"><h3>Meeting <code>sk:Meeting</code></h3>' in html
    assert "A session of a body of an organization." in html
    assert 'id="chairedBy"' in html and 'id="object-properties"' in html


def test_ontology_turtle(client: TestClient) -> None:
    r = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert r.headers["content-type"] == "text/turtle; charset=utf-8"
    triples = {(q.subject.value, q.predicate.value) for q in ox.parse(r.content, ox.RdfFormat.TURTLE)}
    assert (BASE + "ontology#Meeting", "http://www.w3.org/2000/01/rdf-schema#comment") in triples
    assert (BASE + "ontology", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type") in triples
    # only the ontology's graph: no instance data
    assert not any(s.startswith(BASE + "id/") for s, _ in triples)


def test_iri_under_a_different_base(tmp_path: Path) -> None:
    with serve_client(tmp_path, base_url="https://kg.example.org/kg") as c:
        html = c.get("/id/csc-2024", headers=BROWSER).text
        assert 'href="/kg/id/astana"' in html
        assert 'href="/kg/static/style.css"' in html


# -- Graph Store Protocol, read side ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("application/trig", ox.RdfFormat.TRIG),
        ("application/n-quads", ox.RdfFormat.N_QUADS),
    ],
)
def test_graph_store_named_graph(client: TestClient, accept: str, fmt: ox.RdfFormat) -> None:
    r = client.get("/store", params={"graph": BASE + "graph/kremlin"}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == accept
    quads = list(ox.parse(r.content, fmt))
    assert {q.object.value for q in quads} >= {BASE + "id/lukashenko", "Alexander Lukashenko"}
    assert len(quads) == 3
    if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        assert {q.graph_name.value for q in quads} == {BASE + "graph/kremlin"}


def test_graph_store_default_graph_is_the_union(client: TestClient) -> None:
    r = client.get("/store?default", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    triples = list(ox.parse(r.content, ox.RdfFormat.N_TRIPLES))
    subjects = {t.subject.value for t in triples}
    assert {BASE + "id/lukashenko", BASE + "id/csto", KASEI + "data3.rdf"} <= subjects


def test_graph_store_unknown_graph_is_404(client: TestClient) -> None:
    assert client.get("/store", params={"graph": "http://example.org/nope"}).status_code == 404
    assert client.head("/store", params={"graph": "http://example.org/nope"}).status_code == 404


def test_graph_store_head(client: TestClient) -> None:
    r = client.head("/store", params={"graph": BASE + "graph/kremlin"})
    assert r.status_code == 200
    assert r.content == b""
    assert int(r.headers["content-length"]) > 0
    assert r.headers["etag"]


@pytest.mark.parametrize("query", ["", "?graph=a&graph=b", f"?default&graph={quote(BASE)}", "?graph=no%20iri"])
def test_graph_store_bad_requests(client: TestClient, query: str) -> None:
    assert client.get("/store" + query).status_code == 400


def test_graph_store_is_read_only(client: TestClient) -> None:
    for method in ("PUT", "POST", "DELETE"):
        r = client.request(
            method, "/store?default", content=b"<a:b> <a:c> <a:d> .", headers={"Content-Type": "application/n-triples"}
        )
        assert r.status_code == 405


# -- VoID and the home page ------------------------------------------------------------------------------


def test_void(client: TestClient) -> None:
    r = client.get("/.well-known/void")
    assert r.status_code == 200
    store = ox.Store()
    store.load(r.content, ox.RdfFormat.TURTLE)
    void = "http://rdfs.org/ns/void#"
    rows = list(store.query(f"SELECT ?d ?e {{ ?d a <{void}Dataset> ; <{void}sparqlEndpoint> ?e }}"))
    assert [(x["d"].value, x["e"].value) for x in rows] == [(BASE, "http://127.0.0.1:8000/sparql")]
    assert bool(store.query(f"ASK {{ <{BASE}> <{void}subset> <{BASE}graph/tass> }}"))


def test_void_written_by_the_build_is_served_with_our_endpoint(tmp_path: Path) -> None:
    with serve_client(tmp_path, base_url="https://kg.example.org") as c:
        build = c.app.state.kg.settings.build_dir  # type: ignore[attr-defined]
        (build / "void.ttl").write_text(
            "@prefix void: <http://rdfs.org/ns/void#> .\n"
            "<https://w3id.org/summitkg/dataset> a void:Dataset ; void:triples 42 ;\n"
            "  void:sparqlEndpoint <http://localhost:1/sparql> .\n",
            encoding="utf-8",
        )
        store = ox.Store()
        store.load(c.get("/.well-known/void").content, ox.RdfFormat.TURTLE)
        rows = [(r["p"].value, r["o"].value) for r in store.query("SELECT ?p ?o { ?s ?p ?o } ORDER BY ?p")]
        assert ("http://rdfs.org/ns/void#sparqlEndpoint", "https://kg.example.org/sparql") in rows
        assert ("http://rdfs.org/ns/void#sparqlEndpoint", "http://localhost:1/sparql") not in rows


def test_home_page(client: TestClient) -> None:
    r = client.get("/", headers=BROWSER)
    assert r.status_code == 200
    assert 'href="/graph/tass"' in r.text
    rdf = client.get("/", headers={"Accept": "text/turtle"})
    assert rdf.headers["content-type"] == "text/turtle; charset=utf-8"
    assert "sparqlEndpoint" in rdf.text


def test_renamed_resource_redirects_permanently(tmp_path: Path) -> None:
    """A published IRI never changes: a renamed resource keeps its old IRI with dcterms:isReplacedBy, and the
    server answers the old IRI with 301 to the new one (which then dereferences as usual)."""
    from serve_fixtures import make_build

    from kg.serve.app import create_app
    from kg.serve.options import ServeOptions

    trig = """
    @prefix id: <https://w3id.org/summitkg/id/> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix dcterms: <http://purl.org/dc/terms/> .
    <https://w3id.org/summitkg/graph/g> {
      id:old-name dcterms:isReplacedBy id:new-name .
      id:new-name rdfs:label "The new name" .
    }
    """
    settings = make_build(tmp_path, trig)
    with TestClient(create_app(settings, ServeOptions(workers=1)), follow_redirects=False) as client:
        moved = client.get("/id/old-name", headers={"Accept": "text/turtle"})
        assert moved.status_code == 301
        assert moved.headers["location"] == "/id/new-name"
        assert client.get(moved.headers["location"], headers={"Accept": "text/turtle"}).status_code == 200
        assert client.get("/id/new-name").status_code == 200
