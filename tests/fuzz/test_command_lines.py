"""Any command line: jiesu answers, or refuses in one line and leaves the case file as it was."""

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st

from jiesu.cli import app
from tests.fuzz.harness import check_refusal, clean, fuzz_settings
from tests.fuzz.strategies import command_lines

pytestmark = pytest.mark.slow  # minutes: hundreds of inputs, each a command on a fresh case file

# `demo` builds a month of tickets (seconds each); `init` has no input to get wrong.
COMMANDS = {name: command for name, command in typer.main.get_command(app).commands.items() if name not in ("demo",)}


@fuzz_settings(examples=1400)
@given(data=st.data())
def test_any_command_line_answers_or_refuses_in_one_line(template, places, data):
    args = data.draw(command_lines(COMMANDS, template.numbers, places))
    outcome = template.run(args)
    clean(places.folder / "new-out.md")
    if outcome.exit_code != 0:
        # `rules check` lists every problem of a file, one line each
        check_refusal(args, outcome, lines=None if "rules" in args else 1)
