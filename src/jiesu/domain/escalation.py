"""Deadline warnings and the coordination ladder (超时预警、分级协调), as pure functions of their inputs.

- *warn*: from `warn_from()` until the deadline itself, a deadline not yet met is worth a warning.
  The lead time is a fixed duration (`2h`; `1wd` = the same local time one working day earlier)
  or a share of the time between the assignment and the deadline (`20%`).
- *overdue*: the deadline has passed and its step was not taken.
- *escalate*: the lead unit has not finished one `escalate_after` after the finish deadline: level
  1; one level more for every further period (counted with `due()` from the previous level's time,
  so working days and holidays are honoured), up to the top of the ladder. Level k hands
  coordination to rung k of `ladder()`: up the `parent` links (community → street), then the
  district coordinator, then the city coordinator, each only where configured
  (小事不出社区村、大事不出街乡镇、难事条块一起办). Without them the ladder stops at the highest
  unit there is, and `ladder_top()` says where and why.

No clock is read here: `now` is always passed in.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from jiesu.domain.calendar import WorkCalendar
from jiesu.domain.catalogue import EscalationPolicy, LeadTime, Unit, UnitClass
from jiesu.domain.durations import Duration, due

# When a step started at a moment must be done by, given a limit (`RulesFile.due`, or `due` with a
# calendar and zone bound): the one piece of calendar arithmetic the escalation levels need.
DueAfter = Callable[[datetime, Duration], datetime]


class Deadline(StrEnum):
    """The three deadlines of an assignment that escalation watches."""

    ACCEPT = "accept"
    CONTACT = "contact"
    FINISH = "finish"


def counted_back(moment: datetime, limit: Duration, calendar: WorkCalendar, tz: tzinfo) -> datetime:
    """`limit` earlier than `moment`: clock time for m/h; the same local time that many calendar
    days (d) or working days (wd) earlier."""
    if limit.unit == "m":
        return moment - timedelta(minutes=limit.amount)
    if limit.unit == "h":
        return moment - timedelta(hours=limit.amount)
    wall = moment.astimezone(tz)
    day = wall.date()
    if limit.unit == "d":
        day -= timedelta(days=limit.amount)
    else:
        day = nth_working_day_before(day, limit.amount, calendar)
    return wall.replace(year=day.year, month=day.month, day=day.day).astimezone(moment.tzinfo)


def nth_working_day_before(day: date, count: int, calendar: WorkCalendar) -> date:
    """The `count`th working day before `day` (`day` itself for 0)."""
    current = day
    found = 0
    while found < count:
        current -= timedelta(days=1)
        if calendar.is_working_day(current):
            found += 1
    return current


def warn_from(
    deadline: datetime, assigned_at: datetime, lead: LeadTime, calendar: WorkCalendar, tz: tzinfo
) -> datetime:
    """From when a deadline is worth a warning: its lead time before it, never before the assignment."""
    if lead.share is not None:
        start = deadline - (deadline - assigned_at) * lead.share
    elif lead.duration is not None:
        start = counted_back(deadline, lead.duration, calendar, tz)
    else:
        start = deadline
    return max(start, assigned_at)


def warning_due(
    now: datetime, deadline: datetime, assigned_at: datetime, lead: LeadTime, calendar: WorkCalendar, tz: tzinfo
) -> bool:
    """Whether `now` is inside the deadline's warning window: within the lead time, not yet passed."""
    return warn_from(deadline, assigned_at, lead, calendar, tz) <= now <= deadline


def warn_horizon(now: datetime, lead: LeadTime, calendar: WorkCalendar, tz: tzinfo) -> datetime | None:
    """The latest deadline that can be in its warning window at `now`; None when a share of the
    limit is used (a long limit warns long before its deadline)."""
    if lead.duration is None:
        return None
    # m/h: exactly now + lead; d/wd: the end of that (working) day, a bound the exact test narrows
    return due(now, lead.duration, calendar, tz)


def escalation_period(policy: EscalationPolicy, *, urgent: bool) -> Duration:
    """How long a ticket may stay unfinished past its finish deadline before each level up."""
    return policy.urgent_escalate_after if urgent else policy.escalate_after


def configured(code: str, units: Mapping[str, Unit]) -> str:
    """A coordinator setting as it counts: the unit's code when the rules list that unit, else ""."""
    return code if code and code in units else ""


def ladder(lead: str, units: Mapping[str, Unit], policy: EscalationPolicy) -> tuple[str, ...]:
    """The lead unit and every unit above it, bottom up: rung k coordinates at level k.

    First the `parent` links (a community's street, …); then the district coordinator, unless the
    top so far is a city department (city departments answer to the city); then the city
    coordinator. A coordinator that is not configured is left out, so the ladder may stop early:
    at the highest level there is (see `ladder_note`).
    """
    rungs = [lead]
    while (unit := units.get(rungs[-1])) is not None and unit.parent in units and unit.parent not in rungs:
        rungs.append(unit.parent)
    district = configured(policy.district_coordinator, units)
    city = configured(policy.city_coordinator, units)
    top = units.get(rungs[-1])
    city_level = rungs[-1] == city or (top is not None and top.unit_class is UnitClass.CITY_DEPT)
    for coordinator in (district if not city_level else "", city):
        if coordinator and coordinator not in rungs:
            rungs.append(coordinator)
    return tuple(rungs)


class Coordinator(StrEnum):
    """The coordinators above the units' own ladder, named as their settings in [escalation]."""

    DISTRICT = "district_coordinator"
    CITY = "city_coordinator"


@dataclass(frozen=True, slots=True)
class LadderTop:
    """Where a ladder stops below a city coordinator: its top unit, and the coordinators that
    would have been above it but are not configured."""

    unit: str
    missing: tuple[Coordinator, ...]


def ladder_top(rungs: tuple[str, ...], units: Mapping[str, Unit], policy: EscalationPolicy) -> LadderTop | None:
    """Where and why a ladder stops early (None when a city coordinator is its top)."""
    city = configured(policy.city_coordinator, units)
    if city and city in rungs:
        return None
    district = configured(policy.district_coordinator, units)
    top = units.get(rungs[-1])
    city_level = top is not None and top.unit_class is UnitClass.CITY_DEPT
    missing = tuple(
        coordinator
        for coordinator, code in ((Coordinator.DISTRICT, district), (Coordinator.CITY, city))
        if not code and not (city_level and coordinator is Coordinator.DISTRICT)
    )
    return LadderTop(rungs[-1], missing)


def top_note(top: LadderTop) -> str:
    """The note an event records for the action that reaches a ladder's early top (the case file's
    history keeps it as written, in English, whatever language a person reads it in)."""
    missing = " or ".join(top.missing)
    return (
        f"highest level there is: {top.unit} (no {missing} configured in [escalation], "
        "so there is nobody above to escalate to)"
    )


def ladder_note(rungs: tuple[str, ...], units: Mapping[str, Unit], policy: EscalationPolicy) -> str:
    """Why a ladder stops below a city coordinator, for the action that reaches its top ("" when it
    reaches one)."""
    top = ladder_top(rungs, units, policy)
    return top_note(top) if top else ""


def levels_reached(
    now: datetime, finish_due: datetime, period: Duration, top: int, due_after: DueAfter
) -> list[tuple[int, datetime]]:
    """Every escalation level (1…`top`) reached by `now`, with the moment it was reached.

    Level k is reached k periods after the finish deadline, each period counted with `due_after`
    from the end of the previous one.
    """
    reached: list[tuple[int, datetime]] = []
    moment = finish_due
    for level in range(1, top + 1):
        moment = due_after(moment, period)
        if moment > now:
            break
        reached.append((level, moment))
    return reached
