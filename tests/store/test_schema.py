"""The case file's schema version and in-place upgrades."""

import sqlite3

import pytest
from sqlalchemy import Connection

from jiesu.errors import CaseFileError
from jiesu.store import schema
from jiesu.store.engine import create_case_engine, transaction


def test_new_file_gets_current_version_and_pragmas(tmp_path):
    engine = create_case_engine(str(tmp_path / "new.db"))
    assert schema.ensure_schema(engine) == 0
    with transaction(engine, write=False) as conn:
        assert schema.read_version(conn) == schema.SCHEMA_VERSION
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 60_000
    assert schema.ensure_schema(engine) == schema.SCHEMA_VERSION  # second open: nothing to do


def test_older_file_is_upgraded_in_place_in_order(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    engine = create_case_engine(str(path))
    schema.ensure_schema(engine)
    with transaction(engine, write=True) as conn:
        conn.exec_driver_sql("INSERT INTO counters (scope, value) VALUES ('20210210', 7)")
    applied: list[int] = []

    def add_priority(conn: Connection) -> None:
        applied.append(2)
        conn.exec_driver_sql("ALTER TABLE counters ADD COLUMN note VARCHAR")

    def fill_note(conn: Connection) -> None:
        applied.append(3)
        conn.exec_driver_sql("UPDATE counters SET note = 'upgraded'")

    upgrades = (
        schema.Upgrade(2, add_priority, on_new_files=False),
        schema.Upgrade(3, fill_note, on_new_files=False),
    )
    monkeypatch.setattr(schema, "UPGRADES", upgrades)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 3)
    assert schema.ensure_schema(create_case_engine(str(path))) == 1
    assert applied == [2, 3]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT scope, value, note FROM counters").fetchall() == [("20210210", 7, "upgraded")]
    assert conn.execute("SELECT value FROM jiesu_meta WHERE key = 'schema_version'").fetchone() == ("3",)


def test_failed_upgrade_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    schema.ensure_schema(create_case_engine(str(path)))

    def broken(conn: Connection) -> None:
        conn.exec_driver_sql("ALTER TABLE counters ADD COLUMN half_done VARCHAR")
        raise RuntimeError("power cut")

    monkeypatch.setattr(schema, "UPGRADES", (schema.Upgrade(2, broken, on_new_files=False),))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    with pytest.raises(RuntimeError):
        schema.ensure_schema(create_case_engine(str(path)))
    conn = sqlite3.connect(path)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(counters)")]
    assert columns == ["scope", "value"]
    assert conn.execute("SELECT value FROM jiesu_meta WHERE key = 'schema_version'").fetchone() == ("1",)


def test_newer_file_is_refused(tmp_path, cli):
    path = tmp_path / "future.db"
    schema.ensure_schema(create_case_engine(str(path)))
    conn = sqlite3.connect(path)
    conn.execute("UPDATE jiesu_meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    with pytest.raises(CaseFileError, match="schema version 99, newer than this jiesu"):
        schema.ensure_schema(create_case_engine(str(path)))
    result = cli("--db", str(path), "list", ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the case file has schema version 99")


def test_a_foreign_database_is_refused(tmp_path, cli):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE tickets (x)")
    conn.commit()
    result = cli("--db", str(path), "list", ok=False)
    assert result.exit_code == 1
    assert "no jiesu schema version" in result.stderr
