"""The hand-written floors the benchmarks measure jiesu against: the same work, stdlib only.

    python benchmarks/floors.py intake SOURCE TARGET [BATCH]
    python benchmarks/floors.py report DB START END PREVIOUS_START PREVIOUS_END AS_OF
    python benchmarks/floors.py escalate DB NOW HORIZON [REFERENCE OPERATOR]
    python benchmarks/floors.py escalate-lines DB NOW HORIZON REFERENCE ZONE

Each runs as a process of its own, like `jiesu`, so Python's start-up is counted the same way for
both; it imports nothing but the standard library (sqlite3, json, sys). The benchmark scripts start
it, interleaved with the jiesu command doing the same work, and compare what both produced.

- intake: a fresh case file with jiesu's schema and pragmas (the SQL of SOURCE's own tables and
  indexes), then every row jiesu wrote into SOURCE (tickets, events, assignments, units, counters)
  streamed in batches of BATCH tickets and written with executemany in one transaction: the rows
  exactly, with none of the Python that decides them.
- report: the counts of `jiesu report --month` for the period and the previous one (units'
  assessment, overdue deadlines, the intake overview, volumes by kind, channel, category, street,
  district), printed as JSON.
- escalate: the open steps that are due (in the warning window, past due, lead finishes past due
  below the top of the ladder) fetched as rows, the count of overdue deadlines; with REFERENCE (a
  copy on which `jiesu escalate` ran), the alert and event rows it recorded are written with
  executemany, and the tickets' levels raised, in one transaction: the same actions, with none of
  the Python that decides them. Without REFERENCE: a dry run, nothing written.
- escalate-lines: the dry run above, and then the lines `jiesu escalate --dry-run --format jsonl`
  prints: the actions the run on REFERENCE recorded (its new alerts, in the order written, which is
  the order jiesu lists them), each turned into its JSON line by json.dumps, times in ZONE (the
  rules' timezone). The same output as jiesu's dry run, byte for byte, with none of the Python
  that decides it; the benchmark checks the bytes.
"""

import json
import sqlite3
import sys
from typing import Any

PRAGMAS = (  # what jiesu's engine sets on every SQLite connection (store/engine.py)
    "PRAGMA busy_timeout = 60000",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA cache_size = -65536",
)
OPEN = "('dispatched', 'accepted', 'reopened')"


def intake(source: str, target: str, batch: int = 5000) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = open_database(target, write=True)
    dst.execute("BEGIN IMMEDIATE")
    for (sql,) in src.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"):
        dst.execute(sql)
    dst.execute("COMMIT")
    dst.execute("BEGIN IMMEDIATE")
    for table in ("jiesu_meta", "units"):
        _copy(src, dst, table, f"SELECT * FROM {table}")
    (last,) = src.execute("SELECT coalesce(max(id), 0) FROM tickets").fetchone()
    for low in range(0, last, batch):
        bounds = (low, low + batch)
        _copy(src, dst, "tickets", "SELECT * FROM tickets WHERE id > ? AND id <= ? ORDER BY id", bounds)
        _copy(src, dst, "events", "SELECT * FROM events WHERE ticket_id > ? AND ticket_id <= ? ORDER BY id", bounds)
        _copy(
            src,
            dst,
            "assignments",
            "SELECT * FROM assignments WHERE ticket_id > ? AND ticket_id <= ? ORDER BY id",
            bounds,
        )
    _copy(src, dst, "counters", "SELECT * FROM counters")
    dst.execute("COMMIT")
    dst.close()


def _copy(src: sqlite3.Connection, dst: sqlite3.Connection, table: str, query: str, args: tuple = ()) -> None:
    rows = src.execute(query, args).fetchall()
    if rows:
        dst.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)


# The counts of `jiesu report --month`, as its store/reports.py and store/governance.py define them:
# the lead assignment a unit is held to is its active or closed one; a callback saying nobody came
# overrides the record; tickets the office's own people raised (grid, patrol) are not assessed; a
# resolved ticket a later request repeats counts as a repeat; answered/referred/guided/dispatched
# count each ticket by how it ended; the streets' volumes carry their proactive tickets.
REPORT = {
    "units": """
        SELECT cb.unit, count(*),
               sum(CASE WHEN a.contacted_at IS NOT NULL AND a.contacted_at <= a.contact_due
                         AND cb.contacted IS NOT 0 THEN 1 ELSE 0 END),
               sum(CASE WHEN cb.resolved IS 1 THEN 1 ELSE 0 END),
               sum(CASE WHEN cb.satisfaction = 'satisfied' THEN 1 ELSE 0 END),
               sum(CASE WHEN cb.satisfaction = 'basically' THEN 1 ELSE 0 END),
               sum(CASE WHEN cb.resolved IS 1
                         AND EXISTS (SELECT 1 FROM tickets r WHERE r.repeat_of = cb.ticket_id) THEN 1 ELSE 0 END)
        FROM callbacks cb JOIN tickets t ON t.id = cb.ticket_id
        LEFT JOIN assignments a ON a.ticket_id = cb.ticket_id AND a.role = 'lead'
             AND a.state IN ('active', 'closed') AND coalesce(a.unit, '') = cb.unit
        WHERE cb.closed IS 1 AND cb.reached IS 1 AND cb.at >= :s AND cb.at < :e AND t.exempt IS 0
          AND t.status != 'merged' AND cb.unit IS NOT NULL AND t.channel NOT IN ('grid', 'patrol')
        GROUP BY cb.unit""",
    "overview": """
        SELECT count(*), sum(status = 'answered'), sum(status = 'referred'), sum(status = 'guided'),
               sum(dispatched_at IS NOT NULL AND dispatched_at < :e
                   AND status NOT IN ('answered', 'referred', 'guided')),
               sum(status = 'merged' AND closed_at < :e), sum(urgent IS 1), sum(channel IN ('grid', 'patrol'))
        FROM tickets WHERE created_at >= :s AND created_at < :e""",
    **{
        f"by_{c}": f"SELECT {c}, count(*) FROM tickets WHERE created_at >= :s AND created_at < :e GROUP BY {c}"
        for c in ("kind", "channel", "category", "district")
    },
    "by_street": """
        SELECT street, count(*), sum(channel IN ('grid', 'patrol'))
        FROM tickets WHERE created_at >= :s AND created_at < :e GROUP BY street""",
    "overdue": """
        SELECT unit, contact, finish, still_open FROM (
          SELECT unit,
            sum(contact_due >= :s AND contact_due < :e
                AND ((contacted_at IS NULL AND contact_due < :asof) OR contacted_at > contact_due)) AS contact,
            sum(finish_due >= :s AND finish_due < :e
                AND ((finished_at IS NULL AND finish_due < :asof) OR finished_at > finish_due)) AS finish,
            sum(finish_due >= :s AND finish_due < :e
                AND ((finished_at IS NULL AND finish_due < :asof) OR finished_at > finish_due)
                AND (finished_at IS NULL OR finished_at >= :asof)) AS still_open
          FROM assignments WHERE role = 'lead' AND state IN ('active', 'closed')
            AND ((contact_due >= :s AND contact_due < :e) OR (finish_due >= :s AND finish_due < :e))
          GROUP BY unit) AS per_unit WHERE contact > 0 OR finish > 0""",
}


def for_postgres(sql: str) -> str:
    """The same SQL in PostgreSQL's words: booleans are not numbers there, parameters are %(name)s."""
    import re

    sql = sql.replace("IS NOT 0", "IS NOT FALSE").replace("IS 1", "IS TRUE").replace("IS 0", "IS FALSE")
    sql = re.sub(r"sum\((?!CASE)", "sum_int(", sql)
    while "sum_int(" in sql:  # sum(condition) → sum((condition)::int), balancing parentheses
        start = sql.index("sum_int(") + len("sum_int(")
        depth, end = 1, start
        while depth:
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            end += 1
        sql = sql[: start - len("sum_int(")] + f"sum(({sql[start : end - 1]})::int)" + sql[end:]
    return re.sub(r":(now|horizon|s|e|asof)\b", r"%(\1)s", sql)


def open_database(db: str, *, write: bool = False) -> Any:
    """sqlite3 on a path; psycopg on a postgresql:// URL (each with the SQL above in its words)."""
    if db.startswith("postgresql://"):
        import psycopg

        conn = psycopg.connect(db, autocommit=True)
        conn.execute("SET TIME ZONE 'UTC'")  # the bounds are given as UTC times
        return conn
    conn = sqlite3.connect(db if write else f"file:{db}?mode=ro", uri=not write, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(pragma)
    return conn


def sql_for(conn: Any, sql: str) -> str:
    return sql if isinstance(conn, sqlite3.Connection) else for_postgres(sql)


def report(db: str, start: str, end: str, previous_start: str, previous_end: str, as_of: str) -> None:
    conn = open_database(db)
    out = {}
    for name, (s, e) in {"current": (start, end), "previous": (previous_start, previous_end)}.items():
        out[name] = {
            key: [list(r) for r in conn.execute(sql_for(conn, query), {"s": s, "e": e, "asof": as_of}).fetchall()]
            for key, query in REPORT.items()
            if key != "overdue" or name == "current"  # the report shows the period's overdue deadlines only
        }
    json.dump(out, sys.stdout, ensure_ascii=False)


# The open steps of open tickets' active, unfinished assignments, as `jiesu escalate` reads them.
STEP = (
    """SELECT t.id, t.number, t.version, t.urgent, t.escalation_level, a.id, a.unit, a.role, a.{d}_due, a.assigned_at
 FROM assignments a JOIN tickets t ON t.id = a.ticket_id
 WHERE {state} AND a.finished_at IS NULL AND t.status IN """
    + OPEN
)
STEP_OPEN = {
    "accept": "a.accepted_at IS NULL",
    "contact": "a.role = 'lead' AND a.contacted_at IS NULL",
    "finish": "TRUE",
}
NOT_RECORDED = """NOT EXISTS (SELECT 1 FROM alerts al WHERE al.assignment_id = a.id AND al.deadline = '{d}'
 AND al.action = '{action}' AND al.due = a.{d}_due AND al.level = 0)"""


def escalate(db: str, now: str, horizon: str, reference: str | None = None, operator: str = "cron") -> None:
    conn = open_database(db, write=True)
    if db.startswith("postgresql://"):  # a dry run only: the due rows and the overdue count
        conn.execute("BEGIN")
        found = sum(len(conn.execute(for_postgres(q), {"now": now, "horizon": horizon}).fetchall()) for q in _due(now))
        overdue = conn.execute(for_postgres(OVERDUE), {"now": now}).fetchone()[0]
        conn.execute("COMMIT")
        print(json.dumps({"candidates": found, "overdue_open": overdue}))
        return
    conn.execute("BEGIN IMMEDIATE" if reference else "BEGIN")
    found = sum(len(conn.execute(q, {"now": now, "horizon": horizon}).fetchall()) for q in _due(now))
    overdue = conn.execute(OVERDUE, {"now": now}).fetchone()[0]
    if reference:
        ref = sqlite3.connect(f"file:{reference}?mode=ro", uri=True)
        (before,) = conn.execute("SELECT coalesce(max(id), 0) FROM alerts").fetchone()
        (first,) = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()
        alerts = ref.execute(
            "SELECT ticket_id, assignment_id, deadline, action, due, level, unit, at FROM alerts WHERE id > ?"
            " ORDER BY id",
            (before,),
        ).fetchall()
        conn.executemany(
            "INSERT INTO alerts (ticket_id, assignment_id, deadline, action, due, level, unit, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            alerts,
        )
        events = ref.execute(
            "SELECT ticket_id, at, operator, action, unit, note, data FROM events WHERE id > ? ORDER BY id", (first,)
        ).fetchall()
        conn.executemany(
            "INSERT INTO events (ticket_id, at, operator, action, unit, note, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
            events,
        )
        levels = ref.execute(
            "SELECT escalation_level, coordinator, updated_at, id, version - 1 FROM tickets WHERE updated_at = ?"
            " AND escalation_level > 0",
            (now,),
        ).fetchall()
        conn.executemany(
            "UPDATE tickets SET version = version + 1, escalation_level = ?, coordinator = ?, updated_at = ?"
            " WHERE id = ? AND version = ?",
            levels,
        )
        conn.execute("COMMIT")
    else:
        conn.execute("COMMIT")
    print(json.dumps({"candidates": found, "overdue_open": overdue}))


def escalate_lines(db: str, now: str, horizon: str, reference: str, zone: str) -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    conn = open_database(db)
    conn.execute("BEGIN")
    for q in _due(now):
        conn.execute(q, {"now": now, "horizon": horizon}).fetchall()
    conn.execute(OVERDUE, {"now": now}).fetchone()
    (before,) = conn.execute("SELECT coalesce(max(id), 0) FROM alerts").fetchone()
    conn.execute("COMMIT")
    ref = sqlite3.connect(f"file:{reference}?mode=ro", uri=True)
    actions = ref.execute(
        "SELECT t.number, al.action, al.deadline, al.due, al.unit, al.level, al.at"
        " FROM alerts al JOIN tickets t ON t.id = al.ticket_id WHERE al.id > ? ORDER BY al.id",
        (before,),
    )
    tz = ZoneInfo(zone)

    def local(stored: str) -> str:
        return datetime.fromisoformat(stored).replace(tzinfo=UTC).astimezone(tz).isoformat(timespec="seconds")

    fields = ("number", "action", "deadline", "due", "unit", "level", "at")
    sys.stdout.writelines(
        json.dumps(dict(zip(fields, (n, a, d, local(due), u, lvl, local(at)), strict=True)), ensure_ascii=False) + "\n"
        for n, a, d, due, u, lvl, at in actions
    )


def _due(now: str) -> list[str]:
    """The queries for the due steps: warnings and overdue marks of each deadline, lead finishes."""
    queries = []
    for d, step_open in STEP_OPEN.items():
        warn = STEP.format(d=d, state="a.state = 'active'") + f" AND {step_open} AND a.{d}_due >= :now"
        warn += f" AND a.{d}_due <= :horizon AND " + NOT_RECORDED.format(d=d, action="warn")
        late = STEP.format(d=d, state="a.state || '' = 'active'") + f" AND {step_open} AND a.{d}_due < :now AND "
        late += NOT_RECORDED.format(d=d, action="overdue")
        queries += [warn, late]
    leads = STEP.format(d="finish", state="a.state || '' = 'active'") + " AND a.role = 'lead' AND a.finish_due < :now"
    return [*queries, leads]


OVERDUE = (
    "SELECT coalesce(sum((a.accepted_at IS NULL AND a.accept_due < :now)), 0)"
    " + coalesce(sum((a.role = 'lead' AND a.contacted_at IS NULL AND a.contact_due < :now)), 0)"
    " + coalesce(sum((a.finish_due < :now)), 0)"
    " FROM assignments a JOIN tickets t ON t.id = a.ticket_id"
    f" WHERE a.state || '' = 'active' AND a.finished_at IS NULL AND t.status IN {OPEN}"
)


if __name__ == "__main__":
    which, *args = sys.argv[1:]
    if which == "intake":
        intake(args[0], args[1], *(int(a) for a in args[2:]))
    elif which == "report":
        report(*args)  # type: ignore[arg-type]
    elif which == "escalate":
        escalate(*args)  # type: ignore[arg-type]
    elif which == "escalate-lines":
        escalate_lines(*args)  # type: ignore[arg-type]
    else:
        raise SystemExit(__doc__)
