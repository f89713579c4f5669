"""Counts for ``kg stats``: statements per named graph, instances per class, statements per property."""

from __future__ import annotations

import pyoxigraph as ox

from kg.config import Settings
from kg.query import format_table

__all__ = ["stats_text"]

QUERIES = {
    "statements per graph": "SELECT ?graph (COUNT(*) AS ?statements) WHERE { GRAPH ?graph { ?s ?p ?o } } "
    "GROUP BY ?graph ORDER BY DESC(?statements) ?graph",
    "instances per class (all graphs)": "SELECT ?class (COUNT(DISTINCT ?s) AS ?instances) "
    "WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?instances) ?class",
    "statements per property (all graphs)": "SELECT ?property (COUNT(*) AS ?statements) "
    "WHERE { SELECT DISTINCT ?s ?property ?o { ?s ?property ?o } } "
    "GROUP BY ?property ORDER BY DESC(?statements) ?property",
}


def stats_text(store: ox.Store, settings: Settings) -> str:
    """The three count tables as text."""
    parts = []
    for title, q in QUERIES.items():
        res = store.query(q, use_default_graph_as_union=True)
        assert isinstance(res, ox.QuerySolutions)
        parts.append(f"{title}:\n" + format_table(res.variables, res, settings.prefixes))
    return "\n".join(parts)
