"""What `jiesu report` and `jiesu escalate` print and write on the benchmark case files, kept for
comparing one version of jiesu with another: a speed change must not change a byte of either.

    python benchmarks/check_outputs.py SAVE_FOLDER --report-db R.db [--escalate-db E.db] [--compare OTHER_FOLDER]

Writes into SAVE_FOLDER: the report for two months in every format (JSON, CSV, Markdown, table) in
both languages; escalate --dry-run as JSON; a real escalate run on a copy of E.db as JSON and the
alert, event and ticket rows it wrote. With --compare, lists every file that differs from
OTHER_FOLDER's (run it once with the old version to save, once with the new to compare) and exits
1 if any does.
"""

import argparse
import filecmp
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
RULES = HERE.parent / "sample_data" / "dongcheng.toml"
REPORT_NOW = "2026-11-26T08:00:00+08:00"
ESCALATE_NOW = "2025-11-14T10:00:00+08:00"


def jiesu(db: Path, now: str, *args: str) -> bytes:
    command = [sys.executable, "-m", "jiesu", "--db", str(db), "--rules", str(RULES), "--now", now]
    return subprocess.run([*command, "--operator", "cron", *args], check=True, capture_output=True).stdout


def save(folder: Path, report_db: Path, escalate_db: Path | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for month in ("2026-06", "2026-10"):
        for lang in ("zh", "en"):
            for fmt in ("json", "csv", "markdown", "table"):
                out = jiesu(report_db, REPORT_NOW, "--lang", lang, "report", "--month", month, "--format", fmt)
                (folder / f"report-{month}-{lang}.{fmt}").write_bytes(out)
    if escalate_db is None:
        return
    (folder / "escalate-dry-run.json").write_bytes(
        jiesu(escalate_db, ESCALATE_NOW, "escalate", "--dry-run", "--format", "json")
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "escalate.db"
        shutil.copyfile(escalate_db, work)
        conn = sqlite3.connect(work)
        before = {t: conn.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0] for t in ("alerts", "events")}
        conn.close()
        (folder / "escalate.json").write_bytes(jiesu(work, ESCALATE_NOW, "escalate", "--format", "json"))
        conn = sqlite3.connect(work)
        with (folder / "escalate-rows.txt").open("w", encoding="utf-8") as stream:
            for table, first in before.items():
                for row in conn.execute(f"SELECT * FROM {table} WHERE id > ? ORDER BY id", (first,)):
                    stream.write(f"{table} {row!r}\n")
            for row in conn.execute("SELECT * FROM tickets WHERE escalation_level > 0 ORDER BY id"):
                stream.write(f"tickets {row!r}\n")
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--report-db", type=Path, required=True)
    parser.add_argument("--escalate-db", type=Path)
    parser.add_argument("--compare", type=Path)
    args = parser.parse_args()
    save(args.folder, args.report_db, args.escalate_db)
    names = sorted(p.name for p in args.folder.iterdir())
    if args.compare is None:
        print(f"saved {len(names)} outputs in {args.folder}")
        return
    differ = [n for n in names if not filecmp.cmp(args.folder / n, args.compare / n, shallow=False)]
    missing = sorted({p.name for p in args.compare.iterdir()} - set(names))
    for name in differ + missing:
        print(f"DIFFERS: {name}")
    print(
        f"{len(names) - len(differ)} of {len(names)} outputs byte-identical"
        + (f"; {len(missing)} missing" if missing else "")
    )
    sys.exit(1 if differ or missing else 0)


if __name__ == "__main__":
    main()
