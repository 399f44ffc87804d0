"""The SQL of `jiesu escalate` that writes: the alerts and events that record what was done about
due deadlines, and the tickets' escalation levels; and `reader`, which hands store/due.py (the SQL
that finds what is due, without SQLAlchemy) the driver connection of a SQLAlchemy transaction.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select

from jiesu.store.bulk import BulkInsert
from jiesu.store.due import Reader
from jiesu.store.engine import CaseConnection
from jiesu.store.tables import ALERTS, EVENT_INSERT_COLUMNS, EVENTS, TICKETS

ALERT_COLUMNS = ("ticket_id", "assignment_id", "deadline", "action", "due", "level", "unit", "at")
AlertKey = tuple[int, str, str, int]  # (assignment, deadline, action, level): one per action in a run


@dataclass(frozen=True, slots=True)
class LevelUp:
    """A ticket's new escalation level and coordinator, if it is still at `expected_version`."""

    ticket_id: int
    expected_version: int
    level: int
    coordinator: str


def reader(conn: CaseConnection) -> Reader:
    """The transaction's own driver connection, for store/due.py's queries (they see what it sees)."""
    return Reader(conn.connection.driver_connection, postgres=conn.dialect.name == "postgresql")


# --- recording ----------------------------------------------------------------------------------


def alert_row(
    *,
    ticket_id: int,
    assignment_id: int,
    deadline: str,
    action: str,
    due: datetime,
    level: int,
    unit: str,
    at: datetime,
) -> dict[str, Any]:
    """A row of `alerts`: one action about one deadline (and level), recorded once."""
    return {
        "ticket_id": ticket_id,
        "assignment_id": assignment_id,
        "deadline": deadline,
        "action": action,
        "due": due,
        "level": level,
        "unit": unit,
        "at": at,
    }


def insert_alerts(conn: CaseConnection, rows: Sequence[Mapping[str, Any]]) -> set[AlertKey]:
    """Insert the alert rows with ON CONFLICT DO NOTHING; the keys of the rows that are new.

    Under the write lock nobody else inserts alerts and recorded ones were not selected, so every
    row is normally new: the row count says so, and only otherwise are the new rows read back
    (those above the largest id before the insert). One prepared statement for all rows: the
    first run on a big case file records tens of thousands.
    """
    if not rows:
        return set()
    before = conn.execute(select(func.coalesce(func.max(ALERTS.c.id), 0))).scalar_one()
    added = BulkInsert(conn, ALERTS, ALERT_COLUMNS, skip_existing=True).execute(rows)
    if added == len(rows):
        return {(r["assignment_id"], r["deadline"], r["action"], r["level"]) for r in rows}
    key = (ALERTS.c.assignment_id, ALERTS.c.deadline, ALERTS.c.action, ALERTS.c.level)
    return {(r[0], r[1], r[2], r[3]) for r in conn.execute(select(*key).where(ALERTS.c.id > before))}


def append_events(conn: CaseConnection, rows: Iterable[Mapping[str, Any]]) -> None:
    """Append the alerts' events to their tickets' histories (rows as `store.rows.event_row` builds)."""
    BulkInsert(conn, EVENTS, EVENT_INSERT_COLUMNS).execute(rows)


def raise_levels(conn: CaseConnection, levels: Sequence[LevelUp], *, now: datetime) -> int:
    """Record each ticket's new level and coordinator (the lead unit stays the lead), bumping its
    version; returns how many tickets were still at the version expected."""
    if not levels:
        return 0
    t = TICKETS
    statement = (
        t.update()
        .where(t.c.id == bindparam("ticket"), t.c.version == bindparam("expected"))
        .values(
            version=bindparam("expected") + 1,
            escalation_level=bindparam("level"),
            coordinator=bindparam("coordinator"),
            updated_at=now,
        )
    )
    params = [
        {"ticket": x.ticket_id, "expected": x.expected_version, "level": x.level, "coordinator": x.coordinator}
        for x in levels
    ]
    return int(conn.execute(statement, params).rowcount)
