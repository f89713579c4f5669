#!/usr/bin/env bash
# The tests: set up (Python test tools and the system packages the tests drive), lint, type-check, test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check kg tests benchmarks scripts
.venv/bin/ruff format --check kg tests benchmarks scripts
.venv/bin/mypy kg
.venv/bin/python -m pytest "$@"
