"""The summit knowledge graph: build, reason over, validate, query, export and serve it.

The public API, each a plain function (the ``kg`` command is a thin layer over them)::

    from kg import settings, build, open_store, find_query, run_query, format_result, describe

Names are imported on first use, so that ``import kg`` stays as light as the query path needs.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"

_API = {
    "Settings": "kg.config",
    "settings": "kg.config",
    "build": "kg.build",
    "BuildReport": "kg.build",
    "open_store": "kg.store",
    "check_fresh": "kg.store",
    "load_catalog": "kg.catalog",
    "find_query": "kg.catalog",
    "SavedQuery": "kg.catalog",
    "run_query": "kg.query",
    "format_result": "kg.query",
    "describe": "kg.describe",
    "serialize": "kg.export",
    "scope_quads": "kg.export",
    "run_checks": "kg.checks",
    "KgError": "kg.errors",
    "publish": "kg.publish",
    "write_bulk": "kg.publish",
    "run_remote": "kg.remote",
}

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
