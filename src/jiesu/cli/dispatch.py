"""`jiesu dispatch`: apply the rules to waiting tickets, or send one to a unit by hand."""

from typing import Annotated

import typer

from jiesu.cli.common import open_office, unit_code, unit_codes
from jiesu.cli.options import LISTED, OutputFormat, format_option

app = typer.Typer()


@app.command("dispatch")
def dispatch_command(
    ctx: typer.Context,
    numbers: Annotated[list[str] | None, typer.Argument(help="Ticket numbers.")] = None,
    pending: Annotated[bool, typer.Option("--pending", help="Every ticket waiting to be dispatched.")] = False,
    unit: Annotated[str | None, typer.Option(help="Dispatch by hand to this lead unit (its code or name).")] = None,
    co: Annotated[str | None, typer.Option(help="Co-handlers with --unit (codes or names), comma-separated.")] = None,
    limits: Annotated[
        str | None, typer.Option(help="Limit profile with --unit (default: the rules file's dispatch.limits).")
    ] = None,
    category: Annotated[
        str | None, typer.Option(help="With --unit: the category a person chose (it trains `rules learn`).")
    ] = None,
    suggested: Annotated[
        bool,
        typer.Option("--suggested", help="Accept the learned suggestion shown for the ticket (its unit and category)."),
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would happen; change nothing.")] = False,
    format: Annotated[OutputFormat, format_option(*LISTED)] = OutputFormat.TABLE,
) -> None:
    """(Re)apply the rules to pending tickets (派单), dispatch by hand with --unit, or accept the
    learned suggestion with --suggested."""
    from jiesu.cli.render.common import console, print_csv, print_json
    from jiesu.cli.render.dispatch import DISPATCHED_COLUMNS, dispatched_records, dispatched_table
    from jiesu.services.dispatch import dispatch

    office = open_office(ctx)
    lead, co_units = unit_code(office, unit), unit_codes(office, co, "co")
    results = dispatch(
        office,
        numbers or [],
        pending=pending,
        unit=lead,
        co=co_units,
        limits=limits,
        category=category,
        suggested=suggested,
        dry_run=dry_run,
    )
    records = dispatched_records(results, office.rules)
    if format is OutputFormat.JSON:
        print_json(records)
    elif format is OutputFormat.CSV:
        print_csv(DISPATCHED_COLUMNS, records)
    else:
        out = console()
        out.print(dispatched_table(records, office.lang, dry_run=dry_run))
