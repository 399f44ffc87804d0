"""`jiesu report`: a month built by hand through the CLI, every count and rate checked by hand."""

import csv
import io
import textwrap

import pytest

RULES = """\
[office]
name = "测试区接诉即办中心"
district = "测试区"
timezone = "Asia/Shanghai"

[limits]
default = { accept = "1wd", contact = "24h", finish = "7d" }

[[units]]
code = "qingyuan"
name = "清源街道"
class = "street"

[[units]]
code = "xingfeng"
name = "兴丰街道"
class = "street"

[[units]]
code = "chengguan"
name = "区城管执法局"
class = "district_dept"

[[areas]]
street = "qingyuan"
names = ["清源路"]

[[areas]]
street = "xingfeng"
names = ["兴丰大街"]

[[rules]]
name = "噪音"
keywords_any = ["噪音"]
category = "环境保护/噪声"
lead = "chengguan"

[dispatch]
fallback = "@street"
"""


@pytest.fixture
def month(cli, tmp_path, monkeypatch):
    """October 2026 by hand: three units of two classes, every callback answer, a late contact, an
    approved appeal, a merge, an unreachable callback, a reopen, and a callback in November."""

    def use_rules(extra: str = "") -> None:
        path = tmp_path / "rules.toml"
        path.write_text(RULES + textwrap.dedent(extra), encoding="utf-8")
        monkeypatch.setenv("JIESU_RULES", str(path))

    use_rules()

    def at(text):
        return ["--now", f"2026-{text}:00+08:00"]

    def life(content, address, unit, day, *, late_contact=False, callbacks=(), finish=True):
        number = cli.json(
            *at(f"10-{day:02d}T09:00"),
            "intake",
            "--content",
            content,
            "--address",
            address,
            "--phone",
            f"1380000{day:02d}{len(content):02d}",
        )["number"]
        cli(*at(f"10-{day:02d}T09:30"), "accept", number, "--unit", unit)
        contact_day = day + 2 if late_contact else day
        cli(*at(f"10-{contact_day:02d}T10:00"), "contact", number, "--unit", unit)
        if finish:
            cli(
                *at(f"10-{day + 2:02d}T12:00"),
                "finish",
                number,
                "--unit",
                unit,
                "--result",
                "resolved",
                "--text",
                "已处理",
            )
        for when, answers in callbacks:
            if answers is None:
                cli(*at(when), "callback", number, "--unreachable")
                continue
            contacted, resolved, satisfaction, *reopen = answers
            cli(
                *at(when),
                "callback",
                number,
                "--reached",
                "--contacted",
                contacted,
                "--resolved",
                resolved,
                "--satisfaction",
                satisfaction,
                *reopen,
            )
            if reopen:
                cli(
                    *at(when.replace("T", "T").replace(":", ":", 1)[:8] + "T23:00"),
                    "finish",
                    number,
                    "--unit",
                    unit,
                    "--result",
                    "resolved",
                    "--text",
                    "重新处理",
                )
        return number

    t = {}
    t["C1"] = life(
        "工地噪音扰民", "清源路1号", "chengguan", 1, callbacks=[("10-05T10:00", ("yes", "yes", "satisfied"))]
    )
    t["C2"] = life(
        "夜间施工噪音",
        "清源路2号",
        "chengguan",
        1,
        late_contact=True,
        callbacks=[("10-20T10:00", ("yes", "no", "basically"))],
    )
    t["C3"] = life("商铺噪音", "兴丰大街3号", "chengguan", 2, callbacks=[("10-06T10:00", ("no", "yes", "基本满意"))])
    cli(*at("10-07T09:00"), "appeal", t["C3"], "--unit", "chengguan", "--reason", "诉求人要求超出职责")
    cli(*at("10-08T09:00"), "appeal", t["C3"], "--approve", "--reason", "属实")
    t["C4"] = life("广场噪音", "清源路4号", "chengguan", 2, callbacks=[("10-06T10:00", None)])
    t["Q1"] = life("清源路垃圾没人清运", "清源路5号", "qingyuan", 1, finish=False)
    t["Q3"] = cli.json(*at("10-01T11:00"), "intake", "--content", "清源路垃圾还是没人清运", "--address", "清源路5号")[
        "number"
    ]
    cli(*at("10-01T11:05"), "merge", t["Q3"], "--into", t["Q1"])
    cli(*at("10-03T12:00"), "finish", t["Q1"], "--unit", "qingyuan", "--result", "resolved", "--text", "已清运")
    cli(
        *at("10-10T10:00"),
        "callback",
        t["Q1"],
        "--reached",
        "--contacted",
        "yes",
        "--resolved",
        "yes",
        "--satisfaction",
        "满意",
    )
    t["Q2"] = life(
        "清源路路灯不亮", "清源路6号", "qingyuan", 3, callbacks=[("10-22T10:00", ("yes", "yes", "unsatisfied"))]
    )
    t["Q4"] = life(
        "清源路井盖松动", "清源路7号", "qingyuan", 27, callbacks=[("11-02T10:00", ("yes", "yes", "satisfied"))]
    )
    t["X1"] = life(
        "兴丰大街树木遮挡",
        "兴丰大街1号",
        "xingfeng",
        2,
        callbacks=[("10-08T10:00", ("yes", "no", "不满意", "--reopen"))],
    )
    cli(
        *at("10-12T10:00"),
        "callback",
        t["X1"],
        "--reached",
        "--contacted",
        "yes",
        "--resolved",
        "yes",
        "--satisfaction",
        "satisfied",
    )
    t["X2"] = life(
        "兴丰大街占道经营",
        "兴丰大街2号",
        "xingfeng",
        3,
        late_contact=True,
        callbacks=[("10-25T10:00", ("yes", "yes", "satisfied"))],
    )
    t["use_rules"] = use_rules
    return t


def ranking(cli, *args):
    rows = cli.json("--now", "2026-11-26T00:00:00+08:00", "report", *args, "--by", "unit")
    return {r["unit"]: r for r in rows}


def test_calendar_month_counts_rates_and_ranks(cli, month):
    rows = ranking(cli, "--month", "2026-10")
    assert set(rows) == {"chengguan", "qingyuan", "xingfeng"}
    c, q, x = rows["chengguan"], rows["qingyuan"], rows["xingfeng"]
    # chengguan: C1 (in time, resolved, satisfied), C2 (late contact, unresolved, basically);
    # C3 exempt by appeal, C4 only unreachable
    assert {k: c[k] for k in ("assessed", "contacted_in_time", "resolved", "satisfied", "basically_satisfied")} == {
        "assessed": 2,
        "contacted_in_time": 1,
        "resolved": 1,
        "satisfied": 1,
        "basically_satisfied": 1,
    }
    assert c["response_rate"] == pytest.approx(0.5)
    assert c["resolution_rate"] == pytest.approx(0.5)
    assert c["satisfaction_rate"] == pytest.approx((1 + 0.9 * 1) / 2)
    assert c["composite"] == pytest.approx(0.1 * 0.5 + 0.5 * 0.5 + 0.4 * 0.95)
    assert (c["class"], c["rank"], c["unit_name"]) == ("district_dept", 1, "区城管执法局")
    # qingyuan: Q1 and Q2 (both in time, resolved; one satisfied, one unsatisfied); Q3 merged; Q4 in November
    assert (q["assessed"], q["contacted_in_time"], q["resolved"], q["satisfied"], q["basically_satisfied"]) == (
        2,
        2,
        2,
        1,
        0,
    )
    assert q["composite"] == pytest.approx(0.1 * 1 + 0.5 * 1 + 0.4 * 0.5)
    # xingfeng: X1 reopened then closed resolved and satisfied; X2 contacted late
    assert (x["assessed"], x["contacted_in_time"], x["resolved"], x["satisfied"]) == (2, 1, 2, 2)
    assert x["composite"] == pytest.approx(0.1 * 0.5 + 0.5 * 1 + 0.4 * 1)
    assert (x["rank"], q["rank"]) == (1, 2), (x, q)  # streets ranked together, highest composite first
    november = ranking(cli, "--month", "2026-11")
    assert {u: r["assessed"] for u, r in november.items()} == {"qingyuan": 1}  # Q4
    assert november["qingyuan"]["previous_rank"] == 2
    assert november["qingyuan"]["rank_change"] == 1


def test_nineteenth_to_eighteenth_periods(cli, month):
    month["use_rules"]("\n[assessment]\nperiod_start_day = 19\n")
    october = ranking(cli, "--month", "2026-10")  # 2026-09-19 .. 2026-10-18
    assert {
        u: (r["assessed"], r["contacted_in_time"], r["resolved"], r["satisfied"], r["basically_satisfied"])
        for u, r in october.items()
    } == {
        "chengguan": (1, 1, 1, 1, 0),  # C1 (10-05); C2's callback is on 10-20
        "qingyuan": (1, 1, 1, 1, 0),  # Q1 (10-10); Q2 is on 10-22
        "xingfeng": (1, 1, 1, 1, 0),  # X1 closed on 10-12; X2 is on 10-25
    }
    november = ranking(cli, "--month", "2026-11")  # 2026-10-19 .. 2026-11-18
    assert {
        u: (r["assessed"], r["contacted_in_time"], r["resolved"], r["satisfied"], r["basically_satisfied"])
        for u, r in november.items()
    } == {
        "chengguan": (1, 0, 0, 0, 1),  # C2
        "qingyuan": (2, 2, 2, 1, 0),  # Q2 unsatisfied, Q4 satisfied
        "xingfeng": (1, 0, 1, 1, 0),  # X2 contacted late
    }
    assert november["qingyuan"]["composite"] == pytest.approx(0.1 + 0.5 + 0.4 * 0.5)
    assert november["xingfeng"]["composite"] == pytest.approx(0.1 * 0 + 0.5 * 1 + 0.4 * 1)
    assert (november["xingfeng"]["rank"], november["qingyuan"]["rank"]) == (1, 2)
    full = cli.json("--now", "2026-11-26T00:00:00+08:00", "report", "--month", "2026-11")
    assert full["period"] == {"name": "2026-11", "from": "2026-10-19", "to": "2026-11-18"}


def test_overview_volumes_overdue_and_formats(cli, month, tmp_path):
    now = ("--now", "2026-11-26T00:00:00+08:00")
    full = cli.json(*now, "report", "--month", "2026-10")
    assert full["overview"]["current"] == {
        "taken_in": 10,
        "answered": 0,
        "referred": 0,
        "guided": 0,
        "dispatched": 10,
        "merged": 1,
        "urgent": 0,
        "proactive": 0,
    }
    assert {r["value"]: r["count"] for r in full["overview"]["by_kind"]} == {"complain": 10}
    assert {r["value"]: r["count"] for r in full["categories"]} == {"环境保护/噪声": 4, None: 6}
    assert {r["value"]: r["count"] for r in full["streets"]} == {"qingyuan": 7, "xingfeng": 3}
    assert {(o["unit"], o["contact_overdue"]) for o in full["overdue"]} == {("chengguan", 1), ("xingfeng", 1)}
    assert [r["unit"] for r in full["ranking"]] == ["xingfeng", "qingyuan", "chengguan"]
    streets = cli.json(*now, "report", "--month", "2026-10", "--by", "unit", "--class", "street")
    assert [r["unit"] for r in streets] == ["xingfeng", "qingyuan"]
    rows = list(csv.DictReader(io.StringIO(cli(*now, "report", "--month", "2026-10", "--format", "csv").stdout)))
    assert rows[0]["unit"] == "xingfeng" and float(rows[0]["composite"]) == pytest.approx(0.95)
    markdown = cli(*now, "report", "--month", "2026-10", "--format", "markdown").stdout
    assert "| 1 | 兴丰街道 | xingfeng | 2 | 50.00% | 100.00% | 100.00% | 95.00 |" in markdown
    out = tmp_path / "report.xlsx"
    cli(*now, "report", "--month", "2026-10", "--format", "xlsx", "--out", str(out))
    from openpyxl import load_workbook

    book = load_workbook(out)
    assert any(name.startswith("考评排名") for name in book.sheetnames)
    week = cli.json(*now, "report", "--from", "2026-10-01", "--to", "2026-10-07", "--by", "unit")
    assert {r["unit"]: r["assessed"] for r in week} == {"chengguan": 1}  # C1 on 10-05
    topics = cli.json(*now, "report", "--month", "2026-10", "--topics")["topics"]
    assert topics[0] == {"category": "环境保护/噪声", "first": 0, "second": 0, "third": 4, "change": 4}


def test_table_output_aligns_chinese_unit_names(cli, month):
    text = cli(
        "--now", "2026-11-26T00:00:00+08:00", "report", "--month", "2026-10", "--by", "unit", "--format", "table"
    ).stdout
    from rich.cells import cell_len

    lines = [line for line in text.splitlines() if line.startswith(("┃", "│"))]
    assert any("兴丰街道" in line and "95.00" in line for line in lines)
    widths = {cell_len(line) for line in lines if "街道" in line or "执法局" in line}
    assert len(widths) <= 2  # one width per class table
    english = cli("--now", "2026-11-26T00:00:00+08:00", "--lang", "en", "report", "--month", "2026-10").stdout
    assert "Ranking" in english and "Response" in english


def test_report_refuses_bad_options(cli, month, english):
    for args, message in [
        (["report"], "Error: --month: give --month YYYY-MM (or --from DATE --to DATE)"),
        (
            ["report", "--month", "2026-13"],
            "Error: --month: cannot read '2026-13' as a month; use YYYY-MM such as 2026-11",
        ),
        (["report", "--month", "2026-10", "--by", "town"], "Error: --by: unknown table 'town'; use unit, class,"),
        (["report", "--month", "2026-10", "--format", "xlsx"], "Error: --out: an xlsx report needs --out FILE.xlsx"),
        (
            ["report", "--from", "2026-10-07", "--to", "2026-10-01"],
            "Error: --to: 2026-10-01 is before --from 2026-10-07",
        ),
    ]:
        result = cli(*args, ok=False)
        assert result.exit_code == 2
        assert result.stderr.strip().startswith(message), result.stderr


def test_hotspots(cli, monkeypatch, tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(RULES, encoding="utf-8")
    monkeypatch.setenv("JIESU_RULES", str(path))
    # a quiet baseline: one noise complaint a week for four weeks, then six in the last week
    for day in (6, 13, 20, 27):
        cli("--now", f"2026-10-{day:02d}T10:00:00+08:00", "intake", "--content", "噪音", "--address", "兴丰大街9号")
    for hour in range(6):
        cli(
            "--now",
            f"2026-11-{2 + hour:02d}T1{hour}:00:00+08:00",
            "intake",
            "--content",
            "清源路夜间噪音",
            "--address",
            "清源路8号院",
        )
    found = cli.json("--now", "2026-11-08T00:00:00+08:00", "hotspots", "--days", "7", "--min", "5")
    by_dim = {(h["dimension"], h["value"]): h for h in found}
    assert by_dim[("category", "环境保护/噪声")]["count"] == 6
    assert by_dim[("category", "环境保护/噪声")]["baseline"] == pytest.approx(1.0)
    assert by_dim[("street", "qingyuan")]["label"] == "清源街道"
    assert len(by_dim[("address", "清源路8号院")]["numbers"]) == 6
    assert ("street", "xingfeng") not in by_dim
    assert found[0]["latest"] >= found[-1]["latest"]
    quiet = cli.json("--now", "2026-11-08T00:00:00+08:00", "hotspots", "--days", "7", "--min", "7")
    assert quiet == []


def test_json_is_the_same_in_both_languages(cli, month):
    now = ("--now", "2026-11-26T00:00:00+08:00")
    for extra in ([], ["--topics"], ["--by", "kind"], ["--by", "channel"], ["--by", "class", "--class", "street"]):
        zh = cli.json(*now, "--lang", "zh", "report", "--month", "2026-10", *extra)
        en = cli.json(*now, "--lang", "en", "report", "--month", "2026-10", *extra)
        assert zh == en, extra
    full = cli.json(*now, "--lang", "en", "report", "--month", "2026-10")
    assert full["overview"]["by_kind"][0]["label"] == "complain"  # the code, not a word of either language
    assert full["by_class"][0]["class"] == "street"
