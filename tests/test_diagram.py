"""The ontology picture in the README is generated from the Turtle and kept in step with it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from kg.diagram import ontology_dot

ROOT = Path(__file__).resolve().parent.parent


def test_committed_picture_source_matches_the_ontology() -> None:
    committed = (ROOT / "docs" / "ontology.dot").read_text(encoding="utf-8")
    assert committed == ontology_dot(ROOT / "ontology" / "summit.ttl"), (
        "docs/ontology.dot is out of date: python -m kg.diagram ontology/summit.ttl > docs/ontology.dot "
        "&& dot -Tsvg docs/ontology.dot -o docs/ontology.svg"
    )


def test_picture_renders() -> None:
    dot = shutil.which("dot")
    assert dot, "Graphviz is missing: scripts/setup.sh --test installs it"
    svg = subprocess.run([dot, "-Tsvg", str(ROOT / "docs" / "ontology.dot")], capture_output=True, check=True).stdout
    assert b"<svg" in svg and b"sk:Session" in svg
    assert b"sk:Session" in (ROOT / "docs" / "ontology.svg").read_bytes()
