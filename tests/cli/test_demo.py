"""`jiesu demo`: a month replayed through the real code, the same for the same seed."""

import json

import pytest

from tests.conftest import query

pytestmark = pytest.mark.slow  # each replays a month


def test_demo_replays_the_month_and_never_overwrites(cli, new_case_db):
    db = new_case_db("demo")
    result = cli("demo", "--db", db, "--generate", "40")
    assert "jiesu demo — 东城区12345接诉即办中心, 2026-10" in result.stdout
    assert "考评排名 — 街乡镇" in result.stdout
    assert f"JIESU_DB={db}" in result.stdout
    assert "每月一题（点名问题）" in result.stdout and "拖欠工资" in result.stdout  # the named problems table
    assert "主动发现率" in result.stdout and "零诉求社区" in result.stdout
    channels = dict(query(db, "SELECT channel, count(*) FROM tickets GROUP BY channel"))
    assert channels["grid"] + channels["patrol"] > 0  # grid workers and patrols found problems
    statuses = dict(query(db, "SELECT status, count(*) FROM tickets GROUP BY status"))
    assert statuses["answered"] == 43 and statuses["closed"] > 200 and statuses["guided"] > 0
    actions = dict(query(db, "SELECT action, count(*) FROM events GROUP BY action"))
    for action in ("dispatch", "accept", "contact", "finish", "callback", "close", "return", "warn", "overdue"):
        assert actions.get(action, 0) > 0, action
    again = cli("--lang", "en", "demo", "--db", db, ok=False)
    assert again.exit_code == 1
    assert again.stderr.startswith("Error: ") and "the demo never" in again.stderr
    in_chinese = cli("demo", "--db", db, ok=False)  # the default language
    assert in_chinese.exit_code == 1 and in_chinese.stderr.startswith("错误：")


def test_same_seed_same_report(cli, tmp_path, new_case_db):
    # the first on SQLite, the second on the test's backend: the same month whichever database holds it
    first = json.loads(
        cli("demo", "--db", str(tmp_path / "a.db"), "--generate", "40", "--seed", "7", "--format", "json").stdout
    )
    second = json.loads(
        cli("demo", "--db", new_case_db("b"), "--generate", "40", "--seed", "7", "--format", "json").stdout
    )
    assert first == second
    rates = [row["composite"] for row in first["ranking"] if row["assessed"] >= 5]
    assert min(rates) < max(rates)  # varied, realistic rates
    assert all(0.5 < r <= 1 for r in rates)
