"""What every XLSX jiesu writes shares: title rows, a frozen bold header with an autofilter, column
widths fitted to Chinese text, text cells for ticket numbers and phones, and one-line save errors.

openpyxl is imported by the callers' commands only (it is heavy); this module takes its objects.
"""

from collections.abc import Iterable, Sequence
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


def add_title_rows(ws: Any, lines: Sequence[str]) -> int:
    """Title lines above the table (the first bold and larger); the row its header goes on."""
    from openpyxl.styles import Font

    for number, line in enumerate(lines, start=1):
        ws.cell(row=number, column=1, value=line).font = Font(bold=True, size=14) if number == 1 else Font(italic=True)
    return len(lines) + 2 if lines else 1


def write_table(
    ws: Any,
    header_row: int,
    headings: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    text_columns: Iterable[int] = (),
    formats: dict[int, str] | None = None,
) -> int:
    """A header and rows from `header_row` on: the header bold and frozen, an autofilter over the
    table, columns fitted to their text; columns in `text_columns` (0-based) as text cells, those in
    `formats` with that number format. Returns the last row written."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    as_text = set(text_columns)
    formats = formats or {}
    widths = [display_width(h) for h in headings]
    for column, heading in enumerate(headings, start=1):
        ws.cell(row=header_row, column=column, value=heading).font = Font(bold=True)
    last = header_row
    for last, values in enumerate(rows, start=header_row + 1):
        for index, value in enumerate(values):
            if index in as_text and value is not None:
                value = str(value)
            target = ws.cell(row=last, column=index + 1, value=value)
            if index in as_text:
                target.number_format = TEXT_FORMAT
            elif index in formats and value is not None:
                target.number_format = formats[index]
            widths[index] = max(widths[index], display_width(value if index not in formats else "100.00%"))
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if headings:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headings))}{max(last, header_row)}"
    return last


def save(book: Any, path: Path) -> None:
    """The workbook into `path`, or a one-line error naming --out."""
    try:
        book.save(path)
    except OSError as exc:
        raise UsageError("out", f"cannot write {path}: {exc.strerror or exc}") from exc
