"""Tickets for people and scripts: one ticket's record, its timeline and files, and ticket lists.

The services hand these views already masked; a record's field names are the stable ones of
`--format json|csv` (documented in the README).
"""

from collections.abc import Mapping, Sequence
from datetime import tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from jiesu.cli.labels import t
from jiesu.cli.render.common import add_plain_row, minutes, unit_name
from jiesu.cli.render.learning import suggestion_text
from jiesu.domain.enums import Action, Channel, Guidance, Kind, RequesterType, Status, label
from jiesu.domain.times import iso, short

if TYPE_CHECKING:
    from pathlib import Path

    from rich.table import Table

    from jiesu.domain.catalogue import RulesFile
    from jiesu.services.tickets import AttachmentView, EventView, TicketView

# A ticket record as `ticket_record` makes it (the JSON a script reads).
Record = Mapping[str, Any]


def ticket_record(ticket: "TicketView", tz: tzinfo) -> dict[str, Any]:
    """A ticket as scripts see it (stable English field names, ISO times with offset)."""
    requester = ticket.requester
    return {
        "number": ticket.number,
        "status": ticket.status,
        "kind": ticket.kind,
        "channel": ticket.channel,
        "category": ticket.category,
        "category_source": ticket.category_source,
        "suggestion": ticket.suggestion,
        "title": ticket.title,
        "content": ticket.content,
        "requester": {
            "name": requester.name,
            "phone": requester.phone,
            "type": requester.type,
            "confidential": requester.confidential,
        },
        "address": ticket.address,
        "district": ticket.district,
        "street": ticket.street,
        "community": ticket.community,
        "urgent": ticket.urgent,
        "reply": ticket.reply,
        "guided_to": ticket.guided_to,
        "lead_unit": ticket.lead_unit,
        "dispatched_at": iso(ticket.dispatched_at, tz),
        "supervised": ticket.supervised,
        "merged_into": ticket.merged_into,
        "repeat_after_close_of": ticket.repeat_of,
        "reopen_count": ticket.reopen_count,
        "exempt": ticket.exempt,
        "escalation_level": ticket.escalation_level,
        "coordinator": ticket.coordinator,
        "created_at": iso(ticket.created_at, tz),
        "closed_at": iso(ticket.closed_at, tz),
        "external_id": ticket.external_id,
        "operator": ticket.operator,
    }


def event_record(event: "EventView", tz: tzinfo) -> dict[str, Any]:
    """An event as scripts see it."""
    return {
        "at": iso(event.at, tz),
        "operator": event.operator,
        "login": event.login,
        "action": event.action,
        "unit": event.unit,
        "note": event.note,
        "data": event.data,
    }


def attachment_record(item: "AttachmentView") -> dict[str, Any]:
    """An attachment as scripts see it."""
    return {
        "path": item.path,
        "size": item.size,
        "sha256": item.sha256,
        "media_type": item.media_type,
        "kind": item.kind,
    }


LIST_COLUMNS = (
    "number",
    "created_at",
    "status",
    "kind",
    "channel",
    "category",
    "street",
    "title",
    "name",
    "phone",
    "address",
    "urgent",
)


def flat_record(record: Record) -> dict[str, Any]:
    """A ticket record with the requester flattened, for CSV and tables."""
    flat = {k: v for k, v in record.items() if k != "requester"}
    flat["name"] = record["requester"]["name"]
    flat["phone"] = record["requester"]["phone"]
    flat["requester_type"] = record["requester"]["type"]
    flat["confidential"] = record["requester"]["confidential"]
    return flat


def _enum_label(enum: type[StrEnum], value: str | None, lang: str) -> str:
    if value is None:
        return ""
    try:
        return label(enum(value), lang)
    except ValueError:
        return value


def _widest(key: str, records: Sequence[Record], lang: str) -> int:
    from rich.cells import cell_len

    if key == "created_at":
        return 16
    widths = [cell_len(t(key, lang))]
    if key == "number":
        widths += [len(r["number"]) + 1 for r in records]
    elif key in ("name", "phone"):
        widths += [cell_len(r["requester"][key] or "") for r in records]
    else:
        widths.append(6 if lang == "zh" else 10)
    return max(widths)


WIDE_LIST = ("number", "created_at", "status", "kind", "channel", "street", "title", "name", "phone")
NARROW_LIST = ("number", "created_at", "status", "title", "phone")


def ticket_list_table(
    records: Sequence[Record],
    tz: tzinfo,
    lang: str,
    title: str,
    width: int = 120,
    rules: "RulesFile | None" = None,
) -> "Table":
    """Tickets as a table, one row each, newest first; fewer columns on a narrow terminal; streets
    by name (from `rules`)."""
    from rich.table import Table

    keys = WIDE_LIST if width >= 110 else NARROW_LIST
    if any(r.get("suggestion") for r in records):  # e.g. list --status pending after rules learn
        keys = (*keys, "suggestion")
    table = Table(title=title, title_justify="left")
    for key in keys:
        # every column keeps its content whole; only the title and street wrap when space is short
        flexible = key in ("title", "street", "suggestion")
        table.add_column(
            t(key, lang),
            no_wrap=not flexible,
            overflow="fold",
            ratio=3 if key == "title" else 1 if flexible else None,
            min_width=None if flexible else _widest(key, records, lang),
        )
    for record in records:
        cells = {
            "number": record["number"] + ("!" if record["urgent"] else "") + ("督" if record["supervised"] else ""),
            "created_at": minutes(record["created_at"]),
            "status": _enum_label(Status, record["status"], lang),
            "kind": _enum_label(Kind, record["kind"], lang),
            "channel": _enum_label(Channel, record["channel"], lang),
            "street": place_name(record["street"], rules),
            "title": record["title"],
            "name": record["requester"]["name"] or "",
            "phone": record["requester"]["phone"] or "",
            "suggestion": suggestion_text(record.get("suggestion"), lang),
        }
        add_plain_row(table, *(cells[key] for key in keys))
    return table


def ticket_detail_tables(
    record: Record,
    events: Sequence["EventView"],
    attachments: Sequence["AttachmentView"],
    tz: tzinfo,
    lang: str,
    rules: "RulesFile | None" = None,
) -> list["Table"]:
    """A ticket's fields, its timeline and its attachments (unit codes named from `rules`)."""
    from rich.table import Table

    tables = [_fields_table(record, lang, rules), _timeline_table(events, tz, lang, rules)]
    if attachments:
        files = Table(title=t("attachments", lang), title_justify="left")
        for key in ("path", "media_type", "size"):
            files.add_column(t(key, lang), overflow="fold")
        for item in attachments:
            add_plain_row(files, item.path, item.media_type, f"{item.size:,}")
        tables.append(files)
    return tables


def _fields_table(record: Record, lang: str, rules: "RulesFile | None") -> "Table":
    """The ticket's fields that hold something, one per row."""
    from rich.table import Table

    def named(code: str | None) -> str | None:
        return unit_name(code, rules) if rules is not None and code else code

    yes, no = t("yes", lang), t("no", lang)
    fields = Table(show_header=False, title=f"{t('number', lang)} {record['number']}", title_justify="left")
    fields.add_column(style="bold", no_wrap=True)
    fields.add_column(overflow="fold")
    requester = record["requester"]
    rows: list[tuple[str, str | None]] = [
        ("status", _enum_label(Status, record["status"], lang)),
        ("kind", _enum_label(Kind, record["kind"], lang)),
        ("channel", _enum_label(Channel, record["channel"], lang)),
        ("created_at", minutes(record["created_at"])),
        ("closed_at", minutes(record["closed_at"])),
        ("title", record["title"]),
        ("content", record["content"]),
        ("name", requester["name"]),
        ("phone", requester["phone"]),
        ("requester_type", _enum_label(RequesterType, requester["type"], lang)),
        ("confidential", yes if requester["confidential"] else no),
        ("address", record["address"]),
        ("district", record["district"]),
        ("street", named(record["street"])),
        ("community", named(record["community"])),
        ("category", record["category"]),
        ("suggestion", suggestion_text(record["suggestion"], lang, rules)),
        ("urgent", yes if record["urgent"] else no),
        ("reply", record["reply"]),
        ("guided_to", _enum_label(Guidance, record["guided_to"], lang) if record["guided_to"] else None),
        ("lead_unit", named(record["lead_unit"])),
        ("supervised", yes if record["supervised"] else None),
        ("merged_into", record["merged_into"]),
        ("repeat_of", record["repeat_after_close_of"]),
        ("repeats", ", ".join(record.get("repeats", []))),
        ("reopen_count", str(record["reopen_count"]) if record["reopen_count"] else None),
        ("exempt", yes if record["exempt"] else None),
        ("escalation_level", str(record["escalation_level"]) if record["escalation_level"] else None),
        ("coordinator", named(record["coordinator"])),
        ("external_id", record["external_id"]),
        ("operator", record["operator"]),
    ]
    for key, value in rows:
        if value:
            add_plain_row(fields, t(key, lang), value)
    return fields


# who takes each step: the intake clerk only takes requests in (受理人 labels nobody else)
ROLES = {
    Action.INTAKE: "role_intake",
    Action.ANSWER: "role_intake",
    Action.REFER: "role_intake",
    Action.ATTACH: "role_intake",
    Action.DISPATCH: "role_dispatcher",
    Action.ACCEPT: "role_unit_staff",
    Action.RETURN: "role_unit_staff",
    Action.CONTACT: "role_unit_staff",
    Action.EXTEND_REQUEST: "role_unit_staff",
    Action.WHISTLE: "role_unit_staff",
    Action.FINISH: "role_unit_staff",
    Action.APPEAL_REQUEST: "role_unit_staff",
    Action.CALLBACK: "role_callback_agent",
    Action.REOPEN: "role_callback_agent",
    Action.CLOSE: "role_callback_agent",
    Action.WARN: "role_system",
    Action.OVERDUE: "role_system",
    Action.ESCALATE: "role_system",
}  # the rest (notes, reveals, decisions, merges, supervision) are the centre's coordinator's


def place_name(code: str | None, rules: "RulesFile | None") -> str:
    """A unit, street or community as lists and timelines show it: its name (the code when the
    rules file does not know it)."""
    if not code:
        return ""
    unit = rules.units.get(code) if rules is not None else None
    return unit.name if unit is not None else code


def _who(event: "EventView", lang: str) -> str:
    """The operator an event names, and the OS login that recorded it where that differs."""
    if event.login is None or event.login == event.operator:
        return event.operator
    return f"{event.operator} ({t('login', lang)} {event.login})"


def _timeline_table(events: Sequence["EventView"], tz: tzinfo, lang: str, rules: "RulesFile | None") -> "Table":
    """Every step of the ticket, in the order it happened."""
    from rich.table import Table

    timeline = Table(title=t("timeline", lang), title_justify="left")
    for key in ("at", "action", "acted_by", "unit", "note"):
        timeline.add_column(t(key, lang), no_wrap=key == "at", overflow="fold")
    for event in events:
        add_plain_row(
            timeline,
            short(event.at, tz),
            _enum_label(Action, event.action, lang),
            f"{t(ROLES.get(Action(event.action), 'role_coordinator'), lang)} {_who(event, lang)}",
            place_name(event.unit, rules),
            event.note or "",
        )
    return timeline


# Columns whose digits are identifiers, not amounts: Excel must not show 2.02611E+12 or drop a leading 0.
TEXT_COLUMNS = ("number", "phone", "external_id")


def write_tickets_xlsx(records: Sequence[Record], path: "Path", lang: str, title: str) -> None:
    """Tickets as a workbook for people: a title, labelled columns, kinds and statuses worded,
    ticket numbers and phones as text cells."""
    from openpyxl import Workbook

    from jiesu.cli.render.workbook import building, save, sheet_title, write_sheet

    enums: dict[str, type[StrEnum]] = {"status": Status, "kind": Kind, "channel": Channel}
    rows = []
    for record in records:
        flat = flat_record(record)
        cells = []
        for key in LIST_COLUMNS:
            value = flat.get(key)
            if key in enums:
                value = _enum_label(enums[key], value, lang)
            elif key == "created_at":
                value = minutes(value)
            elif key == "urgent":
                value = t("yes", lang) if value else ""
            cells.append(value)
        rows.append(cells)
    text = [i for i, key in enumerate(LIST_COLUMNS) if key in TEXT_COLUMNS]
    headings = [t(key, lang) for key in LIST_COLUMNS]

    def write() -> None:  # the workbook lives in this frame only: `building` clears it on a failure
        book = Workbook(write_only=True)  # streamed: a list of many thousand tickets stays quick
        ws = book.create_sheet(sheet_title(t("tickets", lang), set()))
        write_sheet(ws, [title], headings, rows, text_columns=text)
        save(book, path)

    with building(path):
        write()
