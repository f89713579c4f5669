"""Remote queries (kg.remote): the same text, dataset, answers and formats as locally, and clear errors.

The fixture project is published to Oxigraph and Virtuoso, started by the tests on free loopback ports.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from publish_fixtures import answer, make_project, project_fixture
from triplestores import FakeStore, Server, Servers, fake_fixture, free_port, servers_fixture

from kg.catalog import find_query
from kg.cli import main
from kg.config import Settings
from kg.errors import KgError, QuerySyntaxError
from kg.publish import publish
from kg.query import format_result, run_query
from kg.remote import RemoteError, build_dataset, query_remote, remote_text, run_remote
from kg.store import open_store

FIXTURES = (project_fixture, servers_fixture, fake_fixture)  # used by name in the tests
KINDS = ["oxigraph", "virtuoso"]
GRAPH_SIZES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module", params=KINDS)
def remote(request: pytest.FixtureRequest, servers: Servers, project: Settings) -> Server:
    """A server of each kind holding the published fixture project."""
    server = servers.get(request.param)
    publish(project, server.store_url, auth=server.auth, log=lambda _line: None)
    return server


def saved(settings: Settings, name: str, **params: str) -> str:
    return find_query(settings, name).bind(params, settings.prefixes)


def local(settings: Settings, text: str, fmt: str, scope: str = "all") -> bytes:
    return format_result(run_query(open_store(settings), text, settings, scope=scope), fmt, settings)


# -- The text and the dataset sent -----------------------------------------------------------------------------


def test_the_text_sent_declares_the_prefixes_the_store_does_not_know() -> None:
    s = Settings()
    sent = remote_text("PREFIX sk: <urn:other#>\nSELECT * WHERE { ?s a sk:X ; org:memberOf ?o }", s)
    assert "PREFIX org: <http://www.w3.org/ns/org#>" in sent.splitlines()
    assert "PREFIX sk: <https://w3id.org/summitkg/ontology#>" not in sent  # the query's own declaration stands
    assert sent.endswith("PREFIX sk: <urn:other#>\nSELECT * WHERE { ?s a sk:X ; org:memberOf ?o }")


def test_the_text_sent_is_rebased() -> None:
    s = Settings(base_iri="https://example.org/kg/")
    sent = remote_text("SELECT * WHERE { <https://w3id.org/summitkg/id/x> ?p ?o }", s)
    assert "<https://example.org/kg/id/x>" in sent and "w3id.org/summitkg" not in sent
    assert "PREFIX id: <https://example.org/kg/id/>" in sent


def test_the_dataset_is_the_builds_graphs(project: Settings, tmp_path: Path) -> None:
    graphs = sorted(
        g for g in json.loads((project.build_dir / "manifest.json").read_text())["graphs"] for g in [g["iri"]]
    )
    assert build_dataset(project) == (graphs, graphs)
    inferred = [g for g in project.inferred_graphs if g in graphs]
    assert inferred == list(project.inferred_graphs)
    assert build_dataset(project, "inferred") == (inferred, graphs)
    assert build_dataset(project, "asserted") == ([g for g in graphs if g not in inferred], graphs)
    assert build_dataset(Settings(root=tmp_path, build_dir=tmp_path / "none")) is None
    with pytest.raises(KgError, match="unknown graph scope 'some'"):
        build_dataset(project, "some")


# -- Same answers, same formats --------------------------------------------------------------------------------


@pytest.mark.server
@pytest.mark.parametrize("fmt", ["table", "json", "xml", "csv", "tsv"])
def test_a_select_is_written_exactly_as_locally(remote: Server, project: Settings, fmt: str) -> None:
    text = saved(project, "fx-members")
    assert run_remote(remote.query_url, text, fmt, project) == local(project, text, fmt)


@pytest.mark.server
@pytest.mark.parametrize("fmt", ["table", "json", "xml", "csv", "tsv"])
def test_an_ask_is_written_exactly_as_locally(remote: Server, project: Settings, fmt: str) -> None:
    yes, no = saved(project, "fx-is-member"), saved(project, "fx-is-member", state="id:fx-gamma")
    assert run_remote(remote.query_url, yes, fmt, project) == local(project, yes, fmt)
    assert run_remote(remote.query_url, no, fmt, project) == local(project, no, fmt)


@pytest.mark.server
@pytest.mark.parametrize("fmt", ["table", "turtle", "nt", "xml", "jsonld"])
def test_a_construct_gives_the_same_graph_in_every_format(remote: Server, project: Settings, fmt: str) -> None:
    text = saved(project, "fx-describe")
    rdf = {
        "table": ox.RdfFormat.TURTLE,
        "turtle": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "xml": ox.RdfFormat.RDF_XML,
        "jsonld": ox.RdfFormat.JSON_LD,
    }[fmt]
    got = {q.triple for q in ox.parse(run_remote(remote.query_url, text, fmt, project), rdf)}
    want = {q.triple for q in ox.parse(local(project, text, fmt), rdf)}
    assert got == want and len(want) >= 9
    if fmt == "turtle":
        assert b"@prefix sk: <https://w3id.org/summitkg/ontology#>" in run_remote(remote.query_url, text, fmt, project)


@pytest.mark.server
@pytest.mark.parametrize("scope", ["all", "asserted", "inferred"])
def test_graph_scopes_choose_the_same_default_graph_as_locally(remote: Server, project: Settings, scope: str) -> None:
    got = run_remote(remote.query_url, GRAPH_SIZES, "csv", project, scope=scope)
    assert got == local(project, GRAPH_SIZES, "csv", scope)


@pytest.mark.server
def test_kg_query_endpoint_prints_what_kg_query_prints(
    remote: Server, project: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KG_ROOT", str(project.root))
    monkeypatch.setenv("KG_BUILD_DIR", str(project.build_dir))
    args = ["query", "fx-chairs", "--param", "from=2025", "-f", "table"]
    assert main(args) == 0
    here = capsys.readouterr().out
    assert main([*args, "--endpoint", remote.query_url]) == 0
    there = capsys.readouterr().out
    assert there == here and "id:fx-beta" in here and "(1 row)" in here


@pytest.mark.server
def test_another_base_iri_is_published_and_queried_under_that_base(servers: Servers, tmp_path: Path) -> None:
    settings = make_project(tmp_path / "elsewhere", base_iri="https://example.org/kg/")
    server = servers.new("oxigraph")
    report = publish(settings, server.store_url, log=lambda _line: None)
    assert "https://example.org/kg/graph/fx-main" in report.verified
    for name in ("fx-members", "fx-places", "fx-inferred"):
        text = saved(settings, name)
        got = query_remote(server.query_url, text, settings)
        assert answer(got) == answer(run_query(open_store(settings), text, settings))
    csv = run_remote(server.query_url, saved(settings, "fx-members"), "csv", settings)
    assert csv.startswith(b"state,label\r\nhttps://example.org/kg/id/fx-alpha,")


@pytest.mark.server
def test_without_a_build_the_servers_union_default_graph_is_used(
    servers: Servers, project: Settings, tmp_path: Path
) -> None:
    """``oxigraph serve --union-default-graph`` gives the local answers without any dataset in the request."""
    union, plain = servers.new("oxigraph", union_default_graph=True), servers.new("oxigraph")
    for server in (union, plain):
        publish(project, server.store_url, log=lambda _line: None)
    no_build = Settings(root=project.root, build_dir=tmp_path / "no-build")
    text = saved(project, "fx-members")
    want = answer(run_query(open_store(project), text, project))
    assert answer(query_remote(union.query_url, text, no_build)) == want
    # the same server without the option: its default graph is empty, which is why the build's graphs are sent
    assert answer(query_remote(plain.query_url, text, no_build)) == ("solutions", (("state", "label"), {}))
    assert answer(query_remote(plain.query_url, text, project)) == want


# -- Errors ----------------------------------------------------------------------------------------------------


def test_an_endpoint_that_is_down() -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    with pytest.raises(RemoteError) as err:
        run_remote(url, "ASK {}", "json", Settings())
    assert str(err.value) == f"cannot reach the SPARQL endpoint {url}: connection refused (is the server running?)"


def test_a_syntax_error_is_reported_before_anything_is_sent() -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"  # nothing listens: the error must come from the local parser
    with pytest.raises(QuerySyntaxError, match="SPARQL syntax error"):
        run_remote(url, "SELECT * WHERE { ?s ?p }", "json", Settings())


def test_a_format_that_does_not_fit_the_query() -> None:
    with pytest.raises(KgError, match=r"a graph result cannot be written as 'csv'; use one of table, turtle"):
        run_remote("http://127.0.0.1:9/sparql", "CONSTRUCT WHERE { ?s ?p ?o }", "csv", Settings())
    with pytest.raises(KgError, match=r"a table or boolean result cannot be written as 'turtle'"):
        run_remote("http://127.0.0.1:9/sparql", "SELECT * WHERE { ?s ?p ?o }", "turtle", Settings())


def test_an_http_error_carries_the_servers_message(fake: FakeStore) -> None:
    with pytest.raises(RemoteError) as err:
        run_remote(fake.query_url, "SELECT * WHERE { ?s ?p ?o }", "json", Settings())
    assert str(err.value) == (
        f"the SPARQL endpoint {fake.query_url} answered HTTP 400 Bad Request: this fake endpoint only counts"
    )


@pytest.mark.server
def test_a_query_the_server_cannot_run(servers: Servers, project: Settings) -> None:
    """Virtuoso cannot start a path with both ends unbound; its own message reaches the user on one line."""
    server = servers.get("virtuoso")
    publish(project, server.store_url, auth=server.auth, log=lambda _line: None)
    with pytest.raises(RemoteError) as err:
        run_remote(server.query_url, "SELECT * WHERE { ?a sk:locatedIn* ?b }", "json", project)
    message = str(err.value)
    assert message.startswith(f"the SPARQL endpoint {server.query_url} answered HTTP 500 ")
    assert "transitive start not given" in message and "\n" not in message and len(message) < 500


@pytest.mark.server
def test_a_wrong_path_on_a_real_server(servers: Servers) -> None:
    server = servers.get("oxigraph")
    with pytest.raises(RemoteError, match=r"answered HTTP 404 Not Found"):
        run_remote(server.base + "/nothing-here", "ASK {}", "json", Settings())


def test_an_answer_that_is_not_sparql_results(fake: FakeStore) -> None:
    fake.answer = (b"<html><body>Please log in</body></html>", "application/sparql-results+json")
    with pytest.raises(RemoteError) as err:
        query_remote(fake.query_url, "ASK {}", Settings())
    assert str(err.value).startswith(
        f"the SPARQL endpoint {fake.query_url} answered with application/sparql-results+json that does not parse: "
    )


def test_an_ask_with_a_service_is_not_run_locally_to_learn_its_kind(fake: FakeStore) -> None:
    """Only the endpoint runs the query: the local syntax check must not call the SERVICE (port 9 is refused)."""
    fake.answer = (b'{"head": {}, "boolean": true}', "application/sparql-results+json")
    text = "ASK { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert run_remote(fake.query_url, text, "table", Settings()) == b"yes\n"


@pytest.mark.server
def test_a_query_with_its_own_dataset_keeps_it(remote: Server, project: Settings) -> None:
    """FROM is the query's own choice: the protocol's dataset parameters would override it, so none are sent."""
    text = f"SELECT (COUNT(*) AS ?n) FROM <{project.inferred_graph}> WHERE {{ ?s ?p ?o }}"
    assert run_remote(remote.query_url, text, "csv", project) == local(project, text, "csv")  # FROM wins locally too
    only_firm = local(project, text, "csv")
    assert only_firm != local(project, GRAPH_SIZES, "csv", "inferred")  # the two inferred graphs together differ
