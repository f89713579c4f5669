"""SHACL: the project's data conforms to the shapes, and data that breaks them gets a report a person can act on.

Validation runs on the union of the ontology and the data, with pySHACL's inference off (``inference="none"``):
class targets follow the ontology's rdfs:subClassOf triples, which SHACL does by itself.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from knowledge_helpers import FIXTURES, ID, SHAPES_FILE, SK, load, quiet, validate
from rdflib import RDF, Graph, URIRef
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


def test_every_shape_has_a_message() -> None:
    shapes = Graph().parse(SHAPES_FILE)
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        props = list(shapes.objects(shape, SH.property))
        assert shapes.value(shape, SH.message) or props, shape
        for prop in props:
            assert shapes.value(prop, SH.message), f"{shape}: a property shape lacks sh:message"
    assert (None, SH.targetClass, SK.FactGraph) in shapes
