"""Time limits ("30m", "2h", "3d", "5wd") and the deadlines they give.

- "Nm", "Nh": clock time from the start.
- "Nd": the end (23:59:59 local) of the Nth calendar day after the start day.
- "Nwd": the end of the Nth working day after the start day.

So a ticket taken in at 2021-02-10 10:00 with "7wd" is due 2021-02-25 23:59:59+08:00: the Spring
Festival (02-11..02-17) is off and Saturday 02-20 is a make-up working day.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from jiesu.domain.calendar import WorkCalendar
from jiesu.errors import UsageError

_PATTERN = re.compile(r"(\d+)\s*(wd|m|h|d)")
UNITS = {"m": "minutes", "h": "hours", "d": "calendar days", "wd": "working days"}
END_OF_DAY = time(23, 59, 59)
MAX_WORKING_DAYS = 366
# The longest limit or window in calendar days (ten years), and the same in hours and minutes: a
# deadline counted from any time jiesu takes (domain.times: up to 2199) stays a date.
MAX_DAYS = 3660
MAX_AMOUNT = {"m": MAX_DAYS * 24 * 60, "h": MAX_DAYS * 24, "d": MAX_DAYS, "wd": MAX_WORKING_DAYS}


@dataclass(frozen=True)
class Duration:
    """An amount of minutes, hours, calendar days or working days."""

    amount: int
    unit: str  # m | h | d | wd

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


def parse_duration(text: str, field: str = "duration") -> Duration:
    """Read "30m", "2h", "3d" or "5wd"."""
    match = _PATTERN.fullmatch(str(text).strip().lower())
    if match is None:
        raise UsageError(field, f"cannot read {text!r} as a time limit; use e.g. 30m, 2h, 3d or 5wd")
    digits, unit = match.group(1), match.group(2)
    amount = int(digits) if len(digits) <= 12 else MAX_AMOUNT[unit] + 1
    if unit in ("m", "h") and amount == 0:
        raise UsageError(field, f"{text!r} is no time at all; use at least 1{unit}")
    if amount > MAX_AMOUNT[unit]:
        raise UsageError(field, f"{text!r} is too long; at most {MAX_AMOUNT[unit]}{unit}")
    return Duration(amount, unit)


def as_timedelta(limit: Duration) -> timedelta:
    """A clock or calendar-day duration as a plain span of time (working days have none)."""
    spans = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
    if limit.unit not in spans:
        raise UsageError("duration", f"{limit} is counted in working days; use m, h or d for a span of time")
    return spans[limit.unit] * limit.amount


def due(start: datetime, limit: Duration, calendar: WorkCalendar, tz: tzinfo) -> datetime:
    """When a step started at `start` must be done by (UTC)."""
    if limit.unit in ("m", "h"):
        end = start + (timedelta(minutes=limit.amount) if limit.unit == "m" else timedelta(hours=limit.amount))
        return end if end.tzinfo is UTC else end.astimezone(UTC)
    start_day = start.astimezone(tz).date()
    if limit.unit == "d":
        end_day = start_day + timedelta(days=limit.amount)
    else:
        end_day = nth_working_day_after(start_day, limit.amount, calendar)
    return datetime.combine(end_day, END_OF_DAY, tzinfo=tz).astimezone(UTC)


def nth_working_day_after(day: date, count: int, calendar: WorkCalendar) -> date:
    """The `count`th working day after `day` (`day` itself for 0)."""
    current = day
    found = 0
    while found < count:
        current += timedelta(days=1)
        if calendar.is_working_day(current):
            found += 1
    return current
