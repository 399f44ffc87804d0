"""The report's sheets in each format for people: Rich tables, Markdown, XLSX, and CSV of one table."""

import sys
from pathlib import Path

from jiesu.cli.render.sheets import PERCENT, SCORE, TEXT, Sheet, cell, heading, shown
from jiesu.errors import UsageError


def render_tables(sheets: list[Sheet], lang: str, header: str) -> None:
    """The sheets as Rich tables on stdout, under a header line."""
    from rich.table import Table

    from jiesu.cli.render.common import add_plain_row, console

    out = console()
    out.print(header, markup=False, highlight=False)
    narrow = out.width < 120  # leave out what the other columns already say
    for sheet in sheets:
        table = Table(title=sheet.title, title_justify="left")
        columns = [k for k in sheet.columns if not (narrow and k in ("unit", "value") and len(sheet.columns) > 6)]
        if narrow and all(row.get("rank_change") is None for row in sheet.rows):
            columns = [k for k in columns if k not in ("rank_change", "composite_change")]
        for key in columns:
            table.add_column(heading(key, lang), justify="left" if key in TEXT else "right", overflow="fold")
        for row in sheet.rows:
            add_plain_row(table, *(cell(k, shown(k, row[k], lang)) for k in columns))
        out.print(table)


def render_markdown(sheets: list[Sheet], lang: str, header: str) -> str:
    """The sheets as one Markdown document: a heading and a table per sheet."""
    lines = [f"# {header}", ""]
    for sheet in sheets:
        lines += [
            f"## {sheet.title}",
            "",
            "| " + " | ".join(heading(k, lang) for k in sheet.columns) + " |",
            "|" + "|".join("---" if k in TEXT else "---:" for k in sheet.columns) + "|",
        ]
        for row in sheet.rows:
            cells = [cell(k, shown(k, row[k], lang)).replace("|", "\\|") for k in sheet.columns]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def write_xlsx(sheets: list[Sheet], lang: str, path: Path) -> None:
    """The sheets as a workbook, one worksheet each; numbers stay numbers, rates formatted as %."""
    from openpyxl import Workbook

    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    used: set[str] = set()
    for sheet in sheets:
        title = sheet.title.replace("/", "-").replace("—", "-")[:31]  # what Excel allows in a name
        while title in used:
            title = title[:28] + f"~{len(used)}"
        used.add(title)
        ws = book.create_sheet(title)
        ws.append([heading(k, lang) for k in sheet.columns])
        for row in sheet.rows:
            ws.append([shown(k, row[k], lang) for k in sheet.columns])
        for column, key in enumerate(sheet.columns, start=1):
            if key in PERCENT or key in SCORE:
                for cells in ws.iter_rows(min_row=2, min_col=column, max_col=column):
                    cells[0].number_format = "0.00%" if key in PERCENT else "0.0000"
    try:
        book.save(path)
    except OSError as exc:
        raise UsageError("out", f"cannot write {path}: {exc.strerror or exc}") from exc


def csv_text(sheets: list[Sheet], key: str) -> str:
    """One table (every ranking sheet for "unit", with every field of its records) as CSV."""
    import csv
    import io

    rows = [r for s in sheets if s.key == key for r in s.rows]
    columns = next((s.columns for s in sheets if s.key == key), [])
    if key == "unit" and rows:
        columns = list(rows[0].keys())
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def emit(text: str, out: Path | None) -> None:
    """Text to stdout, or to the file `out`."""
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError("out", f"cannot write {out}: {exc.strerror or exc}") from exc
