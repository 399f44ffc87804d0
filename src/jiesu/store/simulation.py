"""What the simulated office reads and writes beside the real commands: the lead assignments it
plays out, the histories it generates for them (written in bulk, for the benchmarks' large case
files), and the tickets the demo shows as examples."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Select, Table, bindparam, select

from jiesu.domain.enums import AssignmentRole, AssignmentState, Status
from jiesu.domain.lifecycle import ENDS_ASSIGNMENTS
from jiesu.store.bulk import BulkInsert
from jiesu.store.rows import callback_row, event_row
from jiesu.store.tables import ASSIGNMENTS, CALLBACKS, EVENTS, TICKETS

# Who the generated steps are recorded as.
GENERATOR = "generator"


class LeadAssignment(NamedTuple):
    """A ticket's lead assignment and its deadlines (aware times)."""

    ticket_id: int
    number: str
    assignment_id: int
    unit: str
    assigned_at: datetime
    accept_due: datetime
    contact_due: datetime
    finish_due: datetime


class CallbackAnswers(NamedTuple):
    """A generated callback: whom it reached and what they said."""

    at: datetime
    reached: bool
    contacted: bool | None
    resolved: bool | None
    satisfaction: str | None
    closed: bool


class PlayedOut(NamedTuple):
    """What happened to one lead assignment after dispatch, up to the simulation's now.

    `events` are (at, action, data) in the order they happened.
    """

    lead: LeadAssignment
    accepted_at: datetime | None
    contacted_at: datetime | None
    finished_at: datetime | None
    result: str | None
    status: str
    closed_at: datetime | None
    updated_at: datetime
    events: list[tuple[datetime, str, dict[str, Any]]]
    callback: CallbackAnswers | None


def _lead_query() -> Select[Any]:
    return select(
        TICKETS.c.id,
        TICKETS.c.number,
        ASSIGNMENTS.c.id,
        ASSIGNMENTS.c.unit,
        ASSIGNMENTS.c.assigned_at,
        ASSIGNMENTS.c.accept_due,
        ASSIGNMENTS.c.contact_due,
        ASSIGNMENTS.c.finish_due,
    ).join(ASSIGNMENTS, (ASSIGNMENTS.c.ticket_id == TICKETS.c.id) & (ASSIGNMENTS.c.role == AssignmentRole.LEAD))


def lead_assignments(conn: Connection, numbers: Sequence[str]) -> list[LeadAssignment]:
    """The lead assignments of the tickets numbered `numbers`."""
    query = _lead_query().where(TICKETS.c.number.in_(bindparam("numbers", expanding=True)))
    return [LeadAssignment(*row) for row in conn.execute(query, {"numbers": list(numbers)})]


def active_lead(conn: Connection, number: str) -> LeadAssignment | None:
    """The ticket's active lead assignment (the first, should there be two), or None."""
    query = (
        _lead_query()
        .where(TICKETS.c.number == number, ASSIGNMENTS.c.state == AssignmentState.ACTIVE)
        .order_by(ASSIGNMENTS.c.id)
        .limit(1)
    )
    row = conn.execute(query).first()
    return LeadAssignment(*row) if row is not None else None


def first_ticket_with(conn: Connection, action: str) -> str | None:
    """The number of the oldest ticket whose history holds an event `action`, or None."""
    query = (
        select(TICKETS.c.number)
        .join(EVENTS, EVENTS.c.ticket_id == TICKETS.c.id)
        .where(EVENTS.c.action == action)
        .order_by(TICKETS.c.id)
        .limit(1)
    )
    number = conn.execute(query).scalar_one_or_none()
    return str(number) if number is not None else None


def write_played_out(conn: Connection, played: Sequence[PlayedOut], *, login: str) -> None:
    """Record generated histories in bulk: each lead assignment's steps, its ticket's state, the
    events and callbacks; a closed ticket's assignments end, as the callback step ends them."""
    if not played:
        return
    conn.execute(
        ASSIGNMENTS.update()
        .where(ASSIGNMENTS.c.id == bindparam("b_id"))
        .values(
            accepted_at=bindparam("accepted_at"),
            contacted_at=bindparam("contacted_at"),
            finished_at=bindparam("finished_at"),
            result=bindparam("result"),
        ),
        [
            {
                "b_id": p.lead.assignment_id,
                "accepted_at": p.accepted_at,
                "contacted_at": p.contacted_at,
                "finished_at": p.finished_at,
                "result": p.result,
            }
            for p in played
        ],
    )
    conn.execute(
        TICKETS.update()
        .where(TICKETS.c.id == bindparam("b_id"))
        .values(status=bindparam("status"), closed_at=bindparam("closed_at"), updated_at=bindparam("updated_at")),
        [
            {"b_id": p.lead.ticket_id, "status": p.status, "closed_at": p.closed_at, "updated_at": p.updated_at}
            for p in played
        ],
    )
    closed = [{"b_id": p.lead.ticket_id, "closed_at": p.closed_at} for p in played if p.closed_at]
    if closed:
        conn.execute(
            ASSIGNMENTS.update()
            .where((ASSIGNMENTS.c.ticket_id == bindparam("b_id")) & (ASSIGNMENTS.c.state == AssignmentState.ACTIVE))
            .values(state=ENDS_ASSIGNMENTS[Status.CLOSED], ended_at=bindparam("closed_at")),
            closed,
        )
    BulkInsert(conn, EVENTS, _columns(EVENTS)).execute(_event_rows(played, login))
    BulkInsert(conn, CALLBACKS, _columns(CALLBACKS)).execute(_callback_rows(played))


def _columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if c.name != "id"]


def _event_rows(played: Iterable[PlayedOut], login: str) -> Iterable[dict[str, Any]]:
    for p in played:
        for at, action, data in p.events:
            yield event_row(
                ticket_id=p.lead.ticket_id,
                at=at,
                operator=GENERATOR,
                login=login,
                action=action,
                unit=p.lead.unit,
                data=data,
            )


def _callback_rows(played: Iterable[PlayedOut]) -> Iterable[dict[str, Any]]:
    for p in played:
        answers = p.callback
        if answers is not None:
            yield callback_row(
                ticket_id=p.lead.ticket_id,
                at=answers.at,
                operator=GENERATOR,
                unit=p.lead.unit,
                reached=answers.reached,
                contacted=answers.contacted,
                resolved=answers.resolved,
                satisfaction=answers.satisfaction,
                closed=answers.closed,
            )
