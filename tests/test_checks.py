"""Every quality check has a fixture that must trigger it and one that must not (SHOULD / SHOULD NOT TRIGGER)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.checks import check_files, run_check
from kg.config import Settings
from kg.load import parse_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "checks"
SETTINGS = Settings(root=ROOT)
CHECKS = check_files(SETTINGS)


def store_with(fixture: Path) -> ox.Store:
    store = ox.Store()
    onto = ox.NamedNode(SETTINGS.ontology_iri)
    for q in parse_file(ROOT / "ontology" / "summit.ttl", SETTINGS, tag="o"):
        store.add(ox.Quad(q.subject, q.predicate, q.object, onto))
    store.extend(parse_file(fixture, SETTINGS, tag="f"))
    return store


def test_there_are_checks() -> None:
    assert len(CHECKS) >= 5


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_triggers_on_its_fixture(check: Path) -> None:
    result = run_check(store_with(FIXTURES / f"{check.stem}.trigger.trig"), check, SETTINGS)
    assert result.rows > 0, f"{check.name} did not trigger on its SHOULD TRIGGER fixture"


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_passes_its_clean_fixture(check: Path) -> None:
    result = run_check(store_with(FIXTURES / f"{check.stem}.pass.trig"), check, SETTINGS)
    assert result.rows == 0, f"{check.name} triggered on its SHOULD NOT TRIGGER fixture:\n{result.table}"


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_fixtures_say_what_they_test(check: Path) -> None:
    for kind, marker in (("trigger", "# SHOULD TRIGGER"), ("pass", "# SHOULD NOT TRIGGER")):
        text = (FIXTURES / f"{check.stem}.{kind}.trig").read_text(encoding="utf-8")
        assert marker in text
