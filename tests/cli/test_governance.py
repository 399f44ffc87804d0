"""Proactive governance (issue 18), counted by hand: grid tickets and the proactive rate, named
problems month by month, guidance to market mechanisms and social forces, zero-request communities."""

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
code = "zaoyuan"
name = "枣园社区"
class = "community"
parent = "qingyuan"

[[units]]
code = "xinghua"
name = "兴华社区"
class = "community"
parent = "xingfeng"

[[units]]
code = "jingyuan"
name = "静园社区"
class = "community"
parent = "xingfeng"

[[areas]]
street = "qingyuan"
names = ["清源路"]

[[areas]]
street = "qingyuan"
community = "zaoyuan"
names = ["枣园小区"]

[[areas]]
street = "xingfeng"
names = ["兴丰大街"]

[[areas]]
street = "xingfeng"
community = "xinghua"
names = ["兴华小区"]

[[areas]]
street = "xingfeng"
community = "jingyuan"
names = ["静园小区"]

[dispatch]
fallback = "@street"

[[topics]]
name = "拖欠工资"
keywords = ["拖欠工资", "欠薪"]
categories = ["劳动和社会保障/工资福利"]

[[topics]]
name = "无牌照电动三轮车"
keywords = ["三轮车"]
places = ["xingfeng"]
start = "2026-09"
"""


@pytest.fixture
def rules(tmp_path, monkeypatch):
    """Writes the rules file (with `extra` appended) and points JIESU_RULES at it."""

    def use(extra: str = "") -> None:
        path = tmp_path / "rules.toml"
        path.write_text(RULES + textwrap.dedent(extra), encoding="utf-8")
        monkeypatch.setenv("JIESU_RULES", str(path))

    use()
    return use


def at(moment: str) -> list[str]:
    return ["--now", f"2026-{moment}:00+08:00"]


def take_in(cli, moment: str, content: str, address: str | None = None, *extra: str) -> str:
    where = ["--address", address] if address else []
    return cli.json(*at(moment), "intake", "--content", content, *where, *extra)["number"]


def handle(cli, number: str, unit: str, day: str, *, resolved: str = "yes", satisfaction: str = "satisfied") -> None:
    """Accept, contact in time, finish and a reached callback that closes the ticket, all on `day` (MM-DD)."""
    cli(*at(f"{day}T09:30"), "accept", number, "--unit", unit)
    cli(*at(f"{day}T10:00"), "contact", number, "--unit", unit)
    cli(*at(f"{day}T12:00"), "finish", number, "--unit", unit, "--result", "resolved", "--text", "已处理")
    cli(
        *at(f"{day}T16:00"),
        "callback",
        number,
        "--reached",
        "--contacted",
        "yes",
        "--resolved",
        resolved,
        "--satisfaction",
        satisfaction,
    )


REPORT_NOW = at("11-05T00:00")


def october(cli, *options: str) -> dict:
    return cli.json(*REPORT_NOW, "report", "--month", "2026-10", *options)


def test_a_grid_ticket_changes_the_proactive_rate_and_not_the_three_rates(cli, rules):
    # September: one grid discovery in xingfeng, nothing else
    take_in(cli, "09-10T09:00", "网格员发现兴丰大街井盖破损", "兴丰大街8号", "--channel", "grid")
    # October: two citizens' requests, one in each street, both resolved and satisfied
    handle(
        cli, take_in(cli, "10-02T09:00", "清源路路灯不亮", "清源路3号", "--phone", "13800000001"), "qingyuan", "10-02"
    )
    handle(
        cli,
        take_in(cli, "10-03T09:00", "兴丰大街垃圾满溢", "兴丰大街5号", "--phone", "13800000002"),
        "xingfeng",
        "10-03",
    )
    before = october(cli)
    # a patrol finds a problem in qingyuan; the unit handles it, the callback says unresolved and unsatisfied
    found = take_in(cli, "10-04T09:00", "巡查发现清源路占道经营", "清源路9号", "--channel", "巡查发现")
    assert cli.json(*REPORT_NOW, "show", found)["channel"] == "patrol"
    handle(cli, found, "qingyuan", "10-04", resolved="no", satisfaction="unsatisfied")
    after = october(cli)

    assert after["ranking"] == before["ranking"]  # the three rates leave proactive tickets out
    qingyuan = {r["unit"]: r for r in after["ranking"]}["qingyuan"]
    assert (qingyuan["assessed"], qingyuan["resolution_rate"], qingyuan["satisfaction_rate"]) == (1, 1.0, 1.0)
    assert (before["overview"]["current"]["proactive"], after["overview"]["current"]["proactive"]) == (0, 1)
    lines = {r["value"]: r for r in after["proactive"]}
    # whole office: 1 of 3 this month; September 1 of 1
    assert (lines["*"]["tickets"], lines["*"]["proactive"]) == (3, 1)
    assert lines["*"]["rate"] == pytest.approx(1 / 3)
    assert lines["*"]["previous_rate"] == 1.0 and lines["*"]["rate_change"] == pytest.approx(1 / 3 - 1)
    assert (lines["qingyuan"]["rate"], lines["qingyuan"]["previous_rate"], lines["qingyuan"]["rate_change"]) == (
        0.5,
        None,
        None,
    )
    assert (lines["xingfeng"]["rate"], lines["xingfeng"]["previous_rate"], lines["xingfeng"]["rate_change"]) == (
        0.0,
        1.0,
        -1.0,
    )
    assert {r["value"]: r["rate"] for r in before["proactive"]} == {"*": 0.0, "qingyuan": 0.0, "xingfeng": 0.0}

    rules("[assessment]\ninclude_proactive = true\n")
    counted = {r["unit"]: r for r in october(cli)["ranking"]}["qingyuan"]
    assert (counted["assessed"], counted["resolution_rate"], counted["satisfaction_rate"]) == (2, 0.5, 0.5)

    table = cli(*REPORT_NOW, "report", "--month", "2026-10", "--by", "proactive").stdout
    assert "主动发现率" in table and "全区合计" in table and "清源街道" in table and "33.33%" in table
    english = cli(*REPORT_NOW, "--lang", "en", "report", "--month", "2026-10", "--by", "proactive").stdout
    assert "whole office" in english and "-100.00%" in english
    assert cli.json(*REPORT_NOW, "--lang", "en", "report", "--month", "2026-10") == october(cli)


def named_problem_months(cli) -> dict[str, str]:
    """Three months of tickets about the two named problems, and some about neither.

    拖欠工资 (keywords 拖欠工资/欠薪 or category 劳动和社会保障/工资福利, anywhere):
      2026-08: 2 (one by keyword, one by category only); 2026-09: 1; 2026-10: 3 (one also about 三轮车)
    无牌照电动三轮车 (keyword 三轮车, only in xingfeng, followed from 2026-09):
      2026-08: 1 in xingfeng (not followed yet) + 1 in qingyuan; 2026-09: 2 in xingfeng;
      2026-10: 2 in xingfeng (one also about wages) + 1 in qingyuan (not counted)
    """
    numbers = {}
    take_in(cli, "08-03T09:00", "公司拖欠工资三个月", "清源路1号")
    take_in(cli, "08-05T09:00", "年底奖金没有按合同发放", None, "--category", "劳动和社会保障/工资福利")
    take_in(cli, "08-07T09:00", "兴丰大街有三轮车拉客", "兴丰大街2号")
    take_in(cli, "08-08T09:00", "清源路三轮车乱停", "清源路2号")
    take_in(cli, "08-09T09:00", "清源路路灯不亮", "清源路5号")
    take_in(cli, "09-02T09:00", "装修队欠薪不给", "兴丰大街6号")
    take_in(cli, "09-04T09:00", "无牌三轮车占道", "兴丰大街7号")
    take_in(cli, "09-05T09:00", "三轮车逆行", "兴华小区门口", "--channel", "grid")
    take_in(cli, "09-06T09:00", "噪音扰民", "兴丰大街9号")
    numbers["wage"] = take_in(cli, "10-02T09:00", "饭店拖欠工资", "清源路7号", "--phone", "13800000010")
    take_in(cli, "10-03T09:00", "工地欠薪", "清源路8号")
    take_in(cli, "10-04T09:00", "三轮车司机说老板拖欠工资", "兴丰大街3号")
    take_in(cli, "10-05T09:00", "三轮车堵门", "静园小区")
    take_in(cli, "10-06T09:00", "三轮车乱停", "清源路6号")
    take_in(cli, "10-07T09:00", "100%拖欠", "清源路6号")  # a keyword's neighbour, not the keyword
    return numbers


def test_named_problems_monthly_volumes_match_a_hand_count(cli, rules):
    numbers = named_problem_months(cli)
    handle(cli, numbers["wage"], "qingyuan", "10-02", satisfaction="basically")

    view = cli.json(*REPORT_NOW, "topics", "--month", "2026-10", "--periods", "3")
    assert [p["name"] for p in view["periods"]] == ["2026-08", "2026-09", "2026-10"]
    series = {p["name"]: p for p in view["problems"]}
    assert series["拖欠工资"]["counts"] == [2, 1, 3] and series["拖欠工资"]["change"] == 2
    assert series["无牌照电动三轮车"]["counts"] == [None, 2, 2] and series["无牌照电动三轮车"]["change"] == 0
    assert view["next_period"]["name"] == "2026-11"
    # the default is the period holding the clock, twelve of them
    default = cli.json(*REPORT_NOW, "topics")
    assert len(default["periods"]) == 12 and default["periods"][-1]["name"] == "2026-11"
    assert {p["name"]: p["counts"][-4:] for p in default["problems"]} == {
        "拖欠工资": [2, 1, 3, 0],
        "无牌照电动三轮车": [None, 2, 2, 0],
    }

    report = october(cli, "--topics")
    problems = {p["name"]: p for p in report["named_problems"]}
    wage = problems["拖欠工资"]
    assert (wage["count"], wage["previous"], wage["change"], wage["called_back"]) == (3, 1, 2, 1)
    assert (wage["resolved_share"], wage["satisfaction_rate"]) == (1.0, 0.9)
    assert wage["places"][0] == {"street": "qingyuan", "community": None, "name": "清源街道", "count": 2}
    tricycles = problems["无牌照电动三轮车"]
    assert (tricycles["count"], tricycles["previous"], tricycles["resolved_share"]) == (2, 2, None)
    assert [(p["street"], p["community"], p["count"]) for p in tricycles["places"]] == [
        ("xingfeng", None, 1),
        ("xingfeng", "jingyuan", 1),
    ]
    assert "topics" in report  # the growing categories are still there
    table = cli(*REPORT_NOW, "report", "--month", "2026-10", "--topics").stdout
    assert "每月一题（点名问题）" in table and "拖欠工资" in table and "每月一题候选" in table
    people = cli(*REPORT_NOW, "topics", "--month", "2026-10", "--periods", "3").stdout
    assert "拖欠工资" in people and "26-08" in people and "2026-11" in people
    # two periods shown: the candidates still come from the last three (a fuzzed command line crashed here)
    two = cli.json(*REPORT_NOW, "topics", "--month", "2026-10", "--periods", "2")
    assert [p["name"] for p in two["periods"]] == ["2026-09", "2026-10"]
    assert two["candidates"] == view["candidates"]
    assert [p["name"] for p in two["candidate_periods"]] == ["2026-08", "2026-09", "2026-10"]


def test_a_guided_ticket_is_counted_once_as_guided(cli, rules, sql):
    at_intake = take_in(
        cli,
        "10-02T09:00",
        "小区电梯维修费分摊有争议",
        "清源路1号",
        "--guide",
        "小区物业服务企业",
        "--guide-to",
        "market",
    )
    ticket = cli.json(*REPORT_NOW, "show", at_intake)
    assert (ticket["status"], ticket["guided_to"], ticket["reply"]) == ("guided", "market", "小区物业服务企业")
    assert ticket["closed_at"] == "2026-10-02T09:00:00+08:00"
    dispatched = take_in(cli, "10-03T09:00", "邻居装修噪音矛盾", "兴丰大街1号")
    cli(*at("10-03T10:00"), "accept", dispatched, "--unit", "xingfeng")
    done = cli.json(
        *at("10-03T11:00"),
        "guide",
        dispatched,
        "--to",
        "社会力量",
        "--text",
        "社区人民调解委员会",
        "--unit",
        "xingfeng",
    )
    assert (done["action"], done["status"]) == ("guide", "guided")
    assert sql(
        "SELECT state FROM assignments WHERE ticket_id = (SELECT id FROM tickets WHERE number = :n)", n=dispatched
    ) == [("ended",)]
    still_open = take_in(cli, "10-04T09:00", "清源路路灯不亮", "清源路2号")
    take_in(cli, "10-05T09:00", "咨询社保卡补办", None, "--answer", "携带身份证到网点补办")
    overview = october(cli)["overview"]["current"]
    assert {k: overview[k] for k in ("taken_in", "answered", "referred", "guided", "dispatched")} == {
        "taken_in": 4,
        "answered": 1,
        "referred": 0,
        "guided": 2,
        "dispatched": 1,
    }
    history = cli.json(*REPORT_NOW, "show", dispatched)
    guide_event = next(e for e in history["events"] if e["action"] == "guide")
    assert (guide_event["unit"], guide_event["note"], guide_event["data"]) == (
        "xingfeng",
        "社区人民调解委员会",
        {"to": "social"},
    )
    overview_table = cli(*REPORT_NOW, "report", "--month", "2026-10").stdout
    assert "引导市场和社会力量" in overview_table

    # what is refused, and writes nothing (messages in English, to read them here)
    events = sql("SELECT count(*) FROM events")

    def en_at(moment: str) -> list[str]:
        return ["--lang", "en", "--now", f"2026-{moment}:00+08:00"]

    again = cli(*en_at("10-06T09:00"), "guide", dispatched, "--to", "market", "--text", "物业", ok=False)
    assert again.exit_code == 1 and "guided" in again.stderr and "Traceback" not in again.stderr
    not_lead = cli(
        *en_at("10-06T09:00"), "guide", still_open, "--to", "market", "--text", "物业", "--unit", "xingfeng", ok=False
    )
    assert not_lead.exit_code == 1 and "xingfeng is not the lead unit" in not_lead.stderr
    missing = cli(*en_at("10-06T09:00"), "guide", still_open, "--text", "物业", ok=False)
    assert missing.exit_code == 2 and "--to" in missing.stderr
    unknown = cli(*en_at("10-06T09:00"), "guide", still_open, "--to", "church", "--text", "物业", ok=False)
    assert unknown.exit_code == 2 and "market" in unknown.stderr
    no_kind = cli(*en_at("10-06T09:00"), "intake", "--content", "物业纠纷", "--guide", "物业公司", ok=False)
    assert no_kind.exit_code == 2 and "--guide-to" in no_kind.stderr
    both = cli(
        *en_at("10-06T09:00"),
        "intake",
        "--content",
        "x",
        "--answer",
        "a",
        "--guide",
        "b",
        "--guide-to",
        "social",
        ok=False,
    )
    assert both.exit_code == 2 and "--guide" in both.stderr
    assert sql("SELECT count(*) FROM events") == events


def test_a_community_without_tickets_for_three_months_shows_a_streak_of_3(cli, rules):
    take_in(cli, "08-03T09:00", "枣园小区停车难", "枣园小区3号楼")
    take_in(cli, "08-04T09:00", "兴华小区垃圾清运不及时", "兴华小区2号楼")
    take_in(cli, "09-03T09:00", "枣园小区路灯坏了", "枣园小区1号楼")
    take_in(cli, "10-03T09:00", "枣园小区噪音", "枣园小区5号楼")
    take_in(cli, "10-04T09:00", "网格员发现静园小区消防通道堵塞", "静园小区", "--channel", "grid")  # not a request

    zero = october(cli, "--zero-request")["zero_request"]
    assert zero["communities"] == 3
    quiet = {q["value"]: q for q in zero["quiet"]}
    assert set(quiet) == {"jingyuan", "xinghua"}
    assert (quiet["jingyuan"]["streak"], quiet["jingyuan"]["since"], quiet["jingyuan"]["last_request"]) == (
        3,
        "2026-08",
        None,
    )
    assert quiet["jingyuan"]["whole_history"] is True  # the case file starts in August
    assert (quiet["xinghua"]["streak"], quiet["xinghua"]["since"], quiet["xinghua"]["last_request"]) == (
        2,
        "2026-09",
        "2026-08-04",
    )
    assert [q["value"] for q in zero["quiet"]] == ["jingyuan", "xinghua"]  # longest streak first
    assert {
        q["value"]: q["streak"]
        for q in cli.json(*REPORT_NOW, "report", "--month", "2026-09", "--zero-request")["zero_request"]["quiet"]
    } == {
        "jingyuan": 2,
        "xinghua": 1,
    }
    table = cli(*REPORT_NOW, "report", "--month", "2026-10", "--zero-request").stdout
    assert "零诉求社区（村）：2 / 3 个社区本期无诉求" in table and "静园社区" in table
    assert "zero_request" not in october(cli)


def test_topics_are_checked_with_their_locations(cli, rules, tmp_path):
    rules(
        """
        [[topics]]
        name = "拖欠工资"
        keywords = ["欠薪"]

        [[topics]]
        name = "空的"
        places = ["nowhere"]
        start = "2026-13"
        colour = "red"

        [assessment]
        include_proactive = "yes"
        """
    )
    result = cli("rules", "check", ok=False)
    assert result.exit_code == 1
    problems = result.stderr
    assert 'topics[3] "拖欠工资": name: duplicate topic name (first at topics[1])' in problems
    assert 'topics[4] "空的": give keywords' in problems
    assert "places: unknown place 'nowhere'" in problems
    assert "start: cannot read '2026-13' as a month" in problems
    assert "unknown key 'colour'" in problems
    assert "include_proactive: must be true or false" in problems
    assert problems.count("line ") >= 5  # every problem says where it is


def test_files_carry_grid_tickets_and_guidance(cli, rules, tmp_path):
    path = tmp_path / "requests.csv"
    path.write_text(
        "外部编号,受理时间,渠道,诉求内容,地址,引导,引导类型\n"
        "G-1,2026-10-02 09:00,网格发现,井盖破损,兴丰大街1号,,\n"
        "G-2,2026-10-02 10:00,patrol,占道经营,清源路1号,,\n"
        "C-1,2026-10-02 11:00,电话,物业费纠纷,枣园小区,小区物业服务企业,市场机制\n"
        "C-2,2026-10-02 12:00,电话,邻里纠纷,兴华小区,社区人民调解委员会,,\n",
        encoding="utf-8",
    )
    result = cli(*at("10-03T09:00"), "intake", "--file", str(path), ok=False)
    assert result.exit_code == 1 and "row 5: guide_to" in result.stderr  # guidance without its kind
    tickets = {t["external_id"]: t for t in cli.json(*REPORT_NOW, "list")}
    assert {k: (t["channel"], t["status"]) for k, t in tickets.items()} == {
        "G-1": ("grid", "dispatched"),
        "G-2": ("patrol", "dispatched"),
        "C-1": ("phone", "guided"),
    }
    overview = october(cli)["overview"]["current"]
    assert (overview["proactive"], overview["guided"], overview["dispatched"]) == (2, 1, 2)
