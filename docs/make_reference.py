"""Regenerate docs/commands.md (English) and docs/commands.zh.md (中文) from the CLI itself:
python docs/make_reference.py

Every command is found by walking the CLI's own command tree (a new command appears without editing
this file), and its help is rendered in-process at a fixed width. tests/docs/test_reference.py fails
when docs/commands.md is stale.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).with_name("commands.md")  # --lang en
REFERENCES = {"en": REFERENCE, "zh": Path(__file__).with_name("commands.zh.md")}
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


def help_text(path: list[str], lang: str = "en") -> str:
    """`jiesu --lang LANG PATH --help` as a terminal WIDTH columns wide without colour shows it."""
    from typer.testing import CliRunner

    from jiesu.cli import app

    env = {"COLUMNS": str(WIDTH), "NO_COLOR": "1", "TERM": "dumb", "JIESU_LANG": lang}
    result = CliRunner(env=env).invoke(app, [*path, "--help"], prog_name="jiesu")
    assert result.exit_code == 0, result.output
    return "\n".join(line.rstrip() for line in result.stdout.splitlines()).strip("\n")


TITLES = {
    "en": ["# jiesu command reference", "", "Generated from the CLI itself by `docs/make_reference.py`."],
    "zh": ["# jiesu 命令参考", "", "由 `docs/make_reference.py` 从命令行本身生成（`--lang zh`，默认语言）。"],
}


def reference(lang: str = "en") -> str:
    """The whole reference in `lang`, as docs/commands.md (en) or docs/commands.zh.md (zh) holds it."""
    parts = [*TITLES[lang], ""]
    for path in command_paths():
        parts += [f"## jiesu {' '.join(path)}".rstrip(), "", "```text", help_text(path, lang), "```", ""]
    return "\n".join(parts)


def main() -> None:
    for lang, target in REFERENCES.items():
        target.write_text(reference(lang), encoding="utf-8")


if __name__ == "__main__":
    main()
