"""Creating a case file and bringing an older one up to date, in place, in one transaction.

Every command that opens the case file calls `ensure_schema` first. A new file gets the current
schema directly; an older file runs each upgrade step in turn. Steps are written against the
schema of their own version, never against today's models, so an old file upgrades the same way
whenever it is opened.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    inspect,
    text,
)

from jiesu.errors import CaseFileError
from jiesu.store.engine import transaction
from jiesu.store.tables import APPEND_ONLY, METADATA
from jiesu.store.version import SCHEMA_VERSION, VERSION_KEY

OWNER_KEY = "owner"  # the OS login that created the case file (who may reveal by default)


@dataclass(frozen=True)
class Upgrade:
    """The step that brings a case file from `version - 1` to `version`."""

    version: int
    apply: Callable[[Connection], None]


def _add_dispatch(conn: Connection) -> None:
    """Version 2: units, assignments, and each ticket's lead unit and dispatch time."""
    metadata = MetaData()
    units = Table(
        "units",
        metadata,
        Column("code", String, primary_key=True),
        Column("name", String, nullable=False),
        Column("unit_class", String, nullable=False),
        Column("parent", String),
        Column("active", Boolean, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "assignments",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=False),
        Column("unit", String, ForeignKey(units.c.code), nullable=False),
        Column("role", String, nullable=False),
        Column("state", String, nullable=False),
        Column("rule", String),
        Column("assigned_at", DateTime(timezone=True), nullable=False),
        Column("accept_due", DateTime(timezone=True), nullable=False),
        Column("contact_due", DateTime(timezone=True), nullable=False),
        Column("finish_due", DateTime(timezone=True), nullable=False),
        Index("ix_assignments_ticket_id", "ticket_id", "role", "state"),
        Index("ix_assignments_unit_state", "unit", "state"),
        Index("ix_assignments_state_finish_due", "state", "finish_due"),
    )
    Table("tickets", metadata, Column("id", Integer, primary_key=True))  # for the foreign key
    metadata.create_all(conn, tables=[metadata.tables["units"], metadata.tables["assignments"]])
    timestamp = DateTime(timezone=True).compile(dialect=conn.dialect)
    conn.exec_driver_sql("ALTER TABLE tickets ADD COLUMN lead_unit VARCHAR")
    conn.exec_driver_sql(f"ALTER TABLE tickets ADD COLUMN dispatched_at {timestamp}")
    conn.exec_driver_sql("CREATE INDEX ix_tickets_lead_unit_created_at ON tickets (lead_unit, created_at)")


def _add_handling(conn: Connection) -> None:
    """Version 3: the steps of handling (accept, contact, finish, …), callbacks, extensions, appeals."""
    timestamp = DateTime(timezone=True).compile(dialect=conn.dialect)
    boolean = Boolean().compile(dialect=conn.dialect)
    false = "false" if conn.dialect.name == "postgresql" else "0"
    for column, kind in [
        ("report_due", timestamp),
        ("accepted_at", timestamp),
        ("contacted_at", timestamp),
        ("finished_at", timestamp),
        ("result", "VARCHAR"),
        ("ended_at", timestamp),
    ]:
        conn.exec_driver_sql(f"ALTER TABLE assignments ADD COLUMN {column} {kind}")
    conn.exec_driver_sql(f"ALTER TABLE tickets ADD COLUMN supervised {boolean} NOT NULL DEFAULT {false}")
    conn.exec_driver_sql("ALTER TABLE tickets ADD COLUMN merged_into INTEGER REFERENCES tickets (id)")
    conn.exec_driver_sql("ALTER TABLE tickets ADD COLUMN reopen_count INTEGER NOT NULL DEFAULT 0")
    conn.exec_driver_sql(f"ALTER TABLE tickets ADD COLUMN exempt {boolean} NOT NULL DEFAULT {false}")
    conn.exec_driver_sql("CREATE INDEX ix_tickets_requester_phone_created_at ON tickets (requester_phone, created_at)")
    metadata = MetaData()
    Table("tickets", metadata, Column("id", Integer, primary_key=True))
    Table(
        "callbacks",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=False),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("operator", String, nullable=False),
        Column("unit", String),
        Column("reached", Boolean, nullable=False),
        Column("contacted", Boolean),
        Column("resolved", Boolean),
        Column("satisfaction", String),
        Column("closed", Boolean, nullable=False),
        Column("note", String),
        Index("ix_callbacks_ticket_id", "ticket_id"),
        Index("ix_callbacks_at", "at"),
    )
    Table(
        "requests",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=False),
        Column("kind", String, nullable=False),
        Column("unit", String, nullable=False),
        Column("requested_at", DateTime(timezone=True), nullable=False),
        Column("requested_by", String, nullable=False),
        Column("reason", String, nullable=False),
        Column("until", DateTime(timezone=True)),
        Column("state", String, nullable=False),
        Column("decided_at", DateTime(timezone=True)),
        Column("decided_by", String),
        Column("decision_reason", String),
        Index("ix_requests_ticket_id", "ticket_id"),
    )
    metadata.create_all(conn, tables=[metadata.tables["callbacks"], metadata.tables["requests"]])


def _add_escalation(conn: Connection) -> None:
    """Version 4: escalation alerts (once per deadline), each ticket's escalation level and coordinator."""
    conn.exec_driver_sql("ALTER TABLE tickets ADD COLUMN escalation_level INTEGER NOT NULL DEFAULT 0")
    conn.exec_driver_sql("ALTER TABLE tickets ADD COLUMN coordinator VARCHAR REFERENCES units (code)")
    conn.exec_driver_sql("CREATE INDEX ix_assignments_state_accept_due ON assignments (state, accept_due)")
    conn.exec_driver_sql("CREATE INDEX ix_assignments_state_contact_due ON assignments (state, contact_due)")
    metadata = MetaData()
    Table("tickets", metadata, Column("id", Integer, primary_key=True))
    Table("assignments", metadata, Column("id", Integer, primary_key=True))
    alerts = Table(
        "alerts",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=False),
        Column("assignment_id", Integer, ForeignKey("assignments.id"), nullable=False),
        Column("deadline", String, nullable=False),
        Column("action", String, nullable=False),
        Column("due", DateTime(timezone=True), nullable=False),
        Column("level", Integer, nullable=False),
        Column("unit", String),
        Column("at", DateTime(timezone=True), nullable=False),
        UniqueConstraint("assignment_id", "deadline", "action", "due", "level", name="uq_alerts_once"),
        Index("ix_alerts_ticket_id", "ticket_id"),
    )
    metadata.create_all(conn, tables=[alerts])


def _end_assignments_of_closed_tickets(conn: Connection) -> None:
    """Version 5: closing a ticket ends its assignments; end those that earlier versions left active.

    A closed ticket's end as "closed" at its closing time (the lead's is still assessed); a merged,
    referred or answered ticket's as "ended". No table changes shape.
    """
    closed_at = "(SELECT t.closed_at FROM tickets t WHERE t.id = assignments.ticket_id)"
    conn.exec_driver_sql(
        f"UPDATE assignments SET state = 'closed', ended_at = {closed_at} "
        "WHERE state = 'active' AND ticket_id IN (SELECT id FROM tickets WHERE status = 'closed')"
    )
    conn.exec_driver_sql(
        f"UPDATE assignments SET state = 'ended', ended_at = {closed_at} "
        "WHERE state = 'active' "
        "AND ticket_id IN (SELECT id FROM tickets WHERE status IN ('merged', 'referred', 'answered'))"
    )


def _add_publications(conn: Connection) -> None:
    """Version 6: published periods chained by hash, the tickets each was computed from, corrections
    after publication, each ticket's `repeat_of` (重复诉求); events and these tables become
    append-only in the database itself."""
    # Each part only if missing: a file whose recorded version was set back (by hand, or a test
    # of older files) runs this step again over its own tables.
    if "repeat_of" not in {c["name"] for c in inspect(conn).get_columns("tickets")}:
        conn.exec_driver_sql("ALTER TABLE tickets ADD COLUMN repeat_of INTEGER REFERENCES tickets (id)")
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_tickets_repeat_of ON tickets (repeat_of)")
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_tickets_address_created_at ON tickets (address, created_at)")
    metadata = MetaData()
    Table("tickets", metadata, Column("id", Integer, primary_key=True))
    stamp = DateTime(timezone=True)
    publications = Table(
        "publications",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("period", String, nullable=False),
        Column("revision", Integer, nullable=False),
        Column("start_at", stamp, nullable=False),
        Column("end_at", stamp, nullable=False),
        Column("rules_sha256", String, nullable=False),
        Column("events_count", Integer, nullable=False),
        Column("events_digest", String, nullable=False),
        Column("last_event_id", Integer, nullable=False),
        Column("operator", String, nullable=False),
        Column("published_at", stamp, nullable=False),
        Column("note", String),
        Column("content", String, nullable=False),
        Column("previous_hash", String, nullable=False),
        Column("hash", String, nullable=False, unique=True),
        UniqueConstraint("period", "revision", name="uq_publications_period_revision"),
        Index("ix_publications_start_at", "start_at", "end_at"),
    )
    published_tickets = Table(
        "publication_tickets",
        metadata,
        Column("publication_id", Integer, ForeignKey("publications.id"), primary_key=True),
        Column("ticket_id", Integer, ForeignKey("tickets.id"), primary_key=True),
        Column("events", Integer, nullable=False),
        Column("digest", String, nullable=False),
    )
    corrections = Table(
        "corrections",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("publication_id", Integer, ForeignKey("publications.id"), nullable=False),
        Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=False),
        Column("action", String, nullable=False),
        Column("at", stamp, nullable=False),
        Column("recorded_at", stamp, nullable=False),
        Column("operator", String, nullable=False),
        Column("reason", String, nullable=False),
        Index("ix_corrections_publication_id", "publication_id"),
    )
    metadata.create_all(conn, tables=[publications, published_tickets, corrections], checkfirst=True)
    _append_only(conn, ("events", "publications", "publication_tickets", "corrections"))


def _append_only(conn: Connection, tables: tuple[str, ...]) -> None:
    """Triggers that refuse UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) on these tables."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION jiesu_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION USING MESSAGE = "
            "'jiesu: ' || TG_TABLE_NAME || ' is append-only (' || TG_OP || ' refused)'; END $$"
        )
        for table in tables:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            conn.exec_driver_sql(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION jiesu_append_only()"
            )
            conn.exec_driver_sql(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION jiesu_append_only()"
            )
        return
    for table in tables:
        for operation in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'jiesu: {table} is append-only ({operation} refused)'); END"
            )


def _columns(conn: Connection, table: str) -> set[str]:
    """The names of a table's columns as the database has them now."""
    return {column["name"] for column in inspect(conn).get_columns(table)}


def _add_guidance_and_places(conn: Connection) -> None:
    """Version 7: the kind of guidance of a guided ticket (market | social), and an index to find
    each community's latest ticket (zero-request communities) without reading the whole table.

    A file whose version was set back by hand may have them already; they are kept."""
    if "guided_to" not in _columns(conn, "tickets"):
        conn.exec_driver_sql("ALTER TABLE tickets ADD COLUMN guided_to VARCHAR")
    conn.exec_driver_sql(
        "CREATE INDEX IF NOT EXISTS ix_tickets_community_created_at ON tickets (community, created_at)"
    )


def _add_audit_logins(conn: Connection) -> None:
    """Version 9: each event records the OS login that ran the command beside the operator it
    claimed (`--operator` is free text); events recorded before have none (NULL). The case file
    records its owner, who may reveal when the rules file names no revealers: for a SQLite file
    the account that owns the file; a PostgreSQL database has no such account, and records none.

    A file whose version was set back by hand may have the column or the owner already; they are kept.
    """
    if "login" not in {column["name"] for column in inspect(conn).get_columns("events")}:
        conn.exec_driver_sql("ALTER TABLE events ADD COLUMN login VARCHAR")
    path = conn.engine.url.database
    if conn.dialect.name == "sqlite" and path and read_owner(conn) is None:
        from pathlib import Path

        from jiesu.store.files import owner_of

        _write_meta(conn, OWNER_KEY, owner_of(Path(path)))


def _add_learning(conn: Connection) -> None:
    """Version 8: learned dispatch suggestions: where each ticket's category came from, the
    suggestion shown for it, and the trained models.

    A category of an older file is taken as a rule's when a rule dispatched or referred the ticket
    (the file does not say whether the clerk had given it), else as given at intake: the learning
    then never trains on what may have been a rule's guess. A file whose version was set back by
    hand may have the columns already; they are kept, and only categories without a source get one.
    """
    present = _columns(conn, "tickets")
    if "category_source" not in present:
        conn.exec_driver_sql("ALTER TABLE tickets ADD COLUMN category_source VARCHAR")
    if "suggestion" not in present:
        json_type = JSON().compile(dialect=conn.dialect)
        conn.exec_driver_sql(f"ALTER TABLE tickets ADD COLUMN suggestion {json_type}")
    conn.exec_driver_sql(
        "UPDATE tickets SET category_source = CASE "
        "WHEN status = 'referred' OR id IN (SELECT ticket_id FROM assignments WHERE rule IS NOT NULL) "
        "THEN 'rule' ELSE 'given' END WHERE category IS NOT NULL AND category_source IS NULL"
    )
    if inspect(conn).has_table("learned_models"):
        return
    metadata = MetaData()
    learned = Table(
        "learned_models",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("trained_at", DateTime(timezone=True), nullable=False),
        Column("operator", String, nullable=False),
        Column("tickets", Integer, nullable=False),
        Column("labels", JSON, nullable=False),
        Column("accuracy", JSON, nullable=False),
        Column("model", JSON, nullable=False),
        Column("idf", LargeBinary, nullable=False),
        Column("weights", LargeBinary, nullable=False),
        Column("units", JSON, nullable=False),
    )
    metadata.create_all(conn, tables=[learned])


# Version 1 is the first released schema; each later version appends its step here.
UPGRADES: tuple[Upgrade, ...] = (
    Upgrade(2, _add_dispatch),
    Upgrade(3, _add_handling),
    Upgrade(4, _add_escalation),
    Upgrade(5, _end_assignments_of_closed_tickets),
    Upgrade(6, _add_publications),
    Upgrade(7, _add_guidance_and_places),
    Upgrade(8, _add_learning),
    Upgrade(9, _add_audit_logins),
)


def read_version(conn: Connection) -> int | None:
    """The schema version stored in the case file, or None for an empty database."""
    if not inspect(conn).has_table("jiesu_meta"):
        return None
    value = conn.execute(
        text("SELECT value FROM jiesu_meta WHERE key = :key"), {"key": VERSION_KEY}
    ).scalar_one_or_none()
    return int(value) if value is not None else None


def read_owner(conn: Connection) -> str | None:
    """The OS login recorded as the case file's owner, or None (a PostgreSQL database upgraded
    from before version 9, or one created without an owner)."""
    value = conn.execute(text("SELECT value FROM jiesu_meta WHERE key = :key"), {"key": OWNER_KEY}).scalar()
    return None if value is None else str(value)


def _write_version(conn: Connection, version: int) -> None:
    _write_meta(conn, VERSION_KEY, str(version))


def _write_meta(conn: Connection, key: str, value: str) -> None:
    updated = conn.execute(text("UPDATE jiesu_meta SET value = :value WHERE key = :key"), {"key": key, "value": value})
    if updated.rowcount == 0:
        conn.execute(text("INSERT INTO jiesu_meta (key, value) VALUES (:key, :value)"), {"key": key, "value": value})


def ensure_schema(engine: Engine, *, owner: str | None = None) -> int:
    """Create or upgrade the case file's schema; returns the version it had before (0 for new).

    A new case file records `owner` (the OS login creating it) as its owner."""
    with transaction(engine, write=False) as conn:
        found = read_version(conn)
    if found == SCHEMA_VERSION:
        return found
    _refuse_newer(found)
    with transaction(engine, write=True) as conn:
        found = read_version(conn)  # another process may have done it while we waited
        _refuse_newer(found)
        if found is None:
            _create_current(conn)
            if owner is not None:
                _write_meta(conn, OWNER_KEY, owner)
            return 0
        for upgrade in UPGRADES:
            if upgrade.version > found:
                upgrade.apply(conn)
        _write_version(conn, SCHEMA_VERSION)
        return found


def _refuse_newer(found: int | None) -> None:
    if found is not None and found > SCHEMA_VERSION:
        raise CaseFileError(
            f"the case file has schema version {found}, newer than this jiesu understands "
            f"({SCHEMA_VERSION}); upgrade jiesu to open it"
        )


def _create_current(conn: Connection) -> None:
    if inspect(conn).get_table_names():
        raise CaseFileError("the database is not a jiesu case file (it has tables of another program); check --db")
    METADATA.create_all(conn)
    _append_only(conn, APPEND_ONLY)
    _write_version(conn, SCHEMA_VERSION)
