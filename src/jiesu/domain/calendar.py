"""Working days on the Chinese calendar: public holidays and make-up working weekends (调休).

The `holidays` package knows each year's official schedule; an office adds its own changes on top.
The State Council publishes a year's schedule only late in the year before, so for a later year
the package has the holidays but none of the make-up working days: a calendar remembers which such
years it was asked about (`unpublished_years`), so that a command can say so once.
"""

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from jiesu.errors import JiesuError

# Years the holidays package surely covers: whether a country moves working days to weekends at all
# is read from these, once per country.
REFERENCE_YEARS = range(2016, 2026)


class WorkCalendar:
    """Which days are working days, for one country plus local extra holidays and workdays."""

    def __init__(
        self, country: str = "CN", extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()
    ) -> None:
        self.country = country
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        self._years_asked: set[int] = set()
        # years asked about whose make-up working days neither the package nor extra_workdays give
        self.unpublished_years: set[int] = set()

    def is_working_day(self, day: date) -> bool:
        """A working day: an extra workday, or not an extra holiday and a working day officially."""
        if day.year not in self._years_asked:
            self._years_asked.add(day.year)
            if not self.knows_makeup_workdays(day.year):
                self.unpublished_years.add(day.year)
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        return bool(_official_calendar(self.country).is_working_day(day))

    def knows_makeup_workdays(self, year: int) -> bool:
        """Whether the year's make-up working days are known: the office listed some in
        extra_workdays, or the holidays package has them (or the country never has any)."""
        if any(day.year == year for day in self.extra_workdays):
            return True
        return makeup_workdays_published(self.country, year)


@lru_cache(maxsize=8)
def _official_calendar(country: str) -> Any:
    import holidays

    try:
        return holidays.country_holidays(country)
    except NotImplementedError as exc:
        raise JiesuError(
            f"the rules file's [calendar] country: unknown country {country!r}; use an ISO code such as CN "
            "(see `jiesu rules check`)"
        ) from exc


def _has_weekend_workdays(country: str, year: int) -> bool:
    official = _official_calendar(country)
    _ = date(year, 1, 1) in official  # the package fills in a year on its first look-up
    return any(day.year == year for day in official.weekend_workdays)


@lru_cache(maxsize=64)
def makeup_workdays_published(country: str, year: int) -> bool:
    """Whether the holidays package has the year's make-up working days (调休) for the country.

    A year without any weekend working day has not been published yet (2027 while this is written),
    unless the country never moves working days to weekends.
    """
    if _has_weekend_workdays(country, year):
        return True
    return not _moves_workdays(country)


@lru_cache(maxsize=8)
def _moves_workdays(country: str) -> bool:
    return any(_has_weekend_workdays(country, year) for year in REFERENCE_YEARS)


def known_country(country: str) -> bool:
    """Whether the holidays package has a calendar for this ISO country code."""
    try:
        _official_calendar(country)
    except JiesuError:
        return False
    return True
