"""`jiesu report` and `jiesu hotspots`: the monthly assessment and what many people call about.

The commands check their options, call services/report.py and hand its result to a renderer:
render/report_data.py (JSON, the same in both languages), render/sheets.py and
render/report_formats.py (tables, Markdown, XLSX, CSV), render/hotspots.py.
"""

from pathlib import Path
from typing import Annotated

import typer

from jiesu.cli.common import open_office
from jiesu.cli.options import SINGLE, OutputFormat, format_option

app = typer.Typer()

FORMATS = (OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.CSV, OutputFormat.MARKDOWN, OutputFormat.XLSX)
# --by: the tables that can be asked for alone, by the key their sheets carry.
BY = ("unit", "class", "district", "street", "category", "kind", "channel", "proactive")


@app.command()
def report(
    ctx: typer.Context,
    month: Annotated[str | None, typer.Option(help="The assessment month, YYYY-MM.")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="First day of a custom period.")] = None,
    to: Annotated[str | None, typer.Option(help="Last day of a custom period (included).")] = None,
    by: Annotated[str | None, typer.Option(help="Only one table: " + "|".join(BY) + ".")] = None,
    unit_class: Annotated[str | None, typer.Option("--class", help="Only units of this class in the ranking.")] = None,
    topics: Annotated[
        bool,
        typer.Option(
            "--topics",
            help="Add the named problems of the rules file ([[topics]], 每月一题) and the categories that "
            "grew most over three months.",
        ),
    ] = False,
    zero_request: Annotated[
        bool,
        typer.Option(
            "--zero-request",
            help="Add the gazetteer's communities without a request in the period, and for how many periods "
            "in a row (零诉求社区).",
        ),
    ] = False,
    format: Annotated[OutputFormat, format_option(*FORMATS)] = OutputFormat.TABLE,
    out: Annotated[Path | None, typer.Option(help="Write to this file (required for xlsx).")] = None,
) -> None:
    """考评: the month's ranking per class, intake overview, volumes by category and street, overdue,
    proactive discovery per street."""
    import json

    from jiesu.cli.render.report_data import report_json
    from jiesu.cli.render.report_formats import csv_text, emit, render_markdown, render_tables, write_xlsx
    from jiesu.cli.render.sheets import report_sheets
    from jiesu.domain.catalogue import UnitClass
    from jiesu.domain.times import parse_date
    from jiesu.errors import UsageError
    from jiesu.services.report import build_report, choose_period

    if by is not None and by not in BY:
        raise UsageError("by", f"unknown table {by!r}; use {', '.join(BY)}")
    if unit_class is not None and unit_class not in {c.value for c in UnitClass}:
        raise UsageError("class", f"unknown class {unit_class!r}; use {', '.join(c.value for c in UnitClass)}")
    if format is OutputFormat.XLSX and out is None:
        raise UsageError("out", "an xlsx report needs --out FILE.xlsx")
    if out is not None and out.exists() and not out.is_file():
        # a pipe would block the report until something reads it; a folder cannot be written over
        what = "a folder" if out.is_dir() else "not a regular file (a pipe, socket or device)"
        raise UsageError("out", f"{out} is {what}; name a file to write the report to")
    office = open_office(ctx)
    period = choose_period(
        office,
        month=month,
        first=parse_date(from_, "from") if from_ else None,
        last=parse_date(to, "to") if to else None,
    )
    result = build_report(office, period, topics=topics, zero_requests=zero_request)
    if format is OutputFormat.JSON:
        emit(json.dumps(report_json(result, by, unit_class), ensure_ascii=False, indent=2), out)
        return
    lang = office.lang
    sheets = report_sheets(result, lang, unit_class)
    chosen = [s for s in sheets if s.key == by] if by else sheets
    header = f"{office.rules.office_name} {period.name} ({period.first} – {period.last})"
    if format is OutputFormat.CSV:
        emit(csv_text(sheets, by or "unit"), out)
    elif format is OutputFormat.MARKDOWN:
        emit(render_markdown(chosen, lang, header), out)
    elif format is OutputFormat.XLSX:
        assert out is not None
        write_xlsx(chosen, lang, out)
    else:
        render_tables(chosen, lang, header)


@app.command()
def hotspots(
    ctx: typer.Context,
    days: Annotated[int | None, typer.Option(help="The window (default: assessment.hotspot_days, 7).")] = None,
    min_count: Annotated[int | None, typer.Option("--min", help="At least this many tickets (default: 5).")] = None,
    format: Annotated[OutputFormat, format_option(*SINGLE)] = OutputFormat.TABLE,
) -> None:
    """高频事件、高频点位: categories and places well above their own recent baseline, newest first."""
    from jiesu.cli.render.common import console, print_json
    from jiesu.cli.render.hotspots import hotspot_records, hotspot_table
    from jiesu.services.report import find_hotspots

    office = open_office(ctx)
    found = find_hotspots(office, days=days, minimum=min_count)
    tz = office.rules.timezone
    if format is OutputFormat.JSON:
        print_json(hotspot_records(found, tz))
        return
    console().print(hotspot_table(found, tz, office.lang))
