# ruff: noqa: F811  (the fixture `month` is imported from test_report.py and used as a parameter)
"""重复诉求: a request raised again soon after its ticket closed as resolved is linked to it at intake
and counts against the closed ticket's lead unit, in the period of the closing callback.

The month is test_report.py's October 2026: qingyuan has two assessed tickets there, Q1 and Q2, both
answered "resolved" (Q2 on 10-22, by phone 13800000307), so its resolution rate is 100%."""

import json

import pytest

from tests.cli.test_report import month  # noqa: F401  (the fixture)

NOW = ["--now", "2026-11-26T00:00:00+08:00"]
Q2_PHONE = "13800000307"


def at(text):
    return ["--now", f"2026-{text}:00+08:00"]


def qingyuan(cli, *args):
    rows = cli.json(*NOW, "report", "--month", "2026-10", "--by", "unit", *args)
    return next(r for r in rows if r["unit"] == "qingyuan")


def intake(cli, when, *args):
    result = cli(*at(when), "intake", *args, "--format", "json")
    return json.loads(result.stdout), result.stderr


def test_a_repeat_within_the_window_costs_exactly_one_resolved_ticket(cli, month):
    before = qingyuan(cli)
    assert (before["assessed"], before["resolved"], before["resolution_rate"]) == (2, 2, 1.0)
    assert before["repeats_after_close"] == 0
    again, warned = intake(cli, "10-26T09:00", "--content", "清源路路灯还是不亮", "--phone", Q2_PHONE)
    assert again["repeat_after_close"]["number"] == month["Q2"]
    assert again["repeat_after_close"]["unit"] == "qingyuan"
    assert f"repeats {month['Q2']}, closed as resolved on 2026-10-22" in warned
    after = qingyuan(cli)
    assert (after["assessed"], after["resolved"], after["repeats_after_close"]) == (2, 2, 1)
    assert after["resolution_rate"] == pytest.approx(0.5)  # (2 − 1) ÷ 2
    assert after["response_rate"] == before["response_rate"]
    assert after["satisfaction_rate"] == before["satisfaction_rate"]
    assert after["composite"] == pytest.approx(before["composite"] - 0.5 * 0.5)  # resolution weighs 0.5
    street = next(c for c in cli.json(*NOW, "report", "--month", "2026-10", "--by", "class") if c["class"] == "street")
    assert street["repeats_after_close"] == 1
    # show, both ways
    assert cli.json("show", again["number"])["repeat_after_close_of"] == month["Q2"]
    assert cli.json("show", month["Q2"])["repeats"] == [again["number"]]
    shown = cli("--lang", "en", "show", month["Q2"]).stdout
    assert "Repeated after close by" in shown and again["number"] in shown
    # a second repeat of the same ticket does not count it twice
    intake(cli, "10-27T09:00", "--content", "清源路路灯到现在还不亮", "--phone", Q2_PHONE)
    assert qingyuan(cli)["repeats_after_close"] == 1


def test_outside_the_window_or_elsewhere_nothing_is_linked(cli, month):
    late, warned = intake(cli, "11-25T09:00", "--content", "清源路路灯还是不亮", "--phone", Q2_PHONE)  # 34 days
    assert late["repeat_after_close"] is None and "repeat after close" not in warned
    other, _ = intake(cli, "10-26T09:00", "--content", "清源路路灯还是不亮", "--address", "兴丰大街9号")
    assert other["repeat_after_close"] is None
    unrelated, _ = intake(cli, "10-26T10:00", "--content", "小区门口垃圾桶满了", "--phone", Q2_PHONE)
    assert unrelated["repeat_after_close"] is None  # same phone, another matter
    after = qingyuan(cli)
    assert (after["repeats_after_close"], after["resolution_rate"]) == (0, 1.0)


def test_same_place_and_category_is_a_repeat_too(cli, month):
    # C1: chengguan, 清源路1号, 环境保护/噪声, resolved at the callback of 10-05
    again, _ = intake(cli, "10-15T09:00", "--content", "工地又有噪音了", "--address", "清源路1号")
    assert again["category"] == "环境保护/噪声"
    assert again["repeat_after_close"]["number"] == month["C1"]


def test_the_weight_is_configurable(cli, month):
    month["use_rules"]("[assessment]\nrepeat_weight = 0.5\n")
    intake(cli, "10-26T09:00", "--content", "清源路路灯还是不亮", "--phone", Q2_PHONE)
    assert qingyuan(cli)["resolution_rate"] == pytest.approx(0.75)  # (2 − 0.5) ÷ 2
    month["use_rules"]('[assessment]\nrepeat_window = "3d"\n')
    late, _ = intake(cli, "10-26T10:00", "--content", "清源路路灯依然不亮", "--phone", Q2_PHONE)
    assert late["repeat_after_close"] is None  # 4 days after closing, outside 3 days
    assert cli(*NOW, "rules", "check").exit_code == 0
    month["use_rules"]("[assessment]\nrepeat_weight = 2\n")
    assert cli(*NOW, "report", "--month", "2026-10", ok=False).exit_code == 1


def test_a_repeat_of_a_ticket_assessed_in_a_published_month_marks_it_corrected(cli, month):
    cli(*at("11-01T08:00"), "report", "publish", "--month", "2026-10")
    again, warned = intake(cli, "11-05T09:00", "--content", "清源路路灯还是不亮", "--phone", Q2_PHONE)
    assert again["repeat_after_close"]["corrected"] == ["2026-10"]
    assert "2026-10 was published" in warned
    listed = cli.json(*NOW, "report", "publications")
    assert listed[0]["corrected"] is True and listed[0]["corrections"][0]["number"] == month["Q2"]
    assert qingyuan(cli)["resolution_rate"] == 1.0  # as published
    assert qingyuan(cli, "--live")["resolution_rate"] == pytest.approx(0.5)


def test_a_confidential_ticket_is_neither_linked_nor_named(cli, month):
    secret = cli.json(
        *at("10-05T09:00"),
        "intake",
        "--content",
        "清源路8号井盖丢了",
        "--address",
        "清源路8号",
        "--phone",
        "13911112222",
        "--confidential",
    )["number"]
    cli(*at("10-05T09:30"), "accept", secret, "--unit", "qingyuan")
    cli(*at("10-05T10:00"), "contact", secret, "--unit", "qingyuan")
    cli(*at("10-05T12:00"), "finish", secret, "--unit", "qingyuan", "--result", "resolved", "--text", "已补")
    answers = ["--reached", "--contacted", "yes", "--resolved", "yes", "--satisfaction", "satisfied"]
    cli(*at("10-06T10:00"), "callback", secret, *answers)
    again, warned = intake(cli, "10-08T09:00", "--content", "清源路8号井盖又丢了", "--phone", "13911112222")
    # confidential tickets take no part in repeat matching (see README, Privacy): never linked, never named
    assert again["repeat_after_close"] is None
    assert secret not in warned
