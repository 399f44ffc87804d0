"""Options every command shares the same way: one output-format vocabulary and one `--format`.

Every command that prints data takes `--format` through `format_option`, naming the formats it
writes; the value is always an `OutputFormat`, so renderers switch on one enum everywhere.
"""

from collections.abc import Callable
from enum import StrEnum
from typing import Any

import typer


class OutputFormat(StrEnum):
    """What a command writes: a Rich table for people, or a machine format for scripts and files."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    MARKDOWN = "markdown"
    XLSX = "xlsx"


SINGLE = (OutputFormat.TABLE, OutputFormat.JSON)  # one record (a ticket, a step, a decision)
LISTED = (OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.CSV)  # rows of records


def format_option(*allowed: OutputFormat, help: str = "Output format.") -> Any:
    """`--format` accepting only `allowed` (the first is the default), as an OutputFormat."""
    return typer.Option("--format", help=help, metavar="|".join(allowed), parser=_only(allowed))


def _only(allowed: tuple[OutputFormat, ...]) -> Callable[[str], OutputFormat]:
    def parse(value: str) -> OutputFormat:
        if isinstance(value, OutputFormat) or value in {f.value for f in allowed}:
            return OutputFormat(value)
        from jiesu.errors import UsageError

        raise UsageError("format", f"unknown format {value!r}; use {', '.join(allowed)}")

    return parse
