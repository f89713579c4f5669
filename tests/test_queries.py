"""Every saved query: its header parses, its text parses, it runs, and it gives its golden result.

Golden results are the terminal tables in ``tests/golden/NAME.txt``, with every parameter at its default. After a
deliberate change to the data or a query, regenerate them with ``KG_UPDATE_GOLDEN=1 pytest tests/test_queries.py``
and review the diff like any other change.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.catalog import load_catalog, parse_query_file
from kg.config import Settings
from kg.query import format_result, run_query

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
QUERY_FILES = sorted((ROOT / "queries").glob("*.rq"))
SETTINGS = Settings(root=ROOT)


def body(path: Path) -> str:
    return "\n".join(
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#") and not line.upper().startswith("PREFIX")
    )


def test_enough_saved_queries() -> None:
    assert len(QUERY_FILES) >= 14


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_header(path: Path) -> None:
    q = parse_query_file(path)
    assert q.summary and q.description and q.tags, f"{path.name}: summary, description and tags are required"
    for p in q.parameters:
        assert p.default is not None and p.description, (
            f"{path.name}: parameter {p.name} needs a default and a description"
        )


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_no_hard_coded_instances(path: Path) -> None:
    """Queries are general: instances come in as parameters, never written into the query body."""
    text = body(path)
    assert "summitkg/id/" not in text and not re.search(r"(?<![\w?$])id:", text), path.name


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_ordered(path: Path) -> None:
    """Every SELECT orders its rows, so results (and golden files) are deterministic."""
    q = parse_query_file(path)
    if q.kind == "SELECT":
        assert "ORDER BY" in body(path).upper(), path.name


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_golden(path: Path, built: Settings, store: ox.Store) -> None:
    q = parse_query_file(path)
    result = run_query(store, q.bind({}, built.prefixes), built)
    table = format_result(result, "table", built).decode()
    golden = GOLDEN / f"{path.stem}.txt"
    if os.environ.get("KG_UPDATE_GOLDEN"):
        golden.write_text(table, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}: run with KG_UPDATE_GOLDEN=1 and review it"
    assert table == golden.read_text(encoding="utf-8")
    assert not table.startswith("(no variables)")
    assert "(0 rows)" not in table, f"{path.name} returns nothing on the article's data"


def test_no_orphan_golden_files() -> None:
    names = {p.stem for p in QUERY_FILES}
    assert {g.stem for g in GOLDEN.glob("*.txt")} <= names


def test_catalog_lists_every_file(built: Settings) -> None:
    assert sorted(load_catalog(built)) == sorted(p.stem for p in QUERY_FILES)
