"""The SQL that finds what `jiesu escalate` must do: the open steps whose deadlines are due, and the
count of what is overdue. It runs on the driver's own connection and imports no SQLAlchemy, so a
dry run on a SQLite case file never loads it (~0.3 s of a run that lists tens of thousands of
actions in ~1.5 s); a real run and PostgreSQL give it the connection of their SQLAlchemy
transaction (`store.escalation.reader`).

Candidates are found over the active unfinished assignments of open tickets (dispatched, accepted,
reopened) and their open steps: accept (not yet accepted), contact (the lead, not yet in touch with
the requester) and finish (not yet finished). What is already recorded in `alerts` is left out in
SQL, so a rerun reads little. Rows come back as the driver's plain tuples and are read in one pass.
"""

import re
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jiesu.domain.enums import Action, AssignmentRole, AssignmentState, Status
from jiesu.domain.escalation import Deadline
from jiesu.store.pragmas import BUSY_TIMEOUT_MS, CACHE_KIB
from jiesu.store.version import SCHEMA_VERSION, VERSION_KEY

SQLITE_HEADER = b"SQLite format 3\x00"
OPEN = f"('{Status.DISPATCHED.value}', '{Status.ACCEPTED.value}', '{Status.REOPENED.value}')"


@dataclass(slots=True)
class OpenStep:
    """An open step of an open ticket's active assignment, with the deadline it must meet.

    Not frozen: a run on a big case file reads tens of thousands, and a frozen dataclass with
    slots is several times slower to build.
    """

    ticket_id: int
    number: str
    version: int
    urgent: bool
    escalation_level: int
    assignment_id: int
    unit: str
    role: str  # lead | co
    due: datetime
    assigned_at: datetime


@dataclass(frozen=True)
class Reader:
    """A driver connection inside an open transaction, and whether it is PostgreSQL's (psycopg)
    or SQLite's (sqlite3)."""

    connection: Any
    postgres: bool

    def rows(self, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """All rows of `sql` (named parameters written `:name`) as the driver's tuples."""
        if self.postgres:
            sql = _NAMED.sub(r"%(\1)s", sql)
            params = {k: v.astimezone(UTC) if isinstance(v, datetime) else v for k, v in params.items()}
        else:  # stored as UTC text: "2025-11-10 02:00:51.000000"
            params = {k: _sqlite_time(v) if isinstance(v, datetime) else v for k, v in params.items()}
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def seconds(self, column: str) -> str:
        """A stored time as seconds since the epoch, in SQL."""
        return f"extract(epoch from {column})" if self.postgres else f"((julianday({column}) - 2440587.5) * 86400.0)"


_NAMED = re.compile(r"(?<!:):(\w+)")


def _sqlite_time(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


@contextmanager
def sqlite_reader(db: str) -> Iterator[Reader | None]:
    """A read transaction on the SQLite case file `db` straight through sqlite3, or None when
    anything is out of the ordinary: a PostgreSQL URL, no file, not a SQLite file, a schema other
    than the current one (it needs an upgrade, which only the full open does). The caller then
    opens the case file the usual way, which says what is wrong or upgrades it."""
    path = Path(db).expanduser()
    if "://" in db or not _is_sqlite_file(path):
        yield None
        return
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")  # what store/engine.py gives a connection
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        conn.execute("BEGIN")
        found = conn.execute("SELECT value FROM jiesu_meta WHERE key = ?", (VERSION_KEY,)).fetchone()
    except sqlite3.Error:
        found = None
    try:
        yield Reader(conn, postgres=False) if found is not None and str(found[0]) == str(SCHEMA_VERSION) else None
    finally:
        conn.close()  # ends the read transaction


def _is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return path.is_file() and file.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


# --- finding candidates -------------------------------------------------------------------------


def steps_to_warn(
    reader: Reader, deadline: Deadline, now: datetime, *, horizon: datetime | None, share: float | None
) -> list[OpenStep]:
    """Open steps due from `now` on and not warned about yet, that may be in their warning window.

    `horizon`: the latest deadline worth a warning (a fixed lead time); else `share`: the window is
    that share of the time between assignment and deadline. The caller decides each exactly.
    """
    due = f"a.{deadline.value}_due"
    sql = _open_steps(deadline, by_ticket=False) + f" AND {due} >= :now AND {_not_recorded(deadline, Action.WARN)}"
    params: dict[str, Any] = {"now": now}
    if horizon is not None:
        sql += f" AND {due} <= :horizon"
        params["horizon"] = horizon
    elif share is not None:  # due - now <= share × (due - assigned_at)
        # a second of slack for floating point; the caller's exact test decides
        sql += f" AND {reader.seconds(due)} * :rest + {reader.seconds('a.assigned_at')} * :share <= :limit"
        params |= {"rest": 1 - share, "share": share, "limit": now.timestamp() + 1}
    return _steps(reader, sql, params)


def overdue_steps(reader: Reader, deadline: Deadline, now: datetime) -> list[OpenStep]:
    """Open steps past their `deadline` and not marked overdue yet."""
    sql = _open_steps(deadline, by_ticket=True) + f" AND a.{deadline.value}_due < :now"
    return _steps(reader, sql + f" AND {_not_recorded(deadline, Action.OVERDUE)}", {"now": now})


def overdue_lead_finishes(reader: Reader, now: datetime, *, tops: Mapping[str, int], usual_top: int) -> list[OpenStep]:
    """Lead assignments past their finish deadline whose tickets are below the top of their ladder.

    `tops`: the top level of each unit whose ladder is not `usual_top` high. Tickets already at the
    top (most overdue ones, in time) are left out here rather than read and skipped.
    """
    params: dict[str, Any] = {"now": now, "usual": usual_top}
    whens = ""
    for i, (unit, level) in enumerate(tops.items()):
        whens += f" WHEN :unit{i} THEN :top{i}"
        params |= {f"unit{i}": unit, f"top{i}": level}
    top = f"CASE a.unit{whens} ELSE :usual END" if whens else ":usual"
    sql = _open_steps(Deadline.FINISH, by_ticket=True)
    sql += f" AND a.role = '{AssignmentRole.LEAD.value}' AND a.finish_due < :now AND t.escalation_level < {top}"
    return _steps(reader, sql, params)


def count_overdue(reader: Reader, now: datetime) -> int:
    """How many deadlines of open tickets are past due with their step not taken (one pass)."""
    late = " + ".join(f"CASE WHEN {_step_open(d)} AND a.{d.value}_due < :now THEN 1 ELSE 0 END" for d in Deadline)
    (found,) = reader.rows(f"SELECT sum({late})" + _open_assignments(by_ticket=True), {"now": now})
    return int(found[0] or 0)


def _open_assignments(*, by_ticket: bool) -> str:
    """FROM and WHERE for the active, unfinished assignments of open tickets.

    `by_ticket`: let the open tickets (index on status) lead the search, for deadlines already
    past. The (state, due) indexes cannot narrow those: a finished assignment stays active, so
    every assignment ever made lies before `now`. Comparing `state || ''` keeps SQLite's planner,
    which has no statistics, off that index; for the next hours' deadlines the index is right.
    """
    state = "a.state || ''" if by_ticket else "a.state"
    return (
        " FROM assignments a JOIN tickets t ON t.id = a.ticket_id"
        f" WHERE {state} = '{AssignmentState.ACTIVE.value}' AND a.finished_at IS NULL AND t.status IN {OPEN}"
    )


def _step_open(deadline: Deadline) -> str:
    """The deadline's step is still to be taken (contacting the requester is the lead's alone)."""
    if deadline is Deadline.ACCEPT:
        return "a.accepted_at IS NULL"
    if deadline is Deadline.CONTACT:
        return f"a.role = '{AssignmentRole.LEAD.value}' AND a.contacted_at IS NULL"
    return "1 = 1"


def _open_steps(deadline: Deadline, *, by_ticket: bool) -> str:
    """Open tickets' active, unfinished assignments whose `deadline` step is still to be taken,
    as the columns of `OpenStep` in its order."""
    columns = "t.id, t.number, t.version, t.urgent, t.escalation_level, a.id, a.unit, a.role"
    columns += f", a.{deadline.value}_due, a.assigned_at"
    return f"SELECT {columns}{_open_assignments(by_ticket=by_ticket)} AND {_step_open(deadline)}"


def _not_recorded(deadline: Deadline, action: Action) -> str:
    """No alert yet for this action on the assignment's current `deadline` (level 0)."""
    return (
        "NOT EXISTS (SELECT 1 FROM alerts al WHERE al.assignment_id = a.id"
        f" AND al.deadline = '{deadline.value}' AND al.action = '{action.value}'"
        f" AND al.due = a.{deadline.value}_due AND al.level = 0)"
    )


def _steps(reader: Reader, sql: str, params: Mapping[str, Any]) -> list[OpenStep]:
    """The open steps `sql` selects (`_open_steps`' columns), read in one pass.

    SQLite keeps the times as UTC text ("2025-11-10 02:00:51.000000", what `UtcDateTime` writes)
    and the flag as 0 or 1; PostgreSQL's driver hands over aware datetimes, in the session's zone,
    and booleans.
    """
    rows = reader.rows(sql, params)
    if reader.postgres:
        return [
            OpenStep(t, n, v, u, lvl, a, unit, role, due.astimezone(UTC), at.astimezone(UTC))
            for t, n, v, u, lvl, a, unit, role, due, at in rows
        ]
    read = datetime.fromisoformat  # the text has no offset: "+00:00" makes it UTC (faster than replace)
    return [
        OpenStep(t, n, v, u == 1, lvl, a, unit, role, read(due + "+00:00"), read(at + "+00:00"))
        for t, n, v, u, lvl, a, unit, role, due, at in rows
    ]
