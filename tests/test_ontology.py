"""The ontology: its header, its documentation, its OWL 2 RL profile, and what reasoning with it gives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from knowledge_helpers import (
    FIXTURES,
    ONTOLOGY_FILE,
    ONTOLOGY_IRI,
    SETTINGS,
    ask,
    asserted,
    graph_files,
    load,
    quiet,
    reason,
    reasoned,
)
from rdflib import OWL, RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from kg.query import prefixed

# rdflib's XSD namespace object warns when pytest inspects it; a plain Namespace does not.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
WD = "http://www.wikidata.org/entity/"
VANN = Namespace("http://purl.org/vocab/vann/")
BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD))


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    """rdflib 7.6 warns about its own deprecated Dataset internals on every quad; keep the output readable."""
    with quiet():
        yield


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


# -- Header and documentation ----------------------------------------------------------------------------------


def test_ontology_parses(ontology: Graph) -> None:
    assert len(ontology) > 500


def test_header(ontology: Graph) -> None:
    o = ONTOLOGY_IRI
    assert (o, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(o, OWL.versionIRI) == URIRef("https://w3id.org/summitkg/ontology/0.1.0")
    assert ontology.value(o, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(o, DCTERMS.title)
    assert len(str(ontology.value(o, DCTERMS.description))) > 100
    assert ontology.value(o, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")


def _terms(ontology: Graph) -> set[URIRef]:
    """Every term the ontology describes, plus every class and property the data uses."""
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and s != ONTOLOGY_IRI}
    data = load(graph_files(), ontology=False)
    for _, p, o, _ in data.quads((None, None, None, None)):
        terms.add(p)
        if p == RDF.type and isinstance(o, URIRef):
            terms.add(o)
    return {t for t in terms if not str(t).startswith(BUILTIN)}


def test_every_term_is_documented(ontology: Graph) -> None:
    """Every term, ours or reused, has a label, a comment and says where it is defined."""
    missing = [
        f"{term} lacks {prop.n3()}"
        for term in sorted(_terms(ontology))
        for prop in (RDFS.label, RDFS.comment, RDFS.isDefinedBy)
        if ontology.value(term, prop) is None
    ]
    assert not missing, "\n".join(missing)


def test_every_term_the_data_uses_is_declared(ontology: Graph) -> None:
    declared = {
        s
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for s in ontology.subjects(RDF.type, kind)
    }
    undeclared = sorted(t for t in _terms(ontology) if t not in declared and (t, RDF.type, None) not in ontology)
    assert not undeclared, f"used in graph/ but not declared in the ontology: {undeclared}"


def test_our_terms_are_defined_by_this_ontology(ontology: Graph) -> None:
    ours = [s for s in set(ontology.subjects()) if str(s).startswith(str(ONTOLOGY_IRI) + "#")]
    assert len(ours) > 50
    wrong = [t for t in ours if ontology.value(t, RDFS.isDefinedBy) != ONTOLOGY_IRI]
    assert not wrong


def test_nothing_is_specific_to_one_summit(ontology: Graph) -> None:
    """Terms are general: no term names a particular organization, state or meeting."""
    particular = ("csto", "astana", "tajik", "kazakh", "2024", "cis", "sco")
    ours = [str(s).split("#")[1].lower() for s in ontology.subjects() if str(s).startswith(str(ONTOLOGY_IRI) + "#")]
    assert not [t for t in ours if any(word in t for word in particular)]


# -- OWL 2 RL profile ----------------------------------------------------------------------------------------
# https://www.w3.org/TR/owl2-profiles/#OWL_2_RL: class expressions are allowed only in certain positions
# (subclass side, superclass side, equivalence), some constructs not at all. owl:hasKey is in OWL 2 RL but is
# refused here because owlrl handles it wrongly.

RL_DATATYPES = {
    RDF.PlainLiteral,
    RDF.XMLLiteral,
    RDFS.Literal,
    OWL.real,
    OWL.rational,
    XSD.decimal,
    XSD.integer,
    XSD.nonNegativeInteger,
    XSD.nonPositiveInteger,
    XSD.positiveInteger,
    XSD.negativeInteger,
    XSD.long,
    XSD.int,
    XSD.short,
    XSD.byte,
    XSD.unsignedLong,
    XSD.unsignedInt,
    XSD.unsignedShort,
    XSD.unsignedByte,
    XSD.double,
    XSD.float,
    XSD.string,
    XSD.normalizedString,
    XSD.token,
    XSD.language,
    XSD.Name,
    XSD.NCName,
    XSD.NMTOKEN,
    XSD.boolean,
    XSD.hexBinary,
    XSD.base64Binary,
    XSD.anyURI,
    XSD.dateTime,
    XSD.dateTimeStamp,
}

RL_TYPES = {
    OWL.Ontology,
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.Restriction,
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    OWL.SymmetricProperty,
    OWL.AsymmetricProperty,
    OWL.TransitiveProperty,
    OWL.IrreflexiveProperty,
    OWL.AllDisjointClasses,
    OWL.AllDisjointProperties,
    OWL.AllDifferent,
    OWL.NamedIndividual,
    OWL.NegativePropertyAssertion,
    RDFS.Datatype,
}

RL_PREDICATES = {
    RDF.type,
    RDF.first,
    RDF.rest,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    RDFS.label,
    RDFS.comment,
    RDFS.isDefinedBy,
    RDFS.seeAlso,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    OWL.inverseOf,
    OWL.propertyChainAxiom,
    OWL.disjointWith,
    OWL.propertyDisjointWith,
    OWL.members,
    OWL.distinctMembers,
    OWL.onProperty,
    OWL.someValuesFrom,
    OWL.allValuesFrom,
    OWL.hasValue,
    OWL.maxCardinality,
    OWL.maxQualifiedCardinality,
    OWL.onClass,
    OWL.intersectionOf,
    OWL.unionOf,
    OWL.complementOf,
    OWL.oneOf,
    OWL.versionIRI,
    OWL.versionInfo,
    OWL.sameAs,
    OWL.differentFrom,
    OWL.deprecated,
    OWL.sourceIndividual,
    OWL.assertionProperty,
    OWL.targetIndividual,
    OWL.targetValue,
}

CLASS_EXPRESSION_KEYS = (
    OWL.intersectionOf,
    OWL.unionOf,
    OWL.complementOf,
    OWL.oneOf,
    OWL.someValuesFrom,
    OWL.allValuesFrom,
    OWL.hasValue,
    OWL.maxCardinality,
    OWL.maxQualifiedCardinality,
    OWL.onProperty,
)


def _members(g: Graph, node: Node) -> list[Node]:
    return list(Collection(g, node))


def _check_expression(g: Graph, node: Node, position: str, problems: list[str]) -> None:
    """Check a class expression used as a ``sub``class, ``super``class or ``equiv``alent class."""
    if isinstance(node, URIRef):
        if node == OWL.Thing and position != "filler":
            problems.append(f"owl:Thing used as a {position}class expression")
        return
    if position == "filler":
        position = "sub"
    here = f"{position}class expression {node.n3()}"
    for key in (OWL.intersectionOf,):
        for lst in g.objects(node, key):
            for m in _members(g, lst):
                _check_expression(g, m, position, problems)
    for lst in g.objects(node, OWL.unionOf):
        if position != "sub":
            problems.append(f"owl:unionOf in a {here}: only allowed on the subclass side")
        for m in _members(g, lst):
            _check_expression(g, m, "sub", problems)
    for inner in g.objects(node, OWL.complementOf):
        if position != "super":
            problems.append(f"owl:complementOf in a {here}: only allowed on the superclass side")
        _check_expression(g, inner, "sub", problems)
    if (node, OWL.oneOf, None) in g and position != "sub":
        problems.append(f"owl:oneOf in a {here}: only allowed on the subclass side")
    for filler in g.objects(node, OWL.someValuesFrom):
        if position != "sub":
            problems.append(f"owl:someValuesFrom in a {here}: only allowed on the subclass side")
        _check_expression(g, filler, "filler", problems)
    for filler in g.objects(node, OWL.allValuesFrom):
        if position != "super":
            problems.append(f"owl:allValuesFrom in a {here}: only allowed on the superclass side")
        _check_expression(g, filler, "super", problems)
    for key in (OWL.maxCardinality, OWL.maxQualifiedCardinality):
        for n in g.objects(node, key):
            if position != "super":
                problems.append(f"{key.n3()} in a {here}: only allowed on the superclass side")
            if not isinstance(n, Literal) or n.toPython() not in (0, 1):
                problems.append(f"{key.n3()} {n} in {node.n3()}: only 0 or 1 allowed")
        for filler in g.objects(node, OWL.onClass):
            _check_expression(g, filler, "filler", problems)
    if not any((node, key, None) in g for key in CLASS_EXPRESSION_KEYS):
        problems.append(f"{node.n3()} is not a class expression OWL 2 RL allows")


def rl_violations(g: Graph) -> list[str]:
    """Where ``g`` leaves the OWL 2 RL profile (or uses what owlrl gets wrong), in readable messages."""
    problems: list[str] = []
    own_properties = {
        s
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for s in g.subjects(RDF.type, kind)
    }
    for s, p, o in g:
        annotation = str(p).startswith((str(DCTERMS), str(VANN)))
        if p not in RL_PREDICATES and p not in own_properties and not annotation:
            problems.append(f"{p.n3()} is not allowed (outside OWL 2 RL, or not declared)")
        if p == RDF.type and str(o).startswith(str(OWL)) and o not in RL_TYPES:
            problems.append(f"{s.n3()} is a {o.n3()}, which OWL 2 RL does not allow")
        if p == RDFS.subClassOf:
            _check_expression(g, s, "sub", problems)
            _check_expression(g, o, "super", problems)
        elif p == OWL.equivalentClass:
            _check_expression(g, s, "equiv", problems)
            _check_expression(g, o, "equiv", problems)
        elif p == OWL.disjointWith:
            _check_expression(g, s, "sub", problems)
            _check_expression(g, o, "sub", problems)
        elif p == OWL.members and (s, RDF.type, OWL.AllDisjointClasses) in g:
            for m in _members(g, o):
                _check_expression(g, m, "sub", problems)
        elif p == RDFS.domain or (p == RDFS.range and (s, RDF.type, OWL.DatatypeProperty) not in g):
            _check_expression(g, o, "super", problems)
        elif p == RDFS.range and o not in RL_DATATYPES:
            problems.append(f"{s.n3()} has range {o.n3()}, not a datatype of the OWL 2 RL datatype map")
        elif p == OWL.sameAs and str(o).startswith(WD):
            problems.append(f"{s.n3()} owl:sameAs {o.n3()}: link Wikidata with skos:exactMatch")
    return sorted(set(problems))


def test_ontology_is_owl2_rl(ontology: Graph) -> None:
    assert rl_violations(ontology) == []


HEAD = """
@prefix : <https://example.org/x#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
:p a owl:ObjectProperty . :q a owl:ObjectProperty . :d a owl:DatatypeProperty .
"""

R = "[ a owl:Restriction ; owl:onProperty :p ; "

OUTSIDE_RL = {
    "someValuesFrom as superclass": f":A rdfs:subClassOf {R} owl:someValuesFrom :B ] .",
    "allValuesFrom as subclass": f"{R} owl:allValuesFrom :B ] rdfs:subClassOf :A .",
    "union as superclass": ":A rdfs:subClassOf [ owl:unionOf ( :B :C ) ] .",
    "union as range": ":p rdfs:range [ owl:unionOf ( :B :C ) ] .",
    "complement as subclass": "[ owl:complementOf :B ] rdfs:subClassOf :A .",
    "equivalent to someValuesFrom": f":A owl:equivalentClass {R} owl:someValuesFrom :B ] .",
    "minimum cardinality": f":A rdfs:subClassOf {R} owl:minCardinality 1 ] .",
    "exact cardinality": f":A rdfs:subClassOf {R} owl:cardinality 1 ] .",
    "maximum cardinality 2": f":A rdfs:subClassOf {R} owl:maxCardinality 2 ] .",
    "maximum cardinality on subclass side": f"{R} owl:maxCardinality 1 ] rdfs:subClassOf :A .",
    "hasSelf": f":A rdfs:subClassOf {R} owl:hasSelf true ] .",
    "hasKey (owlrl gets it wrong)": ":A owl:hasKey ( :p ) .",
    "reflexive property": ":p a owl:ReflexiveProperty .",
    "disjoint union": ":A owl:disjointUnionOf ( :B :C ) .",
    "datatype outside the map": ":d rdfs:range xsd:date .",
    "imports": "<https://example.org/x> owl:imports <https://example.org/y> .",
    "sameAs Wikidata": ":a owl:sameAs <http://www.wikidata.org/entity/Q159> .",
}


@pytest.mark.parametrize("name", sorted(OUTSIDE_RL))
def test_profile_checker_catches(name: str) -> None:
    """The checker is not vacuous: each construct outside OWL 2 RL is reported."""
    g = Graph().parse(data=HEAD + OUTSIDE_RL[name], format="turtle")
    assert rl_violations(g), f"{name} was not reported"


def test_profile_checker_accepts_rl_constructs() -> None:
    g = Graph().parse(
        data=HEAD
        + """
        [ a owl:Restriction ; owl:onProperty :p ; owl:someValuesFrom :B ] rdfs:subClassOf :A .
        :A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :p ; owl:allValuesFrom :B ] ,
                           [ a owl:Restriction ; owl:onProperty :q ; owl:maxCardinality 1 ] ,
                           [ owl:complementOf :C ] .
        [ owl:unionOf ( :B :C ) ] rdfs:subClassOf :A .
        :E owl:equivalentClass [ owl:intersectionOf ( :A
            [ a owl:Restriction ; owl:onProperty :p ; owl:hasValue :b ] ) ] .
        :p owl:propertyChainAxiom ( :q :p ) ; rdfs:range :A .
        :d rdfs:range xsd:nonNegativeInteger .
        [] a owl:AllDisjointClasses ; owl:members ( :A :B :C ) .
        """,
        format="turtle",
    )
    assert rl_violations(g) == []


def test_no_same_as_anywhere() -> None:
    """Wikidata is linked with skos:exactMatch only; owl:sameAs would take on all of Wikidata's statements."""
    assert not list(asserted().quads((None, OWL.sameAs, None, None)))


# -- Reasoning -------------------------------------------------------------------------------------------------


def test_reasoned_graph_is_consistent() -> None:
    _, errors = reasoned()
    assert errors == ()


HEADS_OF_STATE = {
    "vladimir-putin": ("russia", "president-of-russia"),
    "kassym-jomart-tokayev": ("kazakhstan", "president-of-kazakhstan"),
    "alexander-lukashenko": ("belarus", "president-of-belarus"),
    "sadyr-japarov": ("kyrgyzstan", "president-of-kyrgyzstan"),
    "emomali-rahmon": ("tajikistan", "president-of-tajikistan"),
}
MEMBER_STATES = ("armenia", "belarus", "kazakhstan", "kyrgyzstan", "russia", "tajikistan")

INFERENCES: list[tuple[str, str]] = [
    *[
        (
            f"{person} attended the session (participation chain, and the inverse)",
            f"id:csto-csc-2024-11-28 schema:attendee id:{person} . id:{person} sk:attended id:csto-csc-2024-11-28 .",
        )
        for person in [*HEADS_OF_STATE, "imangali-tasmagambetov"]
    ],
    *[
        (
            f"{person} holds {post} (tenure chain) and it is held by them",
            f"id:{person} org:holds id:{post} . id:{post} org:heldBy id:{person} .",
        )
        for person, (_, post) in HEADS_OF_STATE.items()
    ],
    *[
        (f"{person} heads {state} (holds its head-of-state post)", f"id:{person} org:headOf id:{state} .")
        for person, (state, _) in HEADS_OF_STATE.items()
    ],
    *[
        (
            f"{state} is a member of the CSTO and the CSTO has it as member (membership chain, inverse)",
            f"id:{state} org:memberOf id:csto . id:csto org:hasMember id:{state} .",
        )
        for state in MEMBER_STATES
    ],
    ("Tasmagambetov heads the CSTO", "id:imangali-tasmagambetov org:headOf id:csto ."),
    (
        "Tasmagambetov holds the post of CSTO Secretary General",
        "id:imangali-tasmagambetov org:holds id:csto-secretary-general .",
    ),
    ("Lebedev holds the post of CIS Secretary-General", "id:sergey-lebedev org:holds id:cis-secretary-general ."),
    ("Russia has the post of President of Russia", "id:russia org:hasPost id:president-of-russia ."),
    ("the session takes place in Astana (location)", "id:csto-csc-2024-11-28 sk:takesPlaceIn id:astana ."),
    (
        "the session takes place in Kazakhstan (location, capital, chain)",
        "id:csto-csc-2024-11-28 sk:takesPlaceIn id:kazakhstan .",
    ),
    (
        "Astana is the capital of Kazakhstan (inverse) and lies in it",
        "id:astana sk:capitalOf id:kazakhstan ; sk:locatedIn id:kazakhstan .",
    ),
    ("Kyrgyzstan is Tajikistan's neighbour (symmetric)", "id:kyrgyzstan sk:neighbourOf id:tajikistan ."),
    ("Afghanistan borders Tajikistan (symmetric)", "id:afghanistan sk:borders id:tajikistan ."),
    (
        "Tajikistan and Afghanistan are neighbours (borders is a kind of neighbour)",
        "id:tajikistan sk:neighbourOf id:afghanistan . id:afghanistan sk:neighbourOf id:tajikistan .",
    ),
    (
        "the CSTO has the Collective Security Council as a unit (inverse)",
        "id:csto org:hasUnit id:csto-collective-security-council .",
    ),
    (
        "the Collective Security Council is an organization (organ, unit)",
        "id:csto-collective-security-council a org:Organization , foaf:Agent .",
    ),
    (
        "the session has the declaration and the resolution as signed documents (inverse)",
        "id:csto-csc-2024-11-28 sk:signedDocument id:csto-csc-2024-11-28-declaration , "
        "id:csto-csc-2024-11-28-resolution-tajik-afghan-border-programme .",
    ),
    (
        "the session has a participation for Putin (inverse)",
        "id:csto-csc-2024-11-28 sk:hasParticipation id:csto-csc-2024-11-28-participation-vladimir-putin .",
    ),
    (
        "Lebedev was invited to the session, and Zhang Ming is its invitee (invitation chain, inverse)",
        "id:sergey-lebedev sk:invitedTo id:csto-csc-2024-11-28 . id:csto-csc-2024-11-28 sk:invitee id:zhang-ming .",
    ),
    (
        "the Kyrgyz chairmanship follows the Kazakh one (inverse)",
        "id:csto-chairmanship-kyrgyzstan-2025 sk:previousChairmanship id:csto-chairmanship-kazakhstan-2024 .",
    ),
    ("the session is an event and a meeting", "id:csto-csc-2024-11-28 a sk:Meeting , schema:Event ."),
    (
        "a head of state is a schema:Person and an agent (equivalence, subclass)",
        "id:vladimir-putin a schema:Person , foaf:Agent .",
    ),
    ("a state is a place and an agent", "id:kazakhstan a schema:Country , schema:Place , foaf:Agent ."),
    (
        "the declaration is a document and a creative work",
        "id:csto-csc-2024-11-28-declaration a foaf:Document , schema:CreativeWork .",
    ),
    ("the programme's preferred name is a label", "id:csto-tajik-afghan-border-programme rdfs:label ?name ."),
    ("a fact graph is a PROV entity", "graph:astana-2024-11-28-tass a prov:Entity ."),
    ("TASS is a PROV agent (attribution)", "id:tass a prov:Agent ."),
]


@pytest.mark.parametrize(("description", "pattern"), INFERENCES, ids=[d for d, _ in INFERENCES])
def test_inference(description: str, pattern: str) -> None:
    """Each holds after reasoning and is not simply written down: the ontology's axioms give it."""
    ds, _ = reasoned()
    assert ask(ds, f"ASK {{ {pattern} }}"), f"not inferred: {description}"
    assert not ask(asserted(), f"ASK {{ {pattern} }}"), f"asserted already, not a test of reasoning: {description}"


def test_one_display_label_per_resource_after_reasoning() -> None:
    """Reasoning must not give a resource a second rdfs:label (queries show one name per resource)."""
    ds, _ = reasoned()
    rows = ds.query(
        "SELECT ?s (COUNT(DISTINCT ?l) AS ?n) WHERE { ?s rdfs:label ?l FILTER(STRSTARTS(STR(?s), STR(id:))) } "
        "GROUP BY ?s HAVING (COUNT(DISTINCT ?l) > 1)",
        initNs={"rdfs": RDFS, "id": Namespace("https://w3id.org/summitkg/id/")},
    )
    assert not list(rows)


def test_an_invitation_is_not_attendance() -> None:
    ds, _ = reasoned()
    for person in ("sergey-lebedev", "zhang-ming"):
        assert not ask(ds, f"ASK {{ id:csto-csc-2024-11-28 schema:attendee id:{person} }}")
        assert not ask(ds, f"ASK {{ id:{person} sk:attended ?meeting }}")


def test_armenia_is_a_member_but_did_not_attend() -> None:
    ds, _ = reasoned()
    assert ask(ds, "ASK { id:armenia org:memberOf id:csto }")
    assert not ask(ds, "ASK { ?p sk:represents id:armenia }")


# -- Contradictions are caught and named -------------------------------------------------------------------------

CONTRADICTIONS = [
    (
        "person-and-organization.trig",
        "https://w3id.org/summitkg/id/example-person-organization",
        "http://xmlns.com/foaf/0.1/Person",
        "http://www.w3.org/ns/org#Organization",
    ),
    (
        "state-as-organization.trig",
        "https://w3id.org/summitkg/id/example-state",
        "http://www.w3.org/ns/org#Organization",
        "https://schema.org/Place",
    ),
    (
        "meeting-as-location.trig",
        "https://w3id.org/summitkg/id/example-meeting",
        "https://schema.org/Event",
        "https://schema.org/Place",
    ),
]


@pytest.mark.parametrize(("fixture", "individual", "class_a", "class_b"), CONTRADICTIONS)
def test_contradiction_is_caught_and_named(fixture: str, individual: str, class_a: str, class_b: str) -> None:
    ds: Dataset = load([Path(FIXTURES / fixture)])
    errors = reason(ds)
    individual, class_a, class_b = (prefixed(x, SETTINGS.prefixes) for x in (individual, class_a, class_b))
    naming = [e for e in errors if individual in e and class_a in e and class_b in e]
    assert naming, f"no inconsistency names {individual}, {class_a} and {class_b}; owlrl said: {errors}"


# -- The picture -----------------------------------------------------------------------------------------------


def test_diagram_shows_every_class_and_is_current(ontology: Graph) -> None:
    """The DOT is deterministic and has every class; docs/ontology.svg was rendered from the current ontology."""
    from kg.diagram import ontology_dot

    dot = ontology_dot(ONTOLOGY_FILE)
    assert dot == ontology_dot(ONTOLOGY_FILE)
    svg = (ONTOLOGY_FILE.parent.parent / "docs" / "ontology.svg").read_text(encoding="utf-8")
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef):
            name = ontology.namespace_manager.normalizeUri(cls)
            assert f'"{name}"' in dot, name
            assert f">{name}<" in svg, f"{name} is missing from docs/ontology.svg: re-render it (see kg/diagram.py)"
