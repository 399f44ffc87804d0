"""`jiesu --help` is laid out by jiesu (cli.render.root_help), not by Typer's help module: it must be
byte for byte the page Typer prints (typer.rich_utils.rich_format_help), in both languages, at any
width, with colour and without; a Typer that changes its look fails here instead of drifting."""

import os
import re
import subprocess
import sys

import pytest
import typer.main
from rich.cells import cell_len
from typer import rich_utils

from jiesu.cli import app
from jiesu.cli.languages import TYPER_ZH, localise_help, localise_typer
from jiesu.cli.render.root_help import STRINGS_EN, print_root_help


@pytest.fixture
def terminal(monkeypatch):
    """Set the terminal the page is printed for: its width and whether it takes colour (as Typer
    reads FORCE_COLOR when imported)."""

    def set_terminal(width: int, colour: bool) -> None:
        for name in ("FORCE_COLOR", "NO_COLOR", "TERMINAL_WIDTH", "COLORTERM", "GITHUB_ACTIONS", "PY_COLORS"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("COLUMNS", str(width))
        monkeypatch.setenv("TERM", "xterm-256color")
        monkeypatch.setenv("FORCE_COLOR" if colour else "NO_COLOR", "1")
        monkeypatch.setattr(rich_utils, "FORCE_TERMINAL", True if colour else None)
        monkeypatch.setattr(rich_utils, "MAX_WIDTH", None)

    return set_terminal


def root_in(lang: str):
    """The root command with its help texts in `lang`, and a context as `jiesu --help` makes it."""
    root = typer.main.get_command(app)
    root._help_lang = lang
    localise_help(root, lang)
    localise_typer(lang)  # Typer's headings, for Typer's page
    return root, root.make_context("jiesu", [], resilient_parsing=True)


def printed(capsys, show) -> str:
    capsys.readouterr()
    show()
    return capsys.readouterr().out


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
@pytest.mark.parametrize("width", [60, 80, 120, 200])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_root_page_is_the_page_typer_prints(capsys, terminal, lang, width, colour):
    terminal(width, colour)
    root, ctx = root_in(lang)
    with root._listed():
        ours = printed(capsys, lambda: print_root_help(root, ctx, TYPER_ZH if lang == "zh" else STRINGS_EN))
        typers = printed(capsys, lambda: rich_utils.rich_format_help(obj=root, ctx=ctx, markup_mode="rich"))
    assert ours == typers
    assert ("\033[" in ours) == colour
    text = re.sub(r"\033\[[0-9;]*m", "", ours)
    assert " init " in text and "--operator" in text
    assert ("─ 选项 ─" in text) == (lang == "zh")
    assert all(cell_len(line) <= width for line in text.splitlines())


def test_the_english_strings_are_typers(monkeypatch):
    localise_typer("en")
    assert {name: getattr(rich_utils, name) for name in STRINGS_EN} == STRINGS_EN
    assert set(STRINGS_EN) <= set(TYPER_ZH)


def test_a_root_of_another_shape_is_left_to_typer(capsys, terminal):
    terminal(80, False)
    root, ctx = root_in("en")
    root.epilog = "An epilog jiesu does not lay out."
    assert printed(capsys, lambda: print_root_help(root, ctx, STRINGS_EN)) == ""
    with root._listed():
        typers = printed(capsys, lambda: rich_utils.rich_format_help(obj=root, ctx=ctx, markup_mode="rich"))
    assert printed(capsys, lambda: root.format_help(ctx, None)) == typers
    assert "An epilog jiesu does not lay out." in typers


SHOW_HELP = """
import sys
from jiesu.cli import app
sys.argv = ["jiesu", *sys.argv[1:]]
try:
    app()
finally:
    heavy = ("typer.rich_utils", "rich.markdown", "rich.traceback")
    print(sorted(name for name in sys.modules if name in heavy), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["-h"], [], ["--lang", "en", "--help"]], ids=" ".join)
def test_a_process_shows_the_page_typer_prints_without_importing_typers_help(capsys, terminal, args):
    terminal(80, True)
    lang = "en" if "en" in args else "zh"
    env = {name: value for name, value in os.environ.items() if not name.startswith("JIESU_")}
    shown = subprocess.run(
        [sys.executable, "-c", SHOW_HELP, *args], capture_output=True, text=True, env=env, check=False
    )
    assert shown.returncode == (2 if not args else 0), shown.stderr
    assert shown.stderr.strip() == "[]"
    root, ctx = root_in(lang)
    ctx.info_name = "jiesu"
    with root._listed():
        typers = printed(capsys, lambda: rich_utils.rich_format_help(obj=root, ctx=ctx, markup_mode="rich"))
    assert shown.stdout == typers + ("\n" if args else "")  # Click's help option ends with a newline
