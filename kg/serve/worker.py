"""Queries run in worker processes, so that a query past its time limit can really be stopped.

pyoxigraph evaluates a query in Rust with no way to interrupt it; a thread that overran would keep a core busy
until it finished. Each worker process holds the store open read-only and answers one :class:`Job` at a time
with the complete, serialized answer (an :class:`Outcome`), so the server never sends a truncated 200. When a
job overruns, its worker is ended and replaced. A worker re-opens the store when the job names a newer build.

The worker side imports pyoxigraph and the standard library only.
"""

from __future__ import annotations

import contextlib
import io
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from kg.query import RDF_FORMATS, RESULT_FORMATS
from kg.sparqltext import has_dataset_clause, syntax_error_message

__all__ = ["Job", "Outcome", "QueryPool", "execute"]

#: The folder that holds the ``kg`` package, put on the workers' path.
_SRC = str(Path(__file__).resolve().parents[2])


@dataclass(frozen=True)
class Job:
    """One query to run: the text, its dataset, the formats negotiated for each kind of answer."""

    build_id: str
    query: str
    prefixes: dict[str, str]
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    has_dataset: bool = False
    #: format names (``kg.query.RESULT_FORMATS`` / ``RDF_FORMATS`` keys); ``None`` when none is acceptable
    tabular: str | None = "json"
    graph: str | None = "turtle"
    max_bytes: int = 64 * 1024 * 1024
    not_acceptable: str = ""
    #: IRI that relative IRIs in the query resolve against (the endpoint's URL)
    base_iri: str | None = None


@dataclass(frozen=True)
class Outcome:
    """A complete answer: status, the format written (or ``None`` for an error) and the bytes or message."""

    status: int
    format: str | None
    body: bytes
    kind: str = ""

    @property
    def message(self) -> str:
        return self.body.decode("utf-8", "replace")


class ResultTooLarge(Exception):
    """Raised by :class:`_CappedBuffer` to stop serializing an answer that went past the size limit."""


class _CappedBuffer(io.RawIOBase):
    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        self.size += len(data)
        if self.size > self.limit:
            raise ResultTooLarge
        self.parts.append(data)
        return len(data)

    def value(self) -> bytes:
        return b"".join(self.parts)


def _error(status: int, message: str, kind: str = "") -> Outcome:
    return Outcome(status, None, message.encode("utf-8"), kind)


def execute(store: ox.Store, job: Job) -> Outcome:
    """Run ``job`` on ``store`` and serialize the whole answer (in the calling process)."""
    options: dict[str, Any] = {"prefixes": job.prefixes, "base_iri": job.base_iri}
    if job.has_dataset:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    elif not has_dataset_clause(job.query):
        # the endpoint's default graph is the union of the named graphs; a FROM clause in the query wins
        options["use_default_graph_as_union"] = True
    try:
        result = store.query(job.query, **options)
    except SyntaxError as exc:
        return _error(400, syntax_error_message(exc, job.query, job.prefixes))
    except OSError as exc:
        return _error(502 if "http" in str(exc).lower() else 500, f"query failed: {exc}")
    kind = (
        "graph"
        if isinstance(result, ox.QueryTriples)
        else ("boolean" if isinstance(result, ox.QueryBoolean) else "tabular")
    )
    fmt = job.graph if kind == "graph" else job.tabular
    if fmt is None:
        return _error(406, f"a {kind} answer cannot be written in any acceptable format; {job.not_acceptable}", kind)
    out = _CappedBuffer(job.max_bytes)
    try:
        if isinstance(result, ox.QueryTriples):
            kw = {"prefixes": job.prefixes} if fmt in ("turtle", "trig", "xml") else {}
            ox.serialize(result, out, RDF_FORMATS[fmt][0], **kw)  # type: ignore[arg-type]
        else:
            result.serialize(cast("IO[bytes]", out), RESULT_FORMATS[fmt][0])
    except ResultTooLarge:
        return _error(
            422,
            f"the answer is larger than this server's limit of {job.max_bytes} bytes: add a LIMIT or narrow the query",
            kind,
        )
    except OSError as exc:
        return _error(502 if "http" in str(exc).lower() else 500, f"query failed: {exc}", kind)
    return Outcome(200, fmt, out.value(), kind)


def worker_main(conn: Connection, store_dir: str) -> None:
    """A worker process: answer jobs from ``conn`` until the server closes it."""
    store: ox.Store | None = None
    build_id: str | None = None
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if store is None or job.build_id != build_id:
                store = ox.Store.read_only(store_dir)
                build_id = job.build_id
            outcome = execute(store, job)
        except Exception as exc:  # the worker must answer, whatever happened
            outcome = _error(500, f"internal error: {type(exc).__name__}: {exc}")
        conn.send(outcome)


class _Worker:
    """One worker process, started as ``python -m kg.serve.worker FD STORE`` with one end of a socket pair.

    A plain subprocess rather than :mod:`multiprocessing`, so that the worker never re-imports the program
    that embeds the server (spawn's ``__main__`` fix-up) and never inherits its threads (fork).
    """

    def __init__(self, store_dir: str) -> None:
        parent, child = socket.socketpair()
        fd = child.fileno()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [_SRC, os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg.serve.worker", str(fd), store_dir],
            pass_fds=[fd],
            env=env,
            stdin=subprocess.DEVNULL,
        )
        child.close()
        self.conn = Connection(parent.detach())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self.conn.close()


class QueryPool:
    """A fixed number of worker processes; :meth:`run` blocks (call it from a thread) until the answer is
    complete or the time limit has passed, whichever comes first."""

    def __init__(self, store_dir: str, size: int) -> None:
        self.store_dir = store_dir
        self.size = size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._started = 0
        self._closed = False

    def start(self) -> None:
        """Start the workers now rather than on the first query."""
        with self._lock:
            while self._started < self.size:
                self._idle.put(_Worker(self.store_dir))
                self._started += 1

    def _replace(self) -> None:
        if not self._closed:
            self._idle.put(_Worker(self.store_dir))

    def run(self, job: Job, timeout: float) -> Outcome:
        """The outcome of ``job``, or 503 when no worker was free or the query ran out of time."""
        if self._started < self.size:
            self.start()
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return _error(503, f"all {self.size} query workers stayed busy for {timeout:g} s: try again later")
        try:
            worker.conn.send(job)
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                outcome: Outcome = worker.conn.recv()
                self._idle.put(worker)
                return outcome
        except (EOFError, OSError, BrokenPipeError):
            worker.stop()
            threading.Thread(target=self._replace, daemon=True).start()
            return _error(500, "the query worker stopped unexpectedly; the query was not answered")
        worker.stop()
        threading.Thread(target=self._replace, daemon=True).start()
        return _error(
            503,
            f"the query ran longer than this server's limit of {timeout:g} s and was stopped: narrow it or add a LIMIT",
        )

    def pids(self) -> list[int]:
        """Process ids of the idle workers (for tests and monitoring)."""
        with self._idle.mutex:
            return [w.process.pid for w in self._idle.queue]

    def close(self) -> None:
        """End every worker."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                break


if __name__ == "__main__":
    # run the copy imported as kg.serve.worker, so answers pickle as kg.serve.worker.Outcome, not __main__'s
    from kg.serve import worker

    worker.worker_main(Connection(int(sys.argv[1])), sys.argv[2])
