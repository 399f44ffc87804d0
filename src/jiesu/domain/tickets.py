"""A request as taken in: validated, normalised values ready to store (pure functions)."""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from jiesu.domain.enums import Channel, Guidance, Kind, RequesterType, enum_lookup, parse_enum
from jiesu.domain.times import in_range, parse_datetime
from jiesu.errors import UsageError

MAX_CONTENT = 5000
MAX_SHORT = 200
TITLE_FROM_CONTENT = 20

# The fields a request can carry: intake options, file columns and JSON keys all use these names.
FIELDS = (
    "external_id",
    "created_at",
    "kind",
    "channel",
    "requester_type",
    "name",
    "phone",
    "confidential",
    "address",
    "district",
    "street",
    "community",
    "category",
    "title",
    "content",
    "urgent",
    "answer",
    "refer",
    "guide",
    "guide_to",
)

# The key of a read row holding what the sending system said besides the fields ({format: fields}).
ORIGIN = "origin"

_PHONE_SEPARATORS = re.compile(r"[\s\-()（）]")
_PHONE = re.compile(r"\+?[0-9]{3,20}")
_TRUE = frozenset({"true", "1", "yes", "y", "t", "是", "真", "x", "√"})
_FALSE = frozenset({"false", "0", "no", "n", "f", "否", "假", ""})


@dataclass(slots=True)
class TicketInput:
    """One validated request, ready for the case file. Times are UTC."""

    content: str
    created_at: datetime
    kind: Kind = Kind.COMPLAIN
    channel: Channel = Channel.PHONE
    requester_type: RequesterType = RequesterType.PERSON
    title: str = ""
    name: str | None = None
    phone: str | None = None
    confidential: bool = False
    address: str | None = None
    district: str | None = None
    street: str | None = None
    community: str | None = None
    category: str | None = None
    urgent: bool = False
    answer: str | None = None
    refer: str | None = None
    guide: str | None = None  # where the requester was guided (a property company, a mediation committee)
    guide_to: Guidance | None = None  # market or social: set exactly when `guide` is
    external_id: str | None = None
    attachments: list[Any] = field(default_factory=list)
    # What the sending system said that jiesu has no column for (an Open311 request's lat/long,
    # agency, …), kept with the intake event as {format: fields}.
    origin: dict[str, Any] | None = None


def _text(value: Any, name: str, limit: int = MAX_SHORT) -> str | None:
    if value is None or value == "":
        return None
    text = (value if isinstance(value, str) else str(value)).strip()
    if not text:
        return None
    if len(text) > limit:
        raise UsageError(name, f"too long ({len(text)} characters); at most {limit}")
    return text


def parse_bool(value: Any, name: str) -> bool:
    """true/false, 1/0, yes/no, 是/否 (empty is false)."""
    if value is None or value is False or value == "":
        return False
    if value is True:
        return True
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise UsageError(name, f"cannot read {value!r} as yes/no; use true or false")


def normalise_phone(value: Any, name: str = "phone") -> str | None:
    """Digits only (an optional leading +): 010-6512 3456 becomes 01065123456."""
    text = _text(value, name, 40)
    if text is None:
        return None
    if text.isascii() and text.isdigit() and 3 <= len(text) <= 20:
        return text  # the common case, without the regular expressions
    digits = _PHONE_SEPARATORS.sub("", _ascii_digits(text))
    if not _PHONE.fullmatch(digits):
        raise UsageError(name, f"{text!r} is not a phone number; use digits such as 13812345678 or 010-65123456")
    return digits


def _ascii_digits(text: str) -> str:
    """Full-width digits, pluses and brackets (NFKC), and every other script's decimal digits, as ASCII,
    so a phone typed on any keyboard is stored, matched and masked as the same number."""
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def _choice(enum: Any, value: Any, name: str, default: Any) -> Any:
    if value is None or value == "":
        return default
    if isinstance(value, enum):
        return value
    found = enum_lookup(enum).get(value)  # exact spelling first: no stripping or lower-casing
    if found is not None:
        return found
    if isinstance(value, str) and not value.strip():
        return default
    return parse_enum(enum, str(value), name)


# ISO 8601 as systems write it (2025-03-04T10:00:00+08:00): parse_datetime reads such a text with
# datetime.fromisoformat as it is, so reading it so at once gives the same time (or, where
# fromisoformat refuses it, parse_datetime gives its error). tests/domain/test_tickets.py checks.
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?")


def _created_at(value: Any, tz: tzinfo, now: datetime) -> datetime:
    if value is None or value == "":
        return now
    if isinstance(value, datetime):
        return in_range(value if value.tzinfo else value.replace(tzinfo=tz), "created_at", str(value))
    text = str(value)
    if _ISO_MOMENT.fullmatch(text):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            return in_range(moment if moment.tzinfo else moment.replace(tzinfo=tz), "created_at", text)
    return parse_datetime(text, tz, "created_at")


def build_ticket_input(raw: Mapping[str, Any], *, tz: tzinfo, now: datetime) -> TicketInput:
    """Validate one request given as field → value (strings or typed values).

    Raises UsageError naming the first bad field. `now` (UTC) is the intake time unless the
    request carries its own `created_at` (back-filling); a time in the future is refused.
    This runs once per imported row, so it avoids work on the common, well-formed values.
    """
    get = raw.get
    content = _text(get("content"), "content", MAX_CONTENT)
    if content is None:
        raise UsageError("content", "is empty; describe the request in a few words")
    created_at = _created_at(get("created_at"), tz, now)
    if created_at > now:
        raise UsageError("created_at", "is in the future; an intake time cannot be later than now")
    answer = _text(get("answer"), "answer", MAX_CONTENT)
    refer = _text(get("refer"), "refer", MAX_CONTENT)
    if answer and refer:
        raise UsageError("answer", "a request is either answered or referred, not both; drop --answer or --refer")
    guide, guide_to = _guidance(get("guide"), get("guide_to"))
    if guide and (answer or refer):
        raise UsageError(
            "guide", "a request is answered, referred or guided, only one of them; drop --guide or --answer/--refer"
        )
    return TicketInput(
        content=content,
        created_at=created_at,
        kind=_choice(Kind, get("kind"), "kind", Kind.COMPLAIN),
        channel=_choice(Channel, get("channel"), "channel", Channel.PHONE),
        requester_type=_choice(RequesterType, get("requester_type"), "requester_type", RequesterType.PERSON),
        title=_text(get("title"), "title") or content[:TITLE_FROM_CONTENT],
        name=_text(get("name"), "name", 100),
        phone=normalise_phone(get("phone")),
        confidential=parse_bool(get("confidential"), "confidential"),
        address=_text(get("address"), "address", 500),
        district=_text(get("district"), "district"),
        street=_text(get("street"), "street"),
        community=_text(get("community"), "community"),
        category=_text(get("category"), "category"),
        urgent=parse_bool(get("urgent"), "urgent"),
        answer=answer,
        refer=refer,
        guide=guide,
        guide_to=guide_to,
        external_id=_text(get("external_id"), "external_id", 100),
        origin=get(ORIGIN) or None,
    )


def _guidance(text: Any, target: Any) -> tuple[str | None, Guidance | None]:
    """--guide TEXT with --guide-to market|social: both or neither."""
    guide = _text(text, "guide", MAX_CONTENT)
    kind = _choice(Guidance, target, "guide_to", None)
    if guide and kind is None:
        raise UsageError("guide_to", "a guided request says where to: add --guide-to market or --guide-to social")
    if kind is not None and not guide:
        raise UsageError("guide", "is required with --guide-to; say whom the requester was guided to")
    return guide, kind


def parse_guidance(text: str | None, target: str | None) -> tuple[str, Guidance]:
    """`jiesu guide`'s --text and --to (market|social): both are required."""
    if target is None or not target.strip():
        raise UsageError("to", "is required; say where the requester was guided: --to market or --to social")
    kind = parse_enum(Guidance, target, "to")
    guide = _text(text, "text", MAX_CONTENT)
    if guide is None:
        raise UsageError("text", "is required; say whom the requester was guided to (e.g. the property company)")
    return guide, kind


def ticket_number(day: str, sequence: int) -> str:
    """The number a caller quotes: intake date YYYYMMDD and a daily sequence of at least 5 digits."""
    return f"{day}{sequence:05d}"
