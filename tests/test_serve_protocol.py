"""The SPARQL 1.1 Protocol at /sparql: the query-side cases of the W3C protocol test suite
(w3c/rdf-tests ``sparql/sparql11/protocol``, rewritten here as our own cases), content negotiation, the service
description, and HTTP caching."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from serve_fixtures import KASEI, serve_client
from starlette.testclient import TestClient

D0 = quote(KASEI + "data0.rdf", safe="")
D1 = quote(KASEI + "data1.rdf", safe="")
D2 = quote(KASEI + "data2.rdf", safe="")
D3 = quote(KASEI + "data3.rdf", safe="")
SPARQL_QUERY = {"Content-Type": "application/sparql-query"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with serve_client(tmp_path_factory.mktemp("protocol")) as c:
        yield c


def boolean(response: object) -> bool:
    """The answer of an ASK in SPARQL JSON results, checking the media type says so."""
    r = response
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    assert r.headers["content-type"] == "application/sparql-results+json"  # type: ignore[attr-defined]
    value = json.loads(r.content)["boolean"]  # type: ignore[attr-defined]
    assert isinstance(value, bool)
    return value


# -- the W3C protocol manifest's query tests -------------------------------------------------------------


def test_query_post_form(client: TestClient) -> None:
    assert boolean(client.post(f"/sparql/?default-graph-uri={D0}", content="query=ASK%20%7B%7D", headers=FORM))


def test_query_get(client: TestClient) -> None:
    assert boolean(client.get(f"/sparql/?query=ASK%20%7B%7D&default-graph-uri={D0}"))


def test_query_post_direct(client: TestClient) -> None:
    assert boolean(client.post("/sparql/", content="ASK {}", headers=SPARQL_QUERY))


ASK_BOTH = f"ASK {{ <{KASEI}data1.rdf> a ?type . <{KASEI}data2.rdf> a ?type . }}"
ASK_NAMED = f"ASK {{ GRAPH ?g1 {{ <{KASEI}data1.rdf> a ?type }} GRAPH ?g2 {{ <{KASEI}data2.rdf> a ?type }} }}"


def test_query_dataset_default_graphs_get(client: TestClient) -> None:
    r = client.get(f"/sparql/?query={quote(ASK_BOTH)}&default-graph-uri={D1}&default-graph-uri={D2}")
    assert boolean(r)


def test_query_dataset_default_graphs_post(client: TestClient) -> None:
    r = client.post(f"/sparql/?default-graph-uri={D1}&default-graph-uri={D2}", content=ASK_BOTH, headers=SPARQL_QUERY)
    assert boolean(r)


def test_default_graph_uri_restricts_the_default_graph(client: TestClient) -> None:
    # only data1 in the default graph: data2's triple is not there
    r = client.get(f"/sparql?query={quote(ASK_BOTH)}&default-graph-uri={D1}")
    assert boolean(r) is False


def test_query_dataset_named_graphs_post(client: TestClient) -> None:
    r = client.post(f"/sparql/?named-graph-uri={D1}&named-graph-uri={D2}", content=ASK_NAMED, headers=SPARQL_QUERY)
    assert boolean(r)


def test_query_dataset_named_graphs_get(client: TestClient) -> None:
    assert boolean(client.get(f"/sparql/?query={quote(ASK_NAMED)}&named-graph-uri={D1}&named-graph-uri={D2}"))


def test_named_graph_uri_restricts_the_named_graphs(client: TestClient) -> None:
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.get(f"/sparql?query={quote(q)}&named-graph-uri={D1}")
    graphs = [b["g"]["value"] for b in r.json()["results"]["bindings"]]
    assert graphs == [KASEI + "data1.rdf"]


def test_query_dataset_full(client: TestClient) -> None:
    q = f"""ASK {{
  <{KASEI}data3.rdf> a ?type
  GRAPH ?g1 {{ <{KASEI}data1.rdf> a ?type }}
  GRAPH ?g2 {{ <{KASEI}data2.rdf> a ?type }}
}}"""
    r = client.post(
        f"/sparql/?default-graph-uri={D3}&named-graph-uri={D1}&named-graph-uri={D2}", content=q, headers=SPARQL_QUERY
    )
    assert boolean(r)


def test_query_multiple_dataset_protocol_wins(client: TestClient) -> None:
    q = (
        f"ASK FROM <{KASEI}data3.rdf> {{ GRAPH ?g1 {{ <{KASEI}data1.rdf> a ?type }} "
        f"GRAPH ?g2 {{ <{KASEI}data2.rdf> a ?type }} }}"
    )
    r = client.post(f"/sparql/?named-graph-uri={D1}&named-graph-uri={D2}", content=q, headers=SPARQL_QUERY)
    assert boolean(r)


def test_from_in_the_query_is_honoured_without_protocol_dataset(client: TestClient) -> None:
    q = f"SELECT ?s FROM <{KASEI}data3.rdf> WHERE {{ ?s ?p ?o }}"
    r = client.get("/sparql", params={"query": q})
    assert [b["s"]["value"] for b in r.json()["results"]["bindings"]] == [KASEI + "data3.rdf"]


def test_default_graph_is_the_union_of_named_graphs(client: TestClient) -> None:
    q = (
        "ASK { <https://w3id.org/summitkg/id/csc-2024> <https://schema.org/attendee> "
        "<https://w3id.org/summitkg/id/lukashenko> ; a <https://schema.org/Event> }"
    )
    assert boolean(client.get("/sparql", params={"query": q}))


def test_query_content_type_select(client: TestClient) -> None:
    r = client.post(f"/sparql/?default-graph-uri={D0}", content="SELECT (1 AS ?value) {}", headers=SPARQL_QUERY)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/sparql-results+json"
    assert r.json()["results"]["bindings"][0]["value"]["value"] == "1"


def test_query_content_type_ask(client: TestClient) -> None:
    r = client.post(f"/sparql/?default-graph-uri={D0}", content="ASK {}", headers=SPARQL_QUERY)
    assert r.headers["content-type"] in ("application/sparql-results+json", "application/sparql-results+xml")


@pytest.mark.parametrize("query", ["DESCRIBE <http://example.org/>", "CONSTRUCT { <s> <p> 1 } WHERE {}"])
def test_query_content_type_graph(client: TestClient, query: str) -> None:
    r = client.post(f"/sparql/?default-graph-uri={D0}", content=query, headers=SPARQL_QUERY)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/turtle; charset=utf-8"
    list(ox.parse(r.content, ox.RdfFormat.TURTLE, base_iri="http://example.org/"))  # parses


def test_construct_relative_iris_resolve_nowhere_but_still_answer(client: TestClient) -> None:
    r = client.post("/sparql", content="CONSTRUCT { <http://e/s> <http://e/p> 1 } WHERE {}", headers=SPARQL_QUERY)
    triples = list(ox.parse(r.content, ox.RdfFormat.TURTLE))
    assert len(triples) == 1 and triples[0].object.value == "1"


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("put", {"content": "query=ASK%20%7B%7D", "headers": FORM}),
        ("delete", {}),
        ("patch", {"content": "ASK {}", "headers": SPARQL_QUERY}),
    ],
)
def test_bad_query_method(client: TestClient, method: str, kwargs: dict[str, object]) -> None:
    r = getattr(client, method)(f"/sparql/?query=ASK%20%7B%7D&default-graph-uri={D0}", **kwargs)
    assert r.status_code == 405
    assert "GET" in r.headers["allow"]


def test_bad_multiple_queries(client: TestClient) -> None:
    r = client.get("/sparql/?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D")
    assert r.status_code == 400
    assert "one query" in r.text


def test_bad_multiple_queries_url_and_body(client: TestClient) -> None:
    r = client.post("/sparql?query=ASK%20%7B%7D", content="ASK {}", headers=SPARQL_QUERY)
    assert r.status_code == 400


def test_bad_query_wrong_media_type(client: TestClient) -> None:
    r = client.post("/sparql/", content="ASK {}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    assert "application/sparql-query" in r.text


@pytest.mark.parametrize("body", ["query=ASK%20%7B%7D", "ASK {}"])
def test_bad_query_missing_media_type(client: TestClient, body: str) -> None:
    r = client.post("/sparql/", content=body)
    assert r.status_code == 415


def test_bad_query_non_utf8(client: TestClient) -> None:
    r = client.post(
        "/sparql/",
        content="ASK {}".encode("utf-16"),
        headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
    )
    assert r.status_code == 415
    assert "UTF-8" in r.text


def test_bad_query_bytes_that_are_not_utf8(client: TestClient) -> None:
    r = client.post("/sparql/", content=b"ASK { \xff }", headers=SPARQL_QUERY)
    assert r.status_code == 400
    assert "UTF-8" in r.text


def test_bad_query_syntax_names_the_position(client: TestClient) -> None:
    r = client.get("/sparql/?query=ASK%20%7B")
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/plain")
    assert "SPARQL syntax error" in r.text and "1:6" in r.text


def test_update_sent_as_a_query_is_a_syntax_error(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "CLEAR ALL"})
    assert r.status_code == 400
    assert "syntax error" in r.text


def test_bad_query_missing(client: TestClient) -> None:
    assert client.post("/sparql", content="", headers=FORM).status_code == 400
    assert client.post("/sparql", content="query=", headers=FORM).status_code == 400
    assert client.get(f"/sparql?default-graph-uri={D0}").status_code == 400


def test_bad_dataset_iri(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert r.status_code == 400
    assert "default-graph-uri" in r.text


# -- updates: this server is read-only ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "kwargs"),
    [
        ("get", "/sparql/?update=CLEAR%20ALL", {}),  # bad_update_get
        ("post", "/sparql/", {"content": "update=CLEAR+ALL", "headers": FORM}),  # update_post_form
        ("post", "/sparql/", {"content": "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", "headers": FORM}),
        ("post", "/sparql/", {"content": "CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}}),
        ("post", "/sparql/", {"content": "update=CLEAR%20XYZ", "headers": FORM}),  # bad_update_syntax
        (
            "post",
            "/sparql/?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
            {"content": "DELETE WHERE { ?s ?p ?o }", "headers": {"Content-Type": "application/sparql-update"}},
        ),
    ],
)
def test_updates_are_refused(client: TestClient, method: str, url: str, kwargs: dict[str, object]) -> None:
    r = getattr(client, method)(url, **kwargs)
    assert r.status_code == 403
    assert "read-only" in r.text
    assert boolean(client.get("/sparql", params={"query": f"ASK {{ GRAPH <{KASEI}data1.rdf> {{ ?s ?p ?o }} }}"}))


def test_bad_update_wrong_media_type(client: TestClient) -> None:
    assert client.post("/sparql/", content="CLEAR NAMED", headers={"Content-Type": "text/plain"}).status_code == 415


def test_bad_update_non_utf8(client: TestClient) -> None:
    r = client.post(
        "/sparql/",
        content="CLEAR NAMED".encode("utf-16"),
        headers={"Content-Type": "application/sparql-update; charset=UTF-16"},
    )
    assert 400 <= r.status_code < 500


# -- content negotiation ---------------------------------------------------------------------------------

SELECT = "SELECT ?s WHERE { ?s a <http://xmlns.com/foaf/0.1/Document> } ORDER BY ?s"
CONSTRUCT = f"CONSTRUCT {{ ?s a ?t }} WHERE {{ GRAPH <{KASEI}data1.rdf> {{ ?s a ?t }} }}"


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("*/*", "application/sparql-results+json"),
        ("text/*", "text/csv; charset=utf-8"),
        ("text/csv;q=0.5, text/tab-separated-values;q=0.9", "text/tab-separated-values; charset=utf-8"),
        ("application/sparql-results+json;q=0.1, application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/turtle, */*;q=0.1", "application/sparql-results+json"),
    ],
)
def test_select_formats(client: TestClient, accept: str, content_type: str) -> None:
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"] == content_type
    assert "Accept" in r.headers["vary"]
    name = content_type.split(";")[0]
    expected = [KASEI + f"data{i}.rdf" for i in (1, 2, 3)]
    if name == "text/csv":  # lossy by design: pyoxigraph will not parse it back
        assert list(csv.reader(io.StringIO(r.text))) == [["s"]] + [[iri] for iri in expected]
        return
    fmt = {
        "application/sparql-results+json": ox.QueryResultsFormat.JSON,
        "application/sparql-results+xml": ox.QueryResultsFormat.XML,
        "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    }[name]
    rows = list(ox.parse_query_results(r.content, fmt))  # type: ignore[arg-type]
    assert [row["s"].value for row in rows] == expected


@pytest.mark.parametrize("accept", ["application/sparql-results+xml", "application/sparql-results+json"])
def test_ask_formats(client: TestClient, accept: str) -> None:
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": accept})
    assert r.headers["content-type"] == accept
    assert bool(ox.parse_query_results(r.content, ox.QueryResultsFormat.from_media_type(accept)))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("accept", "content_type", "fmt"),
    [
        ("text/turtle", "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
        ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("application/trig", "application/trig", ox.RdfFormat.TRIG),
        ("application/n-quads", "application/n-quads", ox.RdfFormat.N_QUADS),
        ("application/json", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("*/*", "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
        ("application/rdf+xml;q=0.2, application/n-triples;q=0.8", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ],
)
def test_construct_formats(client: TestClient, accept: str, content_type: str, fmt: ox.RdfFormat) -> None:
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"] == content_type
    quads = list(ox.parse(r.content, fmt))
    assert [(q.subject.value, q.object.value) for q in quads] == [
        (KASEI + "data1.rdf", "http://xmlns.com/foaf/0.1/Document")
    ]


@pytest.mark.parametrize(
    ("param", "query", "content_type"),
    [
        ("json", SELECT, "application/sparql-results+json"),
        ("xml", SELECT, "application/sparql-results+xml"),
        ("csv", SELECT, "text/csv; charset=utf-8"),
        ("tsv", SELECT, "text/tab-separated-values; charset=utf-8"),
        ("text/csv", SELECT, "text/csv; charset=utf-8"),
        ("turtle", CONSTRUCT, "text/turtle; charset=utf-8"),
        ("nt", CONSTRUCT, "application/n-triples"),
        ("jsonld", CONSTRUCT, "application/ld+json"),
        ("json", CONSTRUCT, "application/ld+json"),
        ("xml", CONSTRUCT, "application/rdf+xml"),
        ("trig", CONSTRUCT, "application/trig"),
        ("nquads", CONSTRUCT, "application/n-quads"),
    ],
)
def test_format_parameter_overrides_accept(client: TestClient, param: str, query: str, content_type: str) -> None:
    r = client.get("/sparql", params={"query": query, "format": param}, headers={"Accept": "image/png"})
    assert r.status_code == 200
    assert r.headers["content-type"] == content_type


def test_format_in_a_form_post(client: TestClient) -> None:
    r = client.post("/sparql", data={"query": SELECT, "format": "csv"})
    assert r.headers["content-type"] == "text/csv; charset=utf-8"


def test_not_acceptable(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.text
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert r.status_code == 406
    assert "text/turtle" in r.text
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+json;q=0"})
    assert r.status_code == 406


def test_format_that_does_not_fit_the_query(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": CONSTRUCT, "format": "csv"})
    assert r.status_code == 406


def test_unknown_format(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SELECT, "format": "pdf"})
    assert r.status_code == 400
    assert "pdf" in r.text


def test_project_prefixes_are_predeclared(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT ?p WHERE { id:csc-2024 schema:attendee ?p }"})
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == 3


def test_head(client: TestClient) -> None:
    r = client.head("/sparql", params={"query": "ASK {}"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/sparql-results+json"
    assert r.content == b""


# -- service description ---------------------------------------------------------------------------------

SD = "http://www.w3.org/ns/sparql-service-description#"


def _sd_graph(content: bytes, fmt: ox.RdfFormat) -> ox.Store:
    store = ox.Store()
    store.load(content, fmt)
    return store


def test_service_description_returns_rdf_with_endpoint(client: TestClient) -> None:
    r = client.get("/sparql")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/turtle; charset=utf-8"
    store = _sd_graph(r.content, ox.RdfFormat.TURTLE)
    endpoints = [row["e"].value for row in store.query(f"SELECT ?e {{ ?s a <{SD}Service> ; <{SD}endpoint> ?e }}")]
    assert endpoints == ["http://127.0.0.1:8000/sparql"]


def test_service_description_conforms_to_the_vocabulary(client: TestClient) -> None:
    store = _sd_graph(client.get("/sparql").content, ox.RdfFormat.TURTLE)
    ask = f"""ASK {{
      ?s a <{SD}Service> ; <{SD}supportedLanguage> <{SD}SPARQL11Query> ;
         <{SD}resultFormat> <http://www.w3.org/ns/formats/SPARQL_Results_JSON> ;
         <{SD}feature> <{SD}UnionDefaultGraph> ;
         <{SD}defaultDataset> ?d .
      ?d a <{SD}Dataset> ; <{SD}defaultGraph> ?dg ; <{SD}namedGraph> ?ng .
      ?ng a <{SD}NamedGraph> ; <{SD}name> <https://w3id.org/summitkg/graph/tass> ; <{SD}graph> ?g .
      ?g <http://rdfs.org/ns/void#triples> ?n .
    }}"""
    assert bool(store.query(ask))
    federated = f"ASK {{ ?s <{SD}feature> <{SD}BasicFederatedQuery> }}"
    assert not bool(store.query(federated))


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ],
)
def test_service_description_by_conneg(client: TestClient, accept: str, fmt: ox.RdfFormat) -> None:
    r = client.get("/sparql", headers={"Accept": accept})
    assert r.headers["content-type"].startswith(accept)
    assert bool(_sd_graph(r.content, fmt).query(f"ASK {{ ?s <{SD}endpoint> ?e }}"))


def test_service_description_names_the_public_url(tmp_path: Path) -> None:
    with serve_client(tmp_path, base_url="https://kg.example.org/data/") as c:
        store = _sd_graph(c.get("/sparql").content, ox.RdfFormat.TURTLE)
        rows = list(store.query(f"SELECT ?e {{ ?s <{SD}endpoint> ?e }}"))
        assert [r["e"].value for r in rows] == ["https://kg.example.org/data/sparql"]


def test_browser_at_the_endpoint_gets_the_query_page(client: TestClient) -> None:
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert 'id="editor"' in r.text


# -- HTTP caching ------------------------------------------------------------------------------------------


def test_etag_and_304(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SELECT})
    tag = r.headers["etag"]
    assert tag.startswith('"') and "max-age=" in r.headers["cache-control"]
    again = client.get("/sparql", params={"query": SELECT}, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    other = client.get("/sparql", params={"query": SELECT}, headers={"If-None-Match": tag, "Accept": "text/csv"})
    assert other.status_code == 200
    assert other.headers["etag"] != tag


def test_etag_comes_from_the_build(client: TestClient) -> None:
    manifest = client.app.state.kg.build.manifest  # type: ignore[attr-defined]
    tag = client.get("/sparql", params={"query": SELECT}).headers["etag"]
    assert tag.startswith('"' + manifest["build_id"][:16] + "-")


def test_repeated_query_is_answered_from_the_cache(client: TestClient) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    first = client.get("/sparql", params={"query": q})
    state = client.app.state.kg  # type: ignore[attr-defined]
    pool_run = state.pool.run
    calls = []
    state.pool.run = lambda *a: calls.append(a) or pool_run(*a)
    try:
        second = client.get("/sparql", params={"query": q})
    finally:
        state.pool.run = pool_run
    assert second.content == first.content
    assert calls == []


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_percent_encoded_bytes_that_are_not_utf8_are_named(client: TestClient, method: str) -> None:
    if method == "GET":
        r = client.get("/sparql?query=ASK%20%7B%7D%ff%fe")
    else:
        r = client.post(
            "/sparql",
            content=b"query=ASK%20%7B%7D%ff%fe",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert r.status_code == 400
    assert "not valid UTF-8 once percent-decoded" in r.text
