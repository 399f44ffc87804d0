"""Taking requests in (受理): one from a clerk, or thousands from a file, through the same path."""

import hashlib
import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from jiesu.domain.dispatching import Decision, Located, Outcome, decide, locate
from jiesu.domain.durations import as_timedelta
from jiesu.domain.enums import Action, Status
from jiesu.domain.repeats import overlap
from jiesu.domain.tickets import TicketInput, build_ticket_input, ticket_number
from jiesu.domain.times import local_date
from jiesu.errors import UsageError
from jiesu.services.context import Office
from jiesu.services.dispatch import assignment_rows, decision_event, ensure_units, request_of, ticket_changes
from jiesu.services.tickets import masked
from jiesu.store.engine import CaseConnection, transaction
from jiesu.store.rows import attachment_row, event_row, ticket_row
from jiesu.store.tickets import (
    TicketView,
    TicketWriter,
    allocate_sequence,
    numbers_by_external_id,
    recent_by_phone,
    ticket_view,
)


class RepeatOf(NamedTuple):
    """A recent ticket of the same phone whose content overlaps a new one's (a likely repeat)."""

    number: str
    created_at: datetime
    status: str


@dataclass(frozen=True)
class IntakeOutcome:
    """What happened to one request: a new ticket, or the one already holding its external id."""

    number: str
    created: bool
    repeat_of: tuple[RepeatOf, ...] = ()  # oldest first


@dataclass(frozen=True)
class AttachmentFile:
    """A file read and fingerprinted before the transaction starts."""

    path: str
    size: int
    sha256: str
    media_type: str
    kind: str


def describe_attachment(path: Path) -> AttachmentFile:
    """Size, sha256 and media type of a file that comes with a request."""
    resolved = path.expanduser().resolve()
    digest = hashlib.sha256()
    size = 0
    try:
        with resolved.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise UsageError("attach", f"cannot read {str(path)!r}: {exc.strerror or exc}") from exc
    media_type = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
    major = media_type.split("/", 1)[0]
    kind = {"audio": "voice", "image": "image", "video": "video"}.get(major, "document")
    return AttachmentFile(str(resolved), size, digest.hexdigest(), media_type, kind)


class IntakeBatch:
    """Stores validated requests within one open write transaction; numbers and ids in bulk.

    Unless `dispatch` is off, each new ticket is located (street, community), classified and
    dispatched by the rules as it is taken in, at its intake time.
    """

    def __init__(self, conn: CaseConnection, office: Office, *, dispatch: bool = True) -> None:
        self._conn = conn
        self._office = office
        self._rules = office.rules
        self._writer = TicketWriter(conn)
        self._tz = office.rules.timezone
        self._days: dict[date, str] = {}
        self._dispatch = dispatch
        if dispatch:
            ensure_units(conn, office)

    def store(self, inputs: Sequence[TicketInput], attachments: Sequence[AttachmentFile] = ()) -> list[IntakeOutcome]:
        """Insert the requests not already present (by external id); attachments go with the first.

        Earlier batches of the same transaction are already in the table, so looking external
        ids up there is enough; only repeats inside this batch need remembering.
        """
        known = numbers_by_external_id(self._conn, {i.external_id for i in inputs if i.external_id})
        fresh: list[TicketInput] = []
        repeats: dict[int, str] = {}  # position → external id seen earlier (file or case file)
        first_in_batch: set[str] = set()
        for position, item in enumerate(inputs):
            ext = item.external_id
            if ext and (ext in known or ext in first_in_batch):
                repeats[position] = ext
                continue
            if ext:
                first_in_batch.add(ext)
            fresh.append(item)
        numbers = self._allocate_numbers(fresh)
        ids = self._writer.reserve_ticket_ids(len(fresh))
        tickets, events, assignments = [], [], []
        for item, number, ticket_id in zip(fresh, numbers, ids, strict=True):
            located = locate(self._rules, street=item.street, community=item.community, address=item.address)
            decision = self._decide(item, located)
            tickets.append(self._ticket_row(ticket_id, number, item, located, decision))
            events.extend(self._event_rows(ticket_id, item, decision))
            if decision is not None:
                assignments.extend(assignment_rows(ticket_id, decision, item.created_at))
            if item.external_id:
                known.setdefault(item.external_id, number)
        files = [self._attachment_row(ids[0], f) for f in attachments] if fresh else []
        self._writer.insert(tickets, events, files, assignments)
        new_numbers = iter(numbers)
        return [
            IntakeOutcome(known[repeats[position]], created=False)
            if position in repeats
            else IntakeOutcome(next(new_numbers), created=True)
            for position in range(len(inputs))
        ]

    def _local_day(self, moment: datetime) -> str:
        day = local_date(moment, self._tz)
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = day.strftime("%Y%m%d")
        return text

    def _allocate_numbers(self, items: Sequence[TicketInput]) -> list[str]:
        days = [self._local_day(item.created_at) for item in items]
        needed: dict[str, int] = {}
        for day in days:
            needed[day] = needed.get(day, 0) + 1
        next_sequence = {day: allocate_sequence(self._conn, scope=day, count=count) for day, count in needed.items()}
        numbers = []
        for day in days:
            numbers.append(ticket_number(day, next_sequence[day]))
            next_sequence[day] += 1
        return numbers

    def _decide(self, item: TicketInput, located: Located) -> Decision | None:
        if not self._dispatch or item.answer or item.refer:
            return None
        request = request_of(
            title=item.title,
            content=item.content,
            kind=item.kind.value,
            channel=item.channel.value,
            district=item.district,
            street=located.street,
            category=item.category,
        )
        decision = decide(self._rules, request, located, at=item.created_at, urgent=item.urgent, category=item.category)
        return None if decision.outcome is Outcome.HOLD else decision

    def _ticket_row(
        self, ticket_id: int, number: str, item: TicketInput, located: Located, decision: Decision | None
    ) -> dict[str, Any]:
        status = Status.ANSWERED if item.answer else Status.REFERRED if item.refer else Status.PENDING
        return ticket_row(
            ticket_id=ticket_id,
            number=number,
            request=item,
            status=status.value,
            district=item.district or self._rules.district or None,
            street=located.street,
            community=located.community,
            operator=self._office.operator,
            dispatch=None if decision is None else ticket_changes(decision, item.created_at),
        )

    def _event_rows(self, ticket_id: int, item: TicketInput, decision: Decision | None) -> list[dict[str, Any]]:
        at, operator = item.created_at, self._office.operator
        rows = [event_row(ticket_id=ticket_id, at=at, operator=operator, action=Action.INTAKE.value, data=item.origin)]
        if item.answer:
            rows.append(
                event_row(ticket_id=ticket_id, at=at, operator=operator, action=Action.ANSWER.value, note=item.answer)
            )
        elif item.refer:
            rows.append(
                event_row(ticket_id=ticket_id, at=at, operator=operator, action=Action.REFER.value, note=item.refer)
            )
        elif decision is not None:
            rows.append(decision_event(self._office, ticket_id, decision, at))
        return rows

    def _attachment_row(self, ticket_id: int, file: AttachmentFile) -> dict[str, Any]:
        return attachment_row(
            ticket_id=ticket_id,
            path=file.path,
            size=file.size,
            sha256=file.sha256,
            media_type=file.media_type,
            kind=file.kind,
            added_at=self._office.now,
        )


def intake_request(
    office: Office, raw: Mapping[str, Any], *, attach: Sequence[Path] = (), dispatch: bool = True
) -> tuple[IntakeOutcome, TicketView]:
    """Take one request in (and dispatch it by the rules); returns the outcome and the stored ticket.

    A request whose external id is already in the case file returns that ticket unchanged. The
    ticket is the clerk's own view of what was just taken in: the phone in full, a confidential
    requester hidden.
    """
    item = build_ticket_input(raw, tz=office.rules.timezone, now=office.now)
    files = [describe_attachment(path) for path in attach]  # read before taking the write lock
    with transaction(office.engine, write=True) as conn:
        (outcome,) = IntakeBatch(conn, office, dispatch=dispatch).store([item], files)
        ticket = ticket_view(conn, outcome.number)
        assert ticket is not None
        if outcome.created and ticket.requester.phone:
            outcome = replace(outcome, repeat_of=_repeats(conn, office, ticket))
    return outcome, masked(ticket, full_phone=True)


def _repeats(conn: CaseConnection, office: Office, ticket: TicketView) -> tuple[RepeatOf, ...]:
    """Recent tickets of the same phone whose content overlaps this one's (see domain.repeats)."""
    policy = office.rules.intake
    since = ticket.created_at - as_timedelta(policy.repeat_lookback)
    assert ticket.requester.phone is not None
    earlier = recent_by_phone(conn, ticket.requester.phone, since=since, before_id=ticket.id)
    return tuple(
        RepeatOf(row.number, row.created_at, row.status)
        for row in earlier
        if overlap(row.content, ticket.content) >= policy.repeat_overlap
    )
