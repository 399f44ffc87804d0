"""Rendering for people (Rich) and scripts (JSON, CSV); masking is applied here, at the edge."""

import csv
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import tzinfo
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from jiesu.cli.labels import t
from jiesu.domain.enums import Action, Channel, Kind, RequesterType, Status, label
from jiesu.domain.masking import mask_requester
from jiesu.domain.times import iso, short

# A stored row as the store returns it (SQLAlchemy RowMapping) or any mapping alike.
Row = Mapping[Any, Any]


def add_plain_row(table: Table, *values: Any) -> None:
    """A table row whose text is shown as it is: content from people is never read as Rich markup."""
    table.add_row(*(Text(value) if isinstance(value, str) else value for value in values))


def console() -> Console:
    """A console on the current stdout (built per call so test runners can capture it)."""
    return Console(file=sys.stdout, soft_wrap=False)


def err_console() -> Console:
    """A console on stderr, for progress and messages that are not the command's output."""
    return Console(file=sys.stderr)


def progress_bar(errors: Console, counter: str) -> Any:
    """The bar long commands show on stderr (only on a terminal): description, bar, `counter`
    (a Rich column format such as "{task.percentage:>3.0f}%"), time elapsed; gone when done."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn(counter), TimeElapsedColumn())
    return Progress(*columns, console=errors, transient=True, disable=not errors.is_terminal)


def print_json(data: Any) -> None:
    """One JSON document on stdout, Chinese kept readable."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def print_csv(columns: Sequence[str], rows: Iterable[Row]) -> None:
    """CSV with a header row on stdout."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def ticket_record(row: Row, tz: tzinfo, *, reveal: bool = False, full_phone: bool = False) -> dict[str, Any]:
    """A ticket as scripts see it (stable English field names, ISO times with offset), masked."""
    name, phone = mask_requester(
        row["requester_name"],
        row["requester_phone"],
        confidential=bool(row["confidential"]),
        reveal=reveal,
        full_phone=full_phone,
    )
    return {
        "number": row["number"],
        "status": row["status"],
        "kind": row["kind"],
        "channel": row["channel"],
        "category": row["category"],
        "title": row["title"],
        "content": row["content"],
        "requester": {
            "name": name,
            "phone": phone,
            "type": row["requester_type"],
            "confidential": bool(row["confidential"]),
        },
        "address": row["address"],
        "district": row["district"],
        "street": row["street"],
        "community": row["community"],
        "urgent": bool(row["urgent"]),
        "reply": row["reply"],
        "lead_unit": row["lead_unit"],
        "dispatched_at": iso(row["dispatched_at"], tz),
        "supervised": bool(row["supervised"]),
        "merged_into": row["merged_into_number"],
        "reopen_count": row["reopen_count"],
        "exempt": bool(row["exempt"]),
        "escalation_level": row["escalation_level"],
        "coordinator": row["coordinator"],
        "created_at": iso(row["created_at"], tz),
        "closed_at": iso(row["closed_at"], tz),
        "external_id": row["external_id"],
        "operator": row["operator"],
    }


def event_record(row: Row, tz: tzinfo) -> dict[str, Any]:
    """An event as scripts see it."""
    return {
        "at": iso(row["at"], tz),
        "operator": row["operator"],
        "action": row["action"],
        "unit": row["unit"],
        "note": row["note"],
        "data": row["data"],
    }


def attachment_record(row: Row) -> dict[str, Any]:
    """An attachment as scripts see it."""
    return {k: row[k] for k in ("path", "size", "sha256", "media_type", "kind")}


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


def flat_record(record: Row) -> dict[str, Any]:
    """A ticket record with the requester flattened, for CSV and tables."""
    flat = {k: v for k, v in record.items() if k != "requester"}
    flat["name"] = record["requester"]["name"]
    flat["phone"] = record["requester"]["phone"]
    flat["requester_type"] = record["requester"]["type"]
    flat["confidential"] = record["requester"]["confidential"]
    return flat


def _enum_label(enum: Any, value: str | None, lang: str) -> str:
    if value is None:
        return ""
    try:
        return label(enum(value), lang)
    except ValueError:
        return value


def _minutes(iso_time: str | None) -> str:
    """2021-02-10T10:00:00+08:00 as 2021-02-10 10:00 (tables show the case file's local time)."""
    return (iso_time or "")[:16].replace("T", " ")


def _widest(key: str, records: Sequence[Row], lang: str) -> int:
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


def ticket_list_table(records: Sequence[Row], tz: tzinfo, lang: str, title: str, width: int = 120) -> Table:
    """Tickets as a table, one row each, newest first; fewer columns on a narrow terminal."""
    keys = WIDE_LIST if width >= 110 else NARROW_LIST
    table = Table(title=title, title_justify="left")
    for key in keys:
        # every column keeps its content whole; only the title and street wrap when space is short
        flexible = key in ("title", "street")
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
            "created_at": _minutes(record["created_at"]),
            "status": _enum_label(Status, record["status"], lang),
            "kind": _enum_label(Kind, record["kind"], lang),
            "channel": _enum_label(Channel, record["channel"], lang),
            "street": record["street"] or "",
            "title": record["title"],
            "name": record["requester"]["name"] or "",
            "phone": record["requester"]["phone"] or "",
        }
        add_plain_row(table, *(cells[key] for key in keys))
    return table


def ticket_detail_tables(
    record: Row,
    events: Sequence[Row],
    attachments: Sequence[Row],
    tz: tzinfo,
    lang: str,
    rules: Any = None,
) -> list[Table]:
    """A ticket's fields, its timeline and its attachments (unit codes named from `rules`)."""

    def named(code: str | None) -> str | None:
        return _unit_name(code, rules) if rules is not None and code else code

    yes, no = t("yes", lang), t("no", lang)
    fields = Table(show_header=False, title=f"{t('number', lang)} {record['number']}", title_justify="left")
    fields.add_column(style="bold", no_wrap=True)
    fields.add_column(overflow="fold")
    requester = record["requester"]
    rows: list[tuple[str, str | None]] = [
        ("status", _enum_label(Status, record["status"], lang)),
        ("kind", _enum_label(Kind, record["kind"], lang)),
        ("channel", _enum_label(Channel, record["channel"], lang)),
        ("created_at", _minutes(record["created_at"])),
        ("closed_at", _minutes(record["closed_at"])),
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
        ("urgent", yes if record["urgent"] else no),
        ("reply", record["reply"]),
        ("lead_unit", named(record["lead_unit"])),
        ("supervised", yes if record["supervised"] else None),
        ("merged_into", record["merged_into"]),
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
    timeline = Table(title=t("timeline", lang), title_justify="left")
    for key in ("at", "action", "operator", "unit", "note"):
        timeline.add_column(t(key, lang), no_wrap=key == "at", overflow="fold")
    for event in events:
        add_plain_row(
            timeline,
            short(event["at"], tz),
            _enum_label(Action, event["action"], lang),
            event["operator"],
            (_unit_name(event["unit"], rules) if rules is not None else event["unit"]) or "",
            event["note"] or "",
        )
    tables = [fields, timeline]
    if attachments:
        files = Table(title=t("attachments", lang), title_justify="left")
        for key in ("path", "media_type", "size"):
            files.add_column(t(key, lang), overflow="fold")
        for item in attachments:
            add_plain_row(files, item["path"], item["media_type"], f"{item['size']:,}")
        tables.append(files)
    return tables


def _unit_ref(code: str | None, rules: Any) -> dict[str, Any] | None:
    if code is None:
        return None
    unit = rules.units.get(code)
    return {"code": code, "name": unit.name if unit else None}


def decision_record(decision: Any, rules: Any) -> dict[str, Any]:
    """A dispatch decision as scripts see it (times ISO 8601 with offset)."""
    tz = rules.timezone
    located = decision.located
    due = decision.deadlines
    return {
        "outcome": decision.outcome.value,
        "reason": decision.reason,
        "rule": None
        if decision.rule is None
        else {"name": decision.rule.name, "priority": decision.rule.priority, "index": decision.rule.index},
        "keywords": list(decision.keywords),
        "category": decision.category,
        "lead": _unit_ref(decision.lead, rules),
        "co": [_unit_ref(code, rules) for code in decision.co],
        "limits": decision.limits,
        "urgent": decision.urgent,
        "deadlines": None
        if due is None
        else {
            "accept": iso(due.accept, tz),
            "contact": iso(due.contact, tz),
            "finish": iso(due.finish, tz),
        },
        "refer": decision.refer,
        "located": {
            "street": _unit_ref(located.street, rules) if located.street in rules.units else located.street,
            "community": located.community,
            "source": located.source,
            "matched_name": located.matched_name,
        },
        "runners_up": [
            {
                "rule": m.rule.name,
                "priority": m.rule.priority,
                "keywords": list(m.keywords),
                "lead": m.rule.lead or None,
                "refer": bool(m.rule.refer),
            }
            for m in decision.runners_up
        ],
    }


def _unit_name(code: str | None, rules: Any) -> str:
    if not code:
        return ""
    unit = rules.units.get(code)
    return f"{unit.name} ({code})" if unit else code


def decision_tables(decision: Any, rules: Any, lang: str) -> list[Table]:
    """Why a request goes where it goes: the winner, its keywords, place, deadlines, runners-up."""
    tz = rules.timezone
    main = Table(show_header=False, title=t("rule", lang), title_justify="left")
    main.add_column(style="bold", no_wrap=True)
    main.add_column(overflow="fold")
    located = decision.located
    place = _unit_name(located.street, rules)
    if located.matched_name:
        place += f" ← {located.matched_name}"
    rows = [
        ("outcome", t(decision.outcome.value, lang)),
        ("reason", decision.reason),
        (
            "rule",
            f"{decision.rule.name} (#{decision.rule.index}, {t('priority', lang)} {decision.rule.priority})"
            if decision.rule
            else "",
        ),
        ("keywords", "、".join(decision.keywords)),
        ("category", decision.category or ""),
        ("located", place),
        ("lead_unit", _unit_name(decision.lead, rules)),
        ("co_units", "、".join(_unit_name(c, rules) for c in decision.co)),
        ("limits", decision.limits or ""),
        ("urgent", t("yes", lang) if decision.urgent else ""),
        ("refer", decision.refer or ""),
    ]
    if decision.deadlines is not None:
        rows += [
            ("accept_due", short(decision.deadlines.accept, tz)),
            ("contact_due", short(decision.deadlines.contact, tz)),
            ("finish_due", short(decision.deadlines.finish, tz)),
        ]
    for key, value in rows:
        if value:
            add_plain_row(main, t(key, lang), value)
    tables = [main]
    if decision.runners_up:
        others = Table(title=t("runners_up", lang), title_justify="left")
        for key in ("rule", "priority", "keywords", "lead_unit"):
            others.add_column(t(key, lang), overflow="fold")
        for match in decision.runners_up:
            lead = t("refer", lang) if match.rule.refer else match.rule.lead
            add_plain_row(others, match.rule.name, str(match.rule.priority), "、".join(match.keywords), lead)
        tables.append(others)
    return tables


def dispatched_records(results: Sequence[Any], rules: Any) -> list[dict[str, Any]]:
    """`jiesu dispatch` results, one flat record per ticket."""
    records = []
    for item in results:
        decision = item.decision
        records.append(
            {
                "number": item.number,
                "outcome": decision.outcome.value,
                "rule": decision.rule.name if decision.rule else None,
                "lead": decision.lead,
                "co": ",".join(decision.co),
                "limits": decision.limits,
                "finish_due": iso(decision.deadlines.finish, rules.timezone) if decision.deadlines else None,
                "reason": decision.reason,
            }
        )
    return records


def dispatched_table(records: Sequence[Row], lang: str, *, dry_run: bool) -> Table:
    """`jiesu dispatch` results as a table."""
    title = t("dispatch", lang) + (" " + t("dry_run", lang) if dry_run else "")
    table = Table(title=title, title_justify="left")
    for key in ("number", "outcome", "rule", "lead_unit", "co_units", "finish_due", "reason"):
        table.add_column(t(key, lang), overflow="fold", no_wrap=key == "number")
    for r in records:
        add_plain_row(
            table,
            r["number"],
            t(r["outcome"], lang),
            r["rule"] or "",
            r["lead"] or "",
            r["co"],
            _minutes(r["finish_due"]),
            r["reason"],
        )
    return table


def assignment_record(row: Row, tz: tzinfo) -> dict[str, Any]:
    """An assignment as scripts see it."""
    return {
        "unit": row["unit"],
        "role": row["role"],
        "state": row["state"],
        "rule": row["rule"],
        "assigned_at": iso(row["assigned_at"], tz),
        "accept_due": iso(row["accept_due"], tz),
        "contact_due": iso(row["contact_due"], tz),
        "finish_due": iso(row["finish_due"], tz),
        "report_due": iso(row["report_due"], tz),
        "accepted_at": iso(row["accepted_at"], tz),
        "contacted_at": iso(row["contacted_at"], tz),
        "finished_at": iso(row["finished_at"], tz),
        "result": row["result"],
        "ended_at": iso(row["ended_at"], tz),
    }


def _deadline_cell(due: Any, done: Any, now: Any, tz: tzinfo, lang: str) -> str:
    """A deadline and whether it was met: on time / late / still open / overdue."""
    if due is None:
        return ""
    if done is not None:
        met = done <= due
        word = ("按时" if met else "超时") if lang == "zh" else ("on time" if met else "late")
        return f"{short(due, tz)}\n{word} {short(done, tz)}"
    if now is not None and now > due:
        return f"{short(due, tz)}\n{'已超时' if lang == 'zh' else 'overdue'}"
    return short(due, tz)


def assignments_table(assignments: Sequence[Row], rules: Any, lang: str, now: Any = None) -> Table:
    """Who handles the ticket, in which role, each deadline and whether it was met."""
    tz = rules.timezone
    table = Table(title=t("assignments", lang), title_justify="left")
    for key in ("unit", "role", "state", "accept_due", "contact_due", "finish_due"):
        table.add_column(t(key, lang), overflow="fold")
    roles = {"lead": ("主办", "lead"), "co": ("协办", "co-handler")}
    for a in assignments:
        role = roles.get(a["role"], (a["role"], a["role"]))[0 if lang == "zh" else 1]
        active = a["state"] == "active"
        clock = now if active else None
        contact = _deadline_cell(a["contact_due"], a["contacted_at"], clock, tz, lang) if a["role"] == "lead" else ""
        add_plain_row(
            table,
            _unit_name(a["unit"], rules),
            role,
            a["state"],
            _deadline_cell(a["report_due"] or a["accept_due"], a["accepted_at"], clock, tz, lang),
            contact,
            _deadline_cell(a["finish_due"], a["finished_at"], clock, tz, lang),
        )
    return table
