"""The tables commands use come from a pickled cache of models.py's MetaData (store/tables.py):
the cached tables must be the declared ones, and a broken cache must only cost time."""

import os
import pickle
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import String
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex, CreateTable
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

from jiesu.store import tables
from jiesu.store.coltypes import UtcDateTime


def ddl(metadata) -> dict[str, list[str]]:
    """Every table's CREATE TABLE and CREATE INDEX statements, on SQLite and on PostgreSQL."""
    found = {}
    for name, table in sorted(metadata.tables.items()):
        statements = []
        for dialect in (sqlite.dialect(), postgresql.dialect()):
            statements.append(str(CreateTable(table).compile(dialect=dialect)))
            statements += sorted(str(CreateIndex(i).compile(dialect=dialect)) for i in table.indexes)
        found[name] = statements
    return found


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("JIESU_CACHE_DIR", str(folder))
    return folder


def test_the_cached_tables_are_the_declared_ones(cache):
    declared = tables.declared_metadata()
    first = tables._load()  # nothing cached yet: builds the classes and writes the entry
    entries = list(cache.glob("tables-*.pickle"))
    assert len(entries) == 1
    second = tables._load()  # read back from the entry
    assert second is not declared
    assert ddl(second) == ddl(first) == ddl(declared)
    assert len(ddl(declared)) == 14
    run_time = {UTCDateTime: UtcDateTime, AutoString: String}  # SQLModel's types, and what replaces them
    for name, table in declared.tables.items():
        cached = second.tables[name]
        assert [(c.name, type(c.type), c.nullable, c.primary_key) for c in cached.columns] == [
            (c.name, run_time.get(type(c.type), type(c.type)), c.nullable, c.primary_key) for c in table.columns
        ]


def test_the_cached_tables_import_neither_sqlmodel_nor_the_orm(tmp_path):
    """What the cache is for: a command reads the tables without SQLModel, pydantic or the ORM."""
    import subprocess
    import sys

    env = {**os.environ, "JIESU_CACHE_DIR": str(tmp_path)}
    heavy = "('sqlmodel', 'pydantic', 'sqlalchemy.orm')"
    probe = f"import sys, jiesu.store.tables; print(sorted(m for m in {heavy} if m in sys.modules))"
    subprocess.run([sys.executable, "-c", probe], env=env, check=True, capture_output=True)  # builds the entry
    second = subprocess.run([sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True)
    assert second.stdout.strip() == "[]"


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "postgresql"])
def test_the_run_time_datetime_converts_as_sqlmodels_does(dialect):
    ours, theirs = UtcDateTime(), UTCDateTime()
    beijing = timezone(timedelta(hours=8))
    for value in (datetime(2026, 10, 1, 9, 30, 15, 123456, tzinfo=beijing), datetime(2026, 1, 1, tzinfo=UTC), None):
        assert ours.process_bind_param(value, dialect) == theirs.process_bind_param(value, dialect)
        written = ours.process_bind_param(value, dialect)
        assert written is None or written.utcoffset() == timedelta(0)
    for stored in (datetime(2026, 10, 1, 1, 30), datetime(2026, 10, 1, 9, 30, tzinfo=beijing), None):
        read = ours.process_result_value(stored, dialect)
        assert read == theirs.process_result_value(stored, dialect)
        assert read is None or read.tzinfo == UTC
    with pytest.raises(ValueError, match="naive"):
        ours.process_bind_param(datetime(2026, 10, 1, 9, 30), dialect)
    assert str(ours.dialect_impl(dialect)) == str(theirs.dialect_impl(dialect))


def test_a_broken_or_foreign_entry_is_rebuilt(cache):
    tables._load()
    (entry,) = cache.glob("tables-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert ddl(tables._load()) == ddl(tables.declared_metadata())
    assert pickle.loads(entry.read_bytes()).tables.keys() == tables.declared_metadata().tables.keys()
    entry.write_bytes(pickle.dumps({"tickets": 1}))  # unpickles, but is not a MetaData
    assert ddl(tables._load()) == ddl(tables.declared_metadata())


def test_an_unwritable_cache_folder_still_gives_the_tables(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("JIESU_CACHE_DIR", str(blocker / "cache"))  # under a file: cannot be made
    assert ddl(tables._load()) == ddl(tables.declared_metadata())
