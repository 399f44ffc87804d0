"""`jiesu demo`: a month replayed through the real code, the same for the same seed."""

import json
import sqlite3


def test_demo_replays_the_month_and_never_overwrites(cli, tmp_path):
    db = tmp_path / "demo.db"
    result = cli("demo", "--db", str(db), "--generate", "40")
    assert "jiesu demo — 东城区12345接诉即办中心, 2026-10" in result.stdout
    assert "考评排名 — 街乡镇" in result.stdout
    assert f"JIESU_DB={db}" in result.stdout
    conn = sqlite3.connect(db)
    statuses = dict(conn.execute("SELECT status, count(*) FROM tickets GROUP BY status"))
    assert statuses["answered"] == 43 and statuses["closed"] > 200
    actions = dict(conn.execute("SELECT action, count(*) FROM events GROUP BY action"))
    for action in ("dispatch", "accept", "contact", "finish", "callback", "close", "return", "warn", "overdue"):
        assert actions.get(action, 0) > 0, action
    again = cli("demo", "--db", str(db), ok=False)
    assert again.exit_code == 1
    assert again.stderr.strip() == f"Error: {db} already exists; the demo never overwrites a case file; pick a new path"


def test_same_seed_same_report(cli, tmp_path):
    first = json.loads(
        cli("demo", "--db", str(tmp_path / "a.db"), "--generate", "40", "--seed", "7", "--format", "json").stdout
    )
    second = json.loads(
        cli("demo", "--db", str(tmp_path / "b.db"), "--generate", "40", "--seed", "7", "--format", "json").stdout
    )
    assert first == second
    rates = [row["composite"] for row in first["ranking"] if row["assessed"] >= 5]
    assert min(rates) < max(rates)  # varied, realistic rates
    assert all(0.5 < r <= 1 for r in rates)
