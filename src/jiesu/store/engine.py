"""Opening a case file: SQLite with WAL, foreign keys and a busy timeout, or a PostgreSQL URL.

Errors never carry row values: engines hide statement parameters (`hide_parameters`), and a write
the database refuses (a constraint, a value it cannot store) becomes one RefusedError line built
from the error's kind and the names involved, never from the rows (PostgreSQL's DETAIL line
quotes the failing row, confidential fields included).
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeAlias

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

from jiesu.errors import RefusedError

BUSY_TIMEOUT_MS = 60_000
# Page cache per connection, in KiB (SQLite's default is 2 MiB). Pages are allocated as used, so a
# small case file costs nothing more; a large import or report keeps its indexes' hot pages in
# memory instead of re-reading them (a 500k-ticket import into jiesu's schema: 8% faster).
CACHE_KIB = 65_536

# The types the layers above name without importing SQLAlchemy: an open case file, and one
# transaction's connection on it (what `transaction` yields).
CaseFile: TypeAlias = Engine
CaseConnection: TypeAlias = Connection


def database_url(db: str) -> str:
    """A path becomes a SQLite URL; anything with a scheme (postgresql://…) is used as it is."""
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser()}"


def create_case_engine(db: str) -> Engine:
    """An engine for the case file, configured so concurrent commands wait instead of failing."""
    url = database_url(db)
    if not url.startswith("sqlite"):
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    engine = create_engine(url, hide_parameters=True)
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # Let us issue BEGIN ourselves: pysqlite's own implicit transactions cannot BEGIN IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _use_wal(cursor)
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    cursor.close()


def _use_wal(cursor: Any) -> None:
    """Switch the file to WAL once (it stays WAL). The switch needs an exclusive lock and SQLite
    does not always wait for it with the busy timeout, so a process that opens a brand-new case
    file while another does retries for a while instead of failing."""
    import sqlite3
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _begin_sqlite_transaction(conn: Connection) -> None:
    # A writer takes the write lock at BEGIN, so two writers queue (busy timeout) rather than
    # deadlock on a read lock upgraded half-way through.
    if conn.get_execution_options().get("jiesu_write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


# Any constant: the key of the PostgreSQL advisory lock that plays the part of SQLite's write lock.
WRITE_LOCK_KEY = 0x6A696573  # "jies"


@contextmanager
def transaction(engine: Engine, *, write: bool) -> Iterator[Connection]:
    """One transaction on its own connection: committed when the block ends, rolled back on error.

    A write transaction holds the case file's write lock from its first statement, on SQLite
    (BEGIN IMMEDIATE) and on PostgreSQL (a transaction-level advisory lock) alike: writers queue
    instead of interleaving, so check-then-insert steps (external ids, state changes) are safe.

    A write the database refuses (IntegrityError, DataError) is rolled back and raised as a
    RefusedError that names what was refused but no value (see `value_free_reason`).
    """
    try:
        with engine.connect() as conn:
            if write:
                conn.execution_options(jiesu_write=True)
            with conn.begin():
                if write and conn.dialect.name == "postgresql":
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
                yield conn
    except (IntegrityError, DataError) as exc:
        # from None: a traceback of the RefusedError must not show the driver's error either
        raise RefusedError(f"the case file refused the write ({value_free_reason(exc)}); it was rolled back") from None


_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")


def value_free_reason(exc: DBAPIError) -> str:
    """What the database said, without any value of the rows it was given.

    SQLite's messages name tables, columns and constraints, never values, so its first line is
    kept. PostgreSQL's first line can quote a value (`invalid input syntax for type integer:
    "…"`) and its DETAIL line quotes the whole failing row, so only the first line is kept, every
    quoted part blanked, and the constraint, table and column named from the error's fields
    (identifiers, never values).
    """
    orig = exc.orig
    lines = str(orig if orig is not None else type(exc).__name__).strip().splitlines()
    first = lines[0] if lines else type(exc).__name__
    diag = getattr(orig, "diag", None)
    if diag is None:
        return first
    names = [
        f"{kind} {value}"
        for kind, value in (
            ("constraint", diag.constraint_name),
            ("table", diag.table_name),
            ("column", diag.column_name),
        )
        if value
    ]
    reason = _QUOTED.sub("…", first)
    return f"{reason} ({', '.join(names)})" if names else reason
