"""The smallest valid configuration works end to end: a rules file with units only."""

import json

NOW = "2026-11-02T09:00:00+08:00"  # a Monday

UNITS_ONLY = """
[[units]]
code = "qingyuan"
name = "清源街道"
class = "street"

[[units]]
code = "water-co"
name = "北京市自来水集团"
class = "enterprise"
"""


def test_a_rules_file_with_units_only_runs_the_whole_loop(cli, tmp_path):
    rules = tmp_path / "units.toml"
    rules.write_text(UNITS_ONLY, encoding="utf-8")
    use = ("--rules", str(rules), "--now", NOW)
    check = cli("--rules", str(rules), "rules", "check", str(rules))
    assert "ok — 2 units, 0 areas, 0 rules, 2 limit profiles" in check.stdout

    ticket = cli.json(*use, "intake", "--content", "清源路停水三天了", "--urgent")
    assert ticket["status"] == "pending"  # no rules: a person dispatches
    number = ticket["number"]
    (dispatched,) = cli.json(*use, "dispatch", number, "--unit", "water-co")
    assert dispatched["limits"] == "urgent" and dispatched["finish_due"] == "2026-11-03T09:00:00+08:00"
    general = cli.json(*use, "intake", "--content", "清源路路灯不亮")["number"]
    (second,) = cli.json(*use, "dispatch", general, "--unit", "qingyuan")
    assert second["limits"] == "default" and second["finish_due"] == "2026-11-09T23:59:59+08:00"

    late = "2026-11-05T09:00:00+08:00"
    run = cli("--rules", str(rules), "--now", late, "escalate", "--format", "json")
    actions = {(a["number"], a["action"], a["deadline"]) for a in json.loads(run.stdout)}
    assert (number, "overdue", "finish") in actions
    assert (general, "overdue", "accept") in actions
    cli(*use, "accept", general, "--unit", "qingyuan")
    report = cli.json("--rules", str(rules), "--now", late, "report", "--month", "2026-11")
    assert report["period"] == {"name": "2026-11", "from": "2026-11-01", "to": "2026-11-30"}
    assert report["overview"]["current"]["taken_in"] == 2 and report["overview"]["current"]["urgent"] == 1
