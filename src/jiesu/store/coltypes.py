"""The column types the case file's tables use at run time, importable without SQLModel.

models.py declares the tables with SQLModel, whose columns carry its own types: `AutoString` (a
String that only differs on MySQL) and `UTCDateTime` (aware datetimes stored in UTC). Importing
SQLModel imports pydantic and SQLAlchemy's ORM as well, about a third of a small command's
start-up, while commands only need the tables (store/tables.py). So the tables commands use carry
these equivalents instead: String, and `UtcDateTime` below; `tests/store/test_tables.py` checks
that both give the same DDL on SQLite and PostgreSQL and convert values the same way.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, Interval, TypeDecorator
from sqlalchemy.engine import Dialect


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime, stored in UTC and read back as UTC.

    A naive datetime is refused when written: which zone it meant is unknown. SQLite stores no
    offset, so what it gives back is UTC without one, and gets it here.
    """

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def __repr__(self) -> str:
        return "UtcDateTime()"

    def __reduce__(self) -> tuple[type["UtcDateTime"], tuple[()]]:
        # Unpickled by construction: restored as plain state inside a pickled MetaData, the type
        # can be used by a column before its state is back, and memoizes the class DateTime as
        # its implementation.
        return UtcDateTime, ()

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("a naive datetime cannot be stored: give it a timezone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)

    def coerce_compared_value(self, op: Any, value: Any) -> Any:
        return Interval() if isinstance(value, timedelta) else self
