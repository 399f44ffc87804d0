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
    HTML = "html"
    OPEN311_JSON = "open311-json"
    OPEN311_XML = "open311-xml"


SINGLE = (OutputFormat.TABLE, OutputFormat.JSON)  # one record (a ticket, a step, a decision)
LISTED = (OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.CSV)  # rows of records
ROWS = (OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.JSONL, OutputFormat.CSV)  # rows, also line by line
# What --encoding accepts for CSV: UTF-8 with a byte-order mark is what Excel and WPS recognise.
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")


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


def encoding_option() -> Any:
    """`--encoding` of a CSV: utf-8-sig (with BOM, the default for --out files), utf-8 or gb18030."""
    return typer.Option(
        "--encoding",
        help="CSV text encoding: utf-8|utf-8-sig|gb18030 (default: utf-8-sig with a BOM for --out files, "
        "so Excel and WPS read Chinese; utf-8 on stdout).",
        metavar="|".join(ENCODINGS),
        parser=_encoding,
    )


def _encoding(value: str) -> str:
    if value.lower() in ENCODINGS:
        return value.lower()
    from jiesu.errors import UsageError

    raise UsageError("encoding", f"unknown encoding {value!r}; use {', '.join(ENCODINGS)}")


def out_option(what: str = "Write to this file instead of stdout.") -> Any:
    """`--out FILE`: where a command writes its output (required for xlsx and html). A folder, a
    pipe or a device is refused before any work: a pipe would hold the command until something
    reads it, and a file written beside a device and moved into place would replace the device."""
    return typer.Option("--out", help=what, metavar="FILE", callback=_a_file_to_write)


def _a_file_to_write(value: Any) -> Any:
    if value is not None and value.exists() and not value.is_file():
        from jiesu.errors import UsageError

        if value.is_dir():
            raise UsageError("out", f"{value} is a folder; name a file to write to")
        raise UsageError("out", f"{value} is not a regular file (a pipe, socket or device); name a file to write to")
    return value
