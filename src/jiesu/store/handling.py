"""Data access for handling and dispatch: a ticket's state as the steps read it, the units'
assignments, their extension and appeal requests, callbacks, and the units table.

Functions take the connection first and plain values; they return dataclasses or plain values.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from jiesu.domain.enums import AssignmentState, Status
from jiesu.store.bulk import BulkInsert
from jiesu.store.tables import (
    ASSIGNMENT_INSERT_COLUMNS,
    ASSIGNMENTS,
    CALLBACKS,
    EVENT_INSERT_COLUMNS,
    EVENTS,
    REQUESTS,
    TICKETS,
)
from jiesu.store.tickets import append_event, update_ticket
from jiesu.store.units import sync_units

__all__ = [
    "AssignmentView",
    "TicketState",
    "UnitRequest",
    "append_event",
    "decide_request",
    "end_assignments",
    "file_request",
    "insert_rows",
    "last_step_at",
    "open_appeal_state",
    "pending_request",
    "pending_tickets",
    "record_callback",
    "returned_units",
    "save_ticket",
    "sync_units",
    "ticket_assignments",
    "ticket_state",
    "update_assignment",
]


@dataclass(frozen=True)
class TicketState:
    """What a step or a dispatch reads of a ticket: its current state, what the rules look at, and
    the version its update must still find."""

    id: int
    number: str
    status: str
    lead_unit: str | None
    reopen_count: int
    version: int
    urgent: bool
    title: str
    content: str
    kind: str
    channel: str
    district: str | None
    street: str | None
    community: str | None
    address: str | None
    category: str | None
    closed_at: datetime | None  # when the callback closed it: the period it is assessed in
    suggestion: dict[str, Any] | None  # the learned suggestion last shown for it


_STATE_COLUMNS = [TICKETS.c[f.name] for f in fields(TicketState)]


def ticket_state(conn: Connection, number: str) -> TicketState | None:
    """The ticket with this number, or None."""
    row = conn.execute(select(*_STATE_COLUMNS).where(TICKETS.c.number == number)).first()
    return None if row is None else TicketState(**row._mapping)


def pending_tickets(conn: Connection) -> list[TicketState]:
    """Every ticket waiting to be dispatched, oldest first."""
    query = (
        select(*_STATE_COLUMNS)
        .where(TICKETS.c.status == Status.PENDING.value)
        .order_by(TICKETS.c.created_at, TICKETS.c.id)
    )
    return [TicketState(**row._mapping) for row in conn.execute(query)]


def save_ticket(conn: Connection, ticket: TicketState, **values: Any) -> None:
    """Change the ticket's current state, only if nobody changed it since it was read (else ConflictError)."""
    update_ticket(conn, {"id": ticket.id, "version": ticket.version, "number": ticket.number}, **values)


def last_step_at(conn: Connection, ticket_id: int, *, ignoring: Sequence[str] = ()) -> datetime | None:
    """When the ticket's latest event happened, leaving out the actions `ignoring` names."""
    query = select(EVENTS.c.at).where(EVENTS.c.ticket_id == ticket_id)
    if ignoring:
        query = query.where(EVENTS.c.action.not_in(list(ignoring)))
    return conn.execute(query.order_by(EVENTS.c.at.desc()).limit(1)).scalar_one_or_none()


@dataclass(frozen=True)
class AssignmentView:
    """A unit's part in a ticket: lead or co-handler, its deadlines and the steps it took."""

    id: int
    ticket_id: int
    unit: str
    role: str  # lead | co
    state: str  # active | returned | ended | closed …
    rule: str | None
    assigned_at: datetime
    accept_due: datetime
    contact_due: datetime
    finish_due: datetime
    report_due: datetime | None
    accepted_at: datetime | None
    contacted_at: datetime | None
    finished_at: datetime | None
    result: str | None
    ended_at: datetime | None


def ticket_assignments(conn: Connection, ticket_id: int) -> list[AssignmentView]:
    """A ticket's assignments, oldest first."""
    query = select(ASSIGNMENTS).where(ASSIGNMENTS.c.ticket_id == ticket_id).order_by(ASSIGNMENTS.c.id)
    return [AssignmentView(**row._mapping) for row in conn.execute(query)]


def returned_units(conn: Connection, ticket_id: int) -> frozenset[str]:
    """Units that sent this ticket back (退单)."""
    query = select(ASSIGNMENTS.c.unit).where(
        ASSIGNMENTS.c.ticket_id == ticket_id, ASSIGNMENTS.c.state == AssignmentState.RETURNED
    )
    return frozenset(conn.execute(query).scalars())


def update_assignment(conn: Connection, assignment_id: int, **values: Any) -> None:
    """Record a unit's step on its assignment (accepted_at, state, finish_due, …)."""
    conn.execute(ASSIGNMENTS.update().where(ASSIGNMENTS.c.id == assignment_id).values(**values))


def insert_rows(
    conn: Connection, *, events: Sequence[Mapping[str, Any]] = (), assignments: Sequence[Mapping[str, Any]] = ()
) -> None:
    """Insert events and assignments (built by store.rows) of tickets already in the case file."""
    if events:
        BulkInsert(conn, EVENTS, EVENT_INSERT_COLUMNS).execute(events)
    if assignments:
        BulkInsert(conn, ASSIGNMENTS, ASSIGNMENT_INSERT_COLUMNS).execute(assignments)


@dataclass(frozen=True)
class UnitRequest:
    """A unit's extension (延期) or appeal (申诉) request waiting for the centre's decision."""

    id: int
    unit: str
    until: datetime | None  # an extension's new finish deadline


def file_request(
    conn: Connection,
    *,
    ticket_id: int,
    kind: str,
    unit: str,
    at: datetime,
    by: str,
    reason: str,
    until: datetime | None = None,
) -> None:
    """A unit's extension or appeal request (kind), waiting for the centre's decision."""
    conn.execute(
        REQUESTS.insert().values(
            ticket_id=ticket_id,
            kind=kind,
            unit=unit,
            requested_at=at,
            requested_by=by,
            reason=reason,
            until=until,
            state="requested",
        )
    )


def pending_request(conn: Connection, ticket_id: int, kind: str) -> UnitRequest | None:
    """The ticket's request of this kind waiting for a decision, if any."""
    query = select(REQUESTS.c.id, REQUESTS.c.unit, REQUESTS.c.until).where(
        REQUESTS.c.ticket_id == ticket_id, REQUESTS.c.kind == kind, REQUESTS.c.state == "requested"
    )
    row = conn.execute(query).first()
    return None if row is None else UnitRequest(row.id, row.unit, row.until)


def decide_request(
    conn: Connection, request_id: int, *, approve: bool, at: datetime, by: str, reason: str | None
) -> None:
    """Record the centre's decision on a waiting request."""
    conn.execute(
        REQUESTS.update()
        .where(REQUESTS.c.id == request_id)
        .values(state="approved" if approve else "denied", decided_at=at, decided_by=by, decision_reason=reason)
    )


def open_appeal_state(conn: Connection, ticket_id: int) -> str | None:
    """The state of the ticket's appeal still waiting or already approved (requested | approved), if any."""
    query = select(REQUESTS.c.state).where(
        REQUESTS.c.ticket_id == ticket_id,
        REQUESTS.c.kind == "appeal",
        REQUESTS.c.state.in_(["requested", "approved"]),
    )
    return conn.execute(query).scalar_one_or_none()


def record_callback(
    conn: Connection,
    *,
    ticket_id: int,
    at: datetime,
    operator: str,
    unit: str | None,
    answers: Mapping[str, Any],
    closed: bool,
    note: str | None,
) -> None:
    """The centre's call back to the requester: reached, contacted, resolved, satisfaction in `answers`."""
    conn.execute(
        CALLBACKS.insert().values(
            ticket_id=ticket_id, at=at, operator=operator, unit=unit, closed=closed, note=note, **answers
        )
    )


def end_assignments(conn: Connection, ticket_id: int, *, state: str, at: datetime) -> int:
    """End every active assignment of a ticket (it closed, merged, …); returns how many ended."""
    ended = conn.execute(
        ASSIGNMENTS.update()
        .where(ASSIGNMENTS.c.ticket_id == ticket_id, ASSIGNMENTS.c.state == AssignmentState.ACTIVE)
        .values(state=state, ended_at=at)
    )
    return int(ended.rowcount)
