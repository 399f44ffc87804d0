"""Taking requests in (受理): one from a clerk, or thousands from a file, through the same path."""

import hashlib
import json
import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple, cast

from jiesu.domain.dispatching import Decision, Located, Outcome, decide, locate
from jiesu.domain.durations import as_timedelta
from jiesu.domain.enums import Action, Channel, Kind, Status
from jiesu.domain.repeats import overlap
from jiesu.domain.tickets import TicketInput, build_ticket_input, ticket_number
from jiesu.domain.times import iso
from jiesu.errors import UsageError
from jiesu.services.context import Office
from jiesu.services.dispatch import (
    assignment_rows,
    decision_event,
    ensure_units,
    request_of,
    suggestion_event,
    ticket_changes,
)
from jiesu.services.steps import record_corrections
from jiesu.services.suggesting import Suggester
from jiesu.services.tickets import masked
from jiesu.store.bulk import JsonText
from jiesu.store.engine import CaseConnection, transaction
from jiesu.store.publications import covering
from jiesu.store.rows import attachment_row, event_row, ticket_row
from jiesu.store.tickets import (
    EarlierTicket,
    NewTicketRows,
    TicketRows,
    TicketView,
    TicketWriter,
    allocate_sequence,
    append_event,
    link_repeat,
    numbers_by_external_id,
    repeat_candidates,
    ticket_view,
)


class RepeatOf(NamedTuple):
    """A recent ticket of the same phone whose content overlaps a new one's (a likely repeat)."""

    number: str
    created_at: datetime
    status: str


@dataclass(frozen=True)
class RepeatAfterClose:
    """The resolved ticket a new request repeats within the repeat window (重复诉求), now linked: it
    counts as not resolved for its lead unit in the period of the callback that closed it."""

    number: str | None  # None when that ticket is confidential: the clerk is not shown which it is
    closed_at: datetime
    unit: str | None
    corrected: tuple[str, ...] = ()  # published periods the link changed (now marked corrected)


@dataclass(frozen=True)
class IntakeOutcome:
    """What happened to one request: a new ticket, or the one already holding its external id."""

    number: str
    created: bool
    repeat_of: tuple[RepeatOf, ...] = ()  # oldest first
    repeat_after_close: RepeatAfterClose | None = None


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
    if resolved.exists() and not resolved.is_file():
        what = "a folder" if resolved.is_dir() else "not a regular file (a pipe, socket or device)"
        raise UsageError("attach", f"{str(path)!r} is {what}; attach a file")
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


@dataclass(slots=True)
class PreparedIntake:
    """A batch of validated requests located, decided and turned into rows (in this process or a
    worker), waiting for what only the case file can give: whether each external id is there
    already, and each new ticket's id and number (`IntakeBatch.write`)."""

    external_ids: list[str | None]
    days: list[str]  # each request's local intake day, YYYYMMDD: its number's daily sequence
    rows: NewTicketRows


class IntakePreparer:
    """Everything batch intake does to a request that needs no write to the case file: locate it,
    classify and dispatch it by the rules at its intake time (unless `dispatch` is off), and turn it
    into the rows of its ticket, events and assignments, converted by `rows` for its database.

    The learned suggestion for a request no rule matches comes from `suggester`; it is the only
    part that reads the case file, once, on first need.
    """

    def __init__(self, office: Office, rows: TicketRows, suggester: Suggester, *, dispatch: bool = True) -> None:
        self._office = office
        self._rules = office.rules
        self._tz = office.rules.timezone
        self._rows = rows
        self._days: dict[date, str] = {}
        self._dispatch = dispatch
        self._suggester = suggester

    def prepare(self, items: Sequence[TicketInput]) -> PreparedIntake:
        """The requests' rows, a ticket's id and number (and its rows' ticket_id) left as 0 and ""."""
        tickets, events, event_of, assignments, assignment_of = [], [], [], [], []
        rules = self._rules
        for position, item in enumerate(items):
            located = locate(rules, street=item.street, community=item.community, address=item.address)
            decision = self._decide(item, located)
            tickets.append(self._ticket_row(0, "", item, located, decision))
            made = self._event_rows(0, item, decision)
            events.extend(made)
            event_of.extend([position] * len(made))
            if decision is not None:
                made = assignment_rows(0, decision, item.created_at)
                assignments.extend(made)
                assignment_of.extend([position] * len(made))
        return PreparedIntake(
            [item.external_id for item in items],
            self._local_days(items),
            self._rows.convert(tickets, events, event_of, assignments, assignment_of),
        )

    def _local_days(self, items: Sequence[TicketInput]) -> list[str]:
        tz, known = self._tz, self._days
        days = []
        for item in items:
            local_day = item.created_at.astimezone(tz).date()  # its local_date: a batch spreads over many hours
            text = known.get(local_day)
            if text is None:
                text = known[local_day] = local_day.strftime("%Y%m%d")
            days.append(text)
        return days

    def _decide(self, item: TicketInput, located: Located) -> Decision | None:
        if not self._dispatch or item.answer or item.refer or item.guide:
            return None
        request = request_of(
            title=item.title,
            content=item.content,
            kind=_VALUES[item.kind],
            channel=_VALUES[item.channel],
            district=item.district,
            street=located.street,
            category=item.category,
        )
        decision = decide(self._rules, request, located, at=item.created_at, urgent=item.urgent, category=item.category)
        decision = self._suggester.hear(
            decision, title=item.title, content=item.content, at=item.created_at, urgent=item.urgent
        )
        if decision.outcome is Outcome.HOLD and decision.suggestion is None:
            return None
        return decision

    def _ticket_row(
        self, ticket_id: int, number: str, item: TicketInput, located: Located, decision: Decision | None
    ) -> dict[str, Any]:
        return ticket_row(
            ticket_id=ticket_id,
            number=number,
            request=item,
            status=_VALUES[_status_at_intake(item)],
            district=item.district or self._rules.district or None,
            street=located.street,
            community=located.community,
            operator=self._office.operator,
            dispatch=None if decision is None else ticket_changes(decision, item.created_at),
        )

    def _event_rows(self, ticket_id: int, item: TicketInput, decision: Decision | None) -> list[dict[str, Any]]:
        def event(action: Action, note: str | None = None, data: dict[str, Any] | None = None) -> dict[str, Any]:
            office = self._office
            return event_row(
                ticket_id=ticket_id,
                at=item.created_at,
                operator=office.operator,
                login=office.login,
                action=action.value,
                note=note,
                data=data,
            )

        rows = [event(Action.INTAKE, data=item.origin)]
        if item.answer:
            rows.append(event(Action.ANSWER, item.answer))
        elif item.refer:
            rows.append(event(Action.REFER, item.refer))
        elif item.guide and item.guide_to:
            rows.append(event(Action.GUIDE, item.guide, data={"to": item.guide_to.value}))
        elif decision is not None and decision.outcome is Outcome.HOLD:
            rows.append(suggestion_event(self._office, ticket_id, decision, item.created_at))
        elif decision is not None:
            rows.append(self._decision_event(ticket_id, decision, item.created_at))
        return rows

    def _decision_event(self, ticket_id: int, decision: Decision, at: datetime) -> dict[str, Any]:
        """`decision_event`'s row, its data serialized here: a dispatch's data is the same as many
        other tickets' but for the three deadlines, which come last, so the rest of its text is
        serialized once per decision of that shape and the deadlines added to it."""
        deadlines = decision.deadlines
        if deadlines is None or decision.suggestion is not None or decision.outcome is not Outcome.DISPATCH:
            return decision_event(self._office, ticket_id, decision, at)
        located, rule, tz = decision.located, decision.rule, self._tz

        def text(moment: datetime) -> str:  # what json.dumps makes of the time as the event's data holds it
            return json.encoder.encode_basestring_ascii(cast(str, iso(moment, tz)))

        deadlines_text = (
            f', "accept_due": {text(deadlines.accept)}, "contact_due": {text(deadlines.contact)}'
            f', "finish_due": {text(deadlines.finish)}}}'
        )
        office = self._office
        key = (
            rule.name if rule else None,
            decision.reason,
            decision.keywords,
            decision.category,
            located.street,
            located.community,
            decision.category_source,
            decision.lead,
            decision.co,
            decision.limits,
            decision.urgent,
            office.rules.sha256,
            office.operator,
            office.login,
        )
        known = _DISPATCH_EVENTS.get(key)
        if known is None:
            row = decision_event(office, ticket_id, decision, at)
            data = json.dumps(row["data"])
            if not data.endswith(deadlines_text):  # not the layout this relies on: serialized by the store
                return row
            if len(_DISPATCH_EVENTS) >= 10_000:
                _DISPATCH_EVENTS.clear()
            _DISPATCH_EVENTS[key] = (row, data[: -len(deadlines_text)])
            return row | {"data": JsonText(data)}
        template, start = known
        return template | {"ticket_id": ticket_id, "at": at, "data": JsonText(start + deadlines_text)}


class IntakeBatch:
    """Stores validated requests within one open write transaction; numbers and ids in bulk.

    Unless `dispatch` is off, each new ticket is located (street, community), classified and
    dispatched by the rules as it is taken in, at its intake time (`IntakePreparer`).
    """

    def __init__(self, conn: CaseConnection, office: Office, *, dispatch: bool = True) -> None:
        self._conn = conn
        self._office = office
        self._writer = TicketWriter(conn)
        self._dispatch = dispatch
        if dispatch:
            ensure_units(conn, office)

    @cached_property
    def _preparer(self) -> IntakePreparer:
        # a request no rule matches may get a learned suggestion; the model loads on first need
        conn, office = self._conn, self._office
        return IntakePreparer(office, TicketRows(conn.dialect), Suggester(conn, office), dispatch=self._dispatch)

    def store(self, inputs: Sequence[TicketInput], attachments: Sequence[AttachmentFile] = ()) -> list[IntakeOutcome]:
        """Insert the requests not already present (by external id); attachments go with the first."""
        return self.write(self._preparer.prepare(inputs), attachments)

    def write(self, prepared: PreparedIntake, attachments: Sequence[AttachmentFile] = ()) -> list[IntakeOutcome]:
        """Insert the prepared requests not already present (by external id), numbered in the order
        given; attachments go with the first new one.

        Earlier batches of the same transaction are already in the table, so looking external
        ids up there is enough; only repeats inside this batch need remembering.
        """
        external_ids = prepared.external_ids
        known = numbers_by_external_id(self._conn, {e for e in external_ids if e})
        fresh: list[int] = []
        first_in_batch: set[str] = set()
        for position, ext in enumerate(external_ids):
            if ext:
                if ext in known or ext in first_in_batch:
                    continue
                first_in_batch.add(ext)
            fresh.append(position)
        numbers = self._allocate_numbers([prepared.days[p] for p in fresh])
        ids = self._writer.reserve_ticket_ids(len(fresh))
        keys = {position: key for position, key in zip(fresh, zip(ids, numbers, strict=True), strict=True)}
        files = [self._attachment_row(ids[0], f) for f in attachments] if fresh else []
        self._writer.insert_new(prepared.rows, keys, files)
        outcomes = []
        for position, ext in enumerate(external_ids):
            key = keys.get(position)
            if key is not None:
                outcomes.append(IntakeOutcome(key[1], created=True))
                if ext:
                    known[ext] = key[1]
            else:
                outcomes.append(IntakeOutcome(known[cast(str, ext)], created=False))
        return outcomes

    def _allocate_numbers(self, days: Sequence[str]) -> list[str]:
        needed: dict[str, int] = {}
        for day in days:
            needed[day] = needed.get(day, 0) + 1
        next_sequence = {day: allocate_sequence(self._conn, scope=day, count=count) for day, count in needed.items()}
        numbers = []
        for day in days:
            numbers.append(ticket_number(day, next_sequence[day]))
            next_sequence[day] += 1
        return numbers

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


# Each kind, channel and status as the value stored (a dict lookup: Enum.value is a Python property).
_VALUES: dict[Enum, str] = {member: member.value for enum in (Kind, Channel, Status) for member in enum}

# A dispatch event's row (but for its ticket, time and data) and the text of its data up to the
# deadlines, by what decision_event reads of a decision and the office (see _decision_event).
_DISPATCH_EVENTS: dict[tuple[Any, ...], tuple[dict[str, Any], str]] = {}


def _status_at_intake(item: TicketInput) -> Status:
    """Answered, referred or guided at intake closes the ticket there; anything else waits for dispatch."""
    if item.answer:
        return Status.ANSWERED
    if item.refer:
        return Status.REFERRED
    if item.guide:
        return Status.GUIDED
    return Status.PENDING


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
        if outcome.created:
            outcome = _repeats(conn, office, ticket, outcome)
    return outcome, masked(ticket, full_phone=True)


def _repeats(conn: CaseConnection, office: Office, ticket: TicketView, outcome: IntakeOutcome) -> IntakeOutcome:
    """The new ticket's likely repeats: a resolved ticket it repeats after close is linked (and
    counted against its unit); recent tickets of the same phone with overlapping content are told."""
    policy = office.rules.intake
    since = ticket.created_at - as_timedelta(policy.repeat_lookback)
    window = ticket.created_at - as_timedelta(office.rules.assessment.repeat_window)
    earlier = repeat_candidates(
        conn,
        phone=ticket.requester.phone,
        address=ticket.address,
        category=ticket.category,
        since=since,
        closed_since=window,
        before_id=ticket.id,
    )

    def same_caller(row: EarlierTicket) -> bool:
        return (
            bool(ticket.requester.phone)
            and row.requester_phone == ticket.requester.phone
            and (overlap(row.content, ticket.content) >= policy.repeat_overlap)
        )

    def same_place(row: EarlierTicket) -> bool:
        return bool(ticket.address and ticket.category) and (row.address, row.category) == (
            ticket.address,
            ticket.category,
        )

    closed = [
        row
        for row in earlier
        if row.status == Status.CLOSED
        and row.resolved is True
        and row.closed_at is not None
        and window <= row.closed_at <= ticket.created_at
        and (same_caller(row) or same_place(row))
    ]
    linked = max(closed, key=lambda row: (row.closed_at, row.id)) if closed else None
    told = tuple(
        RepeatOf(row.number, row.created_at, row.status)
        for row in earlier
        if row is not linked and row.created_at >= since and same_caller(row)
    )
    after_close = _link_repeat(conn, office, ticket, linked) if linked else None
    return replace(outcome, repeat_of=told, repeat_after_close=after_close)


def _link_repeat(conn: CaseConnection, office: Office, ticket: TicketView, original: EarlierTicket) -> RepeatAfterClose:
    """Link the new ticket to the resolved one it repeats, with an event on each; a published period
    the closed ticket was assessed in is marked corrected (a citizen's call is never refused)."""
    assert original.closed_at is not None
    link_repeat(conn, ticket.id, original.id)
    at, operator = ticket.created_at, office.operator
    closed_at = iso(original.closed_at, office.rules.timezone)
    append_event(
        conn,
        event_row(
            ticket_id=ticket.id,
            at=at,
            operator=operator,
            login=office.login,
            action=Action.REPEAT.value,
            unit=original.lead_unit,
            data={"repeat_of": original.number, "closed_at": closed_at},
        ),
    )
    append_event(
        conn,
        event_row(
            ticket_id=original.id,
            at=at,
            operator=operator,
            login=office.login,
            action=Action.NOTE.value,
            unit=original.lead_unit,
            note=f"raised again after close as {ticket.number} (repeat after close)",
            data={"repeated_by": ticket.number},
        ),
    )
    published = covering(conn, original.closed_at)
    record_corrections(
        conn,
        office,
        published,
        ticket_id=original.id,
        action=Action.REPEAT.value,
        at=original.closed_at,
        reason=f"repeat after close: {ticket.number} repeats {original.number}",
    )
    return RepeatAfterClose(
        None if original.confidential else original.number,
        original.closed_at,
        original.lead_unit,
        tuple(p.period for p in published),
    )
