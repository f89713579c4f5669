"""Publishing the build to a triple store: each named graph replaced whole, then verified by counting.

Any server that speaks the SPARQL 1.1 Graph Store HTTP Protocol will do: every built graph (the ontology, the
data graphs, the inferred graph and the dataset description) is sent with ``PUT <store>?graph=<iri>`` as
N-Triples, which replaces the graph on the server. Then one SPARQL ``COUNT`` query on the server's query
endpoint checks that every graph holds as many triples there as in the build, or the publication fails naming
the graphs that differ. Publishing the same build again sends the same bytes and changes nothing.

Publishing reads the build and writes nothing locally; an error (server down, credentials refused, data
rejected) is one line naming the graph and the HTTP status. For graphs too large to send over HTTP,
:func:`write_bulk` writes gzipped N-Quads, one file per graph, for a store's own bulk loader
(docs/triple-store.md has the commands for Oxigraph, Virtuoso, Apache Jena and QLever).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import os
import re
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from kg.catalog import expand_iri
from kg.config import Settings
from kg.errors import KgError
from kg.export import serialize
from kg.remote import failure_reason, http_error_line
from kg.store import check_fresh, open_store

__all__ = [
    "BULK_MANIFEST",
    "BearerAuth",
    "BulkReport",
    "GraphPublished",
    "PublishError",
    "PublishReport",
    "UserPasswordAuth",
    "count_graphs",
    "make_auth",
    "publish",
    "put_graph",
    "query_endpoint_for",
    "select_graphs",
    "verify",
    "write_bulk",
]

#: Name of the manifest :func:`write_bulk` writes next to the N-Quads files.
BULK_MANIFEST = "manifest.json"
#: Environment variable that holds the password when ``--auth`` gives only a user name.
PASSWORD_ENV = "KG_STORE_PASSWORD"
N_TRIPLES = "application/n-triples; charset=utf-8"

#: Graph Store endpoint path (at the end of the store URL) -> the query endpoint path beside it.
_QUERY_PATHS: tuple[tuple[str, str], ...] = (
    ("/sparql-graph-crud-auth", "/sparql"),  # Virtuoso
    ("/sparql-graph-crud", "/sparql"),  # Virtuoso, without authentication
    ("/store", "/query"),  # Oxigraph server
    ("/data", "/sparql"),  # Apache Jena Fuseki: /{dataset}/data
)


class PublishError(KgError):
    """Publishing failed: the message names the graph and the HTTP status or the count that differs."""


# -- Authentication --------------------------------------------------------------------------------------------


class UserPasswordAuth(httpx.Auth):
    """A user name and password, sent the way the server asks: HTTP Digest or Basic.

    The first request goes out without credentials; the server's 401 challenge says which scheme it wants
    (Virtuoso's ``/sparql-graph-crud-auth`` wants Digest), and later requests use that scheme at once.
    """

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._digest = httpx.DigestAuth(user, password)
        self._basic = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme == "basic":
            request.headers["Authorization"] = self._basic
            yield request
            return
        digest = self._digest.auth_flow(request)
        response = yield next(digest)
        challenges = [h.split(" ", 1)[0].lower() for h in response.headers.get_list("www-authenticate")]
        if response.status_code == 401 and "digest" not in challenges and "basic" in challenges:
            self._scheme = "basic"
            request.headers["Authorization"] = self._basic
            yield request
            return
        try:
            retry = digest.send(response)
        except StopIteration:
            return
        self._scheme = "digest"
        yield retry


class BearerAuth(httpx.Auth):
    """A bearer token in the ``Authorization`` header of every request."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


def make_auth(
    user_password: str | None = None,
    token_env: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> httpx.Auth | None:
    """Credentials from ``--auth user:password`` or ``--token-env VAR``.

    ``--auth user`` alone takes the password from ``KG_STORE_PASSWORD``, which keeps it out of the shell history.

    >>> make_auth(None, None) is None
    True
    >>> type(make_auth("dba:secret")).__name__
    'UserPasswordAuth'
    """
    env = os.environ if environ is None else environ
    if user_password and token_env:
        raise KgError("give --auth or --token-env, not both")
    if user_password:
        user, sep, password = user_password.partition(":")
        if not sep:
            password = env.get(PASSWORD_ENV, "")
            if not password:
                raise KgError(f"--auth {user}: give user:password, or set {PASSWORD_ENV} to the password")
        if not user:
            raise KgError("--auth needs user:password")
        return UserPasswordAuth(user, password)
    if token_env:
        token = env.get(token_env, "").strip()
        if not token:
            raise KgError(f"--token-env {token_env}: the environment variable {token_env} is not set or empty")
        return BearerAuth(token)
    return None


# -- Which graphs, which endpoint ------------------------------------------------------------------------------


def query_endpoint_for(store_url: str) -> str:
    """The SPARQL query endpoint beside a Graph Store endpoint, for the servers whose layout is known.

    >>> query_endpoint_for("http://127.0.0.1:7878/store")
    'http://127.0.0.1:7878/query'
    >>> query_endpoint_for("http://127.0.0.1:8890/sparql-graph-crud-auth")
    'http://127.0.0.1:8890/sparql'
    >>> query_endpoint_for("http://127.0.0.1:3030/summitkg/data")
    'http://127.0.0.1:3030/summitkg/sparql'
    """
    parts = urlsplit(store_url)
    path = parts.path.rstrip("/")
    for suffix, replacement in _QUERY_PATHS:
        if path.endswith(suffix):
            return urlunsplit(parts._replace(path=path[: -len(suffix)] + replacement, query=""))
    raise KgError(f"cannot tell the SPARQL query endpoint of {store_url}: give it with --query-endpoint URL")


def select_graphs(
    settings: Settings, manifest: Mapping[str, Any], graphs: Sequence[str] | None
) -> list[dict[str, Any]]:
    """The manifest entries of the chosen graphs (all by default); a graph not in the build is named."""
    built: list[dict[str, Any]] = list(manifest["graphs"])
    if not graphs:
        return built
    by_iri = {g["iri"]: g for g in built}
    chosen = []
    for name in graphs:
        iri = expand_iri(name, settings.prefixes, what="--graph")
        if iri not in by_iri:
            known = ", ".join(f"<{g}>" for g in sorted(by_iri))
            raise KgError(f"no graph named <{iri}> in the build (it has: {known})")
        if by_iri[iri] not in chosen:
            chosen.append(by_iri[iri])
    return chosen


def _graph_triples(store: ox.Store, iri: str) -> list[ox.Quad]:
    return list(store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))


# -- Graph Store Protocol --------------------------------------------------------------------------------------


def _refused(status: int, auth: httpx.Auth | None) -> str:
    """What to do about a 401: give credentials, or check the ones given."""
    if status != 401:
        return ""
    if auth is None:
        return " (give --auth user:password or --token-env VAR)"
    return " (check the token)" if isinstance(auth, BearerAuth) else " (check the user and password)"


def put_graph(
    client: httpx.Client, store_url: str, iri: str, body: bytes, content_type: str = N_TRIPLES
) -> httpx.Response:
    """Replace graph ``iri`` on the store with ``body`` (Graph Store Protocol PUT, ``?graph=`` identification).

    Raises :class:`PublishError` naming the graph and the HTTP status when the store cannot be reached,
    refuses the credentials or rejects the data.
    """
    try:
        response = client.put(store_url, params={"graph": iri}, content=body, headers={"Content-Type": content_type})
    except httpx.TimeoutException:
        raise PublishError(
            f"graph <{iri}>: the store {store_url} did not answer within {client.timeout.read} s"
        ) from None
    except httpx.HTTPError as exc:
        raise PublishError(f"graph <{iri}>: cannot reach the store {store_url}: {failure_reason(exc)}") from None
    if response.status_code in (401, 403):
        raise PublishError(
            f"graph <{iri}>: the store refused the credentials: {http_error_line(response)}"
            + _refused(response.status_code, client.auth)
        )
    if response.status_code >= 400:
        raise PublishError(f"graph <{iri}>: the store rejected it: {http_error_line(response)}")
    return response


def count_graphs(client: httpx.Client, endpoint: str, iris: Sequence[str]) -> dict[str, int]:
    """Triples per graph on the server, by one SPARQL ``COUNT`` query (a graph the server lacks counts 0)."""
    values = " ".join(f"<{i}>" for i in iris)
    query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    what = "graph <" + iris[0] + ">" if len(iris) == 1 else f"the {len(iris)} published graphs"
    try:
        response = client.post(endpoint, data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    except httpx.HTTPError as exc:
        raise PublishError(
            f"counting {what} on {endpoint}: cannot reach the query endpoint: {failure_reason(exc)}"
        ) from None
    if response.status_code >= 400:
        raise PublishError(f"counting {what} on {endpoint}: the query endpoint answered {http_error_line(response)}")
    try:
        solutions = ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise PublishError(
            f"counting {what} on {endpoint}: the answer is not SPARQL JSON results: {str(exc).splitlines()[0]}"
        ) from None
    counts = dict.fromkeys(iris, 0)
    assert isinstance(solutions, ox.QuerySolutions)
    for row in solutions:
        g, n = row["g"], row["n"]
        if isinstance(g, ox.NamedNode) and isinstance(n, ox.Literal) and g.value in counts:
            counts[g.value] = int(n.value)
    return counts


def verify(client: httpx.Client, endpoint: str, expected: Mapping[str, int]) -> dict[str, int]:
    """Check the triple count of every graph on the server; :class:`PublishError` names each graph that differs."""
    counts = count_graphs(client, endpoint, sorted(expected))
    wrong = [
        f"<{g}> has {counts[g]} triples on the store but {n} in the build"
        for g, n in sorted(expected.items())
        if counts[g] != n
    ]
    if wrong:
        raise PublishError("verification failed: graph " + "; graph ".join(wrong))
    return counts


# -- Publishing ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphPublished:
    """One graph sent to the store."""

    iri: str
    role: str
    triples: int
    bytes: int
    seconds: float
    status: int


@dataclass
class PublishReport:
    """What :func:`publish` did: the graphs sent, their counts on the server, and the time taken."""

    store_url: str
    query_endpoint: str
    build_id: str
    graphs: list[GraphPublished] = field(default_factory=list)
    verified: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)


def publish(
    settings: Settings,
    store_url: str,
    *,
    query_endpoint: str | None = None,
    auth: httpx.Auth | None = None,
    graphs: Sequence[str] | None = None,
    log: Callable[[str], None] = print,
    timeout: float = 120.0,
) -> PublishReport:
    """Replace each built named graph on the store (all, or those named in ``graphs``), then verify the counts.

    ``query_endpoint`` defaults to the one beside ``store_url`` (:func:`query_endpoint_for`). The build must be
    fresh. Nothing local is written; on error a :class:`PublishError` names the graph and the HTTP status, and
    the graphs sent before it stay replaced (publishing again finishes the job).
    """
    started = time.perf_counter()
    manifest = check_fresh(settings)
    chosen = select_graphs(settings, manifest, graphs)
    endpoint = query_endpoint or query_endpoint_for(store_url)
    store = open_store(settings, check=False)
    report = PublishReport(store_url=store_url, query_endpoint=endpoint, build_id=str(manifest["build_id"]))
    expected: dict[str, int] = {}
    with httpx.Client(auth=auth, timeout=timeout) as client:
        for i, entry in enumerate(chosen):
            iri = str(entry["iri"])
            quads = _graph_triples(store, iri)
            body = serialize(quads, "nt", settings)
            t = time.perf_counter()
            try:
                response = put_graph(client, store_url, iri, body)
            except PublishError as exc:
                if i:
                    raise PublishError(
                        f"{exc} ({i} of {len(chosen)} graphs were already replaced: publish again to finish)"
                    ) from None
                raise
            took = time.perf_counter() - t
            expected[iri] = len(quads)
            report.graphs.append(
                GraphPublished(iri, str(entry["role"]), len(quads), len(body), took, response.status_code)
            )
            log(
                f"put     {iri}  {len(quads)} triples, {len(body) / 1024:.1f} kB, {took:.2f} s "
                f"(HTTP {response.status_code})"
            )
        t = time.perf_counter()
        report.verified = verify(client, endpoint, expected)
        log(
            f"verified {len(expected)} graphs, {sum(expected.values())} triples on {endpoint} "
            f"in {time.perf_counter() - t:.2f} s"
        )
    report.seconds = time.perf_counter() - started
    return report


# -- Bulk-load files -------------------------------------------------------------------------------------------


@dataclass
class BulkReport:
    """The files :func:`write_bulk` wrote: per graph its IRI, file, triple count and SHA-256."""

    directory: Path
    files: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


def bulk_file_name(iri: str, settings: Settings) -> str:
    """A file name for a graph's N-Quads: its IRI after the base, or after the scheme, made safe.

    >>> bulk_file_name("https://w3id.org/summitkg/graph/inferred", Settings())
    'graph-inferred.nq.gz'
    """
    rest = iri[len(settings.base_iri) :] if iri.startswith(settings.base_iri) else iri.split("://", 1)[-1]
    return re.sub(r"[^A-Za-z0-9._-]+", "-", rest).strip("-.") + ".nq.gz"


def gzip_bytes(data: bytes) -> bytes:
    """Gzip with no file name and modification time 0, so the same data always gives the same bytes."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    return buf.getvalue()


def write_bulk(
    settings: Settings,
    directory: Path,
    *,
    graphs: Sequence[str] | None = None,
    log: Callable[[str], None] = print,
) -> BulkReport:
    """Write one gzipped, sorted N-Quads file per built graph into ``directory``, and a manifest last.

    Same build, same bytes. Each file is written beside its final name and renamed into place; files an earlier
    run listed in its manifest that this run does not write are removed, so that a loader reading ``*.nq.gz``
    never loads a graph the build no longer has.
    """
    started = time.perf_counter()
    manifest = check_fresh(settings)
    chosen = select_graphs(settings, manifest, graphs)
    store = open_store(settings, check=False)
    directory.mkdir(parents=True, exist_ok=True)
    report = BulkReport(directory=directory)
    for entry in chosen:
        iri = str(entry["iri"])
        quads = _graph_triples(store, iri)
        data = gzip_bytes(serialize(quads, "nquads", settings))
        name = bulk_file_name(iri, settings)
        _write_replace(directory / name, data)
        report.files.append(
            {
                "graph": iri,
                "role": entry["role"],
                "file": name,
                "triples": len(quads),
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
        log(f"wrote   {directory / name}  {len(quads)} quads, {len(data) / 1024:.1f} kB")
    old = directory / BULK_MANIFEST
    try:
        previous = {f["file"] for f in json.loads(old.read_text(encoding="utf-8")).get("files", [])}
    except (OSError, ValueError, AttributeError, TypeError, KeyError):
        previous = set()
    for stale in sorted(previous - {f["file"] for f in report.files}):
        if "/" not in stale and stale.endswith(".nq.gz"):
            (directory / stale).unlink(missing_ok=True)
    doc = {
        "build_id": manifest["build_id"],
        "base_iri": settings.base_iri,
        "format": "application/n-quads",
        "compression": "gzip",
        "files": report.files,
    }
    _write_replace(old, (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode())
    report.seconds = time.perf_counter() - started
    return report


def _write_replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
