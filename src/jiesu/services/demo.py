"""`jiesu demo`: a fresh case file filled from the bundled sample requests, through the real paths."""

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jiesu.errors import RefusedError, UsageError
from jiesu.services.context import Office
from jiesu.services.importing import ImportSummary, Progress, import_file
from jiesu.store.engine import transaction
from jiesu.store.tickets import counts_by

SAMPLE_REQUESTS = "requests.csv"
SAMPLE_RULES = "dongcheng.toml"


def sample_data_dir() -> Path:
    """JIESU_SAMPLE_DATA, else the sample_data/ folder of the source tree jiesu runs from."""
    given = os.environ.get("JIESU_SAMPLE_DATA")
    if given:
        return Path(given)
    return Path(__file__).resolve().parents[3] / "sample_data"


def fresh_case_file(db: str | None) -> str:
    """The demo's case file: a new temporary one, or `db`, which must not exist yet."""
    if db is None:
        return str(Path(tempfile.mkdtemp(prefix="jiesu-demo-")) / "demo.db")
    if "://" not in db and Path(db).exists():
        raise RefusedError(f"{db} already exists; the demo never overwrites a case file; pick a new path")
    return db


@dataclass
class DemoResult:
    """What the demo did, for the CLI to show."""

    db: str
    imported: ImportSummary
    by_status: list[tuple[str | None, int]]
    by_kind: list[tuple[str | None, int]]
    by_channel: list[tuple[str | None, int]]
    by_lead_unit: list[tuple[str | None, int]]


def run_demo(office: Office, *, progress: Progress | None = None) -> DemoResult:
    """Take in the sample requests into office's (fresh) case file and count what came in."""
    requests = sample_data_dir() / SAMPLE_REQUESTS
    if not requests.is_file():
        raise UsageError(
            "sample-data", f"{requests} not found; run from a jiesu source checkout or set JIESU_SAMPLE_DATA"
        )
    summary = import_file(office, requests, rejects_path=Path(office.db).with_suffix(".rejects.csv"), progress=progress)
    with transaction(office.engine, write=False) as conn:
        return DemoResult(
            db=office.db,
            imported=summary,
            by_status=counts_by(conn, "status"),
            by_kind=counts_by(conn, "kind"),
            by_channel=counts_by(conn, "channel"),
            by_lead_unit=counts_by(conn, "lead_unit"),
        )
