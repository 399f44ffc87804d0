"""Batch intake rate against plain sqlite3.executemany on the same rows, with peak memory.

    python benchmarks/bench_intake.py [--rows 1000000]

Each measurement runs in its own process so its peak memory is its own:
- plain: the CSV's rows, already parsed into tuples in memory, inserted with sqlite3.executemany
  into a plain table of the same 12 columns, no index (WAL, synchronous=NORMAL), one transaction;
  the method of shared/MEASURED.md;
- jiesu: the whole `jiesu intake --file` path (stream the CSV, validate every row, number it,
  look its external_id up, convert values, insert the ticket and its intake event), one
  transaction, on a fresh case file;
- schema: every row jiesu wrote (tickets, their intake and dispatch events, one assignment per
  unit), read back into memory as tuples and inserted with sqlite3.executemany into a fresh, empty
  case file (same tables, indexes and foreign keys): the same rows, with no Python work at all.
  What the database alone costs for them, and so the most any implementation could reach.

With --rules FILE every row is also located and dispatched by that rules file at intake (the
issue's target: at least 25% of the plain executemany rate; without dispatch, 40%).
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import COLUMNS, peak_memory_mb, write_csv


def baseline(csv_path: Path, db: Path) -> dict[str, Any]:
    import sqlite3

    with csv_path.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        next(reader)
        rows = [tuple(r) for r in reader]
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"CREATE TABLE t (id INTEGER PRIMARY KEY, {', '.join(c + ' TEXT' for c in COLUMNS)})")
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO t ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})", rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    return {
        "rows": len(rows),
        "seconds": elapsed,
        "rows_per_s": len(rows) / elapsed,
        "peak_mb": peak_memory_mb(),
    }


def schema_baseline(jiesu_db: Path, db: Path) -> dict[str, Any]:
    import sqlite3
    from datetime import UTC, datetime

    from jiesu.rules import BUNDLED_RULES
    from jiesu.services.context import Office

    Office(db=str(db), rules_path=BUNDLED_RULES, now=datetime.now(UTC), operator="bench", create=True).engine.dispose()
    source = sqlite3.connect(jiesu_db)
    units = source.execute("SELECT * FROM units").fetchall()
    tables = {
        name: source.execute(f"SELECT * FROM {name} ORDER BY id").fetchall()
        for name in ("tickets", "events", "assignments")
    }
    tables = {name: rows for name, rows in tables.items() if rows}
    widths = {name: len(rows[0]) for name, rows in tables.items()}
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    if units:
        conn.executemany(f"INSERT INTO units VALUES ({', '.join('?' * len(units[0]))})", units)
    for name, rows in tables.items():
        conn.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * widths[name])})", rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    count = len(tables["tickets"])
    return {
        "rows": count,
        "seconds": elapsed,
        "rows_per_s": count / elapsed,
        "peak_mb": peak_memory_mb(),
        "written": {name: len(rows) for name, rows in tables.items()},
    }


def jiesu_import(csv_path: Path, db: Path) -> dict[str, Any]:
    from datetime import UTC, datetime

    from jiesu.rules import BUNDLED_RULES
    from jiesu.services.context import Office
    from jiesu.services.importing import import_file

    rules = Path(os.environ.get("JIESU_BENCH_RULES") or BUNDLED_RULES)
    office = Office(db=str(db), rules_path=rules, now=datetime.now(UTC), operator="bench", create=True)
    office.engine  # noqa: B018  (create the case file outside the timing)
    started = time.perf_counter()
    summary = import_file(office, csv_path)
    elapsed = time.perf_counter() - started
    assert summary.rejected == 0, summary
    return {
        "rows": summary.created,
        "seconds": elapsed,
        "rows_per_s": summary.created / elapsed,
        "peak_mb": peak_memory_mb(),
    }


def in_child(which: str, csv_path: Path, db: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", which, str(csv_path), str(db)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--rules", help="rules file for dispatch at intake [default: bundled, which dispatches nothing]"
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rules:
        os.environ["JIESU_BENCH_RULES"] = str(Path(args.rules).resolve())
    if args.child:
        which, csv_path, db = args.child
        run = {"plain": baseline, "jiesu": jiesu_import, "schema": schema_baseline}[which]
        print(json.dumps(run(Path(csv_path), Path(db))))
        return
    with tempfile.TemporaryDirectory(prefix="jiesu-bench-") as tmp:
        folder = Path(tmp)
        csv_path = folder / "requests.csv"
        started = time.perf_counter()
        write_csv(csv_path, args.rows)
        print(
            f"generated {args.rows:,} rows ({csv_path.stat().st_size / 1e6:.0f} MB CSV) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        base = in_child("plain", csv_path, folder / "plain.db")
        ours = in_child("jiesu", csv_path, folder / "jiesu.db")
        schema = in_child("schema", folder / "jiesu.db", folder / "schema.db")
        for name, result in (
            ("sqlite3.executemany, plain table", base),
            ("sqlite3.executemany, jiesu schema", schema),
            ("jiesu intake --file", ours),
        ):
            print(
                f"{name:34s} {result['rows']:>10,.0f} tickets {result['seconds']:7.2f} s "
                f"{result['rows_per_s']:>9,.0f} tickets/s  peak {result['peak_mb']:,.0f} MB"
            )
        written = ", ".join(f"{count:,} {name}" for name, count in schema["written"].items())
        target = "25%" if args.rules else "40%"
        print(f"rows written: {written}")
        print(
            f"per ticket: jiesu {1e6 / ours['rows_per_s']:.0f} µs = database {1e6 / schema['rows_per_s']:.0f} µs "
            f"+ Python {1e6 / ours['rows_per_s'] - 1e6 / schema['rows_per_s']:.0f} µs"
        )
        print(
            f"jiesu / executemany of the same rows into jiesu's schema: "
            f"{ours['rows_per_s'] / schema['rows_per_s']:.0%} (target: {target})"
        )
        print(
            f"jiesu / executemany of the CSV rows into a plain table:   {ours['rows_per_s'] / base['rows_per_s']:.0%}"
            f" (the database alone reaches {schema['rows_per_s'] / base['rows_per_s']:.0%} of it)"
        )
        os.sync()


if __name__ == "__main__":
    main()
