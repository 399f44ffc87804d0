"""Open311 GeoReport v2 in and out: `jiesu export --format open311-json|open311-xml` and the reading
of such files by `jiesu intake --file` (services/reading.py hands them here).

The mapping itself is pure (domain/open311.py). Exports read the case file a page at a time. A
request taken in from an Open311 file keeps what jiesu has no column for (lat/long, media_url, the
sender's agency, notes and times) in its intake event's data under "open311", so a round trip gives
back every field the spec has.
"""

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from jiesu.domain.open311 import from_json, from_xml, intake_fields, json_chunks, service_request, xml_chunks
from jiesu.domain.periods import custom_period
from jiesu.domain.tickets import ORIGIN
from jiesu.domain.times import iso
from jiesu.errors import UsageError
from jiesu.services.context import Office
from jiesu.services.reading import ROW_ERROR
from jiesu.store.engine import transaction
from jiesu.store.reports import unit_names
from jiesu.store.tickets import ExportedTicket, tickets_for_export

PAGE = 2000
ORIGIN_KEY = "open311"  # the intake event's data key holding a received request's other fields


def export_requests(office: Office, *, first: date | None, last: date | None) -> Iterator[dict[str, Any]]:
    """Every ticket taken in from `first` to `last` (local days, both included; open-ended when
    None) as a GeoReport v2 service request, oldest first. The spec's request carries no requester
    fields, so no requester (confidential or not) leaves the case file."""
    tz = office.rules.timezone
    start = end = None
    if first is not None:
        start = custom_period(first, last or first).bounds(tz)[0]
    if last is not None:
        end = custom_period(first or last, last).bounds(tz)[1]
    after = 0
    with transaction(office.engine, write=False) as conn:
        names = {code: name for code, (name, _) in unit_names(conn).items()}
        names.update({u.code: u.name for u in office.rules.units.values()})
        while page := tickets_for_export(conn, start=start, end=end, after_id=after, limit=PAGE):
            for item in page:
                yield _request(item, names, tz)
            after = page[-1].ticket.id


def _request(item: ExportedTicket, names: dict[str, str], tz: Any) -> dict[str, Any]:
    ticket = item.ticket
    origin = (item.intake_data or {}).get(ORIGIN_KEY)
    return service_request(
        ticket={
            "number": ticket.number,
            "status": ticket.status,
            "reply": ticket.reply,
            "category": ticket.category,
            "content": ticket.content,
            "address": ticket.address,
            "merged_into": ticket.merged_into,
            "created_at": iso(ticket.created_at, tz),
        },
        agency=names.get(ticket.lead_unit, ticket.lead_unit) if ticket.lead_unit else None,
        updated=iso(item.updated_at, tz),
        expected=iso(item.finish_due, tz),
        origin=origin if isinstance(origin, dict) else None,
        untouched=not item.acted_on,
    )


def export_chunks(office: Office, *, xml: bool, first: date | None, last: date | None) -> Iterator[str]:
    """The export as one GeoReport v2 document (JSON array or XML), a request at a time, so a large
    case file streams out in constant memory."""
    requests = export_requests(office, first=first, last=last)
    return xml_chunks(requests) if xml else json_chunks(requests)


def is_open311(path: Path) -> bool:
    """Whether `path` is read as GeoReport v2: an .xml file, or a .json file holding a JSON array
    (JSON Lines files hold one object per line)."""
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return True
    if suffix != ".json" or not path.is_file():
        return False
    with path.open("rb") as stream:
        head = stream.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"[")


def read_open311(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """The service requests of a GeoReport v2 file as intake rows (request 1, 2, …), each with the
    fields jiesu keeps elsewhere under `origin`. A request that breaks the spec is a bad row."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError("file", f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        requests = from_xml(data) if path.suffix.lower() == ".xml" else from_json(data.decode("utf-8-sig"))
    except UsageError as exc:
        raise UsageError("file", f"{path.name}: {exc.message}") from exc
    except UnicodeDecodeError as exc:
        raise UsageError("file", f"{path.name}: Open311 files are UTF-8 ({exc.reason})") from exc
    for number, request in enumerate(requests, start=1):
        try:
            fields = intake_fields(request)
        except UsageError as exc:
            yield number, {ROW_ERROR: (exc.field, exc.message)}
            continue
        origin = fields.pop("origin")
        yield number, fields | ({ORIGIN: {ORIGIN_KEY: origin}} if origin else {})
