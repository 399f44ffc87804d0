"""The SQL of `jiesu escalate`: the open steps whose deadlines are due, the alerts and events that
record what was done about them, the tickets' escalation levels, and the count of what is overdue.

Candidates are found here, in SQL, over the active unfinished assignments of open tickets
(dispatched, accepted, reopened) and their open steps: accept (not yet accepted), contact (the
lead, not yet in touch with the requester) and finish (not yet finished). What is already recorded
in `alerts` is left out in SQL too, so a rerun reads little.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    case,
    exists,
    extract,
    func,
    literal,
    select,
    true,
    type_coerce,
)

from jiesu.domain.enums import Action, AssignmentRole, AssignmentState, Status
from jiesu.domain.escalation import Deadline
from jiesu.store.bulk import BulkInsert
from jiesu.store.engine import CaseConnection
from jiesu.store.tables import ALERTS, ASSIGNMENTS, EVENTS, TICKETS

OPEN_STATUSES = (Status.DISPATCHED.value, Status.ACCEPTED.value, Status.REOPENED.value)
ALERT_COLUMNS = ("ticket_id", "assignment_id", "deadline", "action", "due", "level", "unit", "at")
EVENT_COLUMNS = ("ticket_id", "at", "operator", "login", "action", "unit", "note", "data")
AlertKey = tuple[int, str, str, int]  # (assignment, deadline, action, level): one per action in a run


@dataclass(slots=True)
class OpenStep:
    """An open step of an open ticket's active assignment, with the deadline it must meet.

    Not frozen: a run on a big case file reads tens of thousands, and a frozen dataclass with
    slots is several times slower to build.
    """

    ticket_id: int
    number: str
    version: int
    urgent: bool
    escalation_level: int
    assignment_id: int
    unit: str
    role: str  # lead | co
    due: datetime
    assigned_at: datetime


@dataclass(frozen=True, slots=True)
class LevelUp:
    """A ticket's new escalation level and coordinator, if it is still at `expected_version`."""

    ticket_id: int
    expected_version: int
    level: int
    coordinator: str


# --- finding candidates -------------------------------------------------------------------------


def steps_to_warn(
    conn: CaseConnection,
    deadline: Deadline,
    now: datetime,
    *,
    horizon: datetime | None,
    share: float | None,
) -> list[OpenStep]:
    """Open steps due from `now` on and not warned about yet, that may be in their warning window.

    `horizon`: the latest deadline worth a warning (a fixed lead time); else `share`: the window is
    that share of the time between assignment and deadline. The caller decides each exactly.
    """
    due = _due(deadline)
    query = _open_steps(deadline, by_ticket=False).where(due >= now, _not_recorded(deadline, Action.WARN))
    if horizon is not None:
        query = query.where(due <= horizon)
    elif share is not None:  # due - now <= share × (due - assigned_at)
        # a second of slack for floating point; the caller's exact test decides
        window = _seconds(conn, due) * (1 - share) + _seconds(conn, ASSIGNMENTS.c.assigned_at) * share
        query = query.where(window <= now.timestamp() + 1)
    return _steps(conn, query)


def overdue_steps(conn: CaseConnection, deadline: Deadline, now: datetime) -> list[OpenStep]:
    """Open steps past their `deadline` and not marked overdue yet."""
    query = _open_steps(deadline, by_ticket=True).where(_due(deadline) < now, _not_recorded(deadline, Action.OVERDUE))
    return _steps(conn, query)


def overdue_lead_finishes(
    conn: CaseConnection, now: datetime, *, tops: Mapping[str, int], usual_top: int
) -> list[OpenStep]:
    """Lead assignments past their finish deadline whose tickets are below the top of their ladder.

    `tops`: the top level of each unit whose ladder is not `usual_top` high. Tickets already at the
    top (most overdue ones, in time) are left out here rather than read and skipped.
    """
    # a CASE needs one WHEN at least: without units of their own ladder, every top is the usual one
    top = case(dict(tops), value=ASSIGNMENTS.c.unit, else_=usual_top) if tops else literal(usual_top)
    query = _open_steps(Deadline.FINISH, by_ticket=True).where(
        ASSIGNMENTS.c.role == AssignmentRole.LEAD, _due(Deadline.FINISH) < now, TICKETS.c.escalation_level < top
    )
    return _steps(conn, query)


def count_overdue(conn: CaseConnection, now: datetime) -> int:
    """How many deadlines of open tickets are past due with their step not taken (one pass)."""
    late = [case((and_(_step_open(d), _due(d) < now), 1), else_=0) for d in Deadline]
    query = _open_assignments(select(func.sum(late[0] + late[1] + late[2])), by_ticket=True)
    return int(conn.execute(query).scalar_one() or 0)


def _due(deadline: Deadline) -> Any:
    return ASSIGNMENTS.c[f"{deadline.value}_due"]


def _open_assignments(query: Select[Any], *, by_ticket: bool) -> Select[Any]:
    """`query` over the active, unfinished assignments of open tickets.

    `by_ticket`: let the open tickets (index on status) lead the search, for deadlines already
    past. The (state, due) indexes cannot narrow those: a finished assignment stays active, so
    every assignment ever made lies before `now`. Comparing `state || ''` keeps SQLite's planner,
    which has no statistics, off that index; for the next hours' deadlines the index is right.
    """
    a, t = ASSIGNMENTS, TICKETS
    active = (a.c.state + "") == AssignmentState.ACTIVE if by_ticket else a.c.state == AssignmentState.ACTIVE
    return query.select_from(a.join(t, t.c.id == a.c.ticket_id)).where(
        active, a.c.finished_at.is_(None), t.c.status.in_(OPEN_STATUSES)
    )


def _step_open(deadline: Deadline) -> ColumnElement[bool]:
    """The deadline's step is still to be taken (contacting the requester is the lead's alone)."""
    a = ASSIGNMENTS
    if deadline is Deadline.ACCEPT:
        return a.c.accepted_at.is_(None)
    if deadline is Deadline.CONTACT:
        return and_(a.c.role == AssignmentRole.LEAD, a.c.contacted_at.is_(None))
    return true()


def _open_steps(deadline: Deadline, *, by_ticket: bool) -> Select[Any]:
    """Open tickets' active, unfinished assignments whose `deadline` step is still to be taken,
    as the columns of `OpenStep` in its order (the two times as the driver gives them: `_steps`
    reads them)."""
    a, t = ASSIGNMENTS, TICKETS
    columns = select(
        t.c.id,
        t.c.number,
        t.c.version,
        t.c.urgent,
        t.c.escalation_level,
        a.c.id,
        a.c.unit,
        a.c.role,
        type_coerce(_due(deadline), String),
        type_coerce(a.c.assigned_at, String),
    )
    return _open_assignments(columns, by_ticket=by_ticket).where(_step_open(deadline))


def _steps(conn: CaseConnection, query: Select[Any]) -> list[OpenStep]:
    """The open steps `query` selects (`_open_steps`' columns), fetched at once.

    The two times come as the driver gives them and are read here, in one pass: SQLAlchemy's
    processing of each value (a pattern match, then the zone set) was most of the Python a big
    first run spent per row. SQLite keeps them as UTC text ("2025-11-10 02:00:51.000000", what
    `UtcDateTime` writes), PostgreSQL hands over aware datetimes in the session's zone.
    """
    rows = conn.execute(query).all()
    if conn.dialect.name == "sqlite":
        read = datetime.fromisoformat  # the text has no offset: "+00:00" makes it UTC (faster than replace)
        return [
            OpenStep(
                ticket,
                number,
                version,
                urgent,
                level,
                assignment,
                unit,
                role,
                read(due + "+00:00"),
                read(at + "+00:00"),
            )
            for ticket, number, version, urgent, level, assignment, unit, role, due, at in rows
        ]
    return [
        OpenStep(
            ticket, number, version, urgent, level, assignment, unit, role, due.astimezone(UTC), at.astimezone(UTC)
        )
        for ticket, number, version, urgent, level, assignment, unit, role, due, at in rows
    ]


def _not_recorded(deadline: Deadline, action: Action) -> ColumnElement[bool]:
    """No alert yet for this action on the assignment's current `deadline` (level 0)."""
    al, a = ALERTS, ASSIGNMENTS
    return ~exists().where(
        al.c.assignment_id == a.c.id,
        al.c.deadline == deadline.value,
        al.c.action == action.value,
        al.c.due == _due(deadline),
        al.c.level == 0,
    )


def _seconds(conn: CaseConnection, column: Any) -> Any:
    """A stored time as seconds since the epoch, in SQL."""
    if conn.dialect.name == "sqlite":
        return (func.julianday(column) - 2440587.5) * 86400.0
    return extract("epoch", column)


# --- recording ----------------------------------------------------------------------------------


def alert_row(
    *,
    ticket_id: int,
    assignment_id: int,
    deadline: str,
    action: str,
    due: datetime,
    level: int,
    unit: str,
    at: datetime,
) -> dict[str, Any]:
    """A row of `alerts`: one action about one deadline (and level), recorded once."""
    return {
        "ticket_id": ticket_id,
        "assignment_id": assignment_id,
        "deadline": deadline,
        "action": action,
        "due": due,
        "level": level,
        "unit": unit,
        "at": at,
    }


def insert_alerts(conn: CaseConnection, rows: Sequence[Mapping[str, Any]]) -> set[AlertKey]:
    """Insert the alert rows with ON CONFLICT DO NOTHING; the keys of the rows that are new.

    Under the write lock nobody else inserts alerts and recorded ones were not selected, so every
    row is normally new: the row count says so, and only otherwise are the new rows read back
    (those above the largest id before the insert). One prepared statement for all rows: the
    first run on a big case file records tens of thousands.
    """
    if not rows:
        return set()
    before = conn.execute(select(func.coalesce(func.max(ALERTS.c.id), 0))).scalar_one()
    added = BulkInsert(conn, ALERTS, ALERT_COLUMNS, skip_existing=True).execute(rows)
    if added == len(rows):
        return {(r["assignment_id"], r["deadline"], r["action"], r["level"]) for r in rows}
    key = (ALERTS.c.assignment_id, ALERTS.c.deadline, ALERTS.c.action, ALERTS.c.level)
    return {(r[0], r[1], r[2], r[3]) for r in conn.execute(select(*key).where(ALERTS.c.id > before))}


def append_events(conn: CaseConnection, rows: Iterable[Mapping[str, Any]]) -> None:
    """Append the alerts' events to their tickets' histories (rows as `store.rows.event_row` builds)."""
    BulkInsert(conn, EVENTS, EVENT_COLUMNS).execute(rows)


def raise_levels(conn: CaseConnection, levels: Sequence[LevelUp], *, now: datetime) -> int:
    """Record each ticket's new level and coordinator (the lead unit stays the lead), bumping its
    version; returns how many tickets were still at the version expected."""
    if not levels:
        return 0
    t = TICKETS
    statement = (
        t.update()
        .where(t.c.id == bindparam("ticket"), t.c.version == bindparam("expected"))
        .values(
            version=bindparam("expected") + 1,
            escalation_level=bindparam("level"),
            coordinator=bindparam("coordinator"),
            updated_at=now,
        )
    )
    params = [
        {"ticket": x.ticket_id, "expected": x.expected_version, "level": x.level, "coordinator": x.coordinator}
        for x in levels
    ]
    return int(conn.execute(statement, params).rowcount)
