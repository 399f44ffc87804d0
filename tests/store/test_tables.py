"""The tables commands use come from a pickled cache of models.py's MetaData (store/tables.py):
the cached tables must be the declared ones, and a broken cache must only cost time."""

import pickle

import pytest
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

from jiesu.store import tables


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
    for name, table in declared.tables.items():
        cached = second.tables[name]
        assert [(c.name, type(c.type), c.nullable, c.primary_key) for c in cached.columns] == [
            (c.name, type(c.type), c.nullable, c.primary_key) for c in table.columns
        ]


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
