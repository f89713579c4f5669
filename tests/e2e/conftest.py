"""End-to-end tests share the server fixtures of ``tests/serve_fixtures.py``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
