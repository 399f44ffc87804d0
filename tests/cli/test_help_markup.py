"""Help texts are read as Rich markup by Typer, so a square bracket that is not escaped can vanish:
`([[topics]])` was shown as `([])` in `jiesu --help`, `jiesu topics --help` and `report --help`.
Every help text, in English and in Chinese, must show exactly what it says."""

import typer.main
from rich.text import Text
from typer.testing import CliRunner

from jiesu.cli import app
from jiesu.cli.help_zh import HELP_ZH
from jiesu.cli.languages import help_texts

WIDE = {"COLUMNS": "250", "NO_COLOR": "1", "TERM": "dumb"}


def shown(markup: str) -> str:
    """What Rich prints for the text (markup read, escapes taken away)."""
    return Text.from_markup(markup).plain


def loses_a_bracket(markup: str) -> bool:
    """Whether Rich shows fewer square brackets than the text means (an escaped `\\[` means one)."""
    return shown(markup).count("[") < markup.count("[") - markup.count("\\[")


def test_no_help_text_loses_a_bracket_to_rich_markup():
    texts = {where: english for where, _owner, english in help_texts(typer.main.get_command(app))}
    lost = {where: text for where, text in texts.items() if loses_a_bracket(text)}
    lost |= {f"{where} (zh)": HELP_ZH[t] for where, t in texts.items() if t in HELP_ZH and loses_a_bracket(HELP_ZH[t])}
    assert texts and not lost, f"help texts whose brackets Rich reads as markup (escape them as \\[): {lost}"


def test_the_topics_helps_show_the_rules_table_name():
    runner = CliRunner()
    for args in (["--help"], ["topics", "--help"], ["report", "--help"]):
        for lang in ("zh", "en"):
            result = runner.invoke(app, ["--lang", lang, *args], env=WIDE)
            assert result.exit_code == 0, result.output
            assert "[[topics]]" in result.output, (lang, args, result.output)
            assert "[]" not in result.output and "\\[" not in result.output
