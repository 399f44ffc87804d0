"""Reading times people type and showing stored ones: store UTC, convert at the edges."""

import re
import unicodedata
from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jiesu.errors import UsageError


def zone(name: str) -> ZoneInfo:
    """The time zone called `name` (an IANA name such as Asia/Shanghai)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError("timezone", f"unknown time zone {name!r}; use an IANA name such as Asia/Shanghai") from exc


def parse_datetime(text: str, tz: tzinfo, field: str) -> datetime:
    """Read a time people type (see `_read`); a time without offset is in `tz`. Returns UTC.

    A date alone is the start of that day.
    """
    moment, _ = _read(text, field)
    return _aware(moment, tz, text, field)


def parse_deadline(text: str, tz: tzinfo, field: str) -> datetime:
    """Like parse_datetime, but a date alone is the end of that day (23:59:59 in `tz`), as limits end."""
    from jiesu.domain.durations import END_OF_DAY

    moment, day_only = _read(text, field)
    if day_only:
        moment = datetime.combine(moment.date(), END_OF_DAY)
    return _aware(moment, tz, text, field)


def parse_date(text: str, field: str) -> date:
    """Read a calendar date: 2021-02-10, 2021年2月10日, 2021/2/10 (a day-first one only when unambiguous)."""
    raw = _normalise(text)
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        split = _leading_date(raw, text, field)
        if split is None or split[1]:
            raise UsageError(field, f"cannot read {text!r} as a date; use YYYY-MM-DD such as 2026-11-12") from None
        day = split[0]
    if not EARLIEST.year <= day.year < LATEST.year:
        raise UsageError(field, f"{text!r} is out of range; give a date between 1900 and 2199")
    return day


# The years jiesu takes (as written, in its own zone): wide enough for any back-filled or planned
# ticket, narrow enough that a deadline or a window counted from one (limits are at most ten years,
# see durations.MAX_DAYS) stays a date a datetime can hold.
EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 1, 1)


def in_range(moment: datetime, field: str, text: str | None = None) -> datetime:
    """`moment` (aware) in UTC, refused naming `field` when its year is outside 1900–2199."""
    shown = text or str(moment.date())
    if not EARLIEST.year <= moment.year < LATEST.year:
        raise UsageError(field, f"{shown!r} is out of range; give a time between 1900 and 2199")
    return moment.astimezone(UTC)


def _aware(moment: datetime, tz: tzinfo, text: str, field: str) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return in_range(moment, field, text)


def _normalise(text: str) -> str:
    # Chinese input methods type full-width digits, colons, slashes and spaces: NFKC makes them ASCII.
    return unicodedata.normalize("NFKC", text).strip()


def _read(text: str, field: str) -> tuple[datetime, bool]:
    """The moment `text` names (naive when it gives no offset), and whether it named a day without a time.

    Read: ISO 8601; 2026年10月31日 [14:30 | 14时30分]; 2026/10/31 or 2026.10.31 [14:30]; 31/10/2026
    when only one reading is a date (11/12/2026 is refused); then anything python-dateutil reads.
    """
    raw = _normalise(text)
    if not raw:
        raise UsageError(field, "empty date/time; give e.g. 2021-02-10T10:00 or '2021-02-10 10:00+08:00'")
    split = _leading_date(raw, text, field)
    if split is not None:
        day, rest = split
        if not rest:
            return datetime.combine(day, time(0)), True
        raw = day.isoformat() + (rest if rest[0] in "Tt" else " " + _clock(rest))
    elif "/" in raw or _YEARLESS.match(raw):
        raise UsageError(field, f"cannot read {text!r}: give the year first, such as 2026-11-12 or 2026-11-12 14:30")
    try:
        return datetime.combine(date.fromisoformat(raw), time(0)), True
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return _parse_loosely(raw, text, field)
    _check_offset(moment, text, field)
    return moment, False


def _check_offset(moment: datetime, text: str, field: str) -> None:
    try:
        moment.utcoffset()
    except ValueError as exc:  # an offset of a day or more
        raise UsageError(field, f"{text!r} has an impossible UTC offset; use one such as +08:00") from exc


_CHINESE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]\s*")
_NUMERIC_DATE = re.compile(r"(\d{1,4})([-/.])(\d{1,2})\2(\d{1,4})(?!\d)\s*")
_YEARLESS = re.compile(r"\d{1,2}[-/.]\d{1,2}(?![\d:])")
_CHINESE_CLOCK = re.compile(r"(\d{1,2})\s*[时點点]\s*(?:(\d{1,2})\s*分\s*(?:(\d{1,2})\s*秒)?)?")


def _leading_date(raw: str, text: str, field: str) -> tuple[date, str] | None:
    """The date `raw` starts with in a form read here (not ISO-only forms), and the rest of it."""
    chinese = _CHINESE_DATE.match(raw)
    if chinese:
        year, month, day = (int(chinese.group(i)) for i in (1, 2, 3))
        return _day(year, month, day, text, field), raw[chinese.end() :]
    numeric = _NUMERIC_DATE.match(raw)
    if not numeric:
        return None
    first, second, last = numeric.group(1), int(numeric.group(3)), numeric.group(4)
    rest = raw[numeric.end() :]
    if len(first) == 4 and len(last) <= 2:
        return _day(int(first), second, int(last), text, field), rest
    if len(last) != 4 or len(first) > 2:
        raise UsageError(field, f"cannot read {text!r}: give the year in full and first, such as 2026-11-12")
    year, one = int(last), int(first)
    if one <= 12 and second <= 12 and one != second:
        raise UsageError(
            field,
            f"{text!r} could be day/month or month/day; write the year first: "
            f"{year}-{second:02d}-{one:02d} or {year}-{one:02d}-{second:02d}",
        )
    if one > 12:  # only day/month reads as a date
        return _day(year, second, one, text, field), rest
    return _day(year, one, second, text, field), rest


def _day(year: int, month: int, day: int, text: str, field: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise UsageError(field, f"cannot read {text!r} as a date: {exc}") from exc


def _clock(rest: str) -> str:
    """14时30分 (or 14点) as 14:30:00; anything else as given."""
    chinese = _CHINESE_CLOCK.fullmatch(rest)
    if not chinese:
        return rest
    hour, minute, second = (int(chinese.group(i) or 0) for i in (1, 2, 3))
    return f"{hour:02d}:{minute:02d}:{second:02d}"


def _parse_loosely(raw: str, text: str, field: str) -> tuple[datetime, bool]:
    from dateutil import parser as dateutil_parser

    # Two defaults that differ in every part: a part the answers disagree on, the text did not give.
    # The date must be given in full (never filled in from the real clock, which is not `--now`);
    # a missing time of day means the start of the day.
    try:
        first = dateutil_parser.parse(raw, default=datetime(2000, 1, 1, 0, 0))
        second = dateutil_parser.parse(raw, default=datetime(2001, 2, 2, 1, 0))
    except (ValueError, OverflowError) as exc:
        raise UsageError(
            field,
            f"cannot read {text!r} as a date/time; use ISO 8601 such as 2021-02-10T10:00+08:00 or 2021年2月10日 10:00",
        ) from exc
    _check_offset(first, text, field)
    if first.date() != second.date():
        raise UsageError(field, f"{text!r} gives no full date; write the date too, such as 2026-11-12 10:00")
    return first, first.hour != second.hour


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
