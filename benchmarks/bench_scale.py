"""How the cost grows from 1,000,000 to 10,000,000 tickets: report, escalate, list, search, show and
the file's size, side by side.

    python benchmarks/bench_scale.py [--sizes 1000000 10000000] [--folder /tmp/jiesu-scale] [--repeat 3]

For each size a case file of that many tickets with complete histories over 12 months is built with
the generator's fast path (jiesu.services.simulation.bulk_case_file, as bench_report.py does) in
--folder, or reused if it is there (10M takes hours on a 2-core machine and ~15 GB of disk: build
it once, nice'd, in the background). Then, as whole processes, median of --repeat:
- `report --month 2026-06 --format json` (the work grows with a month's tickets, a twelfth of N);
- `escalate --dry-run` (grows with the open tickets, which the generator leaves at the clock);
- `list --limit 50`, `list --status dispatched --limit 50`, `list --overdue --limit 50`;
- `search 停水 --limit 50` (a text search, newest first), and `show` of the newest ticket;
- the file's size.
The last column is the time at the largest size over the time at the smallest, beside the growth
of N: nothing should grow faster than the work it does.
"""

import argparse
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_report import NOW, RULES, ensure, size_gb
from common import bench_env, interleaved, run_process, summary


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
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    env = bench_env()
    table: dict[str, dict[int, float]] = {}
    sizes: dict[int, float] = {}
    for size in args.sizes:
        db = args.folder / f"scale-{size}.db"
        ensure(db, size)
        sizes[size] = size_gb(db)
        base = [sys.executable, "-m", "jiesu", "--db", str(db), "--rules", str(RULES), "--now", NOW.isoformat()]
        runs = {
            name: (lambda a=arguments, b=base: run_process([*b, *a], env=env))  # type: ignore[misc]
            for name, arguments in commands(db).items()
        }
        for name, times in interleaved(runs, args.repeat).items():
            key = "show (the newest ticket)" if name.startswith("show") else name
            table.setdefault(key, {})[size] = summary(times)[0]
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
