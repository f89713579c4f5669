"""Running SPARQL on the built store and writing the answers in W3C formats or as a terminal table.

The query path imports pyoxigraph and the standard library only: no rdflib, no owlrl, no YAML.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox

from kg.config import Settings
from kg.errors import KgError, QuerySyntaxError
from kg.sparqltext import has_dataset_clause, syntax_error_message

__all__ = [
    "GRAPH_SCOPES",
    "RDF_FORMATS",
    "RESULT_FORMATS",
    "format_result",
    "format_table",
    "graph_scope",
    "prefixed",
    "run_query",
    "term_text",
]

TYPE_CHECKING = False  # importing typing would slow the query path
if TYPE_CHECKING:
    from typing import TypeAlias

    Result: TypeAlias = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
GRAPH_SCOPES = ("all", "asserted", "inferred")

#: Result formats for SELECT and ASK, with their media types.
RESULT_FORMATS: dict[str, tuple[ox.QueryResultsFormat, str]] = {
    "json": (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    "xml": (ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    "csv": (ox.QueryResultsFormat.CSV, "text/csv; charset=utf-8"),
    "tsv": (ox.QueryResultsFormat.TSV, "text/tab-separated-values; charset=utf-8"),
}

#: RDF formats for CONSTRUCT, DESCRIBE and exports, with their media types and file extensions.
RDF_FORMATS: dict[str, tuple[ox.RdfFormat, str, str]] = {
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle; charset=utf-8", "ttl"),
    "nt": (ox.RdfFormat.N_TRIPLES, "application/n-triples", "nt"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json", "jsonld"),
    "xml": (ox.RdfFormat.RDF_XML, "application/rdf+xml", "rdf"),
    "trig": (ox.RdfFormat.TRIG, "application/trig", "trig"),
    "nquads": (ox.RdfFormat.N_QUADS, "application/n-quads", "nq"),
}


def graph_scope(store: ox.Store, scope: str, settings: Settings) -> dict[str, object]:
    """Query options that make the default graph the union of the chosen graphs."""
    if scope == "all":
        return {"use_default_graph_as_union": True}
    inferred = [ox.NamedNode(g) for g in settings.inferred_graphs]
    if scope == "inferred":
        return {"default_graph": inferred}
    if scope == "asserted":
        return {"default_graph": [g for g in store.named_graphs() if g not in inferred]}
    raise KgError(f"unknown graph scope {scope!r} (one of {', '.join(GRAPH_SCOPES)})")


def run_query(store: ox.Store, text: str, settings: Settings, *, scope: str = "all") -> Result:
    """Run ``text`` with the project's prefixes predeclared; a syntax error becomes :class:`QuerySyntaxError`.

    The default graph is the union of the graphs in ``scope``, unless the query names its own dataset
    (FROM / FROM NAMED), which then applies as it would on any SPARQL endpoint.
    """
    options = {} if has_dataset_clause(text) else graph_scope(store, scope, settings)
    try:
        return store.query(
            settings.rebase(text),
            prefixes=settings.prefixes,
            **options,  # type: ignore[arg-type]
        )
    except SyntaxError as exc:
        raise QuerySyntaxError(syntax_error_message(exc, text, settings.prefixes)) from None


def term_text(term: object, prefixes: Mapping[str, str]) -> str:
    """A term as a person reads it: prefixed name for IRIs, the lexical form for literals."""
    if isinstance(term, ox.NamedNode):
        return prefixed(term.value, prefixes)
    if isinstance(term, ox.Literal):
        return " ".join(term.value.split())
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return "" if term is None else str(term)


def prefixed(iri: str, prefixes: Mapping[str, str]) -> str:
    """``prefix:local`` with the longest namespace that fits, else ``<iri>``.

    >>> prefixed("https://w3id.org/summitkg/id/csto", {"id": "https://w3id.org/summitkg/id/"})
    'id:csto'
    >>> prefixed("http://example.org/a b", {})
    '<http://example.org/a b>'
    """
    best = ""
    for pfx, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(prefixes.get(best, "")) and _local_ok(iri[len(ns) :]):
            best = pfx
    return f"{best}:{iri[len(prefixes[best]) :]}" if best else f"<{iri}>"


def _local_ok(local: str) -> bool:
    return all(c.isalnum() or c in "-_." for c in local) and not local.endswith(".")


def format_table(
    variables: Sequence[ox.Variable], solutions: Iterable[ox.QuerySolution], prefixes: Mapping[str, str]
) -> str:
    """Solutions as an aligned text table with a row count, for the terminal."""
    names = [v.value for v in variables]
    rows = [[term_text(sol[v], prefixes) for v in variables] for sol in solutions]
    if not names:
        return "(no variables)\n"
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip(), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def format_result(result: Result, fmt: str, settings: Settings) -> bytes:
    """Serialize a query result: ``table`` for people, or a W3C results / RDF format by short name."""
    if isinstance(result, ox.QueryTriples):
        if fmt == "table":
            fmt = "turtle"
        if fmt not in RDF_FORMATS:
            raise KgError(f"a graph result cannot be written as {fmt!r}; use one of {', '.join(RDF_FORMATS)}")
        rdf_format = RDF_FORMATS[fmt][0]
        out = io.BytesIO()
        kw = {"prefixes": settings.prefixes} if fmt in ("turtle", "trig", "xml", "jsonld") else {}
        ox.serialize(result, out, rdf_format, **kw)  # type: ignore[arg-type]
        return out.getvalue()
    if fmt == "table":
        if isinstance(result, ox.QueryBoolean):
            return b"yes\n" if bool(result) else b"no\n"
        return format_table(result.variables, result, settings.prefixes).encode()
    if fmt not in RESULT_FORMATS:
        raise KgError(
            f"a {'boolean' if isinstance(result, ox.QueryBoolean) else 'table'} result cannot be "
            f"written as {fmt!r}; use one of table, {', '.join(RESULT_FORMATS)}"
        )
    out = io.BytesIO()
    result.serialize(out, RESULT_FORMATS[fmt][0])
    return out.getvalue()
