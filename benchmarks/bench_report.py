"""`jiesu report --month` on a large case file, against the hand-written floor computing the same counts.

    python benchmarks/bench_report.py [--tickets 1000000] [--keep PATH] [--repeat 5]

Builds (or reuses, with --keep) a case file of N tickets spread over 12 months with complete
histories (dispatch, accept, contact, finish, callback, close) from jiesu.services.simulation, then
times, in interleaved rounds, two whole processes:
- jiesu: `python -m jiesu report --month M --format json`;
- floor: `python benchmarks/floors.py report`: the same counts (the units' assessment for the month
  and the one before, the period's overdue deadlines, the intake overview and the volumes by kind,
  channel, category, street and district for both) by hand-written SQL through sqlite3, stdlib only,
  printed as JSON.
It prints the median and min of each and the ratio (target ≤ 1.3×), and checks that jiesu's JSON
holds the floor's counts. Then, once each on a copy of the case file (publishing writes), the whole
processes `jiesu report publish --month M` (the report, the fingerprints of the month's tickets'
events and callbacks, the chain) and `jiesu report verify --month M` (all of it recomputed): target a
few seconds each. With JIESU_TEST_POSTGRES set, the same runs against a copy of the case
file loaded into that PostgreSQL database (floor: the same SQL through psycopg).
"""

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_env, interleaved, print_ratio_table, run_process, verdict

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RULES = ROOT / "sample_data" / "dongcheng.toml"
NOW = datetime(2026, 11, 26, tzinfo=UTC)


def build(path: Path, count: int) -> None:
    """N tickets with complete histories through the generator's fast path."""
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
    office.engine.dispose()
    print()


def ensure(db: Path, count: int) -> None:
    """Build the case file unless it is there."""
    if db.exists():
        return
    started = time.perf_counter()
    build(db, count)
    print(f"built {count:,} tickets with histories in {time.perf_counter() - started:.0f} s ({size_gb(db):.2f} GB)")


def size_gb(db: Path) -> float:
    return sum(Path(str(db) + s).stat().st_size for s in ("", "-wal") if Path(str(db) + s).exists()) / 1e9


def bounds(month: str) -> list[str]:
    """The UTC bounds of the month and the one before, as stored ('YYYY-MM-DD HH:MM:SS.ffffff')."""
    from zoneinfo import ZoneInfo

    from jiesu.domain.periods import parse_month, previous

    tz = ZoneInfo("Asia/Shanghai")
    period = parse_month(month)
    out = []
    for p in (period, previous(period)):
        for x in p.bounds(tz):
            out.append(x.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds"))
    return out


def compare(jiesu: dict, floor: dict) -> list[str]:
    """Where jiesu's report and the floor's counts differ (nothing: they agree)."""
    problems = []
    names = ("taken_in", "answered", "referred", "guided", "dispatched", "merged", "urgent", "proactive")
    for period, key in (("current", "current"), ("previous", "previous")):
        counts = dict(zip(names, floor[period]["overview"][0], strict=True))
        if {k: int(v or 0) for k, v in counts.items()} != {k: jiesu["overview"][key][k] for k in names}:
            problems.append(f"overview ({period})")
    units = {
        r["unit"]: (
            r["assessed"],
            r["contacted_in_time"],
            r["resolved"],
            r["satisfied"],
            r["basically_satisfied"],
            r["repeats_after_close"],
        )
        for r in jiesu["ranking"]
    }
    if units != {u: tuple(rest) for u, *rest in floor["current"]["units"]}:
        problems.append("units' counts")
    overdue = {r["unit"]: (r["contact_overdue"], r["finish_overdue"], r["still_open"]) for r in jiesu["overdue"]}
    if overdue != {u: tuple(rest) for u, *rest in floor["current"]["overdue"]}:
        problems.append("overdue deadlines")
    for key, column in (("by_kind", "kind"), ("by_channel", "channel")):
        got = {r["value"]: (r["count"], r["previous"]) for r in jiesu["overview"][key]}
        want_now, want_before = dict(floor["current"][f"by_{column}"]), dict(floor["previous"][f"by_{column}"])
        if got != {v: (n, want_before.get(v, 0)) for v, n in want_now.items()}:
            problems.append(key)
    for key, column in (("streets", "street"), ("districts", "district"), ("categories", "category")):
        want = {row[0]: row[1] for row in floor["current"][f"by_{column}"]}
        if any(want.get(r["value"]) != r["count"] for r in jiesu.get(key, [])):
            problems.append(key)
    proactive = {
        r["value"]: (r["tickets"], r["proactive"]) for r in jiesu["proactive"] if r["value"] != "*" and r["tickets"]
    }
    if proactive != {street: (n, int(p or 0)) for street, n, p in floor["current"]["by_street"]}:
        problems.append("proactive rates")
    return problems


def run(db: str, month: str, repeat: int, env: dict[str, str], floor_command: list[str]) -> tuple[float, float]:
    jiesu = [sys.executable, "-m", "jiesu", "--db", db, "--rules", str(RULES), "--now", NOW.isoformat()]
    jiesu += ["report", "--month", month, "--format", "json"]
    results = interleaved(
        {
            "jiesu report --month": lambda: run_process(jiesu, env=env),
            "floor (hand SQL, same counts)": lambda: run_process(floor_command, env=env),
        },
        repeat,
    )
    ratios = print_ratio_table(results, "floor (hand SQL, same counts)")
    server = db.startswith("postgresql://")
    print(f"  {verdict('jiesu report / floor', ratios['jiesu report --month'], 1.3, server=server)}")
    jiesu_out = json.loads(results["jiesu report --month"][-1].stdout)
    floor_out = json.loads(results["floor (hand SQL, same counts)"][-1].stdout)
    problems = compare(jiesu_out, floor_out)
    assessed = sum(r["assessed"] for r in jiesu_out["ranking"])
    print(
        f"  results: {'agree' if not problems else 'DIFFER in ' + ', '.join(problems)} "
        f"({jiesu_out['overview']['current']['taken_in']:,} taken in, {assessed:,} assessed)"
    )
    return ratios["jiesu report --month"]


def publish_and_verify(db: Path, month: str, env: dict[str, str]) -> None:
    """`report publish` then `report verify` of the month, whole processes, once each, on a copy."""
    import subprocess

    copy = db.with_name(db.name + ".published")
    copy.unlink(missing_ok=True)
    source, target = sqlite3.connect(db), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    # The fresh copy's gigabytes are still dirty in the page cache: without this, publish's commit
    # (a WAL checkpoint, which syncs the file) would be timed writing the whole copy to disk.
    with open(copy, "rb") as written:
        os.fsync(written.fileno())
    jiesu = [sys.executable, "-m", "jiesu", "--db", str(copy), "--rules", str(RULES), "--now", NOW.isoformat()]
    for command in ("publish", "verify"):
        started = time.perf_counter()
        subprocess.run([*jiesu, "report", command, "--month", month], check=True, env=env, stdout=subprocess.DEVNULL)
        print(f"  jiesu report {command} --month {month}: {time.perf_counter() - started:6.2f} s (whole process)")
    conn = sqlite3.connect(copy)
    tickets, events = conn.execute("SELECT count(*), sum(events) FROM publication_tickets").fetchone()
    conn.close()
    copy.unlink()
    print(f"  the month's fingerprints: {tickets:,} tickets, {events:,} events")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="build the case file here, or reuse it if it exists")
    parser.add_argument("--month", default="2026-06")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jiesu-bench-") as tmp:
        db = args.keep or Path(tmp) / "bench.db"
        ensure(db, args.tickets)
        conn = sqlite3.connect(db)
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("tickets", "events", "assignments", "callbacks")
        }
        conn.close()
        print("case file:", ", ".join(f"{n:,} {t}" for t, n in counts.items()), f"({size_gb(db):.2f} GB)")
        start, end, previous_start, previous_end = bounds(args.month)
        as_of = min(NOW.replace(tzinfo=None).isoformat(" ", "microseconds"), end)
        env = bench_env()
        print(f"\nSQLite, report --month {args.month}, {args.repeat} interleaved rounds")
        floor = [sys.executable, str(HERE / "floors.py"), "report", str(db), start, end, previous_start, previous_end]
        run(str(db), args.month, args.repeat, env, [*floor, as_of])
        publish_and_verify(Path(db), args.month, env)
        url = os.environ.get("JIESU_TEST_POSTGRES")
        if url:
            from pg import load_into_postgres

            print(f"\nPostgreSQL, report --month {args.month}, {args.repeat} interleaved rounds")
            database = load_into_postgres(db, url)
            floor = [sys.executable, str(HERE / "floors.py"), "report", database, start, end, previous_start]
            run(database, args.month, args.repeat, env, [*floor, previous_end, as_of])


if __name__ == "__main__":
    main()
