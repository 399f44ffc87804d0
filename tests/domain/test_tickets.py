"""Pure domain functions: validation, enums, masking, numbers, times."""

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiesu.domain.enums import LABELS_ZH, Channel, Kind, RequesterType, label, parse_enum
from jiesu.domain.masking import CONFIDENTIAL_MASK, mask_phone, mask_requester
from jiesu.domain.tickets import build_ticket_input, normalise_phone, parse_bool, ticket_number
from jiesu.domain.times import parse_datetime
from jiesu.errors import UsageError

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2021, 2, 10, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize("enum", [Kind, Channel, RequesterType])
def test_every_value_and_chinese_label_parses_back(enum):
    for member in enum:
        assert parse_enum(enum, member.value, "f") is member
        assert parse_enum(enum, f"  {LABELS_ZH[member]} ", "f") is member
        assert parse_enum(enum, member.value.upper(), "f") is member
        assert label(member, "zh") == LABELS_ZH[member]


def test_unknown_enum_value_names_the_field_and_the_choices():
    with pytest.raises(UsageError) as caught:
        parse_enum(Kind, "吐槽", "kind")
    assert str(caught.value) == (
        "kind: unknown value '吐槽'; use one of consult, help, complain, report, suggest, praise "
        "(or 咨询/求助/投诉/举报/建议/表扬)"
    )


@given(st.text(alphabet="0123456789", min_size=7, max_size=20))
def test_masked_phone_never_shows_the_whole_number(phone):
    masked = mask_phone(phone)
    assert masked is not None and len(masked) == len(phone)
    assert masked != phone
    assert masked.endswith(phone[-4:])


def test_mask_phone_examples():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("01065123456") == "010****3456"
    assert mask_phone("12345") == "*2345"
    assert mask_phone(None) is None


@given(st.text(min_size=1), st.text(min_size=1), st.booleans(), st.booleans())
def test_confidential_requester_is_hidden_unless_revealed(name, phone, reveal, full_phone):
    shown_name, shown_phone = mask_requester(name, phone, confidential=True, reveal=reveal, full_phone=full_phone)
    if reveal:
        assert (shown_name, shown_phone) == (name, phone)
    else:
        assert (shown_name, shown_phone) == (CONFIDENTIAL_MASK, CONFIDENTIAL_MASK)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(9999, 12, 31)),
    st.integers(min_value=1, max_value=10**7),
)
def test_ticket_numbers_sort_like_their_sequence_within_a_day(day, sequence):
    number = ticket_number(day.strftime("%Y%m%d"), sequence)
    assert number.startswith(day.strftime("%Y%m%d"))
    assert int(number[8:]) == sequence
    assert len(number) >= 13
    if sequence < 99999:
        assert ticket_number(day.strftime("%Y%m%d"), sequence + 1) > number


def test_build_ticket_input_defaults_and_normalises():
    item = build_ticket_input(
        {"content": "  路灯不亮了，晚上很黑，希望尽快修好  ", "phone": "138-1234-5678"}, tz=SHANGHAI, now=NOW
    )
    assert item.content == "路灯不亮了，晚上很黑，希望尽快修好"
    assert item.title == "路灯不亮了，晚上很黑，希望尽快修好"[:20]
    assert item.kind is Kind.COMPLAIN and item.channel is Channel.PHONE
    assert item.phone == "13812345678"
    assert item.created_at == NOW


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"content": "  "}, "content: is empty; describe the request in a few words"),
        (
            {"content": "x", "answer": "a", "refer": "b"},
            "answer: a request is either answered or referred, not both",
        ),
        ({"content": "x", "urgent": "maybe"}, "urgent: cannot read 'maybe' as yes/no; use true or false"),
        ({"content": "x", "created_at": "2021-02-10 10:01"}, "created_at: is in the future"),
        ({"content": "x" * 5001}, "content: too long (5001 characters); at most 5000"),
        ({"content": "x", "channel": "pigeon"}, "channel: unknown value 'pigeon'"),
    ],
)
def test_bad_requests_are_refused_naming_the_field(raw, message):
    with pytest.raises(UsageError) as caught:
        build_ticket_input(raw, tz=SHANGHAI, now=NOW)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(("text", "value"), [("是", True), ("否", False), ("TRUE", True), ("0", False), ("", False)])
def test_yes_no_spellings(text, value):
    assert parse_bool(text, "f") is value


def test_phone_separators_are_dropped():
    assert normalise_phone("010-6512 3456") == "01065123456"
    assert normalise_phone("+86 138 1234 5678") == "+8613812345678"


def test_times_without_offset_are_in_the_case_file_zone():
    assert parse_datetime("2021-02-10 10:00", SHANGHAI, "now") == NOW
    assert parse_datetime("2021-02-10T02:00:00Z", SHANGHAI, "now") == NOW
    assert parse_datetime("Feb 10 2021 10:00", SHANGHAI, "now") == NOW
    east = parse_datetime("2021-02-10T10:00:00+08:00", timezone(timedelta(hours=-5)), "now")
    assert east == NOW


def _created_at_or_error(text: str) -> object:
    try:
        return build_ticket_input({"content": "c", "created_at": text}, tz=SHANGHAI, now=NOW).created_at
    except UsageError as exc:
        return str(exc)


def _parsed_or_error(text: str) -> object:
    try:
        moment = parse_datetime(text, SHANGHAI, "created_at")
    except UsageError as exc:
        return str(exc)
    return "created_at: is in the future; an intake time cannot be later than now" if moment > NOW else moment


_iso_like = st.builds(
    lambda y, mo, d, sep, h, mi, s, frac, off: f"{y:04d}-{mo:02d}-{d:02d}{sep}{h:02d}:{mi:02d}{s}{frac}{off}",
    st.integers(0, 2300),
    st.integers(0, 13),
    st.integers(0, 32),
    st.sampled_from(["T", " "]),
    st.integers(0, 25),
    st.integers(0, 61),
    st.sampled_from(["", ":00", ":59", ":60", ":07"]),
    st.sampled_from(["", ".5", ".123456", ".1234567"]),
    st.sampled_from(["", "Z", "+08:00", "-05:30", "+23:59", "+24:00", "+99:99", "+8:00"]),
)


@given(st.one_of(_iso_like, st.text(alphabet="0123456789-T :.+Z", min_size=1, max_size=30)))
def test_created_at_read_at_once_as_parse_datetime_reads_it(text):
    # an ISO text is read with fromisoformat at once: the same time, or the same error, as parse_datetime's
    assert _created_at_or_error(text) == _parsed_or_error(text)
