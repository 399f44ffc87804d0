"""What learning and replay read from the case file: labelled tickets, which unit finally handled
what, the stored models, and each ticket's routing history."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from jiesu.domain.enums import AssignmentRole, AssignmentState, Status
from jiesu.store.tables import ASSIGNMENTS, LEARNED_MODELS, TICKETS

# A category a person chose: at intake (given) or at a dispatch by hand. Only these train.
HUMAN_SOURCES = ("given", "hand")
BATCH = 5_000


@dataclass(frozen=True)
class Labelled:
    """A ticket's text and the category a person gave it."""

    title: str
    content: str
    category: str


def labelled_tickets(conn: Connection) -> Iterator[Labelled]:
    """Every ticket whose category a person chose, oldest first, streamed in batches."""
    query = (
        select(TICKETS.c.title, TICKETS.c.content, TICKETS.c.category)
        .where(TICKETS.c.category.is_not(None), TICKETS.c.category_source.in_(HUMAN_SOURCES))
        .order_by(TICKETS.c.id)
    )
    result = conn.execute(query.execution_options(yield_per=BATCH))
    for title, content, category in result:
        yield Labelled(title, content, category)


@dataclass(frozen=True)
class HandledBy:
    """How many closed tickets of a category and street a unit finally handled (the lead unit
    when it closed, so after any returns); `own_street` when the unit was the ticket's street."""

    category: str
    street: str | None
    unit: str
    own_street: bool
    tickets: int


def unit_history(conn: Connection) -> list[HandledBy]:
    """Closed tickets by category, street and final lead unit, counted in SQL.

    A category the model chose itself is left out, so its suggestions never teach it.
    """
    t = TICKETS
    own = case((t.c.lead_unit == t.c.street, 1), else_=0)
    query = (
        select(t.c.category, t.c.street, t.c.lead_unit, own.label("own"), func.count().label("n"))
        .where(
            t.c.status == Status.CLOSED.value,
            t.c.lead_unit.is_not(None),
            t.c.category.is_not(None),
            (t.c.category_source.is_(None)) | (t.c.category_source != "model"),
        )
        .group_by(t.c.category, t.c.street, t.c.lead_unit, own)
    )
    return [HandledBy(c, s, u, bool(o), int(n)) for c, s, u, o, n in conn.execute(query)]


def save_model(conn: Connection, row: Mapping[str, Any]) -> int:
    """Store a trained model; returns its id."""
    return int(conn.execute(LEARNED_MODELS.insert().values(**row).returning(LEARNED_MODELS.c.id)).scalar_one())


@dataclass(frozen=True)
class StoredModel:
    """The newest trained model as stored."""

    id: int
    trained_at: datetime
    operator: str
    tickets: int
    labels: list[Any]
    accuracy: dict[str, Any]
    model: dict[str, Any]
    idf: bytes
    weights: bytes
    units: dict[str, Any]


def latest_model(conn: Connection) -> StoredModel | None:
    """The model in use (the newest), or None before the first `jiesu rules learn`."""
    row = conn.execute(select(LEARNED_MODELS).order_by(LEARNED_MODELS.c.id.desc()).limit(1)).mappings().first()
    if row is None:
        return None
    return StoredModel(**{key: row[key] for key in StoredModel.__dataclass_fields__})


def model_count(conn: Connection) -> int:
    """How many models were ever trained in this case file."""
    return int(conn.execute(select(func.count()).select_from(LEARNED_MODELS)).scalar_one())


@dataclass(frozen=True)
class Routed:
    """A ticket of a period as it was routed: its request, its first lead unit and deadlines, and
    the lead unit that finally handled it (None while it is still open)."""

    id: int
    number: str
    title: str
    content: str
    kind: str
    channel: str
    district: str | None
    street: str | None
    community: str | None
    address: str | None
    category: str | None
    category_source: str | None
    urgent: bool
    status: str
    created_at: datetime
    first_unit: str | None
    first_rule: str | None
    first_at: datetime | None
    first_finish_due: datetime | None
    first_returned: bool
    final_unit: str | None
    suggestion: dict[str, Any] | None


def routed_tickets(conn: Connection, start: datetime | None, end: datetime | None) -> Iterator[Routed]:
    """The tickets taken in during [start, end) (None: open-ended) that were not answered at intake,
    with their first lead assignment and, for finished and closed ones, the lead unit that finally
    handled them."""
    a = ASSIGNMENTS
    first_id = (
        select(func.min(a.c.id))
        .where(a.c.ticket_id == TICKETS.c.id, a.c.role == AssignmentRole.LEAD)
        .correlate(TICKETS)
        .scalar_subquery()
    )
    first = ASSIGNMENTS.alias("first")
    done = (Status.FINISHED.value, Status.CLOSED.value)
    query = (
        select(
            TICKETS.c.id,
            TICKETS.c.number,
            TICKETS.c.title,
            TICKETS.c.content,
            TICKETS.c.kind,
            TICKETS.c.channel,
            TICKETS.c.district,
            TICKETS.c.street,
            TICKETS.c.community,
            TICKETS.c.address,
            TICKETS.c.category,
            TICKETS.c.category_source,
            TICKETS.c.urgent,
            TICKETS.c.status,
            TICKETS.c.created_at,
            first.c.unit,
            first.c.rule,
            first.c.assigned_at,
            first.c.finish_due,
            case((first.c.state == AssignmentState.RETURNED, 1), else_=0),
            case((TICKETS.c.status.in_(done), TICKETS.c.lead_unit), else_=None),
            TICKETS.c.suggestion,
        )
        .select_from(TICKETS.outerjoin(first, and_(first.c.id == first_id)))
        .where(TICKETS.c.status != Status.ANSWERED.value)
        .order_by(TICKETS.c.created_at, TICKETS.c.id)
    )
    if start is not None:
        query = query.where(TICKETS.c.created_at >= start)
    if end is not None:
        query = query.where(TICKETS.c.created_at < end)
    for row in conn.execute(query.execution_options(yield_per=BATCH)):
        values = list(row)
        values[12] = bool(values[12])
        values[19] = bool(values[19])
        yield Routed(*values)


def latest_model_id(conn: Connection) -> int | None:
    """The id of the model in use, or None (one indexed look-up: intake asks it every time)."""
    found = conn.execute(select(func.max(LEARNED_MODELS.c.id))).scalar_one_or_none()
    return None if found is None else int(found)
