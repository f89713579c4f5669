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


def tour_commands() -> list[tuple[str, str]]:
    """The `kg query` and `kg describe` commands shown in the README's tour, with the output shown for each."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme.split("## A short tour", 1)[1].split("\n## ", 1)[0]
    shown = []
    for block in re.findall(r"```text\n(.*?)```", tour, re.DOTALL):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            if command.startswith(("kg query", "kg describe")) and "--param meeting=csto-2024" not in command:
                shown.append((command, output.strip("\n")))
    return shown


def test_the_tour_shows_real_output(built, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """What the README's tour shows is what the commands print (on the build of the project's own sources)."""
    import shlex

    from kg.cli import main

    monkeypatch.setenv("KG_ROOT", str(built.root))
    monkeypatch.setenv("KG_BUILD_DIR", str(built.build_dir))
    commands = tour_commands()
    assert len(commands) >= 5
    for command, shown in commands:
        main(shlex.split(command)[1:])
        out, err = capsys.readouterr()
        assert (out + err).strip("\n") == shown, command
