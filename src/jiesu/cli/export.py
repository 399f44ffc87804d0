"""`jiesu export`: tickets in an open exchange format for other systems (Open311 GeoReport v2).

The command checks its options and writes what services/open311.py hands it; the mapping of a
ticket to a service request is domain/open311.py's.
"""

from pathlib import Path
from typing import Annotated

import typer

from jiesu.cli.common import open_office
from jiesu.cli.options import OutputFormat, format_option, out_option

app = typer.Typer()

FORMATS = (OutputFormat.OPEN311_JSON, OutputFormat.OPEN311_XML)


@app.command()
def export(
    ctx: typer.Context,
    format: Annotated[
        OutputFormat,
        format_option(*FORMATS, help="open311-json (an array of requests) or open311-xml (<service_requests>)."),
    ] = OutputFormat.OPEN311_JSON,
    from_: Annotated[str | None, typer.Option("--from", help="Taken in on or after this day (YYYY-MM-DD).")] = None,
    to: Annotated[str | None, typer.Option(help="Taken in on or before this day (included).")] = None,
    out: Annotated[Path | None, out_option("Write to this file instead of stdout (UTF-8).")] = None,
) -> None:
    """Tickets as Open311 GeoReport v2 service requests, oldest first; no requester leaves the case file."""
    from jiesu.cli.render.common import write_chunks
    from jiesu.domain.times import parse_date
    from jiesu.errors import UsageError
    from jiesu.services.open311 import export_chunks

    first = parse_date(from_, "from") if from_ else None
    last = parse_date(to, "to") if to else None
    if first and last and last < first:
        raise UsageError("to", f"{last} is before --from {first}")
    office = open_office(ctx)
    write_chunks(export_chunks(office, xml=format is OutputFormat.OPEN311_XML, first=first, last=last), out)
