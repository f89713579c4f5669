"""Real triple stores for the tests, started and stopped by the tests on free loopback ports.

- :class:`Oxigraph`: the ``oxigraph`` server from PyPI (installed in the venv by the ``test`` extra).
- :class:`Virtuoso`: Virtuoso open source from Debian (``scripts/setup.sh --test`` installs
  ``virtuoso-opensource``), with its own ``virtuoso.ini`` and database folder, a publishing user with the
  ``SPARQL_UPDATE`` role for the digest-protected Graph Store endpoint, and a random ``dba`` password.
- :class:`FakeStore`: a Graph Store endpoint in a thread that answers as told (reject a graph, want a token,
  miscount), for the failures a real server will not produce on demand.

Readiness is waited for with a bounded loop; a server that does not come up fails the test with its log.
"""

from __future__ import annotations

import base64
import json
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pyoxigraph as ox
import pytest
from publish_fixtures import term_key, virtuoso_term

from kg.publish import UserPasswordAuth

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(
    check: Callable[[], bool], what: str, proc: subprocess.Popen[bytes] | None, log: Path | None, timeout: float = 60.0
) -> None:
    """Poll ``check`` until it is true, for at most ``timeout`` seconds; fail with the server's log otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            break
        try:
            if check():
                return
        except (httpx.HTTPError, OSError):
            pass
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
    state = f"exited with {proc.returncode}" if proc is not None and proc.poll() is not None else "not ready"
    pytest.fail(f"{what} {state} after {timeout:g} s:\n{tail}")


def _stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextmanager
def _stopped_on_failure(proc: subprocess.Popen[bytes]) -> Iterator[None]:
    """Stop a server that did not come up, so that a failed start leaves no process behind."""
    try:
        yield
    except BaseException:
        _stop(proc)
        raise


class Oxigraph:
    """``oxigraph serve`` on a free loopback port, with its data in ``location``."""

    #: Oxigraph answers with the same rows, duplicates included, as the embedded store (the same engine).
    multiset = True

    def __init__(self, location: Path, *, union_default_graph: bool = False) -> None:
        if not OXIGRAPH.exists():
            pytest.fail(f"{OXIGRAPH} is missing: install the test extra (pip install -e '.[test]')")
        self.location = location
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.store_url = self.base + "/store"
        self.query_url = self.base + "/query"
        self.update_url = self.base + "/update"
        self.log = location.with_name(location.name + ".log")
        args = [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"]
        if union_default_graph:
            args.append("--union-default-graph")
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
        with _stopped_on_failure(self.proc):
            wait_for(
                lambda: httpx.get(self.query_url, params={"query": "ASK {}"}, timeout=2).status_code == 200,
                "oxigraph serve",
                self.proc,
                self.log,
            )

    @property
    def auth(self) -> httpx.Auth | None:
        """Oxigraph's server has no authentication."""
        return None

    @staticmethod
    def key(term: ox.Term | None) -> ox.Term | None:
        """Terms come back from Oxigraph exactly as sent (blank nodes aside)."""
        return term_key(term)

    def update(self, sparql: str) -> None:
        httpx.post(self.update_url, data={"update": sparql}, timeout=30).raise_for_status()

    def stop(self) -> None:
        _stop(self.proc)


VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping        = 0

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
CheckpointInterval = 60
CaseMode           = 2
DirsAllowed        = ., {dir}, {allowed}
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
VADInstallDir      = /usr/share/virtuoso-opensource-7/vad/

[HTTPServer]
ServerPort    = 127.0.0.1:{http_port}
ServerRoot    = {dir}/www
ServerThreads = 10
Charset       = UTF-8

[SPARQL]
ResultSetMaxRows      = 100000
MaxQueryExecutionTime = 120
"""


class Virtuoso:
    """``virtuoso-t`` in the foreground with its own ``virtuoso.ini`` and database in ``folder``.

    ``user``/``password`` may write through the digest-protected ``/sparql-graph-crud-auth``; ``/sparql``
    answers queries without credentials. ``allowed`` is a folder the server may read bulk-load files from.
    """

    #: Answers are compared as sets of rows, not multisets: Virtuoso evaluates an alternative path ``p|q`` as a
    #: UNION and returns a row once for each alternative that matches, where Oxigraph returns it once
    #: (docs/triple-store.md, "Known differences"; seen in queries/signed-documents.rq).
    multiset = False

    def __init__(self, folder: Path, *, allowed: Path | None = None) -> None:
        if not VIRTUOSO or not ISQL:
            pytest.fail(
                "virtuoso-t or isql-vt is missing: scripts/setup.sh --test installs the Debian package "
                "virtuoso-opensource"
            )
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "www").mkdir(exist_ok=True)
        self.folder = folder
        self.sql_port = free_port()
        self.http_port = free_port()
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.store_url = self.base + "/sparql-graph-crud-auth"
        self.query_url = self.base + "/sparql"
        self.user = "kgpublish"
        self.password = secrets.token_hex(8)
        self._dba = "dba"
        ini = folder / "virtuoso.ini"
        ini.write_text(
            VIRTUOSO_INI.format(
                dir=folder, sql_port=self.sql_port, http_port=self.http_port, allowed=allowed or folder
            ),
            encoding="utf-8",
        )
        self.log = folder / "virtuoso.log"
        with (folder / "stdout.log").open("wb") as out:
            self.proc = subprocess.Popen(
                [VIRTUOSO, "+foreground", "+configfile", str(ini)], cwd=folder, stdout=out, stderr=subprocess.STDOUT
            )
        with _stopped_on_failure(self.proc):
            wait_for(
                lambda: httpx.get(self.query_url, params={"query": "ASK {}"}, timeout=2).status_code == 200,
                "virtuoso-t",
                self.proc,
                self.log,
                timeout=90,
            )
            new_dba = secrets.token_hex(8)
            self.isql(
                f"DB.DBA.USER_CREATE('{self.user}', '{self.password}');",
                f'GRANT SPARQL_UPDATE TO "{self.user}";',
                f"USER_SET_PASSWORD('dba', '{new_dba}');",
            )
            self._dba = new_dba

    @property
    def auth(self) -> httpx.Auth:
        """The publishing user's credentials (Virtuoso asks for HTTP Digest)."""
        return UserPasswordAuth(self.user, self.password)

    @staticmethod
    def key(term: ox.Term | None) -> ox.Term | None:
        """Terms as compared with the build: see :func:`publish_fixtures.virtuoso_term`."""
        return virtuoso_term(term)

    def isql(self, *statements: str, timeout: float = 120) -> str:
        """Run SQL statements as ``dba`` with ``isql-vt``; a statement that fails fails the test."""
        assert ISQL
        script = "\n".join(statements) + "\n"
        done = subprocess.run(
            [
                ISQL,
                f"127.0.0.1:{self.sql_port}",
                "dba",
                self._dba,
                "VERBOSE=OFF",
                "BANNER=OFF",
                "PROMPT=OFF",
                "ERRORS=STDOUT",
            ],
            input=script.encode(),
            capture_output=True,
            timeout=timeout,
        )
        out = done.stdout.decode(errors="replace")
        if done.returncode != 0 or "*** Error" in out:
            pytest.fail(f"isql failed ({done.returncode}):\n{script}\n{out}\n{done.stderr.decode(errors='replace')}")
        return out

    def stop(self) -> None:
        _stop(self.proc)


class FakeStore:
    """A Graph Store and SPARQL endpoint in a thread, for failures on demand.

    It keeps the triple count of every graph PUT to ``/store`` (one line of N-Triples is one triple) and answers
    the COUNT query on ``/query`` from them. ``reject`` maps a graph IRI to (status, message); ``token``, when
    set, is the bearer token it wants; ``basic`` a ``(user, password)`` it wants with HTTP Basic;
    ``miscount`` maps a graph IRI to the count it reports instead; ``answer`` is (body, media type) to answer
    every query with.
    """

    def __init__(self) -> None:
        self.graphs: dict[str, int] = {}
        self.puts: list[str] = []
        self.reject: dict[str, tuple[int, str]] = {}
        self.token: str | None = None
        self.basic: tuple[str, str] | None = None
        self.miscount: dict[str, int] = {}
        self.answer: tuple[bytes, str] | None = None
        self.authorizations: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _reply(
                self,
                status: int,
                body: bytes = b"",
                ctype: str = "text/plain; charset=utf-8",
                headers: dict[str, str] | None = None,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def _authorized(self) -> bool:
                got = self.headers.get("Authorization", "")
                fake.authorizations.append(got)
                if fake.token is not None and got != f"Bearer {fake.token}":
                    self._reply(401, b"invalid token", headers={"WWW-Authenticate": 'Bearer realm="fake"'})
                    return False
                if fake.basic is not None:
                    want = "Basic " + base64.b64encode(":".join(fake.basic).encode()).decode()
                    if got != want:
                        self._reply(401, b"who are you?", headers={"WWW-Authenticate": 'Basic realm="fake"'})
                        return False
                return True

            def do_PUT(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if not self._authorized():
                    return
                graph = parse_qs(urlsplit(self.path).query).get("graph", [""])[0]
                if graph in fake.reject:
                    status, message = fake.reject[graph]
                    self._reply(status, message.encode())
                    return
                created = graph not in fake.graphs
                fake.graphs[graph] = sum(1 for line in body.splitlines() if line.strip())
                fake.puts.append(graph)
                self._reply(201 if created else 204)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                if not self._authorized():
                    return
                query = parse_qs(body).get("query", [""])[0]
                if fake.answer is not None:
                    self._reply(200, *fake.answer)
                    return
                if "COUNT" not in query:
                    self._reply(400, b"this fake endpoint only counts")
                    return
                rows = [
                    {
                        "g": {"type": "uri", "value": g},
                        "n": {
                            "type": "literal",
                            "value": str(fake.miscount.get(g, n)),
                            "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                        },
                    }
                    for g, n in fake.graphs.items()
                    if f"<{g}>" in query
                ]
                doc = {"head": {"vars": ["g", "n"]}, "results": {"bindings": rows}}
                self._reply(200, json.dumps(doc).encode(), "application/sparql-results+json")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.store_url = self.base + "/store"
        self.query_url = self.base + "/query"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


Server = Oxigraph | Virtuoso


class Servers:
    """Servers a test module starts: one shared per kind (``get``) and fresh ones (``new``), all stopped after."""

    def __init__(self, tmp: pytest.TempPathFactory) -> None:
        self.tmp = tmp
        self.shared: dict[str, Server] = {}
        self.started: list[Server] = []

    def new(self, kind: str, *, union_default_graph: bool = False) -> Server:
        folder = self.tmp.mktemp(kind)
        server: Server
        if kind == "oxigraph":
            server = Oxigraph(folder / "data", union_default_graph=union_default_graph)
        else:
            server = Virtuoso(folder / "db")
        self.started.append(server)
        return server

    def get(self, kind: str) -> Server:
        if kind not in self.shared:
            self.shared[kind] = self.new(kind)
        return self.shared[kind]

    def stop(self) -> None:
        for s in self.started:
            s.stop()


@pytest.fixture(scope="module", name="servers")
def servers_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """The module's servers (import this fixture into a test module to use it)."""
    pool = Servers(tmp_path_factory)
    yield pool
    pool.stop()


@pytest.fixture(name="fake")
def fake_fixture() -> Iterator[FakeStore]:
    """A :class:`FakeStore` for one test."""
    server = FakeStore()
    yield server
    server.stop()
