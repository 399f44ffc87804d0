"""The consoles tables are printed on: boxed on a terminal, tab-separated rows in a pipe
(render/common.py explains when). Imported only by commands that print a table."""

import sys
from typing import Any

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text


def stdout_console() -> Console:
    """A console on the current stdout (built per call so test runners can capture it): boxed tables
    on a terminal or when `--format table` was given, tab-separated rows and no wrapping otherwise."""
    boxed = Console(file=sys.stdout, soft_wrap=False)
    if boxed.is_terminal or _table_asked_for():
        return boxed
    return PipedConsole(file=sys.stdout, soft_wrap=True, width=_NO_WRAP_WIDTH)


_NO_WRAP_WIDTH = 10_000  # wide enough that nothing is folded; the widest table layout is chosen


def _table_asked_for() -> bool:
    """Whether the running command's `--format` was given as `table` on the command line or by
    environment (only a default leaves the choice to the terminal)."""
    from typer._click.globals import get_current_context  # Typer's own Click

    ctx = get_current_context(silent=True)
    if ctx is None or "format" not in ctx.params:
        return False
    source = ctx.get_parameter_source("format")
    return source is not None and source.name in ("COMMANDLINE", "ENVIRONMENT", "PROMPT")


class PipedConsole(Console):
    """A console for a pipe: tables as tab-separated rows, everything else as plain unwrapped text."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        """Tables as `plain_rows`, other renderables as Rich prints them (without wrapping)."""
        pending: list[Any] = []
        for item in objects:
            if isinstance(item, Table):
                if pending:
                    super().print(*pending, **kwargs)
                    pending = []
                self.file.write("".join(line + "\n" for line in plain_lines(item, self)))
            else:
                pending.append(item)
        if pending or not objects:
            super().print(*pending, **kwargs)


def plain_lines(table: Table, console: Console) -> list[str]:
    """A table as lines of tab-separated cells: `# title`, the header (when the table shows one),
    one line per row; tabs and line breaks inside a cell become spaces."""
    lines = [f"# {_plain(table.title, console)}"] if table.title else []
    columns = table.columns
    if table.show_header:
        lines.append("\t".join(_plain(c.header, console) for c in columns))
    cells = [list(c.cells) for c in columns]
    for row in zip(*cells, strict=True):
        lines.append("\t".join(_plain(cell, console) for cell in row))
    return lines


def _plain(value: "RenderableType | None", console: Console) -> str:
    if value is None:
        return ""
    if isinstance(value, Text):
        text = value.plain
    elif isinstance(value, str):
        from rich.errors import MarkupError

        try:
            text = Text.from_markup(value).plain  # a table reads a str cell as markup
        except MarkupError:
            text = value
    else:
        with console.capture() as captured:
            console.print(value, soft_wrap=True)
        text = captured.get().strip()
    return " ".join(text.replace("\t", " ").splitlines())
