"""The SQL of published periods: publications and their chain, the tickets each was computed from,
corrections after publication. Every table here is append-only (store/schema.py's triggers)."""

from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import Connection, String, cast, func, literal, select, union

from jiesu.domain.publishing import TicketFingerprint, fingerprints, with_callbacks
from jiesu.store.bulk import BulkInsert
from jiesu.store.engine import transaction
from jiesu.store.tables import CALLBACKS, CORRECTIONS, EVENTS, PUBLICATION_TICKETS, PUBLICATIONS, TICKETS


@dataclass(frozen=True)
class PublicationView:
    """One stored publication, as written."""

    id: int
    period: str
    revision: int
    start_at: datetime
    end_at: datetime
    rules_sha256: str
    events_count: int
    events_digest: str
    last_event_id: int
    operator: str
    published_at: datetime
    note: str | None
    content: str
    previous_hash: str
    hash: str


@dataclass(frozen=True)
class CorrectionView:
    """A step recorded in a published period after its publication."""

    publication_id: int
    ticket_id: int
    number: str
    action: str
    at: datetime
    recorded_at: datetime
    operator: str
    reason: str


_PUBLICATION_FIELDS = [PUBLICATIONS.c[name] for name in PublicationView.__dataclass_fields__]


def publications(conn: Connection, period: str | None = None) -> list[PublicationView]:
    """Every publication in the order they were made (the chain's order), or one period's."""
    query = select(*_PUBLICATION_FIELDS).order_by(PUBLICATIONS.c.id)
    if period is not None:
        query = query.where(PUBLICATIONS.c.period == period)
    return [PublicationView(*row) for row in conn.execute(query)]


def latest_publication(conn: Connection, period: str) -> PublicationView | None:
    """The period's newest revision, or None when it was never published."""
    query = (
        select(*_PUBLICATION_FIELDS)
        .where(PUBLICATIONS.c.period == period)
        .order_by(PUBLICATIONS.c.revision.desc())
        .limit(1)
    )
    row = conn.execute(query).first()
    return None if row is None else PublicationView(*row)


def chain_head(conn: Connection) -> str:
    """The newest publication's hash: what the next one chains to ("" when there is none)."""
    query = select(PUBLICATIONS.c.hash).order_by(PUBLICATIONS.c.id.desc()).limit(1)
    return conn.execute(query).scalar_one_or_none() or ""


def covering(conn: Connection, moment: datetime) -> list[PublicationView]:
    """The newest revision of every published period that `moment` falls in."""
    query = (
        select(*_PUBLICATION_FIELDS)
        .where(PUBLICATIONS.c.start_at <= moment, PUBLICATIONS.c.end_at > moment)
        .order_by(PUBLICATIONS.c.period, PUBLICATIONS.c.revision.desc())
    )
    newest: dict[str, PublicationView] = {}
    for row in conn.execute(query):
        view = PublicationView(*row)
        newest.setdefault(view.period, view)
    return list(newest.values())


def newest_event_id(conn: Connection) -> int:
    """The id of the newest event (0 in an empty case file)."""
    return int(conn.execute(select(func.coalesce(func.max(EVENTS.c.id), 0))).scalar_one())


def insert_publication(conn: Connection, row: Mapping[str, Any], tickets: Mapping[int, TicketFingerprint]) -> int:
    """Store a publication and the fingerprints of the tickets it was computed from; its id."""
    inserted = conn.execute(PUBLICATIONS.insert().values(**row)).inserted_primary_key
    assert inserted is not None
    publication_id = int(inserted[0])
    BulkInsert(conn, PUBLICATION_TICKETS, ["publication_id", "ticket_id", "events", "digest"]).execute(
        {"publication_id": publication_id, "ticket_id": ticket_id, "events": found.events, "digest": found.digest}
        for ticket_id, found in tickets.items()
    )
    return publication_id


def published_tickets(conn: Connection, publication_id: int) -> dict[int, TicketFingerprint]:
    """The fingerprints stored with a publication, per ticket id."""
    t = PUBLICATION_TICKETS
    query = select(t.c.ticket_id, t.c.events, t.c.digest).where(t.c.publication_id == publication_id)
    return {ticket_id: TicketFingerprint(events, digest) for ticket_id, events, digest in conn.execute(query)}


def period_tickets(conn: Connection, start: datetime, end: datetime) -> Any:
    """The tickets a period's figures are computed from: taken in during [start, end), or closed by a
    callback in it (the assessed ones)."""
    taken_in = select(TICKETS.c.id.label("id")).where(TICKETS.c.created_at >= start, TICKETS.c.created_at < end)
    called = select(CALLBACKS.c.ticket_id.label("id")).where(
        CALLBACKS.c.at >= start, CALLBACKS.c.at < end, CALLBACKS.c.closed.is_(True)
    )
    return union(taken_in, called).subquery("period_tickets")


def ticket_fingerprints(conn: Connection, start: datetime, end: datetime) -> dict[int, TicketFingerprint]:
    """Per ticket of the period (see `period_tickets`): the count and digest of its events (and its
    callbacks) up to the period's end, read now (later events, such as a note after closing, leave
    the period alone).

    Reads the rows a few hundred tickets at a time by the (ticket_id, id) indexes, in ticket order,
    each as its finished line (`_line`, built by the database), and hashes them chunk by chunk;
    nothing is held but the fingerprints and one chunk's lines.
    """
    chosen = period_tickets(conn, start, end)
    ids = sorted(conn.execute(select(chosen.c.id)).scalars())
    e, cb = EVENTS, CALLBACKS
    event_line = _line(e.c.id, e.c.at, e.c.operator, e.c.action, e.c.unit, e.c.note, e.c.data)
    answer_line = _line(
        cb.c.id, cb.c.at, cb.c.unit, cb.c.reached, cb.c.contacted, cb.c.resolved, cb.c.satisfaction, cb.c.closed
    )

    def lines(line: Any, table: Any) -> Iterator[Any]:
        query = select(table.c.ticket_id, line).order_by(table.c.ticket_id, table.c.id)
        chunks = (ids[first : first + CHUNK] for first in range(0, len(ids), CHUNK))
        return chain.from_iterable(
            conn.execute(query.where(table.c.ticket_id.in_(chunk), table.c.at < end)).all() for chunk in chunks
        )

    events = fingerprints(lines(event_line, e))
    callbacks = fingerprints(lines(answer_line, cb))
    return with_callbacks(events, callbacks)


@contextmanager
def fingerprints_alongside(
    conn: Connection, start: datetime, end: datetime
) -> Iterator[Callable[[], dict[int, TicketFingerprint]]]:
    """`ticket_fingerprints` of the period, read on a connection of their own in a thread while the
    caller goes on with `conn` (computing the report); the block gets the function that waits for
    them. Both are mostly the database's own work, done outside Python's lock, so publish and verify
    take about the longer of the two, not their sum. The block ends only when the thread has.

    The thread's connection sees what `conn` sees: a publish holds the write lock, so nothing is
    committed between the two; a verify only reads, and what a writer may commit meanwhile happens
    now, after the period's end, which the fingerprints leave out (a step back-dated into the period
    is exactly what verify reports).
    """
    engine = conn.engine

    def read() -> dict[int, TicketFingerprint]:
        with transaction(engine, write=False) as own:
            return ticket_fingerprints(own, start, end)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="jiesu-fingerprints") as pool:
        yield pool.submit(read).result


def _line(*columns: Any) -> Any:
    """A row as the line its ticket's digest is computed over, built by the database: every value
    as the database's own text (times, JSON, booleans; no conversion per row, and a line that
    changes whenever a stored value does), NULL as "\\N", unit separators (0x1F) between."""
    values = [func.coalesce(cast(column, String), literal("\\N")) for column in columns]
    line: Any = values[0]
    for value in values[1:]:
        line = line + literal("\x1f") + value
    return line


CHUNK = 500  # tickets per read: well under every driver's limit of bound parameters


def tickets_with_events_after(conn: Connection, event_id: int, start: datetime, end: datetime) -> set[int]:
    """Tickets with an event recorded after `event_id` whose time falls in [start, end): back-dated."""
    query = select(EVENTS.c.ticket_id).where(EVENTS.c.id > event_id, EVENTS.c.at >= start, EVENTS.c.at < end)
    # No DISTINCT: with it SQLite walks the whole (ticket_id, id) index in ticket order (0.8 s at 1M
    # tickets, growing with the case file) instead of reading only the events after `event_id`.
    return set(conn.execute(query).scalars())


def ticket_numbers(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
    """Ticket id → number for these ids."""
    wanted = sorted(set(ids))
    found: dict[int, str] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        found.update(conn.execute(select(TICKETS.c.id, TICKETS.c.number).where(TICKETS.c.id.in_(chunk))).all())
    return found


def record_correction(conn: Connection, row: Mapping[str, Any]) -> None:
    """Append a correction after publication."""
    conn.execute(CORRECTIONS.insert().values(**row))


def corrections(conn: Connection, publication_ids: Iterable[int]) -> list[CorrectionView]:
    """The corrections recorded against these publications, oldest first."""
    c = CORRECTIONS
    query = (
        select(
            c.c.publication_id,
            c.c.ticket_id,
            TICKETS.c.number,
            c.c.action,
            c.c.at,
            c.c.recorded_at,
            c.c.operator,
            c.c.reason,
        )
        .join(TICKETS, TICKETS.c.id == c.c.ticket_id)
        .where(c.c.publication_id.in_(list(publication_ids)))
        .order_by(c.c.id)
    )
    return [CorrectionView(*row) for row in conn.execute(query)]
