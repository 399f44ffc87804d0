"""Dispatch by the sample Dongcheng rules: where a Beijing office would send each request, and why."""

import json
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "dongcheng.toml"
NOW = "2026-11-26T10:00:00+08:00"  # a Thursday

# (content, address, rule, lead unit, co-handlers, urgent) — what a 东城区 12345 centre would do
REQUESTS = [
    ("和平里东街11号院从昨晚停水到现在，家里有老人", "和平里东街11号院", "供水-停水", "water-co", ["hepingli"], False),
    (
        "楼道里一股很浓的煤气味，怀疑燃气泄漏",
        "交道口南大街15号",
        "紧急-燃气泄漏",
        "gas-co",
        ["jiaodaokou", "xfzd"],
        True,
    ),
    ("暖气片一点都不热，屋里只有15度", "龙潭路3号院", "供暖-暖气不热", "heating-co", ["longtan"], False),
    ("小区停电两个小时了，冰箱里的东西都要坏了", "东花市大街5号", "供电-停电", "power-co", ["donghuashi"], False),
    (
        "工地夜里十二点还在施工，吵得睡不着",
        "永定门外大街100号",
        "噪声-夜间施工-口语",
        "chengguan",
        ["yongdingmenwai", "zhujianwei"],
        False,
    ),
    ("楼上装修，电钻声音从早响到晚", "交道口南大街8号", "噪声-装修", "jiaodaokou", [], False),
    ("小区门口天天有车违章停车，把路口都堵死了", "朝阳门北小街2号", "交通-违章停车", "jiaoguan-dc", ["dongsi"], False),
    ("公司拖欠我三个月工资不给", "东直门内大街", "劳动-拖欠工资-口语", "rsj", ["beixinqiao"], False),
    (
        "健身房关门跑路了，预付卡里还有三千元退不了",
        "王府井大街",
        "市场-预付卡退费",
        "scjg",
        ["shangwu", "donghuamen"],
        False,
    ),
    ("楼下饭店油烟太大，熏得没法开窗", "簋街", "环保-餐饮油烟", "sthjj", ["beixinqiao"], False),
    ("楼里电梯坏了一个星期，老人上不了楼", "光明楼", "物业-电梯故障", "scjg", ["longtan"], False),
    ("电梯困人了，里面有老人", "龙潭路", "紧急-电梯困人", "scjg", ["longtan"], True),
    ("孩子明年上小学，想问问学区划片怎么查", "", "教育-入学", "jw", [], False),
    ("家里老人想申请低保，需要什么条件", "和平里中街", "民政-低保救助", "mzj", ["hepingli"], False),
    ("邻居家的狗天天乱叫，遛狗还不拴绳", "安定门外大街", "治安-犬只管理", "gaj", ["hepingli"], False),
    ("小区里的大树歪了，刮风怕砸到人", "天坛东路", "绿化-树木隐患-口语", "yllhj", ["tiantan"], False),
    (
        "路口井盖没了，晚上很危险",
        "崇文门外大街",
        "紧急-井盖缺失夜间",
        "chengguanwei",
        ["chongwenmenwai", "drainage-co"],
        True,
    ),
    ("20路公交车总是不按时，等了半小时", "", "交通-公交服务", "bus-co", [], False),
    ("出租车司机拒载，车牌京B12345", "北京站街", "交通-出租车", "city-jtw", [], False),
    ("接到诈骗电话冒充公检法让我转账", "", "治安-诈骗", "gaj", [], False),
    ("小区垃圾三天没人清运，臭气熏天", "天坛东路", "环卫-垃圾清运", "tiantan", ["chengguanwei"], False),
]


@pytest.fixture
def sample_rules(monkeypatch):
    monkeypatch.setenv("JIESU_RULES", str(SAMPLE))


@pytest.mark.parametrize(("content", "address", "rule", "lead", "co", "urgent"), REQUESTS)
def test_intake_dispatches_where_an_office_would(cli, sample_rules, content, address, rule, lead, co, urgent):
    args = ["--now", NOW, "intake", "--content", content, "--phone", "13800001111"]
    if address:
        args += ["--address", address]
    ticket = cli.json(*args)
    assert (ticket["status"], ticket["lead_unit"], ticket["urgent"]) == ("dispatched", lead, urgent)
    shown = cli.json("show", ticket["number"])
    assert [(a["unit"], a["role"]) for a in shown["assignments"]] == [(lead, "lead"), *((c, "co") for c in co)]
    dispatch_event = shown["events"][-1]
    assert dispatch_event["action"] == "dispatch"
    assert dispatch_event["unit"] == lead
    assert dispatch_event["data"]["rule"] == rule
    assert len(dispatch_event["data"]["rules_sha256"]) == 64
    explained = cli.json("rules", "explain", "--content", content, *(["--address", address] if address else []))
    assert explained["rule"]["name"] == rule
    assert explained["lead"]["code"] == lead
    assert explained["keywords"], "explain names the keywords that matched"


def test_refer_rule_closes_as_referred(cli, sample_rules):
    ticket = cli.json("--now", NOW, "intake", "--content", "法院判决后对方一直不执行，我该怎么办")
    assert ticket["status"] == "referred"
    assert ticket["reply"].startswith("属于诉讼")
    assert ticket["closed_at"] == NOW
    events = cli.json("show", ticket["number"])["events"]
    assert [e["action"] for e in events] == ["intake", "refer"]
    assert events[1]["data"]["rule"] == "引导-诉讼"


def test_explain_shows_winner_place_runners_up_and_deadlines(cli, sample_rules):
    explained = cli.json(
        "--now", NOW, "rules", "explain", "--content", "家里停水了，水压也很低", "--address", "和平里东街11号院"
    )
    assert explained["outcome"] == "dispatch"
    assert explained["rule"]["name"] == "供水-停水"
    assert explained["located"] == {
        "street": {"code": "hepingli", "name": "和平里街道"},
        "community": None,
        "source": "address",
        "matched_name": "和平里东街",
    }
    assert explained["limits"] == "utility"
    assert explained["deadlines"] == {
        "accept": "2026-11-26T12:00:00+08:00",
        "contact": "2026-11-26T14:00:00+08:00",
        "finish": "2026-11-27T10:00:00+08:00",
    }
    assert isinstance(explained["runners_up"], list)
    table = cli("--now", NOW, "rules", "explain", "--content", "家里停水了", "--address", "和平里东街11号院").stdout
    assert "供水-停水" in table and "和平里街道 (hepingli) ← 和平里东街" in table and "北京市自来水集团" in table


def test_given_street_by_name_wins_over_the_address(cli, sample_rules):
    ticket = cli.json(
        "--now", NOW, "intake", "--content", "小区垃圾没人清运", "--street", "景山街道", "--address", "天坛东路"
    )
    assert ticket["street"] == "jingshan"
    assert ticket["lead_unit"] == "jingshan"


def test_no_dispatch_leaves_it_waiting_then_dispatch_applies_the_rules(cli, sample_rules, english):
    waiting = cli.json("--now", NOW, "intake", "--content", "家里停水了", "--address", "龙潭路3号", "--no-dispatch")
    assert waiting["status"] == "pending" and waiting["street"] == "longtan"
    dry = cli.json("--now", NOW, "dispatch", waiting["number"], "--dry-run")
    assert dry[0]["outcome"] == "dispatch" and dry[0]["lead"] == "water-co"
    assert cli.json("show", waiting["number"])["status"] == "pending"
    later = "2026-11-26T11:30:00+08:00"
    done = cli.json("--now", later, "dispatch", "--pending")
    assert [(d["number"], d["lead"], d["rule"]) for d in done] == [(waiting["number"], "water-co", "供水-停水")]
    shown = cli.json("show", waiting["number"])
    assert shown["status"] == "dispatched"
    assert shown["dispatched_at"] == later
    assert shown["assignments"][0]["accept_due"] == "2026-11-26T13:30:00+08:00"
    refused = cli("dispatch", waiting["number"], ok=False)
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        f"Error: ticket {waiting['number']} is dispatched (lead unit water-co); only pending tickets can be dispatched"
    )


def test_dispatch_by_hand(cli, sample_rules, english):
    waiting = cli.json("--now", NOW, "intake", "--content", "说不清归谁管的事情", "--no-dispatch")
    done = cli.json("--now", NOW, "dispatch", waiting["number"], "--unit", "hepingli", "--co", "mzj,sfj")
    assert done[0]["rule"] is None and done[0]["reason"] == "dispatched by hand"
    shown = cli.json("show", waiting["number"])
    assert [(a["unit"], a["role"], a["rule"]) for a in shown["assignments"]] == [
        ("hepingli", "lead", None),
        ("mzj", "co", None),
        ("sfj", "co", None),
    ]
    assert shown["assignments"][0]["finish_due"] == "2026-12-03T23:59:59+08:00"  # default: 7d
    bad = cli("dispatch", waiting["number"], "--unit", "hepingli", ok=False)
    assert (
        bad.stderr.strip()
        == "Error: ticket {} is dispatched (lead unit hepingli); only pending tickets can be dispatched".format(
            waiting["number"]
        )
    )
    other = cli.json("--now", NOW, "intake", "--content", "另一件事", "--no-dispatch")
    unknown = cli("dispatch", other["number"], "--unit", "nobody", ok=False)
    assert unknown.exit_code == 2
    assert unknown.stderr.strip().startswith("Error: --unit: unknown unit 'nobody'")
    assert unknown.stderr.strip().endswith("see `jiesu units`")
    assert cli.json("show", other["number"])["status"] == "pending"


def test_fallback_to_the_street_when_no_rule_matches(cli, sample_rules):
    ticket = cli.json("--now", NOW, "intake", "--content", "想反映一个情况", "--address", "南锣鼓巷12号")
    assert ticket["lead_unit"] == "jiaodaokou"
    events = cli.json("show", ticket["number"])["events"]
    assert events[-1]["data"]["rule"] is None
    assert events[-1]["note"] == "no rule matched; [dispatch] fallback @street"
    nowhere = cli.json("--now", NOW, "intake", "--content", "想反映一个情况")
    assert nowhere["status"] == "pending"


def test_batch_intake_dispatches_every_row(cli, sample_rules, tmp_path):
    source = tmp_path / "rows.csv"
    lines = ["external_id,created_at,content,address"]
    lines += [f"R{i},2026-11-20 09:{i:02d},{c},{a}" for i, (c, a, *_rest) in enumerate(REQUESTS)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = json.loads(cli("--now", NOW, "intake", "--file", str(source), "--format", "json").stdout)
    assert summary["created"] == len(REQUESTS)
    tickets = {t["external_id"]: t for t in cli.json("list", "--limit", "100")}
    for i, (_content, _address, _rule, lead, _co, _urgent) in enumerate(REQUESTS):
        assert tickets[f"R{i}"]["lead_unit"] == lead, (i, tickets[f"R{i}"]["content"])


def test_units_lists_the_rules_files_units(cli, sample_rules):
    enterprises = cli.json("units", "--class", "enterprise")
    assert {"code": "water-co", "name": "北京市自来水集团", "class": "enterprise", "parent": None} in enterprises
    communities = cli.json("units", "--class", "community")
    assert all(u["parent"] for u in communities)
    assert "和平里街道" in cli("units").stdout
