"""End to end: tickets walked through every path of their life, with explicit times.

A return and re-dispatch, an approved and a denied extension, a whistle with one late department,
a merge, an unreachable then reached callback, a reopen, an approved appeal. The state is asserted
after each step, every refused step's exact message too, and the final timeline.
"""

from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "dongcheng.toml"


@pytest.fixture(autouse=True)
def sample_rules(monkeypatch):
    """The sample rules, and English: this test reads every refusal's exact English wording."""
    monkeypatch.setenv("JIESU_RULES", str(SAMPLE))
    monkeypatch.setenv("JIESU_LANG", "en")


def status(cli, number):
    return cli.json("show", number)["status"]


def events(cli, number):
    return [e["action"] for e in cli.json("show", number)["events"]]


def refused(cli, *args, code=1):
    """Run a step that must be refused; check one line on stderr and that nothing was written."""
    number = next(a for a in args if a.isdigit() and len(a) >= 13)
    before = cli.json("show", number)
    result = cli(*args, ok=False)
    assert result.exit_code == code, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert cli.json("show", number) == before
    return lines[0]


@pytest.mark.slow
def test_a_ticket_through_every_path(cli):
    t1 = cli.json(
        "--now",
        "2026-11-02T09:00:00+08:00",
        "intake",
        "--content",
        "和平里东街11号院停水了，一直没来水",
        "--address",
        "和平里东街11号院",
        "--phone",
        "13811112222",
        "--name",
        "王女士",
    )["number"]
    assert t1 == "2026110200001"
    ticket = cli.json("show", t1)
    assert (ticket["status"], ticket["lead_unit"]) == ("dispatched", "water-co")

    # 退单 and re-dispatch: rules re-applied without the unit that returned it
    assert refused(cli, "--now", "2026-11-02T09:20:00+08:00", "contact", t1, "--unit", "water-co") == (
        f"Error: ticket {t1} is dispatched: contact needs a ticket that is accepted, reopened; "
        "now it allows accept, return, whistle, merge, supervise, guide"
    )
    assert refused(cli, "--now", "2026-11-02T09:20:00+08:00", "return", t1, "--unit", "water-co", code=2) == (
        "Error: --reason: is required; say why the ticket is not this unit's"
    )
    cli("--now", "2026-11-02T09:30:00+08:00", "return", t1, "--unit", "water-co", "--reason", "小区内部管道问题")
    assert status(cli, t1) == "pending"
    assert refused(cli, "--now", "2026-11-02T09:35:00+08:00", "accept", t1, "--unit", "water-co") == (
        f"Error: ticket {t1} is pending: accept needs a ticket that is dispatched, accepted, reopened; "
        "now it allows dispatch, merge, supervise, guide"
    )
    dispatched = cli.json("--now", "2026-11-02T09:40:00+08:00", "dispatch", t1)
    assert (dispatched[0]["lead"], dispatched[0]["rule"]) == ("hepingli", None)  # fallback: the street
    shown = cli.json("show", t1)
    assert [(a["unit"], a["role"], a["state"]) for a in shown["assignments"]] == [
        ("water-co", "lead", "returned"),
        ("hepingli", "co", "ended"),
        ("hepingli", "lead", "active"),
    ]
    assert refused(cli, "--now", "2026-11-02T09:45:00+08:00", "accept", t1, "--unit", "water-co") == (
        f"Error: water-co is not assigned to ticket {t1}; its active units: hepingli (lead)"
    )

    # 签收, 联系
    cli("--now", "2026-11-02T10:00:00+08:00", "accept", t1, "--unit", "hepingli")
    assert status(cli, t1) == "accepted"
    assert refused(cli, "--now", "2026-11-02T10:05:00+08:00", "accept", t1, "--unit", "hepingli") == (
        f"Error: hepingli already accepted ticket {t1} at 2026-11-02 10:00"
    )
    assert refused(
        cli,
        "--now",
        "2026-11-02T10:05:00+08:00",
        "contact",
        t1,
        "--unit",
        "hepingli",
        "--at",
        "2026-11-02T09:59:00+08:00",
        code=2,
    ) == ("Error: --at: 2026-11-02 09:59 is before the ticket's last step (2026-11-02 10:00); history is in order")
    cli("--now", "2026-11-02T10:10:00+08:00", "contact", t1, "--unit", "hepingli")
    assert refused(
        cli,
        "--now",
        "2026-11-02T10:12:00+08:00",
        "callback",
        t1,
        "--reached",
        "--contacted",
        "yes",
        "--resolved",
        "yes",
        "--satisfaction",
        "满意",
    ) == (
        f"Error: ticket {t1} is accepted: callback needs a ticket that is finished; now it allows accept, return, "
        "contact, extend, extend --approve/--deny, whistle, finish, merge, supervise, guide"
    )

    # 延期: one approved, one refused for going too far, one denied
    assert cli.json("show", t1)["assignments"][-1]["finish_due"] == "2026-11-09T23:59:59+08:00"
    cli(
        "--now",
        "2026-11-02T10:20:00+08:00",
        "extend",
        t1,
        "--unit",
        "hepingli",
        "--by",
        "3wd",
        "--reason",
        "需协调物业更换管道",
    )
    assert refused(
        cli,
        "--now",
        "2026-11-02T10:21:00+08:00",
        "extend",
        t1,
        "--unit",
        "hepingli",
        "--by",
        "1wd",
        "--reason",
        "再等等",
    ) == (f"Error: ticket {t1} already has an extension request waiting; approve or deny it first")
    cli(
        "--now", "2026-11-02T10:30:00+08:00", "--operator", "centre-lead", "extend", t1, "--approve", "--reason", "同意"
    )
    assert cli.json("show", t1)["assignments"][-1]["finish_due"] == "2026-11-12T23:59:59+08:00"
    assert refused(
        cli,
        "--now",
        "2026-11-02T10:35:00+08:00",
        "extend",
        t1,
        "--unit",
        "hepingli",
        "--until",
        "2026-12-31",
        "--reason",
        "工程量大",
    ) == ("Error: an extension may reach 2026-11-26 23:59 at most ([handling] max_extension = 10wd); ask for less")
    cli("--now", "2026-11-02T10:40:00+08:00", "extend", t1, "--unit", "hepingli", "--by", "2wd", "--reason", "再延两天")
    cli("--now", "2026-11-02T10:50:00+08:00", "extend", t1, "--deny", "--reason", "已延期一次")
    assert cli.json("show", t1)["assignments"][-1]["finish_due"] == "2026-11-12T23:59:59+08:00"
    assert refused(cli, "--now", "2026-11-02T10:55:00+08:00", "extend", t1, "--approve") == (
        f"Error: ticket {t1} has no extension request waiting for a decision"
    )

    # 吹哨报到: one department reports in on time, one late
    assert refused(
        cli, "--now", "2026-11-02T10:58:00+08:00", "whistle", t1, "--unit", "water-co", "--summon", "scjg"
    ) == (f"Error: water-co is not the lead unit of ticket {t1}; its active units: hepingli (lead)")
    whistled = cli.json(
        "--now",
        "2026-11-02T11:00:00+08:00",
        "whistle",
        t1,
        "--unit",
        "hepingli",
        "--summon",
        "zhujianwei,scjg",
        "--within",
        "30m",
    )
    assert whistled["messages"] == ["summoned zhujianwei, scjg: report in (jiesu accept) by 2026-11-02 11:30"]
    on_time = cli.json("--now", "2026-11-02T11:20:00+08:00", "accept", t1, "--unit", "zhujianwei")
    assert on_time["messages"] == []
    late = cli.json("--now", "2026-11-02T11:50:00+08:00", "accept", t1, "--unit", "scjg")
    assert late["messages"] == ["scjg reported in late (due 2026-11-02 11:30)"]
    report_ins = [e for e in cli.json("show", t1)["events"] if e["action"] == "accept" and e["data"].get("report_due")]
    assert [(e["unit"], e["data"]["late_report"]) for e in report_ins] == [("zhujianwei", False), ("scjg", True)]

    # 合并: the same caller again, while the first is open
    t2 = cli.json(
        "--now",
        "2026-11-02T12:00:00+08:00",
        "intake",
        "--content",
        "和平里东街11号院又停水了，还是没人管",
        "--address",
        "和平里东街11号院",
        "--phone",
        "13811112222",
    )["number"]
    cli("--now", "2026-11-02T12:05:00+08:00", "merge", t2, "--into", t1)
    merged = cli.json("show", t2)
    assert (merged["status"], merged["merged_into"], merged["closed_at"]) == ("merged", t1, "2026-11-02T12:05:00+08:00")
    assert all(a["state"] == "ended" for a in merged["assignments"])
    assert refused(cli, "--now", "2026-11-02T12:06:00+08:00", "merge", t2, "--into", t1) == (
        f"Error: ticket {t2} is merged: merge needs a ticket that is pending, dispatched, accepted, reopened, "
        "finished; now it allows note only"
    )

    # 督办
    cli("--now", "2026-11-02T12:10:00+08:00", "supervise", t1, "--reason", "停水超过一天，群众反映强烈")
    assert cli.json("show", t1)["supervised"] is True
    assert "2026110200001督" in cli("list").stdout

    # 办结: a co-handler finishes its part, then the lead
    cli(
        "--now",
        "2026-11-03T14:00:00+08:00",
        "finish",
        t1,
        "--unit",
        "zhujianwei",
        "--result",
        "resolved",
        "--text",
        "已督促物业制定维修方案",
    )
    assert status(cli, t1) == "accepted"
    cli(
        "--now",
        "2026-11-03T15:00:00+08:00",
        "finish",
        t1,
        "--unit",
        "hepingli",
        "--result",
        "resolved",
        "--text",
        "已更换小区供水管道，恢复供水",
    )
    assert status(cli, t1) == "finished"

    # 回访: unreachable, then reached and unresolved → 重办
    cli("--now", "2026-11-04T10:00:00+08:00", "callback", t1, "--unreachable")
    assert status(cli, t1) == "finished"
    assert refused(
        cli, "--now", "2026-11-04T16:00:00+08:00", "callback", t1, "--reached", "--resolved", "no", code=2
    ) == ("Error: --resolved: a reached callback records all three answers: --contacted, --resolved and --satisfaction")
    reopened = cli.json(
        "--now",
        "2026-11-04T16:00:00+08:00",
        "callback",
        t1,
        "--reached",
        "--contacted",
        "yes",
        "--resolved",
        "no",
        "--satisfaction",
        "不满意",
        "--reopen",
    )
    assert reopened["status"] == "reopened"
    again = cli.json("show", t1)
    assert again["reopen_count"] == 1
    lead = next(a for a in again["assignments"] if a["role"] == "lead" and a["state"] == "active")
    assert lead["finish_due"] == "2026-11-11T23:59:59+08:00"  # the default profile's 7d from the reopen
    cli(
        "--now",
        "2026-11-06T10:00:00+08:00",
        "finish",
        t1,
        "--unit",
        "hepingli",
        "--result",
        "resolved",
        "--text",
        "水压已恢复正常",
    )
    closed = cli.json(
        "--now",
        "2026-11-06T15:00:00+08:00",
        "callback",
        t1,
        "--reached",
        "--contacted",
        "是",
        "--resolved",
        "yes",
        "--satisfaction",
        "satisfied",
    )
    assert closed["status"] == "closed"
    assert cli.json("show", t1)["closed_at"] == "2026-11-06T15:00:00+08:00"
    assert refused(cli, "--now", "2026-11-06T15:10:00+08:00", "callback", t1, "--unreachable") == (
        f"Error: ticket {t1} is closed: callback needs a ticket that is finished; "
        "now it allows appeal, appeal --approve/--deny"
    )

    # 申诉: only the lead unit; the centre approves
    assert refused(cli, "--now", "2026-11-07T09:00:00+08:00", "appeal", t1, "--unit", "water-co", "--reason", "x") == (
        f"Error: only the lead unit (hepingli) can appeal ticket {t1}"
    )
    cli(
        "--now",
        "2026-11-07T09:00:00+08:00",
        "appeal",
        t1,
        "--unit",
        "hepingli",
        "--reason",
        "小区内部管道属产权单位责任",
    )
    cli(
        "--now",
        "2026-11-08T09:00:00+08:00",
        "--operator",
        "centre-lead",
        "appeal",
        t1,
        "--approve",
        "--reason",
        "情况属实",
    )
    final = cli.json("show", t1)
    assert final["exempt"] is True
    assert refused(
        cli, "--now", "2026-11-08T10:00:00+08:00", "appeal", t1, "--unit", "hepingli", "--reason", "再次"
    ) == (f"Error: ticket {t1} already has an appeal that is approved")

    assert [(e["action"], e["unit"]) for e in final["events"]] == [
        ("intake", None),
        ("dispatch", "water-co"),
        ("return", "water-co"),
        ("dispatch", "hepingli"),
        ("accept", "hepingli"),
        ("contact", "hepingli"),
        ("extend-request", "hepingli"),
        ("extend-approve", "hepingli"),
        ("extend-request", "hepingli"),
        ("extend-deny", "hepingli"),
        ("whistle", "hepingli"),
        ("accept", "zhujianwei"),
        ("accept", "scjg"),
        ("note", None),
        ("supervise", None),
        ("finish", "zhujianwei"),
        ("finish", "hepingli"),
        ("callback", "hepingli"),
        ("callback", "hepingli"),
        ("reopen", "hepingli"),
        ("finish", "hepingli"),
        ("callback", "hepingli"),
        ("close", "hepingli"),
        ("appeal-request", "hepingli"),
        ("appeal-approve", "hepingli"),
    ]
    operators = {e["action"]: e["operator"] for e in final["events"]}
    assert operators["extend-approve"] == "centre-lead" and operators["appeal-approve"] == "centre-lead"
    assert operators["accept"] == "clerk-1"
    contact_event = next(e for e in final["events"] if e["action"] == "contact")
    assert contact_event["data"] == {"due": "2026-11-03T09:40:00+08:00", "in_time": True}
    table = cli("--lang", "zh", "show", t1).stdout  # the people's view, in the default language
    assert "吹哨报到" in table and "申诉通过" in table and "和平里街道 (hepingli)" in table


def test_repeat_caller_warning_and_review_list(cli):
    base = ["intake", "--phone", "13910467352", "--address", "和平里九区3号楼"]
    first = cli.json("--now", "2026-11-02T23:00:00+08:00", *base, "--content", "楼上邻居每天半夜跺脚，吵得睡不着")
    assert first["repeat_of"] == []
    second = cli("--now", "2026-11-03T23:10:00+08:00", *base, "--content", "楼上邻居又在半夜跺脚，吵得没法睡")
    assert second.stderr.strip() == (
        f"warning: the same phone raised {first['number']} on 2026-11-02 with overlapping content; "
        f"if it repeats that request, merge it: jiesu merge 2026110300001 --into {first['number']}"
    )
    unrelated = cli.json("--now", "2026-11-04T09:00:00+08:00", *base, "--content", "社区活动室什么时候开放")
    assert unrelated["repeat_of"] == []
    for day in range(5, 8):
        cli("--now", f"2026-11-0{day}T23:00:00+08:00", *base, "--content", "楼上半夜跺脚")
    callers = cli.json("--now", "2026-11-08T09:00:00+08:00", "list", "--repeat-callers")
    assert callers == [
        {
            "phone": "139****7352",
            "tickets": 6,
            "first": "2026-11-02T23:00:00+08:00",
            "last": "2026-11-07T23:00:00+08:00",
            "numbers": callers[0]["numbers"],
        }
    ]
    assert len(callers[0]["numbers"]) == 6


def test_list_by_unit_overdue_and_due_soon(cli):
    water = cli.json(
        "--now", "2026-11-02T09:00:00+08:00", "intake", "--content", "家里停水了", "--address", "龙潭路3号"
    )
    cli.json("--now", "2026-11-02T09:05:00+08:00", "intake", "--content", "暖气不热", "--address", "龙潭路5号")
    assert [t["number"] for t in cli.json("list", "--unit", "water-co")] == [water["number"]]
    # utility profile: accept within 2h (11:00), contact within 4h (13:00)
    assert cli.json("--now", "2026-11-02T10:00:00+08:00", "list", "--overdue") == []
    soon = cli.json("--now", "2026-11-02T10:00:00+08:00", "list", "--due-within", "90m", "--unit", "water-co")
    assert [t["number"] for t in soon] == [water["number"]]
    late = cli.json("--now", "2026-11-02T11:30:00+08:00", "list", "--overdue", "--unit", "water-co")
    assert [t["number"] for t in late] == [water["number"]]
    cli("--now", "2026-11-02T11:40:00+08:00", "accept", water["number"], "--unit", "water-co")
    still = cli.json("--now", "2026-11-02T12:00:00+08:00", "list", "--overdue", "--unit", "water-co")
    assert still == []  # accepted late, contact not due until 13:00


def test_a_clerk_can_record_a_step_that_happened_before_the_cron_warning(cli):
    number = cli.json(
        "--now", "2026-11-02T09:00:00+08:00", "intake", "--content", "家里停水了", "--address", "龙潭路3号"
    )["number"]
    warned = cli("--now", "2026-11-02T10:05:00+08:00", "escalate", "--format", "jsonl").stdout
    assert '"action": "warn"' in warned
    cli(
        "--now",
        "2026-11-02T10:30:00+08:00",
        "accept",
        number,
        "--unit",
        "water-co",
        "--at",
        "2026-11-02T10:00:00+08:00",
    )
    accept = next(e for e in cli.json("show", number)["events"] if e["action"] == "accept")
    assert accept["at"] == "2026-11-02T10:00:00+08:00" and accept["data"]["late"] is False


def test_returns_are_counted_per_rule(cli):
    numbers = [
        cli.json(
            "--now", f"2026-11-02T09:0{i}:00+08:00", "intake", "--content", "家里停水了", "--address", "龙潭路3号"
        )["number"]
        for i in range(3)
    ]
    cli("--now", "2026-11-02T09:30:00+08:00", "return", numbers[0], "--unit", "water-co", "--reason", "内部管道")
    rows = {r["rule"]: r for r in cli.json("rules", "accuracy")["rules"]}
    assert rows["供水-停水"] == {"rule": "供水-停水", "dispatched": 3, "returned": 1, "accuracy": pytest.approx(2 / 3)}
    assert "66.67%" in cli("rules", "accuracy").stdout
