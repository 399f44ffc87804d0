"""`jiesu report` and `jiesu hotspots`: the monthly assessment and what many people call about.

The commands check their options, call services/report.py and hand its result to a renderer:
render/report_data.py (JSON, the same in both languages), render/sheets.py and
render/report_formats.py (tables, Markdown, XLSX, CSV), render/hotspots.py.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jiesu.cli.common import open_office
from jiesu.cli.options import ROWS, OutputFormat, encoding_option, format_option, out_option

if TYPE_CHECKING:
    from jiesu.cli.render.sheets import Sheet
    from jiesu.domain.periods import Period
    from jiesu.services.context import Office
    from jiesu.services.report import Report

app = typer.Typer()

FORMATS = (
    OutputFormat.TABLE,
    OutputFormat.JSON,
    OutputFormat.CSV,
    OutputFormat.MARKDOWN,
    OutputFormat.XLSX,
    OutputFormat.HTML,
)
# --by: the tables that can be asked for alone, by the key their sheets carry.
BY = ("unit", "class", "district", "street", "category", "kind", "channel")


@app.command()
def report(
    ctx: typer.Context,
    month: Annotated[str | None, typer.Option(help="The assessment month, YYYY-MM.")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="First day of a custom period.")] = None,
    to: Annotated[str | None, typer.Option(help="Last day of a custom period (included).")] = None,
    by: Annotated[str | None, typer.Option(help="Only one table: " + "|".join(BY) + ".")] = None,
    unit_class: Annotated[str | None, typer.Option("--class", help="Only units of this class in the ranking.")] = None,
    topics: Annotated[
        bool, typer.Option("--topics", help="Add the categories that grew most over three months.")
    ] = False,
    trend: Annotated[
        bool,
        typer.Option("--trend", help="Only the intake of the last 12 periods, drawn in the terminal (or as JSON)."),
    ] = False,
    format: Annotated[OutputFormat, format_option(*FORMATS)] = OutputFormat.TABLE,
    out: Annotated[
        Path | None, typer.Option(help="Write to this file (required for xlsx; a CSV file starts with a BOM).")
    ] = None,
    encoding: Annotated[str | None, encoding_option()] = None,
) -> None:
    """考评: the month's ranking per class, intake overview, volumes by category and street, overdue."""
    import json

    from jiesu.cli.render.report_data import report_json
    from jiesu.cli.render.report_formats import csv_text, emit, render_markdown, render_tables
    from jiesu.cli.render.sheets import report_sheets
    from jiesu.domain.catalogue import UnitClass
    from jiesu.errors import UsageError
    from jiesu.services.report import build_report

    if by is not None and by not in BY:
        raise UsageError("by", f"unknown table {by!r}; use {', '.join(BY)}")
    if unit_class is not None and unit_class not in {c.value for c in UnitClass}:
        raise UsageError("class", f"unknown class {unit_class!r}; use {', '.join(c.value for c in UnitClass)}")
    if format is OutputFormat.XLSX and out is None:
        raise UsageError("out", "an xlsx report needs --out FILE.xlsx")
    office = open_office(ctx)
    if trend:
        _trend(office, _period(office, month, from_, to, default_now=True), format, out)
        return
    period = _period(office, month, from_, to)
    result = build_report(office, period, topics=topics)
    if format is OutputFormat.JSON:
        emit(json.dumps(report_json(result, by, unit_class), ensure_ascii=False, indent=2), out)
        return
    lang = office.lang
    sheets = report_sheets(result, lang, unit_class)
    chosen = [s for s in sheets if s.key == by] if by else sheets
    header = f"{office.rules.office_name} {period.name} ({period.first} – {period.last})"
    if format is OutputFormat.CSV:
        from jiesu.cli.render.common import csv_encoding

        emit(csv_text(sheets, by or "unit"), out, csv_encoding(encoding, out))
    elif format is OutputFormat.MARKDOWN:
        emit(render_markdown(chosen, lang, header), out)
    elif format in (OutputFormat.XLSX, OutputFormat.HTML):
        _for_the_meeting(office, result, chosen, format, out, unit_class)
    else:
        render_tables(chosen, lang, header)


def _period(
    office: "Office", month: str | None, from_: str | None, to: str | None, *, default_now: bool = False
) -> "Period":
    """The period the options name; with `default_now` and none named, the one today falls in."""
    from jiesu.domain.periods import period_of
    from jiesu.domain.times import parse_date
    from jiesu.services.report import choose_period

    if default_now and not (month or from_ or to):
        return period_of(office.now.astimezone(office.rules.timezone).date(), office.rules.assessment.period_start_day)
    return choose_period(
        office,
        month=month,
        first=parse_date(from_, "from") if from_ else None,
        last=parse_date(to, "to") if to else None,
    )


def _for_the_meeting(
    office: "Office",
    result: "Report",
    sheets: "list[Sheet]",
    format: OutputFormat,
    out: Path | None,
    unit_class: str | None,
) -> None:
    """The workbook (with its charts) or the HTML report: both carry the 12-period trend."""
    from jiesu.cli.render.report_formats import WorkbookTitle, emit, write_xlsx
    from jiesu.services.report import intake_trend

    period = result.period
    title = WorkbookTitle(
        office=office.rules.office_name,
        period=f"{period.name} ({period.first} – {period.last})",
        generated_at=f"{office.now.astimezone(office.rules.timezone):%Y-%m-%d %H:%M}",
        published_hash=None,  # issue 12 ("published months") fills this in for a published month
    )
    trend = intake_trend(office, period)
    if format is OutputFormat.XLSX:
        assert out is not None
        write_xlsx(sheets, office.lang, out, title, trend)
        return
    from jiesu.cli.render.html_report import render_html
    from jiesu.services.report import find_hotspots

    hot = find_hotspots(
        office, as_of=min(office.now, period.bounds(office.rules.timezone)[1])
    )  # the period's last days
    emit(render_html(result, trend, hot, office.lang, title, unit_class, office.rules.timezone), out)


def _trend(office: "Office", period: "Period", format: OutputFormat, out: Path | None) -> None:
    """`report --trend`: the last 12 periods' intake as bars in the terminal, or as JSON."""
    import json

    from jiesu.cli.render.report_formats import emit
    from jiesu.cli.render.trend import render_trend, trend_records
    from jiesu.errors import UsageError
    from jiesu.services.report import intake_trend

    points = intake_trend(office, period)
    if format is OutputFormat.JSON:
        emit(json.dumps(trend_records(points), ensure_ascii=False, indent=2), out)
    elif format is OutputFormat.TABLE:
        render_trend(points, office.lang, office.rules.office_name)
    else:
        raise UsageError("format", "--trend is drawn in the terminal (table) or written as json")


@app.command()
def hotspots(
    ctx: typer.Context,
    days: Annotated[int | None, typer.Option(help="The window (default: assessment.hotspot_days, 7).")] = None,
    min_count: Annotated[int | None, typer.Option("--min", help="At least this many tickets (default: 5).")] = None,
    format: Annotated[OutputFormat, format_option(*ROWS)] = OutputFormat.TABLE,
    out: Annotated[Path | None, out_option("Write csv or jsonl to this file (a CSV file starts with a BOM).")] = None,
    encoding: Annotated[str | None, encoding_option()] = None,
) -> None:
    """高频事件、高频点位: categories and places well above their own recent baseline, newest first."""
    from jiesu.cli.render.common import console, print_csv, print_json, print_jsonl
    from jiesu.cli.render.hotspots import HOTSPOT_COLUMNS, hotspot_records, hotspot_table
    from jiesu.services.report import find_hotspots

    office = open_office(ctx)
    found = find_hotspots(office, days=days, minimum=min_count)
    tz = office.rules.timezone
    records = hotspot_records(found, tz)
    if format is OutputFormat.JSON:
        print_json(records)
    elif format is OutputFormat.JSONL:
        print_jsonl(records, out)
    elif format is OutputFormat.CSV:
        print_csv(HOTSPOT_COLUMNS, [r | {"numbers": " ".join(r["numbers"])} for r in records], out, encoding)
    else:
        console().print(hotspot_table(found, tz, office.lang))
