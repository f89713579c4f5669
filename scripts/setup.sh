#!/usr/bin/env bash
# Set up everything the project needs on a fresh Debian machine with Python 3.11:
#   scripts/setup.sh          the Python environment in .venv (the package and its dependencies)
#   scripts/setup.sh --test   the same plus the test tools and the system packages the tests drive
#                             (Debian's chromium for the browser tests, graphviz for the ontology picture,
#                             virtuoso-opensource for the triple-store tests)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install --quiet -e '.[test]'
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v dot >/dev/null 2>&1 || missing+=(graphviz)
  command -v virtuoso-t >/dev/null 2>&1 || missing+=(virtuoso-opensource)
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO=sudo
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  .venv/bin/python -m pip install --quiet -e .
fi
