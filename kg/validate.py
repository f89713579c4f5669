"""SHACL validation of the reasoned data with pySHACL, reported in lines a person can act on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.config import Settings
from kg.errors import BuildError

__all__ = ["ShapeResult", "validate"]

SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class ShapeResult:
    """One SHACL result: the node at fault, the property path, the shape's message and its severity."""

    focus: str
    path: str
    message: str
    severity: str
    value: str = ""

    def line(self) -> str:
        where = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: {self.focus}{where}: {self.message}{value}"


def validate(triples: Iterable[ox.Triple], shapes: Iterable[ox.Triple], settings: Settings) -> list[ShapeResult]:
    """Validate ``triples`` against ``shapes``; raise :class:`BuildError` listing every violation.

    Warnings and infos are returned for the caller to print; they do not fail the build.
    """
    import pyshacl
    import rdflib

    from kg.query import prefixed
    from kg.reason import to_rdflib

    data = rdflib.Graph()
    for t in triples:
        data.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    shapes_graph = rdflib.Graph()
    for t in shapes:
        shapes_graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    if len(shapes_graph) == 0:
        return []
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=True
    )
    sh = rdflib.Namespace(SH)
    prefixes = settings.prefixes

    def show(node: object) -> str:
        if node is None:
            return ""
        if isinstance(node, rdflib.URIRef):
            return prefixed(str(node), prefixes)
        if isinstance(node, rdflib.BNode):
            return "a path expression"
        return str(node)

    results = []
    for r in report.subjects(rdflib.RDF.type, sh.ValidationResult):  # type: ignore[union-attr]
        sev = report.value(r, sh.resultSeverity)  # type: ignore[union-attr]
        results.append(
            ShapeResult(
                focus=show(report.value(r, sh.focusNode)),  # type: ignore[union-attr]
                path=show(report.value(r, sh.resultPath)),  # type: ignore[union-attr]
                message=" ".join(str(report.value(r, sh.resultMessage) or "shape violated").split()),  # type: ignore[union-attr]
                severity=str(sev).rsplit("#", 1)[-1] if sev else "Violation",
                value=show(report.value(r, sh.value)),  # type: ignore[union-attr]
            )
        )
    results.sort(key=lambda x: (x.severity, x.focus, x.path, x.message, x.value))
    violations = [r for r in results if r.severity == "Violation"]
    if violations:
        body = "\n".join("  - " + r.line() for r in violations)
        raise BuildError(
            f"the data does not conform to {settings.shapes_file.name} "
            f"({len(violations)} violation{'s' if len(violations) > 1 else ''}):\n{body}"
        )
    return results
