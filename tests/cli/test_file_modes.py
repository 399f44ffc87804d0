"""Files holding requesters' data are created 0600, or 0660 for a configured group; existing files keep their mode.

Each test sets a permissive umask (000) first: jiesu must set the mode itself, not rely on the
user's umask, which is 022 on most systems (and would leave SQLite's own 0644 world-readable).
"""

import grp
import os
import stat

import pytest

from jiesu.store.engine import create_case_engine, transaction


@pytest.fixture(autouse=True)
def open_umask():
    previous = os.umask(0)
    yield
    os.umask(previous)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def my_group():
    return grp.getgrgid(os.getegid()).gr_name


def with_group(tmp_path, monkeypatch, group):
    rules = tmp_path / "group.toml"
    rules.write_text(f'[privacy]\ngroup = "{group}"\n', encoding="utf-8")
    monkeypatch.setenv("JIESU_RULES", str(rules))


def modes_while_open(db):
    """The modes of the case file and of the -wal and -shm files SQLite makes while it is in use."""
    engine = create_case_engine(db)
    try:
        with transaction(engine, write=True) as conn:
            conn.exec_driver_sql("INSERT INTO counters (scope, value) VALUES ('probe', 1)")
            return {suffix: mode(db + suffix) for suffix in ("", "-wal", "-shm")}
    finally:
        engine.dispose()


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", [["init"], ["intake", "--content", "路灯不亮"]])
def test_a_new_case_file_is_for_its_owner_only(cli, case_file, command):
    cli(*command)
    assert mode(case_file) == 0o600
    assert modes_while_open(case_file) == {"": 0o600, "-wal": 0o600, "-shm": 0o600}


@pytest.mark.sqlite_only
def test_a_new_case_file_is_shared_with_the_configured_group(cli, case_file, tmp_path, monkeypatch):
    with_group(tmp_path, monkeypatch, my_group())
    cli("init")
    assert mode(case_file) == 0o660 and os.stat(case_file).st_gid == os.getegid()
    assert modes_while_open(case_file) == {"": 0o660, "-wal": 0o660, "-shm": 0o660}


@pytest.mark.sqlite_only
def test_an_existing_case_files_mode_is_not_changed(cli, case_file, tmp_path, monkeypatch):
    open(case_file, "wb").close()  # an empty file an administrator prepared, 0640
    os.chmod(case_file, 0o640)
    with_group(tmp_path, monkeypatch, my_group())
    cli("init")
    cli("intake", "--content", "路灯不亮")
    assert mode(case_file) == 0o640


@pytest.mark.sqlite_only
@pytest.mark.skipif(os.geteuid() == 0, reason="root may give a file to any group")
def test_a_group_the_user_is_not_in_is_refused_and_nothing_is_left(cli, case_file, tmp_path, monkeypatch):
    others = [g.gr_name for g in grp.getgrall() if g.gr_gid not in os.getgroups() and g.gr_gid != os.getegid()]
    if not others:
        pytest.skip("no group this user is not in")
    with_group(tmp_path, monkeypatch, others[0])
    result = cli("init", ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: [privacy] group: cannot give {case_file} to group")
    assert not os.path.exists(case_file)


@pytest.mark.sqlite_only
def test_an_unknown_group_is_refused_before_anything_is_created(cli, case_file, tmp_path, monkeypatch):
    rules = tmp_path / "group.toml"
    rules.write_text('[privacy]\ngroup = "no-such-group-jiesu"\n', encoding="utf-8")
    monkeypatch.setenv("JIESU_RULES", str(rules))
    source = tmp_path / "in.csv"
    source.write_text("content\n路灯不亮\n", encoding="utf-8")
    result = cli("intake", "--file", str(source), ok=False)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: [privacy] group: there is no group 'no-such-group-jiesu' on this machine; "
        "create it or fix the rules file\n"
    )
    assert not os.path.exists(case_file)


def import_with_a_bad_row(cli, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("content,phone\n路灯不亮,13812345678\n,13912345678\n", encoding="utf-8")
    result = cli("intake", "--file", str(source), ok=False)
    assert result.exit_code == 1
    rejects = tmp_path / "in.rejects.csv"
    assert "13912345678" in rejects.read_text(encoding="utf-8-sig")
    return rejects


def test_a_rejects_file_is_for_its_owner_only(cli, tmp_path):
    assert mode(import_with_a_bad_row(cli, tmp_path)) == 0o600


def test_a_rejects_file_is_shared_with_the_configured_group(cli, tmp_path, monkeypatch):
    with_group(tmp_path, monkeypatch, my_group())
    rejects = import_with_a_bad_row(cli, tmp_path)
    assert mode(rejects) == 0o660 and os.stat(rejects).st_gid == os.getegid()


def test_a_rejects_file_that_is_there_keeps_its_mode(cli, tmp_path):
    rejects = tmp_path / "in.rejects.csv"
    rejects.write_text("row,reason,content\n", encoding="utf-8")
    os.chmod(rejects, 0o640)
    import_with_a_bad_row(cli, tmp_path)
    assert mode(rejects) == 0o640
