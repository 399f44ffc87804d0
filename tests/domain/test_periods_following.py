"""The assessment month of a day, and the month after a period, for both kinds of start day."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from jiesu.domain.periods import following, month_period, period_of, previous


def test_period_of_a_day_with_calendar_months_and_a_start_day():
    assert period_of(date(2026, 11, 30)).name == "2026-11"
    assert period_of(date(2026, 11, 18), 19).name == "2026-11"
    assert period_of(date(2026, 11, 19), 19).name == "2026-12"
    assert period_of(date(2026, 12, 19), 19).name == "2027-01"
    assert following(month_period(2026, 12)).name == "2027-01"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.sampled_from([1, 19, 28]))
def test_every_day_lies_in_its_period_and_following_undoes_previous(day, start_day):
    period = period_of(day, start_day)
    assert period.first <= day <= period.last
    assert following(previous(period, start_day), start_day) == period
