"""The case file's tables as SQLAlchemy Core tables, for queries, bulk inserts and creating a file.

`models.py` declares them, as SQLModel classes. Nothing at run time needs the classes, only their
tables, and building the classes costs more than a small command's own work: pydantic and the ORM
mapper run for each of the fourteen (~70 ms of a one-ticket intake's ~0.6 s on these machines,
benchmarks/bench_startup.py). So the first command after an install or an edit of models.py builds
them and pickles their MetaData into the cache folder (the one checked rules files go to,
`jiesu.cachedir`), under a fingerprint of models.py's and coltypes.py's content and of the versions of
Python, SQLAlchemy and SQLModel; later commands unpickle it (~8 ms). The cached tables carry
store/coltypes.py's column types instead of SQLModel's, so reading them imports neither SQLModel
nor, through it, pydantic and SQLAlchemy's ORM (~150 ms). A folder that cannot be read
or written, or an entry that cannot be unpickled, only means building the classes as before;
`tests/store/test_tables.py` checks the cached tables are the declared ones, column for column.
"""

import contextlib
import hashlib
import os
import pickle
import sys
from importlib.util import find_spec
from pathlib import Path

import sqlalchemy
from sqlalchemy import MetaData, String, Table

from jiesu.cachedir import cache_dir
from jiesu.store.coltypes import UtcDateTime

_MODELS = Path(__file__).with_name("models.py")
_COLUMN_TYPES = Path(__file__).with_name("coltypes.py")


def _entry() -> Path:
    """The cache entry for this models.py and coltypes.py under this Python, SQLAlchemy and SQLModel (SQLModel
    known by its installed files, not imported: importing it is the cost the cache saves)."""
    digest = hashlib.sha256(_MODELS.read_bytes() + _COLUMN_TYPES.read_bytes()).hexdigest()[:20]
    python = f"{sys.version_info[0]}{sys.version_info[1]}"
    return cache_dir() / f"tables-{digest}-py{python}-sa{sqlalchemy.__version__}-sm{_sqlmodel_stamp()}.pickle"


def _sqlmodel_stamp() -> str:
    """Size and time of SQLModel's installed package file: they change with any install of it."""
    spec = find_spec("sqlmodel")
    if spec is None or spec.origin is None:
        raise OSError("sqlmodel's files are not where a cache could key on them")
    found = os.stat(spec.origin)
    return f"{found.st_size}-{found.st_mtime_ns}"


def declared_metadata() -> MetaData:
    """The tables as models.py declares them (builds the SQLModel classes: the slow way)."""
    import sqlmodel

    from jiesu.store import models  # noqa: F401  (registers the tables on SQLModel.metadata)

    return sqlmodel.SQLModel.metadata


def run_time_metadata(declared: MetaData) -> MetaData:
    """A copy of the declared tables whose columns carry store/coltypes.py's types instead of
    SQLModel's (the same DDL and the same values; see the module's docstring)."""
    from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

    metadata: MetaData = pickle.loads(pickle.dumps(declared))  # a copy, constraints in their order
    for table in metadata.tables.values():
        for column in table.columns:
            if isinstance(column.type, UTCDateTime):
                column.type = UtcDateTime()
            elif isinstance(column.type, AutoString):
                column.type = String()
    return metadata


def _load() -> MetaData:
    """The cached tables of this models.py, else the declared ones (cached for next time)."""
    try:
        entry = _entry()
    except OSError:  # models.py unreadable (a zipped install): nothing to key a cache on
        return run_time_metadata(declared_metadata())
    try:
        with entry.open("rb") as stream:
            cached = pickle.load(stream)
        if isinstance(cached, MetaData) and "tickets" in cached.tables:
            return cached
    except Exception:  # missing, unreadable, or from another library version: build them
        pass
    metadata = run_time_metadata(declared_metadata())
    partial = entry.with_name(f".{entry.name}.{os.getpid()}")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as stream:
            pickle.dump(metadata, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, entry)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        with contextlib.suppress(OSError):
            partial.unlink()
    return metadata


METADATA = _load()


def _table(name: str) -> Table:
    return METADATA.tables[name]


TICKETS = _table("tickets")
EVENTS = _table("events")
ATTACHMENTS = _table("attachments")
ASSIGNMENTS = _table("assignments")
UNITS = _table("units")
META = _table("jiesu_meta")
CALLBACKS = _table("callbacks")
ALERTS = _table("alerts")
REQUESTS = _table("requests")
PUBLICATIONS = _table("publications")
PUBLICATION_TICKETS = _table("publication_tickets")
CORRECTIONS = _table("corrections")
LEARNED_MODELS = _table("learned_models")

# Tables whose rows are never updated or deleted; the database refuses it too (store/schema.py).
APPEND_ONLY = ("events", "publications", "publication_tickets", "corrections")

TICKET_COLUMNS = [c.name for c in TICKETS.columns]
EVENT_COLUMNS = [c.name for c in EVENTS.columns]
ATTACHMENT_COLUMNS = [c.name for c in ATTACHMENTS.columns]
ASSIGNMENT_COLUMNS = [c.name for c in ASSIGNMENTS.columns]
# The columns a bulk insert gives for rows whose id the database numbers.
EVENT_INSERT_COLUMNS = [c for c in EVENT_COLUMNS if c != "id"]
ATTACHMENT_INSERT_COLUMNS = [c for c in ATTACHMENT_COLUMNS if c != "id"]
ASSIGNMENT_INSERT_COLUMNS = [c for c in ASSIGNMENT_COLUMNS if c != "id"]
