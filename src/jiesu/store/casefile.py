"""Opening the case file a user named, and saying in one line what is wrong when it cannot be opened.

Only the commands that create a case file (`init`, `demo`, and the ones that take requests in) may
bring a new one into being; every other command refuses a missing file, so a cron job with a
mistyped `--db` fails loudly instead of running green on an empty file forever.

A new SQLite case file is created readable by its owner only, or by a configured group (see
store/files.py), and a new case file records the OS login that created it as its owner.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DBAPIError, OperationalError

from jiesu.errors import CaseFileError, UsageError
from jiesu.store.engine import create_case_engine, transaction
from jiesu.store.files import create_private
from jiesu.store.schema import ensure_schema, read_version

SQLITE_HEADER = b"SQLite format 3\x00"
POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
RUN_INIT = "run `jiesu init` to create one, or check --db/JIESU_DB"


def open_case_file(db: str, *, create: bool, owner: str | None = None, group: str = "") -> Engine:
    """An engine on the case file `db`, its schema created or upgraded; CaseFileError when it cannot be.

    A case file created now records `owner` and, as a SQLite file, is shared with `group` if one is given.
    """
    return _open(db, create=create, owner=owner, group=group)[0]


def init_case_file(db: str, *, owner: str | None = None, group: str = "") -> int:
    """Create or upgrade the case file `db`; the schema version it had before (0 when new)."""
    engine, before = _open(db, create=True, owner=owner, group=group)
    engine.dispose()
    return before


def _open(db: str, *, create: bool, owner: str | None, group: str) -> tuple[Engine, int]:
    if "://" in db:
        return _open_postgres(db, create=create, owner=owner)
    return _open_sqlite(Path(db).expanduser(), create=create, owner=owner, group=group)


def is_postgres(db: str) -> bool:
    """Whether `db` names a PostgreSQL database rather than a SQLite file."""
    return db.startswith(POSTGRES_SCHEMES)


def shown_url(db: str) -> str:
    """`db` with any password replaced by ***, for messages."""
    parts = urlsplit(db)
    if parts.password is None:
        return db
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def holds_case_file(db: str) -> bool:
    """Whether `db` already holds anything (a SQLite file, or tables in a PostgreSQL database)."""
    if "://" not in db:
        return Path(db).expanduser().exists()
    engine = _postgres_engine(db)
    try:
        with _reporting(db), transaction(engine, write=False) as conn:
            return bool(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _open_sqlite(path: Path, *, create: bool, owner: str | None, group: str) -> tuple[Engine, int]:
    if path.is_dir():
        raise CaseFileError(f"{path} is a folder, not a case file; name a file, e.g. {path / 'jiesu.db'}")
    empty = not path.exists() or path.stat().st_size == 0
    if empty and not create:
        raise CaseFileError(f"no case file at {path}; {RUN_INIT}")
    if empty and not path.parent.is_dir():
        raise CaseFileError(f"cannot create case file {path}: folder {path.parent} does not exist; create it first")
    if not empty:
        _check_sqlite_header(path)
    elif not path.exists():
        # before SQLite creates it 0644; its -wal and -shm files take this file's mode
        try:
            create_private(path, group=group)
        except OSError as exc:
            raise CaseFileError(f"cannot create case file {path}: {exc.strerror or exc}") from None
    engine = create_case_engine(str(path))
    with _reporting(str(path)):
        if not create:
            _refuse_without_schema(engine, str(path))
        before = ensure_schema(engine, owner=owner)
    return engine, before


def _check_sqlite_header(path: Path) -> None:
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise CaseFileError(f"cannot read case file {path}: {exc.strerror or exc}") from None
    if header != SQLITE_HEADER:
        raise CaseFileError(f"{path} is not a jiesu case file (not a SQLite database); check --db/JIESU_DB")


def _open_postgres(db: str, *, create: bool, owner: str | None) -> tuple[Engine, int]:
    engine = _postgres_engine(db)
    with _reporting(db):
        if not create:
            _refuse_without_schema(engine, shown_url(db))
        before = ensure_schema(engine, owner=owner)
    return engine, before


def _postgres_engine(db: str) -> Engine:
    if not is_postgres(db):
        scheme = db.partition("://")[0]
        raise UsageError("db", f"unknown database kind {scheme!r}; give a SQLite file path or a postgresql:// URL")
    try:
        import psycopg  # noqa: F401  (the driver SQLAlchemy will load)
    except ImportError:
        raise CaseFileError(
            "PostgreSQL support is not installed; install jiesu with its extra: pip install 'jiesu[postgres]'"
        ) from None
    return create_case_engine(db)


def _refuse_without_schema(engine: Engine, shown: str) -> None:
    """Refuse a database that holds no jiesu schema (an empty file or database) for a command that
    only reads or changes what is there."""
    with transaction(engine, write=False) as conn:
        if read_version(conn) is not None:
            return
        if inspect(conn).get_table_names():
            raise CaseFileError(f"{shown} is not a jiesu case file (it has tables of another program); check --db")
        raise CaseFileError(f"no case file at {shown}; {RUN_INIT}")


@contextmanager
def _reporting(db: str) -> Iterator[None]:
    """Turns the driver's errors on opening into one line naming the case file."""
    shown = shown_url(db)
    try:
        yield
    except DBAPIError as exc:
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        if isinstance(exc, OperationalError) and "://" in db:
            raise CaseFileError(f"cannot connect to {shown}: {detail}") from None
        raise CaseFileError(f"cannot open case file {shown}: {detail}") from None
