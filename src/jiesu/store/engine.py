"""Opening a case file: SQLite with WAL, foreign keys and a busy timeout, or a PostgreSQL URL.

Errors never carry row values: engines hide statement parameters (`hide_parameters`), and a write
the database refuses (a constraint, a value it cannot store) becomes one RefusedError line built
from the error's kind and the names involved, never from the rows (PostgreSQL's DETAIL line
quotes the failing row, confidential fields included).
"""

import re
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, TypeAlias

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from jiesu.errors import BusyError, RefusedError
from jiesu.store.pragmas import BUSY_TIMEOUT_MS, CACHE_KIB

# A long write (a batch import) commits in chunks of about this long, so a clerk's intake or an
# escalation run waits at most about a chunk for the write lock, never the whole import (60,000 rows
# imported in chunks took no longer than in one transaction, within this machine's noise).
CHUNK_SECONDS = 2.0
# Between chunks a long write steps aside this long. SQLite gives the lock to nobody in particular:
# a waiting writer polls (its busy handler sleeps up to 100 ms between tries) and would keep missing
# a lock released and retaken at once. PostgreSQL queues lock waiters, so there it needs no pause.
SQLITE_WRITER_GAP_SECONDS = 0.11

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

    A write the database refuses (IntegrityError, DataError, as SQLAlchemy raises them or, from a
    bulk COPY on the driver's own cursor, as the driver does) is rolled back and raised as a
    RefusedError that names what was refused but no value (see `value_free_reason`).
    """
    try:
        with engine.connect() as conn:
            if write:
                conn.execution_options(jiesu_write=True)
            with conn.begin():
                if write and conn.dialect.name == "postgresql":
                    # Waits like SQLite's busy timeout, then fails instead of hanging behind a stuck writer.
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS}")
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
                yield conn
    except (IntegrityError, DataError) as exc:
        # from None: a traceback of the RefusedError must not show the driver's error either
        raise _refused(exc.orig if exc.orig is not None else exc) from None
    except OperationalError as exc:
        if _is_lock_wait(exc):
            raise BusyError(
                f"the case file is busy: another command held it for {BUSY_TIMEOUT_MS // 1000} s "
                "(a long import or a stuck program?); try again in a moment"
            ) from None
        raise
    except Exception as exc:
        if not _is_driver_refusal(engine, exc):
            raise
        raise _refused(exc) from None


def _refused(error: BaseException) -> RefusedError:
    reason = value_free_reason(error)
    return RefusedError(f"the case file refused the write ({reason}); it was rolled back")


def _is_driver_refusal(engine: Engine, exc: Exception) -> bool:
    """Whether `exc` is the driver's own IntegrityError or DataError (PEP 249 names them alike),
    raised where SQLAlchemy does not wrap it: psycopg's COPY in store/bulk.py."""
    driver = engine.dialect.dbapi
    refusals = tuple(getattr(driver, name) for name in ("IntegrityError", "DataError") if hasattr(driver, name))
    return bool(refusals) and isinstance(exc, refusals)


def _is_lock_wait(exc: OperationalError) -> bool:
    """Whether the driver gave up waiting for a lock (SQLite: "database is locked"; PostgreSQL:
    lock_timeout's "canceling statement due to lock timeout", SQLSTATE 55P03)."""
    if getattr(exc.orig, "sqlstate", None) == "55P03":
        return True
    message = str(exc.orig)
    return "database is locked" in message or "database table is locked" in message


class WriteChunks:
    """A long write as a run of short write transactions, so other writers get in between them.

    `connection()` is the open chunk's connection (a new chunk starts when none is open);
    `end_chunk_if_due()` commits the chunk once it has held the write lock for `seconds`, then
    steps aside for waiting writers. Leaving the block commits the last chunk, or rolls it back on
    an error: what earlier chunks wrote stays, whole.
    """

    def __init__(self, engine: Engine, *, seconds: float | None = None) -> None:
        self.engine = engine
        self.seconds = CHUNK_SECONDS if seconds is None else seconds
        self.chunks = 0  # committed so far
        self._open: ExitStack | None = None
        self._conn: Connection | None = None
        self._started = 0.0

    def __enter__(self) -> "WriteChunks":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.commit()
        elif self._open is not None:
            stack, self._open, self._conn = self._open, None, None
            stack.__exit__(kind, error, trace)

    def connection(self) -> Connection:
        """The open chunk's connection, beginning a chunk (and taking the write lock) if needed."""
        if self._conn is None:
            stack = ExitStack()
            self._conn = stack.enter_context(transaction(self.engine, write=True))
            self._open = stack
            self._started = time.monotonic()
        return self._conn

    def end_chunk_if_due(self) -> bool:
        """Commit the open chunk if it has been open `seconds`, and let waiting writers in."""
        if self._conn is None or time.monotonic() - self._started < self.seconds:
            return False
        self.commit()
        let_writers_in(self.engine)
        return True

    def commit(self) -> None:
        """Commit the open chunk, if any."""
        if self._open is not None:
            stack, self._open, self._conn = self._open, None, None
            stack.close()
            self.chunks += 1


def let_writers_in(engine: Engine) -> None:
    """Step aside long enough for a writer waiting on SQLite's lock to take it (see SQLITE_WRITER_GAP_SECONDS)."""
    if engine.dialect.name == "sqlite":
        time.sleep(SQLITE_WRITER_GAP_SECONDS)


_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")


def value_free_reason(error: BaseException) -> str:
    """What the database said (the driver's `error`), without any value of the rows it was given.

    SQLite's messages name tables, columns and constraints, never values, so its first line is
    kept. PostgreSQL's first line can quote a value (`invalid input syntax for type integer:
    "…"`) and its DETAIL line quotes the whole failing row, so only the first line is kept, every
    quoted part blanked, and the constraint, table and column named from the error's fields
    (identifiers, never values).
    """
    lines = str(error).strip().splitlines()
    first = lines[0] if lines else type(error).__name__
    diag = getattr(error, "diag", None)
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
