"""Assessment periods: calendar months, months from a start day (the 19th to the 18th), any range.

A period that starts on a day other than the 1st is named after the month it ends in: with
period_start_day = 19, "2026-11" runs from 2026-10-19 to 2026-11-18 (inclusive).
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from jiesu.domain.times import EARLIEST, LATEST
from jiesu.errors import UsageError


@dataclass(frozen=True)
class Period:
    """Local dates [first, last] inclusive, and what to call it."""

    name: str
    first: date
    last: date

    def bounds(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """The period as UTC instants [start, end): local midnight of `first` to after `last`."""
        start = datetime.combine(self.first, time(0), tzinfo=tz).astimezone(UTC)
        end = datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
        return start, end

    @property
    def days(self) -> int:
        """Its length in days."""
        return (self.last - self.first).days + 1


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def month_period(year: int, month: int, start_day: int = 1) -> Period:
    """The assessment month named YYYY-MM (see the module note for start days other than 1)."""
    if start_day == 1:
        first = date(year, month, 1)
        ny, nm = _shift_month(year, month, 1)
        return Period(f"{year:04d}-{month:02d}", first, date(ny, nm, 1) - timedelta(days=1))
    py, pm = _shift_month(year, month, -1)
    return Period(f"{year:04d}-{month:02d}", date(py, pm, start_day), date(year, month, start_day) - timedelta(days=1))


def parse_month(text: str, start_day: int = 1) -> Period:
    """A period from "YYYY-MM", "YYYY/MM" or "YYYY年M月" (full-width digits too)."""
    raw = unicodedata.normalize("NFKC", text).strip()
    match = re.fullmatch(r"(\d{4})(?:[-/.](\d{1,2})|\s*年\s*(\d{1,2})\s*月份?)", raw)
    month = int(match.group(2) or match.group(3)) if match else 0
    if not match or not 1 <= month <= 12:
        raise UsageError("month", f"cannot read {text!r} as a month; use YYYY-MM such as 2026-11 (or 2026年11月)")
    if not EARLIEST.year <= int(match.group(1)) < LATEST.year:
        raise UsageError("month", f"{text!r} is out of range; give a month between 1900 and 2199")
    return month_period(int(match.group(1)), month, start_day)


def custom_period(first: date, last: date) -> Period:
    """Any range of days, both ends included."""
    if last < first:
        raise UsageError("to", f"{last} is before --from {first}")
    return Period(f"{first.isoformat()}..{last.isoformat()}", first, last)


def previous(period: Period, start_day: int = 1) -> Period:
    """The period before: the previous assessment month, or a range of the same length."""
    month = re.fullmatch(r"(\d{4})-(\d{2})", period.name)
    if month:
        year, mon = _shift_month(int(month.group(1)), int(month.group(2)), -1)
        return month_period(year, mon, start_day)
    length = timedelta(days=period.days)
    return custom_period(period.first - length, period.last - length)


def months_back(period: Period, count: int, start_day: int = 1) -> list[Period]:
    """`count` assessment months ending with `period`, oldest first."""
    periods = [period]
    for _ in range(count - 1):
        periods.insert(0, previous(periods[0], start_day))
    return periods


def period_of(day: date, start_day: int = 1) -> Period:
    """The assessment month a local day falls in (with start day 19, 2026-11-20 is in "2026-12")."""
    year, month = day.year, day.month
    if start_day != 1 and day.day >= start_day:
        year, month = _shift_month(year, month, 1)
    return month_period(year, month, start_day)


def following(period: Period, start_day: int = 1) -> Period:
    """The assessment month after a month's period (the one a monthly topic is chosen for)."""
    return period_of(period.last + timedelta(days=1), start_day)
