"""The SPARQL 1.1 Protocol's request side: turning an HTTP request into a query and its dataset, or into the
4xx answer the protocol prescribes (missing or duplicated query, wrong media type, non-UTF-8 body, an update
sent to this read-only server, a body or URL over the size limit).

Pure functions over a Starlette :class:`~starlette.requests.Request`; running the query is someone else's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.requests import Request

__all__ = [
    "ProtocolError",
    "QueryRequest",
    "check_iri",
    "parse_query_request",
    "read_body",
]

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
READ_ONLY = "this endpoint is read-only: updates are refused (the graph is rebuilt from its source files)"

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*$")


class ProtocolError(Exception):
    """A request the protocol does not allow, with the status to answer and a message for the client."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass(frozen=True)
class QueryRequest:
    """A SPARQL query with the dataset the protocol named and the ``format=`` the client asked for."""

    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    format: str | None = None

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


def check_iri(value: str, what: str) -> str:
    """``value`` if it is an absolute IRI, else a 400 naming the parameter.

    >>> check_iri("http://example.org/g", "graph")
    'http://example.org/g'
    """
    if not _IRI.match(value):
        raise ProtocolError(400, f"{what}: {value!r} is not an absolute IRI")
    return value


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, or 413 as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"request body of {declared} bytes exceeds the limit of {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"request body exceeds the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _media_type(request: Request) -> tuple[str, dict[str, str]]:
    raw = request.headers.get("content-type", "")
    parts = [p.strip() for p in raw.split(";")]
    params = {}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        params[k.strip().lower()] = v.strip().strip('"').lower()
    return parts[0].lower(), params


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"{what} is not valid UTF-8 (byte {exc.start})") from None


def _check_charset(params: dict[str, str]) -> None:
    charset = params.get("charset")
    if charset and charset.replace("-", "").replace("_", "") != "utf8":
        raise ProtocolError(415, f"charset {charset} is not supported: send the query in UTF-8")


def _form(text: str, what: str) -> list[tuple[str, str]]:
    """``name=value`` pairs, percent-decoded as UTF-8: a value that does not decode is a 400, not a query of
    replacement characters."""
    try:
        return parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"{what} is not valid UTF-8 once percent-decoded (byte {exc.start})") from None


async def parse_query_request(request: Request, limit: int) -> QueryRequest | None:
    """The query of a protocol request, ``None`` for a GET without one (the service description), or a
    :class:`ProtocolError`."""
    raw_qs = request.scope.get("query_string", b"")
    if len(raw_qs) > limit:
        raise ProtocolError(414, f"query string of {len(raw_qs)} bytes exceeds the limit of {limit} bytes")
    url_params = _form(_decode(raw_qs, "the query string"), "the query string")
    body_params: list[tuple[str, str]] = []
    direct: str | None = None
    if request.method in ("GET", "HEAD"):
        pass
    elif request.method == "POST":
        media, params = _media_type(request)
        if media == SPARQL_UPDATE:
            raise ProtocolError(403, READ_ONLY)
        if media == FORM:
            body = await read_body(request, limit)
            body_params = _form(_decode(body, "the form body"), "the form body")
        elif media == SPARQL_QUERY:
            _check_charset(params)
            direct = _decode(await read_body(request, limit), "the query")
        elif not media:
            raise ProtocolError(
                415, f"a POST needs a Content-Type: {FORM} (query=...) or {SPARQL_QUERY} (the query itself)"
            )
        else:
            raise ProtocolError(415, f"unsupported media type {media}: use {FORM} or {SPARQL_QUERY}")
    else:
        raise ProtocolError(
            405, f"method {request.method} is not allowed: use GET or POST", {"Allow": "GET, HEAD, POST, OPTIONS"}
        )
    every = url_params + body_params
    if any(k in ("update", "using-graph-uri", "using-named-graph-uri") for k, _ in every):
        raise ProtocolError(403, READ_ONLY)
    queries = [v for k, v in every if k == "query"]
    if direct is not None:
        if queries:
            raise ProtocolError(400, "a direct POST carries the query in its body: do not send query= as well")
        queries = [direct]
    if len(queries) > 1:
        raise ProtocolError(400, f"exactly one query is allowed, got {len(queries)}")
    defaults = tuple(check_iri(v, "default-graph-uri") for k, v in every if k == "default-graph-uri")
    named = tuple(check_iri(v, "named-graph-uri") for k, v in every if k == "named-graph-uri")
    formats = [v for k, v in every if k in ("format", "output") and v]
    if not queries:
        if request.method == "POST":
            raise ProtocolError(400, "no query: send query=... (form) or the query as the body")
        if defaults or named:
            raise ProtocolError(400, "no query: pass it as ?query=...")
        return None
    if not queries[0].strip():
        raise ProtocolError(400, "the query is empty")
    return QueryRequest(queries[0], defaults, named, formats[0] if formats else None)
