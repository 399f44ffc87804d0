"""Reading times people type and showing stored ones: store UTC, convert at the edges."""

from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jiesu.errors import UsageError


def zone(name: str) -> ZoneInfo:
    """The time zone called `name` (an IANA name such as Asia/Shanghai)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError("timezone", f"unknown time zone {name!r}; use an IANA name such as Asia/Shanghai") from exc


def parse_datetime(text: str, tz: tzinfo, field: str) -> datetime:
    """Parse ISO 8601 or anything python-dateutil reads; a time without offset is in `tz`. Returns UTC."""
    raw = text.strip()
    if not raw:
        raise UsageError(field, "empty date/time; give e.g. 2021-02-10T10:00 or '2021-02-10 10:00+08:00'")
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        parsed = _parse_loosely(raw, field)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(UTC)


def _parse_loosely(raw: str, field: str) -> datetime:
    from dateutil import parser as dateutil_parser

    try:
        return dateutil_parser.parse(raw)
    except (ValueError, OverflowError) as exc:
        raise UsageError(
            field, f"cannot read {raw!r} as a date/time; use ISO 8601 such as 2021-02-10T10:00+08:00"
        ) from exc


def parse_date(text: str, field: str) -> date:
    """Parse a calendar date such as 2021-02-10."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise UsageError(field, f"cannot read {text!r} as a date; use YYYY-MM-DD") from exc


def local(moment: datetime, tz: tzinfo) -> datetime:
    """The stored UTC instant as wall-clock time in the case file's zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tz)


def local_date(moment: datetime, tz: tzinfo) -> date:
    """The calendar day an aware instant falls on in `tz`.

    Memoised per quarter hour of UTC: a batch of tickets asks this several times per ticket, and
    the lookup costs a fifth of a zone conversion. Today's offsets are whole quarter hours, so a
    quarter hour lies within one local day; one that does not (old local mean times) is not
    memoised.
    """
    quarter = int(moment.timestamp() // 900)
    key = (quarter, tz)
    day = _local_dates.get(key)
    if day is None:
        day = moment.astimezone(tz).date()
        first = datetime.fromtimestamp(quarter * 900, tz).date()
        if first == day == datetime.fromtimestamp(quarter * 900 + 899, tz).date():
            if len(_local_dates) > 100_000:
                _local_dates.clear()
            _local_dates[key] = day
    return day


_local_dates: dict[tuple[int, tzinfo], date] = {}


def iso(moment: datetime | None, tz: tzinfo) -> str | None:
    """ISO 8601 with offset, in the case file's zone (for JSON output and event data)."""
    if moment is None:
        return None
    key = (moment, tz)
    text = _iso_memo.get(key)
    if text is None:
        if len(_iso_memo) > 10_000:
            _iso_memo.clear()
        text = _iso_memo[key] = local(moment, tz).isoformat(timespec="seconds")
    return text


# Deadlines repeat across a batch (same day, same limit): format each once.
_iso_memo: dict[tuple[datetime, tzinfo], str] = {}


def short(moment: datetime | None, tz: tzinfo) -> str:
    """A compact local time for tables: 2021-02-10 10:00."""
    return "" if moment is None else local(moment, tz).strftime("%Y-%m-%d %H:%M")
