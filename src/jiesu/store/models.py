"""Table models. Times are stored in UTC (sqlmodel's UTCDateTime refuses naive datetimes)."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


class Meta(SQLModel, table=True):
    """Facts about the case file itself, such as its schema version."""

    __tablename__ = "jiesu_meta"
    key: str = Field(primary_key=True)
    value: str


class Counter(SQLModel, table=True):
    """Daily ticket-number sequences (scope = the intake day, YYYYMMDD)."""

    __tablename__ = "counters"
    scope: str = Field(primary_key=True)
    value: int = 0


class Ticket(SQLModel, table=True):
    """One request (诉求) and its current state; its history lives in events."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_created_at", "created_at"),
        Index("ix_tickets_status_created_at", "status", "created_at"),
        Index("ix_tickets_lead_unit_created_at", "lead_unit", "created_at"),
        Index("ix_tickets_requester_phone_created_at", "requester_phone", "created_at"),
        Index("ix_tickets_community_created_at", "community", "created_at"),
        Index("ix_tickets_address_created_at", "address", "created_at"),
        Index("ix_tickets_repeat_of", "repeat_of"),
    )
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True)
    external_id: str | None = Field(default=None, unique=True)
    status: str
    kind: str
    channel: str
    requester_type: str
    title: str
    content: str
    requester_name: str | None = None
    requester_phone: str | None = None
    confidential: bool = False
    address: str | None = None
    district: str | None = None
    street: str | None = None
    community: str | None = None
    category: str | None = None
    # who chose the category: given (at intake) | hand (a person's dispatch) | rule | model; only
    # a person's choice (given, hand) trains the learned suggestions
    category_source: str | None = None
    # the learned suggestion made when no rule matched (see domain/learning.py), kept as shown
    suggestion: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON(none_as_null=True)))
    urgent: bool = False
    reply: str | None = None  # the direct answer, or where the requester was referred or guided to
    guided_to: str | None = None  # market | social: the kind of guidance of a guided ticket
    lead_unit: str | None = None  # the accountable unit (主办) of the current assignment
    dispatched_at: datetime | None = None
    supervised: bool = False  # 督办
    merged_into: int | None = Field(default=None, foreign_key="tickets.id")
    reopen_count: int = 0  # 重办
    exempt: bool = False  # an approved appeal excludes it from the lead unit's assessment
    escalation_level: int = 0  # how many rungs up the coordination ladder (分级协调)
    coordinator: str | None = Field(default=None, foreign_key="units.code")  # who coordinates now
    # 重复诉求: the ticket closed as resolved that this request repeats within the repeat window
    repeat_of: int | None = Field(default=None, foreign_key="tickets.id")
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    operator: str  # who took it in (首接负责)
    version: int = 1  # bumped by every change, so two operators cannot overwrite each other


class UnitRecord(SQLModel, table=True):
    """A handling unit as the rules file last described it; kept while tickets refer to it."""

    __tablename__ = "units"
    code: str = Field(primary_key=True)
    name: str
    unit_class: str
    parent: str | None = None
    active: bool = True  # false once the rules file no longer lists it
    updated_at: datetime


class Assignment(SQLModel, table=True):
    """A unit's part in a ticket: lead (主办) or co-handler (协办), with its deadlines and steps."""

    __tablename__ = "assignments"
    __table_args__ = (
        Index("ix_assignments_ticket_id", "ticket_id", "role", "state"),
        Index("ix_assignments_unit_state", "unit", "state"),
        Index("ix_assignments_state_finish_due", "state", "finish_due"),
        Index("ix_assignments_state_accept_due", "state", "accept_due"),
        Index("ix_assignments_state_contact_due", "state", "contact_due"),
    )
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="tickets.id")
    unit: str = Field(foreign_key="units.code")
    role: str  # lead | co
    state: str  # active | returned | done
    rule: str | None = None  # the dispatch rule that chose this unit; None when a person did
    assigned_at: datetime
    accept_due: datetime
    contact_due: datetime
    finish_due: datetime
    report_due: datetime | None = None  # a summoned department must report in by then (吹哨报到)
    accepted_at: datetime | None = None
    contacted_at: datetime | None = None
    finished_at: datetime | None = None
    result: str | None = None  # resolved | partly | unresolved | explained
    ended_at: datetime | None = None  # returned, or ended by a re-dispatch or a merge


class Callback(SQLModel, table=True):
    """The centre's call back to the requester (回访): reached or not, and the three answers."""

    __tablename__ = "callbacks"
    __table_args__ = (Index("ix_callbacks_ticket_id", "ticket_id"), Index("ix_callbacks_at", "at"))
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="tickets.id")
    at: datetime
    operator: str
    unit: str | None = None  # the lead unit being assessed
    reached: bool
    contacted: bool | None = None
    resolved: bool | None = None
    satisfaction: str | None = None  # satisfied | basically | unsatisfied
    closed: bool = False  # this callback closed the ticket
    note: str | None = None


class UnitRequestRecord(SQLModel, table=True):
    """A unit's request the centre decides: an extension (延期) or an appeal (申诉)."""

    __tablename__ = "requests"
    __table_args__ = (Index("ix_requests_ticket_id", "ticket_id"),)
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="tickets.id")
    kind: str  # extension | appeal
    unit: str
    requested_at: datetime
    requested_by: str
    reason: str
    until: datetime | None = None  # an extension's new finish deadline
    state: str  # requested | approved | denied
    decided_at: datetime | None = None
    decided_by: str | None = None
    decision_reason: str | None = None


class Alert(SQLModel, table=True):
    """What `jiesu escalate` has done about a deadline: warned, marked overdue, escalated a level.

    The unique key makes each action happen once per deadline (and level), however often and
    however concurrently the cron job runs.
    """

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("assignment_id", "deadline", "action", "due", "level", name="uq_alerts_once"),
        Index("ix_alerts_ticket_id", "ticket_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="tickets.id")
    assignment_id: int = Field(foreign_key="assignments.id")
    deadline: str  # accept | contact | finish
    action: str  # warn | overdue | escalate
    due: datetime
    level: int = 0  # the escalation level reached (0 for warn and overdue)
    unit: str | None = None
    at: datetime


class Event(SQLModel, table=True):
    """One step in a ticket's life. Append-only: rows are never updated or deleted."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_ticket_id", "ticket_id", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="tickets.id")
    at: datetime
    operator: str
    action: str
    unit: str | None = None
    note: str | None = None
    data: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON(none_as_null=True)))
    login: str | None = None  # the OS account that ran the command, beside the operator it claimed


class Attachment(SQLModel, table=True):
    """A file that came with a request: voice, image, video or document."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_ticket_id", "ticket_id"),)
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="tickets.id")
    path: str
    size: int
    sha256: str
    media_type: str
    kind: str  # voice | image | video | document
    added_at: datetime


class Publication(SQLModel, table=True):
    """A published assessment period (考评公示): its figures frozen as canonical JSON, chained by hash.

    Append-only like events (triggers refuse UPDATE and DELETE). `content` is the canonical JSON
    text; `hash` = sha256(content + previous_hash), the previous publication's hash ("" for the first).
    """

    __tablename__ = "publications"
    __table_args__ = (
        UniqueConstraint("period", "revision", name="uq_publications_period_revision"),
        Index("ix_publications_start_at", "start_at", "end_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    period: str  # the month's name, YYYY-MM
    revision: int
    start_at: datetime  # the period's UTC bounds [start_at, end_at), for "does this step fall in it"
    end_at: datetime
    rules_sha256: str
    events_count: int
    events_digest: str
    last_event_id: int  # the newest event when it was published: later ones are news to verify
    operator: str
    published_at: datetime
    note: str | None = None
    content: str
    previous_hash: str
    hash: str = Field(unique=True)


class PublishedTicket(SQLModel, table=True):
    """One ticket a publication was computed from: its events' count and digest then (append-only)."""

    __tablename__ = "publication_tickets"
    publication_id: int = Field(foreign_key="publications.id", primary_key=True)
    ticket_id: int = Field(foreign_key="tickets.id", primary_key=True)
    events: int
    digest: str


class Correction(SQLModel, table=True):
    """A step recorded after its period was published (更正): why, by whom, when (append-only).

    The period stays "corrected after publication" until a revision newer than `publication_id`
    is published.
    """

    __tablename__ = "corrections"
    __table_args__ = (Index("ix_corrections_publication_id", "publication_id"),)
    id: int | None = Field(default=None, primary_key=True)
    publication_id: int = Field(foreign_key="publications.id")
    ticket_id: int = Field(foreign_key="tickets.id")
    action: str
    at: datetime  # the step's time, inside the published period
    recorded_at: datetime
    operator: str
    reason: str


class LearnedModelRecord(SQLModel, table=True):
    """A text classifier trained by `jiesu rules learn`, with what it was trained on; the newest
    is the one in use. Rows are never changed: a new training adds a row."""

    __tablename__ = "learned_models"
    id: int | None = Field(default=None, primary_key=True)
    trained_at: datetime
    operator: str
    tickets: int  # labelled tickets it learned from
    labels: list[Any] = Field(sa_column=Column(JSON, nullable=False))  # [[label, tickets], …]
    # cross-validated: {"overall": …, "first_level": …, "per_label": {label: [tested, correct]}}
    accuracy: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    # classes, vocabulary, intercepts, ngram range: what the stdlib predictor needs besides arrays
    model: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    idf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # float32, one per n-gram
    weights: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # float32, class-major
    units: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))  # label → place → unit → tickets
