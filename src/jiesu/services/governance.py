"""Proactive governance in the report (主动治理、未诉先办): the proactive discovery rate per street,
the named problems (每月一题) of a period, and the communities without a request (零诉求社区).

Each function takes the report's open connection, so `jiesu report` reads everything in one
transaction; counting happens in SQL (store/governance.py), only the shares and streaks here.
"""

from dataclasses import dataclass
from datetime import date, datetime

from jiesu.domain.catalogue import RulesFile
from jiesu.domain.periods import Period, previous
from jiesu.domain.times import local_date
from jiesu.store.engine import CaseConnection
from jiesu.store.governance import (
    ProblemCounts,
    StreetProactive,
    first_ticket_at,
    latest_request_by_community,
    problem_counts,
)

TOP_PLACES = 3
# How far back a zero-request streak is followed at most (ten years of months).
MAX_STREAK = 120


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class ProactiveRate:
    """Tickets the office's own people raised (grid, patrol) ÷ all tickets, this period and the last.

    `street` is a street's code, None for tickets not located in a street, "*" for the whole office.
    """

    street: str | None
    name: str
    tickets: int
    proactive: int
    previous_tickets: int
    previous_proactive: int

    @property
    def rate(self) -> float | None:
        """The proactive discovery rate (None without tickets)."""
        return _share(self.proactive, self.tickets)

    @property
    def previous_rate(self) -> float | None:
        """The rate in the previous period."""
        return _share(self.previous_proactive, self.previous_tickets)

    @property
    def change(self) -> float | None:
        """The rate's change against the previous period (None when either has no tickets)."""
        if self.rate is None or self.previous_rate is None:
            return None
        return self.rate - self.previous_rate


OVERALL = "*"


def proactive_rates(
    rules: RulesFile, current: list[StreetProactive], earlier: list[StreetProactive]
) -> list[ProactiveRate]:
    """The whole office first, then each street with tickets in either period, highest rate first
    (store.governance.proactive_by_street of the period and of the one before)."""
    now = {row.street: row for row in current}
    before = {row.street: row for row in earlier}
    empty = StreetProactive(None, 0, 0)

    def line(street: str | None, name: str, a: StreetProactive, b: StreetProactive) -> ProactiveRate:
        return ProactiveRate(street, name, a.tickets, a.proactive, b.tickets, b.proactive)

    streets = [
        line(street, _unit_name(rules, street), now.get(street, empty), before.get(street, empty))
        for street in {*now, *before}
    ]
    streets.sort(key=lambda r: (-(r.rate or 0.0), -r.tickets, r.street or "\uffff"))
    overall = line(
        OVERALL,
        "",
        StreetProactive(None, sum(r.tickets for r in now.values()), sum(r.proactive for r in now.values())),
        StreetProactive(None, sum(r.tickets for r in before.values()), sum(r.proactive for r in before.values())),
    )
    return [overall, *streets]


def _unit_name(rules: RulesFile, code: str | None) -> str:
    unit = rules.units.get(code or "")
    return unit.name if unit else (code or "")


@dataclass(frozen=True)
class Place:
    """One of a named problem's top places: street and community codes and names, and its tickets."""

    street: str | None
    community: str | None
    name: str
    tickets: int


@dataclass(frozen=True)
class ProblemPeriod:
    """A named problem in one period: volume and change, how its callbacks went, where it was."""

    name: str
    start: str  # the month it is followed from ("" for always)
    followed: bool  # the period is on or after the start
    tickets: int
    previous: int
    called_back: int  # closed by a callback that reached the requester
    resolved: int
    satisfied: int
    basically: int
    satisfaction_rate: float | None  # (satisfied + basically_weight × basically) ÷ called back
    places: tuple[Place, ...]

    @property
    def change(self) -> int:
        """Tickets this period minus the previous one."""
        return self.tickets - self.previous

    @property
    def resolved_share(self) -> float | None:
        """Resolved ÷ called back (None before any callback)."""
        return _share(self.resolved, self.called_back)


def named_problems(
    conn: CaseConnection, rules: RulesFile, period: Period, bounds: tuple[datetime, datetime], previous_start: datetime
) -> list[ProblemPeriod]:
    """Each named problem of the rules file in `period` (UTC `bounds`), against the period before:
    one query for all of them (store/governance.problem_counts), summed here per problem."""
    start, end = bounds
    rows = problem_counts(conn, rules.topics, [previous_start, start, end], detail=True)
    weight = rules.assessment.basically_weight
    found = []
    for index, problem in enumerate(rules.topics):
        mine = [r for r in rows if r.problem == index]
        now = [r for r in mine if r.period == 1]
        called_back, basically = sum(r.called_back for r in now), sum(r.basically for r in now)
        satisfied = sum(r.satisfied for r in now)
        satisfaction = _share(satisfied, called_back)
        if satisfaction is not None:
            satisfaction += weight * basically / called_back
        found.append(
            ProblemPeriod(
                name=problem.name,
                start=problem.start,
                followed=problem.followed_in(period.name),
                tickets=sum(r.tickets for r in now),
                previous=sum(r.tickets for r in mine if r.period == 0),
                called_back=called_back,
                resolved=sum(r.resolved for r in now),
                satisfied=satisfied,
                basically=basically,
                satisfaction_rate=satisfaction,
                places=_top_places(rules, now),
            )
        )
    return found


def _top_places(rules: RulesFile, rows: list[ProblemCounts]) -> tuple[Place, ...]:
    """The places with most tickets, most first (ties by street, then community, unlocated first)."""
    per_place: dict[tuple[str | None, str | None], int] = {}
    for r in rows:
        if r.street or r.community:
            per_place[(r.street, r.community)] = per_place.get((r.street, r.community), 0) + r.tickets
    ranked = sorted(per_place.items(), key=lambda item: (-item[1], item[0][0] or "", item[0][1] or ""))
    return tuple(
        Place(street, community, "/".join(_unit_name(rules, c) for c in (street, community) if c), tickets)
        for (street, community), tickets in ranked[:TOP_PLACES]
    )


@dataclass(frozen=True)
class QuietCommunity:
    """A community of the gazetteer without a request in the period, and for how many periods in a row."""

    community: str
    name: str
    street: str
    street_name: str
    streak: int  # periods in a row without a request, this one included
    since: str  # the first period of the streak
    last_request: date | None  # the local day of its latest request; None: none in the whole case file
    whole_history: bool  # the streak reaches back to the case file's first ticket


@dataclass(frozen=True)
class ZeroRequest:
    """The gazetteer's communities, and those without a request in the period (零诉求社区)."""

    communities: int
    quiet: list[QuietCommunity]


def zero_request(conn: CaseConnection, rules: RulesFile, period: Period) -> ZeroRequest:
    """The gazetteer's communities that had no request in `period`, longest streak first.

    A streak counts back period by period to the community's latest request, and never past the
    period holding the case file's first ticket: before that, jiesu knows nothing.
    """
    tz, start_day = rules.timezone, rules.assessment.period_start_day
    streets = {area.community: area.street for area in rules.areas if area.community}
    start, end = period.bounds(tz)
    latest = latest_request_by_community(conn, list(streets), end)
    history = first_ticket_at(conn)
    quiet = []
    for community, street in streets.items():
        last = latest.get(community)
        if last is not None and last >= start:
            continue
        streak, since, whole = 0, period, False
        while streak < MAX_STREAK:
            first, _ = since.bounds(tz)
            streak += 1
            if history is None or first <= history:
                whole = True
                break
            before = previous(since, start_day)
            if last is not None and last >= before.bounds(tz)[0]:
                break
            since = before
        quiet.append(
            QuietCommunity(
                community,
                _unit_name(rules, community),
                street,
                _unit_name(rules, street),
                streak,
                since.name,
                None if last is None else local_date(last, tz),
                whole,
            )
        )
    quiet.sort(key=lambda q: (-q.streak, q.street, q.community))
    return ZeroRequest(len(streets), quiet)
