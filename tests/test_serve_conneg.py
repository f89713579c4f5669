"""Content negotiation, unit by unit: q-values, wildcards, specificity, aliases and ``format=``."""

from __future__ import annotations

import pytest

from kg.serve.conneg import GRAPH, TABULAR, from_param, known_param, negotiate, parse_accept, wants_html

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "tabular", "graph"),
    [
        (None, "json", "turtle"),
        ("", "json", "turtle"),
        ("*/*", "json", "turtle"),
        ("application/*", "json", "nt"),
        ("text/*", "csv", "turtle"),
        ("text/csv;q=0.3, text/tab-separated-values;q=0.4", "tsv", None),
        ("application/sparql-results+xml, application/rdf+xml", "xml", "xml"),
        ("application/json", "json", "jsonld"),
        ("application/ld+json;q=1.0, application/json;q=0.5", "json", "jsonld"),
        ("text/turtle;q=0, */*", "json", "nt"),  # an explicit q=0 excludes, even under a wildcard
        ("image/png", None, None),
        ("application/n-quads, application/trig;q=0.9", None, "nquads"),
        ("TEXT/TURTLE", None, "turtle"),
        ("text/turtle; charset=utf-8; q=0.8, application/n-triples; q=0.9", None, "nt"),
        ("garbage, ;;, text/csv", "csv", None),
        ("text/csv;q=abc, application/sparql-results+json;q=0.1", "json", None),
    ],
)
def test_negotiate(accept: str | None, tabular: str | None, graph: str | None) -> None:
    got_tab = negotiate(accept, TABULAR)
    got_graph = negotiate(accept, GRAPH)
    assert (got_tab.name if got_tab else None) == tabular
    assert (got_graph.name if got_graph else None) == graph


def test_a_browser_gets_xml_results_but_prefers_html() -> None:
    tab = negotiate(BROWSER, TABULAR)
    assert tab is not None and tab.name == "xml"
    assert wants_html(BROWSER, GRAPH)
    assert wants_html("text/html", TABULAR)


@pytest.mark.parametrize("accept", [None, "", "*/*", "text/*", "text/turtle", "text/turtle, text/html;q=0.5"])
def test_programs_do_not_get_html(accept: str | None) -> None:
    assert not wants_html(accept, GRAPH)


def test_parse_accept_orders_and_clamps() -> None:
    ranges = parse_accept("a/b;q=2, c/*;q=-1, */*")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [("a", "b", 1.0), ("c", "*", 0.0), ("*", "*", 1.0)]


@pytest.mark.parametrize(
    ("value", "tabular", "graph"),
    [
        ("json", "json", "jsonld"),
        ("xml", "xml", "xml"),
        ("csv", "csv", None),
        ("ttl", None, "turtle"),
        ("n3", None, "turtle"),
        ("rdfxml", None, "xml"),
        ("application/sparql-results+json", "json", None),
        ("application/n-triples", None, "nt"),
        ("text/turtle; charset=utf-8", None, "turtle"),
    ],
)
def test_format_param(value: str, tabular: str | None, graph: str | None) -> None:
    t, g = from_param(value, TABULAR), from_param(value, GRAPH)
    assert (t.name if t else None, g.name if g else None) == (tabular, graph)
    assert known_param(value)


@pytest.mark.parametrize("value", ["pdf", "image/png", ""])
def test_unknown_format_param(value: str) -> None:
    assert not known_param(value)
