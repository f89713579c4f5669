"""Everything the graph says about one resource: outgoing and incoming statements, each with the named graphs
that hold it, the sources those graphs are attributed to, and whether reasoning added it.

Used by ``kg describe`` and by the server's linked-data pages, so both show the same thing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.config import Settings

__all__ = ["Description", "Statement", "describe", "graph_sources"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "https://schema.org/name",
    "http://xmlns.com/foaf/0.1/name",
)
EXACT_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
PROV_ATTRIBUTED = "http://www.w3.org/ns/prov#wasAttributedTo"


@dataclass(frozen=True)
class Statement:
    """One triple about the resource, with where it comes from."""

    subject: ox.NamedNode | ox.BlankNode
    predicate: ox.NamedNode
    object: ox.NamedNode | ox.BlankNode | ox.Literal
    graphs: tuple[str, ...]
    sources: tuple[str, ...]
    inferred: bool
    hedged: bool = False


@dataclass(frozen=True)
class Description:
    """What :func:`describe` returns; ``exists`` is false when the graph says nothing about the IRI."""

    iri: str
    label: str | None
    types: tuple[str, ...]
    outgoing: tuple[Statement, ...]
    incoming: tuple[Statement, ...]
    exact_matches: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def exists(self) -> bool:
        return bool(self.outgoing or self.incoming)

    def triples(self) -> Iterator[ox.Triple]:
        """The statements as distinct triples (outgoing first), for RDF serializations."""
        seen: set[ox.Triple] = set()
        for st in self.outgoing + self.incoming:
            t = ox.Triple(st.subject, st.predicate, st.object)
            if t not in seen:
                seen.add(t)
                yield t


@dataclass(frozen=True)
class GraphInfo:
    sources: tuple[str, ...]
    hedged: bool


def graph_sources(store: ox.Store, settings: Settings) -> dict[str, GraphInfo]:
    """For every named graph described with PROV-O: the agents it is attributed to and whether it is hedged."""
    q = """
    SELECT ?g ?src ?hedged WHERE {
      ?g prov:wasAttributedTo ?src .
      OPTIONAL { ?g sk:hedged ?hedged }
    }"""
    acc: dict[str, set[str]] = defaultdict(set)
    hedged: dict[str, bool] = {}
    rows = store.query(settings.rebase(q), prefixes=settings.prefixes, use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        g = row["g"].value
        acc[g].add(row["src"].value)
        h = row["hedged"]
        hedged[g] = hedged.get(g, False) or (h is not None and h.value == "true")
    return {g: GraphInfo(tuple(sorted(s)), hedged.get(g, False)) for g, s in acc.items()}


def _statements(quads: Iterable[ox.Quad], info: dict[str, GraphInfo], settings: Settings) -> list[Statement]:
    """Group quads by triple. A statement is inferred when no asserted graph holds it, and hedged when every graph
    that holds it is hedged: a "reportedly" graph, or the graph of what reasoning derives from such facts."""
    firm_inferred, reported_inferred = settings.inferred_graphs
    unknown = GraphInfo((), False)
    by_triple: dict[ox.Triple, list[str]] = defaultdict(list)
    for q in quads:
        if isinstance(q.graph_name, ox.NamedNode):
            by_triple[q.triple].append(q.graph_name.value)
    out = []
    for t, graphs in by_triple.items():
        gs = tuple(sorted(set(graphs)))
        asserted = [g for g in gs if g not in (firm_inferred, reported_inferred)]
        sources = sorted({s for g in asserted for s in info.get(g, unknown).sources})
        hedged = all(g == reported_inferred or (g != firm_inferred and info.get(g, unknown).hedged) for g in gs)
        out.append(
            Statement(t.subject, t.predicate, t.object, gs, tuple(sources), inferred=not asserted, hedged=hedged)  # type: ignore[arg-type]
        )
    out.sort(key=lambda s: (s.predicate.value != RDF_TYPE, s.predicate.value, str(s.subject), str(s.object)))
    return out


def _label(store: ox.Store, node: ox.NamedNode) -> str | None:
    for p in LABELS:
        best = None
        for q in store.quads_for_pattern(node, ox.NamedNode(p), None, None):
            o = q.object
            if isinstance(o, ox.Literal) and (best is None or o.language in ("en", None)):
                best = o.value
        if best:
            return best
    return None


def describe(store: ox.Store, iri: str, settings: Settings) -> Description:
    """Every statement about ``iri`` in the built store.

    >>> from kg.config import Settings
    >>> s = ox.Store()
    >>> g = ox.NamedNode("https://w3id.org/summitkg/graph/x")
    >>> s.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("v"), g))
    >>> d = describe(s, "http://e/a", Settings())
    >>> [(st.predicate.value, st.object.value, st.inferred) for st in d.outgoing]
    [('http://e/p', 'v', False)]
    """
    node = ox.NamedNode(iri)
    info = graph_sources(store, settings)
    outgoing = _statements(store.quads_for_pattern(node, None, None, None), info, settings)
    incoming = _statements(store.quads_for_pattern(None, None, node, None), info, settings)
    types = tuple(sorted({st.object.value for st in outgoing if st.predicate.value == RDF_TYPE}))
    matches = tuple(sorted({st.object.value for st in outgoing if st.predicate.value == EXACT_MATCH}))
    labels: dict[str, str] = {}
    for st in outgoing + incoming:
        for src in st.sources:
            if src not in labels and (lab := _label(store, ox.NamedNode(src))):
                labels[src] = lab
        for t in (st.subject, st.predicate, st.object, *map(ox.NamedNode, st.sources)):
            if isinstance(t, ox.NamedNode) and t.value not in labels:
                lab = _label(store, t)
                if lab:
                    labels[t.value] = lab
    return Description(
        iri=iri,
        label=labels.get(iri),
        types=types,
        outgoing=tuple(outgoing),
        incoming=tuple(incoming),
        exact_matches=matches,
        labels=labels,
    )


def describe_text(d: Description, settings: Settings) -> str:
    """A description as aligned text for the terminal: outgoing, then incoming statements, each with the
    sources that report it, "inferred" for what reasoning added and "reportedly" for hedged reports."""
    from kg.query import term_text

    prefixes = settings.prefixes

    def short(text: str, width: int = 48) -> str:
        return text if len(text) <= width else text[: width - 1] + "…"

    def show(t: object) -> str:
        s = term_text(t, prefixes)
        if isinstance(t, ox.NamedNode) and t.value in d.labels and t.value != d.iri:
            s += f" ({short(d.labels[t.value], 40)})"
        return short(s, 80) if isinstance(t, ox.Literal) else s

    def note(st: Statement) -> str:
        if st.inferred:
            return "inferred" + (" (reportedly)" if st.hedged else "")
        src = "; ".join(d.labels.get(x, term_text(ox.NamedNode(x), prefixes)) for x in st.sources) or "?"
        return src + (" (reportedly)" if st.hedged else "")

    def table(rows: list[tuple[str, str, str]]) -> list[str]:
        if not rows:
            return ["  (none)"]
        w0 = max(len(r[0]) for r in rows)
        w1 = max(len(r[1]) for r in rows)
        return [f"  {a.ljust(w0)}  {b.ljust(w1)}  {c}".rstrip() for a, b, c in rows]

    lines = [term_text(ox.NamedNode(d.iri), prefixes) + (f"  {d.label}" if d.label else "")]
    if d.types:
        lines.append("types: " + ", ".join(term_text(ox.NamedNode(t), prefixes) for t in d.types))
    if d.exact_matches:
        lines.append("same as: " + ", ".join(d.exact_matches))
    lines += ["", f"outgoing ({len(d.outgoing)}):  property, value, source"]
    lines += table([(term_text(st.predicate, prefixes), show(st.object), note(st)) for st in d.outgoing])
    lines.append(f"incoming ({len(d.incoming)}):  resource, property, source")
    lines += table([(show(st.subject), term_text(st.predicate, prefixes), note(st)) for st in d.incoming])
    return "\n".join(lines) + "\n"
