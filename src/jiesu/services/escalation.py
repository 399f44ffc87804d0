"""`jiesu escalate`: warn before deadlines, mark what is overdue, lift unfinished tickets up the
coordination ladder (超时预警、超时、分级协调).

One run is one write transaction (a dry run: one read transaction). It looks only at the active
assignments of open tickets (dispatched, accepted, reopened) and their open steps: accept (not yet
accepted), contact (the lead, not yet in touch with the requester) and finish (not yet finished).
Candidates are found in SQL; only the calendar arithmetic of the escalation levels runs in Python,
on the overdue lead assignments alone.

Every action is recorded once: one row in `alerts`, unique per (assignment, deadline, action, due,
level) and written with INSERT … ON CONFLICT DO NOTHING, and one event beside each row that was
new. A rerun at the same clock adds nothing; a run after a gap records everything it missed, once;
two runs at once queue on the write lock and the second finds the first's rows. A deadline that
moves (an extension, a reopen) is a new deadline and is watched afresh.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    bindparam,
    case,
    exists,
    extract,
    func,
    literal,
    select,
    true,
)
from sqlalchemy.engine import Row

from jiesu.domain.enums import Action, Status
from jiesu.domain.escalation import (
    Deadline,
    escalation_period,
    ladder,
    ladder_note,
    levels_reached,
    warn_horizon,
    warning_due,
)
from jiesu.domain.times import iso
from jiesu.errors import ConflictError, RulesError
from jiesu.rules import Rules
from jiesu.rules.loader import deep_problems
from jiesu.services.context import Office
from jiesu.store.bulk import BulkInsert, sqlite_utc_datetime
from jiesu.store.engine import transaction
from jiesu.store.tickets import ALERTS, ASSIGNMENTS, EVENTS, TICKETS, sync_units

OPEN_STATUSES = (Status.DISPATCHED.value, Status.ACCEPTED.value, Status.REOPENED.value)
ACTION_ORDER = {Action.WARN.value: 0, Action.OVERDUE.value: 1, Action.ESCALATE.value: 2}
DEADLINE_ORDER = {d.value: i for i, d in enumerate(Deadline)}
ALERT_COLUMNS = ("ticket_id", "assignment_id", "deadline", "action", "due", "level", "unit", "at")
AlertKey = tuple[int, str, str, int]  # (assignment, deadline, action, level): one per action in a run


@dataclass(frozen=True, slots=True)
class Alerted:
    """One action of a run: a warning, an overdue mark or a level up, about one deadline.

    `unit` is who must hear of it: the assignment's unit for warn and overdue, the new
    coordinating unit for escalate. `level` is 0 for warn and overdue. `at` is the run's clock.
    `note` says when the action reaches the highest level there is because no coordinator above is
    configured: on the level up to that unit, or on the lead's overdue finish when nobody is above it.
    """

    number: str
    action: str  # warn | overdue | escalate
    deadline: str  # accept | contact | finish
    due: datetime
    unit: str
    level: int
    at: datetime
    note: str = ""


@dataclass(frozen=True)
class EscalationRun:
    """What one run did (or, in a dry run, would do)."""

    at: datetime
    actions: tuple[Alerted, ...]
    overdue_open: int  # deadlines past due and still open at `at`, recorded in this run or before
    dry_run: bool = False


@dataclass(slots=True)
class _Found:
    """An action to record, with what its alert row, event and ticket update need."""

    alerted: Alerted
    ticket_id: int
    assignment_id: int
    ticket_version: int
    role: str
    lead: str  # the assignment's unit: for escalate, the lead unit that stays accountable
    since: datetime  # when the action fell due: the warning window's start, the deadline, the level's time

    @property
    def key(self) -> AlertKey:
        a = self.alerted
        return (self.assignment_id, a.deadline, a.action, a.level)

    @property
    def order(self) -> tuple[Any, ...]:
        a = self.alerted
        return (a.number, self.assignment_id, DEADLINE_ORDER[a.deadline], ACTION_ORDER[a.action], a.level)


def escalate(office: Office, *, dry_run: bool = False) -> EscalationRun:
    """Find every warning, overdue mark and level up due at the office's clock and record each once."""
    rules = office.rules
    problems = deep_problems(rules)  # refuse what `rules check` refuses
    if problems:
        raise RulesError(rules.path, problems)
    with transaction(office.engine, write=not dry_run) as conn:
        found = _find_actions(conn, rules, office.now)
        if not dry_run:
            # the coordinators must be in the units table before tickets name them
            sync_units(conn, rules.units.values(), rules_sha256=rules.sha256, now=office.now)
            found = _record_actions(conn, office, found)
        overdue = count_overdue(conn, office.now)
    return EscalationRun(office.now, tuple(f.alerted for f in found), overdue, dry_run)


def _find_actions(conn: Connection, rules: Rules, now: datetime) -> list[_Found]:
    """Every action due at `now` that is not recorded yet, in a stable order."""
    found: list[_Found] = []
    ladders = _Ladders(rules)
    for deadline in Deadline:
        found += _warnings(conn, rules, now, deadline)
        found += _overdue(conn, now, deadline, ladders)
    found += _escalations(conn, rules, now, ladders)
    return sorted(found, key=lambda f: f.order)


def _record_actions(conn: Connection, office: Office, found: Sequence[_Found]) -> list[_Found]:
    """Write the alert rows; then, for the rows that were new, their events and the tickets' levels."""
    new = _insert_alerts(conn, found)
    kept = [f for f in found if f.key in new]
    _append_events(conn, office, kept)
    _raise_levels(conn, office, kept)
    return kept


def count_overdue(conn: Connection, now: datetime) -> int:
    """How many deadlines of open tickets are past due with their step not taken (one pass)."""
    late = [case((and_(_step_open(d), _due(d) < now), 1), else_=0) for d in Deadline]
    query = _open_assignments(select(func.sum(late[0] + late[1] + late[2])), by_ticket=True)
    return int(conn.execute(query).scalar_one() or 0)


# --- finding candidates -------------------------------------------------------------------------


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
    active = (a.c.state + "") == "active" if by_ticket else a.c.state == "active"
    return query.select_from(a.join(t, t.c.id == a.c.ticket_id)).where(
        active, a.c.finished_at.is_(None), t.c.status.in_(OPEN_STATUSES)
    )


def _step_open(deadline: Deadline) -> ColumnElement[bool]:
    """The deadline's step is still to be taken (contacting the requester is the lead's alone)."""
    a = ASSIGNMENTS
    if deadline is Deadline.ACCEPT:
        return a.c.accepted_at.is_(None)
    if deadline is Deadline.CONTACT:
        return and_(a.c.role == "lead", a.c.contacted_at.is_(None))
    return true()


def _open_steps(deadline: Deadline, *, by_ticket: bool) -> Select[Any]:
    """Open tickets' active, unfinished assignments whose `deadline` step is still to be taken."""
    a, t = ASSIGNMENTS, TICKETS
    columns = select(
        t.c.id.label("ticket_id"),
        t.c.number,
        t.c.version,
        t.c.urgent,
        t.c.escalation_level,
        a.c.id.label("assignment_id"),
        a.c.unit,
        a.c.role,
        _due(deadline).label("due"),
    )
    return _open_assignments(columns, by_ticket=by_ticket).where(_step_open(deadline))


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


def _seconds(conn: Connection, column: Any) -> Any:
    """A stored time as seconds since the epoch, in SQL."""
    if conn.dialect.name == "sqlite":
        return (func.julianday(column) - 2440587.5) * 86400.0
    return extract("epoch", column)


def _warnings(conn: Connection, rules: Rules, now: datetime, deadline: Deadline) -> list[_Found]:
    lead = rules.escalation.warn_before
    due = _due(deadline)
    query = (
        _open_steps(deadline, by_ticket=False)
        .add_columns(ASSIGNMENTS.c.assigned_at)
        .where(due >= now, _not_recorded(deadline, Action.WARN))
    )
    horizon = warn_horizon(now, lead, rules.calendar, rules.timezone)
    if horizon is not None:
        query = query.where(due <= horizon)
    elif lead.share is not None:  # due - now <= share × (due - assigned_at)
        share = lead.share
        # a second of slack for floating point; the exact test below decides
        query = query.where(
            _seconds(conn, due) * (1 - share) + _seconds(conn, ASSIGNMENTS.c.assigned_at) * share <= now.timestamp() + 1
        )
    return [
        _found(row, deadline, Action.WARN, row.unit, 0, now, since=row.due)
        for row in conn.execute(query)
        if warning_due(now, row.due, row.assigned_at, lead, rules.calendar, rules.timezone)
    ]


class _Ladders:
    """Each lead unit's ladder and the note for its top, worked out once per run."""

    def __init__(self, rules: Rules) -> None:
        self._rules = rules
        self._ladders: dict[str, tuple[str, ...]] = {}
        self._notes: dict[str, str] = {}

    def rungs(self, lead: str) -> tuple[str, ...]:
        if lead not in self._ladders:
            self._ladders[lead] = ladder(lead, self._rules.units, self._rules.escalation)
        return self._ladders[lead]

    def note(self, lead: str) -> str:
        """Why nobody is above the top of the lead's ladder ("" when a city coordinator is)."""
        if lead not in self._notes:
            self._notes[lead] = ladder_note(self.rungs(lead), self._rules.units, self._rules.escalation)
        return self._notes[lead]


def _overdue(conn: Connection, now: datetime, deadline: Deadline, ladders: _Ladders) -> list[_Found]:
    query = _open_steps(deadline, by_ticket=True).where(_due(deadline) < now, _not_recorded(deadline, Action.OVERDUE))
    found = []
    for row in conn.execute(query):
        # a lead unit with nobody above it: its overdue finish is as high as the ticket goes
        alone = deadline is Deadline.FINISH and row.role == "lead" and len(ladders.rungs(row.unit)) == 1
        note = ladders.note(row.unit) if alone else ""
        found.append(_found(row, deadline, Action.OVERDUE, row.unit, 0, now, since=row.due, note=note))
    return found


def _escalations(conn: Connection, rules: Rules, now: datetime, ladders: _Ladders) -> list[_Found]:
    """Level ups of lead units still unfinished past their finish deadline."""
    policy = rules.escalation
    rungs = ladders.rungs
    # leave out tickets already at the top of their lead's ladder: most overdue ones, in time
    usual = len(rungs("")) - 1  # the top for a unit without a ladder of its own ("": one the rules dropped)
    tops = {code: len(rungs(code)) - 1 for code in rules.units}
    other = {c: n for c, n in tops.items() if n != usual}
    # a CASE needs one WHEN at least: without units of their own ladder, every top is the usual one
    top = case(other, value=ASSIGNMENTS.c.unit, else_=usual) if other else literal(usual)
    query = _open_steps(Deadline.FINISH, by_ticket=True).where(
        ASSIGNMENTS.c.role == "lead", _due(Deadline.FINISH) < now, TICKETS.c.escalation_level < top
    )
    found = []
    for row in conn.execute(query):
        steps = rungs(row.unit)
        period = escalation_period(policy, urgent=bool(row.urgent))
        highest = len(steps) - 1
        for level, since in levels_reached(now, row.due, period, highest, rules.due):
            if level > row.escalation_level:  # the ladder is climbed once; it never goes down
                note = ladders.note(row.unit) if level == highest else ""
                found.append(
                    _found(row, Deadline.FINISH, Action.ESCALATE, steps[level], level, now, since=since, note=note)
                )
    return found


def _found(
    row: Row[Any],
    deadline: Deadline,
    action: Action,
    unit: str,
    level: int,
    now: datetime,
    *,
    since: datetime,
    note: str = "",
) -> _Found:
    return _Found(
        alerted=Alerted(row.number, action.value, deadline.value, row.due, unit, level, now, note),
        ticket_id=row.ticket_id,
        assignment_id=row.assignment_id,
        ticket_version=row.version,
        role=row.role,
        lead=row.unit,
        since=since,
    )


# --- recording ----------------------------------------------------------------------------------


def _insert_alerts(conn: Connection, found: Sequence[_Found]) -> set[AlertKey]:
    """Insert one alert row per action with ON CONFLICT DO NOTHING; the keys of the rows that are new.

    Under the write lock nobody else inserts alerts and recorded ones were not selected, so every
    row is normally new: the row count says so, and only otherwise are the new rows read back
    (those above the largest id before the insert). One prepared statement for all rows: the
    first run on a big case file records tens of thousands.
    """
    if not found:
        return set()
    before = conn.execute(select(func.coalesce(func.max(ALERTS.c.id), 0))).scalar_one()
    statement = _upsert_dialect(conn).insert(ALERTS).on_conflict_do_nothing()
    compiled = statement.compile(dialect=conn.dialect, column_keys=list(ALERT_COLUMNS))
    order = list(compiled.positiontup or ALERT_COLUMNS) if compiled.positional else list(ALERT_COLUMNS)
    moment = sqlite_utc_datetime if conn.dialect.name == "sqlite" else _utc
    params: list[Any] = []
    for f in found:
        a = f.alerted
        values = {
            "ticket_id": f.ticket_id,
            "assignment_id": f.assignment_id,
            "deadline": a.deadline,
            "action": a.action,
            "due": moment(a.due),
            "level": a.level,
            "unit": a.unit,
            "at": moment(a.at),
        }
        params.append(tuple(values[c] for c in order) if compiled.positional else values)
    added = conn.exec_driver_sql(str(compiled), params).rowcount
    if added == len(found):
        return {f.key for f in found}
    key = (ALERTS.c.assignment_id, ALERTS.c.deadline, ALERTS.c.action, ALERTS.c.level)
    return {(r[0], r[1], r[2], r[3]) for r in conn.execute(select(*key).where(ALERTS.c.id > before))}


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _upsert_dialect(conn: Connection) -> Any:
    """The dialect module whose insert() has ON CONFLICT DO NOTHING."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql
    from sqlalchemy.dialects import sqlite

    return sqlite


def _event(office: Office, found: _Found) -> dict[str, Any]:
    a, tz = found.alerted, office.rules.timezone
    data: dict[str, Any] = {"deadline": a.deadline, "due": iso(a.due, tz), "role": found.role}
    if a.action == Action.ESCALATE.value:
        data |= {"level": a.level, "coordinator": a.unit, "lead": found.lead, "since": iso(found.since, tz)}
    return {
        "ticket_id": found.ticket_id,
        "at": a.at,
        "operator": office.operator,
        "action": a.action,
        "unit": a.unit,
        "note": a.note or None,
        "data": data,
    }


def _append_events(conn: Connection, office: Office, found: Iterable[_Found]) -> None:
    """One event per new alert (events are append-only)."""
    columns = ["ticket_id", "at", "operator", "action", "unit", "note", "data"]
    BulkInsert(conn, EVENTS, columns).execute(_event(office, f) for f in found)


def _raise_levels(conn: Connection, office: Office, found: Iterable[_Found]) -> None:
    """Record each escalated ticket's new level and coordinator (the lead unit stays the lead)."""
    top: dict[int, _Found] = {}
    for f in found:
        if f.alerted.action == Action.ESCALATE.value and (
            f.ticket_id not in top or f.alerted.level > top[f.ticket_id].alerted.level
        ):
            top[f.ticket_id] = f
    if not top:
        return
    t = TICKETS
    statement = (
        t.update()
        .where(t.c.id == bindparam("ticket"), t.c.version == bindparam("expected"))
        .values(
            version=bindparam("expected") + 1,
            escalation_level=bindparam("level"),
            coordinator=bindparam("coordinator"),
            updated_at=office.now,
        )
    )
    params = [
        {"ticket": f.ticket_id, "expected": f.ticket_version, "level": f.alerted.level, "coordinator": f.alerted.unit}
        for f in top.values()
    ]
    result = conn.execute(statement, params)
    if result.rowcount != len(params):
        raise ConflictError("a ticket changed while escalation was working on it; run `jiesu escalate` again")


__all__ = ["Alerted", "EscalationRun", "count_overdue", "escalate"]
