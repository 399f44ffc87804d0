"""The SQL behind proactive governance (主动治理): proactive discovery per street, the named problems
(每月一题) period by period, and each community's latest request (零诉求社区).

A named problem's keywords are matched in the database (a substring search of title and content
inside the periods' index range, one pass for every problem and period), never by loading tickets
into Python.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, case, false, func, or_, select

from jiesu.domain.catalogue import NamedProblem
from jiesu.domain.enums import PROACTIVE_CHANNELS
from jiesu.store.reports import as_utc, count_if
from jiesu.store.tables import CALLBACKS, TICKETS

_PROACTIVE = sorted(c.value for c in PROACTIVE_CHANNELS)


def _in_range(start: datetime, end: datetime) -> Any:
    return and_(TICKETS.c.created_at >= start, TICKETS.c.created_at < end)


@dataclass(frozen=True)
class StreetProactive:
    """A street's tickets in a period, and how many of them the office's own people raised."""

    street: str | None
    tickets: int
    proactive: int


def proactive_by_street(conn: Connection, start: datetime, end: datetime) -> list[StreetProactive]:
    """Per street (None: not located): tickets taken in during [start, end) and the proactive ones."""
    t = TICKETS
    query = (
        select(t.c.street, func.count().label("tickets"), count_if(t.c.channel.in_(_PROACTIVE)).label("proactive"))
        .where(_in_range(start, end))
        .group_by(t.c.street)
    )
    return [StreetProactive(r.street, int(r.tickets), int(r.proactive)) for r in conn.execute(query)]


def _holds(column: Any, word: str, dialect: str) -> Any:
    """The column holds the word (case-sensitive, as dispatch keywords are): a plain substring search,
    much cheaper per row than LIKE (and than lower() … LIKE), on either backend."""
    find = func.strpos if dialect == "postgresql" else func.instr
    return find(column, word) > 0


def problem_match(problem: NamedProblem, dialect: str) -> Any:
    """The SQL condition for "this ticket is about the named problem" (see NamedProblem)."""
    t = TICKETS
    about = [or_(_holds(t.c.title, word, dialect), _holds(t.c.content, word, dialect)) for word in problem.keywords]
    about += [t.c.category.startswith(category, autoescape=True) for category in problem.categories]
    condition = or_(*about) if about else false()
    if problem.places:
        places = list(problem.places)
        condition = and_(condition, or_(t.c.street.in_(places), t.c.community.in_(places)))
    return condition


@dataclass(frozen=True)
class ProblemCounts:
    """A named problem's tickets in one period (and, with `places`, at one place), and what their
    closing callbacks said (with `outcomes`; else zeros)."""

    problem: int  # its position in the problems asked about
    period: int  # the position of its period in the bounds
    street: str | None
    community: str | None
    tickets: int
    called_back: int  # closed by a callback that reached the requester
    resolved: int
    satisfied: int
    basically: int


def problem_counts(
    conn: Connection, problems: Sequence[NamedProblem], bounds: Sequence[datetime], *, detail: bool = False
) -> list[ProblemCounts]:
    """Every named problem's tickets per period [bounds[i], bounds[i+1]), in one pass over the range.

    The inner query marks each ticket of the range with its period and a 0/1 per problem, so each
    problem's condition is evaluated once per ticket however many periods and figures are asked
    for; the outer one sums the marks per period. With `detail`, also per street and community,
    with the closing callbacks' answers: a few hundred rows for a report's two periods.
    """
    if not problems or len(bounds) < 2:
        return []
    t, cb = TICKETS, CALLBACKS
    dialect = conn.dialect.name
    period = case(*((t.c.created_at < bound, index) for index, bound in enumerate(bounds[1:])))
    marks = [case((problem_match(p, dialect), 1), else_=0).label(f"p{i}") for i, p in enumerate(problems)]
    columns: list[Any] = [period.label("period")]
    source: Any = t
    if detail:
        closing = and_(cb.c.ticket_id == t.c.id, cb.c.closed.is_(True), cb.c.reached.is_(True))
        source = t.outerjoin(cb, closing)
        columns += [
            t.c.street,
            t.c.community,
            case((cb.c.id.is_not(None), 1), else_=0).label("called"),
            case((cb.c.resolved.is_(True), 1), else_=0).label("resolved"),
            case((cb.c.satisfaction == "satisfied", 1), else_=0).label("satisfied"),
            case((cb.c.satisfaction == "basically", 1), else_=0).label("basically"),
        ]
    inner = select(*columns, *marks).select_from(source).where(_in_range(bounds[0], bounds[-1])).subquery()
    # Grouping by the callback's answers too keeps one sum per problem: a database that inlines the
    # subquery (SQLite does) would otherwise evaluate a problem's condition once per figure.
    names = ("street", "community", "called", "resolved", "satisfied", "basically") if detail else ()
    keys = [inner.c.period, *(inner.c[name] for name in names)]
    sums = [func.sum(inner.c[f"p{i}"]) for i in range(len(problems))]
    found = []
    for row in conn.execute(select(*keys, *sums).group_by(*keys)):
        period_index, *group = row[: len(keys)]
        street, community, *answers = group if detail else (None, None, 0, 0, 0, 0)
        for i, count in enumerate(row[len(keys) :]):
            tickets = int(count or 0)
            if tickets:
                figures = [tickets * int(answer) for answer in answers]
                found.append(ProblemCounts(i, int(period_index), street, community, tickets, *figures))
    return found


def latest_request_by_community(conn: Connection, communities: Sequence[str], end: datetime) -> dict[str, datetime]:
    """Per community: when its latest request before `end` came in (proactive tickets are not requests).

    Communities without any request are missing from the result. The (community, created_at) index
    keeps this to a few index lookups per community.
    """
    if not communities:
        return {}
    t = TICKETS
    query = (
        select(t.c.community, func.max(t.c.created_at))
        .where(t.c.community.in_(list(communities)), t.c.created_at < end, t.c.channel.not_in(_PROACTIVE))
        .group_by(t.c.community)
    )
    return {community: as_utc(latest) for community, latest in conn.execute(query)}


def first_ticket_at(conn: Connection) -> datetime | None:
    """When the case file's first ticket came in (its history starts there), or None when it has none."""
    value = conn.execute(select(func.min(TICKETS.c.created_at))).scalar_one_or_none()
    return None if value is None else as_utc(value)
