"""Publishing to real triple stores (kg.publish): replace, verify, re-publish, same answers, clear failures.

Oxigraph and Virtuoso are started by the tests on free loopback ports (tests/triplestores.py). Each saved query
must give the same answer from the published store as from the local build, compared as multisets of rows of
terms (blank nodes aside, which every store renames).
"""

from __future__ import annotations

import gzip
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from publish_fixtures import ROOT, answer, make_project, project_fixture, snapshot, term_key
from triplestores import (
    OXIGRAPH,
    FakeStore,
    Oxigraph,
    Server,
    Servers,
    Virtuoso,
    fake_fixture,
    free_port,
    servers_fixture,
)

from kg.catalog import find_query, parse_query_file
from kg.cli import main
from kg.config import Settings
from kg.errors import KgError, StaleBuildError
from kg.export import serialize
from kg.publish import (
    BULK_MANIFEST,
    PublishError,
    PublishReport,
    UserPasswordAuth,
    count_graphs,
    make_auth,
    publish,
    put_graph,
    query_endpoint_for,
    verify,
    write_bulk,
)
from kg.query import run_query
from kg.remote import query_remote
from kg.store import open_store, read_manifest

KINDS = ["oxigraph", "virtuoso"]
FIXTURE_QUERIES = sorted((ROOT / "tests" / "fixtures" / "publish" / "queries").glob("*.rq"))
REPO_QUERIES = sorted((ROOT / "queries").glob("*.rq"))
MAIN = "https://w3id.org/summitkg/graph/fx-main"
FIXTURES = (project_fixture, servers_fixture, fake_fixture)  # used by name in the tests
ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } VALUES ?g { %s } }"


def graph_counts(settings: Settings) -> dict[str, int]:
    return {g["iri"]: g["triples"] for g in read_manifest(settings)["graphs"]}


def server_quads(server: Server, settings: Settings) -> Counter[tuple[ox.Term | None, ...]]:
    """Every quad of the build's graphs as the server holds them (blank nodes as one placeholder)."""
    values = " ".join(f"<{g}>" for g in graph_counts(settings))
    result = query_remote(server.query_url, ALL_QUADS % values, settings, dataset=([], []))
    assert isinstance(result, ox.QuerySolutions)
    return Counter(tuple(server.key(row[v]) for v in ("g", "s", "p", "o")) for row in result)


def local_quads(settings: Settings) -> Counter[tuple[ox.Term | None, ...]]:
    return Counter((q.graph_name, term_key(q.subject), q.predicate, term_key(q.object)) for q in open_store(settings))


def local_answer(settings: Settings, text: str, server: Server) -> tuple[str, object]:
    """The local answer, compared the way ``server``'s answers are (multiset or set of rows)."""
    return answer(run_query(open_store(settings), text, settings), multiset=server.multiset)


def remote_answer(server: Server, settings: Settings, text: str) -> tuple[str, object]:
    return answer(query_remote(server.query_url, text, settings), server.key, multiset=server.multiset)


# -- Publish, verify, re-publish -------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=KINDS)
def published(request: pytest.FixtureRequest, servers: Servers, project: Settings) -> tuple[Server, PublishReport]:
    """The fixture project published once to a shared server of each kind."""
    server = servers.get(request.param)
    report = publish(project, server.store_url, auth=server.auth, log=lambda _line: None)
    return server, report


@pytest.mark.server
def test_publish_replaces_every_graph_and_verifies_the_counts(
    published: tuple[Server, PublishReport], project: Settings
) -> None:
    server, report = published
    expected = graph_counts(project)
    assert [g.iri for g in report.graphs] == sorted(expected)
    assert {g.iri: g.triples for g in report.graphs} == expected
    assert report.verified == expected
    assert all(g.status in (200, 201, 204) for g in report.graphs)
    assert {g.role for g in report.graphs} == {"ontology", "data", "inferred", "description"}
    assert report.query_endpoint == server.query_url


@pytest.mark.server
def test_the_store_holds_exactly_the_built_quads(published: tuple[Server, PublishReport], project: Settings) -> None:
    server, _ = published
    assert server_quads(server, project) == local_quads(project)


@pytest.mark.server
def test_publishing_again_changes_nothing(published: tuple[Server, PublishReport], project: Settings) -> None:
    server, first = published
    before = server_quads(server, project)
    again = publish(project, server.store_url, auth=server.auth, log=lambda _line: None)
    assert again.verified == first.verified
    assert [(g.iri, g.triples, g.bytes) for g in again.graphs] == [(g.iri, g.triples, g.bytes) for g in first.graphs]
    assert server_quads(server, project) == before


@pytest.mark.server
@pytest.mark.parametrize("path", FIXTURE_QUERIES, ids=lambda p: p.stem)
def test_saved_query_gives_the_same_answer_from_the_store(
    published: tuple[Server, PublishReport], project: Settings, path: Path
) -> None:
    server, _ = published
    text = find_query(project, path.stem).bind({}, project.prefixes)
    local = local_answer(project, text, server)
    assert local[1], f"{path.name} answers nothing locally: it would prove nothing"
    assert remote_answer(server, project, text) == local


@pytest.fixture(scope="module", params=KINDS)
def published_real(request: pytest.FixtureRequest, servers: Servers, built: Settings) -> Server:
    """The project's own build, published to a fresh server of each kind."""
    server = servers.new(request.param)
    publish(built, server.store_url, auth=server.auth, log=lambda _line: None)
    return server


@pytest.mark.server
@pytest.mark.parametrize("path", REPO_QUERIES, ids=lambda p: p.stem)
def test_every_saved_query_of_the_project_gives_the_same_answer_from_the_store(
    published_real: Server, built: Settings, path: Path
) -> None:
    text = parse_query_file(path).bind({}, built.prefixes)
    assert remote_answer(published_real, built, text) == local_answer(built, text, published_real)


@pytest.mark.server
def test_the_project_build_is_published_whole(published_real: Server, built: Settings) -> None:
    assert server_quads(published_real, built) == local_quads(built)


@pytest.mark.server
def test_publishing_some_graphs_only(servers: Servers, project: Settings) -> None:
    server = servers.new("oxigraph")
    report = publish(project, server.store_url, graphs=["graph:inferred", "graph:void"], log=lambda _line: None)
    inferred, void = project.inferred_graph, project.base_iri + "graph/void"
    assert [g.iri for g in report.graphs] == [inferred, void]
    with httpx.Client() as client:
        counts = count_graphs(client, server.query_url, sorted(graph_counts(project)))
    assert {g for g, n in counts.items() if n} == {inferred, void}


@pytest.mark.server
def test_publish_logs_each_graph_with_its_count_and_status(servers: Servers, project: Settings) -> None:
    server = servers.get("oxigraph")
    lines: list[str] = []
    publish(project, server.store_url, log=lines.append)
    assert len(lines) == len(graph_counts(project)) + 1
    assert f"put     {MAIN}  51 triples" in lines[1]
    assert "(HTTP 20" in lines[1]
    assert lines[-1].startswith(f"verified {len(graph_counts(project))} graphs, ")


# -- Failures: one clear line naming the graph and the status, nothing local changed ----------------------------


@pytest.fixture
def unchanged(project: Settings) -> Iterator[None]:
    """Fails the test if the build folder (or anything in the project) changed."""
    before = snapshot(project.root)
    yield
    assert snapshot(project.root) == before, "a failed publication changed local files"


@pytest.mark.server
def test_server_down_names_the_first_graph(project: Settings, unchanged: None) -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    first = sorted(graph_counts(project))[0]
    with pytest.raises(PublishError) as err:
        publish(project, url, log=lambda _line: None)
    assert str(err.value) == (
        f"graph <{first}>: cannot reach the store {url}: connection refused (is the server running?)"
    )


@pytest.mark.server
def test_wrong_password_is_refused_with_401(servers: Servers, project: Settings, unchanged: None) -> None:
    server = servers.get("virtuoso")
    assert isinstance(server, Virtuoso)
    first = sorted(graph_counts(project))[0]
    with pytest.raises(PublishError) as err:
        publish(project, server.store_url, auth=UserPasswordAuth(server.user, "wrong"), log=lambda _line: None)
    message = str(err.value)
    assert message.startswith(f"graph <{first}>: the store refused the credentials: HTTP 401 Unauthorized")
    assert message.endswith("(check the user and password)")
    assert "\n" not in message


@pytest.mark.server
def test_missing_credentials_say_how_to_give_them(servers: Servers, project: Settings, unchanged: None) -> None:
    server = servers.get("virtuoso")
    with pytest.raises(PublishError, match=r"HTTP 401 Unauthorized.*\(give --auth user:password or --token-env VAR\)$"):
        publish(project, server.store_url, log=lambda _line: None)


def test_a_rejected_graph_is_named_with_the_status_and_the_servers_message(
    fake: FakeStore, project: Settings, unchanged: None
) -> None:
    void = project.base_iri + "graph/void"
    fake.reject[void] = (400, "Parse error on line 3: unexpected '}'")
    graphs = sorted(graph_counts(project))
    with pytest.raises(PublishError) as err:
        publish(project, fake.store_url, log=lambda _line: None)
    done = graphs.index(void)
    assert str(err.value) == (
        f"graph <{void}>: the store rejected it: HTTP 400 Bad Request: Parse error on line 3: "
        f"unexpected '}}' ({done} of {len(graphs)} graphs were already replaced: "
        "publish again to finish)"
    )
    assert fake.puts == graphs[:done]


def test_a_server_error_is_named_too(fake: FakeStore, project: Settings, unchanged: None) -> None:
    first = sorted(graph_counts(project))[0]
    fake.reject[first] = (503, "<html><body><h1>Service Unavailable</h1><p>try later</p></body></html>")
    with pytest.raises(PublishError) as err:
        publish(project, fake.store_url, log=lambda _line: None)
    assert str(err.value) == f"graph <{first}>: the store rejected it: HTTP 503 Service Unavailable: try later"
    # the server's own words, without its markup or a second copy of the status


@pytest.mark.server
def test_a_real_server_rejecting_a_malformed_body(servers: Servers) -> None:
    server = servers.get("oxigraph")
    with httpx.Client() as client, pytest.raises(PublishError) as err:
        put_graph(client, server.store_url, MAIN, b"<http://a> <http://b> .\n")
    message = str(err.value)
    assert message.startswith(f"graph <{MAIN}>: the store rejected it: HTTP 400 Bad Request: ")
    assert len(message) < 400 and "\n" not in message


@pytest.mark.server
def test_verification_names_the_graph_that_differs(servers: Servers, project: Settings) -> None:
    server = servers.new("oxigraph")
    assert isinstance(server, Oxigraph)
    report = publish(project, server.store_url, log=lambda _line: None)
    server.update(f"DELETE WHERE {{ GRAPH <{MAIN}> {{ <https://w3id.org/summitkg/id/fx-beta> ?p ?o }} }}")
    with httpx.Client() as client, pytest.raises(PublishError) as err:
        verify(client, server.query_url, report.verified)
    n = report.verified[MAIN]
    assert str(err.value) == (
        f"verification failed: graph <{MAIN}> has {n - 2} triples on the store but {n} in the build"
    )


def test_publish_fails_when_the_store_reports_other_counts(fake: FakeStore, project: Settings) -> None:
    fake.miscount[MAIN] = 3
    with pytest.raises(PublishError, match=rf"^verification failed: graph <{MAIN}> has 3 triples on the store but 51 "):
        publish(project, fake.store_url, log=lambda _line: None)


def test_basic_auth_is_used_when_the_server_asks_for_it(fake: FakeStore, project: Settings) -> None:
    fake.basic = ("publisher", "pa:ss")
    publish(project, fake.store_url, auth=make_auth("publisher:pa:ss"), log=lambda _line: None)
    first, *rest = fake.authorizations
    assert first == ""  # the first request learns the scheme from the server's challenge
    assert set(rest) == {"Basic cHVibGlzaGVyOnBhOnNz"}
    assert len(rest) == len(graph_counts(project)) + 1  # every PUT and the count query, each once


def test_unknown_graph_and_unknown_endpoint_layout(project: Settings) -> None:
    with pytest.raises(KgError, match=r"no graph named <https://w3id.org/summitkg/graph/nope> in the build \(it has: "):
        publish(project, "http://127.0.0.1:9/store", graphs=["graph:nope"])
    with pytest.raises(
        KgError,
        match=r"cannot tell the SPARQL query endpoint of http://127\.0\.0\.1:9/rdf: give it "
        r"with --query-endpoint URL",
    ):
        publish(project, "http://127.0.0.1:9/rdf")


def test_a_stale_build_is_not_published(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project")
    trig = settings.graph_dir / "fixture.trig"
    trig.write_text(trig.read_text(encoding="utf-8").replace('"Beta"@en', '"Beta!"@en'), encoding="utf-8")
    with pytest.raises(StaleBuildError, match="older than its sources"):
        publish(settings, "http://127.0.0.1:9/store")


def test_credentials_from_the_command_line_or_the_environment() -> None:
    assert make_auth(None, None) is None
    assert isinstance(make_auth("user", None, environ={"KG_STORE_PASSWORD": "pw"}), UserPasswordAuth)
    with pytest.raises(KgError, match="give user:password, or set KG_STORE_PASSWORD"):
        make_auth("user", None, environ={})
    with pytest.raises(KgError, match="the environment variable KG_TOKEN is not set or empty"):
        make_auth(None, "KG_TOKEN", environ={})
    with pytest.raises(KgError, match="not both"):
        make_auth("a:b", "KG_TOKEN")
    assert query_endpoint_for("http://h:3030/ds/data") == "http://h:3030/ds/sparql"


# -- The command line ------------------------------------------------------------------------------------------


@pytest.fixture
def cli_env(project: Settings, monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[int, str, str]]:
    monkeypatch.setenv("KG_ROOT", str(project.root))
    monkeypatch.setenv("KG_BUILD_DIR", str(project.build_dir))
    monkeypatch.delenv("KG_BASE_IRI", raising=False)

    def run(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_kg_publish_with_a_token_from_the_environment(
    fake: FakeStore,
    cli_env: Callable[..., tuple[int, str, str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    project: Settings,
) -> None:
    fake.token = "t0ken"
    monkeypatch.setenv("STORE_TOKEN", "t0ken")
    code, out, err = cli_env(
        "publish",
        "--store",
        fake.store_url,
        "--query-endpoint",
        fake.query_url,
        "--token-env",
        "STORE_TOKEN",
        capsys=capsys,
    )
    assert (code, err) == (0, "")
    assert f"graphs, {sum(graph_counts(project).values())} triples to {fake.store_url}" in out.splitlines()[-1]
    assert set(fake.authorizations) == {"Bearer t0ken"}

    monkeypatch.setenv("STORE_TOKEN", "stale")
    code, out, err = cli_env(
        "publish",
        "--store",
        fake.store_url,
        "--query-endpoint",
        fake.query_url,
        "--token-env",
        "STORE_TOKEN",
        capsys=capsys,
    )
    first = sorted(graph_counts(project))[0]
    assert code == 1
    assert err == (
        f"kg publish: graph <{first}>: the store refused the credentials: HTTP 401 Unauthorized: "
        "invalid token (check the token)\n"
    )


def test_kg_publish_needs_a_store_or_a_folder(
    cli_env: Callable[..., tuple[int, str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = cli_env("publish", capsys=capsys)
    assert code == 1 and "give --store URL" in err


# -- Bulk-load files -------------------------------------------------------------------------------------------


def test_bulk_files_hold_each_graph_sorted_and_are_byte_identical_each_time(project: Settings, tmp_path: Path) -> None:
    one = write_bulk(project, tmp_path / "one", log=lambda _line: None)
    write_bulk(project, tmp_path / "two", log=lambda _line: None)
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "two").iterdir())
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    assert "graph-inferred.nq.gz" in names and "ontology.nq.gz" in names and BULK_MANIFEST in names
    for f in one.files:
        assert (tmp_path / "one" / f["file"]).read_bytes()[4:8] == b"\0\0\0\0"  # gzip MTIME is zero
    store = open_store(project)
    for f in one.files:
        built = list(store.quads_for_pattern(None, None, None, ox.NamedNode(f["graph"])))
        data = gzip.decompress((tmp_path / "one" / f["file"]).read_bytes())
        assert data == serialize(built, "nquads", project)  # the build's quads of that graph, sorted
        assert {q.graph_name for q in ox.parse(data, ox.RdfFormat.N_QUADS)} == {ox.NamedNode(f["graph"])}
    assert {f["graph"]: f["triples"] for f in one.files} == graph_counts(project)


def test_bulk_removes_the_files_of_graphs_it_no_longer_writes(project: Settings, tmp_path: Path) -> None:
    write_bulk(project, tmp_path, log=lambda _line: None)
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    write_bulk(project, tmp_path, graphs=["graph:fx-main"], log=lambda _line: None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph-fx-main.nq.gz", BULK_MANIFEST, "notes.txt"]


def test_kg_publish_bulk(
    cli_env: Callable[..., tuple[int, str, str]], capsys: pytest.CaptureFixture[str], tmp_path: Path, project: Settings
) -> None:
    code, out, err = cli_env("publish", "--bulk", str(tmp_path / "bulk"), capsys=capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1].startswith(f"wrote {len(graph_counts(project))} bulk-load files")


@pytest.mark.server
def test_bulk_files_load_into_oxigraph_with_oxigraph_load(project: Settings, tmp_path: Path) -> None:
    report = write_bulk(project, tmp_path / "bulk", log=lambda _line: None)
    files = [str(tmp_path / "bulk" / f["file"]) for f in report.files]
    subprocess.run(
        [str(OXIGRAPH), "load", "--location", str(tmp_path / "data"), "--file", *files],
        check=True,
        capture_output=True,
        timeout=120,
    )
    server = Oxigraph(tmp_path / "data")
    try:
        with httpx.Client() as client:
            verify(client, server.query_url, graph_counts(project))
        text = find_query(project, "fx-members").bind({}, project.prefixes)
        assert remote_answer(server, project, text) == local_answer(project, text, server)
    finally:
        server.stop()


@pytest.mark.server
def test_bulk_files_load_into_virtuoso_with_ld_dir(project: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "bulk"
    write_bulk(project, folder, log=lambda _line: None)
    server = Virtuoso(tmp_path / "db", allowed=folder)
    try:
        server.isql(
            f"ld_dir('{folder}', '*.nq.gz', 'https://w3id.org/summitkg/graph/unnamed');",
            "rdf_loader_run();",
            "checkpoint;",
        )
        loaded = server.isql("SELECT ll_file, ll_state, ll_error FROM DB.DBA.load_list;")
        assert loaded.count(".nq.gz") == len(graph_counts(project)), loaded
        failed = server.isql("SELECT COUNT(*) FROM DB.DBA.load_list WHERE ll_state <> 2 OR ll_error IS NOT NULL;")
        assert failed.split() == ["0"], loaded
        with httpx.Client() as client:
            verify(client, server.query_url, graph_counts(project))
        text = find_query(project, "fx-members").bind({}, project.prefixes)
        assert remote_answer(server, project, text) == local_answer(project, text, server)
    finally:
        server.stop()


@pytest.mark.server
def test_kg_publish_to_virtuoso_with_digest_credentials(
    servers: Servers,
    cli_env: Callable[..., tuple[int, str, str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    project: Settings,
) -> None:
    server = servers.get("virtuoso")
    assert isinstance(server, Virtuoso)
    monkeypatch.setenv("KG_STORE_PASSWORD", server.password)
    code, out, err = cli_env("publish", "--store", server.store_url, "--auth", server.user, capsys=capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == len(graph_counts(project)) + 2
    assert lines[-1].endswith("counts verified") and f"to {server.store_url} in " in lines[-1]
