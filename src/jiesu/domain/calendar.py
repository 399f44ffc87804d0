"""Working days on the Chinese calendar: public holidays and make-up working weekends (调休).

The `holidays` package knows each year's official schedule; an office adds its own changes on top.
"""

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from jiesu.errors import UsageError


class WorkCalendar:
    """Which days are working days, for one country plus local extra holidays and workdays."""

    def __init__(
        self, country: str = "CN", extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()
    ) -> None:
        self.country = country
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)

    def is_working_day(self, day: date) -> bool:
        """A working day: an extra workday, or not an extra holiday and a working day officially."""
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        return bool(_official_calendar(self.country).is_working_day(day))


@lru_cache(maxsize=8)
def _official_calendar(country: str) -> Any:
    import holidays

    try:
        return holidays.country_holidays(country)
    except NotImplementedError as exc:
        raise UsageError("calendar", f"unknown country {country!r}; use an ISO code such as CN") from exc


def known_country(country: str) -> bool:
    """Whether the holidays package has a calendar for this ISO country code."""
    try:
        _official_calendar(country)
    except UsageError:
        return False
    return True
