"""The hand-written floors the benchmarks measure jiesu against: the same work, stdlib only.

    python benchmarks/floors.py intake SOURCE TARGET [BATCH]
    python benchmarks/floors.py report DB START END PREVIOUS_START PREVIOUS_END AS_OF
    python benchmarks/floors.py escalate DB NOW HORIZON [REFERENCE OPERATOR]

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
"""

import json
import sqlite3
import sys

PRAGMAS = (  # what jiesu's engine sets on every SQLite connection (store/engine.py)
    "PRAGMA busy_timeout = 60000",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA cache_size = -65536",
)
OPEN = "('dispatched', 'accepted', 'reopened')"


def connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(pragma)
    return conn


def intake(source: str, target: str, batch: int = 5000) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = connect(target)
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


# The counts of `jiesu report --month`, as its store/reports.py defines them: the lead assignment a
# unit is held to is its active or closed one; a callback saying nobody came overrides the record.
REPORT = {
    "units": """
        SELECT cb.unit, count(*),
               sum(CASE WHEN a.contacted_at IS NOT NULL AND a.contacted_at <= a.contact_due
                         AND cb.contacted IS NOT 0 THEN 1 ELSE 0 END),
               sum(CASE WHEN cb.resolved IS 1 THEN 1 ELSE 0 END),
               sum(CASE WHEN cb.satisfaction = 'satisfied' THEN 1 ELSE 0 END),
               sum(CASE WHEN cb.satisfaction = 'basically' THEN 1 ELSE 0 END)
        FROM callbacks cb JOIN tickets t ON t.id = cb.ticket_id
        LEFT JOIN assignments a ON a.ticket_id = cb.ticket_id AND a.role = 'lead'
             AND a.state IN ('active', 'closed') AND coalesce(a.unit, '') = cb.unit
        WHERE cb.closed IS 1 AND cb.reached IS 1 AND cb.at >= :s AND cb.at < :e AND t.exempt IS 0
          AND t.status != 'merged' AND cb.unit IS NOT NULL
        GROUP BY cb.unit""",
    "overview": """
        SELECT count(*), sum(status = 'answered'), sum(status = 'referred'), sum(dispatched_at IS NOT NULL),
               sum(status = 'merged'), sum(urgent IS 1) FROM tickets WHERE created_at >= :s AND created_at < :e""",
    **{
        f"by_{c}": f"SELECT {c}, count(*) FROM tickets WHERE created_at >= :s AND created_at < :e GROUP BY {c}"
        for c in ("kind", "channel", "category", "street", "district")
    },
    "overdue": """
        SELECT unit, contact, finish, still_open FROM (
          SELECT unit,
            sum(contact_due >= :s AND contact_due < :e
                AND ((contacted_at IS NULL AND contact_due < :asof) OR contacted_at > contact_due)) AS contact,
            sum(finish_due >= :s AND finish_due < :e
                AND ((finished_at IS NULL AND finish_due < :asof) OR finished_at > finish_due)) AS finish,
            sum(finish_due >= :s AND finish_due < :e AND finished_at IS NULL AND finish_due < :asof) AS still_open
          FROM assignments WHERE role = 'lead' AND state IN ('active', 'closed')
            AND ((contact_due >= :s AND contact_due < :e) OR (finish_due >= :s AND finish_due < :e))
          GROUP BY unit) WHERE contact > 0 OR finish > 0""",
}


def report(db: str, start: str, end: str, previous_start: str, previous_end: str, as_of: str) -> None:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.execute("PRAGMA cache_size = -65536")
    out = {}
    for name, (s, e) in {"current": (start, end), "previous": (previous_start, previous_end)}.items():
        out[name] = {
            key: conn.execute(query, {"s": s, "e": e, "asof": as_of}).fetchall()
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
STEP_OPEN = {"accept": "a.accepted_at IS NULL", "contact": "a.role = 'lead' AND a.contacted_at IS NULL", "finish": "1"}
NOT_RECORDED = """NOT EXISTS (SELECT 1 FROM alerts al WHERE al.assignment_id = a.id AND al.deadline = '{d}'
 AND al.action = '{action}' AND al.due = a.{d}_due AND al.level = 0)"""


def escalate(db: str, now: str, horizon: str, reference: str | None = None, operator: str = "cron") -> None:
    conn = connect(db)
    conn.execute("BEGIN IMMEDIATE" if reference else "BEGIN")
    found = 0
    for d, step_open in STEP_OPEN.items():
        warn = STEP.format(d=d, state="a.state = 'active'") + f" AND {step_open} AND a.{d}_due >= :now"
        warn += f" AND a.{d}_due <= :horizon AND " + NOT_RECORDED.format(d=d, action="warn")
        late = STEP.format(d=d, state="a.state || '' = 'active'") + f" AND {step_open} AND a.{d}_due < :now AND "
        late += NOT_RECORDED.format(d=d, action="overdue")
        for query in (warn, late):
            found += len(conn.execute(query, {"now": now, "horizon": horizon}).fetchall())
    leads = STEP.format(d="finish", state="a.state || '' = 'active'") + " AND a.role = 'lead' AND a.finish_due < :now"
    found += len(conn.execute(leads, {"now": now}).fetchall())
    overdue = conn.execute(
        "SELECT sum((a.accepted_at IS NULL AND a.accept_due < :now)"
        " + (a.role = 'lead' AND a.contacted_at IS NULL AND a.contact_due < :now) + (a.finish_due < :now))"
        " FROM assignments a JOIN tickets t ON t.id = a.ticket_id"
        f" WHERE a.state || '' = 'active' AND a.finished_at IS NULL AND t.status IN {OPEN}",
        {"now": now},
    ).fetchone()[0]
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


if __name__ == "__main__":
    which, *args = sys.argv[1:]
    if which == "intake":
        intake(args[0], args[1], *(int(a) for a in args[2:]))
    elif which == "report":
        report(*args)  # type: ignore[arg-type]
    elif which == "escalate":
        escalate(*args)  # type: ignore[arg-type]
    else:
        raise SystemExit(__doc__)
