"""The SQL behind reports and hot spots: every count is a GROUP BY with CASE sums, in the database.

Functions take the connection and UTC bounds [start, end) and return dataclasses or plain values;
nothing here loads tickets into Python.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, case, exists, func, literal, literal_column, or_, select, true

from jiesu.domain.assessment import UnitCounts
from jiesu.domain.enums import PROACTIVE_CHANNELS, AssignmentRole, AssignmentState
from jiesu.store.tables import ASSIGNMENTS, CALLBACKS, TICKETS, UNITS


@dataclass(frozen=True)
class OverdueCounts:
    """A lead unit's deadlines in a period that were missed, and how many of those are still open."""

    unit: str
    contact_overdue: int
    finish_overdue: int
    still_open: int


@dataclass(frozen=True)
class WindowCount:
    """One value of a ticket column: tickets in the window, in the baseline before it, the latest."""

    value: str
    current: int
    baseline: int
    latest: datetime  # UTC


@dataclass(frozen=True)
class RuleReturns:
    """One dispatch rule: the lead assignments it made and how many of them the unit returned."""

    rule: str
    dispatched: int
    returned: int


def count_if(condition: Any) -> Any:
    """SUM of 1 where the condition holds (0 over no rows): a count per group, for any condition."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# The assignments a unit is held to: the current one (active) and the one its ticket's closing
# ended (closed); not those it returned, nor those a re-dispatch or a merge ended.
HELD_TO = (AssignmentState.ACTIVE, AssignmentState.CLOSED)


def unit_names(conn: Connection) -> dict[str, tuple[str, str]]:
    """Every unit the case file knows: code → (name, class)."""
    query = select(UNITS.c.code, UNITS.c.name, UNITS.c.unit_class)
    return {code: (name, unit_class) for code, name, unit_class in conn.execute(query)}


def unit_counts(
    conn: Connection, start: datetime, end: datetime, *, include_proactive: bool = False
) -> list[UnitCounts]:
    """Per lead unit: tickets assessed in the period and what the callbacks said.

    Tickets the office's own people raised (grid, patrol) are left out unless `include_proactive`
    ([assessment] include_proactive): nobody called about them, so they say nothing of how a unit
    answers the public.

    A ticket is assessed for the lead unit when the callback that closed it reached the requester
    inside the period, it was not merged, and no approved appeal exempts it. It counts as
    responded when the unit recorded contact by the contact deadline and the requester did not
    say at that callback that nobody contacted them: the callback verifies the unit's claim. A
    resolved ticket some later request was linked to as its repeat (`repeat_of`, 重复诉求) is
    counted in `repeats`, in the period of this callback.
    """
    cb, t, a = CALLBACKS, TICKETS, ASSIGNMENTS
    repeat = TICKETS.alias("repeat")
    # coalesce() of a NOT NULL column changes nothing but keeps SQLite (which has no statistics) from
    # looking the lead up by (unit, state), reading all of a unit's assignments for each callback
    # instead of the ticket's few: 8 s instead of 0.02 s for a month of 20,000 tickets.
    same_unit = func.coalesce(a.c.unit, "") == cb.c.unit
    lead = and_(a.c.ticket_id == cb.c.ticket_id, a.c.role == AssignmentRole.LEAD, a.c.state.in_(HELD_TO), same_unit)
    responded = and_(
        a.c.contacted_at.is_not(None),
        a.c.contacted_at <= a.c.contact_due,
        cb.c.contacted.is_not(False),  # NULL: not asked (older records), the unit's record stands
    )
    proactive = [c.value for c in PROACTIVE_CHANNELS]
    query = (
        select(
            cb.c.unit,
            func.count().label("assessed"),
            count_if(responded).label("in_time"),
            count_if(cb.c.resolved.is_(True)).label("resolved"),
            count_if(cb.c.satisfaction == "satisfied").label("satisfied"),
            count_if(cb.c.satisfaction == "basically").label("basically"),
            count_if(and_(cb.c.resolved.is_(True), exists().where(repeat.c.repeat_of == cb.c.ticket_id))).label(
                "repeats"
            ),
        )
        .select_from(cb.join(t, t.c.id == cb.c.ticket_id).outerjoin(a, lead))
        .where(
            cb.c.closed.is_(True),
            cb.c.reached.is_(True),
            cb.c.at >= start,
            cb.c.at < end,
            t.c.exempt.is_(False),
            t.c.status != "merged",
            cb.c.unit.is_not(None),
            true() if include_proactive else t.c.channel.not_in(proactive),
        )
        .group_by(cb.c.unit)
    )
    return [
        UnitCounts(
            r.unit,
            int(r.assessed),
            int(r.in_time),
            int(r.resolved),
            int(r.satisfied),
            int(r.basically),
            int(r.repeats),
        )
        for r in conn.execute(query)
    ]


def intake_overview(conn: Connection, start: datetime, end: datetime) -> dict[str, int]:
    """Tickets taken in during the period: in all, answered directly, referred, guided, dispatched,
    merged, urgent, and raised by the office's own people (proactive).

    Answered, referred, guided and dispatched count each ticket once, by how it was handled in the
    end: a ticket dispatched and then guided (or referred on re-dispatch) counts as guided (referred).
    Dispatched and merged count as of the period's end, so that a later step does not change a
    period's figures (a published period stays as published).
    """
    t = TICKETS
    ended_without_unit = ("answered", "referred", "guided")
    row = conn.execute(
        select(
            func.count().label("taken_in"),
            count_if(t.c.status == "answered").label("answered"),
            count_if(t.c.status == "referred").label("referred"),
            count_if(t.c.status == "guided").label("guided"),
            count_if(
                and_(t.c.dispatched_at.is_not(None), t.c.dispatched_at < end, t.c.status.not_in(ended_without_unit))
            ).label("dispatched"),
            count_if(and_(t.c.status == "merged", t.c.closed_at < end)).label("merged"),
            count_if(t.c.urgent.is_(True)).label("urgent"),
            count_if(t.c.channel.in_([c.value for c in PROACTIVE_CHANNELS])).label("proactive"),
        ).where(t.c.created_at >= start, t.c.created_at < end)
    ).one()
    return {key: int(value) for key, value in row._mapping.items()}


def volume_by(conn: Connection, column: str, start: datetime, end: datetime) -> dict[str | None, int]:
    """Tickets taken in during the period, per value of a ticket column (kind, channel, street, …)."""
    key = TICKETS.c[column]
    query = select(key, func.count()).where(TICKETS.c.created_at >= start, TICKETS.c.created_at < end).group_by(key)
    return {value: int(count) for value, count in conn.execute(query)}


def overdue_by_unit(conn: Connection, start: datetime, end: datetime, as_of: datetime) -> list[OverdueCounts]:
    """Per lead unit: contact and finish deadlines falling in the period that were missed by `as_of`
    (the step came late, or has not come), and how many of those tickets were still unfinished at
    `as_of` (a finish recorded later does not change a past period's figures)."""
    a = ASSIGNMENTS
    as_of_value = literal(as_of, type_=a.c.contact_due.type)

    def missed(due: Any, done: Any) -> Any:
        return and_(due >= start, due < end, or_(and_(done.is_(None), due < as_of_value), done > due))

    contact = missed(a.c.contact_due, a.c.contacted_at)
    finish = missed(a.c.finish_due, a.c.finished_at)
    query = (
        select(
            a.c.unit,
            count_if(contact).label("contact_overdue"),
            count_if(finish).label("finish_overdue"),
            count_if(and_(finish, or_(a.c.finished_at.is_(None), a.c.finished_at >= as_of_value))).label("still_open"),
        )
        .where(
            a.c.role == AssignmentRole.LEAD,
            a.c.state.in_(HELD_TO),
            or_(
                and_(a.c.contact_due >= start, a.c.contact_due < end),
                and_(a.c.finish_due >= start, a.c.finish_due < end),
            ),
        )
        .group_by(a.c.unit)
        .having(or_(count_if(contact) > 0, count_if(finish) > 0))
    )
    return [
        OverdueCounts(r.unit, int(r.contact_overdue), int(r.finish_overdue), int(r.still_open))
        for r in conn.execute(query)
    ]


def window_counts(
    conn: Connection, column: str, *, baseline_start: datetime, window_start: datetime, end: datetime, minimum: int
) -> list[WindowCount]:
    """Per value of a column: tickets in [window_start, end) and in the baseline [baseline_start,
    window_start), with the latest ticket time; only values with at least `minimum` in the window."""
    key = TICKETS.c[column]
    current = count_if(TICKETS.c.created_at >= window_start)
    query = (
        select(
            key.label("value"),
            current.label("current"),
            count_if(TICKETS.c.created_at < window_start).label("baseline"),
            func.max(TICKETS.c.created_at).label("latest"),
        )
        .where(TICKETS.c.created_at >= baseline_start, TICKETS.c.created_at < end, key.is_not(None), key != "")
        .group_by(key)
        .having(current >= minimum)
    )
    return [WindowCount(r.value, int(r.current), int(r.baseline), as_utc(r.latest)) for r in conn.execute(query)]


def as_utc(value: datetime | str) -> datetime:
    """A min() or max() of a time column as an aware UTC datetime, whatever the backend returned."""
    if isinstance(value, str):  # SQLite returns max() of a DATETIME column as text
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def numbers_in_window(conn: Connection, column: str, value: str, start: datetime, end: datetime) -> list[str]:
    """The ticket numbers with this value in the window, newest first."""
    query = (
        select(TICKETS.c.number)
        .where(TICKETS.c[column] == value, TICKETS.c.created_at >= start, TICKETS.c.created_at < end)
        .order_by(TICKETS.c.created_at.desc())
    )
    return list(conn.execute(query).scalars())


def returns_by_rule(conn: Connection, start: datetime | None = None, end: datetime | None = None) -> list[RuleReturns]:
    """Per dispatch rule: lead assignments it made, how many the unit returned (routing accuracy)."""
    a = ASSIGNMENTS
    query = (
        select(
            a.c.rule,
            func.count().label("dispatched"),
            count_if(a.c.state == AssignmentState.RETURNED).label("returned"),
        )
        .where(a.c.role == AssignmentRole.LEAD, a.c.rule.is_not(None))
        .group_by(a.c.rule)
        .order_by(count_if(a.c.state == AssignmentState.RETURNED).desc(), func.count().desc(), a.c.rule)
    )
    if start is not None:
        query = query.where(a.c.assigned_at >= start)
    if end is not None:
        query = query.where(a.c.assigned_at < end)
    return [RuleReturns(r.rule, int(r.dispatched), int(r.returned)) for r in conn.execute(query)]


def intake_per_period(conn: Connection, bounds: list[tuple[datetime, datetime]]) -> list[dict[str, int]]:
    """Tickets taken in, dispatched and answered directly in each of consecutive periods [start, end),
    in one GROUP BY: a CASE numbers each ticket's period, so any period scheme (calendar months,
    the 19th to the 18th, custom ranges) is counted in one pass over the created_at index."""
    t = TICKETS
    empty = {"taken_in": 0, "dispatched": 0, "answered": 0}
    if not bounds:
        return []
    slot = case(*((t.c.created_at < end, index) for index, (_, end) in enumerate(bounds)), else_=len(bounds))
    query = (
        select(
            slot.label("slot"),
            func.count().label("taken_in"),
            count_if(t.c.dispatched_at.is_not(None)).label("dispatched"),
            count_if(t.c.status == "answered").label("answered"),
        )
        .where(t.c.created_at >= bounds[0][0], t.c.created_at < bounds[-1][1])
        .group_by(literal_column("slot"))  # by its name: PostgreSQL sees a repeated CASE's parameters as different
    )
    counts = [dict(empty) for _ in bounds]
    for row in conn.execute(query):
        if 0 <= int(row.slot) < len(bounds):
            counts[int(row.slot)] = {key: int(row._mapping[key]) for key in empty}
    return counts
