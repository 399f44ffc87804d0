"""The case file's tables as SQLAlchemy Core tables (from the models), for queries and bulk inserts."""

from jiesu.store.models import (
    Alert,
    Assignment,
    Attachment,
    Callback,
    Correction,
    Event,
    LearnedModelRecord,
    Meta,
    Publication,
    PublishedTicket,
    Ticket,
    UnitRecord,
    UnitRequestRecord,
)

TICKETS = Ticket.__table__  # type: ignore[attr-defined]
EVENTS = Event.__table__  # type: ignore[attr-defined]
ATTACHMENTS = Attachment.__table__  # type: ignore[attr-defined]
ASSIGNMENTS = Assignment.__table__  # type: ignore[attr-defined]
UNITS = UnitRecord.__table__  # type: ignore[attr-defined]
META = Meta.__table__  # type: ignore[attr-defined]
CALLBACKS = Callback.__table__  # type: ignore[attr-defined]
ALERTS = Alert.__table__  # type: ignore[attr-defined]
REQUESTS = UnitRequestRecord.__table__  # type: ignore[attr-defined]
PUBLICATIONS = Publication.__table__  # type: ignore[attr-defined]
PUBLICATION_TICKETS = PublishedTicket.__table__  # type: ignore[attr-defined]
CORRECTIONS = Correction.__table__  # type: ignore[attr-defined]

# Tables whose rows are never updated or deleted; the database refuses it too (store/schema.py).
APPEND_ONLY = ("events", "publications", "publication_tickets", "corrections")
LEARNED_MODELS = LearnedModelRecord.__table__  # type: ignore[attr-defined]

TICKET_COLUMNS = [c.name for c in TICKETS.columns]
EVENT_COLUMNS = [c.name for c in EVENTS.columns]
ATTACHMENT_COLUMNS = [c.name for c in ATTACHMENTS.columns]
ASSIGNMENT_COLUMNS = [c.name for c in ASSIGNMENTS.columns]
