"""local_date's quarter-hour memo gives the same day as converting every instant."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from jiesu.domain.times import local_date

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
