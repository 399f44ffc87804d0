"""`jiesu show`, `jiesu list`, `jiesu search`: finding tickets again."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from jiesu.cli.common import open_office, unit_code
from jiesu.cli.labels import t
from jiesu.cli.options import SINGLE, OutputFormat, encoding_option, format_option, out_option

if TYPE_CHECKING:
    from jiesu.services.context import Office
    from jiesu.services.tickets import TicketFilter, TicketView

app = typer.Typer()

# What `list` and `search` write: tables, JSON, JSON Lines, CSV, and workbooks for Excel/WPS.
TICKET_FORMATS = (OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.JSONL, OutputFormat.CSV, OutputFormat.XLSX)
OUT_HELP = "Write to this file (required for xlsx; a CSV file starts with a BOM for Excel)."


@app.command()
def show(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="Ticket number, e.g. 2021021000001.")],
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Show a confidential requester (needs --reason; recorded).")
    ] = False,
    reason: Annotated[str | None, typer.Option(help="Why the confidential requester is revealed.")] = None,
    format: Annotated[OutputFormat, format_option(*SINGLE)] = OutputFormat.TABLE,
) -> None:
    """A ticket and its whole timeline."""
    from jiesu.cli.render.common import console, print_json
    from jiesu.cli.render.dispatch import assignment_record, assignments_table
    from jiesu.cli.render.tickets import attachment_record, event_record, ticket_detail_tables, ticket_record
    from jiesu.errors import UsageError
    from jiesu.services.tickets import show_ticket

    if reveal and not reason:
        raise UsageError("reason", "--reveal needs a reason; give --reason TEXT (the reveal is recorded)")
    if reason and not reveal:
        raise UsageError("reason", "only goes with --reveal")
    office = open_office(ctx)
    history = show_ticket(office, number, reveal_reason=reason if reveal else None)
    tz = office.rules.timezone
    record = ticket_record(history.ticket, tz) | {"repeats": history.repeats}
    events = [event_record(e, tz) for e in history.events]
    files = [attachment_record(a) for a in history.attachments]
    assignments = [assignment_record(a, tz) for a in history.assignments]
    if format is OutputFormat.JSON:
        print_json(record | {"assignments": assignments, "events": events, "attachments": files})
        return
    out = console()
    tables = ticket_detail_tables(record, history.events, history.attachments, tz, office.lang, office.rules)
    if history.assignments:
        tables.insert(1, assignments_table(history.assignments, office.rules, office.lang, office.now))
    for table in tables:
        out.print(table)
    if reveal:
        out.print(t("revealed", office.lang))


def _filter(ctx: typer.Context, **given: Any) -> "TicketFilter":
    from jiesu.domain.enums import Channel, Kind, Status, parse_enum
    from jiesu.domain.times import parse_datetime
    from jiesu.services.tickets import TicketFilter

    tz = open_office(ctx).rules.timezone
    enums = {"status": Status, "kind": Kind, "channel": Channel}
    values: dict[str, Any] = {}
    for key, value in given.items():
        if value is None:
            continue
        if key in enums:
            values[key] = parse_enum(enums[key], value, key).value
        elif key in ("since", "until"):
            values[key] = parse_datetime(value, tz, key)
        else:
            values[key] = value.strip()
    return TicketFilter(**values)


@app.command("list")
def list_command(
    ctx: typer.Context,
    status: Annotated[
        str | None,
        typer.Option(help="pending|answered|referred|guided|dispatched|accepted|reopened|finished|closed|merged."),
    ] = None,
    kind: Annotated[str | None, typer.Option(help="consult|help|complain|report|suggest|praise.")] = None,
    channel: Annotated[str | None, typer.Option(help="phone|web|app|wechat|email|walk-in|other|grid|patrol.")] = None,
    district: Annotated[str | None, typer.Option(help="District (区).")] = None,
    street: Annotated[str | None, typer.Option(help="Street or township (街乡镇): code or name.")] = None,
    community: Annotated[str | None, typer.Option(help="Community or village (社区村): code or name.")] = None,
    category: Annotated[
        str | None, typer.Option(help="Category; a first-level class includes its sub-categories.")
    ] = None,
    since: Annotated[str | None, typer.Option(help="Taken in at or after this time.")] = None,
    until: Annotated[str | None, typer.Option(help="Taken in before this time.")] = None,
    unit: Annotated[
        str | None, typer.Option(help="Tickets the unit (code or name) is handling (an active assignment).")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="A step is past its deadline now.")] = False,
    due_within: Annotated[str | None, typer.Option(help="A step falls due within this, e.g. 2h or 1d.")] = None,
    supervised: Annotated[bool, typer.Option("--supervised", help="Only supervised (督办) tickets.")] = False,
    repeat_callers: Annotated[
        bool,
        typer.Option("--repeat-callers", help="Phones above the rules file's intake.repeat_callers_threshold instead."),
    ] = False,
    limit: Annotated[int, typer.Option(help="At most this many tickets.")] = 50,
    full_phones: Annotated[
        bool, typer.Option("--full-phones", help="Do not mask phones (confidential ones stay hidden).")
    ] = False,
    format: Annotated[OutputFormat, format_option(*TICKET_FORMATS)] = OutputFormat.TABLE,
    out: Annotated[Path | None, out_option(OUT_HELP)] = None,
    encoding: Annotated[str | None, encoding_option()] = None,
) -> None:
    """Tickets, newest first, narrowed by filters; or the repeat callers' review list."""
    from dataclasses import replace

    from jiesu.services.tickets import find_tickets

    _check_output(format, out)
    if repeat_callers:
        _repeat_callers(ctx, format, full_phones, out, encoding)
        return
    spec = _filter(
        ctx,
        status=status,
        kind=kind,
        channel=channel,
        district=district,
        category=category,
        since=since,
        until=until,
    )
    office = open_office(ctx)
    spec = replace(
        spec,
        street=unit_code(office, street, "street", classes=("street",)),
        community=unit_code(office, community, "community", classes=("community",)),
    )
    spec = _handling_filter(office, spec, unit=unit, overdue=overdue, due_within=due_within, supervised=supervised)
    page = find_tickets(office, spec, limit=limit, full_phones=full_phones)
    lang = office.lang
    title = f"{t('tickets', lang)}: {t('shown', lang)} {len(page.tickets)} / {t('of', lang)} {page.total}"
    _render_tickets(office, page.tickets, format, title, out, encoding)


def _handling_filter(
    office: "Office", spec: "TicketFilter", *, unit: str | None, overdue: bool, due_within: str | None, supervised: bool
) -> "TicketFilter":
    from dataclasses import replace

    from jiesu.domain.durations import due, parse_duration

    window = None
    if due_within is not None:
        rules = office.rules
        window = (office.now, due(office.now, parse_duration(due_within, "due_within"), rules.calendar, rules.timezone))
    return replace(
        spec,
        unit=unit_code(office, unit),
        overdue_at=office.now if overdue else None,
        due_by=window,
        supervised=True if supervised else None,
    )


def _check_output(format: OutputFormat, out: Path | None) -> None:
    from jiesu.errors import UsageError

    if format is OutputFormat.XLSX and out is None:
        raise UsageError("out", "a workbook needs a file: add --out FILE.xlsx")
    if format is OutputFormat.TABLE and out is not None:
        raise UsageError("out", "a table is for the terminal; to write a file add --format csv|jsonl|json|xlsx")


def _repeat_callers(
    ctx: typer.Context, format: OutputFormat, full_phones: bool, out: Path | None, encoding: str | None
) -> None:
    from rich.table import Table

    from jiesu.cli.render.common import add_plain_row, console, print_csv, print_json, print_jsonl
    from jiesu.domain.times import iso
    from jiesu.errors import UsageError
    from jiesu.services.tickets import find_repeat_callers

    office = open_office(ctx)
    tz = office.rules.timezone
    records: list[dict[str, Any]] = [
        {
            "phone": caller.phone,
            "tickets": caller.tickets,
            "first": iso(caller.first, tz),
            "last": iso(caller.last, tz),
            "numbers": caller.numbers,
        }
        for caller in find_repeat_callers(office, full_phones=full_phones)
    ]
    if format is OutputFormat.XLSX:
        raise UsageError("format", "the repeat callers' list is written as table, json, jsonl or csv")
    if format is OutputFormat.JSON:
        print_json(records)
    elif format is OutputFormat.JSONL:
        print_jsonl(records, out)
    elif format is OutputFormat.CSV:
        print_csv(
            ["phone", "tickets", "first", "last", "numbers"],
            [r | {"numbers": " ".join(r["numbers"])} for r in records],
            out,
            encoding,
        )
    else:
        policy = office.rules.intake
        table = Table(
            title=f"反复来电 repeat callers (≥{policy.repeat_callers_threshold} / {policy.repeat_callers_window})",
            title_justify="left",
        )
        for heading in ("电话 phone", "工单数 tickets", "首次 first", "最近 last", "工单 numbers"):
            table.add_column(heading, overflow="fold")
        for r in records:
            add_plain_row(
                table,
                r["phone"],
                str(r["tickets"]),
                r["first"][:16].replace("T", " "),
                r["last"][:16].replace("T", " "),
                " ".join(r["numbers"]),
            )
        console().print(table)


@app.command()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Word or phrase to find in title, content and address.")],
    limit: Annotated[int, typer.Option(help="At most this many tickets.")] = 50,
    full_phones: Annotated[
        bool, typer.Option("--full-phones", help="Do not mask phones (confidential ones stay hidden).")
    ] = False,
    format: Annotated[OutputFormat, format_option(*TICKET_FORMATS)] = OutputFormat.TABLE,
    out: Annotated[Path | None, out_option(OUT_HELP)] = None,
    encoding: Annotated[str | None, encoding_option()] = None,
) -> None:
    """Find tickets by text (works for Chinese), newest first."""
    from jiesu.services.tickets import search as search_service

    _check_output(format, out)
    office = open_office(ctx)
    found = search_service(office, text, limit=limit, full_phones=full_phones)
    _render_tickets(office, found, format, f"{t('tickets', office.lang)}: {text} ({len(found)})", out, encoding)


def _render_tickets(
    office: "Office",
    tickets: "list[TicketView]",
    format: OutputFormat,
    title: str,
    out: Path | None = None,
    encoding: str | None = None,
) -> None:
    from jiesu.cli.render.common import console, print_csv, print_jsonl, write_text
    from jiesu.cli.render.tickets import (
        LIST_COLUMNS,
        flat_record,
        ticket_list_table,
        ticket_record,
        write_tickets_xlsx,
    )

    tz = office.rules.timezone
    records = [ticket_record(ticket, tz) for ticket in tickets]
    if format is OutputFormat.JSON:
        import json

        write_text(json.dumps(records, ensure_ascii=False, indent=2), out)
    elif format is OutputFormat.JSONL:
        print_jsonl(records, out)
    elif format is OutputFormat.CSV:
        print_csv(LIST_COLUMNS, (flat_record(r) for r in records), out, encoding)
    elif format is OutputFormat.XLSX:
        assert out is not None
        write_tickets_xlsx(records, out, office.lang, f"{office.rules.office_name} — {title}")
    elif records:
        screen = console()
        screen.print(ticket_list_table(records, tz, office.lang, title, screen.width))
    else:
        console().print(t("none_found", office.lang))
