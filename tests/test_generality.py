"""Another summit is data only: with a second (made-up) session added to graph/, the same ontology, shapes,
checks and saved queries build and answer for it, and the Astana answers do not change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from project_fixtures import copy_tree

from kg.build import build
from kg.catalog import find_query
from kg.config import Settings
from kg.query import format_result, run_query
from kg.store import open_store

FIXTURE = Path(__file__).parent / "fixtures" / "knowledge" / "another-summit.trig"
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def two_summits(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, ox.Store]:
    settings = copy_tree(tmp_path_factory.mktemp("two") / "project")
    shutil.copy(FIXTURE, settings.graph_dir / "zz-fixture-session.trig")
    build(settings)
    return settings, open_store(settings)


def table(settings: Settings, store: ox.Store, name: str, **params: str) -> str:
    q = find_query(settings, name)
    return format_result(run_query(store, q.bind(params, settings.prefixes), settings), "table", settings).decode()


def test_the_ontology_is_unchanged(two_summits: tuple[Settings, ox.Store]) -> None:
    settings, _ = two_summits
    root = Path(__file__).resolve().parent.parent
    for name in ("summit.ttl", "shapes.ttl"):
        assert (settings.ontology_dir / name).read_bytes() == (root / "ontology" / name).read_bytes()


def test_queries_answer_for_the_new_meeting(two_summits: tuple[Settings, ox.Store]) -> None:
    settings, store = two_summits
    meeting = "id:fixture-session-2030"
    participants = table(settings, store, "participants", meeting=meeting)
    assert "id:vladimir-putin" in participants and "id:emomali-rahmon" in participants
    assert "id:kassym-jomart-tokayev" not in participants and participants.rstrip().endswith("(2 rows)")
    missing = table(settings, store, "unrepresented-members", meeting=meeting)
    assert "id:kazakhstan" in missing and "id:cis" in missing and missing.rstrip().endswith("(1 row)")
    places = table(settings, store, "meeting-places", meeting=meeting)
    assert "id:dushanbe" in places and "id:tajikistan" in places
    meetings = table(settings, store, "meetings", organization="id:cis")
    assert "id:fixture-session-2030" in meetings and "id:csto-csc-2024-11-28" not in meetings


@pytest.mark.parametrize("name", ["participants", "unrepresented-members", "signed-documents", "statements"])
def test_astana_answers_do_not_change(two_summits: tuple[Settings, ox.Store], name: str) -> None:
    settings, store = two_summits
    assert table(settings, store, name) == (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")


def test_unrepresented_members_are_members_on_the_day(two_summits: tuple[Settings, ox.Store]) -> None:
    """A membership that ended before the meeting, or began after it, does not make a state unrepresented;
    a membership with a beginning before the meeting and no known end does."""
    settings, store = two_summits
    missing = table(settings, store, "unrepresented-members", meeting="id:fixture-session-2030")
    assert "id:kazakhstan" in missing, "a current member (begun, not ended) is still listed"
    assert "id:fixture-former-member" not in missing, "a membership that ended before the meeting is not listed"
    assert "id:fixture-future-member" not in missing, "a membership that began after the meeting is not listed"
    # Not vacuous: both are recorded members of the CIS (at some time) and neither was represented.
    for state in ("fixture-former-member", "fixture-future-member"):
        assert bool(run_query(store, f"ASK {{ id:{state} org:memberOf id:cis }}", settings)), state
