"""Time limits on the Chinese working-day calendar."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiesu.domain.calendar import WorkCalendar
from jiesu.domain.durations import due, nth_working_day_after, parse_duration
from jiesu.errors import UsageError

BEIJING = ZoneInfo("Asia/Shanghai")
CN = WorkCalendar("CN")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def local_due(start: str, limit: str, calendar: WorkCalendar = CN) -> str:
    return due(at(start), parse_duration(limit), calendar, BEIJING).astimezone(BEIJING).isoformat()


@pytest.mark.parametrize(
    ("start", "limit", "expected"),
    [
        # Spring Festival 2021: 02-11..02-17 off, Saturday 02-20 a make-up working day
        ("2021-02-10 10:00", "7wd", "2021-02-25T23:59:59+08:00"),
        ("2021-02-10 10:00", "1wd", "2021-02-18T23:59:59+08:00"),
        ("2021-02-10 10:00", "3wd", "2021-02-20T23:59:59+08:00"),
        ("2021-02-10 10:00", "7d", "2021-02-17T23:59:59+08:00"),  # calendar days ignore holidays
        ("2021-02-10 10:00", "24h", "2021-02-11T10:00:00+08:00"),
        ("2021-02-10 23:50", "30m", "2021-02-11T00:20:00+08:00"),
        # National Day 2026: 10-01..10-07 off; Sunday 09-20 and Saturday 10-10 are make-up days
        ("2026-09-30 10:00", "1wd", "2026-10-08T23:59:59+08:00"),
        ("2026-09-30 10:00", "3wd", "2026-10-10T23:59:59+08:00"),
        ("2026-09-19 09:00", "1wd", "2026-09-20T23:59:59+08:00"),
        ("2026-10-03 09:00", "2h", "2026-10-03T11:00:00+08:00"),
        ("2026-09-30 10:00", "15wd", "2026-10-27T23:59:59+08:00"),
        # a week with no special days (March 2019): only weekends are off
        ("2019-03-11 10:00", "5wd", "2019-03-18T23:59:59+08:00"),
        ("2019-03-15 17:00", "1wd", "2019-03-18T23:59:59+08:00"),
        ("2019-03-11 10:00", "3d", "2019-03-14T23:59:59+08:00"),
        ("2019-03-11 10:00", "0d", "2019-03-11T23:59:59+08:00"),
        # 2030, a year with no special days yet: holidays by rule, no make-up working weekends
        ("2030-03-11 10:00", "5wd", "2030-03-18T23:59:59+08:00"),
        ("2030-02-01 10:00", "1wd", "2030-02-08T23:59:59+08:00"),  # Spring Festival 02-04..07, no make-up
        ("2030-09-30 10:00", "2wd", "2030-10-07T23:59:59+08:00"),  # National Day 10-01..03
        ("2030-02-01 10:00", "3d", "2030-02-04T23:59:59+08:00"),
        ("2030-02-01 23:00", "2h", "2030-02-02T01:00:00+08:00"),
        ("2030-09-30 23:45", "30m", "2030-10-01T00:15:00+08:00"),
    ],
)
def test_deadlines(start, limit, expected):
    assert local_due(start, limit) == expected


def test_extra_holidays_and_workdays():
    office = WorkCalendar("CN", extra_holidays=[date(2019, 3, 12)], extra_workdays=[date(2019, 3, 16)])
    assert local_due("2019-03-11 10:00", "5wd", WorkCalendar("CN", extra_holidays=[date(2019, 3, 12)])) == (
        "2019-03-19T23:59:59+08:00"
    )
    assert local_due("2019-03-11 10:00", "5wd", WorkCalendar("CN", extra_workdays=[date(2019, 3, 16)])) == (
        "2019-03-16T23:59:59+08:00"
    )
    assert local_due("2019-03-11 10:00", "5wd", office) == "2019-03-18T23:59:59+08:00"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("7 days", "cannot read '7 days' as a time limit; use e.g. 30m, 2h, 3d or 5wd"),
        ("0h", "'0h' is no time at all; use at least 1h"),
        ("-1d", "cannot read '-1d'"),
        ("400wd", "'400wd' is too long; at most 366wd"),
    ],
)
def test_bad_durations(text, message):
    with pytest.raises(UsageError) as caught:
        parse_duration(text, "finish")
    assert str(caught.value).startswith(f"finish: {message}")


moments = st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2026, 12, 1))


@given(moments, st.integers(min_value=1, max_value=30))
def test_working_day_deadline_ends_a_working_day_and_grows_with_n(start, n):
    begin = start.replace(tzinfo=BEIJING)
    end = due(begin, parse_duration(f"{n}wd"), CN, BEIJING).astimezone(BEIJING)
    assert end > begin
    assert (end.hour, end.minute, end.second) == (23, 59, 59)
    assert CN.is_working_day(end.date())
    working_between = sum(
        CN.is_working_day(begin.date() + timedelta(days=k)) for k in range(1, (end.date() - begin.date()).days + 1)
    )
    assert working_between == n
    assert due(begin, parse_duration(f"{n + 1}wd"), CN, BEIJING) > due(begin, parse_duration(f"{n}wd"), CN, BEIJING)


@given(moments, st.integers(min_value=0, max_value=60))
def test_calendar_days_never_shorter_than_working_days(start, n):
    begin = start.replace(tzinfo=BEIJING)
    assert due(begin, parse_duration(f"{n}d"), CN, BEIJING) <= due(begin, parse_duration(f"{n}wd"), CN, BEIJING)
    assert nth_working_day_after(begin.date(), 0, CN) == begin.date()
