"""Data access for tickets, their events and attachments. Functions take the connection first.

Reads hand the services dataclasses (`TicketView`, `EventView`, `AttachmentView`, …); the bulk
writer takes the plain dicts built by `jiesu.store.rows`, converted for the driver beforehand
(`TicketRows`, wherever batch intake prepares them), so batch intake stays fast.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, and_, exists, func, not_, or_, select, text
from sqlalchemy.engine import Dialect, RowMapping

from jiesu.domain.enums import AssignmentRole, AssignmentState, Status
from jiesu.domain.lifecycle import AT_UNITS, OPEN
from jiesu.store.bulk import BulkInsert, RowConverter, reserve_ids
from jiesu.store.tables import (
    ASSIGNMENT_INSERT_COLUMNS,
    ASSIGNMENTS,
    ATTACHMENT_INSERT_COLUMNS,
    ATTACHMENTS,
    CALLBACKS,
    EVENT_INSERT_COLUMNS,
    EVENTS,
    TICKET_COLUMNS,
    TICKETS,
)


@dataclass(frozen=True)
class Requester:
    """Who raised the request; name and phone as stored, or as masked by the service that hands it on."""

    name: str | None
    phone: str | None
    type: str  # person | company | org
    confidential: bool


@dataclass(frozen=True)
class TicketView:
    """A ticket as it is read back: its fields, its requester, and the number it was merged into."""

    id: int
    number: str
    status: str
    kind: str
    channel: str
    category: str | None
    category_source: str | None  # given | hand | rule | model: who chose the category
    suggestion: dict[str, Any] | None  # the learned suggestion shown when no rule matched
    title: str
    content: str
    requester: Requester
    address: str | None
    district: str | None
    street: str | None
    community: str | None
    urgent: bool
    reply: str | None
    guided_to: str | None  # market | social for a guided ticket
    lead_unit: str | None
    dispatched_at: datetime | None
    supervised: bool
    merged_into: str | None  # the original's number, not its id
    repeat_of: str | None  # the resolved ticket this one repeats after close (重复诉求): its number
    reopen_count: int
    exempt: bool
    escalation_level: int
    coordinator: str | None
    created_at: datetime
    closed_at: datetime | None
    external_id: str | None
    operator: str


def _ticket_view(row: RowMapping) -> TicketView:
    return TicketView(
        id=row["id"],
        number=row["number"],
        status=row["status"],
        kind=row["kind"],
        channel=row["channel"],
        category=row["category"],
        category_source=row["category_source"],
        suggestion=row["suggestion"],
        title=row["title"],
        content=row["content"],
        requester=Requester(
            row["requester_name"], row["requester_phone"], row["requester_type"], bool(row["confidential"])
        ),
        address=row["address"],
        district=row["district"],
        street=row["street"],
        community=row["community"],
        urgent=bool(row["urgent"]),
        reply=row["reply"],
        guided_to=row["guided_to"],
        lead_unit=row["lead_unit"],
        dispatched_at=row["dispatched_at"],
        supervised=bool(row["supervised"]),
        merged_into=row["merged_into_number"],
        repeat_of=row["repeat_of_number"],
        reopen_count=row["reopen_count"],
        exempt=bool(row["exempt"]),
        escalation_level=row["escalation_level"],
        coordinator=row["coordinator"],
        created_at=row["created_at"],
        closed_at=row["closed_at"],
        external_id=row["external_id"],
        operator=row["operator"],
    )


@dataclass(frozen=True)
class EventView:
    """One step of a ticket's history: who did what, when, at which unit, and why."""

    at: datetime
    operator: str
    action: str
    unit: str | None
    note: str | None
    data: dict[str, Any] | None
    login: str | None  # the OS account that ran the command; None on events from before version 9


@dataclass(frozen=True)
class AttachmentView:
    """A file that came with a request, as fingerprinted at intake."""

    path: str
    size: int
    sha256: str
    media_type: str
    kind: str  # voice | image | video | document


def allocate_sequence(conn: Connection, *, scope: str, count: int) -> int:
    """Reserve `count` consecutive numbers in the daily sequence `scope`; returns the first.

    One upsert, so concurrent intakes (serialised by the write lock on SQLite, by the row lock on
    PostgreSQL) never get the same number.
    """
    last = conn.execute(
        text(
            "INSERT INTO counters (scope, value) VALUES (:scope, :count) "
            "ON CONFLICT (scope) DO UPDATE SET value = counters.value + excluded.value "
            "RETURNING value"
        ),
        {"scope": scope, "count": count},
    ).scalar_one()
    return int(last) - count + 1


def resume_point(conn: Connection, key: str) -> int:
    """The last row of an interrupted import of the file `key` that its committed chunks took in (0: none)."""
    found = conn.execute(text("SELECT value FROM counters WHERE scope = :scope"), {"scope": f"import:{key}"})
    return int(found.scalar_one_or_none() or 0)


def record_resume_point(conn: Connection, key: str, row: int | None) -> None:
    """Remember (within the chunk's transaction) how far an import of `key` has got; None: it is done."""
    scope = f"import:{key}"
    conn.execute(text("DELETE FROM counters WHERE scope = :scope"), {"scope": scope})
    if row is not None:
        conn.execute(text("INSERT INTO counters (scope, value) VALUES (:scope, :row)"), {"scope": scope, "row": row})


def numbers_by_external_id(conn: Connection, external_ids: Iterable[str]) -> dict[str, str]:
    """external_id → ticket number, for the ids already in the case file."""
    ids = list(external_ids)
    found: dict[str, str] = {}
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    for start in range(0, len(ids), 500):  # stay under every driver's parameter limit
        chunk = tuple(ids[start : start + 500])
        # the driver's own SQL: a batch intake asks this for every row, and Core's IN of values
        # cost ~2 µs an id, 5x what the database spends finding it
        sql = f"SELECT external_id, number FROM tickets WHERE external_id IN ({', '.join([mark] * len(chunk))})"
        found.update(conn.exec_driver_sql(sql, chunk).fetchall())
    return found


class TicketWriter:
    """Inserts new tickets with their events, attachments and assignments in bulk within the
    caller's transaction (`NewTicketRows`, converted wherever they were prepared)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._tickets = BulkInsert(conn, TICKETS, TICKET_COLUMNS)
        self._events = BulkInsert(conn, EVENTS, EVENT_INSERT_COLUMNS)
        self._attachments = BulkInsert(conn, ATTACHMENTS, ATTACHMENT_INSERT_COLUMNS)
        self._assignments = BulkInsert(conn, ASSIGNMENTS, ASSIGNMENT_INSERT_COLUMNS)

    def reserve_ticket_ids(self, count: int) -> list[int]:
        """Primary keys for the next `count` tickets."""
        return reserve_ids(self._conn, TICKETS, count)

    def insert_new(
        self,
        rows: "NewTicketRows",
        keys: Mapping[int, tuple[int, str]],
        attachments: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        """Insert the tickets of `rows` that `keys` holds (their position → reserved id and number),
        with their events and assignments; the others are left out."""
        rows.check(self._tickets.rows, self._events.rows, self._assignments.rows)
        id_at, number_at = self._tickets.rows.order.index("id"), self._tickets.rows.order.index("number")
        tickets = []
        for position, values in enumerate(rows.tickets):
            key = keys.get(position)
            if key is not None:
                row = list(values)
                row[id_at], row[number_at] = key
                tickets.append(tuple(row))
        self._tickets.execute_converted(tickets)
        self._events.execute_converted(_owned(rows.events, rows.event_of, keys, self._events.rows.order))
        self._attachments.execute(attachments)
        assignments = _owned(rows.assignments, rows.assignment_of, keys, self._assignments.rows.order)
        self._assignments.execute_converted(assignments)


def _owned(
    rows: Sequence[tuple[Any, ...]], owners: Sequence[int], keys: Mapping[int, tuple[int, str]], order: list[str]
) -> list[tuple[Any, ...]]:
    """The rows whose ticket (its position in the batch) is kept, each with that ticket's id as its ticket_id."""
    at = order.index("ticket_id")
    out = []
    for values, owner in zip(rows, owners, strict=True):
        key = keys.get(owner)
        if key is not None:
            out.append((*values[:at], key[0], *values[at + 1 :]))
    return out


@dataclass(slots=True)
class NewTicketRows:
    """New tickets' rows with their events and assignments, converted for the driver already
    (`TicketRows.convert`, in any process), waiting for the ids and numbers only the writer can
    give: each ticket's id and number, and each event's and assignment's ticket_id, are
    placeholders until `TicketWriter.insert_new` fills them in."""

    tickets: list[tuple[Any, ...]]
    events: list[tuple[Any, ...]]
    event_of: list[int]  # the position in `tickets` of each event's ticket
    assignments: list[tuple[Any, ...]]
    assignment_of: list[int]
    # the driver's parameter order of each table, as converted (checked against the writer's)
    orders: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]

    def check(self, tickets: RowConverter, events: RowConverter, assignments: RowConverter) -> None:
        """That the rows were converted for the statements that will insert them."""
        if self.orders != (tuple(tickets.order), tuple(events.order), tuple(assignments.order)):
            raise ValueError("rows converted for another layout of the tables than the writer's")


class TicketRows:
    """Converts new tickets' row dicts (`jiesu.store.rows`) into `NewTicketRows` for a dialect,
    without a connection: a batch import converts them in a worker process."""

    def __init__(self, dialect: Dialect) -> None:
        self._tickets = RowConverter(dialect, TICKETS, TICKET_COLUMNS)
        self._events = RowConverter(dialect, EVENTS, EVENT_INSERT_COLUMNS)
        self._assignments = RowConverter(dialect, ASSIGNMENTS, ASSIGNMENT_INSERT_COLUMNS)
        self._orders = (tuple(self._tickets.order), tuple(self._events.order), tuple(self._assignments.order))

    def convert(
        self,
        tickets: Sequence[Mapping[str, Any]],
        events: Sequence[Mapping[str, Any]],
        event_of: list[int],
        assignments: Sequence[Mapping[str, Any]],
        assignment_of: list[int],
    ) -> NewTicketRows:
        """The rows converted; a ticket's id and number (and its events' and assignments' ticket_id)
        may be anything the columns' conversion takes (0, ""): the writer replaces them."""
        return NewTicketRows(
            self._tickets.convert(tickets),
            self._events.convert(events),
            event_of,
            self._assignments.convert(assignments),
            assignment_of,
            self._orders,
        )


def update_ticket(conn: Connection, ticket: Mapping[Any, Any], **values: Any) -> None:
    """Change a ticket's current state, only if nobody changed it since it was read.

    The version check turns a lost update into a ConflictError the operator can retry.
    """
    from jiesu.errors import ConflictError

    result = conn.execute(
        TICKETS.update()
        .where(TICKETS.c.id == ticket["id"], TICKETS.c.version == ticket["version"])
        .values(version=ticket["version"] + 1, **values)
    )
    if result.rowcount != 1:
        raise ConflictError(f"ticket {ticket['number']} changed while you were working on it; run the command again")


@dataclass(frozen=True)
class EarlierTicket:
    """A ticket raised before a new one by the same phone, or at the same place in the same category:
    what the repeat-request warning and the repeat-after-close link (重复诉求) compare."""

    id: int
    number: str
    content: str
    created_at: datetime
    status: str
    requester_phone: str | None
    address: str | None
    category: str | None
    confidential: bool
    lead_unit: str | None
    closed_at: datetime | None
    resolved: bool | None  # what the requester said at the callback that closed it


# The new ticket a repeat lookup is for, beside the earlier ones it is compared with.
NEW_TICKET = TICKETS.alias("new_ticket")


def repeat_candidates(
    conn: Connection,
    *,
    phone: str | None,
    address: str | None,
    category: str | None,
    since: datetime,
    closed_since: datetime,
    before_id: int,
) -> list[EarlierTicket]:
    """Earlier tickets of the same phone, or of the same address and category, taken in since `since`
    or closed since `closed_since`, oldest first: every repeat lookup goes through here (the
    repeat-request warning at intake and the link of a repeat after close).

    Confidential tickets never take part, in either direction, and the filter lives here so that
    every caller gets it: an earlier confidential ticket is never returned (naming it would tie the
    phone the clerk sees to a report whose requester is hidden), and a confidential new ticket gets
    nothing (naming an earlier ticket, whose requester `show` displays, would identify the hidden
    requester, and a link would record that for good).
    """
    t, cb = TICKETS, CALLBACKS
    resolved = (
        select(cb.c.resolved)
        .where(cb.c.ticket_id == t.c.id, cb.c.closed.is_(True))
        .order_by(cb.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    columns = [
        t.c.id,
        t.c.number,
        t.c.content,
        t.c.created_at,
        t.c.status,
        t.c.requester_phone,
        t.c.address,
        t.c.category,
        t.c.confidential,
        t.c.lead_unit,
        t.c.closed_at,
        resolved.label("resolved"),
    ]
    recent = or_(t.c.created_at >= since, t.c.closed_at >= closed_since)
    new_is_confidential = exists().where(NEW_TICKET.c.id == before_id, NEW_TICKET.c.confidential)
    found: dict[int, EarlierTicket] = {}
    matches = []
    if phone:
        matches.append(t.c.requester_phone == phone)
    if address and category:
        matches.append(and_(t.c.address == address, t.c.category == category))
    for match in matches:  # one query per index (phone, address) rather than an OR neither can use
        query = select(*columns).where(match, recent, t.c.id < before_id, not_(t.c.confidential), ~new_is_confidential)
        for row in conn.execute(query):
            found[row.id] = EarlierTicket(**(dict(row._mapping) | {"confidential": bool(row.confidential)}))
    return sorted(found.values(), key=lambda e: (e.created_at, e.id))


def link_repeat(conn: Connection, ticket_id: int, original_id: int) -> None:
    """Record that a new ticket repeats `original_id` after it closed (重复诉求)."""
    conn.execute(TICKETS.update().where(TICKETS.c.id == ticket_id).values(repeat_of=original_id))


def repeats_of(conn: Connection, ticket_id: int) -> list[str]:
    """The numbers of the tickets linked as repeats after close of this one, oldest first."""
    query = select(TICKETS.c.number).where(TICKETS.c.repeat_of == ticket_id).order_by(TICKETS.c.id)
    return list(conn.execute(query).scalars())


@dataclass(frozen=True)
class PhoneCount:
    """How often one phone called in a window, counting its confidential tickets apart from the others."""

    phone: str
    confidential: bool  # these are the phone's confidential tickets (never grouped with the others)
    tickets: int
    first: datetime
    last: datetime


def repeat_callers(conn: Connection, *, since: datetime, threshold: int) -> list[PhoneCount]:
    """Phones with at least `threshold` tickets since a time, most first (恶意反复拨打 review list).

    A phone's confidential tickets form a group of their own, counted and listed apart from its
    other tickets: grouped together, the numbers of the confidential ones would sit beside a phone
    that `show` displays on the others. Groups are ordered by what the list shows (count, first
    time), never by phone next to a confidential group, so even the order links nothing.
    """
    count = func.count().label("tickets")
    first = func.min(TICKETS.c.created_at).label("first")
    query = (
        select(
            TICKETS.c.requester_phone.label("phone"),
            TICKETS.c.confidential,
            count,
            first,
            func.max(TICKETS.c.created_at).label("last"),
        )
        .where(TICKETS.c.requester_phone.is_not(None), TICKETS.c.created_at >= since)
        .group_by(TICKETS.c.requester_phone, TICKETS.c.confidential)
        .having(count >= threshold)
        .order_by(count.desc(), first, TICKETS.c.confidential, TICKETS.c.requester_phone)
    )
    return [
        PhoneCount(phone, bool(confidential), n, first, last)
        for phone, confidential, n, first, last in conn.execute(query)
    ]


def numbers_for_phone(conn: Connection, phone: str, *, since: datetime, confidential: bool) -> list[str]:
    """The ticket numbers of one phone since a time, oldest first: its confidential ones, or the others."""
    query = (
        select(TICKETS.c.number)
        .where(
            TICKETS.c.requester_phone == phone,
            TICKETS.c.created_at >= since,
            TICKETS.c.confidential if confidential else not_(TICKETS.c.confidential),
        )
        .order_by(TICKETS.c.created_at, TICKETS.c.id)
    )
    return list(conn.execute(query).scalars())


@cache
def tickets_view() -> Select[Any]:
    """Tickets with the numbers of the ticket each merged repeat, and each repeat after close, points at.

    Built once per process: a select is immutable (`.where` returns a new one), and building the two
    aliases' column collections anew took most of a `show`'s Python time.
    """
    original = TICKETS.alias("original")
    merged_number = (
        select(original.c.number)
        .where(original.c.id == TICKETS.c.merged_into)
        .scalar_subquery()
        .label("merged_into_number")
    )
    repeated = TICKETS.alias("repeated")
    repeat_number = (
        select(repeated.c.number)
        .where(repeated.c.id == TICKETS.c.repeat_of)
        .scalar_subquery()
        .label("repeat_of_number")
    )
    return select(TICKETS, merged_number, repeat_number)


def ticket_view(conn: Connection, number: str) -> TicketView | None:
    """The ticket with this number as the services hand it on, or None."""
    row = conn.execute(tickets_view().where(TICKETS.c.number == number)).mappings().first()
    return None if row is None else _ticket_view(row)


_EVENT_FIELDS = [EVENTS.c[f.name] for f in fields(EventView)]
_ATTACHMENT_FIELDS = [ATTACHMENTS.c[f.name] for f in fields(AttachmentView)]


def ticket_events(conn: Connection, ticket_id: int) -> list[EventView]:
    """A ticket's events in the order they happened (and were recorded)."""
    query = select(*_EVENT_FIELDS).where(EVENTS.c.ticket_id == ticket_id).order_by(EVENTS.c.at, EVENTS.c.id)
    return [EventView(*row) for row in conn.execute(query)]


def ticket_attachments(conn: Connection, ticket_id: int) -> list[AttachmentView]:
    """The files that came with a ticket."""
    query = select(*_ATTACHMENT_FIELDS).where(ATTACHMENTS.c.ticket_id == ticket_id).order_by(ATTACHMENTS.c.id)
    return [AttachmentView(*row) for row in conn.execute(query)]


def append_event(conn: Connection, row: Mapping[str, Any]) -> None:
    """Append one event to a ticket's history."""
    conn.execute(EVENTS.insert().values(**row))


@dataclass(frozen=True)
class TicketFilter:
    """What `jiesu list` narrows by; None means any."""

    status: str | None = None
    kind: str | None = None
    channel: str | None = None
    district: str | None = None
    street: str | None = None
    community: str | None = None
    category: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    unit: str | None = None  # open, and the unit has an active assignment
    # overdue_at and due_by look only at tickets still at their units (dispatched, accepted, reopened)
    overdue_at: datetime | None = None  # a step of an active assignment is past its deadline at this time
    due_by: tuple[datetime, datetime] | None = None  # a step not yet taken falls due between (now, then)
    supervised: bool | None = None


def _pending_steps_due(condition: Any, unit: str | None) -> Any:
    """Active, unfinished assignments (of `unit`, if given) with a step not taken whose deadline
    meets `condition`."""
    a = ASSIGNMENTS
    open_steps = or_(
        and_(a.c.accepted_at.is_(None), condition(a.c.accept_due)),
        and_(a.c.contacted_at.is_(None), a.c.role == AssignmentRole.LEAD, condition(a.c.contact_due)),
        condition(a.c.finish_due),
    )
    query = select(a.c.ticket_id).where(a.c.state == AssignmentState.ACTIVE, a.c.finished_at.is_(None), open_steps)
    if unit is not None:
        query = query.where(a.c.unit == unit)
    return query.scalar_subquery()


def _values(statuses: Iterable[Status]) -> list[str]:
    return sorted(s.value for s in statuses)


def _apply_filter(query: Select[Any], spec: TicketFilter) -> Select[Any]:
    conditions = [
        TICKETS.c[name] == value
        for name in ("status", "kind", "channel", "district", "street", "community")
        if (value := getattr(spec, name)) is not None
    ]
    if spec.category is not None:
        # a first-level class matches all its sub-categories: 城乡建设 matches 城乡建设/供水
        # autoescape: a % or _ in the category is itself, not a LIKE wildcard
        within = TICKETS.c.category.startswith(spec.category + "/", autoescape=True)
        conditions.append(or_(TICKETS.c.category == spec.category, within))
    if spec.since is not None:
        conditions.append(TICKETS.c.created_at >= spec.since)
    if spec.until is not None:
        conditions.append(TICKETS.c.created_at < spec.until)
    if spec.unit is not None:
        active = select(ASSIGNMENTS.c.ticket_id).where(
            ASSIGNMENTS.c.unit == spec.unit, ASSIGNMENTS.c.state == AssignmentState.ACTIVE
        )
        conditions += [TICKETS.c.id.in_(active.scalar_subquery()), TICKETS.c.status.in_(_values(OPEN))]
    if spec.overdue_at is not None or spec.due_by is not None:
        # deadlines are watched while the ticket is at its units, as `jiesu escalate` watches them;
        # the status too, not only the assignment's state: case files written before closing ended
        # assignments (and bulk-generated ones) hold closed tickets with active assignments
        conditions.append(TICKETS.c.status.in_(_values(AT_UNITS)))
    if spec.overdue_at is not None:
        moment = spec.overdue_at
        conditions.append(TICKETS.c.id.in_(_pending_steps_due(lambda due: due < moment, spec.unit)))
    if spec.due_by is not None:
        start, end = spec.due_by
        conditions.append(TICKETS.c.id.in_(_pending_steps_due(lambda due: and_(due >= start, due <= end), spec.unit)))
    if spec.supervised is not None:
        conditions.append(TICKETS.c.supervised == spec.supervised)
    return query.where(and_(*conditions)) if conditions else query


def list_tickets(conn: Connection, spec: TicketFilter, *, limit: int) -> list[TicketView]:
    """Tickets matching the filter, newest first."""
    query = _apply_filter(tickets_view(), spec).order_by(TICKETS.c.created_at.desc(), TICKETS.c.id.desc())
    return [_ticket_view(row) for row in conn.execute(query.limit(limit)).mappings()]


def count_tickets(conn: Connection, spec: TicketFilter) -> int:
    """How many tickets match the filter."""
    return int(conn.execute(_apply_filter(select(func.count()).select_from(TICKETS), spec)).scalar_one())


def search_tickets(conn: Connection, phrase: str, *, limit: int) -> list[TicketView]:
    """Tickets whose title, content or address contains `phrase`, newest first.

    A substring scan in newest-first order that stops at `limit` matches: Chinese has no spaces,
    so word indexes do not apply, and a trigram index costs inserts 15x (see README, Search).
    """
    position = func.instr if conn.dialect.name == "sqlite" else func.strpos
    columns = (TICKETS.c.title, TICKETS.c.content, TICKETS.c.address)
    found = or_(*(position(column, phrase) > 0 for column in columns))
    query = tickets_view().where(found).order_by(TICKETS.c.created_at.desc(), TICKETS.c.id.desc())
    return [_ticket_view(row) for row in conn.execute(query.limit(limit)).mappings()]


@dataclass(frozen=True)
class ExportedTicket:
    """A ticket with what an export to another system adds: when it last changed, its lead unit's
    finish deadline, the data its intake event recorded, and whether anyone acted on it since."""

    ticket: TicketView
    updated_at: datetime
    finish_due: datetime | None
    intake_data: dict[str, Any] | None
    acted_on: bool


# Events that record how a ticket came in, not something done about it afterwards.
_INTAKE_ACTIONS = ("intake", "answer", "refer", "reveal")


def tickets_for_export(
    conn: Connection, *, start: datetime | None, end: datetime | None, after_id: int, limit: int
) -> list[ExportedTicket]:
    """Up to `limit` tickets taken in within [start, end) with ids above `after_id`, in id order (one
    query per page: the last event, the lead's deadline and the intake's data as subqueries)."""
    e, a = EVENTS.alias("e"), ASSIGNMENTS
    last_event = select(func.max(e.c.at)).where(e.c.ticket_id == TICKETS.c.id).scalar_subquery()
    acted = (
        select(func.count()).where(e.c.ticket_id == TICKETS.c.id, e.c.action.not_in(_INTAKE_ACTIONS)).scalar_subquery()
    )
    intake_data = (
        select(EVENTS.c.data)
        .where(EVENTS.c.ticket_id == TICKETS.c.id, EVENTS.c.action == "intake")
        .order_by(EVENTS.c.id)
        .limit(1)
        .scalar_subquery()
    )
    finish_due = (
        select(a.c.finish_due)
        .where(
            a.c.ticket_id == TICKETS.c.id,
            a.c.role == AssignmentRole.LEAD,
            a.c.state.in_((AssignmentState.ACTIVE, AssignmentState.CLOSED)),
        )
        .order_by(a.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    query = (
        tickets_view()
        .add_columns(
            last_event.label("last_event_at"),
            finish_due.label("lead_finish_due"),
            intake_data.label("intake_data"),
            acted.label("acted"),
        )
        .where(TICKETS.c.id > after_id)
        .order_by(TICKETS.c.id)
        .limit(limit)
    )
    if start is not None:
        query = query.where(TICKETS.c.created_at >= start)
    if end is not None:
        query = query.where(TICKETS.c.created_at < end)
    return [
        ExportedTicket(
            _ticket_view(row),
            _moment(row["last_event_at"]) or row["created_at"],
            _moment(row["lead_finish_due"]),
            _json(row["intake_data"]),
            int(row["acted"]) > 0,
        )
        for row in conn.execute(query).mappings()
    ]


def _moment(value: datetime | str | None) -> datetime | None:
    """A subquery's time as an aware UTC datetime (SQLite hands max() and subqueries back as text)."""
    from datetime import UTC

    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _json(value: Any) -> dict[str, Any] | None:
    """A JSON column read through a subquery (text on SQLite) as a dict."""
    import json

    if isinstance(value, str):
        value = json.loads(value)
    return value if isinstance(value, dict) else None
