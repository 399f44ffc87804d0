"""`jiesu escalate`: warn before deadlines, mark what is overdue, lift unfinished tickets up the
coordination ladder (超时预警、超时、分级协调).

One run is one write transaction (a dry run: one read transaction). It looks only at the active
assignments of open tickets (dispatched, accepted, reopened) and their open steps: accept (not yet
accepted), contact (the lead, not yet in touch with the requester) and finish (not yet finished).
Candidates are found in SQL (jiesu.store.due); only the calendar arithmetic of the escalation
levels runs in Python, on the overdue lead assignments alone. A dry run on a SQLite case file reads
through sqlite3 alone and never imports SQLAlchemy (store/due.py says why); a real run, and any run
on PostgreSQL, opens the case file the usual way.

Every action is recorded once: one row in `alerts`, unique per (assignment, deadline, action, due,
level) and written with INSERT … ON CONFLICT DO NOTHING, and one event beside each row that was
new. A rerun at the same clock adds nothing; a run after a gap records everything it missed, once;
two runs at once queue on the write lock and the second finds the first's rows. A deadline that
moves (an extension, a reopen) is a new deadline and is watched afresh.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from jiesu.domain.enums import Action, AssignmentRole
from jiesu.domain.escalation import (
    Deadline,
    LadderTop,
    escalation_period,
    ladder,
    ladder_top,
    levels_reached,
    top_note,
    warn_horizon,
    warning_due,
)
from jiesu.domain.times import iso
from jiesu.errors import ConflictError, RulesError
from jiesu.rules import RulesFile
from jiesu.rules.loader import deep_problems
from jiesu.services.context import Office
from jiesu.store import due as store
from jiesu.store.due import OpenStep, Reader

if TYPE_CHECKING:  # these import SQLAlchemy: only a real run (or a run on PostgreSQL) loads them
    from jiesu.store.engine import CaseConnection
    from jiesu.store.escalation import AlertKey

ACTION_ORDER = {Action.WARN: 0, Action.OVERDUE: 1, Action.ESCALATE: 2}
DEADLINE_ORDER = {d: i for i, d in enumerate(Deadline)}


class Alerted(NamedTuple):
    """One action of a run: a warning, an overdue mark or a level up, about one deadline.

    `unit` is who must hear of it: the assignment's unit for warn and overdue, the new
    coordinating unit for escalate. `level` is 0 for warn and overdue. `at` is the run's clock.
    `top` is set when the action reaches the highest level there is because no coordinator above
    is configured (where the ladder stops, and which coordinators are missing): on the level up to
    that unit, or on the lead's overdue finish when nobody is above it.

    A named tuple, immutable and cheap to build: a first run on a big case file finds tens of
    thousands (a frozen dataclass with slots took several microseconds each).
    """

    number: str
    action: Action  # warn | overdue | escalate
    deadline: Deadline
    due: datetime
    unit: str
    level: int
    at: datetime
    top: LadderTop | None = None


@dataclass(frozen=True)
class EscalationRun:
    """What one run did (or, in a dry run, would do)."""

    at: datetime
    actions: tuple[Alerted, ...]
    overdue_open: int  # deadlines past due and still open at `at`, recorded in this run or before
    dry_run: bool = False


# An action to record: where it comes in the run's order (number, assignment, deadline, action,
# level), the action, the open step it is about (its alert row, event and ticket update need the
# step's ticket, assignment, version, role and unit: for escalate, the lead that stays accountable)
# and since when it was due (the warning window's start, the deadline, the level's time). A plain
# tuple: a first run on a big case file builds tens of thousands, and a named tuple's constructor
# is a Python call.
_Found = tuple[tuple[str, int, int, int, int], Alerted, OpenStep, datetime]


def _key(found: _Found) -> "AlertKey":
    _, a, step, _ = found
    return (step.assignment_id, a.deadline, a.action, a.level)


def escalate(office: Office, *, dry_run: bool = False) -> EscalationRun:
    """Find every warning, overdue mark and level up due at the office's clock and record each once."""
    rules = office.rules
    problems = deep_problems(rules)  # refuse what `rules check` refuses
    if problems:
        raise RulesError(rules.path, problems)
    if dry_run:
        with store.sqlite_reader(office.db) as reader:
            if reader is not None:
                found = _find_actions(reader, rules, office.now)
                overdue = store.count_overdue(reader, office.now)
                return EscalationRun(office.now, tuple(a for _, a, _, _ in found), overdue, dry_run)
    from jiesu.store.engine import transaction
    from jiesu.store.escalation import reader as reader_of
    from jiesu.store.units import sync_units

    with transaction(office.engine, write=not dry_run) as conn:
        reader = reader_of(conn)
        found = _find_actions(reader, rules, office.now)
        if not dry_run:
            # the coordinators must be in the units table before tickets name them
            sync_units(conn, rules.units.values(), rules_sha256=rules.sha256, now=office.now)
            found = _record_actions(conn, office, found)
        overdue = store.count_overdue(reader, office.now)
    return EscalationRun(office.now, tuple(a for _, a, _, _ in found), overdue, dry_run)


def _find_actions(reader: Reader, rules: RulesFile, now: datetime) -> list[_Found]:
    """Every action due at `now` that is not recorded yet, in a stable order."""
    found: list[_Found] = []
    ladders = _Ladders(rules)
    for deadline in Deadline:
        found += _warnings(reader, rules, now, deadline)
        found += _overdue(reader, now, deadline, ladders)
    found += _escalations(reader, rules, now, ladders)
    found.sort(key=itemgetter(0))
    return found


def _record_actions(conn: "CaseConnection", office: Office, found: Sequence[_Found]) -> list[_Found]:
    """Write the alert rows; then, for the rows that were new, their events and the tickets' levels."""
    from jiesu.store import escalation as writes
    from jiesu.store.rows import event_row

    new = writes.insert_alerts(conn, [_alert(f, writes.alert_row) for f in found])
    kept = [f for f in found if _key(f) in new]
    writes.append_events(conn, (_event(office, f, event_row) for f in kept))
    _raise_levels(conn, office, kept)
    return kept


# --- finding what is due ------------------------------------------------------------------------


def _warnings(reader: Reader, rules: RulesFile, now: datetime, deadline: Deadline) -> list[_Found]:
    lead = rules.escalation.warn_before
    horizon = warn_horizon(now, lead, rules.calendar, rules.timezone)
    steps = store.steps_to_warn(reader, deadline, now, horizon=horizon, share=lead.share)
    return [
        _found(step, deadline, Action.WARN, step.unit, 0, now, since=step.due)
        for step in steps
        if warning_due(now, step.due, step.assigned_at, lead, rules.calendar, rules.timezone)
    ]


class _Ladders:
    """Each lead unit's ladder and where it stops early, worked out once per run."""

    def __init__(self, rules: RulesFile) -> None:
        self._rules = rules
        self._ladders: dict[str, tuple[str, ...]] = {}
        self._tops: dict[str, LadderTop | None] = {}

    def rungs(self, lead: str) -> tuple[str, ...]:
        if lead not in self._ladders:
            self._ladders[lead] = ladder(lead, self._rules.units, self._rules.escalation)
        return self._ladders[lead]

    def top(self, lead: str) -> LadderTop | None:
        """Where the lead's ladder stops without a city coordinator above (None when one is)."""
        if lead not in self._tops:
            self._tops[lead] = ladder_top(self.rungs(lead), self._rules.units, self._rules.escalation)
        return self._tops[lead]

    def alone(self, lead: str) -> LadderTop | None:
        """Where the ladder stops when the lead unit has nobody above it (None otherwise)."""
        return self.top(lead) if len(self.rungs(lead)) == 1 else None


def _overdue(reader: Reader, now: datetime, deadline: Deadline, ladders: _Ladders) -> list[_Found]:
    """Overdue marks: built in one tight loop (the most numerous actions of a run after a backlog)."""
    order = DEADLINE_ORDER[deadline], ACTION_ORDER[Action.OVERDUE]
    overdue, lead, finish = Action.OVERDUE, AssignmentRole.LEAD, deadline is Deadline.FINISH
    alone = ladders.alone
    return [
        # a lead unit with nobody above it: its overdue finish is as high as the ticket goes
        (
            (step.number, step.assignment_id, *order, 0),
            Alerted(
                step.number,
                overdue,
                deadline,
                step.due,
                step.unit,
                0,
                now,
                alone(step.unit) if finish and step.role == lead else None,
            ),
            step,
            step.due,
        )
        for step in store.overdue_steps(reader, deadline, now)
    ]


def _escalations(reader: Reader, rules: RulesFile, now: datetime, ladders: _Ladders) -> list[_Found]:
    """Level ups of lead units still unfinished past their finish deadline."""
    policy = rules.escalation
    rungs = ladders.rungs
    # leave out tickets already at the top of their lead's ladder: most overdue ones, in time
    usual = len(rungs("")) - 1  # the top for a unit without a ladder of its own ("": one the rules dropped)
    tops = {code: len(rungs(code)) - 1 for code in rules.units}
    other = {c: n for c, n in tops.items() if n != usual}
    found = []
    for step in store.overdue_lead_finishes(reader, now, tops=other, usual_top=usual):
        steps = rungs(step.unit)
        period = escalation_period(policy, urgent=bool(step.urgent))
        highest = len(steps) - 1
        for level, since in levels_reached(now, step.due, period, highest, rules.due):
            if level > step.escalation_level:  # the ladder is climbed once; it never goes down
                top = ladders.top(step.unit) if level == highest else None
                found.append(
                    _found(step, Deadline.FINISH, Action.ESCALATE, steps[level], level, now, since=since, top=top)
                )
    return found


def _found(
    step: OpenStep,
    deadline: Deadline,
    action: Action,
    unit: str,
    level: int,
    now: datetime,
    *,
    since: datetime,
    top: LadderTop | None = None,
) -> _Found:
    order = (step.number, step.assignment_id, DEADLINE_ORDER[deadline], ACTION_ORDER[action], level)
    return order, Alerted(step.number, action, deadline, step.due, unit, level, now, top), step, since


# --- recording ----------------------------------------------------------------------------------


def _alert(found: _Found, alert_row: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """The alert row of an action (`alert_row`: store.escalation's builder, imported by the caller)."""
    _, a, step, _ = found
    return alert_row(
        ticket_id=step.ticket_id,
        assignment_id=step.assignment_id,
        deadline=a.deadline.value,
        action=a.action.value,
        due=a.due,
        level=a.level,
        unit=a.unit,
        at=a.at,
    )


def _event(office: Office, found: _Found, event_row: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """The event beside a new alert; its note keeps the reason a ladder stops early, in the words
    the case file's history has always used for it (`event_row`: store.rows' builder)."""
    _, a, step, since = found
    tz = office.rules.timezone
    data: dict[str, Any] = {"deadline": a.deadline.value, "due": iso(a.due, tz), "role": step.role}
    if a.action is Action.ESCALATE:
        data |= {"level": a.level, "coordinator": a.unit, "lead": step.unit, "since": iso(since, tz)}
    return event_row(
        ticket_id=step.ticket_id,
        at=a.at,
        operator=office.operator,
        login=office.login,
        action=a.action.value,
        unit=a.unit,
        note=top_note(a.top) if a.top else None,
        data=data,
    )


def _raise_levels(conn: "CaseConnection", office: Office, found: Iterable[_Found]) -> None:
    """Record each escalated ticket's highest new level and its coordinator (the lead unit stays the lead)."""
    from jiesu.store.escalation import LevelUp, raise_levels

    top: dict[int, tuple[Alerted, OpenStep]] = {}
    for _, a, step, _ in found:
        ticket = step.ticket_id
        if a.action is Action.ESCALATE and (ticket not in top or a.level > top[ticket][0].level):
            top[ticket] = a, step
    levels = [LevelUp(step.ticket_id, step.version, a.level, a.unit) for a, step in top.values()]
    if raise_levels(conn, levels, now=office.now) != len(levels):
        raise ConflictError("a ticket changed while escalation was working on it; run `jiesu escalate` again")


__all__ = ["Alerted", "EscalationRun", "escalate"]
