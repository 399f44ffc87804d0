"""Deadline warnings and the coordination ladder (超时预警、分级协调), as pure functions of their inputs.

- *warn*: from `warn_from()` until the deadline itself, a deadline not yet met is worth a warning.
  The lead time is a fixed duration (`2h`; `1wd` = the same local time one working day earlier)
  or a share of the time between the assignment and the deadline (`20%`).
- *overdue*: the deadline has passed and its step was not taken.
- *escalate*: the lead unit has not finished one `escalate_after` after the finish deadline: level
  1; one level more for every further period (counted with `due()` from the previous level's time,
  so working days and holidays are honoured), up to the top of the ladder. Level k hands
  coordination to rung k of `ladder()`: community → street → district coordinator → city
  coordinator (小事不出社区村、大事不出街乡镇、难事条块一起办).

No clock is read here: `now` is always passed in.
"""

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from jiesu.domain.calendar import WorkCalendar
from jiesu.domain.catalogue import EscalationPolicy, LeadTime, Unit, UnitClass
from jiesu.domain.durations import Duration, due

# When a step started at a moment must be done by, given a limit (`Rules.due`, or `due` with a
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


def coordinator_above(code: str, units: Mapping[str, Unit], policy: EscalationPolicy) -> str | None:
    """The next rung up from `code`: a community's street; a street, district department or
    enterprise → the district coordinator → the city coordinator; a city department → the city
    coordinator; None at the top."""
    if code == policy.city_coordinator:
        return None
    if code == policy.district_coordinator:
        return policy.city_coordinator
    unit = units.get(code)
    if unit is None:  # a unit the rules file no longer lists: the district takes it up
        return policy.district_coordinator
    if unit.unit_class is UnitClass.COMMUNITY and unit.parent in units:
        return unit.parent
    if unit.unit_class is UnitClass.CITY_DEPT:
        return policy.city_coordinator
    return policy.district_coordinator


def ladder(lead: str, units: Mapping[str, Unit], policy: EscalationPolicy) -> tuple[str, ...]:
    """The lead unit and every coordinator above it, bottom up: rung k coordinates at level k."""
    rungs = [lead]
    while (above := coordinator_above(rungs[-1], units, policy)) is not None and above not in rungs:
        rungs.append(above)
    return tuple(rungs)


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


def coordinator_problem(policy: EscalationPolicy, units: Mapping[str, Unit]) -> str | None:
    """What is wrong with the configured coordinators, if anything: each must be one of the rules' units."""
    settings = (("district_coordinator", policy.district_coordinator), ("city_coordinator", policy.city_coordinator))
    missing = [(key, code) for key, code in settings if code not in units]
    if not missing:
        return None
    if len(missing) == 1:
        (key, code), level = missing[0], "district" if missing[0][0] == "district_coordinator" else "city"
        return (
            f"[escalation] {key}: unit {code!r} is not in [[units]]; add that unit, "
            f"or set {key} to the code of the unit that coordinates for the {level}"
        )
    codes = " and ".join(repr(code) for _, code in missing)
    return (
        f"[escalation] district_coordinator and city_coordinator: units {codes} are not in [[units]]; "
        "add them, or set both to codes of your own units"
    )
