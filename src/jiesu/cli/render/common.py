"""What every renderer uses: the consoles, the progress bar, JSON, JSON Lines and CSV on stdout or
into a file (CSV files with a BOM for Excel), plain table rows.

Piped output is for grep, cut and awk: when stdout is not a terminal (and `--format table` was not
asked for), every table prints as tab-separated rows under a header line, a table's title as a
`# title` line before it, and no line is ever wrapped. On a terminal, or with `--format table`
given, tables are boxed as people like them.
"""

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

# Rich's console and table modules are imported where a table or console is made (render/consoles.py):
# a command writing JSON or CSV never needs them, and they cost more than a one-ticket intake's work.


def add_plain_row(table: "Table", *values: Any) -> None:
    """A table row whose text is shown as it is: content from people is never read as Rich markup."""
    from rich.text import Text

    table.add_row(*(Text(value) if isinstance(value, str) else value for value in values))


def console() -> "Console":
    """A console on the current stdout (built per call so test runners can capture it): boxed tables
    on a terminal or when `--format table` was given, tab-separated rows and no wrapping otherwise."""
    from jiesu.cli.render.consoles import stdout_console

    return stdout_console()


def err_console() -> "Console":
    """A console on stderr, for progress and messages that are not the command's output."""
    from rich.console import Console

    return Console(file=sys.stderr)


def progress_bar(errors: "Console", counter: str) -> Any:
    """The bar long commands show on stderr (only on a terminal): description, bar, `counter`
    (a Rich column format such as "{task.percentage:>3.0f}%"), time elapsed; gone when done."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn(counter), TimeElapsedColumn())
    return Progress(*columns, console=errors, transient=True, disable=not errors.is_terminal)


def print_json(data: Any) -> None:
    """One JSON document on stdout, Chinese kept readable."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def print_csv(
    columns: Sequence[str], rows: Iterable[Mapping[str, Any]], out: Path | None = None, encoding: str | None = None
) -> None:
    """CSV with a header row on stdout, or into the file `out` (see `write_text` for the encoding)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    write_text(buffer.getvalue(), out, csv_encoding(encoding, out))


def print_jsonl(rows: Iterable[Any], out: Path | None = None) -> None:
    """One JSON document per line (JSON Lines), on stdout or into the file `out`."""
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    write_text(text, out)


def write_chunks(chunks: Iterable[str], out: Path | None) -> None:
    """Text made piece by piece (a long export) to stdout, or into the file `out` as UTF-8
    (`write_file`)."""
    if out is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        return
    write_file(out, lambda stream: stream.writelines(chunk.encode("utf-8") for chunk in chunks))


def write_file(out: Path, fill: Callable[[BinaryIO], Any]) -> None:
    """The file `out` as `fill` writes it, or a one-line error naming --out. It is written beside
    its target and moved into place when complete, so a failed write (a full disk) leaves neither a
    cut file nor a lost earlier one. (`--out` is always a regular file or a new one: options.out_option.)"""
    import os

    from jiesu.errors import UsageError

    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    try:
        with partial.open("wb") as stream:
            fill(stream)
        os.replace(partial, out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UsageError("out", f"cannot write {out}: {exc.strerror or exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def csv_encoding(chosen: str | None, out: Path | None) -> str:
    """The encoding a CSV is written in: the one asked for; else UTF-8 with a byte-order mark in a
    file (Excel and WPS on Chinese Windows read BOM-less UTF-8 as GBK), plain UTF-8 on stdout."""
    return chosen or ("utf-8-sig" if out is not None else "utf-8")


def write_text(text: str, out: Path | None, encoding: str = "utf-8") -> None:
    """Text to stdout, or to the file `out`, in `encoding` (a stdout encoding other than UTF-8
    is written as bytes, so what a pipe receives is exactly that encoding)."""
    if text and not text.endswith("\n"):
        text += "\n"
    if out is None:
        if encoding == "utf-8" or not hasattr(sys.stdout, "buffer"):
            sys.stdout.write(text)
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode(encoding, errors="replace"))
            sys.stdout.buffer.flush()
        return
    content = text.encode(encoding, errors="replace")
    write_file(out, lambda stream: stream.write(content))


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def minutes(iso_time: str | None) -> str:
    """2021-02-10T10:00:00+08:00 as 2021-02-10 10:00 (tables show the case file's local time)."""
    return (iso_time or "")[:16].replace("T", " ")


def unit_name(code: str | None, rules: Any) -> str:
    """A unit code as tables show it: 和平里街道 (hepingli), or the code alone if the rules lack it."""
    if not code:
        return ""
    unit = rules.units.get(code)
    return f"{unit.name} ({code})" if unit else code
