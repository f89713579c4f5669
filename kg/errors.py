"""Errors a person can act on. Each carries one line that names the file, the line or the term at fault."""

from __future__ import annotations

__all__ = [
    "BuildError",
    "InconsistencyError",
    "KgError",
    "ParameterError",
    "QuerySyntaxError",
    "StaleBuildError",
    "UnknownQueryError",
]


class KgError(Exception):
    """Base class: the message is meant for the person at the terminal, without a traceback."""


class BuildError(KgError):
    """A build stage failed (syntax error, shape violation, failed check); the previous build is intact."""


class InconsistencyError(BuildError):
    """Reasoning found statements that contradict the ontology."""


class StaleBuildError(KgError):
    """There is no build, or it is older than its sources."""


class UnknownQueryError(KgError):
    """No saved query has this name."""


class ParameterError(KgError):
    """A query parameter is missing, unknown or of the wrong type."""


class QuerySyntaxError(KgError):
    """The SPARQL text does not parse; the message is the parser's, with its position."""
