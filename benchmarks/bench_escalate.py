"""`jiesu escalate` on a big case file, beside a hand-written SQL query that finds the same deadlines.

    python benchmarks/bench_escalate.py [--tickets 1000000] [--open 50000] [--open-days 5]

Builds a case file of N generated requests (benchmarks/common.py), taken in and dispatched by the
sample district rules with `import_file`. The M open ones were taken in over the last D days
before the clock (Fri 2025-11-14 10:00, Beijing), the others over the year before; those others
are then closed with bulk SQL (every step taken, status closed). Of the open ones, nine in ten
have accepted and contacted once that deadline passed; the rest have not. So their deadlines lie
around the clock: some ahead, some in the 2-hour warning window, some past, a few long past
(escalated). A larger D leaves a bigger backlog: more overdue deadlines and levels to record.

First jiesu runs once on a copy (the reference): the actions it records are what the floors print
and write. Then it times, in interleaved rounds, whole processes doing the same work:
- dry run: `jiesu escalate --dry-run --format jsonl` against `floors.py escalate` without a
  reference: the due steps fetched as rows by hand-written SQL (stdlib sqlite3), the overdue count
  (the target's floor); and against `floors.py escalate-lines`, which also prints jiesu's lines
  (the reference's actions, each through json.dumps), checked byte for byte against jiesu's output;
- real run, each on a fresh copy of the case file: `jiesu escalate --format jsonl` against
  `floors.py escalate` with a reference: the same rows fetched, then the very alert and event rows
  jiesu recorded (read from jiesu's first run) written with executemany and the tickets' levels
  raised, in one transaction: the same actions with none of the Python that decides them.
It prints median and min, the ratios (targets: dry run ≤ 2×, real run ≤ 2.5×), checks that both
wrote the same rows and that the dry run lists what the real run recorded; then one rerun at the
same clock (adds nothing) and one ten minutes later.
"""

import argparse
import csv
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    BEIJING,
    COLUMNS,
    Timed,
    bench_env,
    generate_rows,
    interleaved,
    print_ratio_table,
    run_process,
    summary,
    verdict,
)

HERE = Path(__file__).resolve().parent
SAMPLE_RULES = HERE.parent / "sample_data" / "dongcheng.toml"
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


def run_escalate(db: Path, now: datetime, *extra: str) -> Timed:
    """One `jiesu escalate` process (`extra`: e.g. --dry-run); its time and output."""
    command = [sys.executable, "-m", "jiesu", "--db", str(db), "--rules", str(SAMPLE_RULES)]
    command += ["--now", now.astimezone(BEIJING).isoformat(), "--operator", "cron", "escalate", *extra]
    return run_process([*command, "--format", "jsonl"], env=bench_env())


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def floor_command(db: Path, now: datetime, reference: Path | None = None) -> list[str]:
    horizon = now + timedelta(hours=2)  # the sample rules warn 2 hours ahead (the default)
    command = [sys.executable, str(HERE / "floors.py"), "escalate", str(db), stamp(now), stamp(horizon)]
    return command + ([str(reference), "cron"] if reference else [])


FETCH = "floor (due rows by hand SQL)"
LINES = "floor (due rows + the lines)"


def lines_command(db: Path, now: datetime, reference: Path) -> list[str]:
    """`floors.py escalate-lines`: the due rows fetched, then jiesu's lines printed from what its run recorded."""
    horizon = now + timedelta(hours=2)
    zone = "Asia/Shanghai"  # the sample rules' timezone
    return [
        sys.executable,
        str(HERE / "floors.py"),
        "escalate-lines",
        str(db),
        stamp(now),
        stamp(horizon),
        str(reference),
        zone,
    ]


def ratio(results: dict[str, list[Timed]], name: str, floor: str) -> tuple[float, float]:
    """`name`'s median wall and CPU time over `floor`'s."""
    (wall, _), (cpu, _) = summary(results[name]), summary(results[name], cpu=True)
    (base, _), (base_cpu, _) = summary(results[floor]), summary(results[floor], cpu=True)
    return wall / base, cpu / base_cpu


def written(db: Path, alerts_before: int, events_before: int) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """The alerts and events a run added and the tickets it raised, without their ids."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    alerts = conn.execute(
        "SELECT ticket_id, assignment_id, deadline, action, due, level, unit, at FROM alerts WHERE id > ? ORDER BY id",
        (alerts_before,),
    ).fetchall()
    events = conn.execute(
        "SELECT ticket_id, at, operator, action, unit, note, data FROM events WHERE id > ? ORDER BY id",
        (events_before,),
    ).fetchall()
    raised = conn.execute(
        "SELECT id, version, escalation_level, coordinator, updated_at FROM tickets WHERE escalation_level > 0"
        " ORDER BY id"
    ).fetchall()
    conn.close()
    return alerts, events, raised


def alert_counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    counts = dict(conn.execute("SELECT action, count(*) FROM alerts GROUP BY action").fetchall())
    events = conn.execute("SELECT count(*) FROM events WHERE action IN ('warn', 'overdue', 'escalate')").fetchone()[0]
    conn.close()
    return {**counts, "events": events}


def copy(source: Path, target: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=50_000, dest="open_tickets")
    parser.add_argument("--open-days", type=float, default=5.0, help="the open ones came in over this many days")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", help="build the case file in this folder and keep it, or reuse it if it is there")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jiesu-bench-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        base = folder / "escalate.db"
        if not base.exists():
            build(base, args.tickets, args.open_tickets, args.open_days, folder)
            sqlite3.connect(base).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
        now = CLOCK.astimezone(UTC)
        print(f"clock: {CLOCK.isoformat()}; {args.open_tickets:,} open tickets taken in over {args.open_days:g} days")
        conn = sqlite3.connect(base)
        alerts_before = conn.execute("SELECT coalesce(max(id), 0) FROM alerts").fetchone()[0]
        events_before = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
        conn.close()

        reference, work = folder / "reference.db", folder / "work.db"
        copy(base, reference)
        run_escalate(reference, now)  # the actions jiesu records: the floors write (and print) them
        counts = alert_counts(reference)
        actions = sum(v for k, v in counts.items() if k != "events")

        print(f"\ndry run, {args.repeat} interleaved rounds")
        dry = interleaved(
            {
                "jiesu escalate --dry-run": lambda: run_escalate(base, now, "--dry-run"),
                FETCH: lambda: run_process(floor_command(base, now), env=bench_env()),
                LINES: lambda: run_process(lines_command(base, now, reference), env=bench_env()),
            },
            args.repeat,
        )
        ratios = print_ratio_table(dry, FETCH)
        print(f"  {verdict('dry run / floor', ratios['jiesu escalate --dry-run'], 2.0)}")
        printed = ratio(dry, "jiesu escalate --dry-run", LINES)
        print(f"  dry run / floor that also prints the lines: {printed[0]:.2f}× (cpu {printed[1]:.2f}×)")
        listing = dry["jiesu escalate --dry-run"][-1].stdout
        match = "byte-identical" if dry[LINES][-1].stdout == listing else "MISMATCH"
        print(f"  the printing floor's lines and jiesu's: {match}")
        listed = len(listing.splitlines())
        found = json.loads(dry[FETCH][-1].stdout)
        print(
            f"  the dry run lists {listed:,} actions from {found['candidates']:,} due rows; "
            f"the real run records {actions:,}: {'agree' if listed == actions else 'MISMATCH'}"
        )

        print(f"\nreal run (each on a fresh copy), {args.repeat} interleaved rounds")
        real = interleaved(
            {
                "jiesu escalate": lambda: run_escalate(work, now),
                "floor (same rows, executemany)": lambda: run_process(
                    floor_command(work, now, reference), env=bench_env()
                ),
            },
            args.repeat,
            prepare=lambda: copy(base, work),
        )
        ratios = print_ratio_table(real, "floor (same rows, executemany)")
        print(f"  {verdict('real run / floor', ratios['jiesu escalate'], 2.5)}")
        same = written(reference, alerts_before, events_before)
        if written(work, alerts_before, events_before) != same:  # the floor ran last
            print("  MISMATCH: the floor's case file differs from jiesu's")
        copy(base, work)
        run_escalate(work, now)
        agree = written(work, alerts_before, events_before) == same
        print(
            f"  {actions:,} actions: {counts.get('warn', 0):,} warn, {counts.get('overdue', 0):,} overdue, "
            f"{counts.get('escalate', 0):,} escalate; {counts['events']:,} events; "
            f"{len(same[2]):,} tickets raised; {'same rows in every run' if agree else 'MISMATCH between runs'}"
        )
        url = os.environ.get("JIESU_TEST_POSTGRES")
        if url:
            from pg import load_into_postgres

            print(f"\nPostgreSQL, dry run, {args.repeat} interleaved rounds")
            database = load_into_postgres(base, url)
            pg = interleaved(
                {
                    "jiesu escalate --dry-run": lambda: run_escalate(database, now, "--dry-run"),  # type: ignore[arg-type]
                    FETCH: lambda: run_process(
                        floor_command(database, now),
                        env=bench_env(),  # type: ignore[arg-type]
                    ),
                },
                args.repeat,
            )
            ratios = print_ratio_table(pg, FETCH)
            print(f"  {verdict('dry run / floor (PostgreSQL)', ratios['jiesu escalate --dry-run'], 2.0, server=True)}")
            listed = len(pg["jiesu escalate --dry-run"][-1].stdout.splitlines())
            print(f"  the dry run lists {listed:,} actions: {'agree' if listed == actions else 'MISMATCH'}")
        again = run_escalate(work, now)
        print(f"\njiesu escalate, same clock again   {again.seconds:6.2f} s  {_added(work, counts):,} actions added")
        counts = alert_counts(work)
        later = run_escalate(work, now + timedelta(minutes=10))
        print(f"jiesu escalate, ten minutes later  {later.seconds:6.2f} s  {_added(work, counts):,} actions added")


def _added(db: Path, before: dict[str, int]) -> int:
    after = alert_counts(db)
    return after["events"] - before["events"]


if __name__ == "__main__":
    main()
