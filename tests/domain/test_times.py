"""Reading times people type, and local_date's quarter-hour memo (the same day as converting every instant)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiesu.domain.calendar import WorkCalendar
from jiesu.domain.durations import Duration, due
from jiesu.domain.periods import parse_month
from jiesu.domain.times import local_date, parse_date, parse_datetime, parse_deadline
from jiesu.errors import UsageError

ZONES = [ZoneInfo(name) for name in ("Asia/Shanghai", "Asia/Kathmandu", "America/New_York", "Australia/Lord_Howe")]

instants = st.datetimes(min_value=datetime(1890, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))


@given(instants, st.sampled_from(ZONES))
def test_local_date_is_the_converted_date(moment, zone):
    assert local_date(moment, zone) == moment.astimezone(zone).date()


@given(instants, st.sampled_from(ZONES))
def test_neighbours_in_one_quarter_hour_do_not_leak_into_each_other(moment, zone):
    # Ask for the whole quarter hour around an instant, in order: a memoised answer for one
    # instant must hold for the others (near midnight and around old local mean times too).
    start = moment.replace(minute=moment.minute // 15 * 15, second=0, microsecond=0)
    for seconds in (0, 1, 450, 899):
        instant = start + timedelta(seconds=seconds)
        assert local_date(instant, zone) == instant.astimezone(zone).date()


def test_midnight_in_beijing():
    zone = ZoneInfo("Asia/Shanghai")
    assert str(local_date(datetime(2021, 2, 10, 15, 59, 59, tzinfo=UTC), zone)) == "2021-02-10"
    assert str(local_date(datetime(2021, 2, 10, 16, 0, 0, tzinfo=UTC), zone)) == "2021-02-11"


def test_a_quarter_hour_split_by_an_old_local_mean_time_midnight():
    # Before 1901 Shanghai kept local mean time, +08:05:43: midnight fell at 15:54:17 UTC.
    zone = ZoneInfo("Asia/Shanghai")
    before = datetime(1900, 6, 1, 15, 50, tzinfo=UTC)
    after = datetime(1900, 6, 1, 15, 55, tzinfo=UTC)
    assert str(local_date(before, zone)) == "1900-06-01"
    assert str(local_date(after, zone)) == "1900-06-02"


# --- Times people type (issue 11) ---

BEIJING = ZoneInfo("Asia/Shanghai")
FULL_WIDTH = str.maketrans("0123456789: -/", "０１２３４５６７８９：\u3000－／")

minutes = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2199, 12, 31, 23, 59)).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)


def at(text):
    return parse_datetime(text, BEIJING, "at").astimezone(BEIJING).replace(tzinfo=None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026年10月31日", datetime(2026, 10, 31)),
        ("2026年10月31日 14:30", datetime(2026, 10, 31, 14, 30)),
        ("2026年10月31日14:30", datetime(2026, 10, 31, 14, 30)),
        ("2026年1月5日 8:05:09", datetime(2026, 1, 5, 8, 5, 9)),
        ("2026年10月31日 14时30分", datetime(2026, 10, 31, 14, 30)),
        ("2026年10月31号 9点", datetime(2026, 10, 31, 9, 0)),
        ("２０２６年１０月３１日\u3000１４：３０", datetime(2026, 10, 31, 14, 30)),
        ("２０２６－１０－３１", datetime(2026, 10, 31)),
        ("2026/11/12", datetime(2026, 11, 12)),
        ("2026/11/12 14:30", datetime(2026, 11, 12, 14, 30)),
        ("2026.11.12", datetime(2026, 11, 12)),
        ("25/12/2026", datetime(2026, 12, 25)),  # only day/month reads as a date
        ("12/25/2026 10:00", datetime(2026, 12, 25, 10, 0)),  # only month/day does
        ("11/11/2026", datetime(2026, 11, 11)),  # both readings agree
        ("2026-11-12T10:00+08:00", datetime(2026, 11, 12, 10, 0)),
        ("2026-11-12 02:00Z", datetime(2026, 11, 12, 10, 0)),
    ],
)
def test_forms_people_type(text, expected):
    assert at(text) == expected


@given(minutes)
def test_chinese_dates_read_as_their_iso_form(moment):
    iso_form = parse_datetime(moment.isoformat(), BEIJING, "at")
    chinese = f"{moment.year}年{moment.month}月{moment.day}日 {moment.hour}:{moment.minute:02d}"
    assert parse_datetime(chinese, BEIJING, "at") == iso_form
    assert parse_datetime(chinese.translate(FULL_WIDTH), BEIJING, "at") == iso_form
    assert parse_datetime(f"{moment.year}年{moment.month}月{moment.day}日", BEIJING, "at") == parse_datetime(
        moment.date().isoformat(), BEIJING, "at"
    )


@given(st.integers(1, 12), st.integers(1, 12), st.integers(1900, 2199))
def test_slash_dates_that_could_be_either_are_refused_with_both_readings(first, second, year):
    text = f"{first}/{second}/{year}"
    if first == second:
        assert at(text) == datetime(year, first, first)
        return
    with pytest.raises(UsageError) as caught:
        parse_datetime(text, BEIJING, "at")
    assert caught.value.field == "at"
    day_month, month_day = date(year, second, first).isoformat(), date(year, first, second).isoformat()
    assert f"{day_month} or {month_day}" in caught.value.message
    assert "year first" in caught.value.message


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)))
def test_slash_dates_with_one_reading_are_that_reading(day):
    if day.day > 12:
        assert at(f"{day.day}/{day.month}/{day.year}") == datetime.combine(day, time(0))
        assert at(f"{day.month}/{day.day}/{day.year}") == datetime.combine(day, time(0))
    assert at(f"{day.year}/{day.month}/{day.day}") == datetime.combine(day, time(0))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("11/12/2026", "'11/12/2026' could be day/month or month/day; write the year first: 2026-12-11 or 2026-11-12"),
        ("11/12/26", "give the year in full and first, such as 2026-11-12"),
        ("11/12", "give the year first"),
        ("31/02/2026", "cannot read '31/02/2026' as a date: day is out of range for month"),
        ("2026年13月1日", "cannot read '2026年13月1日' as a date: month must be in 1..12"),
        ("garbage", "cannot read 'garbage' as a date/time"),
        ("  ", "empty date/time"),
    ],
)
def test_refused_with_the_fix(text, says):
    with pytest.raises(UsageError) as caught:
        parse_datetime(text, BEIJING, "at")
    assert caught.value.field == "at"
    assert says in caught.value.message


def test_a_deadline_given_as_a_date_alone_is_the_end_of_that_day():
    # the same instant a 1-day limit started the day before ends at (durations.due)
    limit_end = due(datetime(2026, 11, 19, 2, 0, tzinfo=UTC), Duration(1, "d"), WorkCalendar(), BEIJING)
    assert parse_deadline("2026-11-20", BEIJING, "until") == limit_end
    assert parse_deadline("2026年11月20日", BEIJING, "until") == limit_end
    assert str(limit_end.astimezone(BEIJING)) == "2026-11-20 23:59:59+08:00"
    assert parse_deadline("2026-11-20 00:00", BEIJING, "until") == datetime(2026, 11, 19, 16, 0, tzinfo=UTC)
    assert parse_deadline("2026-11-20T10:00+08:00", BEIJING, "until") == datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    # a point in time stays the start of the day
    assert parse_datetime("2026-11-20", BEIJING, "at") == datetime(2026, 11, 19, 16, 0, tzinfo=UTC)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)))
def test_a_date_alone_ends_where_a_days_limit_ends(day):
    start = datetime.combine(day - timedelta(days=1), time(12), tzinfo=BEIJING)
    assert parse_deadline(day.isoformat(), BEIJING, "until") == due(start, Duration(1, "d"), WorkCalendar(), BEIJING)


def test_dates_for_ranges():
    assert parse_date("2026年1月2日", "from") == date(2026, 1, 2)
    assert parse_date("２０２６－０１－０２", "from") == date(2026, 1, 2)
    assert parse_date("2026/1/2", "from") == date(2026, 1, 2)
    with pytest.raises(UsageError, match="could be day/month or month/day"):
        parse_date("1/2/2026", "from")
    with pytest.raises(UsageError, match="use YYYY-MM-DD"):
        parse_date("2026-01-02 10:00", "from")


@pytest.mark.parametrize("text", ["2026-10", "2026年10月", "2026年10月份", "２０２６年１０月", "2026/10", " 2026-10 "])
def test_months(text):
    period = parse_month(text)
    assert (period.name, period.first, period.last) == ("2026-10", date(2026, 10, 1), date(2026, 10, 31))


@pytest.mark.parametrize("text", ["2026-13", "2026年0月", "26年10月", "十月", ""])
def test_months_refused(text):
    with pytest.raises(UsageError, match="use YYYY-MM such as 2026-11"):
        parse_month(text)


@pytest.mark.parametrize("text", ["10:00", "3", "November 2026", "Nov 12"])
def test_a_time_without_a_full_date_is_refused_not_filled_from_the_real_clock(text):
    with pytest.raises(UsageError, match="gives no full date; write the date too"):
        parse_datetime(text, ZoneInfo("Asia/Shanghai"), "at")


def test_an_english_date_is_read_in_full():
    tz = ZoneInfo("Asia/Shanghai")
    assert parse_datetime("12 Nov 2026 10:30", tz, "at") == datetime(2026, 11, 12, 10, 30, tzinfo=tz)
    assert parse_datetime("Nov 12 2026", tz, "at") == datetime(2026, 11, 12, tzinfo=tz)
