"""``kg serve``: the built graph over HTTP, read-only. A SPARQL 1.1 Protocol endpoint with a service
description and VoID, the Graph Store Protocol's read side, linked data for every minted IRI, the saved queries,
and a query page, safe by default (time, size and federation limits).

This package's ``__init__`` and :mod:`kg.serve.options` import nothing heavy, so the CLI can add the
``serve`` flags without loading Starlette; :func:`create_app` and :func:`run_serve` load it when called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.serve.options import ServeOptions, add_arguments

if TYPE_CHECKING:
    from kg.serve.app import create_app
    from kg.serve.run import run_serve

__all__ = ["ServeOptions", "add_arguments", "create_app", "run_serve"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from kg.serve.app import create_app

        return create_app
    if name == "run_serve":
        from kg.serve.run import run_serve

        return run_serve
    raise AttributeError(name)
