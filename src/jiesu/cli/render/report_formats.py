"""The report's sheets in each format for people: Rich tables, Markdown, XLSX, and CSV of one table."""

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jiesu.cli.labels import t
from jiesu.cli.render.sheets import PERCENT, SCORE, TEXT, Sheet, cell, heading, shown

if TYPE_CHECKING:
    from jiesu.services.report import TrendPoint


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
            add_plain_row(table, *(cell(k, shown(k, row[k], lang, sheet.key)) for k in columns))
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
            cells = [cell(k, shown(k, row[k], lang, sheet.key)).replace("|", "\\|") for k in sheet.columns]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


@dataclass(frozen=True)
class WorkbookTitle:
    """The lines above every sheet of the meeting workbook. `published_hash` is the fingerprint of a
    published month (issue 12's "published months"); None while the month is not published."""

    office: str
    period: str
    generated_at: str
    published_hash: str | None = None

    def lines(self, lang: str) -> list[str]:
        """The title rows: office, period, generated at, and the published hash when there is one."""
        lines = [
            self.office,
            f"{t('report_period', lang)}: {self.period}",
            f"{t('generated_at', lang)}: {self.generated_at}",
        ]
        if self.published_hash:
            lines.append(f"{t('published_hash', lang)}: {self.published_hash}")
        return lines


def write_xlsx(
    sheets: list[Sheet],
    lang: str,
    path: Path,
    title: WorkbookTitle | None = None,
    trend: "list[TrendPoint] | None" = None,
) -> None:
    """The sheets as a workbook for the meeting, one worksheet each: title rows, a frozen bold header
    with an autofilter, widths fitted to Chinese text, rates as numbers formatted 0.00%, composites on
    the table's 0–100 scale; a bar chart of the composite per unit on each class's ranking sheet, and
    a trend sheet with its line chart when `trend` is given."""
    from openpyxl import Workbook

    from jiesu.cli.render.workbook import add_title_rows, save, sheet_title, write_table

    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    used: set[str] = set()
    lines = title.lines(lang) if title else []
    for sheet in sheets:
        ws = book.create_sheet(sheet_title(sheet.title, used))
        header_row = add_title_rows(ws, [sheet.title, *lines])
        formats = {i: f for i, k in enumerate(sheet.columns) if (f := _number_format(k))}
        text = [i for i, k in enumerate(sheet.columns) if k in TEXT_COLUMNS]
        rows = [[_xlsx_value(k, shown(k, row[k], lang, sheet.key)) for k in sheet.columns] for row in sheet.rows]
        last = write_table(
            ws, header_row, [heading(k, lang) for k in sheet.columns], rows, text_columns=text, formats=formats
        )
        if sheet.key == "unit" and sheet.rows:
            _composite_chart(ws, sheet, header_row, last, lang)
    if trend:
        ws = book.create_sheet(sheet_title(t("report_sheet_trend", lang), used), index=1 if book.worksheets else 0)
        _trend_sheet(ws, trend, [t("report_sheet_trend", lang), *lines], lang)
    save(book, path)


TEXT_COLUMNS = {"unit", "value"}  # codes: never numbers, even when they are digits


def _number_format(column: str) -> str | None:
    if column in PERCENT:
        return "0.00%"
    if column == "composite":
        return "0.00"
    if column == "composite_change":
        return "+0.00;-0.00;0.00"
    if column in ("rank_change", "change"):
        return "+0;-0;0"
    return None


def _xlsx_value(column: str, value: Any) -> Any:
    """Composites as the table shows them (0–100); rates stay fractions (formatted as %)."""
    if column in SCORE and isinstance(value, int | float):
        return round(value * 100, 4)
    return value


def _composite_chart(ws: Any, sheet: Sheet, header_row: int, last: int, lang: str) -> None:
    """A bar chart beside a class's ranking: each unit's composite (0–100)."""
    from openpyxl.chart import BarChart, Reference

    names = sheet.columns.index("unit_name") + 1
    composite = sheet.columns.index("composite") + 1
    chart = BarChart()
    chart.type = "bar"
    chart.title = f"{t('report_composite', lang)} — {sheet.title}"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.legend = None
    chart.add_data(Reference(ws, min_col=composite, min_row=header_row, max_row=last), titles_from_data=True)
    _text_categories(chart, Reference(ws, min_col=names, min_row=header_row + 1, max_row=last))
    chart.height = max(7.5, 0.7 * (last - header_row) + 3)
    chart.width = 18
    ws.add_chart(chart, f"{get_letter(len(sheet.columns) + 2)}{header_row}")


def _trend_sheet(ws: Any, trend: "list[TrendPoint]", title_lines: list[str], lang: str) -> None:
    """The intake over the last periods as a table and a line chart of its three series."""
    from openpyxl.chart import LineChart, Reference

    from jiesu.cli.render.workbook import add_title_rows, write_table

    header_row = add_title_rows(ws, title_lines)
    headings = [t("report_period", lang), t("report_taken_in", lang), t("report_dispatched", lang)]
    headings.append(t("report_answered", lang))
    rows = [[p.period.name, p.taken_in, p.dispatched, p.answered] for p in trend]
    last = write_table(ws, header_row, headings, rows, text_columns=[0])
    chart = LineChart()
    chart.title = t("report_sheet_trend", lang)
    chart.y_axis.title = t("report_tickets", lang)
    chart.y_axis.scaling.min = 0
    chart.add_data(Reference(ws, min_col=2, max_col=4, min_row=header_row, max_row=last), titles_from_data=True)
    _text_categories(chart, Reference(ws, min_col=1, min_row=header_row + 1, max_row=last))
    chart.width = 24
    chart.height = 10
    ws.add_chart(chart, f"F{header_row}")


def _text_categories(chart: Any, labels: Any) -> None:
    """Category labels read as text (unit names, period names); openpyxl's set_categories would
    reference them as numbers."""
    from openpyxl.chart.data_source import AxDataSource, StrRef

    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(labels)))


def get_letter(column: int) -> str:
    """A column's letters (1 → A)."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


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


def emit(text: str, out: Path | None, encoding: str = "utf-8") -> None:
    """Text to stdout, or to the file `out`, in `encoding`."""
    from jiesu.cli.render.common import write_text

    write_text(text, out, encoding)
