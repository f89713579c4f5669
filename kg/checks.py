"""Quality checks: ``queries/checks/*-violation.rq``. A check that returns rows has found something wrong."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.catalog import parse_query_file
from kg.config import Settings
from kg.errors import BuildError, QuerySyntaxError
from kg.query import format_table, run_query

__all__ = ["CheckResult", "check_files", "run_check", "run_checks"]


@dataclass(frozen=True)
class CheckResult:
    name: str
    summary: str
    rows: int
    table: str

    @property
    def ok(self) -> bool:
        return self.rows == 0


def check_files(settings: Settings) -> list[Path]:
    return sorted(settings.checks_dir.glob("*-violation.rq"))


def run_check(store: ox.Store, path: Path, settings: Settings) -> CheckResult:
    """Run one check file on ``store``."""
    q = parse_query_file(path)
    try:
        res = run_query(store, q.text, settings)
    except QuerySyntaxError as exc:
        raise BuildError(f"{path}: {exc}") from None
    if not isinstance(res, ox.QuerySolutions):
        raise BuildError(f"{path}: a check must be a SELECT query")
    solutions = list(res)
    return CheckResult(q.name, q.summary, len(solutions), format_table(res.variables, solutions, settings.prefixes))


def run_checks(store: ox.Store, settings: Settings, *, fail: bool = True) -> list[CheckResult]:
    """Run every check on ``store``; with ``fail``, raise :class:`BuildError` naming each failing check."""
    results = [run_check(store, path, settings) for path in check_files(settings)]
    failed = [r for r in results if not r.ok]
    if fail and failed:
        body = "\n".join(f"{r.name}: {r.summary}\n{r.table}" for r in failed)
        raise BuildError(f"{len(failed)} quality check{'s' if len(failed) > 1 else ''} failed:\n{body}")
    return results
