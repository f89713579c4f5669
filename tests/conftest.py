"""Shared fixtures: one build of the real sources per test session, and scratch copies of the project tree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from project_fixtures import copy_tree

from kg.build import BuildReport, build
from kg.config import Settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of a build of the project's own sources, made once for the session in a scratch folder."""
    settings = Settings(root=ROOT, build_dir=tmp_path_factory.mktemp("session") / "build")
    build(settings)
    return settings


@pytest.fixture(scope="session")
def store(built: Settings) -> Iterator[ox.Store]:
    yield ox.Store.read_only(str(built.store_dir))


@pytest.fixture
def tree(tmp_path: Path) -> Settings:
    return copy_tree(tmp_path / "project")


@pytest.fixture(scope="session")
def built_tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, BuildReport]:
    """A copy of the project, built once: for tests that change sources and compare with the last build."""
    settings = copy_tree(tmp_path_factory.mktemp("tree") / "project")
    return settings, build(settings)
