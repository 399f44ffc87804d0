"""The files for people and other systems on a large case file: the 12-period trend, the meeting
workbook, the HTML report, a 10,000-ticket workbook and the whole Open311 export.

    python benchmarks/bench_exports.py [--tickets 200000] [--keep PATH]

Builds (or reuses, with --keep) a case file of N tickets over 12 months with complete histories
(jiesu.services.simulation), then times each command as a whole process, median of 3, beside
start-up (`jiesu units --format json`). The trend is one GROUP BY over the created_at index, so it
should cost little more than start-up; the Open311 export streams a page of tickets at a time.
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import build, timed  # the same generated case file as bench_report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, help="Build the case file here (or reuse it if it exists).")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = options.keep or Path(folder) / "bench.db"
        if not db.exists():
            build(db, options.tickets)
        out = Path(folder)
        runs = {
            "start-up (units --format json)": ["units", "--format", "json"],
            "report --trend --format json": ["report", "--month", "2026-10", "--trend", "--format", "json"],
            "report --format xlsx (with charts)": [
                "report",
                "--month",
                "2026-10",
                "--format",
                "xlsx",
                "--out",
                str(out / "r.xlsx"),
            ],
            "report --format html": ["report", "--month", "2026-10", "--format", "html", "--out", str(out / "r.html")],
            "list --limit 10000 --format xlsx": [
                "list",
                "--limit",
                "10000",
                "--format",
                "xlsx",
                "--out",
                str(out / "l.xlsx"),
            ],
            "export --format open311-json (all)": ["export", "--out", str(out / "all.json")],
            "export --format open311-xml (all)": ["export", "--format", "open311-xml", "--out", str(out / "all.xml")],
        }
        print(f"{options.tickets:,} tickets")
        for name, args in runs.items():
            print(f"  {name:40s} {timed(args, db):6.2f} s", flush=True)


if __name__ == "__main__":
    main()
