"""`jiesu escalate` on a big case file, beside a hand-written SQL query that finds the same deadlines.

    python benchmarks/bench_escalate.py [--tickets 1000000] [--open 50000] [--open-days 5]

Builds a case file of N generated requests (benchmarks/common.py), taken in and dispatched by the
sample district rules with `import_file`. The M open ones were taken in over the last D days
before the clock (Fri 2025-11-14 10:00, Beijing), the others over the year before; those others
are then closed with bulk SQL (every step taken, status closed). Of the open ones, nine in ten
have accepted and contacted once that deadline passed; the rest have not. So their deadlines lie
around the clock: some ahead, some in the 2-hour warning window, some past, a few long past
(escalated). A larger D leaves a bigger backlog: more overdue deadlines and levels to record.

Then it times, each as a whole process:
- the hand-written query (Python's sqlite3): the open steps of open tickets that are past due or
  within the 2-hour warning window, and the overdue lead finish deadlines (escalation candidates);
- `jiesu escalate --format jsonl > /dev/null`: the first run, which records every action;
- the same command again at the same clock (adds nothing), and ten minutes later.
"""

import argparse
import csv
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BEIJING, COLUMNS, generate_rows

SAMPLE_RULES = Path(__file__).resolve().parents[1] / "sample_data" / "dongcheng.toml"
OPEN = "('dispatched', 'accepted', 'reopened')"
CLOCK = datetime(2025, 11, 14, 10, 0, tzinfo=BEIJING)  # a Friday


def intake_times(tickets: int, open_tickets: int, open_days: float) -> Iterator[datetime]:
    """Oldest first: the closed ones over the year before, the open ones over the last `open_days`."""
    recent = CLOCK - timedelta(days=open_days)
    closed = tickets - open_tickets
    for i in range(closed):
        yield recent - timedelta(days=365) + timedelta(days=365) * i / max(closed, 1)
    for i in range(open_tickets):
        yield recent + (CLOCK - timedelta(minutes=1) - recent) * i / max(open_tickets, 1)


def write_requests(path: Path, tickets: int, open_tickets: int, open_days: float) -> None:
    """The generated requests as CSV, with these intake times."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        times = intake_times(tickets, open_tickets, open_days)
        for row, moment in zip(generate_rows(tickets), times, strict=True):
            row[1] = moment.isoformat(timespec="seconds")
            writer.writerow(row)


def build(db: Path, tickets: int, open_tickets: int, open_days: float, folder: Path) -> None:
    """The case file: every request taken in and dispatched, all but the open ones closed."""
    from jiesu.services.context import Office
    from jiesu.services.importing import import_file

    csv_path = folder / "requests.csv"
    started = time.perf_counter()
    write_requests(csv_path, tickets, open_tickets, open_days)
    office = Office(db=str(db), rules_path=SAMPLE_RULES, now=CLOCK.astimezone(UTC), operator="bench", create=True)
    summary = import_file(office, csv_path)
    office.engine.dispose()
    print(f"took in and dispatched {summary.created:,} tickets in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    close_all_but(db, open_tickets, CLOCK.astimezone(UTC))
    print(f"closed all but the {open_tickets:,} most recent in {time.perf_counter() - started:.1f} s")


def close_all_but(db: Path, open_tickets: int, now: datetime) -> None:
    """Close every ticket but the `open_tickets` most recent; nine in ten of those have accepted
    and contacted when their deadline for it has passed."""
    stamp = now.replace(tzinfo=None).isoformat(" ", "microseconds")
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    (cut,) = conn.execute("SELECT max(id) - ? FROM tickets", (open_tickets,)).fetchone()
    conn.execute(
        "UPDATE assignments SET accepted_at = assigned_at, contacted_at = assigned_at, finished_at = assigned_at,"
        " result = 'resolved' WHERE ticket_id <= ?",
        (cut,),
    )
    conn.execute(
        f"UPDATE tickets SET status = 'closed', closed_at = created_at, version = version + 1 "
        f"WHERE id <= ? AND status IN {OPEN}",
        (cut,),
    )
    conn.execute(
        "UPDATE assignments SET accepted_at = assigned_at WHERE ticket_id > ? AND ticket_id % 10 != 0"
        " AND accept_due < ?",
        (cut, stamp),
    )
    conn.execute(
        "UPDATE assignments SET contacted_at = assigned_at WHERE ticket_id > ? AND ticket_id % 10 != 0"
        " AND role = 'lead' AND accepted_at IS NOT NULL AND contact_due < ?",
        (cut, stamp),
    )
    conn.execute(
        "UPDATE tickets SET status = 'accepted' WHERE status = 'dispatched' AND id IN ("
        " SELECT ticket_id FROM assignments WHERE ticket_id > ? AND role = 'lead' AND accepted_at IS NOT NULL)",
        (cut,),
    )
    conn.execute("COMMIT")
    conn.close()


# `+a.state`: SQLite has no statistics and would walk the (state, due) index, which holds every
# assignment ever made (finished ones stay active); the open tickets should lead.
HAND_WRITTEN = f"""
WITH steps AS (
  SELECT 'accept' AS deadline, a.role, a.accept_due AS due FROM tickets t JOIN assignments a ON a.ticket_id = t.id
   WHERE t.status IN {OPEN} AND +a.state = 'active' AND a.finished_at IS NULL AND a.accepted_at IS NULL
  UNION ALL
  SELECT 'contact', a.role, a.contact_due FROM tickets t JOIN assignments a ON a.ticket_id = t.id
   WHERE t.status IN {OPEN} AND +a.state = 'active' AND a.finished_at IS NULL AND a.role = 'lead'
     AND a.contacted_at IS NULL
  UNION ALL
  SELECT 'finish', a.role, a.finish_due FROM tickets t JOIN assignments a ON a.ticket_id = t.id
   WHERE t.status IN {OPEN} AND +a.state = 'active' AND a.finished_at IS NULL
)
SELECT sum(due < :now), sum(due >= :now AND due <= :horizon), sum(deadline = 'finish' AND role = 'lead' AND due < :now)
FROM steps WHERE due <= :horizon
"""


def hand_written(db: Path, now: datetime) -> tuple[float, tuple[int, int, int]]:
    """The candidate deadlines by plain SQL: (overdue, in the warning window, overdue lead finishes)."""
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    stamp = now.replace(tzinfo=None).isoformat(" ", "microseconds")
    horizon = (now + timedelta(hours=2)).replace(tzinfo=None).isoformat(" ", "microseconds")
    row = conn.execute(HAND_WRITTEN, {"now": stamp, "horizon": horizon}).fetchone()
    conn.close()
    return time.perf_counter() - started, tuple(int(v or 0) for v in row)  # type: ignore[return-value]


def run_escalate(db: Path, now: datetime) -> float:
    """One `jiesu escalate` process, output to /dev/null; its wall time."""
    command = [sys.executable, "-m", "jiesu", "--db", str(db), "--rules", str(SAMPLE_RULES)]
    command += ["--now", now.astimezone(BEIJING).isoformat(), "--operator", "cron", "escalate", "--format", "jsonl"]
    started = time.perf_counter()
    with open("/dev/null", "w") as sink:
        subprocess.run(command, check=True, stdout=sink)
    return time.perf_counter() - started


def alert_counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    counts = dict(conn.execute("SELECT action, count(*) FROM alerts GROUP BY action").fetchall())
    events = conn.execute("SELECT count(*) FROM events WHERE action IN ('warn', 'overdue', 'escalate')").fetchone()[0]
    conn.close()
    return {**counts, "events": events}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=50_000, dest="open_tickets")
    parser.add_argument("--open-days", type=float, default=5.0, help="the open ones came in over this many days")
    parser.add_argument("--keep", help="build the case file here and keep it (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jiesu-bench-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "escalate.db"
        db.unlink(missing_ok=True)
        build(db, args.tickets, args.open_tickets, args.open_days, folder)
        now = CLOCK.astimezone(UTC)
        print(f"clock: {CLOCK.isoformat()}; {args.open_tickets:,} open tickets taken in over {args.open_days:g} days")
        seconds, (overdue, warn, leads) = hand_written(db, now)
        print(
            f"hand-written SQL (sqlite3)         {seconds:6.2f} s  {overdue:,} overdue deadlines, {warn:,} in the "
            f"warning window, {leads:,} overdue lead finishes (escalation candidates)"
        )
        first = run_escalate(db, now)
        counts = alert_counts(db)
        actions = sum(v for k, v in counts.items() if k != "events")
        print(
            f"jiesu escalate, first run          {first:6.2f} s  {actions:,} actions: {counts.get('warn', 0):,} warn, "
            f"{counts.get('overdue', 0):,} overdue, {counts.get('escalate', 0):,} escalate; {counts['events']:,} events"
        )
        distinct = _escalated_tickets(db)
        print(f"  escalated {distinct:,} of the {leads:,} candidate tickets (the others are within their first period)")
        if (counts.get("overdue", 0), counts.get("warn", 0)) != (overdue, warn):
            print("  MISMATCH: jiesu's warn/overdue actions differ from the hand-written query's deadlines")
        again = run_escalate(db, now)
        print(f"jiesu escalate, same clock again   {again:6.2f} s  {_added(db, counts):,} actions added")
        counts = alert_counts(db)
        later = run_escalate(db, now + timedelta(minutes=10))
        print(f"jiesu escalate, ten minutes later  {later:6.2f} s  {_added(db, counts):,} actions added")


def _escalated_tickets(db: Path) -> int:
    conn = sqlite3.connect(db)
    (count,) = conn.execute("SELECT count(DISTINCT ticket_id) FROM alerts WHERE action = 'escalate'").fetchone()
    conn.close()
    return int(count)


def _added(db: Path, before: dict[str, int]) -> int:
    after = alert_counts(db)
    return after["events"] - before["events"]


if __name__ == "__main__":
    main()
