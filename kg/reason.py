"""OWL 2 RL reasoning with owlrl over the union of the asserted graphs.

owlrl writes what it infers into its own graph. It also writes things that are not knowledge: triples with
literal subjects (not RDF at all), reflexive ``owl:sameAs``, ``rdf:type owl:Thing`` on everything, and statements
about the RDF and OWL vocabularies themselves. :func:`reason` drops those, and turns owlrl's silent error nodes
into an :class:`~kg.errors.InconsistencyError` that names the statements that clash.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from rdflib.term import BNode, Literal, Node, URIRef

from kg.config import Settings
from kg.errors import InconsistencyError
from kg.load import graph_name
from kg.query import prefixed

__all__ = ["ERROR_CLASS", "Inference", "hedged_graphs", "reason", "to_oxigraph", "to_rdflib"]

ERROR_NS = "http://www.daml.org/2002/03/agents/agent-ont#"
ERROR_CLASS = URIRef(ERROR_NS + "ErrorMessage")
ERROR_TEXT = URIRef(ERROR_NS + "error")

_VOCAB = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
)
_OWL = rdflib.OWL
_RDFS = rdflib.RDFS
_TAUTOLOGIES = {
    _OWL.sameAs,
    _RDFS.subClassOf,
    _RDFS.subPropertyOf,
    _OWL.equivalentClass,
    _OWL.equivalentProperty,
}
_TOP = {_OWL.Thing, _RDFS.Resource}


def to_rdflib(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


def _is_junk(s: Node, p: Node, o: Node) -> bool:
    if isinstance(s, Literal | BNode):
        return True
    if str(s).startswith(_VOCAB):
        return True
    if p in _TAUTOLOGIES and s == o:
        return True
    if p == rdflib.RDF.type and o in _TOP:
        return True
    return p == _RDFS.subClassOf and o in _TOP


def to_dataset(quads: Iterable[ox.Quad]) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    for q in quads:
        g = ds.graph(URIRef(q.graph_name.value)) if isinstance(q.graph_name, ox.NamedNode) else ds.default_graph
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return ds


HEDGED = "https://w3id.org/summitkg/ontology#hedged"


@dataclass(frozen=True)
class Inference:
    """What OWL 2 RL reasoning adds, split by what it rests on.

    ``firm`` follows from the unhedged facts alone; ``reported`` needs at least one fact that its source gives
    only as "reportedly" (a graph with ``sk:hedged true``), and so is itself only reportedly so.
    """

    firm: list[ox.Triple]
    reported: list[ox.Triple]

    def __len__(self) -> int:
        return len(self.firm) + len(self.reported)

    def all(self) -> list[ox.Triple]:
        return self.firm + self.reported


def hedged_graphs(quads: Iterable[ox.Quad], settings: Settings) -> set[str]:
    """The named graphs described with ``sk:hedged true``."""
    hedged = ox.NamedNode(settings.rebase(HEDGED))
    return {
        q.subject.value
        for q in quads
        if q.predicate == hedged
        and isinstance(q.subject, ox.NamedNode)
        and isinstance(q.object, ox.Literal)
        and q.object.value in ("true", "1")
    }


def _closure(quads: list[ox.Quad], settings: Settings, files: Mapping[str, str]) -> set[ox.Triple]:
    """owlrl's closure of ``quads``, less what is asserted and less owlrl's junk."""
    import owlrl

    ds = to_dataset(quads)
    asserted = {(s, p, o) for s, p, o, _g in ds.quads((None, None, None, None))}
    inferred_graph = ds.graph(URIRef(settings.inferred_graph))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(
        ds, destination=inferred_graph
    )
    errors = sorted(
        str(o)
        for e in inferred_graph.subjects(rdflib.RDF.type, ERROR_CLASS)
        for o in inferred_graph.objects(e, ERROR_TEXT)
    )
    if errors:
        raise InconsistencyError(explain(errors, quads, settings, files))
    return {
        ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in inferred_graph
        if (s, p, o) not in asserted and not _is_junk(s, p, o) and not str(o).startswith(ERROR_NS)
    }


def reason(quads: list[ox.Quad], settings: Settings, files: Mapping[str, str] | None = None) -> Inference:
    """The triples OWL 2 RL reasoning adds to ``quads`` (sorted, without owlrl's junk), firm and reported.

    Reasoning runs over everything (so that contradictions anywhere are caught), and again without the hedged
    graphs: what only the first run derives rests on "reportedly" facts. Raises :class:`InconsistencyError`
    when the data contradicts the ontology.
    """
    files = files or {}
    everything = _closure(quads, settings, files)
    hedged = hedged_graphs(quads, settings)
    if hedged:
        firm_quads = [q for q in quads if graph_name(q) not in hedged]
        # may include statements a hedged graph asserts: derivable without it, they are firm after all
        firm = _closure(firm_quads, settings, files)
    else:
        firm = everything
    key = lambda t: (str(t.subject), str(t.predicate), str(t.object))  # noqa: E731
    return Inference(firm=sorted(firm, key=key), reported=sorted(everything - firm, key=key))


def explain(errors: list[str], quads: list[ox.Quad], settings: Settings, files: Mapping[str, str]) -> str:
    """owlrl's messages with prefixed names, each followed by the asserted statements that mention the
    individuals it names, and the file and graph they come from."""
    prefixes = settings.prefixes
    lines = [f"the data is inconsistent with the ontology ({len(errors)} problem{'s' if len(errors) > 1 else ''}):"]
    by_subject: dict[str, list[ox.Quad]] = {}
    for q in quads:
        if isinstance(q.subject, ox.NamedNode):
            by_subject.setdefault(q.subject.value, []).append(q)
    for err in errors:
        iris = re.findall(r"(?:https?|urn):[^\s,;()<>\"]+", err)
        text = err
        for iri in sorted(set(iris), key=len, reverse=True):
            text = text.replace(iri, prefixed(iri, prefixes))
        lines.append("  - " + " ".join(text.split()))
        for iri in iris:
            onto = settings.ontology_iri
            for q in by_subject.get(iri, []):
                if graph_name(q) == onto:
                    continue
                mentioned = (isinstance(q.object, ox.NamedNode) and q.object.value in iris) or (
                    q.predicate.value in iris
                )
                if not mentioned:
                    continue
                g = graph_name(q)
                where = files.get(g, "?")
                obj = prefixed(q.object.value, prefixes) if isinstance(q.object, ox.NamedNode) else str(q.object)
                lines.append(
                    f"      {prefixed(iri, prefixes)} {prefixed(q.predicate.value, prefixes)} {obj}"
                    f"   (in {prefixed(g, prefixes)}, {where})"
                )
    return "\n".join(lines)
