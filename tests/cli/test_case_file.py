"""Opening the case file as people really name it: a typo in cron, a missing folder, a file that is not
one, a case file from a newer jiesu, PostgreSQL without its extra. One line, an exit code, nothing made."""

import sqlite3
import sys
from pathlib import Path

import pytest

from jiesu.store.schema import SCHEMA_VERSION
from tests.conftest import query

pytestmark = pytest.mark.usefixtures("english")  # these read the English wording of messages

NUMBER = "2026102600001"
NOW = ("--now", "2026-10-26T09:00:00+08:00")

# Every command that only reads or changes what is in the case file, as a cron job or clerk types it.
NON_CREATING = [
    ["list"],
    ["list", "--overdue"],
    ["list", "--repeat-callers"],
    ["show", NUMBER],
    ["search", "停水"],
    ["report", "--month", "2026-10"],
    ["hotspots"],
    ["escalate", "--dry-run"],
    ["escalate"],
    ["dispatch", "--pending"],
    ["dispatch", NUMBER, "--unit", "hepingli"],
    ["accept", NUMBER, "--unit", "hepingli"],
    ["return", NUMBER, "--unit", "hepingli", "--reason", "不归我们"],
    ["contact", NUMBER, "--unit", "hepingli"],
    ["note", NUMBER, "--text", "进展"],
    ["finish", NUMBER, "--unit", "hepingli", "--result", "resolved", "--text", "已修复"],
    ["callback", NUMBER, "--unreachable"],
    ["supervise", NUMBER, "--reason", "群众反映强烈"],
    ["rules", "accuracy"],
]


def holds_nothing(db: str) -> bool:
    if "://" in db:
        return not query(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
    return not Path(db).exists()


@pytest.mark.parametrize("args", NON_CREATING, ids=lambda args: " ".join(args))
def test_a_missing_case_file_is_refused_and_never_created(cli, case_file, args):
    result = cli(*NOW, *args, ok=False)
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == (
        f"Error: no case file at {case_file}; run `jiesu init` to create one, or check --db/JIESU_DB"
    )
    assert holds_nothing(case_file)


def test_a_typo_in_cron_fails_loudly(cli, case_file, tmp_path, monkeypatch):
    cli("init")
    typo = str(tmp_path / "jiesu.bd")
    monkeypatch.setenv("JIESU_DB", typo)
    result = cli("escalate", ok=False)
    assert result.exit_code == 1
    assert "no case file at" in result.stderr and "Traceback" not in result.output
    assert not Path(typo).exists()


@pytest.mark.parametrize(
    "args",
    [["init"], ["intake", "--content", "和平里东街路灯不亮"]],
    ids=["init", "intake"],
)
def test_init_and_intake_create_the_case_file(cli, case_file, args):
    cli(*NOW, *args)
    assert not holds_nothing(case_file)
    assert cli(*NOW, "list", "--format", "json").exit_code == 0


def test_init_then_escalate_works_with_the_starter_rules(cli, case_file):
    cli("init")
    assert Path("jiesu.toml").is_file()
    cli(*NOW, "intake", "--content", "小区停水三天了", "--urgent")
    assert cli(*NOW, "escalate", "--dry-run").exit_code == 0
    assert cli(*NOW, "escalate").exit_code == 0


def test_intake_from_a_file_creates_the_case_file(cli, tmp_path, new_case_db):
    source = tmp_path / "in.csv"
    source.write_text("content\n东四北大街井盖缺失\n", encoding="utf-8")
    db = new_case_db("fresh")
    cli("--db", db, *NOW, "intake", "--file", str(source))
    assert query(db, "SELECT count(*) FROM tickets") == [(1,)]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("args", [["init"], ["intake", "--content", "路灯不亮"], ["list"]], ids=str)
def test_a_path_in_a_missing_folder(cli, tmp_path, args):
    db = tmp_path / "no" / "such" / "case.db"
    result = cli("--db", str(db), *args, ok=False)
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert message.count("\n") == 0 and "Traceback" not in result.output
    if args == ["list"]:
        assert message == f"Error: no case file at {db}; run `jiesu init` to create one, or check --db/JIESU_DB"
    else:
        assert message == f"Error: cannot create case file {db}: folder {db.parent} does not exist; create it first"
    assert not db.parent.exists()


@pytest.mark.sqlite_only
@pytest.mark.parametrize("args", [["init"], ["intake", "--content", "路灯不亮"], ["list"], ["escalate"]], ids=str)
def test_a_file_that_is_not_sqlite_is_left_alone(cli, tmp_path, args):
    notes = tmp_path / "notes.txt"
    notes.write_text("这不是案卷文件\n", encoding="utf-8")
    result = cli("--db", str(notes), *args, ok=False)
    assert result.exit_code == 1
    assert (
        result.stderr.strip() == f"Error: {notes} is not a jiesu case file (not a SQLite database); check --db/JIESU_DB"
    )
    assert notes.read_text(encoding="utf-8") == "这不是案卷文件\n"


@pytest.mark.sqlite_only
def test_another_programs_sqlite_database_is_not_taken_over(cli, tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    for args in (["init"], ["intake", "--content", "路灯不亮"], ["list"]):
        result = cli("--db", str(other), *args, ok=False)
        assert result.exit_code == 1
        assert "not a jiesu case file" in result.stderr, result.stderr
    with sqlite3.connect(other) as conn:
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert tables == ["contacts"]


@pytest.mark.sqlite_only
def test_a_folder_is_not_a_case_file(cli, tmp_path):
    result = cli("--db", str(tmp_path), "list", ok=False)
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"Error: {tmp_path} is a folder, not a case file; name a file, e.g. {tmp_path / 'jiesu.db'}"
    )


@pytest.mark.sqlite_only
def test_an_empty_file_is_no_case_file_until_init(cli, tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    assert cli("--db", str(empty), "list", ok=False).exit_code == 1
    cli("--db", str(empty), "init")
    assert cli("--db", str(empty), "list", "--format", "json").stdout.strip() == "[]"


def test_a_case_file_from_a_newer_jiesu_is_refused(cli, case_file):
    cli(*NOW, "intake", "--content", "和平里东街路灯不亮")
    query(case_file, "UPDATE jiesu_meta SET value = '99' WHERE key = 'schema_version'")
    for args in (["list"], ["intake", "--content", "再来一件"], ["init"], ["escalate"]):
        result = cli(*NOW, *args, ok=False)
        assert result.exit_code == 1, args
        assert result.stderr.strip() == (
            f"Error: the case file has schema version 99, newer than this jiesu understands ({SCHEMA_VERSION}); "
            "upgrade jiesu to open it"
        )
    assert query(case_file, "SELECT count(*) FROM tickets") == [(1,)]


def test_an_unknown_database_kind_is_a_usage_error(cli):
    result = cli("--db", "mysql://clerk@localhost/jiesu", "list", ok=False)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: --db: unknown database kind 'mysql'; give a SQLite file path or a postgresql:// URL"
    )


def test_postgresql_without_its_extra_says_what_to_install(cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if `pip install jiesu` without [postgres]
    result = cli("--db", "postgresql://clerk@127.0.0.1:5432/jiesu", "list", ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: PostgreSQL support is not installed; install jiesu with its extra: pip install 'jiesu[postgres]'"
    )


def test_an_unreachable_server_is_one_line_without_the_password(cli):
    result = cli("--db", "postgresql://clerk:s3cret@127.0.0.1:1/jiesu", "list", ok=False)
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert message.startswith("Error: cannot connect to postgresql://clerk:***@127.0.0.1:1/jiesu: ")
    assert "s3cret" not in result.output and "\n" not in message


def test_demo_never_writes_into_an_existing_case_file(cli, case_file):
    cli(*NOW, "intake", "--content", "和平里东街路灯不亮")
    result = cli("demo", "--db", case_file, "--generate", "0", ok=False)
    assert result.exit_code == 1
    if "://" in case_file:
        assert "already holds tables; the demo never writes into an existing case file" in result.stderr
    else:
        assert result.stderr.strip() == (
            f"Error: {case_file} already exists; the demo never overwrites a case file; pick a new path"
        )
    assert query(case_file, "SELECT count(*) FROM tickets") == [(1,)]
    assert query(case_file, "SELECT count(*) FROM events WHERE operator = 'demo'") == [(0,)]
