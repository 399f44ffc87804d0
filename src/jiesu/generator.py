"""Realistic synthetic tickets and their histories, deterministic for a seed.

Requests are drawn from the hand-written sample requests (sample_data/requests.csv): their text,
kind, channel and place, with fresh times and callers. Histories follow a realistic spread: most
units accept and contact in time, some late; most finish in time; callbacks reach 95% of
requesters and come back resolved and satisfied 90–98% of the time, a few units visibly worse.

Two uses: `bulk_case_file` writes a large case file directly through the bulk inserts (the
benchmarks' 1,000,000 tickets), and the demo replays a month through the real commands' code.
"""

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from jiesu.domain.tickets import TicketInput, build_ticket_input


@dataclass(frozen=True)
class Template:
    """One sample request to vary."""

    kind: str
    channel: str
    address: str
    title: str
    content: str


def load_templates(path: Path) -> list[Template]:
    """The sample requests that were dispatched or dispatchable (not answered or referred)."""
    with path.open(encoding="utf-8", newline="") as stream:
        return [
            Template(r["kind"], r["channel"], r["address"], r["title"], r["content"])
            for r in csv.DictReader(stream)
            if not r["answer"] and not r["refer"]
        ]


def unit_quality(units: list[str], rng: random.Random) -> dict[str, float]:
    """How well each unit works (0.6..1): most near the top, a few visibly worse."""
    return {code: (rng.uniform(0.6, 0.8) if rng.random() < 0.12 else rng.uniform(0.9, 1.0)) for code in units}


def requests(
    templates: list[Template], count: int, start: datetime, end: datetime, seed: int
) -> Iterator[dict[str, Any]]:
    """`count` request rows (intake field names) with times spread over [start, end), in time order."""
    rng = random.Random(seed)
    span = (end - start).total_seconds()
    moments = sorted(rng.random() * span for _ in range(count))
    for index, offset in enumerate(moments):
        template = rng.choice(templates)
        created = start + timedelta(seconds=offset)
        hour = created.astimezone().hour
        if hour < 7 or hour > 22:  # fewer calls at night: move most of them into the day
            created += timedelta(hours=rng.choice((0, 8, 10)))
        yield {
            "external_id": f"GEN-{seed}-{index:08d}",
            "created_at": min(created, end - timedelta(seconds=1)),
            "kind": template.kind,
            "channel": template.channel,
            "name": rng.choice(("王女士", "李先生", "张女士", "刘先生", "陈女士", "赵先生", "居民")),
            "phone": f"1{rng.choice('35789')}{rng.randrange(10**9):09d}",
            "address": template.address,
            "title": template.title,
            "content": template.content,
        }


@dataclass(frozen=True)
class Steps:
    """When each step of a dispatched ticket happens (None: it did not happen)."""

    accepted: datetime
    contacted: datetime
    finished: datetime
    callback: datetime | None
    reached: bool
    resolved: bool
    satisfaction: str


def simulate_steps(rng: random.Random, quality: float, assigned: datetime, deadlines: Any) -> Steps:
    """A plausible history for one assignment: good units are on time, weaker ones often late."""

    def before(due: datetime, start: datetime) -> datetime:
        window = max((due - start).total_seconds(), 60)
        if rng.random() < quality:
            return start + timedelta(seconds=rng.uniform(0.05, 0.9) * window)
        return due + timedelta(seconds=rng.uniform(0.05, 0.5) * window)

    accepted = before(deadlines.accept, assigned)
    contacted = max(before(deadlines.contact, assigned), accepted + timedelta(minutes=5))
    finished = max(before(deadlines.finish, assigned), contacted + timedelta(minutes=30))
    callback = finished + timedelta(hours=rng.uniform(4, 60))
    reached = rng.random() < 0.95
    resolved = rng.random() < 0.70 + 0.27 * quality
    roll = rng.random()
    if resolved:
        satisfaction = "satisfied" if roll < 0.62 + 0.33 * quality else "basically" if roll < 0.99 else "unsatisfied"
    else:
        satisfaction = "unsatisfied" if roll < 0.6 else "basically"
    return Steps(accepted, contacted, finished, callback, reached, resolved, satisfaction)


def bulk_case_file(
    office: Any,
    templates: list[Template],
    count: int,
    start: datetime,
    end: datetime,
    *,
    seed: int = 1,
    batch: int = 20_000,
    progress: Any = None,
) -> int:
    """Write `count` tickets with complete histories (dispatch, accept, contact, finish, callback,
    close) straight through the bulk inserts; tickets whose callback would fall after `office.now`
    stay open at the step they reached. Returns how many tickets were written."""
    from jiesu.services.intake import IntakeBatch
    from jiesu.store.bulk import BulkInsert
    from jiesu.store.engine import transaction
    from jiesu.store.tickets import ASSIGNMENTS, CALLBACKS, EVENTS, TICKETS

    rules = office.rules
    rng = random.Random(seed)
    quality = unit_quality(sorted(rules.units), rng)
    written = 0
    pending: list[TicketInput] = []
    rows = requests(templates, count, start, end, seed)
    with transaction(office.engine, write=True) as conn:
        intake = IntakeBatch(conn, office, dispatch=True)
        callbacks = BulkInsert(conn, CALLBACKS, [c.name for c in CALLBACKS.columns if c.name != "id"])
        events = BulkInsert(conn, EVENTS, [c.name for c in EVENTS.columns if c.name != "id"])
        for raw in rows:
            pending.append(build_ticket_input(raw, tz=rules.timezone, now=office.now))
            if len(pending) >= batch:
                written += _history(
                    conn, intake, pending, rng, quality, office, callbacks, events, TICKETS, ASSIGNMENTS
                )
                pending = []
                if progress:
                    progress(written, count)
        written += _history(conn, intake, pending, rng, quality, office, callbacks, events, TICKETS, ASSIGNMENTS)
    if progress:
        progress(written, count)
    return written


def _history(
    conn: Any,
    intake: Any,
    items: list[TicketInput],
    rng: random.Random,
    quality: dict[str, float],
    office: Any,
    callbacks: Any,
    events: Any,
    tickets: Any,
    assignments: Any,
) -> int:
    """Take a batch in (dispatching it), then write each ticket's later steps in bulk."""
    from sqlalchemy import bindparam, select

    if not items:
        return 0
    outcomes = intake.store(items)
    numbers = [o.number for o in outcomes if o.created]
    found = conn.execute(
        select(
            tickets.c.id,
            tickets.c.number,
            assignments.c.id.label("assignment"),
            assignments.c.unit,
            assignments.c.assigned_at,
            assignments.c.accept_due,
            assignments.c.contact_due,
            assignments.c.finish_due,
        )
        .join(assignments, (assignments.c.ticket_id == tickets.c.id) & (assignments.c.role == "lead"))
        .where(tickets.c.number.in_(bindparam("numbers", expanding=True))),
        {"numbers": numbers},
    ).all()
    now = office.now
    event_rows: list[dict[str, Any]] = []
    callback_rows: list[dict[str, Any]] = []
    assignment_updates: list[dict[str, Any]] = []
    ticket_updates: list[dict[str, Any]] = []
    for row in found:
        steps = simulate_steps(rng, quality.get(row.unit, 0.95), _aware(row.assigned_at), _Due(row))
        done: dict[str, Any] = {
            "b_id": row.assignment,
            "accepted_at": None,
            "contacted_at": None,
            "finished_at": None,
            "result": None,
        }
        status = "dispatched"
        closed_at = None

        def event(at: datetime, action: str, ticket: Any = row, **data: Any) -> None:
            event_rows.append(_event_row(ticket, at, action, data))

        if steps.accepted <= now:
            done["accepted_at"], status = steps.accepted, "accepted"
            event(steps.accepted, "accept", role="lead", late=steps.accepted > _aware(row.accept_due))
        if steps.contacted <= now and status == "accepted":
            done["contacted_at"] = steps.contacted
            event(steps.contacted, "contact", in_time=steps.contacted <= _aware(row.contact_due))
        if steps.finished <= now and done["contacted_at"]:
            done["finished_at"], done["result"], status = steps.finished, "resolved", "finished"
            event(steps.finished, "finish", result="resolved", role="lead")
        if steps.callback and steps.callback <= now and status == "finished":
            closes = steps.reached
            answers = {
                "reached": steps.reached,
                "contacted": True if steps.reached else None,
                "resolved": steps.resolved if steps.reached else None,
                "satisfaction": steps.satisfaction if steps.reached else None,
            }
            callback_rows.append(
                {
                    "ticket_id": row.id,
                    "at": steps.callback,
                    "operator": "generator",
                    "unit": row.unit,
                    **answers,
                    "closed": closes,
                    "note": None,
                }
            )
            event(steps.callback, "callback", **answers)
            if closes:
                status, closed_at = "closed", steps.callback
                event(steps.callback, "close")
        assignment_updates.append(done)
        ticket_updates.append(
            {"b_id": row.id, "status": status, "closed_at": closed_at, "updated_at": closed_at or now}
        )
    from jiesu.domain.enums import Status
    from jiesu.domain.lifecycle import ENDS_ASSIGNMENTS
    from jiesu.store.tickets import ASSIGNMENTS, TICKETS

    if assignment_updates:
        conn.execute(
            ASSIGNMENTS.update()
            .where(ASSIGNMENTS.c.id == bindparam("b_id"))
            .values(
                accepted_at=bindparam("accepted_at"),
                contacted_at=bindparam("contacted_at"),
                finished_at=bindparam("finished_at"),
                result=bindparam("result"),
            ),
            assignment_updates,
        )
        conn.execute(
            TICKETS.update()
            .where(TICKETS.c.id == bindparam("b_id"))
            .values(status=bindparam("status"), closed_at=bindparam("closed_at"), updated_at=bindparam("updated_at")),
            ticket_updates,
        )
    closed = [{"b_id": t["b_id"], "closed_at": t["closed_at"]} for t in ticket_updates if t["closed_at"]]
    if closed:  # closing ends every assignment, as the callback step does
        conn.execute(
            ASSIGNMENTS.update()
            .where((ASSIGNMENTS.c.ticket_id == bindparam("b_id")) & (ASSIGNMENTS.c.state == "active"))
            .values(state=ENDS_ASSIGNMENTS[Status.CLOSED], ended_at=bindparam("closed_at")),
            closed,
        )
    events.execute(event_rows)
    callbacks.execute(callback_rows)
    return len(numbers)


def _event_row(ticket: Any, at: datetime, action: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "ticket_id": ticket.id,
        "at": at,
        "operator": "generator",
        "action": action,
        "unit": ticket.unit,
        "note": None,
        "data": data or None,
    }


class _Due:
    def __init__(self, row: Any) -> None:
        self.accept = _aware(row.accept_due)
        self.contact = _aware(row.contact_due)
        self.finish = _aware(row.finish_due)


def _aware(value: Any) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
