"""The case file's tables as SQLAlchemy Core tables (from the models), for queries and bulk inserts."""

from jiesu.store.models import (
    Alert,
    Assignment,
    Attachment,
    Callback,
    Event,
    LearnedModelRecord,
    Meta,
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
LEARNED_MODELS = LearnedModelRecord.__table__  # type: ignore[attr-defined]

TICKET_COLUMNS = [c.name for c in TICKETS.columns]
EVENT_COLUMNS = [c.name for c in EVENTS.columns]
ATTACHMENT_COLUMNS = [c.name for c in ATTACHMENTS.columns]
ASSIGNMENT_COLUMNS = [c.name for c in ASSIGNMENTS.columns]
