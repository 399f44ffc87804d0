"""Privacy by linkage: nothing a clerk sees ties a phone, or an earlier ticket, to a confidential one.

The rule: confidential tickets never take part in repeat matching that a clerk is shown, whichever
side is confidential, and the repeat callers' review list counts a phone's confidential tickets
apart from its other ones.
"""

import pytest

PHONE = "13910467352"
MASKED = "139****7352"
NOISE = "楼上邻居每天半夜跺脚，吵得睡不着"  # every request below overlaps this one


def take_in(cli, day, *extra, content=NOISE):
    """One intake on 2026-11-DD; the result (JSON on stdout, warnings on stderr)."""
    return cli(
        "--now",
        f"2026-11-{day:02d}T23:00:00+08:00",
        "intake",
        "--phone",
        PHONE,
        "--name",
        "赵先生",
        "--content",
        content,
        *extra,
        "--format",
        "json",
    )


def test_a_confidential_earlier_ticket_is_never_named_to_the_next_caller(cli):
    import json

    secret = json.loads(take_in(cli, 2, "--confidential").stdout)
    plain = take_in(cli, 3, content="楼上邻居又在半夜跺脚，吵得没法睡")
    assert json.loads(plain.stdout)["repeat_of"] == []
    assert plain.stderr == ""  # no "the same phone raised …"
    assert secret["number"] not in plain.stdout + plain.stderr


def test_a_confidential_new_ticket_is_never_linked_to_earlier_ones(cli):
    import json

    first = json.loads(take_in(cli, 2).stdout)
    secret = take_in(cli, 3, "--confidential", content="楼上邻居又在半夜跺脚，吵得没法睡")
    assert json.loads(secret.stdout)["repeat_of"] == []
    assert secret.stderr == ""
    assert first["number"] not in secret.stdout + secret.stderr
    # and two confidential tickets of one phone are not linked to each other either
    again = take_in(cli, 4, "--confidential")
    assert json.loads(again.stdout)["repeat_of"] == [] and again.stderr == ""


def test_ordinary_tickets_still_link_around_confidential_ones(cli):
    import json

    first = json.loads(take_in(cli, 2).stdout)
    secret = json.loads(take_in(cli, 3, "--confidential").stdout)
    later = take_in(cli, 4)
    assert json.loads(later.stdout)["repeat_of"] == [first["number"]]
    assert first["number"] in later.stderr and secret["number"] not in later.stderr


def test_repeat_callers_count_confidential_tickets_apart(cli):
    import json

    plain = [json.loads(take_in(cli, day).stdout)["number"] for day in range(1, 6)]
    secret = [json.loads(take_in(cli, day, "--confidential").stdout)["number"] for day in range(6, 11)]
    now = ("--now", "2026-11-12T09:00:00+08:00")
    callers = cli.json(*now, "list", "--repeat-callers", "--full-phones")
    assert callers == [
        {
            "phone": PHONE,
            "tickets": 5,
            "first": "2026-11-01T23:00:00+08:00",
            "last": "2026-11-05T23:00:00+08:00",
            "numbers": plain,
        },
        {
            "phone": "***",
            "tickets": 5,
            "first": "2026-11-06T23:00:00+08:00",
            "last": "2026-11-10T23:00:00+08:00",
            "numbers": secret,
        },
    ]
    for output in (
        cli(*now, "list", "--repeat-callers").stdout,
        cli(*now, "list", "--repeat-callers", "--format", "csv").stdout,
    ):
        assert MASKED in output
        plain_line = next(line for line in output.splitlines() if MASKED in line)
        assert not any(number in plain_line for number in secret)


@pytest.mark.parametrize("confidential_days", [(5,), (1, 2, 3, 4)])
def test_confidential_tickets_never_lift_a_phone_over_the_threshold(cli, confidential_days):
    for day in range(1, 6):
        take_in(cli, day, *(("--confidential",) if day in confidential_days else ()))
    # 4 + 1 or 1 + 4: neither group reaches 5, so the phone is not listed at all
    assert cli.json("--now", "2026-11-12T09:00:00+08:00", "list", "--repeat-callers") == []


def test_a_request_the_database_cannot_store_prints_none_of_its_values(cli, backend):
    """PostgreSQL cannot store NUL in text: the intake is refused in one line that quotes nothing of
    the confidential request (its traceback used to print every parameter); SQLite stores it."""
    result = cli(
        "intake",
        "--content",
        "举报隔壁饭店\x00无证经营",
        "--confidential",
        "--name",
        "李建国",
        "--phone",
        "13912345678",
        "--address",
        "兴华大街8号",
        ok=False,
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    shown = result.stdout + result.stderr
    for secret in ("李建国", "13912345678"):  # masked when stored, absent when refused
        assert secret not in shown
    assert "Traceback" not in shown
    if backend == "postgresql":
        assert "无证经营" not in shown and "兴华大街8号" not in shown
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            "Error: the case file refused the write (PostgreSQL text fields cannot contain NUL (0x00) bytes); "
            "it was rolled back"
        ]
        assert cli.json("list") == []
    else:
        assert result.exit_code == 0


def test_every_event_records_the_os_login_beside_the_claimed_operator(cli, monkeypatch):
    from jiesu.services.context import os_login

    me = os_login()
    for name in ("USER", "LOGNAME", "LNAME", "USERNAME"):  # what getpass believes; the audit does not
        monkeypatch.setenv(name, "mallory")
    number = cli.json("--operator", "王科长", "intake", "--content", "举报无证经营", "--confidential")["number"]
    cli("--operator", "clerk-2", "note", number, "--text", "已联系执法队")
    shown = cli.json("show", number, "--reveal", "--reason", "核实举报人身份")
    assert [(e["action"], e["operator"], e["login"]) for e in shown["events"]] == [
        ("intake", "王科长", me),
        ("note", "clerk-2", me),
        ("reveal", "clerk-1", me),
    ]
    assert f"王科长 (OS login {me})" in cli("--lang", "en", "show", number).stdout


def secret_ticket(cli):
    return cli.json(
        "intake", "--content", "举报无证经营", "--confidential", "--name", "李建国", "--phone", "13912345678"
    )["number"]


def privacy_rules(tmp_path, monkeypatch, body):
    path = tmp_path / "privacy.toml"
    path.write_text(f"[privacy]\n{body}\n", encoding="utf-8")
    monkeypatch.setenv("JIESU_RULES", str(path))
    return path


def refused_reveal(cli, number):
    """A reveal that must be refused: one line, exit 1, nothing shown and nothing recorded."""
    before = cli.json("show", number)
    result = cli("show", number, "--reveal", "--reason", "核实举报人身份", ok=False)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1
    assert "李建国" not in result.stderr and "13912345678" not in result.stderr
    assert cli.json("show", number) == before
    return result.stderr.strip()


def test_only_listed_revealers_may_reveal(cli, tmp_path, monkeypatch):
    from jiesu.services.context import os_login

    me = os_login()
    number = secret_ticket(cli)
    rules = privacy_rules(tmp_path, monkeypatch, 'revealers = ["zhaomin", "wangli"]')
    assert refused_reveal(cli, number) == (
        f"Error: OS login {me!r} may not reveal a confidential requester: it is not in [privacy] revealers "
        f"of {rules}; nothing was recorded"
    )
    # --operator claims nothing the OS does not vouch for
    assert (
        "may not reveal" in cli("--operator", "zhaomin", "show", number, "--reveal", "--reason", "x", ok=False).stderr
    )
    privacy_rules(tmp_path, monkeypatch, "revealers = []")  # nobody
    assert "may not reveal" in refused_reveal(cli, number)
    privacy_rules(tmp_path, monkeypatch, f'revealers = ["zhaomin", "{me}"]')
    shown = cli.json("show", number, "--reveal", "--reason", "核实举报人身份")
    assert shown["requester"]["name"] == "李建国"
    assert (shown["events"][-1]["action"], shown["events"][-1]["login"]) == ("reveal", me)


def test_without_revealers_only_the_case_files_owner_may_reveal(cli, sql):
    from jiesu.services.context import os_login

    number = secret_ticket(cli)
    assert sql("SELECT value FROM jiesu_meta WHERE key = 'owner'") == [(os_login(),)]  # who created it
    cli("show", number, "--reveal", "--reason", "核实")
    sql("UPDATE jiesu_meta SET value = 'zhaomin' WHERE key = 'owner'")
    message = refused_reveal(cli, number)
    assert message.endswith("only the case file's owner (zhaomin) may; list who may there")
    sql("DELETE FROM jiesu_meta WHERE key = 'owner'")  # a PostgreSQL case file from before version 9
    assert "the case file records no owner" in refused_reveal(cli, number)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            'revealers = "wangli"',
            'revealers: must be a list of OS logins, such as ["wangli", "zhaomin"]; [] for nobody',
        ),
        ("revealers = [1]", 'revealers: must be a list of OS logins, such as ["wangli", "zhaomin"]; [] for nobody'),
        ('revealers = ["wang li"]', "revealers: 'wang li' is not an OS login name (letters, digits, _ . -)"),
        ('group = "a b"', "group: 'a b' is not an OS group name (letters, digits, _ . -)"),
        ("group = 5", "group: must be a string"),
        (
            'group = "no-such-group-jiesu"',
            "group: there is no group 'no-such-group-jiesu' on this machine; create it or fix the name",
        ),
        ('revealer = ["wangli"]', "unknown key 'revealer'; did you mean revealers?"),
    ],
)
def test_rules_check_refuses_a_broken_privacy_section(cli, tmp_path, monkeypatch, body, problem):
    path = privacy_rules(tmp_path, monkeypatch, body)
    result = cli("rules", "check", str(path), ok=False)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{path}: line 1: [privacy]: {problem}", "1 problem(s)"]


def test_rules_check_accepts_revealers_and_an_existing_group(cli, tmp_path, monkeypatch):
    import grp
    import os

    group = grp.getgrgid(os.getegid()).gr_name
    path = privacy_rules(tmp_path, monkeypatch, f'revealers = ["wangli", "uid:1000"]\ngroup = "{group}"')
    assert "ok" in cli("rules", "check", str(path)).stdout


@pytest.mark.sqlite_only
def test_an_upgraded_sqlite_file_is_owned_by_its_files_owner_and_old_events_have_no_login(cli, tmp_path):
    import sqlite3
    from pathlib import Path

    from jiesu.services.context import os_login

    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    conn.executescript((Path(__file__).parents[1] / "data" / "case_v1.sql").read_text(encoding="utf-8"))
    conn.close()
    db = ("--db", str(path))
    old = cli.json(*db, "show", "2021021000003")  # confidential, from version 1; opening upgrades
    assert [(e["operator"], e["login"]) for e in old["events"]] == [("clerk-v1", None)]
    assert sqlite3.connect(path).execute("SELECT value FROM jiesu_meta WHERE key = 'owner'").fetchall() == [
        (os_login(),)  # the account owning the file (the test's, here)
    ]
    revealed = cli.json(*db, "show", "2021021000003", "--reveal", "--reason", "核实")
    assert revealed["events"][-1]["login"] == os_login()
