"""A request as taken in: validated, normalised values ready to store (pure functions)."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from jiesu.domain.enums import Channel, Kind, RequesterType, parse_enum
from jiesu.domain.times import parse_datetime
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
)

_PHONE_SEPARATORS = re.compile(r"[\s\-()（）]")
_PHONE = re.compile(r"\+?\d{3,20}")
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
    external_id: str | None = None
    attachments: list[Any] = field(default_factory=list)


def _text(value: Any, name: str, limit: int = MAX_SHORT) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if len(text) > limit:
        raise UsageError(name, f"too long ({len(text)} characters); at most {limit}")
    return text


def parse_bool(value: Any, name: str) -> bool:
    """true/false, 1/0, yes/no, 是/否 (empty is false)."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
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
    digits = _PHONE_SEPARATORS.sub("", text)
    if not _PHONE.fullmatch(digits):
        raise UsageError(
            name, f"{text!r} is not a phone number; use digits such as 13812345678 or 010-65123456"
        )
    return digits


def _choice(enum: Any, value: Any, name: str, default: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, enum):
        return value
    return parse_enum(enum, str(value), name)


def build_ticket_input(raw: Mapping[str, Any], *, tz: tzinfo, now: datetime) -> TicketInput:
    """Validate one request given as field → value (strings or typed values).

    Raises UsageError naming the first bad field. `now` (UTC) is the intake time unless the
    request carries its own `created_at` (back-filling); a time in the future is refused.
    """
    content = _text(raw.get("content"), "content", MAX_CONTENT)
    if content is None:
        raise UsageError("content", "is empty; describe the request in a few words")
    created = raw.get("created_at")
    if created is None or created == "":
        created_at = now
    elif isinstance(created, datetime):
        created_at = created if created.tzinfo else created.replace(tzinfo=tz)
    else:
        created_at = parse_datetime(str(created), tz, "created_at")
    if created_at > now:
        raise UsageError("created_at", "is in the future; an intake time cannot be later than now")
    answer = _text(raw.get("answer"), "answer", MAX_CONTENT)
    refer = _text(raw.get("refer"), "refer", MAX_CONTENT)
    if answer and refer:
        raise UsageError(
            "answer", "a request is either answered or referred, not both; drop --answer or --refer"
        )
    title = _text(raw.get("title"), "title") or content[:TITLE_FROM_CONTENT]
    return TicketInput(
        content=content,
        created_at=created_at,
        kind=_choice(Kind, raw.get("kind"), "kind", Kind.COMPLAIN),
        channel=_choice(Channel, raw.get("channel"), "channel", Channel.PHONE),
        requester_type=_choice(
            RequesterType, raw.get("requester_type"), "requester_type", RequesterType.PERSON
        ),
        title=title,
        name=_text(raw.get("name"), "name", 100),
        phone=normalise_phone(raw.get("phone")),
        confidential=parse_bool(raw.get("confidential"), "confidential"),
        address=_text(raw.get("address"), "address", 500),
        district=_text(raw.get("district"), "district"),
        street=_text(raw.get("street"), "street"),
        community=_text(raw.get("community"), "community"),
        category=_text(raw.get("category"), "category"),
        urgent=parse_bool(raw.get("urgent"), "urgent"),
        answer=answer,
        refer=refer,
        external_id=_text(raw.get("external_id"), "external_id", 100),
    )


def ticket_number(day: str, sequence: int) -> str:
    """The number a caller quotes: intake date YYYYMMDD and a daily sequence of at least 5 digits."""
    return f"{day}{sequence:05d}"
