"""Helpers shared by the tests: scratch copies of the project tree (imported by conftest.py and test modules)."""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def copy_tree(dest: Path) -> Settings:
    """A copy of the project's sources (ontology, graph, queries) that a test may break."""
    for name in ("ontology", "graph", "queries"):
        shutil.copytree(ROOT / name, dest / name)
    return Settings(root=dest)
