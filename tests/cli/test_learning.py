"""Learned dispatch suggestions and what-if replay, on a generated history.

The history: requests in seven categories, each with its own department. The office's rules know
only water cuts, so the fallback sends everything else to the address's street, which returns it;
a clerk then dispatches it by hand to the right department with its category (a person's label),
and the department finishes it and the callback closes it.
"""

import csv
import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from jiesu.services.callback import callback
from jiesu.services.context import Office
from jiesu.services.dispatch import dispatch
from jiesu.services.handling import accept, contact, finish, return_ticket

RULES = """
[office]
name = "测试区12345中心"
district = "测试区"

[dispatch]
fallback = "@street"

[[units]]
code = "qingyuan"
name = "清源街道"
class = "street"

[[units]]
code = "linxiao"
name = "林校路街道"
class = "street"

[[areas]]
street = "qingyuan"
names = ["清源路"]

[[areas]]
street = "linxiao"
names = ["林校路"]

[[rules]]
name = "供水"
keywords_any = ["停水"]
category = "城乡建设/供水"
lead = "water-co"
"""

DEPARTMENTS = {
    "城乡建设/城市建设和市政管理": (
        "chengguan",
        "区城管执法局",
        ["路灯不亮", "井盖破损", "占道经营", "违章搭建", "垃圾没人清运"],
    ),
    "环境保护/环境污染": (
        "sthjj",
        "区生态环境局",
        ["排放黑烟", "河道发臭", "刺鼻异味", "粉尘污染", "污水直排"],
    ),
    "交通运输/客货运输": (
        "jtw",
        "区交通委",
        ["公交车晚点", "出租车拒载", "公交站台损坏", "网约车乱收费", "班车停运"],
    ),
    "教育文体/教育行政管理": (
        "jw",
        "区教委",
        ["学校乱收费", "入学报名难", "培训机构退费", "学区划分", "校车超载"],
    ),
    "劳动和社会保障/工资福利": (
        "rsj",
        "区人力社保局",
        ["拖欠工资", "社保断缴", "不签劳动合同", "工伤认定", "克扣加班费"],
    ),
    "商贸旅游/市场监管": (
        "scjg",
        "区市场监管局",
        ["商家拒绝退款", "缺斤短两", "虚假宣传", "预付卡跑路", "价格欺诈"],
    ),
    "卫生计生/医政监管": (
        "wjw",
        "区卫健委",
        ["医院乱收费", "医生态度恶劣", "诊所无证行医", "挂号排队太久", "体检乱收费"],
    ),
}
OPENINGS = ["我家住在", "我在", "我们小区在", "我是住在"]
CLOSINGS = ["，希望有关部门尽快处理。", "，已经好几天了，请管一管。", "，麻烦派人来看看。", "，反映多次没人管。"]
NOW = "2026-11-20T09:00:00+08:00"
TAKEN_IN = datetime.fromisoformat("2026-10-08T09:00:00+08:00")


def rules_file(tmp_path: Path, extra: str = "", name: str = "rules.toml") -> Path:
    path = tmp_path / name
    units = "".join(
        f'\n[[units]]\ncode = "{code}"\nname = "{unit_name}"\nclass = "district_dept"\n'
        for code, unit_name, _ in DEPARTMENTS.values()
    )
    path.write_text(
        RULES + units + '\n[[units]]\ncode = "water-co"\nname = "自来水集团"\nclass = "enterprise"\n' + extra,
        encoding="utf-8",
    )
    return path


def request_text(rng: random.Random, category: str) -> tuple[str, str]:
    """A title and content about `category`: two of its matters, a place, a closing."""
    first, second = rng.sample(DEPARTMENTS[category][2], 2)
    place = rng.choice(["清源路", "林校路"]) + f"{rng.randint(1, 40)}号院"
    return first, f"{rng.choice(OPENINGS)}{place}，{first}，还有{second}{rng.choice(CLOSINGS)}"


def write_requests(path: Path, count_per_category: int, seed: int, *, labelled: bool) -> list[str]:
    """A CSV of requests (categories in the file when `labelled`); returns the categories in order."""
    rng = random.Random(seed)
    categories = [c for c in DEPARTMENTS for _ in range(count_per_category)]
    rng.shuffle(categories)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["external_id", "created_at", "category", "title", "content", "address", "phone"])
        for index, category in enumerate(categories):
            title, content = request_text(rng, category)
            address = content[content.index("在") + 1 : content.index("院") + 1]
            at = TAKEN_IN + timedelta(minutes=7 * index)
            writer.writerow(
                [f"{path.stem}-{index}", at.isoformat(), category if labelled else "", title, content, address, ""]
            )
    return categories


def office(rules: Path, db: str, at: datetime) -> Office:
    return Office(db=db, rules_path=rules, now=at, operator="clerk-1")


def work_off(rules: Path, db: str, numbers: list[str], categories: list[str]) -> None:
    """The street returns each ticket, a clerk dispatches it by hand with its category, the
    department finishes it, and the callback closes it."""
    steps = office(rules, db, TAKEN_IN)  # one office: the rules and the case file opened once
    for index, (number, category) in enumerate(zip(numbers, categories, strict=True)):
        base = TAKEN_IN + timedelta(minutes=7 * index)
        department = DEPARTMENTS[category][0]
        steps.now = base + timedelta(hours=1)
        street = _lead(steps, number)
        return_ticket(steps, number, unit=street, reason="不属于街道职责")
        steps.now = base + timedelta(hours=2)
        dispatch(steps, [number], unit=department, category=category)
        steps.now = base + timedelta(hours=3)
        accept(steps, number, unit=department)
        contact(steps, number, unit=department)
        steps.now = base + timedelta(days=2)
        finish(steps, number, unit=department, result="resolved", text="已处理")
        steps.now = base + timedelta(days=3)
        callback(steps, number, reached=True, contacted=True, resolved=True, satisfaction="satisfied")


def _lead(steps: Office, number: str) -> str:
    from jiesu.services.tickets import show_ticket

    lead = show_ticket(steps, number).ticket.lead_unit
    assert lead is not None
    return lead


def build_history(cli: Any, folder: Path, db: str) -> Path:
    """84 closed tickets (12 per category) in the case file `db`, all mis-dispatched to a street first."""
    rules = rules_file(folder)
    train = folder / "train.csv"
    categories = write_requests(train, 12, seed=1, labelled=False)
    use = ("--db", db, "--rules", str(rules), "--now", NOW, "--operator", "clerk-1")
    cli(*use, "intake", "--file", str(train))
    listed = cli.json(*use, "list", "--limit", "500")
    numbers = [ticket["number"] for ticket in reversed(listed)]  # newest first: reversed is file order
    work_off(rules, db, numbers, categories)
    return rules


@pytest.fixture(scope="module")
def sqlite_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The history built once into a SQLite file; each test gets a copy (building takes seconds)."""
    import sqlite3

    from tests.conftest import Cli

    folder = tmp_path_factory.mktemp("history")
    db = folder / "history.db"
    build_history(Cli(), folder, str(db))
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return folder


@pytest.fixture
def history(cli: Any, tmp_path: Path, case_file: str, backend: str, request: pytest.FixtureRequest) -> Path:
    """The test's case file holds the generated history; returns the rules file."""
    if backend != "sqlite":
        return build_history(cli, tmp_path, case_file)
    import shutil

    template: Path = request.getfixturevalue("sqlite_history")
    shutil.copy(template / "history.db", case_file)
    return rules_file(tmp_path)


@pytest.mark.slow
def test_learning_beats_the_rules_fallback_on_held_out_tickets(cli, tmp_path, history):
    use = ("--rules", str(history), "--now", NOW)
    learned = cli.json(*use, "rules", "learn")
    assert learned["tickets"] == 84  # the hand dispatches' categories, nothing else
    assert {label["label"] for label in learned["labels"]} == set(DEPARTMENTS)
    assert learned["accuracy"] > 0.9 and learned["unit_history_tickets"] == 84

    held_out = tmp_path / "held-out.csv"
    categories = write_requests(held_out, 4, seed=99, labelled=False)
    rng = random.Random(99)
    model_right = rules_right = 0
    for category in categories:
        title, content = request_text(rng, category)
        decision = cli.json(*use, "rules", "explain", "--title", title, "--content", content)
        rules_right += decision["category"] == category
        model_right += (decision["suggestion"] or {}).get("category") == category
    assert rules_right == 0
    assert model_right >= 0.85 * len(categories)


@pytest.mark.slow
def test_the_table_lists_accuracy_per_category(cli, history):
    out = cli("--rules", str(history), "--now", NOW, "rules", "learn").stdout
    assert "交叉验证" in out and "劳动和社会保障/工资福利" in out and "%" in out


@pytest.mark.slow
def test_a_model_never_trains_on_its_own_suggestions(cli, tmp_path, history, sql):
    use = ("--rules", str(rules_file(tmp_path, "\n[learn]\nauto_dispatch = 0.5\n", "auto.toml")), "--now", NOW)
    first = cli.json(*use, "rules", "learn")
    ticket = cli.json(*use, "intake", "--content", "我家住在清源路3号院，拖欠工资，还有社保断缴，请管一管。")
    assert ticket["status"] == "dispatched" and ticket["category_source"] == "model"
    (source,) = sql("SELECT category_source FROM tickets WHERE number = :n", n=ticket["number"])[0:1]
    assert source == ("model",)
    again = cli.json(*use, "rules", "learn")
    assert again["tickets"] == first["tickets"]


@pytest.mark.slow
def test_auto_dispatch_above_the_threshold_and_waiting_below(cli, tmp_path, history):
    sure = ("--rules", str(rules_file(tmp_path, "\n[learn]\nauto_dispatch = 0.5\n", "sure.toml")), "--now", NOW)
    cli(*sure, "rules", "learn")
    text = "我家住在林校路8号院，拖欠工资，还有克扣加班费，请管一管。"
    ticket = cli.json(*sure, "intake", "--content", text, "--address", "林校路8号院")
    assert ticket["status"] == "dispatched" and ticket["lead_unit"] == "rsj"
    assert ticket["suggestion"]["unit"] == "rsj" and ticket["suggestion"]["confidence"] >= 0.5
    shown = cli.json(*sure, "show", ticket["number"])
    (dispatched,) = [e for e in shown["events"] if e["action"] == "dispatch"]
    assert dispatched["data"]["auto"] is True and dispatched["data"]["suggestion"]["confidence"] >= 0.5
    assert "auto_dispatch" in dispatched["note"]

    strict = ("--rules", str(rules_file(tmp_path, "\n[learn]\nauto_dispatch = 1\n", "strict.toml")), "--now", NOW)
    waiting = cli.json(*strict, "intake", "--content", text, "--address", "林校路8号院")
    assert waiting["status"] == "pending" and waiting["suggestion"]["unit"] == "rsj"
    listed = cli.json(*strict, "list", "--status", "pending")
    assert [t["suggestion"]["unit"] for t in listed if t["number"] == waiting["number"]] == ["rsj"]
    table = cli(*strict, "list", "--status", "pending").stdout
    assert "智能派单建议" in table
    (taken,) = cli.json(*strict, "dispatch", waiting["number"], "--suggested")
    assert taken["lead"] == "rsj" and taken["outcome"] == "dispatch"
    after = cli.json(*strict, "show", waiting["number"])
    assert after["status"] == "dispatched" and after["category"] == "劳动和社会保障/工资福利"
    assert after["category_source"] == "model"


@pytest.mark.slow
def test_without_auto_dispatch_the_fallback_decides_and_the_suggestion_is_shown(cli, history):
    use = ("--rules", str(history), "--now", NOW)
    cli(*use, "rules", "learn")
    text = "我在清源路2号院，医院乱收费，还有体检乱收费，麻烦派人来看看。"
    ticket = cli.json(*use, "intake", "--content", text, "--address", "清源路2号院")
    assert ticket["status"] == "dispatched" and ticket["lead_unit"] == "qingyuan"  # the fallback, as before
    assert ticket["suggestion"]["category"] == "卫生计生/医政监管" and ticket["suggestion"]["unit"] == "wjw"
    shown = cli(*use, "show", ticket["number"]).stdout
    assert "区卫健委 (wjw)" in shown


def test_dispatch_suggested_without_a_model_is_refused(cli, tmp_path, english):
    use = ("--rules", str(rules_file(tmp_path, "\n[learn]\nauto_dispatch = 0.9\n")), "--now", NOW)
    ticket = cli.json(*use, "intake", "--content", "有人在林校路占道经营", "--no-dispatch")
    result = cli(*use, "dispatch", ticket["number"], "--suggested", ok=False)
    assert result.exit_code == 1 and "run `jiesu rules learn`" in result.stderr
    assert cli.json(*use, "show", ticket["number"])["status"] == "pending"


def test_learning_without_labels_is_refused_in_one_line(cli, tmp_path):
    use = ("--rules", str(rules_file(tmp_path)), "--now", NOW)
    cli(*use, "intake", "--content", "林校路路灯不亮")
    result = cli(*use, "rules", "learn", ok=False)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and "not enough labelled tickets" in result.stderr


def test_auto_dispatch_is_checked(cli, tmp_path):
    bad = rules_file(tmp_path, "\n[learn]\nauto_dispatch = 2\nsugest = true\n")
    result = cli("rules", "check", str(bad), ok=False)
    assert result.exit_code == 1
    assert "auto_dispatch: must be a confidence from 0.5 to 1" in result.stderr
    assert "sugest" in result.stderr and "suggest" in result.stderr


@pytest.mark.slow
def test_rules_accuracy_shows_rules_and_model_side_by_side(cli, history):
    use = ("--rules", str(history), "--now", NOW)
    before = cli.json(*use, "rules", "accuracy")["rules_and_model"]
    assert before["model"] is None and before["tickets"] == 84 and before["rules_right"] == 0
    cli(*use, "rules", "learn")
    after = cli.json(*use, "rules", "accuracy")["rules_and_model"]
    assert after["rules_right"] == 0 and after["model_right"] >= 80
    assert "模型建议" in cli(*use, "rules", "accuracy").stdout


@pytest.mark.slow
def test_replay_counts_a_returned_route_the_proposed_rules_fix(cli, tmp_path, history, sql):
    proposed = rules_file(
        tmp_path,
        '\n[[rules]]\nname = "欠薪"\nkeywords_any = ["拖欠工资", "克扣加班费", "社保断缴", "劳动合同", "工伤"]\n'
        'category = "劳动和社会保障/工资福利"\nlead = "rsj"\n'
        '\n[[rules]]\nname = "从不命中"\nkeywords_any = ["外星人"]\nlead = "jtw"\n',
        "proposed.toml",
    )
    before = sql("SELECT count(*) FROM events")
    use = ("--rules", str(history), "--now", NOW)
    replay = cli.json(*use, "rules", "replay", "--from", "2026-10-01", "--to", "2026-10-31", "--rules", str(proposed))
    assert sql("SELECT count(*) FROM events") == before  # nothing written
    assert replay["tickets"] == 84
    assert replay["misdispatch"]["current"] == {"dispatched": 84, "missed": 84, "rate": 1.0}
    assert replay["rule_wins"] == {"欠薪": 12}  # the wage tickets; nothing else mentions wages
    assert replay["changed"] == 12 and replay["changed_now_final"] == 12 and replay["returned_fixed"] == 12
    assert replay["misdispatch"]["proposed"] == {"dispatched": 84, "missed": 72, "rate": 72 / 84}
    assert replay["deadlines"] == {"tightened": 0, "loosened": 0, "same": 84}
    assert "从不命中" in replay["never_fired"] and "供水" in replay["never_fired"]
    assert {"unit": "rsj", "current": 0, "proposed": 12} in replay["load"]
    example = replay["examples"][0]
    assert example["proposed"] == "rsj" and example["final"] == "rsj" and example["returned"] is True

    table = cli(*use, "rules", "replay", "--from", "2026-10-01", "--to", "2026-10-31", "--rules", str(proposed))
    assert "估计误派率" in table.stdout and "从不命中" in table.stdout
    markdown = cli(
        *use,
        "rules",
        "replay",
        "--from",
        "2026-10-01",
        "--to",
        "2026-10-31",
        "--rules",
        str(proposed),
        "--format",
        "markdown",
    ).stdout
    assert markdown.startswith("# ") and "| 估计误派率 |" in markdown


def test_replay_refuses_a_broken_proposed_rules_file(cli, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[[rules]]\nname = 1\n", encoding="utf-8")
    use = ("--rules", str(rules_file(tmp_path)), "--now", NOW)
    cli(*use, "intake", "--content", "林校路路灯不亮")
    result = cli(
        *use, "rules", "replay", "--from", "2026-10-01", "--to", "2026-10-31", "--rules", str(broken), ok=False
    )
    assert result.exit_code == 1 and "broken.toml" in result.stderr


@pytest.mark.slow
def test_intake_with_a_model_never_imports_the_training_stack(cli, tmp_path, case_file, backend):
    import subprocess
    import sys

    rules = rules_file(tmp_path)
    train = tmp_path / "few.csv"
    write_requests(train, 5, seed=3, labelled=True)
    use = ("--rules", str(rules), "--now", NOW)
    cli(*use, "intake", "--file", str(train))
    cli(*use, "rules", "learn")
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from jiesu.cli import app\n"
        f"args = ['--db', {case_file!r}, '--rules', {str(rules)!r}, '--now', {NOW!r}, 'intake', '--content',\n"
        "        '我在林校路2号院，拖欠工资，还有社保断缴', '--address', '林校路2号院', '--format', 'json']\n"
        "result = CliRunner().invoke(app, args)\n"
        "assert result.exit_code == 0, result.output\n"
        "assert '\"suggestion\": {' in result.stdout, result.stdout\n"
        "print(sorted(m for m in ('sklearn', 'numpy', 'scipy') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_dispatch_pending_suggested_leaves_tickets_without_a_suggestion_waiting(cli, tmp_path, english):
    """--pending --suggested takes what it can: a ticket with no usable suggestion waits for a person,
    listed as held with why, and the others are not refused along with it."""
    use = ("--rules", str(rules_file(tmp_path, "\n[learn]\nauto_dispatch = 0.9\n")), "--now", NOW)
    numbers = [
        cli.json(*use, "intake", "--content", text, "--no-dispatch")["number"]
        for text in ("有人在林校路占道经营", "清源路路灯不亮")
    ]
    results = cli.json(*use, "dispatch", "--pending", "--suggested")
    assert sorted(r["number"] for r in results) == numbers
    assert {r["outcome"] for r in results} == {"hold"}
    assert all("left for a person" in r["reason"] and "jiesu rules learn" in r["reason"] for r in results)
    assert [cli.json(*use, "show", n)["status"] for n in numbers] == ["pending", "pending"]
