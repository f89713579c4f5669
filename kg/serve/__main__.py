"""``python -m kg.serve [options]``: the same as ``kg serve``, for when the CLI is not at hand."""

from __future__ import annotations

import argparse
import sys

from kg.config import settings
from kg.errors import KgError
from kg.serve.options import ServeOptions, add_arguments
from kg.serve.run import run_serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.serve", description="Serve the built graph over HTTP.")
    add_arguments(parser)
    options = ServeOptions.from_args(parser.parse_args(argv))
    try:
        run_serve(settings(), options)
    except KgError as exc:
        print(f"kg serve: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
