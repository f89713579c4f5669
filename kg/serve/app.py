"""The ASGI application: the SPARQL endpoint, the Graph Store read side, linked data, saved queries, the query
page and static files, on Starlette. :func:`create_app` builds it from :class:`~kg.config.Settings` and
:class:`~kg.serve.options.ServeOptions`.

Every answer is complete before its first byte is sent: queries run in worker processes with a time limit and
a size limit, and their answers are cached by build, so a repeated request costs a look-up (or a 304).
"""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from hashlib import sha256
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio.to_thread
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.catalog import SavedQuery
from kg.config import Settings
from kg.describe import describe
from kg.errors import ParameterError
from kg.query import RDF_FORMATS
from kg.serve import descriptions, pages
from kg.serve.caching import CachedAnswer, etag, if_none_match
from kg.serve.conneg import GRAPH, HTML, TABULAR, Format, from_param, known_param, negotiate, wants_html
from kg.serve.options import ServeOptions
from kg.serve.protocol import ProtocolError, QueryRequest, check_iri, parse_query_request
from kg.serve.run import run_serve
from kg.serve.state import ServerState
from kg.serve.worker import Job, Outcome
from kg.sparqltext import uses_service
from kg.void import DUMP_FILES

__all__ = ["create_app", "run_serve"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
JSON = Format("json", "application/json")
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9._-]+$")
DEFAULT_QUERY = """SELECT ?s ?p ?o
WHERE { ?s ?p ?o }
LIMIT 25
"""


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message.rstrip("\n") + "\n", status_code=status, headers=headers)


class Handlers:
    """The route handlers, sharing one :class:`ServerState`."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.options = state.options
        self.settings = state.settings
        self._static: dict[str, tuple[bytes, str, str]] = {}

    # -- helpers ----------------------------------------------------------------------------------------

    def _data(self, request: Request, body: bytes, content_type: str, tag: str) -> Response:
        headers = {
            "ETag": tag,
            "Cache-Control": f"public, max-age={self.options.max_age}",
            "Vary": "Accept",
        }
        if request.method == "HEAD":
            headers["Content-Length"] = str(len(body))
            return Response(b"", 200, headers=headers, media_type=content_type)
        return Response(body, 200, headers=headers, media_type=content_type)

    def _not_modified(self, request: Request, tag: str) -> Response | None:
        if request.method in ("GET", "HEAD") and if_none_match(request.headers.get("if-none-match"), tag):
            return Response(
                status_code=304,
                headers={"ETag": tag, "Cache-Control": f"public, max-age={self.options.max_age}", "Vary": "Accept"},
            )
        return None

    def _error(
        self, request: Request, status: int, message: str, *, page: bool = False, headers: dict[str, str] | None = None
    ) -> Response:
        """An error as plain text (for programs) or as a page (for browsers on page routes)."""
        if page and wants_html(request.headers.get("accept"), GRAPH + TABULAR):
            titles = {400: "Bad request", 404: "Not found", 406: "Not acceptable", 422: "Too large", 503: "Unavailable"}
            html = pages.error_page(status, titles.get(status, "Error"), message, self.state.linker)
            return HTMLResponse(html, status_code=status, headers=headers)
        return _text(status, message, headers)

    def _format_param(self, request: Request) -> str | None:
        values = [v for k, v in request.query_params.multi_items() if k in ("format", "output") and v]
        if values and not known_param(values[0]):
            raise ProtocolError(
                400,
                f"unknown format {values[0]!r}: use a media type or one of json, xml, csv, "
                "tsv, turtle, nt, jsonld, rdfxml, trig, nquads",
            )
        return values[0] if values else None

    def _graph_format(self, request: Request, allow_html: bool) -> Format | None:
        """HTML (when allowed and preferred) or the best RDF format; ``None`` when nothing fits (406)."""
        fp = self._format_param(request)
        accept = request.headers.get("accept")
        if fp is not None:
            if allow_html and from_param(fp, (HTML,)):
                return HTML
            return from_param(fp, GRAPH)
        if allow_html and wants_html(accept, GRAPH):
            return HTML
        return negotiate(accept, GRAPH)

    @staticmethod
    def _offered(offers: Sequence[Format]) -> str:
        return "this server writes " + ", ".join(f.media_type for f in offers)

    async def _in_thread(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await anyio.to_thread.run_sync(fn, *args)

    # -- SPARQL -----------------------------------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        """The SPARQL 1.1 Protocol: a query by GET or POST, or the service description when there is none."""
        self.state.refresh()
        try:
            qr = await parse_query_request(request, self.options.max_request_bytes)
            if qr is None:
                return await self.service_description(request)
            return await self._answer(request, qr, html=False)
        except ProtocolError as exc:
            return _text(exc.status, exc.message, exc.headers)

    async def _answer(
        self,
        request: Request,
        qr: QueryRequest,
        *,
        html: bool,
        saved: SavedQuery | None = None,
        values: dict[str, str] | None = None,
    ) -> Response:
        build = self.state.build
        if uses_service(qr.query) and not self.options.allow_federation:
            raise ProtocolError(
                403,
                "SERVICE (federated query) is disabled on this server, because it makes the "
                "server fetch URLs; the operator can enable it with --allow-federation",
            )
        fp = qr.format
        if fp is not None and not known_param(fp):
            raise ProtocolError(
                400,
                f"unknown format {fp!r}: use a media type or one of json, xml, csv, tsv, "
                "turtle, nt, jsonld, rdfxml, trig, nquads",
            )
        accept = request.headers.get("accept")
        as_html = html and (wants_html(accept, TABULAR + GRAPH) if fp is None else bool(from_param(fp, (HTML,))))
        if as_html:
            tab: Format | None = TABULAR[0]
            graph: Format | None = GRAPH[0]
        elif fp is not None:
            tab, graph = from_param(fp, TABULAR), from_param(fp, GRAPH)
            if tab is None and graph is None:
                raise ProtocolError(406, f"format {fp!r} cannot be written here; {self._offered(TABULAR + GRAPH)}")
        else:
            tab, graph = negotiate(accept, TABULAR), negotiate(accept, GRAPH)
        key = "\x00".join(
            [
                "sparql",
                build.build_id,
                qr.query,
                "|".join(qr.default_graphs),
                "|".join(qr.named_graphs),
                str(qr.has_dataset),
                tab.name if tab else "-",
                graph.name if graph else "-",
                "html" if as_html else "",
            ]
        )
        tag = etag(build.build_id, key)
        if (nm := self._not_modified(request, tag)) is not None:
            return nm
        hit = self.state.cache.get(key)
        if hit is None:
            outcome = await self._run(qr, tab, graph)
            if outcome.status != 200:
                headers = {"Retry-After": "1"} if "busy" in outcome.message else None
                return self._error(request, outcome.status, outcome.message, page=as_html, headers=headers)
            if as_html and saved is not None:
                body = self._saved_page(saved, values or {}, outcome).encode()
                hit = CachedAnswer(body, HTML.content_type)
            else:
                offers = GRAPH if outcome.kind == "graph" else TABULAR
                fmt = next(f for f in offers if f.name == outcome.format)
                hit = CachedAnswer(outcome.body, fmt.content_type)
            self.state.cache.put(key, hit)
        return self._data(request, hit.body, hit.content_type, tag)

    async def _run(self, qr: QueryRequest, tab: Format | None, graph: Format | None) -> Outcome:
        job = Job(
            build_id=self.state.build.build_id,
            query=qr.query,
            prefixes=self.settings.prefixes,
            default_graphs=qr.default_graphs,
            named_graphs=qr.named_graphs,
            has_dataset=qr.has_dataset,
            tabular=tab.name if tab else None,
            graph=graph.name if graph else None,
            max_bytes=self.options.max_result_bytes,
            not_acceptable=self._offered(TABULAR if tab is None else GRAPH),
            base_iri=self.options.public_url + "/sparql",
        )
        outcome: Outcome = await self._in_thread(self.state.pool.run, job, self.options.timeout)
        return outcome

    async def service_description(self, request: Request) -> Response:
        """SPARQL 1.1 Service Description (RDF by negotiation); a browser gets the query page instead."""
        fmt = self._graph_format(request, allow_html=True)
        if fmt is HTML:
            return await self.query_page(request)
        if fmt is None:
            return _text(406, f"the service description is RDF; {self._offered(GRAPH)}")
        build = self.state.build
        tag = etag(build.build_id, "sd", self.options.public_url, fmt.name)
        if (nm := self._not_modified(request, tag)) is not None:
            return nm
        triples = descriptions.service_description(
            self.options.public_url + "/sparql", build.manifest, federation=self.options.allow_federation
        )
        body = descriptions.serialize(triples, fmt.name, _SD_PREFIXES)
        return self._data(request, body, fmt.content_type, tag)

    async def void(self, request: Request) -> Response:
        """The VoID description of the dataset, naming this server's endpoint."""
        self.state.refresh()
        try:
            fmt = self._graph_format(request, allow_html=False)
        except ProtocolError as exc:
            return _text(exc.status, exc.message)
        if fmt is None:
            return _text(406, f"VoID is RDF; {self._offered(GRAPH)}")
        build = self.state.build
        tag = etag(build.build_id, "void", self.options.public_url, fmt.name)
        if (nm := self._not_modified(request, tag)) is not None:
            return nm
        triples = descriptions.void_description(
            self.settings, build.manifest, self.options.public_url, self.settings.build_dir / "void.ttl"
        )
        body = descriptions.serialize(triples, fmt.name, {**self.settings.prefixes, **_SD_PREFIXES})
        return self._data(request, body, fmt.content_type, tag)

    async def dump(self, request: Request) -> Response:
        """``GET /dumps/NAME``: a dump file of the build, as the VoID's ``void:dataDump`` names it.

        Only the names in :data:`kg.void.DUMP_FILES` are served, so no other file can be reached."""
        self.state.refresh()
        name = request.path_params["name"]
        if name not in DUMP_FILES:
            return _text(404, f"no dump named {name!r}; the dumps are {', '.join(DUMP_FILES)}")
        build = self.state.build
        tag = etag(build.build_id, "dump", name)
        if (nm := self._not_modified(request, tag)) is not None:
            return nm
        try:
            body = (self.settings.build_dir / name).read_bytes()
        except OSError:
            return _text(404, f"the build has no {name}")
        return self._data(request, body, _DUMP_TYPES[name.rsplit(".", 1)[1]], tag)

    # -- Graph Store (read side) ------------------------------------------------------------------------

    async def graph_store(self, request: Request) -> Response:
        """``GET /store?graph=IRI`` or ``GET /store?default``: one graph in any RDF format."""
        self.state.refresh()
        build = self.state.build
        try:
            params = request.query_params
            graphs = params.getlist("graph")
            default = "default" in params
            if len(graphs) + default != 1:
                raise ProtocolError(400, "name exactly one graph: ?graph=IRI or ?default")
            fmt = self._graph_format(request, allow_html=False)
        except ProtocolError as exc:
            return _text(exc.status, exc.message)
        if fmt is None:
            return _text(406, f"a graph is RDF; {self._offered(GRAPH)}")
        node = None
        if graphs:
            try:
                node = ox.NamedNode(check_iri(graphs[0], "graph"))
            except (ProtocolError, ValueError) as exc:
                return _text(400, str(exc))
            if node.value not in build.graphs and not build.store.contains_named_graph(node):
                return _text(404, f"no graph named <{node.value}> in this dataset")
        tag = etag(build.build_id, "store", node.value if node else "", fmt.name)
        if (nm := self._not_modified(request, tag)) is not None:
            return nm
        key = tag
        hit = self.state.cache.get(key)
        if hit is None:

            def dump() -> bytes:
                return descriptions.serialize(
                    descriptions.graph_quads(build.store, node), fmt.name, self.settings.prefixes
                )

            body: bytes = await self._in_thread(dump)
            if len(body) > self.options.max_result_bytes:
                return _text(
                    422, f"the graph is larger than this server's limit of {self.options.max_result_bytes} bytes"
                )
            hit = CachedAnswer(body, fmt.content_type)
            self.state.cache.put(key, hit)
        return self._data(request, hit.body, hit.content_type, tag)

    # -- linked data ------------------------------------------------------------------------------------

    async def resource(self, request: Request) -> Response:
        """A minted IRI ``{base}{path}``, served at ``{server}{path}``: a page or its RDF description."""
        raw = request.scope.get("raw_path") or request.url.path.encode()
        path = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        if self.state.linker.prefix and path.startswith(self.state.linker.prefix + "/"):
            path = path[len(self.state.linker.prefix) :]
        iri = self.settings.base_iri + path.lstrip("/")
        if (moved := self._replaced_by(iri)) is not None:
            return Response(status_code=301, headers={"Location": moved, "Cache-Control": "public, max-age=86400"})
        return await self._describe(request, iri, path)

    def _replaced_by(self, iri: str) -> str | None:
        """Where a renamed resource now lives: published IRIs never change, so an old one records
        ``dcterms:isReplacedBy`` its successor and is answered with a permanent redirect to it."""
        self.state.refresh()
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            return None
        for q in self.state.build.store.quads_for_pattern(node, _REPLACED_BY, None, None):
            if isinstance(q.object, ox.NamedNode):
                return self.state.linker.href(q.object.value)
        return None

    async def describe_any(self, request: Request) -> Response:
        """``/describe?iri=IRI``: the same page for any IRI the graph mentions, minted here or not."""
        iri = request.query_params.get("iri", "")
        try:
            check_iri(iri, "iri")
        except ProtocolError as exc:
            return self._error(request, 400, exc.message, page=True)
        return await self._describe(request, iri, "/describe?iri=" + quote(iri, safe=""))

    async def _describe(self, request: Request, iri: str, path: str) -> Response:
        self.state.refresh()
        build = self.state.build
        try:
            fmt = self._graph_format(request, allow_html=True)
            check_iri(iri, "IRI")
        except ProtocolError as exc:
            if exc.status == 400 and exc.message.startswith("IRI"):
                return self._error(request, 404, f"nothing is known about {iri}", page=True)
            return self._error(request, exc.status, exc.message, page=True)
        if fmt is None:
            return self._error(
                request, 406, f"a resource is described in HTML or RDF; {self._offered(GRAPH)}", page=True
            )
        tag = etag(build.build_id, "describe", iri, fmt.name, self.state.linker.prefix)
        if (nm := self._not_modified(request, tag)) is not None:
            return nm
        hit = self.state.cache.get(tag)
        if hit is None:
            d = await self._in_thread(describe, build.store, iri, self.settings)
            is_graph = iri in build.graphs
            if not d.exists and not is_graph:
                return self._error(request, 404, f"nothing is known about {iri}", page=True)
            if fmt is HTML:
                body = pages.resource_page(d, self.state.linker, path, graph_link=is_graph).encode()
            elif is_graph and not d.exists:
                # a named graph nothing describes: its contents are what a program wants (Graph Store Protocol)
                store_url = self.state.linker.path("/store?graph=" + quote(iri, safe=""))
                return Response(status_code=303, headers={"Location": store_url, "Vary": "Accept"})
            else:
                body = descriptions.serialize(descriptions.resource_quads(d), fmt.name, self.settings.prefixes)
            hit = CachedAnswer(body, fmt.content_type)
            self.state.cache.put(tag, hit)
        return self._data(request, hit.body, hit.content_type, tag)

    async def ontology(self, request: Request) -> Response:
        """The ontology IRI: documentation of every term for people, the ontology's graph for programs."""
        self.state.refresh()
        build = self.state.build
        try:
            fmt = self._graph_format(request, allow_html=True)
        except ProtocolError as exc:
            return self._error(request, exc.status, exc.message, page=True)
        if fmt is None:
            return self._error(request, 406, f"the ontology is HTML or RDF; {self._offered(GRAPH)}", page=True)
        tag = etag(build.build_id, "ontology", fmt.name, self.state.linker.prefix)
        if (nm := self._not_modified(request, tag)) is not None:
            return nm

        def render() -> bytes | None:
            graph = descriptions.ontology_graph(build.store, self.settings, build.manifest)
            d = describe(build.store, self.settings.ontology_iri, self.settings)
            if graph is None and not d.exists:
                return None
            if fmt is HTML:
                return pages.ontology_page(build.store, graph, d, self.state.linker).encode()
            quads = descriptions.graph_quads(build.store, graph) if graph else descriptions.resource_quads(d)
            return descriptions.serialize(quads, fmt.name, self.settings.prefixes)

        hit = self.state.cache.get(tag)
        if hit is None:
            body = await self._in_thread(render)
            if body is None:
                return self._error(request, 404, "this build has no ontology", page=True)
            hit = CachedAnswer(body, fmt.content_type)
            self.state.cache.put(tag, hit)
        return self._data(request, hit.body, hit.content_type, tag)

    async def home(self, request: Request) -> Response:
        """The home page for people; the dataset's VoID for programs asking for RDF."""
        self.state.refresh()
        try:
            fmt = self._graph_format(request, allow_html=True)
        except ProtocolError as exc:
            return _text(exc.status, exc.message)
        accept = request.headers.get("accept")
        if fmt is HTML or (not accept and self._format_param(request) is None) or fmt is None:
            build = self.state.build
            tag = etag(build.build_id, "home", self.state.linker.prefix, str(len(self.state.catalog)))
            if (nm := self._not_modified(request, tag)) is not None:
                return nm
            body = pages.home_page(build.manifest, self.state.catalog, self.state.linker).encode()
            return self._data(request, body, HTML.content_type, tag)
        return await self.void(request)

    # -- saved queries ----------------------------------------------------------------------------------

    async def queries(self, request: Request) -> Response:
        """The saved queries: a page for people, JSON for programs."""
        self.state.refresh()
        catalog = self.state.catalog
        fp = request.query_params.get("format")
        html = (fp == "html") if fp else wants_html(request.headers.get("accept"), (JSON,))
        listing = json.dumps({"queries": [self._query_json(q) for q in catalog.values()]}, sort_keys=True)
        tag = etag(self.state.build.build_id, "queries", "html" if html else "json", listing)
        if (nm := self._not_modified(request, tag)) is not None:
            return nm
        if html:
            return self._data(request, pages.queries_page(catalog, self.state.linker).encode(), HTML.content_type, tag)
        return self._data(request, listing.encode(), JSON.content_type, tag)

    def _query_json(self, q: SavedQuery) -> dict[str, Any]:
        return {
            "name": q.name,
            "summary": q.summary,
            "description": q.description,
            "tags": list(q.tags),
            "kind": q.kind,
            "parameters": [
                {"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                for p in q.parameters
            ],
            "text": q.text,
            "url": self.state.linker.path("/queries/" + quote(q.name)),
        }

    async def saved_query(self, request: Request) -> Response:
        """``/queries/NAME?param=value``: run a saved query; any results format by negotiation, or a page."""
        self.state.refresh()
        name = request.path_params["name"]
        q = self.state.catalog.get(name)
        if q is None:
            known = ", ".join(sorted(self.state.catalog)) or "none"
            return self._error(request, 404, f"no saved query named {name!r} (known: {known})", page=True)
        values = {k: v for k, v in request.query_params.items() if k not in ("format", "output")}
        try:
            text = self.settings.rebase(q.bind(values, self.settings.prefixes))
            qr = QueryRequest(text, format=self._format_param(request))
            return await self._answer(request, qr, html=True, saved=q, values=values)
        except ParameterError as exc:
            if wants_html(request.headers.get("accept"), TABULAR + GRAPH):
                page = pages.saved_query_page(q, values, self.state.linker, error=str(exc))
                return HTMLResponse(page, status_code=400)
            return _text(400, str(exc))
        except ProtocolError as exc:
            return self._error(request, exc.status, exc.message, page=True)

    def _saved_page(self, q: SavedQuery, values: dict[str, str], outcome: Outcome) -> str:
        if outcome.kind == "graph":
            results = f'<pre class="rdf">{escape(outcome.message)}</pre>'
        else:
            results = pages.results_table(json.loads(outcome.body), self.state.linker)
        return pages.saved_query_page(q, values, self.state.linker, results=results)

    # -- pages and files --------------------------------------------------------------------------------

    async def query_page(self, request: Request) -> Response:
        """The query editor."""
        self.state.refresh()
        tag = etag(self.state.build.build_id, "editor", self.state.linker.prefix)
        if (nm := self._not_modified(request, tag)) is not None:
            return nm
        body = pages.query_editor_page(self.state.linker, DEFAULT_QUERY).encode()
        return self._data(request, body, HTML.content_type, tag)

    async def static(self, request: Request) -> Response:
        """A file of the query page; nothing outside ``kg/serve/static`` can be named."""
        rel = request.path_params["path"]
        segments = rel.split("/")
        if not all(_SAFE_SEGMENT.match(s) and s not in (".", "..") for s in segments):
            return _text(404, "no such file")
        cached = self._static.get(rel)
        if cached is None:
            root = STATIC_DIR.resolve()
            target = root.joinpath(*segments).resolve()
            if not target.is_relative_to(root) or not target.is_file():
                return _text(404, "no such file")
            body = target.read_bytes()
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if ctype.startswith("text/") or ctype.endswith("javascript"):
                ctype += "; charset=utf-8"
            cached = (body, ctype, '"' + sha256(body).hexdigest()[:24] + '"')
            self._static[rel] = cached
        body, ctype, tag = cached
        if if_none_match(request.headers.get("if-none-match"), tag):
            return Response(status_code=304, headers={"ETag": tag})
        headers = {"ETag": tag, "Cache-Control": "public, max-age=3600"}
        if request.method == "HEAD":
            return Response(b"", headers={**headers, "Content-Length": str(len(body))}, media_type=ctype)
        return Response(body, headers=headers, media_type=ctype)


_REPLACED_BY = ox.NamedNode("http://purl.org/dc/terms/isReplacedBy")

_DUMP_TYPES = {ext: media for _fmt, media, ext in RDF_FORMATS.values()}

_SD_PREFIXES = {
    "sd": descriptions.SD,
    "void": descriptions.VOID,
    "formats": descriptions.FORMATS,
    "ent": "http://www.w3.org/ns/entailment/",
}


def create_app(settings: Settings, options: ServeOptions | None = None) -> Starlette:
    """The server's ASGI app for the build in ``settings.build_dir``.

    Raises :class:`~kg.errors.StaleBuildError` when there is no build to serve.
    """
    options = options or ServeOptions()
    state = ServerState(settings, options)
    h = Handlers(state)
    get = ["GET", "HEAD"]
    routes = [
        Route("/", h.home, methods=get),
        Route("/sparql", h.sparql, methods=["GET", "HEAD", "POST"]),
        Route("/sparql/", h.sparql, methods=["GET", "HEAD", "POST"]),
        Route("/store", h.graph_store, methods=get),
        Route("/.well-known/void", h.void, methods=get),
        Route("/dumps/{name}", h.dump, methods=get),
        Route("/queries", h.queries, methods=get),
        Route("/queries/{name}", h.saved_query, methods=get),
        Route("/query", h.query_page, methods=get),
        Route("/describe", h.describe_any, methods=get),
        Route("/static/{path:path}", h.static, methods=get),
        Route("/ontology", h.ontology, methods=get),
        Route("/{path:path}", h.resource, methods=get),
    ]
    middleware = []
    if options.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(options.cors_origins),
                allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                allow_headers=["Accept", "Content-Type", "If-None-Match"],
                expose_headers=["ETag", "Content-Type", "Content-Length"],
                max_age=600,
            )
        )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(state.pool.start)
        try:
            yield
        finally:
            state.close()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.kg = state
    return app
