"""Writing graphs in the standard formats, deterministically: quads are sorted before they are serialized, and
blank nodes carry the labels the loader gave them, so the same sources always give the same bytes.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox

from kg.config import Settings
from kg.errors import KgError
from kg.query import RDF_FORMATS

__all__ = ["DATASET_FORMATS", "jsonld_context", "scope_quads", "serialize", "sort_key"]

#: Formats that keep named graphs; the others get the union of the graphs' triples.
DATASET_FORMATS = {"trig", "nquads", "jsonld"}


def sort_key(q: ox.Quad | ox.Triple) -> tuple[str, str, str, str]:
    g = str(q.graph_name) if isinstance(q, ox.Quad) else ""
    return (g, str(q.subject), str(q.predicate), str(q.object))


def scope_quads(store: ox.Store, scope: str, settings: Settings) -> list[ox.Quad]:
    """Quads of the named graphs in ``scope`` (``all``, ``asserted``, ``inferred`` or a graph IRI), sorted."""
    inferred = settings.inferred_graphs
    if scope == "all":
        quads = [q for q in store if isinstance(q.graph_name, ox.NamedNode)]
    elif scope == "asserted":
        quads = [q for q in store if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value not in inferred]
    elif scope == "inferred":
        quads = [q for g in inferred for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))]
    elif scope.startswith(("http://", "https://", "urn:")):
        g = ox.NamedNode(scope)
        if not store.contains_named_graph(g):
            raise KgError(f"no graph named <{scope}> in the build")
        quads = list(store.quads_for_pattern(None, None, None, g))
    else:
        raise KgError(f"unknown graph {scope!r}: use all, asserted, inferred or a graph IRI")
    quads.sort(key=sort_key)
    return quads


def jsonld_context(prefixes: Mapping[str, str]) -> dict[str, Any]:
    return {"@context": dict(sorted(prefixes.items()))}


def _compact(value: Any, prefixes: list[tuple[str, str]]) -> Any:
    def iri(v: str) -> str:
        for pfx, ns in prefixes:
            if v.startswith(ns) and not v[len(ns) :].startswith("//") and len(v) > len(ns):
                return f"{pfx}:{v[len(ns) :]}"
        return v

    if isinstance(value, list):
        return [_compact(v, prefixes) for v in value]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            key = k if k.startswith("@") else iri(k)
            if k in ("@id", "@type") and isinstance(v, str):
                out[key] = iri(v)
            else:
                out[key] = _compact(v, prefixes)
        return out
    return value


def _jsonld(items: list[ox.Quad] | list[ox.Triple], prefixes: Mapping[str, str]) -> bytes:
    buf = io.BytesIO()
    ox.serialize(items, buf, ox.RdfFormat.JSON_LD)
    expanded = json.loads(buf.getvalue() or b"[]")
    ordered = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
    doc = {**jsonld_context(prefixes), "@graph": _compact(expanded, ordered)}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode()


def serialize(quads: Iterable[ox.Quad], fmt: str, settings: Settings) -> bytes:
    """Serialize quads as ``fmt`` (a key of :data:`kg.query.RDF_FORMATS`).

    Triple formats (Turtle, N-Triples, RDF/XML) get the distinct triples of all the graphs.
    """
    if fmt not in RDF_FORMATS:
        raise KgError(f"unknown format {fmt!r}: use one of {', '.join(RDF_FORMATS)}")
    items: list[ox.Quad] | list[ox.Triple] = sorted(quads, key=sort_key)
    if fmt not in DATASET_FORMATS:
        items = sorted({q.triple for q in items if isinstance(q, ox.Quad)}, key=sort_key)
    prefixes = settings.prefixes
    if fmt == "jsonld":
        return _jsonld(items, prefixes)
    buf = io.BytesIO()
    kw: dict[str, Any] = {"prefixes": prefixes} if fmt in ("turtle", "trig", "xml") else {}
    ox.serialize(items, buf, RDF_FORMATS[fmt][0], **kw)
    return buf.getvalue()
