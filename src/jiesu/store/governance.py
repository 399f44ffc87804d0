"""The SQL behind proactive governance (主动治理): proactive discovery per street, the named problems
(每月一题) period by period, and each community's latest request (零诉求社区).

A named problem's keywords are matched in the database (LIKE over title and content, inside the
period's index range), never by loading tickets into Python.
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


def problem_match(problem: NamedProblem) -> Any:
    """The SQL condition for "this ticket is about the named problem" (see NamedProblem)."""
    t = TICKETS
    about = [
        or_(t.c.title.icontains(word, autoescape=True), t.c.content.icontains(word, autoescape=True))
        for word in problem.keywords
    ]
    about += [t.c.category.startswith(category, autoescape=True) for category in problem.categories]
    condition = or_(*about) if about else false()
    if problem.places:
        places = list(problem.places)
        condition = and_(condition, or_(t.c.street.in_(places), t.c.community.in_(places)))
    return condition


def problem_volumes(
    conn: Connection, problems: Sequence[NamedProblem], bounds: Sequence[datetime]
) -> dict[str, list[int]]:
    """Per named problem: its tickets in each period [bounds[i], bounds[i+1]), in one pass over the range.

    The inner query marks each ticket of the whole range with its period and a 0/1 per problem; the
    outer one sums the marks per period, so each problem's condition is evaluated once per ticket.
    """
    periods = len(bounds) - 1
    result = {p.name: [0] * periods for p in problems}
    if not problems or periods < 1:
        return result
    t = TICKETS
    period = case(*((t.c.created_at < bound, index) for index, bound in enumerate(bounds[1:])))
    marks = [case((problem_match(p), 1), else_=0).label(f"p{i}") for i, p in enumerate(problems)]
    inner = select(period.label("period"), *marks).where(_in_range(bounds[0], bounds[-1])).subquery()
    query = select(inner.c.period, *(func.sum(inner.c[f"p{i}"]) for i in range(len(problems)))).group_by(inner.c.period)
    for row in conn.execute(query):
        index = int(row[0])  # every ticket of the range falls in one of the periods
        for i, problem in enumerate(problems):
            result[problem.name][index] = int(row[i + 1] or 0)
    return result


@dataclass(frozen=True)
class ProblemOutcome:
    """A named problem's tickets taken in during a period, and what their closing callbacks said."""

    tickets: int
    called_back: int  # closed by a callback that reached the requester
    resolved: int
    satisfied: int
    basically: int


def problem_outcome(conn: Connection, problem: NamedProblem, start: datetime, end: datetime) -> ProblemOutcome:
    """The named problem's tickets of [start, end) with their closing callbacks' answers."""
    t, cb = TICKETS, CALLBACKS
    closing = and_(cb.c.ticket_id == t.c.id, cb.c.closed.is_(True), cb.c.reached.is_(True))
    row = conn.execute(
        select(
            func.count(t.c.id).label("tickets"),
            func.count(cb.c.id).label("called_back"),
            count_if(cb.c.resolved.is_(True)).label("resolved"),
            count_if(cb.c.satisfaction == "satisfied").label("satisfied"),
            count_if(cb.c.satisfaction == "basically").label("basically"),
        )
        .select_from(t.outerjoin(cb, closing))
        .where(_in_range(start, end), problem_match(problem))
    ).one()
    return ProblemOutcome(*(int(value) for value in row))


@dataclass(frozen=True)
class PlaceCount:
    """Tickets at one place: a community of a street, or a street where no community was found."""

    street: str | None
    community: str | None
    tickets: int


def problem_places(
    conn: Connection, problem: NamedProblem, start: datetime, end: datetime, *, limit: int
) -> list[PlaceCount]:
    """The places with most of the named problem's tickets in [start, end), most first."""
    t = TICKETS
    count = func.count()
    query = (
        select(t.c.street, t.c.community, count.label("tickets"))
        .where(_in_range(start, end), problem_match(problem), or_(t.c.street.is_not(None), t.c.community.is_not(None)))
        .group_by(t.c.street, t.c.community)
        .order_by(count.desc(), t.c.street.nulls_first(), t.c.community.nulls_first())  # the same on both backends
        .limit(limit)
    )
    return [PlaceCount(r.street, r.community, int(r.tickets)) for r in conn.execute(query)]


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
