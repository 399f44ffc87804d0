"""Fast multi-row inserts: one compiled statement, values converted once, DB-API executemany.

ORM objects per row are ~25x slower than executemany on these machines (shared/MEASURED.md), so
the batch paths convert values with each column's own bind processor (the same conversion the ORM
would apply, e.g. aware datetimes to UTC) and hand whole batches to the driver.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, text


class BulkInsert:
    """A prepared INSERT of `columns` into `table` for the connection's dialect."""

    def __init__(self, conn: Connection, table: Table, columns: Sequence[str]) -> None:
        dialect = conn.dialect
        compiled = table.insert().compile(dialect=dialect, column_keys=list(columns))
        self._conn = conn
        self._sql = str(compiled)
        self._columns = list(columns)
        self._positional = compiled.positional
        order = list(compiled.positiontup or columns) if compiled.positional else list(columns)
        self._order = order
        self._processors: list[Callable[[Any], Any] | None] = [
            table.c[name].type.bind_processor(dialect) for name in order
        ]

    def execute(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Insert every row (a mapping of column → Python value); returns how many."""
        params: list[Any] = []
        pairs = list(zip(self._order, self._processors, strict=True))
        for row in rows:
            values = [row.get(name) if proc is None else proc(row.get(name)) for name, proc in pairs]
            params.append(tuple(values) if self._positional else dict(zip(self._order, values, strict=True)))
        if params:
            self._conn.exec_driver_sql(self._sql, params)
        return len(params)


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
