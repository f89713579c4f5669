"""Safe by default, each guarantee proven: read-only, no federation unless enabled, a time limit that really
stops the query, a cap on answers and on requests, CORS as configured, no file outside the static folder,
and no stack trace or 500 for bad input."""

from __future__ import annotations

import http.server
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import httpx
import pytest
from serve_fixtures import SLOW_QUERY, real_server, serve_client
from starlette.testclient import TestClient

SPARQL_QUERY = {"Content-Type": "application/sparql-query"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with serve_client(
        tmp_path_factory.mktemp("safety"), timeout=1.0, max_result_bytes=4000, max_request_bytes=2000
    ) as c:
        yield c


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A SPARQL endpoint on loopback that records every request and answers one row."""

    seen: ClassVar[list[str]] = []

    def _answer(self) -> None:
        type(self).seen.append(self.path)
        body = json.dumps(
            {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "remote"}}]}}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def remote() -> Iterator[str]:
    _Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


# -- federation --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        "ASK {{ ?s ?p ?o . SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ],
)
def test_service_is_refused_by_default(client: TestClient, remote: str, template: str) -> None:
    r = client.get("/sparql", params={"query": template.format(url=remote)})
    assert r.status_code == 403
    assert "--allow-federation" in r.text
    assert _Recorder.seen == [], "the server must not have fetched anything"


def test_the_word_service_in_a_string_is_not_federation(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": 'SELECT ?service WHERE { BIND("SERVICE <http://x/>" AS ?service) }'})
    assert r.status_code == 200


def test_service_runs_when_enabled(tmp_path: Path, remote: str) -> None:
    with serve_client(tmp_path, allow_federation=True) as c:
        r = c.get("/sparql", params={"query": f"SELECT ?x WHERE {{ SERVICE <{remote}> {{ ?x ?p ?o }} }}"})
        assert r.status_code == 200, r.text
        assert r.json()["results"]["bindings"] == [{"x": {"type": "literal", "value": "remote"}}]
        assert len(_Recorder.seen) == 1


# -- time limit --------------------------------------------------------------------------------------------


def test_a_slow_query_is_stopped_with_503(client: TestClient) -> None:
    pool = client.app.state.kg.pool  # type: ignore[attr-defined]
    before = set(pool.pids())
    started = time.monotonic()
    r = client.get("/sparql", params={"query": SLOW_QUERY})
    elapsed = time.monotonic() - started
    assert r.status_code == 503
    assert "limit of 1 s" in r.text
    assert elapsed < 5
    # the worker that ran it was ended, not left computing
    deadline = time.monotonic() + 10
    while set(pool.pids()) >= before and time.monotonic() < deadline:
        time.sleep(0.05)
    gone = before - set(pool.pids())
    assert len(gone) == 1
    for pid in gone:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    # and the server goes on answering
    ok = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert ok.status_code == 200 and ok.json()["boolean"] is True


def test_a_timed_out_answer_is_not_cached(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SLOW_QUERY + " # again"})
    assert r.status_code == 503
    assert "etag" not in r.headers


# -- size limits -------------------------------------------------------------------------------------------


def test_an_answer_over_the_cap_is_an_error_not_a_truncated_200(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"})
    assert r.status_code == 422
    assert "limit of 4000 bytes" in r.text
    small = client.get("/sparql", params={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 2"})
    assert small.status_code == 200 and len(small.json()["results"]["bindings"]) == 2


def test_a_graph_over_the_cap_is_an_error(client: TestClient) -> None:
    r = client.get("/store?default", headers={"Accept": "application/n-triples"})
    assert r.status_code == 422


def test_a_request_body_over_the_cap_is_413(client: TestClient) -> None:
    big = "ASK {}" + " " * 3000
    assert client.post("/sparql", content=big, headers=SPARQL_QUERY).status_code == 413
    assert client.post("/sparql", data={"query": big}).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(10):
            yield b" " * 500

    r = client.post("/sparql", content=chunks(), headers=SPARQL_QUERY)
    assert r.status_code == 413


def test_a_query_string_over_the_cap_is_414(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "ASK {}" + " " * 3000})
    assert r.status_code == 414


# -- CORS --------------------------------------------------------------------------------------------------


def test_cors_is_open_for_reads_by_default(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://elsewhere.example"})
    assert r.headers["access-control-allow-origin"] == "*"
    pre = client.options(
        "/sparql",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert pre.status_code == 200
    assert "POST" in pre.headers["access-control-allow-methods"]
    assert "PUT" not in pre.headers["access-control-allow-methods"]


def test_cors_can_be_restricted_or_turned_off(tmp_path: Path) -> None:
    with serve_client(tmp_path / "a", cors_origins=("https://app.example",)) as c:
        ok = c.get("/sparql?query=ASK%7B%7D", headers={"Origin": "https://app.example"})
        assert ok.headers["access-control-allow-origin"] == "https://app.example"
        other = c.get("/sparql?query=ASK%7B%7D", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
    with serve_client(tmp_path / "b", cors_origins=()) as c:
        r = c.get("/sparql?query=ASK%7B%7D", headers={"Origin": "https://app.example"})
        assert "access-control-allow-origin" not in r.headers


# -- files -------------------------------------------------------------------------------------------------

TRAVERSALS = [
    "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
    "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/..%2f..%2f..%2fpyproject.toml",
    "/static/%2E%2E/app.py",
    "/static/..%5c..%5capp.py",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/query.js%00.css",
    "/static/",
    "/queries/..%2f..%2fpyproject",
    "/queries/%2e%2e",
    "/id/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_file_outside_the_static_folder(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404, r.text[:200]
    assert "[project]" not in r.text and "root:" not in r.text and "import" not in r.text


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with real_server(tmp_path_factory.mktemp("raw")) as url:
        yield url


def raw_get(url: str, path: str) -> bytes:
    """Send ``GET path`` byte for byte, as no well-behaved client would (no normalization of ``..``)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


@pytest.mark.parametrize(
    "path", ["/static/../../../pyproject.toml", "/static/../app.py", "/static/./../app.py", *TRAVERSALS]
)
def test_no_file_outside_the_static_folder_over_a_raw_socket(server: str, path: str) -> None:
    answer = raw_get(server, path)
    status = int(answer.split(b" ", 2)[1])
    assert status in (400, 404), answer[:300]
    assert b"[project]" not in answer and b"import " not in answer


def test_a_file_inside_the_static_folder_is_served_over_a_raw_socket(server: str) -> None:
    answer = raw_get(server, "/static/style.css")
    assert answer.startswith(b"HTTP/1.1 200")


# -- no 500s, no stack traces ------------------------------------------------------------------------------

MALFORMED = [
    "SELECT",
    "ASK {",
    "SELECT * WHERE { ?s ?p }",
    "SELEKT * {}",
    "}{",
    "\x00",
    "SELECT * { " * 50,
    "PREFIX : <bad iri> SELECT * {}",
    "SELECT * { ?s <http://a b> ?o }",
    "INSERT DATA { <a:b> <a:c> <a:d> }",
    'SELECT * { FILTER("unterminated) }',
    "SELECT ?x WHERE { BIND(1 AS ?x) BIND(2 AS ?x) }",
]


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_queries_are_400_with_the_parsers_message(client: TestClient, query: str) -> None:
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 400, r.text
    assert r.text.startswith("SPARQL syntax error: error at ") or "UTF-8" in r.text


def test_an_internal_error_shows_no_stack_trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.serve.app

    def broken(*args: object) -> object:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(kg.serve.app, "describe", broken)
    settings_root = tmp_path
    with serve_client(settings_root) as c:
        quiet = TestClient(c.app, raise_server_exceptions=False)
        r = quiet.get("/id/csc-2024")
        assert r.status_code == 500
        assert "secret internals" not in r.text and "Traceback" not in r.text


def test_oversized_requests_over_real_http(tmp_path: Path) -> None:
    """Through the real HTTP stack (not the in-process test client): a GET URL too long for the HTTP layer gets a
    4xx, a POST body over --max-request-bytes gets 413, and the server goes on answering."""
    with real_server(tmp_path, "--max-request-bytes", "200000") as url:
        padding = "#" + "x" * 100_000 + "\n"
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:  # httpx refuses such URLs itself
            sock.sendall(f"GET /sparql?query={'x' * 100_000} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            status_line = sock.recv(4096).split(b"\r\n", 1)[0]
        assert status_line.startswith(b"HTTP/1.1 4"), status_line
        big_post = httpx.post(
            url + "/sparql",
            content=("#" + "x" * 300_000 + "\nASK {}").encode(),
            headers={"Content-Type": "application/sparql-query"},
            timeout=10,
        )
        assert big_post.status_code == 413
        ok = httpx.post(
            url + "/sparql",
            content=(padding + "ASK {}").encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
            timeout=10,
        )
        assert ok.status_code == 200 and ok.json()["boolean"] is True
