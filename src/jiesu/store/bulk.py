"""Fast multi-row inserts: one compiled statement, values converted once, DB-API executemany.

ORM objects per row are ~25x slower than executemany on these machines (shared/MEASURED.md), so
the batch paths convert values with each column's own bind processor (the same conversion the ORM
would apply, e.g. aware datetimes to UTC) and hand whole batches to the driver.
"""

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Connection, Insert, Table, text
from sqlalchemy.engine import Dialect

from jiesu.store.coltypes import UtcDateTime


class BulkInsert:
    """A prepared INSERT of `columns` into `table` for the connection's dialect.

    Rows are mappings holding every column. Values go through each column's bind processor for
    the dialect (dialect_impl: e.g. SQLite's DATETIME string format), exactly what Core and the
    ORM apply, so rows written here compare equal to rows written there. None is passed as NULL
    unprocessed, which is what every processor here does with it (JSON columns use none_as_null).
    On SQLite, Booleans become the ints 1/0 their processor would hand the driver, by `int` alone.

    On SQLite, a column that is None in every row of a batch is left out of that batch's INSERT
    where leaving it out stores NULL too (no default of either kind): the driver binds a value that
    is not exactly an int, float or str (None, True, a str Enum) only after looking it up among its
    adapters (~1 µs a value), while the checking costs a transposition of the batch.

    The conversion of a row is one generated function per statement (`_converter`): a row's
    values are read by one itemgetter and each column's processor is called only where it has
    one, with no loop over columns; SQLite's datetimes look their text up in a memo first.

    A JSON column's value may be given as `JsonText`, already serialized: it is stored as it is.

    On PostgreSQL the rows are sent with COPY … FROM STDIN (psycopg's `cursor.copy`), the
    server's bulk path, unless `skip_existing` (COPY cannot skip rows).

    `skip_existing`: INSERT … ON CONFLICT DO NOTHING (SQLite and PostgreSQL alike), so a row that
    would break a unique constraint is left out instead of failing the batch.
    """

    def __init__(self, conn: Connection, table: Table, columns: Sequence[str], *, skip_existing: bool = False) -> None:
        self._conn = conn
        self.rows = RowConverter(conn.dialect, table, columns, skip_existing=skip_existing)

    def execute(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Insert every row; returns how many (with `skip_existing`: how many were new, as the
        driver counts them)."""
        return self.execute_converted(self.rows.convert(rows))

    def execute_converted(self, params: list[Any]) -> int:
        """Insert rows already converted by this statement's `rows.convert` (in this process or
        another one with the same dialect); returns how many, as `execute` does."""
        if not params:
            return 0
        rows = self.rows
        if rows.copy is not None:
            cursor = self._conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            with cursor.copy(rows.copy) as copy:
                for values in params:
                    copy.write_row(values)
            return len(params)
        sql, params = rows.without_empty_columns(params)
        result = self._conn.exec_driver_sql(sql, params)
        return result.rowcount if rows.skip_existing else len(params)


class RowConverter:
    """An INSERT of `columns` into `table` compiled for `dialect`, and the conversion of row
    mappings into its driver parameters. It needs no connection, so the rows of a batch can be
    converted in one process and written in another (services.importing's worker)."""

    def __init__(self, dialect: Dialect, table: Table, columns: Sequence[str], *, skip_existing: bool = False) -> None:
        statement = _insert_skipping_existing(dialect.name, table) if skip_existing else table.insert()
        compiled = statement.compile(dialect=dialect, column_keys=list(columns))
        self._dialect = dialect
        self._statement = statement
        self.skip_existing = skip_existing
        self.sql = str(compiled)
        self._positional = compiled.positional
        # the columns in the order of the driver's parameters
        self.order = list(compiled.positiontup or columns) if compiled.positional else list(columns)
        self.copy = None if skip_existing or dialect.name != "postgresql" else _copy_statement(table, self.order)
        # the columns a batch may leave out when they are None in all its rows (SQLite stores NULL)
        self._omittable = (
            [i for i, name in enumerate(self.order) if _null_when_left_out(table.c[name])]
            if dialect.name == "sqlite" and self._positional
            else []
        )
        self._narrowed: dict[tuple[int, ...], str | None] = {}
        processors: dict[int, Callable[[Any], Any]] = {}
        for index, name in enumerate(self.order):
            column_type = table.c[name].type
            processor: Callable[[Any], Any] | None = column_type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None and dialect.name == "sqlite":
                if isinstance(column_type, Boolean):
                    processor = int  # what the processor hands the driver for True/False: 1/0
                elif isinstance(column_type, UtcDateTime):
                    processor = sqlite_utc_datetime
            if processor is not None and isinstance(column_type, JSON):
                processor = _json_or_text(processor, dialect.name)
            if processor is not None:
                processors[index] = processor
        self.convert = _converter(self.order, processors, as_tuples=self._positional or self.copy is not None)

    def without_empty_columns(self, params: list[Any]) -> tuple[str, list[Any]]:
        """The statement and parameters without the omittable columns that are None in every row."""
        if not self._omittable:
            return self.sql, params
        columns = list(zip(*params, strict=True))
        empty = tuple(i for i in self._omittable if columns[i].count(None) == len(params))
        if not empty:
            return self.sql, params
        if empty not in self._narrowed:
            kept_names = [name for i, name in enumerate(self.order) if i not in empty]
            compiled = self._statement.compile(dialect=self._dialect, column_keys=kept_names)
            # None: the statement would not be the columns given alone (e.g. a default filled in)
            same = compiled.positional and list(compiled.positiontup or ()) == kept_names
            self._narrowed[empty] = str(compiled) if same else None
        sql = self._narrowed[empty]
        if sql is None:
            return self.sql, params
        return sql, list(zip(*(column for i, column in enumerate(columns) if i not in empty), strict=True))


def _converter(
    order: Sequence[str], processors: Mapping[int, Callable[[Any], Any]], *, as_tuples: bool
) -> Callable[[Iterable[Mapping[str, Any]]], list[Any]]:
    """A function turning row mappings into the driver's parameters: tuples in `order` (or dicts,
    for a dialect with named parameters), each value through its column's processor unless None.

    Generated as source once per statement: per row it is one itemgetter call and one tuple,
    which is most of what batch intake's Python costs per value.
    """
    names = [f"v{i}" for i in range(len(order))]
    cells = []
    for i, name in enumerate(names):
        processor = processors.get(i)
        if processor is None:
            cells.append(name)
        elif processor is sqlite_utc_datetime:  # the memo first: a ticket's times are mostly one value
            cells.append(f"(memo({name}) or p{i}({name}) if {name} is not None else None)")
        else:
            cells.append(f"(p{i}({name}) if {name} is not None else None)")
    row = (
        f"({', '.join(cells)},)"
        if as_tuples
        else "{" + ", ".join(f"{o!r}: {c}" for o, c in zip(order, cells, strict=True)) + "}"
    )
    unpack = f"{', '.join(names)}," if len(names) > 1 else f"({names[0]},)"
    source = (
        f"def convert(rows):\n"
        f"    out = []\n"
        f"    add = out.append\n"
        f"    for row in rows:\n"
        f"        {unpack} = get(row)\n"
        f"        add({row})\n"
        f"    return out\n"
    )
    get = itemgetter(*order) if len(order) > 1 else (lambda row, key=order[0]: (row[key],))
    scope: dict[str, Any] = {"get": get, "memo": _formatted.get, **{f"p{i}": p for i, p in processors.items()}}
    exec(compile(source, f"<BulkInsert {', '.join(order)}>", "exec"), scope)  # our own source, built above
    return scope["convert"]


def _null_when_left_out(column: Column[Any]) -> bool:
    """Whether an INSERT without the column stores NULL in it: nullable, no default of any kind."""
    return (
        column.nullable is True
        and not column.primary_key
        and column.default is None
        and column.server_default is None
        and column.onupdate is None
    )


class JsonText(str):
    """A JSON column's value serialized already, exactly as `json.dumps` would serialize it (the
    serializer the engine's JSON columns use): a bulk path whose values repeat builds their text
    from parts it serialized once. BulkInsert stores it unchanged, where a dict would be serialized."""

    __slots__ = ()


def _json_or_text(processor: Callable[[Any], Any], dialect: str) -> Callable[[Any], Any]:
    """A JSON column's processor taking `JsonText` too: on SQLite, the text as it is (the text the
    processor would have made); elsewhere the value it says, through the processor (psycopg wraps
    values in its Json, which serializes them with json.dumps again: the same text)."""
    if dialect == "sqlite":

        def process(value: Any) -> Any:
            return str(value) if value.__class__ is JsonText else processor(value)

        return process

    import json

    def process_parameter(value: Any) -> Any:
        return processor(json.loads(value) if value.__class__ is JsonText else value)

    return process_parameter


def _copy_statement(table: Table, columns: Sequence[str]) -> str:
    """COPY table (columns…) FROM STDIN, with names quoted as PostgreSQL needs them."""
    return f'COPY "{table.name}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) FROM STDIN'


def _insert_skipping_existing(dialect: str, table: Table) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING: each dialect module has its own insert() that can say it.

    Imported here: the PostgreSQL dialect costs ~0.2 s to import, which a SQLite run never needs.
    """
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table).on_conflict_do_nothing()
    if dialect == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table).on_conflict_do_nothing()
    raise NotImplementedError(f"no ON CONFLICT DO NOTHING for {dialect}")


def sqlite_utc_datetime(value: datetime) -> str:
    """What UTCDateTime stores on SQLite ('2021-02-10 02:00:00.000000' in UTC), several times faster.

    The bind processor composes astimezone with a %-format; isoformat gives the same text
    (tests/store/test_bulk.py checks them against each other). Memoised, since a ticket's
    created_at, updated_at, event and assignment times are one value; the memo is bounded.
    """
    text = _formatted.get(value)
    if text is None:
        if len(_formatted) >= 20_000:
            _formatted.clear()
        if value.tzinfo is UTC:  # as the domain keeps its times: only the "+00:00" to drop
            text = value.isoformat(" ", "microseconds")[:26]
        elif value.utcoffset() is None:
            raise ValueError("Datetime values must have timezone information")
        else:
            text = value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
        _formatted[value] = text
    return text


_formatted: dict[datetime, str] = {}


@contextmanager
def few_collections() -> Iterator[None]:
    """Run bulk work with the cyclic garbage collector mostly out of the way.

    A batch of thousands of rows allocates millions of short-lived, acyclic objects; at the
    default thresholds the collector runs every 700 allocations and keeps re-scanning everything
    alive (the rules, the automaton, the batch), about a fifth of an import's time. Objects alive
    now are frozen out of its scans and it runs less often; it still runs, so memory stays flat.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 50, 1_000)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def reserve_ids(conn: Connection, table: Table, count: int) -> list[int]:
    """`count` fresh primary keys for `table`, so child rows can point at rows inserted in bulk.

    On SQLite the caller holds the write lock (BEGIN IMMEDIATE), so max(id)+1… cannot collide;
    on PostgreSQL the ids come from the table's own sequence.
    """
    if count <= 0:
        return []
    if conn.dialect.name == "sqlite":
        start = conn.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table.name}")).scalar_one()
        return list(range(start + 1, start + 1 + count))
    rows = conn.execute(
        text(f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) FROM generate_series(1, :n)"),
        {"n": count},
    )
    return [int(r[0]) for r in rows]
