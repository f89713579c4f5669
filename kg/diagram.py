"""A Graphviz picture of the ontology, drawn from the Turtle: classes, subclass edges, and the object
properties that link classes through their domain and range.

The output is deterministic (sorted), so the rendered ``docs/ontology.svg`` only changes when the ontology
does. Render it with ``python -m kg.diagram ontology/summit.ttl | dot -Tsvg -o docs/ontology.svg``.

>>> dot = ontology_dot(Path(__file__).resolve().parent.parent / "ontology" / "summit.ttl")
>>> dot.startswith("digraph ontology {")
True
>>> '"sk:Session" -> "sk:Meeting"' in dot
True
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.config import PREFIXES

__all__ = ["ontology_dot"]

_NAMESPACE_COLOURS = {
    "sk": "#fde7c8",
    "org": "#d9ead3",
    "schema": "#cfe2f3",
    "foaf": "#ead1dc",
    "prov": "#fff2cc",
    "time": "#e6e6e6",
}


def _curie(iri: URIRef) -> str:
    text = str(iri)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return text


def _iris(graph: Graph, subject: URIRef, predicate: URIRef) -> list[URIRef]:
    return sorted(o for o in graph.objects(subject, predicate) if isinstance(o, URIRef))


def ontology_dot(path: Path) -> str:
    """The ontology in ``path`` (Turtle) as a Graphviz DOT digraph.

    Nodes are the named classes; solid edges are object properties from domain to range, labelled with the
    property; hollow-arrow edges point from a class to its superclass; dashed edges join equivalent classes.
    """
    graph = Graph().parse(path, format="turtle")
    classes = sorted(c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef))
    known = set(classes)
    lines = [
        "digraph ontology {",
        '  graph [rankdir=LR, fontname="Helvetica", nodesep=0.3, ranksep=0.5];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=8];',
    ]
    for cls in classes:
        name = _curie(cls)
        colour = _NAMESPACE_COLOURS.get(name.split(":", 1)[0], "#ffffff")
        lines.append(f'  "{name}" [fillcolor="{colour}"];')
    for cls in classes:
        for parent in _iris(graph, cls, RDFS.subClassOf):
            if parent in known:
                lines.append(f'  "{_curie(cls)}" -> "{_curie(parent)}" [arrowhead=empty, color="#777777"];')
        for same in _iris(graph, cls, OWL.equivalentClass):
            if same in known:
                lines.append(f'  "{_curie(cls)}" -> "{_curie(same)}" [dir=both, style=dashed, label="="];')
    properties = sorted(p for p in graph.subjects(RDF.type, OWL.ObjectProperty) if isinstance(p, URIRef))
    for prop in properties:
        for domain in _iris(graph, prop, RDFS.domain):
            for range_ in _iris(graph, prop, RDFS.range):
                if domain in known and range_ in known:
                    lines.append(
                        f'  "{_curie(domain)}" -> "{_curie(range_)}" [label="{_curie(prop)}", color="#1f5fa8"];'
                    )
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print the DOT for the ontology file given (default: ``ontology/summit.ttl``)."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "ontology" / "summit.ttl"
    sys.stdout.write(ontology_dot(path))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
