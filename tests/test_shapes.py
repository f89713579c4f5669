"""SHACL: the project's data conforms to the shapes, and data that breaks them gets a report a person can act on.

Validation runs on the union of the ontology and the data, with pySHACL's inference off (``inference="none"``):
class targets follow the ontology's rdfs:subClassOf triples, which SHACL does by itself.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from knowledge_helpers import FIXTURES, ID, SHAPES_FILE, SK, load, quiet, validate
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH

GRAPH_NS = "https://w3id.org/summitkg/graph/"


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    """rdflib 7.6 warns about its own deprecated Dataset internals on every quad; keep the output readable."""
    with quiet():
        yield


def test_data_conforms() -> None:
    conforms, _, text = validate(load())
    assert conforms, text


@pytest.fixture(scope="module")
def broken() -> tuple[bool, Graph, str]:
    return validate(load([FIXTURES / "broken-shapes.trig"]))


def _messages(report: Graph, focus: URIRef) -> list[str]:
    results = report.subjects(SH.focusNode, focus)
    return sorted(str(m) for r in results for m in report.objects(r, SH.resultMessage))


EXPECTED = [
    (ID["example-session"], "schema:startDate"),
    (ID["example-session"], "schema:location"),
    (ID["example-session"], "sk:sessionOf"),
    (ID["example-participation"], "sk:participant"),
    (ID["example-participation"], "sk:participantRole"),
    (ID["example-declaration"], "sk:signatory"),
    (URIRef(GRAPH_NS + "example-unsourced"), "prov:wasAttributedTo"),
]


@pytest.mark.parametrize(("focus", "missing"), EXPECTED, ids=[f"{f.split('/')[-1]}-{m}" for f, m in EXPECTED])
def test_broken_data_is_reported_by_node_and_what_is_missing(
    broken: tuple[bool, Graph, str], focus: URIRef, missing: str
) -> None:
    conforms, report, text = broken
    assert not conforms
    messages = _messages(report, focus)
    assert any(missing in m for m in messages), f"no message about {missing} for {focus}: {messages}"
    assert str(focus) in text, "the text report names the focus node"


def test_report_text_is_readable(broken: tuple[bool, Graph, str]) -> None:
    _, _, text = broken
    assert "A participation needs exactly one sk:participant" in text
    assert "A named graph of facts needs a source" in text


XSD = "http://www.w3.org/2001/XMLSchema#"
COUNTS = [
    ("nonNegativeInteger 14 (the ontology's range)", Literal("14", datatype=URIRef(XSD + "nonNegativeInteger")), True),
    ("integer 14 (a plain Turtle number)", Literal(14), True),
    ("integer 0", Literal(0), True),
    ("integer -1", Literal(-1), False),
    ("a string", Literal("14"), False),
    ("a decimal", Literal("1.5", datatype=URIRef(XSD + "decimal")), False),
]


@pytest.mark.parametrize(("case", "count", "ok"), COUNTS, ids=[c for c, _, _ in COUNTS])
def test_signed_document_count_takes_what_the_ontology_says(case: str, count: Literal, ok: bool) -> None:
    """sk:signedDocumentCount has the range xsd:nonNegativeInteger: data written so conforms, and so does a plain
    integer that is not negative; anything else is reported with the shape's message."""
    ds = load([])
    meeting = ID["example-meeting-count"]
    ds.graph(URIRef(GRAPH_NS + "example-count")).add((meeting, SK.signedDocumentCount, count))
    conforms, _, text = validate(ds)
    assert conforms is ok, f"{case}: {text}"
    if not ok:
        assert "sk:signedDocumentCount must be one whole number" in text


def test_every_shape_has_a_message() -> None:
    shapes = Graph().parse(SHAPES_FILE)
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        props = list(shapes.objects(shape, SH.property))
        assert shapes.value(shape, SH.message) or props, shape
        for prop in props:
            assert shapes.value(prop, SH.message), f"{shape}: a property shape lacks sh:message"
    assert (None, SH.targetClass, SK.FactGraph) in shapes
