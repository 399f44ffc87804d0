"""What every XLSX jiesu writes shares: title rows, a frozen bold header with an autofilter, column
widths fitted to Chinese text, text cells for ticket numbers and phones, and one-line save errors.

openpyxl is imported by the callers' commands only (it is heavy); this module takes its objects.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiesu.errors import UsageError

TEXT_FORMAT = "@"  # Excel's "Text" number format: the cell is never read as a number or a date
MIN_WIDTH = 6
MAX_WIDTH = 60
INVALID_TITLE = str.maketrans({c: "-" for c in "[]:*?/\\—"})


def display_width(value: Any) -> int:
    """How many columns a value takes in a spreadsheet font: CJK and full-width characters count two."""
    from rich.cells import cell_len

    return 0 if value is None else cell_len(value if isinstance(value, str) else f"{value}")


def sheet_title(title: str, used: set[str]) -> str:
    """A worksheet name Excel accepts: no []:*?/\\, at most 31 characters, no spaces at either end,
    unique in the workbook (`used` is updated)."""
    name = title.translate(INVALID_TITLE).strip()[:31].strip() or "Sheet"
    while name in used:
        name = f"{name[:27].strip()}~{len(used)}"
    used.add(name)
    return name


@dataclass(frozen=True)
class Placed:
    """Where `write_sheet` put the table: its header row and its last row (1-based)."""

    header_row: int
    last_row: int


def write_sheet(
    ws: Any,
    title_lines: Sequence[str],
    headings: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    text_columns: Iterable[int] = (),
    formats: dict[int, str] | None = None,
) -> Placed:
    """Title lines (the first bold and larger), a blank row, then a table: its header bold and frozen,
    an autofilter over it, columns fitted to their text; columns in `text_columns` (0-based) as text
    cells, those in `formats` with that number format. Cells are appended in order, so this also
    fills a write-only worksheet (widths and panes are set before the first row, as those need)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    as_text = set(text_columns)
    formats = formats or {}
    header_row = len(title_lines) + 2 if title_lines else 1
    last = header_row + len(rows)
    widths = [display_width(h) for h in headings]
    for values in rows:
        for index, value in enumerate(values):
            shown = "100.00%" if index in formats and value is not None else value
            widths[index] = max(widths[index], display_width(shown))
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    ws.freeze_panes = f"A{header_row + 1}"

    def styled(value: Any, font: Any = None, number_format: str | None = None) -> Any:
        cell = WriteOnlyCell(ws, value=value)
        if font is not None:
            cell.font = font
        if number_format is not None:
            cell.number_format = number_format
        return cell

    for number, line in enumerate(title_lines):
        ws.append([styled(line, Font(bold=True, size=14) if number == 0 else Font(italic=True))])
    if title_lines:
        ws.append([])
    bold = Font(bold=True)
    ws.append([styled(h, bold) for h in headings])
    for values in rows:  # plain values where no format is needed: styling a cell is what costs
        ws.append(
            [
                styled(None if v is None else str(v), number_format=TEXT_FORMAT)
                if i in as_text
                else styled(v, number_format=formats[i])
                if i in formats and v is not None
                else v
                for i, v in enumerate(values)
            ]
        )
    if headings:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headings))}{last}"
    return Placed(header_row, last)


@contextmanager
def building(path: Path) -> Iterator[None]:
    """Around building a workbook for `path`: a streamed (write-only) sheet writes its rows to a
    temporary file as they come, so a full disk can fail there too; that is the same one-line error
    as failing to write `path`. The sheet writers the failure left open are collected here, quietly,
    instead of printing tracebacks when Python collects them at exit: the block must build the
    workbook in a function of its own, whose finished frame is cleared here."""
    try:
        yield
    except OSError as exc:
        import gc
        import sys
        import traceback

        reason = exc.strerror or str(exc)
        traceback.clear_frames(exc.__traceback__)  # the finished frames that still hold the workbook
        del exc
        hook, sys.unraisablehook = sys.unraisablehook, lambda _: None
        try:
            gc.collect()
        finally:
            sys.unraisablehook = hook
        raise UsageError("out", f"cannot write {path}: {reason}") from None


def save(book: Any, path: Path) -> None:
    """The workbook into `path`, or a one-line error naming --out.

    openpyxl writes the workbook into memory first, so a file that cannot be written (a full disk)
    fails in our own write, with every part of the workbook already finished and closed; failing
    inside openpyxl's save left its archive and sheet writers open, and they printed tracebacks
    when they were collected at exit."""
    from io import BytesIO

    from jiesu.cli.render.common import write_file

    content = BytesIO()
    book.save(content)
    write_file(path, lambda stream: stream.write(content.getbuffer()))
