"""`jiesu report --month` on a large case file, beside the same counts in hand-written SQL.

    python benchmarks/bench_report.py [--tickets 1000000] [--keep PATH]

Builds (or reuses, with --keep) a case file of N tickets spread over 12 months with complete
histories (dispatch, accept, contact, finish, callback, close) from jiesu.services.simulation, then times:
- start-up: `jiesu units --format json` (load rules, open the case file), median of 3;
- the report: `jiesu report --month M --format json` as a whole process, median of 3;
- hand-written SQL through Python's sqlite3 computing the same numbers (this and the previous
  period's unit counts, overview, volumes by kind, channel, category, street, district, overdue);
- `jiesu report publish --month M` (the report, the fingerprints of every event of the month's
  tickets, the chain) and `jiesu report verify --month M` (all of it recomputed), whole processes,
  once each on a copy of the case file (a month publishes once).
The targets: report ≤ 2 × SQL + start-up; publish and verify a few seconds each.
"""

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "sample_data" / "dongcheng.toml"
NOW = datetime(2026, 11, 26, tzinfo=UTC)


def build(path: Path, count: int) -> None:
    from jiesu.services.context import Office
    from jiesu.services.simulation import bulk_case_file, load_templates

    office = Office(db=str(path), rules_path=RULES, now=NOW, operator="bench", create=True)
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        print(f"\r  building: {done:,}/{total:,} tickets ({time.perf_counter() - started:.0f} s)", end="", flush=True)

    bulk_case_file(
        office,
        load_templates(ROOT / "sample_data" / "requests.csv"),
        count,
        datetime(2025, 11, 1, tzinfo=UTC),
        datetime(2026, 11, 1, tzinfo=UTC),
        progress=progress,
    )
    print()


def timed(args: list[str], db: Path, *, times: int = 3) -> float:
    runs = []
    env = os.environ | {"JIESU_DB": str(db), "JIESU_RULES": str(RULES), "JIESU_NOW": NOW.isoformat()}
    for _ in range(times):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "jiesu", *args], check=True, env=env, stdout=subprocess.DEVNULL)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


SQL = {
    "units": """
        SELECT cb.unit, count(*), sum(CASE WHEN a.contacted_at IS NOT NULL AND a.contacted_at <= a.contact_due THEN 1 ELSE 0 END),
               sum(CASE WHEN cb.resolved THEN 1 ELSE 0 END), sum(CASE WHEN cb.satisfaction = 'satisfied' THEN 1 ELSE 0 END),
               sum(CASE WHEN cb.satisfaction = 'basically' THEN 1 ELSE 0 END)
        FROM callbacks cb JOIN tickets t ON t.id = cb.ticket_id
        LEFT JOIN assignments a ON a.ticket_id = cb.ticket_id AND a.role = 'lead' AND a.state = 'active' AND a.unit = cb.unit
        WHERE cb.closed AND cb.reached AND cb.at >= :s AND cb.at < :e AND NOT t.exempt AND t.status != 'merged'
        GROUP BY cb.unit""",
    "overview": """
        SELECT count(*), sum(status = 'answered'), sum(status = 'referred'), sum(dispatched_at IS NOT NULL),
               sum(status = 'merged'), sum(urgent) FROM tickets WHERE created_at >= :s AND created_at < :e""",
    **{
        f"by_{c}": f"SELECT {c}, count(*) FROM tickets WHERE created_at >= :s AND created_at < :e GROUP BY {c}"
        for c in ("kind", "channel", "category", "street", "district")
    },
    "overdue": """
        SELECT unit, sum(contact_due >= :s AND contact_due < :e AND ((contacted_at IS NULL AND contact_due < :e) OR contacted_at > contact_due)),
               sum(finish_due >= :s AND finish_due < :e AND ((finished_at IS NULL AND finish_due < :e) OR finished_at > finish_due))
        FROM assignments WHERE role = 'lead' AND state = 'active'
          AND ((contact_due >= :s AND contact_due < :e) OR (finish_due >= :s AND finish_due < :e)) GROUP BY unit""",
}


def hand_sql(db: Path, periods: list[tuple[str, str]]) -> float:
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        conn = sqlite3.connect(db)
        for start, end in periods:
            for query in SQL.values():
                conn.execute(query, {"s": start, "e": end}).fetchall()
        conn.close()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="build the case file here, or reuse it if it exists")
    parser.add_argument("--month", default="2026-06")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jiesu-bench-") as tmp:
        db = args.keep or Path(tmp) / "bench.db"
        if not db.exists():
            started = time.perf_counter()
            build(db, args.tickets)
            print(
                f"built {args.tickets:,} tickets with histories in {time.perf_counter() - started:.0f} s "
                f"({db.stat().st_size / 1e9:.2f} GB)"
            )
        conn = sqlite3.connect(db)
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("tickets", "events", "assignments", "callbacks")
        }
        conn.close()
        print("case file:", ", ".join(f"{n:,} {t}" for t, n in counts.items()))
        from zoneinfo import ZoneInfo

        from jiesu.domain.periods import parse_month, previous

        tz = ZoneInfo("Asia/Shanghai")
        period = parse_month(args.month)
        bounds = []
        for p in (period, previous(period)):
            start, end = p.bounds(tz)
            bounds.append(
                tuple(x.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds") for x in (start, end))
            )
        startup = timed(["units", "--format", "json"], db)
        report = timed(["report", "--month", args.month, "--format", "json"], db)
        sql = hand_sql(db, bounds)
        print(f"start-up (jiesu units):            {startup:6.2f} s")
        print(f"jiesu report --month {args.month}:       {report:6.2f} s  (whole process, median of 3)")
        print(f"hand-written SQL, same numbers:    {sql:6.2f} s")
        print(
            f"report - start-up = {report - startup:.2f} s; target ≤ 2 × SQL = {2 * sql:.2f} s: "
            f"{'met' if report - startup <= 2 * sql else 'NOT met'}"
        )
        copy = Path(tmp) / "published.db"
        source, target = sqlite3.connect(db), sqlite3.connect(copy)
        source.backup(target)  # publishing writes: leave a kept case file as it was
        source.close()
        target.close()
        publish = timed(["report", "publish", "--month", args.month, "--format", "json"], copy, times=1)
        verify = timed(["report", "verify", "--month", args.month, "--format", "json"], copy, times=1)
        conn = sqlite3.connect(copy)
        fingerprints = conn.execute("SELECT count(*) FROM publication_tickets").fetchone()[0]
        events = conn.execute("SELECT events_count FROM publications").fetchone()[0]
        conn.close()
        print(
            f"jiesu report publish --month {args.month}: {publish:6.2f} s  ({fingerprints:,} tickets, {events:,} events)"
        )
        print(f"jiesu report verify --month {args.month}:  {verify:6.2f} s  (whole process, once)")


if __name__ == "__main__":
    main()
