#!/usr/bin/env bash
# The main job: set up, build the graph, and show it answering a few saved queries.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
kg build
echo; echo '$ kg query participants'; kg query participants
echo; echo '$ kg query unrepresented-members'; kg query unrepresented-members
echo; echo '$ kg query signed-documents'; kg query signed-documents
echo; echo '$ kg describe id:emomali-rahmon'; kg describe id:emomali-rahmon | head -n 25
