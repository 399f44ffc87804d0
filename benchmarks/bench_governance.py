"""Proactive governance on a large case file: `jiesu topics`, and `jiesu report` with and without
--topics --zero-request, beside the plain report.

    python benchmarks/bench_governance.py [--tickets 200000] [--keep PATH] [--month 2026-06]

Builds (or reuses, with --keep; a case file of bench_report.py works too) a case file of N tickets
over 12 months with complete histories, then times, as whole processes (median of 3):
- start-up: `jiesu units --format json`;
- `jiesu report --month M --format json`;
- the same with `--topics --zero-request` (the sample rules' five named problems, 20 communities);
- `jiesu topics --month M --format json` (five problems over 12 periods, and the candidates).
The named problems' keywords are matched in the database (instr/strpos), one grouped query over the
months' index range; the goal is that --topics --zero-request adds less than the plain report costs.
"""

import argparse
import tempfile
import time
from pathlib import Path

from bench_report import build, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, help="build the case file here, or reuse it if it exists")
    parser.add_argument("--month", default="2026-06")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jiesu-bench-") as tmp:
        db = args.keep or Path(tmp) / "bench.db"
        if not db.exists():
            started = time.perf_counter()
            build(db, args.tickets)
            print(f"built {args.tickets:,} tickets with histories in {time.perf_counter() - started:.0f} s")
        startup = timed(["units", "--format", "json"], db)
        plain = timed(["report", "--month", args.month, "--format", "json"], db)
        full = timed(["report", "--month", args.month, "--topics", "--zero-request", "--format", "json"], db)
        topics = timed(["topics", "--month", args.month, "--format", "json"], db)
        print(f"start-up (jiesu units):                          {startup:6.2f} s")
        print(f"jiesu report --month {args.month}:                     {plain:6.2f} s")
        print(f"jiesu report --month {args.month} --topics --zero-request: {full:6.2f} s")
        print(f"jiesu topics --month {args.month} (12 periods):        {topics:6.2f} s")
        added = full - plain
        print(
            f"--topics --zero-request add {added:.2f} s; goal < plain report - start-up = {plain - startup:.2f} s: "
            f"{'met' if added < plain - startup else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
