"""The demo's sample district (rules and requests) and the case file it plays in."""

import os
import tempfile
from pathlib import Path

from jiesu.errors import RefusedError

SAMPLE_REQUESTS = "requests.csv"
SAMPLE_RULES = "dongcheng.toml"
SAMPLE_MONTH = "2026-10"


def sample_data_dir() -> Path:
    """JIESU_SAMPLE_DATA, else the sample district shipped inside the package (the same files as the
    source tree's sample_data/)."""
    given = os.environ.get("JIESU_SAMPLE_DATA")
    if given:
        return Path(given)
    return Path(__file__).resolve().parents[2] / "sample_data"


def fresh_case_file(db: str | None) -> str:
    """The demo's case file: a new temporary one, or `db`, which must hold nothing yet (a new path,
    or a PostgreSQL database without tables)."""
    from jiesu.store.casefile import holds_case_file, shown_url

    if db is None:
        return str(Path(tempfile.mkdtemp(prefix="jiesu-demo-")) / "demo.db")
    if not holds_case_file(db):
        return db
    if "://" in db:
        raise RefusedError(
            f"database {shown_url(db)} already holds tables; the demo never writes into an existing case file; "
            "name an empty database"
        )
    raise RefusedError(f"{db} already exists; the demo never overwrites a case file; pick a new path")
