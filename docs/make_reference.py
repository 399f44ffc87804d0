"""Regenerate docs/commands.md from the CLI itself: python docs/make_reference.py

Every command is found by walking the CLI's own command tree (a new command appears without editing
this file), and its help is rendered in-process at a fixed width. tests/docs/test_reference.py fails
when docs/commands.md is stale.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).with_name("commands.md")
WIDTH = 100


def command_paths() -> Iterator[list[str]]:
    """Every command of `jiesu`, groups before their commands, in the order `--help` lists them."""
    import typer

    from jiesu.cli import app

    def walk(command: Any, path: list[str]) -> Iterator[list[str]]:
        yield path
        for name, sub in getattr(command, "commands", {}).items():
            if not sub.hidden:
                yield from walk(sub, [*path, name])

    yield from walk(typer.main.get_command(app), [])


def help_text(path: list[str]) -> str:
    """`jiesu PATH --help` as a terminal WIDTH columns wide without colour shows it."""
    from typer.testing import CliRunner

    from jiesu.cli import app

    env = {"COLUMNS": str(WIDTH), "NO_COLOR": "1", "TERM": "dumb"}
    result = CliRunner(env=env).invoke(app, [*path, "--help"], prog_name="jiesu")
    assert result.exit_code == 0, result.output
    return "\n".join(line.rstrip() for line in result.stdout.splitlines()).strip("\n")


def reference() -> str:
    """The whole reference, as docs/commands.md holds it."""
    parts = ["# jiesu command reference", "", "Generated from the CLI itself by `docs/make_reference.py`.", ""]
    for path in command_paths():
        parts += [f"## jiesu {' '.join(path)}".rstrip(), "", "```text", help_text(path), "```", ""]
    return "\n".join(parts)


def main() -> None:
    REFERENCE.write_text(reference(), encoding="utf-8")


if __name__ == "__main__":
    main()
