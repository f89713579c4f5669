"""The README's two set-up commands exist, and CI runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quick_start() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [re.sub(r"\s+#.*", "", line).strip() for line in block.strip().splitlines()]


def test_readme_gives_a_demo_and_a_test_command() -> None:
    demo, test = quick_start()
    assert demo == "bash scripts/demo.sh" and test == "bash scripts/test.sh"
    for command in (demo, test):
        assert (ROOT / command.split()[1]).is_file()


def test_ci_runs_the_readme_test_command() -> None:
    _, test = quick_start()
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_test_command_lints_and_type_checks() -> None:
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert "ruff check" in script and "ruff format --check" in script and "mypy kg" in script
    assert "pytest" in script


def test_build_output_is_ignored() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "/build/" in ignored
