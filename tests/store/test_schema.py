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
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -65_536  # KiB
    assert schema.ensure_schema(engine) == schema.SCHEMA_VERSION  # second open: nothing to do


def test_older_file_is_upgraded_in_place_in_order(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    engine = create_case_engine(str(path))
    schema.ensure_schema(engine)
    with transaction(engine, write=True) as conn:
        conn.exec_driver_sql("INSERT INTO counters (scope, value) VALUES ('20210210', 7)")
    applied: list[str] = []

    def add_priority(conn: Connection) -> None:
        applied.append("add")
        conn.exec_driver_sql("ALTER TABLE counters ADD COLUMN note VARCHAR")

    def fill_note(conn: Connection) -> None:
        applied.append("fill")
        conn.exec_driver_sql("UPDATE counters SET note = 'upgraded'")

    current = schema.SCHEMA_VERSION
    upgrades = (
        *schema.UPGRADES,
        schema.Upgrade(current + 1, add_priority),
        schema.Upgrade(current + 2, fill_note),
    )
    monkeypatch.setattr(schema, "UPGRADES", upgrades)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 2)
    assert schema.ensure_schema(create_case_engine(str(path))) == current
    assert applied == ["add", "fill"]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT scope, value, note FROM counters").fetchall() == [("20210210", 7, "upgraded")]
    assert conn.execute("SELECT value FROM jiesu_meta WHERE key = 'schema_version'").fetchone() == (str(current + 2),)


def test_failed_upgrade_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    schema.ensure_schema(create_case_engine(str(path)))

    def broken(conn: Connection) -> None:
        conn.exec_driver_sql("ALTER TABLE counters ADD COLUMN half_done VARCHAR")
        raise RuntimeError("power cut")

    current = schema.SCHEMA_VERSION
    monkeypatch.setattr(schema, "UPGRADES", (*schema.UPGRADES, schema.Upgrade(current + 1, broken)))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 1)
    with pytest.raises(RuntimeError):
        schema.ensure_schema(create_case_engine(str(path)))
    conn = sqlite3.connect(path)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(counters)")]
    assert columns == ["scope", "value"]
    assert conn.execute("SELECT value FROM jiesu_meta WHERE key = 'schema_version'").fetchone() == (str(current),)


def test_newer_file_is_refused(case_file, sql, cli, english):
    schema.ensure_schema(create_case_engine(case_file))
    sql("UPDATE jiesu_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(CaseFileError, match="schema version 99, newer than this jiesu"):
        schema.ensure_schema(create_case_engine(case_file))
    result = cli("list", ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the case file has schema version 99")


def test_a_foreign_database_is_refused(sql, cli, english):
    sql("CREATE TABLE tickets (x integer)")
    result = cli("init", ok=False)
    assert result.exit_code == 1
    assert "is not a jiesu case file (it has tables of another program)" in result.stderr


@pytest.mark.sqlite_only  # the version 1 file is a SQLite script, read back with sqlite3
def test_version_1_file_upgrades_to_current_and_keeps_its_tickets(tmp_path, cli):
    from pathlib import Path

    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    conn.executescript((Path(__file__).parent.parent / "data" / "case_v1.sql").read_text(encoding="utf-8"))
    conn.close()
    listed = cli.json("--db", str(path), "list")
    assert [t["number"] for t in listed] == ["2021021000003", "2021021000002", "2021021000001"]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM jiesu_meta WHERE key = 'schema_version'").fetchone() == (
        str(schema.SCHEMA_VERSION),
    )
    columns = {row[1] for row in conn.execute("PRAGMA table_info(tickets)")}
    assert {"lead_unit", "dispatched_at"} <= columns
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"units", "assignments"} <= tables
    # the upgraded file works like a new one: take a request in and find it
    cli("--db", str(path), "--now", "2021-02-10T11:00:00+08:00", "intake", "--content", "升级后受理")
    assert cli.json("--db", str(path), "show", "2021021000004")["content"] == "升级后受理"
    shown = cli.json("--db", str(path), "show", "2021021000003")
    assert shown["requester"]["phone"] == "***"
    assert shown["operator"] == "clerk-v1"


def test_upgraded_and_new_files_have_the_same_schema(tmp_path):
    from pathlib import Path

    old = tmp_path / "v1.db"
    conn = sqlite3.connect(old)
    conn.executescript((Path(__file__).parent.parent / "data" / "case_v1.sql").read_text(encoding="utf-8"))
    conn.close()
    schema.ensure_schema(create_case_engine(str(old)))
    new = tmp_path / "new.db"
    schema.ensure_schema(create_case_engine(str(new)))

    def shape(path):
        db = sqlite3.connect(path)
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        columns = {t: sorted((r[1], r[2].upper(), r[3]) for r in db.execute(f"PRAGMA table_info({t})")) for t in tables}
        indexes = sorted(
            r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL")
        )
        return tables, columns, indexes

    assert shape(old) == shape(new)


def test_an_older_files_categories_count_as_given_unless_a_rule_may_have_set_them(tmp_path, cli):
    from pathlib import Path

    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    conn.executescript((Path(__file__).parent.parent / "data" / "case_v1.sql").read_text(encoding="utf-8"))
    conn.execute("UPDATE tickets SET category = '城乡建设/供水' WHERE id = 1")
    conn.commit()
    conn.close()
    shown = cli.json("--db", str(path), "show", "2021021000001")
    assert (shown["category"], shown["category_source"], shown["suggestion"]) == ("城乡建设/供水", "given", None)
    assert cli.json("--db", str(path), "show", "2021021000002")["category_source"] is None
