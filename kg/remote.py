"""Running queries on a remote SPARQL 1.1 endpoint with the same parameters, answers and formats as locally.

A saved query is written for the embedded store, where the project's prefixes are predeclared and the default
graph is the union of the named graphs. To give the same answers elsewhere, the text sent to the endpoint
carries the prefix declarations it uses, is rebased to the deployment's base IRI, and states its dataset with the
protocol's ``default-graph-uri`` and ``named-graph-uri`` parameters: the default graph is the merge of the
build's named graphs (or of the asserted or inferred ones, as ``--graph`` chooses) and the named graphs are all
of them. That needs no server setting and keeps out whatever else the server holds (Virtuoso's own system graphs,
say). Without a local build, no dataset is sent and the server's default graph must be the union of the graphs
(see docs/triple-store.md).

The endpoint is asked for SPARQL JSON results (or N-Triples for CONSTRUCT and DESCRIBE) and the answer is
written out by the same code as a local answer, so ``table``, ``csv``, ``json`` and the others look the same
whichever store answered.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping, Sequence
from typing import TypeAlias

import httpx
import pyoxigraph as ox

from kg.config import Settings
from kg.errors import KgError, QuerySyntaxError, StaleBuildError
from kg.query import GRAPH_SCOPES, RDF_FORMATS, RESULT_FORMATS, format_result
from kg.sparqltext import declared_prefixes, form_match, has_dataset_clause, syntax_error_message

__all__ = [
    "RemoteError",
    "RemoteResult",
    "build_dataset",
    "failure_reason",
    "format_remote",
    "http_error_line",
    "query_remote",
    "remote_text",
    "run_remote",
]

#: A remote answer parsed into pyoxigraph terms: solutions, a boolean, or the triples of a graph result.
RemoteResult: TypeAlias = ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]

_SOLUTIONS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"


class RemoteError(KgError):
    """A remote endpoint could not be reached, refused the request or answered with something unreadable."""


def remote_text(text: str, settings: Settings) -> str:
    """The query as sent: rebased, with declarations of the project's prefixes that the text does not declare.

    Locally these prefixes are predeclared; a remote endpoint knows none of them (unused ones are harmless).

    >>> print(remote_text("SELECT * WHERE { ?s a sk:Meeting }", Settings()).splitlines()[0])
    PREFIX sk: <https://w3id.org/summitkg/ontology#>
    """
    text = settings.rebase(text)
    declared = declared_prefixes(text)
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in settings.prefixes.items() if p not in declared]
    return "\n".join([*lines, text]) if lines else text


def build_dataset(settings: Settings, scope: str = "all") -> tuple[list[str], list[str]] | None:
    """The protocol dataset that reproduces the local one: (default graphs, named graphs), from the build.

    ``None`` when there is no local build: the server's own default graph is used then.
    """
    from kg.store import read_manifest

    if scope not in GRAPH_SCOPES:
        raise KgError(f"unknown graph scope {scope!r} (one of {', '.join(GRAPH_SCOPES)})")
    try:
        manifest = read_manifest(settings)
    except StaleBuildError:
        return None
    graphs = sorted(str(g["iri"]) for g in manifest["graphs"])
    inferred = settings.inferred_graphs
    if scope == "all":
        default = graphs
    elif scope == "inferred":
        default = [g for g in graphs if g in inferred]
    else:
        default = [g for g in graphs if g not in inferred]
    return default, graphs


def _kind(text: str, settings: Settings) -> type:
    """SELECT/ASK or CONSTRUCT/DESCRIBE, and a local syntax check, before anything is sent.

    The text is prepared on an empty store, which evaluates nothing until asked, except ASK: that is answered at
    once (a SERVICE clause in it would be called from here), so an ASK is checked as the same query with
    ``SELECT *`` in its place.
    """
    rebased = settings.rebase(text)
    form = form_match(rebased)
    is_ask = form is not None and form.group(1).upper() == "ASK"
    probe = rebased[: form.start()] + "SELECT *" + rebased[form.end() :] if form is not None and is_ask else rebased
    try:
        result = ox.Store().query(probe, prefixes=settings.prefixes)
    except SyntaxError as exc:
        raise QuerySyntaxError(syntax_error_message(exc, rebased, settings.prefixes)) from None
    return ox.QueryBoolean if is_ask else type(result)


def http_error_line(response: httpx.Response, limit: int = 300) -> str:
    """``HTTP 400 Bad Request: <the server's message>``, on one line and cut to ``limit`` characters."""
    body = response.text if response.content else ""
    html = body.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))
    if html or "html" in response.headers.get("content-type", ""):
        body = re.sub(r"(?is)<(head|script|style)\b.*?</\1>", " ", body)
        body = re.sub(r"<[^>]+>", " ", body)
    message = " ".join(body.split())
    reason = response.reason_phrase
    if reason and message.lower().startswith(reason.lower()):
        message = message[len(reason) :].lstrip(" :.-")  # an HTML page that repeats the status in its title
    if len(message) > limit:
        message = message[: limit - 1] + "…"
    status = f"HTTP {response.status_code} {reason}".rstrip()
    return f"{status}: {message}" if message else status


def query_remote(
    endpoint: str,
    text: str,
    settings: Settings,
    *,
    scope: str = "all",
    dataset: tuple[Sequence[str], Sequence[str]] | None = None,
    auth: httpx.Auth | None = None,
    timeout: float = 60.0,
) -> RemoteResult:
    """Run ``text`` on ``endpoint`` and parse the answer into pyoxigraph terms.

    ``dataset`` is (default graphs, named graphs); by default it is taken from the local build
    (:func:`build_dataset`). A query with its own ``FROM`` or ``FROM NAMED`` keeps its dataset.
    """
    kind = _kind(text, settings)
    sent = remote_text(text, settings)
    form: dict[str, str | list[str]] = {"query": sent}
    if not has_dataset_clause(sent):  # a query with its own FROM or FROM NAMED keeps its dataset
        dataset = build_dataset(settings, scope) if dataset is None else dataset
        if dataset is not None:
            form["default-graph-uri"] = list(dataset[0])
            form["named-graph-uri"] = list(dataset[1])
    accept = _GRAPH_ACCEPT if kind is ox.QueryTriples else _SOLUTIONS_ACCEPT
    try:
        response = httpx.post(endpoint, data=form, headers={"Accept": accept}, auth=auth, timeout=timeout)
    except httpx.TimeoutException:
        raise RemoteError(f"the SPARQL endpoint {endpoint} did not answer within {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise RemoteError(f"cannot reach the SPARQL endpoint {endpoint}: {failure_reason(exc)}") from None
    if response.status_code >= 400:
        raise RemoteError(f"the SPARQL endpoint {endpoint} answered {http_error_line(response)}")
    return _parse(response, kind, endpoint)


def failure_reason(exc: httpx.HTTPError) -> str:
    """Why a request failed, in a few words (httpx's messages carry errno prefixes)."""
    text = (str(exc) or type(exc).__name__).split("\n")[0]
    if isinstance(exc, httpx.ConnectError) and "refused" in text.lower():
        return "connection refused (is the server running?)"
    return text


def _parse(response: httpx.Response, kind: type, endpoint: str) -> RemoteResult:
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if kind is ox.QueryTriples:
            rdf = {
                "text/turtle": ox.RdfFormat.TURTLE,
                "application/rdf+xml": ox.RdfFormat.RDF_XML,
                "application/ld+json": ox.RdfFormat.JSON_LD,
            }.get(media, ox.RdfFormat.N_TRIPLES)
            return [q.triple for q in ox.parse(response.content, rdf)]
        if "xml" in media:
            xml = _BNODE_XML.sub(lambda m: m.group(1) + _bnode_label(m.group(2)) + "</bnode>", response.text)
            return ox.parse_query_results(xml, ox.QueryResultsFormat.XML)
        return ox.parse_query_results(_fix_json_bnodes(response.content), ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        first = str(exc).split("\n")[0]
        raise RemoteError(
            f"the SPARQL endpoint {endpoint} answered with {media or 'no content type'} that does not parse: {first}"
        ) from None


_BNODE_LABEL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_BNODE_XML = re.compile(r"(<bnode>)([^<]*)</bnode>")


def _bnode_label(value: str) -> str:
    """A valid blank node label for a server's: Virtuoso writes ``nodeID://b10000``, which is not one.

    >>> _bnode_label("nodeID://b10000")
    'b10000'
    """
    if _BNODE_LABEL.match(value):
        return value
    value = value.removeprefix("nodeID://")
    return value if _BNODE_LABEL.match(value) else "b" + re.sub(r"[^A-Za-z0-9_]", "_", value)


def _fix_json_bnodes(content: bytes) -> bytes:
    """SPARQL JSON results with every blank node label made valid (the labels carry no meaning across stores)."""
    if b'"bnode"' not in content:
        return content
    doc = json.loads(content)
    for row in (doc.get("results") or {}).get("bindings") or []:
        for term in row.values():
            if isinstance(term, dict) and term.get("type") == "bnode":
                term["value"] = _bnode_label(str(term.get("value", "")))
    return json.dumps(doc).encode()


def format_remote(result: RemoteResult, fmt: str, settings: Settings) -> bytes:
    """Write a remote answer exactly as :func:`kg.query.format_result` writes a local one."""
    if not isinstance(result, list):
        return format_result(result, fmt, settings)
    if fmt == "table":
        fmt = "turtle"
    if fmt not in RDF_FORMATS:
        raise KgError(f"a graph result cannot be written as {fmt!r}; use one of {', '.join(RDF_FORMATS)}")
    out = io.BytesIO()
    kw: Mapping[str, object] = {"prefixes": settings.prefixes} if fmt in ("turtle", "trig", "xml", "jsonld") else {}
    ox.serialize(result, out, RDF_FORMATS[fmt][0], **kw)  # type: ignore[arg-type]
    return out.getvalue()


def run_remote(
    endpoint: str,
    text: str,
    fmt: str,
    settings: Settings,
    *,
    scope: str = "all",
    auth: httpx.Auth | None = None,
    timeout: float = 60.0,
) -> bytes:
    """Run a query on a SPARQL endpoint and write the answer as ``fmt`` (the formats of ``kg query``)."""
    kind = _kind(text, settings)
    known = ("table", *RDF_FORMATS) if kind is ox.QueryTriples else ("table", *RESULT_FORMATS)
    if fmt not in known:
        what = "a graph" if kind is ox.QueryTriples else "a table or boolean"
        raise KgError(f"{what} result cannot be written as {fmt!r}; use one of {', '.join(known)}")
    result = query_remote(endpoint, text, settings, scope=scope, auth=auth, timeout=timeout)
    return format_remote(result, fmt, settings)
