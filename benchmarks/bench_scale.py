"""How the cost grows from 1,000,000 to 10,000,000 tickets: report, escalate, list, search, show and
the file's size, side by side.

    python benchmarks/bench_scale.py [--sizes 1000000 10000000] [--folder /tmp/jiesu-scale] [--repeat 3]

For the smallest size a case file of that many tickets with complete histories over 12 months is
built with the generator (jiesu.services.simulation.bulk_case_file, as bench_report.py does: the same
file, so `--base` may name bench_report.py's) in --folder, or reused if it is there. A larger size
that is a multiple of it is built by the fast path, `replicate`: the smallest file's rows k times
over, by SQL, each ticket with k copies that differ in id, number and external id. Ids are
interleaved (ticket i becomes i·k … i·k+k−1, and so for every table's ids and references), so the
ids still grow with the time of intake; numbers stay the day's number and count on within it; the
secondary indexes are built once at the end. So a month holds k times the tickets with the same
histories, each street and unit k times the load, and the report's counts are k times the small
file's: the script checks that, so the larger file is known to be whole. (The generator itself
makes ~380 tickets/s at 1M on a 2-core machine, growing slower with the file: 10M that way takes
most of a day.) Then, as whole processes, median of --repeat:
- `report --month 2026-06 --format json` (the work grows with a month's tickets, a twelfth of N);
- `escalate --dry-run` (grows with the open tickets, which the generator leaves at the clock);
- `list --limit 50`, `list --status dispatched --limit 50`, `list --overdue --limit 50`;
- `search 停水 --limit 50` (a text search, newest first), and `show` of the newest ticket;
- the file's size.
The last column is the time at the largest size over the time at the smallest, beside the growth
of N: nothing should grow faster than the work it does.
"""

import argparse
import json
import math
import shutil
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_report import NOW, RULES, ensure, size_gb
from common import bench_env, interleaved, run_process, summary

# columns holding a row's own id or a reference to one: each becomes id·k + copy
IDS = {"id", "ticket_id", "assignment_id", "repeat_of", "merged_into"}
# tables whose rows belong to tickets (replicated); the others (units, counters, meta, …) are copied once
PER_TICKET = ["tickets", "assignments", "callbacks", "requests", "events", "attachments", "alerts"]


def replicate(source: Path, target: Path, times: int) -> None:
    """Write `target`: the tickets of `source` `times` times over (see the module's docstring), with
    its other tables as they are. The tables are created bare, filled in id order (appends only),
    then the indexes and triggers of `source` are created, each a sort of the finished table.

    Long because: one pass of steps on one connection — schema, each table's copy expression, the
    indexes and triggers after, the counters scaled — each a few lines of SQL."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    conn = sqlite3.connect(target, isolation_level=None)
    page_size = sqlite3.connect(f"file:{source}?mode=ro", uri=True).execute("PRAGMA page_size").fetchone()[0]
    conn.executescript(
        f"PRAGMA page_size = {page_size}; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
        " PRAGMA cache_size = -1000000; PRAGMA temp_store = FILE;"
    )
    conn.execute("ATTACH DATABASE ? AS src", (f"file:{source}?mode=ro",))
    schema = conn.execute("SELECT type, name, tbl_name, sql FROM src.sqlite_master WHERE sql IS NOT NULL").fetchall()
    conn.execute("BEGIN")
    for kind, _name, _table, sql in schema:
        if kind == "table":
            conn.execute(sql)
    conn.execute("CREATE TEMP TABLE copies (k INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO copies VALUES (?)", [(k,) for k in range(times)])
    for kind, name, _table, _sql in schema:
        if kind != "table":
            continue
        columns = [row[1] for row in conn.execute(f"PRAGMA src.table_info({name})")]
        if name not in PER_TICKET:
            conn.execute(f"INSERT INTO main.{name} SELECT * FROM src.{name}")
            continue
        started = time.perf_counter()
        values = ", ".join(_copied(name, column, times) for column in columns)
        conn.execute(
            f"INSERT INTO main.{name} ({', '.join(columns)}) SELECT {values}"
            f" FROM src.{name} AS s, temp.copies AS c ORDER BY s.id, c.k"
        )
        print(f"  {name}: {time.perf_counter() - started:.0f} s", flush=True)
    conn.execute("UPDATE main.counters SET value = value * ? WHERE scope GLOB '[0-9]*'", (times,))
    conn.execute("COMMIT")
    for kind, name, _table, sql in schema:
        if kind in ("index", "trigger"):
            started = time.perf_counter()
            conn.execute(sql)
            print(f"  {name}: {time.perf_counter() - started:.0f} s", flush=True)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()


def _copied(table: str, column: str, times: int) -> str:
    """The SELECT expression of one column of copy c.k of row s."""
    if column in IDS:
        return f"s.{column} * {times} + c.k"
    if table == "tickets" and column == "number":  # YYYYMMDD + the day's count, counting on
        return (
            f"substr(s.number, 1, 8) || printf('%05d', (CAST(substr(s.number, 9) AS INTEGER) - 1) * {times} + c.k + 1)"
        )
    if table == "tickets" and column == "external_id":
        return "CASE WHEN c.k = 0 THEN s.external_id ELSE s.external_id || '.' || c.k END"
    return f"s.{column}"


def ensure_scaled(db: Path, size: int, base: Path, base_size: int) -> None:
    """Build `db` of `size` tickets from `base` (of `base_size`) unless it is there."""
    if db.exists():
        return
    if size % base_size:
        raise SystemExit(f"{size:,} is not a multiple of the smallest size {base_size:,}")
    started = time.perf_counter()
    print(f"replicating {base.name} {size // base_size} times into {db.name}", flush=True)
    partial = db.with_suffix(".partial")
    replicate(base, partial, size // base_size)
    partial.rename(db)
    print(f"built {size:,} tickets in {time.perf_counter() - started:.0f} s ({size_gb(db):.2f} GB)", flush=True)


def check_scaled(files: dict[int, Path], env: dict[str, str]) -> None:
    """The report of each larger file holds k times the smallest file's counts and the same rates."""
    reports = {}
    for size, db in files.items():
        command = [sys.executable, "-m", "jiesu", "--db", str(db), "--rules", str(RULES), "--now", NOW.isoformat()]
        reports[size] = json.loads(
            run_process([*command, "report", "--month", "2026-06", "--format", "json"], env=env).stdout
        )
    smallest = min(files)
    for size, report in reports.items():
        problems = _not_scaled(reports[smallest], report, size // smallest, "report")
        print(
            f"report at {size:,}: "
            + ("k times the counts, the same rates" if not problems else "; ".join(problems[:5]))
        )


def _not_scaled(small: object, large: object, k: int, where: str) -> list[str]:
    """Where `large` is not `small` with every count times k: integers times k, ranks (places, not
    counts) and other values equal, rates equal to rounding."""
    if isinstance(small, dict) and isinstance(large, dict):
        if small.keys() != large.keys():
            return [f"{where}: keys differ"]
        return [p for key in small for p in _not_scaled(small[key], large[key], k, f"{where}.{key}")]
    if isinstance(small, list) and isinstance(large, list):
        if len(small) != len(large):
            return [f"{where}: {len(small)} items against {len(large)}"]
        pairs = enumerate(zip(small, large, strict=True))
        return [p for i, (a, b) in pairs for p in _not_scaled(a, b, k, f"{where}[{i}]")]
    if isinstance(small, int) and not isinstance(small, bool) and "rank" not in where.rsplit(".", 1)[-1]:
        return [] if large == small * k else [f"{where}: {large} is not {k} × {small}"]
    if isinstance(small, float) and isinstance(large, float):
        return [] if math.isclose(small, large, rel_tol=1e-9, abs_tol=1e-12) else [f"{where}: {large} is not {small}"]
    return [] if large == small else [f"{where}: {large!r} is not {small!r}"]


def commands(db: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    (newest,) = conn.execute("SELECT number FROM tickets ORDER BY id DESC LIMIT 1").fetchone()
    conn.close()
    return {
        "report --month 2026-06": ["report", "--month", "2026-06", "--format", "json"],
        "escalate --dry-run": ["escalate", "--dry-run", "--format", "json"],
        "list": ["list", "--format", "json"],
        "list --status dispatched": ["list", "--status", "dispatched", "--format", "json"],
        "list --overdue": ["list", "--overdue", "--format", "json"],
        "search 停水": ["search", "停水", "--format", "json"],
        f"show {newest}": ["show", newest, "--format", "json"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--folder", type=Path, default=Path("/tmp/jiesu-scale"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--base", type=Path, help="an existing case file of the smallest size built by bench_report.py, to copy"
    )
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    env = bench_env()
    table: dict[str, dict[int, float]] = {}
    sizes: dict[int, float] = {}
    smallest = min(args.sizes)
    files = {size: args.folder / f"scale-{size}.db" for size in sorted(args.sizes)}
    if args.base and not files[smallest].exists():
        shutil.copyfile(args.base, files[smallest])
    ensure(files[smallest], smallest)
    for size, db in files.items():
        ensure_scaled(db, size, files[smallest], smallest)
    for size, db in files.items():
        sizes[size] = size_gb(db)
        base = [sys.executable, "-m", "jiesu", "--db", str(db), "--rules", str(RULES), "--now", NOW.isoformat()]
        runs = {
            name: (lambda a=arguments, b=base: run_process([*b, *a], env=env))  # type: ignore[misc]
            for name, arguments in commands(db).items()
        }
        for name, times in interleaved(runs, args.repeat).items():
            key = "show (the newest ticket)" if name.startswith("show") else name
            table.setdefault(key, {})[size] = summary(times)[0]
    check_scaled(files, env)
    first, last = min(sizes), max(sizes)
    print(f"{'':28s}" + "".join(f"{n:>16,}" for n in sizes) + f"   ×{last / first:,.0f} tickets")
    for name, by_size in table.items():
        cells = "".join(f"{by_size[n]:>14.2f} s" for n in sizes)
        print(f"{name:28s}{cells}   ×{by_size[last] / by_size[first]:.1f}")
    print(
        f"{'file size':28s}" + "".join(f"{sizes[n]:>13.2f} GB" for n in sizes) + f"   ×{sizes[last] / sizes[first]:.1f}"
    )


if __name__ == "__main__":
    main()
