"""Batch intake (`jiesu intake --file`) against the hand-written floor that writes the same rows.

    python benchmarks/bench_intake.py [--rows 1000000] [--repeat 3] [--only dispatched|undispatched]
                                      [--workers N]

For each mode (each row dispatched by sample_data/dongcheng.toml at intake, and --no-dispatch), on
the same generated CSV, interleaved rounds of two processes, each on a fresh case file:
- jiesu: `python -m jiesu intake --file requests.csv` (stream the CSV, validate every row, number
  it, look its external_id up, locate and dispatch it, insert the ticket, its events and its
  assignments), committed every couple of seconds. On a machine of two cores or more it reads,
  validates, decides and converts the batches in two worker processes while it writes
  (services/importing.py); `--workers 0` measures it doing everything in one process;
- floor: `python benchmarks/floors.py intake` — every row jiesu wrote (read back from jiesu's first
  case file, in batches of the same 5,000 tickets), executemany into a fresh case file with the
  same schema, indexes and pragmas, one transaction, stdlib only. The database's own cost of
  exactly these rows, with none of the Python that decides them.

Both are whole processes, so Python's start-up counts for both. It prints the median and min of
each, rows/s, the peak memory of its largest process, the ratio of jiesu's rate to the floor's
(targets: ≥ 0.6 dispatched, ≥ 0.7 undispatched), and checks that every case file holds the same
rows. The rate is rows per second of wall time: with workers, jiesu's CPU time is that of all its
processes added up, printed beside it.
Run it at two sizes to see that memory stays flat in N.
"""

import argparse
import hashlib
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_env, interleaved, print_ratio_table, run_process, verdict, write_csv

HERE = Path(__file__).resolve().parent
RULES = HERE.parent / "sample_data" / "dongcheng.toml"
NOW = "2026-01-01T08:00:00+08:00"
TARGETS = {"dispatched": 0.6, "undispatched": 0.7}
WORKERS: str | None = None  # --workers: JIESU_IMPORT_WORKERS for jiesu (default: its own choice)


def digest(db: Path) -> dict[str, tuple[int, str]]:
    """Each table's row count and a hash of its rows in id order: equal files hold equal rows."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    out = {}
    for table in tables:
        h = hashlib.sha256()
        count = 0
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
            h.update(repr(row).encode())
            count += 1
        out[table] = (count, h.hexdigest())
    conn.close()
    return out


def measure(mode: str, csv_path: Path, folder: Path, rows: int, repeat: int) -> tuple[float, float]:
    jiesu_db, floor_db, reference = folder / "jiesu.db", folder / "floor.db", folder / "reference.db"
    for path in (jiesu_db, floor_db, reference):
        _remove(path)
    jiesu = [sys.executable, "-m", "jiesu", "--db", str(jiesu_db), "--rules", str(RULES), "--now", NOW]
    jiesu += ["--operator", "bench", "intake", "--file", str(csv_path), "--format", "json"]
    if mode == "undispatched":
        jiesu.append("--no-dispatch")
    floor = [sys.executable, str(HERE / "floors.py"), "intake", str(reference), str(floor_db), "5000"]

    def run_jiesu():  # type: ignore[no-untyped-def]
        _remove(jiesu_db)
        result = run_process(jiesu, env=bench_env(**({} if WORKERS is None else {"JIESU_IMPORT_WORKERS": WORKERS})))
        if not reference.exists():
            jiesu_db.rename(reference)
            for suffix in ("-wal", "-shm"):
                _remove(Path(str(jiesu_db) + suffix))
        return result

    def run_floor():  # type: ignore[no-untyped-def]
        _remove(floor_db)
        return run_process(floor, env=bench_env())

    print(f"\n{mode}: {rows:,} rows, {repeat} interleaved rounds")
    results = interleaved({"jiesu intake --file": run_jiesu, "floor (same rows, executemany)": run_floor}, repeat)
    ratios = print_ratio_table(results, "floor (same rows, executemany)", per=rows, unit="rows")
    wall, cpu = ratios["jiesu intake --file"]
    rate = (1 / wall, 1 / cpu)
    workers = "" if WORKERS is None else f", JIESU_IMPORT_WORKERS={WORKERS}"
    name = f"jiesu rows/s / floor rows/s, {mode}{workers}"
    print(f"  {verdict(name, rate, TARGETS[mode], at_most=False, processes=WORKERS != '0')}")
    same = digest(reference)
    written = ", ".join(f"{n:,} {t}" for t, (n, _) in same.items() if n)
    for name, db in (("floor", floor_db), ("jiesu (last run)", jiesu_db)):
        if db.exists() and digest(db) != same:
            print(f"  MISMATCH: {name} case file differs from jiesu's first")
            break
    else:
        print(f"  same rows in every case file: {written}")
    return rate


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=sorted(TARGETS))
    parser.add_argument("--folder", type=Path, help="work here (default: a temporary folder)")
    parser.add_argument("--workers", help="JIESU_IMPORT_WORKERS for jiesu: 0 prepares every batch in its own process")
    args = parser.parse_args()
    global WORKERS
    WORKERS = args.workers
    with tempfile.TemporaryDirectory(prefix="jiesu-bench-", dir=args.folder) as tmp:
        folder = Path(tmp)
        csv_path = folder / "requests.csv"
        started = time.perf_counter()
        write_csv(csv_path, args.rows)
        print(
            f"generated {args.rows:,} rows ({csv_path.stat().st_size / 1e6:.0f} MB CSV) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        for mode in [args.only] if args.only else ["dispatched", "undispatched"]:
            measure(mode, csv_path, folder, args.rows, args.repeat)
        os.sync()


if __name__ == "__main__":
    main()
