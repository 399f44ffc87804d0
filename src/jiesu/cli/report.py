"""`jiesu report` and `jiesu hotspots`: the monthly assessment and what many people call about.

`jiesu report` is a group: its own options show a period (a published month from its publication,
unless --live); `report publish`, `report verify` and `report publications` freeze, check and list
published months (services/publishing.py). The commands check their options, call services/report.py
or services/publishing.py and hand the result to a renderer: services/report_document.py (JSON, the
same in both languages), render/sheets.py and render/report_formats.py (tables, Markdown, XLSX, CSV),
render/publications.py, render/hotspots.py.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jiesu.cli.common import open_office
from jiesu.cli.options import ROWS, SINGLE, OutputFormat, encoding_option, format_option, out_option

if TYPE_CHECKING:
    from jiesu.cli.render.sheets import Sheet
    from jiesu.domain.periods import Period
    from jiesu.services.context import Office
    from jiesu.services.publishing import PublicationState
    from jiesu.services.report import Report

app = typer.Typer()
report_app = typer.Typer(name="report", invoke_without_command=True)
app.add_typer(report_app)

FORMATS = (
    OutputFormat.TABLE,
    OutputFormat.JSON,
    OutputFormat.CSV,
    OutputFormat.MARKDOWN,
    OutputFormat.XLSX,
    OutputFormat.HTML,
)
# --by: the tables that can be asked for alone, by the key their sheets carry.
BY = ("unit", "class", "district", "street", "category", "kind", "channel", "proactive")


@report_app.callback()
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
            help="Add the named problems of the rules file (\\[\\[topics]], 每月一题) and the categories that "
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
    trend: Annotated[
        bool,
        typer.Option("--trend", help="Only the intake of the last 12 periods, drawn in the terminal (or as JSON)."),
    ] = False,
    format: Annotated[OutputFormat, format_option(*FORMATS)] = OutputFormat.TABLE,
    out: Annotated[
        Path | None, out_option("Write to this file (required for xlsx; a CSV file starts with a BOM).")
    ] = None,
    encoding: Annotated[str | None, encoding_option()] = None,
    live: Annotated[
        bool, typer.Option("--live", help="Recompute a published month from the case file instead of showing it.")
    ] = False,
) -> None:
    """考评: the month's ranking per class, intake overview, volumes by category and street, overdue,
    proactive discovery per street.

    A published month is shown as published (with its date and hash); --live recomputes it.
    Subcommands publish, verify and list published months."""
    if ctx.invoked_subcommand is not None:
        return
    import json

    from jiesu.cli.render.publications import publication_line, publication_stamp
    from jiesu.cli.render.report_data import report_json
    from jiesu.cli.render.report_formats import csv_text, emit, render_markdown, render_tables
    from jiesu.cli.render.sheets import report_sheets
    from jiesu.domain.catalogue import UnitClass
    from jiesu.errors import UsageError

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
    result, state = _period_report(
        office, period, published=bool(month) and not live, topics=topics, zero_requests=zero_request
    )
    lang = office.lang
    said = "" if state is None else publication_line(state, lang, office.rules.timezone)
    if format is OutputFormat.JSON:
        document = report_json(result, by, unit_class)
        if state is not None and isinstance(document, dict):
            document["publication"] = publication_stamp(state)
        elif said:
            typer.echo(said, err=True)
        emit(json.dumps(document, ensure_ascii=False, indent=2), out)
        return
    sheets = report_sheets(result, lang, unit_class)
    chosen = [s for s in sheets if s.key == by] if by else sheets
    header = f"{office.rules.office_name} {period.name} ({period.first} – {period.last})"
    if said:
        header += f" — {said}"
        if format in (OutputFormat.CSV, OutputFormat.XLSX):
            typer.echo(said, err=True)
    if format is OutputFormat.CSV:
        from jiesu.cli.render.common import csv_encoding

        emit(csv_text(sheets, by or "unit"), out, csv_encoding(encoding, out))
    elif format is OutputFormat.MARKDOWN:
        emit(render_markdown(chosen, lang, header), out)
    elif format in (OutputFormat.XLSX, OutputFormat.HTML):
        _for_the_meeting(office, result, chosen, format, out, unit_class, state)
    else:
        render_tables(chosen, lang, header)


def _period_report(
    office: "Office", period: "Period", *, published: bool, topics: bool, zero_requests: bool
) -> tuple["Report", "PublicationState | None"]:
    """The period as published (its newest revision) when `published` and it was, else computed now."""
    from jiesu.services.publishing import published_report
    from jiesu.services.report import build_report

    found = published_report(office, period) if published else None
    if found is None:
        return build_report(office, period, topics=topics, zero_requests=zero_requests), None
    result, state = found
    if topics or zero_requests:  # not part of a publication: computed from the case file
        fresh = build_report(office, period, topics=topics, zero_requests=zero_requests)
        result.topics, result.topic_periods = fresh.topics, fresh.topic_periods
        result.named_problems, result.zero_request = fresh.named_problems, fresh.zero_request
    return result, state


@report_app.command()
def publish(
    ctx: typer.Context,
    month: Annotated[str, typer.Option(help="The month to publish, YYYY-MM (it must be over).")],
    note: Annotated[str | None, typer.Option(help="A note published with the figures.")] = None,
    revision: Annotated[
        bool, typer.Option("--revision", help="Publish the next revision of a published month (after corrections).")
    ] = False,
    format: Annotated[OutputFormat, format_option(*SINGLE)] = OutputFormat.TABLE,
) -> None:
    """考评公示: freeze the month's figures as computed now, chained by hash to every publication before."""
    from jiesu.cli.render.common import print_json
    from jiesu.cli.render.publications import publication_record, show_published
    from jiesu.services.publishing import PublicationState
    from jiesu.services.publishing import publish as publish_month

    office = open_office(ctx)
    published = publish_month(office, month, note=note, revision=revision)
    if format is OutputFormat.JSON:
        print_json(publication_record(PublicationState(published), office.rules.timezone))
        return
    show_published(published, office.lang, office.rules.timezone)


@report_app.command()
def verify(
    ctx: typer.Context,
    month: Annotated[str | None, typer.Option(help="Check only this published month's figures (YYYY-MM).")] = None,
    format: Annotated[OutputFormat, format_option(*SINGLE)] = OutputFormat.TABLE,
) -> None:
    """Recompute the hash chain and every published month from the case file: exit 0 when all hold, 4 when not."""
    from jiesu.cli.render.common import print_json
    from jiesu.cli.render.publications import show_verification, verification_record
    from jiesu.errors import VerificationError
    from jiesu.services.publishing import verify as verify_publications

    office = open_office(ctx)
    found = verify_publications(office, month)
    if format is OutputFormat.JSON:
        print_json(verification_record(found))
    else:
        show_verification(found, office.lang, office.rules.timezone)
    if not found.holds:
        failing = [c.publication.period for c in found.periods if not c.holds]
        broken = f"publication {found.chain_break.publication.id} does not chain; " if found.chain_break else ""
        raise VerificationError(f"{broken}{len(failing)} published month(s) differ: {', '.join(failing) or 'none'}")


@report_app.command()
def publications(
    ctx: typer.Context,
    month: Annotated[str | None, typer.Option(help="Only this month's revisions (YYYY-MM).")] = None,
    format: Annotated[OutputFormat, format_option(*SINGLE)] = OutputFormat.TABLE,
) -> None:
    """Published months in chain order; --format json carries each one's content and hashes to recheck."""
    from jiesu.cli.render.common import print_json
    from jiesu.cli.render.publications import publication_record, publications_table
    from jiesu.services.publishing import list_publications

    office = open_office(ctx)
    found = list_publications(office, month)
    tz = office.rules.timezone
    if format is OutputFormat.JSON:
        print_json([publication_record(item, tz) for item in found])
        return
    publications_table(found, office.lang, tz)


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
    state: "PublicationState | None",
) -> None:
    """The workbook (with its charts) or the HTML report: both carry the 12-period trend, and a
    published month's hash."""
    from jiesu.cli.render.report_formats import WorkbookTitle, emit, write_xlsx
    from jiesu.services.report import intake_trend

    period = result.period
    title = WorkbookTitle(
        office=office.rules.office_name,
        period=f"{period.name} ({period.first} – {period.last})",
        generated_at=f"{office.now.astimezone(office.rules.timezone):%Y-%m-%d %H:%M}",
        published_hash=state.publication.hash if state is not None else None,
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
