"""`jiesu escalate` driven by --now across the National Day week of 2026.

Oct 1-7 are public holidays; Wed Sep 30 and Thu Oct 8 are working days, and Saturday Oct 10 is a
make-up working day (调休). The sample rules have no [escalation] section, so the defaults apply:
warn 2h before a deadline, escalate 1 working day after the finish deadline (urgent: 2h) and one
level more for each further period, district-office and city-centre as the upper rungs.
"""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from jiesu.domain.calendar import WorkCalendar
from jiesu.domain.catalogue import EscalationPolicy, LeadTime, Unit, UnitClass
from jiesu.domain.durations import Duration, due
from jiesu.domain.escalation import counted_back, ladder, levels_reached, warn_from

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "dongcheng.toml"
SHANGHAI = ZoneInfo("Asia/Shanghai")
INTAKE = "2026-09-30T09:00:00+08:00"  # a Wednesday, the last working day before the holiday


@pytest.fixture(autouse=True)
def sample_rules(monkeypatch):
    monkeypatch.setenv("JIESU_RULES", str(SAMPLE))


def take_in(cli, content, address, *extra, now=INTAKE):
    return cli.json("--now", now, "intake", "--content", content, "--address", address, *extra)["number"]


def escalate(cli, now, *extra, code=0):
    """One run at `now`: its actions as (number, action, deadline, due, unit, level), checked for shape."""
    result = cli("--now", now, "escalate", "--format", "jsonl", *extra, ok=False)
    assert result.exit_code == code, result.stdout + result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    for record in records:
        assert list(record) == ["number", "action", "deadline", "due", "unit", "level", "at"]
        assert record["at"] == datetime.fromisoformat(now).astimezone(SHANGHAI).isoformat()
    return [(r["number"], r["action"], r["deadline"], r["due"], r["unit"], r["level"]) for r in records]


def test_a_week_with_a_holiday_run_by_run(cli, sql):
    water = take_in(cli, "家里停水了", "龙潭路3号")  # water-co leads, longtan co-handles; utility limits
    lamp = take_in(cli, "楼道灯坏了很久没人修", "南锣鼓巷5号")  # no rule: the street (jiaodaokou), default limits
    urgent = take_in(cli, "楼道灯坏了很久没人修", "南锣鼓巷5号", "--urgent")  # urgent limits, 2h escalation
    # water: accept 11:00, contact 13:00, finish Oct 1 09:00; lamp: contact Oct 1 09:00, finish Oct 7
    # 23:59:59, accept Oct 8 23:59:59 (one working day: the holiday is skipped); urgent: accept 09:30,
    # contact 11:00, finish Oct 1 09:00
    assert escalate(cli, "2026-09-30T09:10:00+08:00") == [
        (water, "warn", "accept", "2026-09-30T11:00:00+08:00", "water-co", 0),
        (water, "warn", "accept", "2026-09-30T11:00:00+08:00", "longtan", 0),
        (urgent, "warn", "accept", "2026-09-30T09:30:00+08:00", "jiaodaokou", 0),
        (urgent, "warn", "contact", "2026-09-30T11:00:00+08:00", "jiaodaokou", 0),
    ]
    assert escalate(cli, "2026-09-30T09:10:00+08:00") == []  # a rerun at the same clock adds nothing

    cli("--now", "2026-09-30T09:20:00+08:00", "accept", water, "--unit", "water-co")
    assert escalate(cli, "2026-09-30T10:00:00+08:00", "--fail-on-overdue", code=3) == [
        (urgent, "overdue", "accept", "2026-09-30T09:30:00+08:00", "jiaodaokou", 0),
    ]
    cli("--now", "2026-09-30T10:30:00+08:00", "accept", urgent, "--unit", "jiaodaokou")  # late
    cli("--now", "2026-09-30T10:40:00+08:00", "contact", urgent, "--unit", "jiaodaokou")
    assert escalate(cli, "2026-09-30T12:00:00+08:00") == [
        (water, "warn", "contact", "2026-09-30T13:00:00+08:00", "water-co", 0),
        (water, "overdue", "accept", "2026-09-30T11:00:00+08:00", "longtan", 0),
    ]
    # Oct 1, a holiday: deadlines in clock hours still fall due
    assert escalate(cli, "2026-10-01T08:00:00+08:00") == [
        (water, "overdue", "contact", "2026-09-30T13:00:00+08:00", "water-co", 0),
        (water, "warn", "finish", "2026-10-01T09:00:00+08:00", "water-co", 0),
        (water, "warn", "finish", "2026-10-01T09:00:00+08:00", "longtan", 0),
        (lamp, "warn", "contact", "2026-10-01T09:00:00+08:00", "jiaodaokou", 0),
        (urgent, "warn", "finish", "2026-10-01T09:00:00+08:00", "jiaodaokou", 0),
    ]
    # urgent: one level 2h after its finish deadline, the next at 13:00 (exactly then counts)
    assert escalate(cli, "2026-10-01T12:00:00+08:00") == [
        (water, "overdue", "finish", "2026-10-01T09:00:00+08:00", "water-co", 0),
        (water, "overdue", "finish", "2026-10-01T09:00:00+08:00", "longtan", 0),
        (lamp, "overdue", "contact", "2026-10-01T09:00:00+08:00", "jiaodaokou", 0),
        (urgent, "overdue", "finish", "2026-10-01T09:00:00+08:00", "jiaodaokou", 0),
        (urgent, "escalate", "finish", "2026-10-01T09:00:00+08:00", "district-office", 1),
    ]
    assert escalate(cli, "2026-10-01T13:00:00+08:00") == [
        (urgent, "escalate", "finish", "2026-10-01T09:00:00+08:00", "city-centre", 2),
    ]
    assert escalate(cli, "2026-10-05T13:00:00+08:00") == []  # a street's ladder ends at the city
    # not urgent: 1wd after the finish deadline is the end of the next working day, Oct 8
    assert escalate(cli, "2026-10-08T22:00:00+08:00") == [
        (lamp, "warn", "accept", "2026-10-08T23:59:59+08:00", "jiaodaokou", 0),
        (lamp, "overdue", "finish", "2026-10-07T23:59:59+08:00", "jiaodaokou", 0),
    ]
    assert escalate(cli, "2026-10-09T00:00:30+08:00") == [
        (water, "escalate", "finish", "2026-10-01T09:00:00+08:00", "district-office", 1),
        (lamp, "overdue", "accept", "2026-10-08T23:59:59+08:00", "jiaodaokou", 0),
        (lamp, "escalate", "finish", "2026-10-07T23:59:59+08:00", "district-office", 1),
    ]
    cli("--now", "2026-10-09T10:00:00+08:00", "contact", water, "--unit", "water-co")
    cli(
        "--now",
        "2026-10-09T10:05:00+08:00",
        "finish",
        water,
        "--unit",
        "water-co",
        "--result",
        "resolved",
        "--text",
        "修好了",
    )
    # water is finished (its co-handler's part no longer counts); lamp reaches the city on Saturday
    # Oct 10, a make-up working day, not on Monday
    assert escalate(cli, "2026-10-10T00:00:30+08:00", "--fail-on-overdue", code=3) == [
        (lamp, "escalate", "finish", "2026-10-07T23:59:59+08:00", "city-centre", 2),
    ]
    # already recorded, still overdue: --fail-on-overdue still exits 3; plain runs exit 0
    assert escalate(cli, "2026-10-12T09:00:00+08:00", "--fail-on-overdue", code=3) == []
    assert escalate(cli, "2026-10-12T09:00:00+08:00") == []

    levels = dict(sql("SELECT number, escalation_level || ' ' || coalesce(coordinator, '') FROM tickets"))
    assert levels == {water: "1 district-office", lamp: "2 city-centre", urgent: "2 city-centre"}
    # the lead unit stays the lead, accountable for the assessment
    assert cli.json("show", lamp)["lead_unit"] == "jiaodaokou"
    # one event per action, at the run's clock, by the operator who ran it
    shown = [e for e in cli.json("show", urgent)["events"] if e["action"] in ("warn", "overdue", "escalate")]
    assert [(e["at"], e["action"], e["unit"], e["data"]["deadline"]) for e in shown] == [
        ("2026-09-30T09:10:00+08:00", "warn", "jiaodaokou", "accept"),
        ("2026-09-30T09:10:00+08:00", "warn", "jiaodaokou", "contact"),
        ("2026-09-30T10:00:00+08:00", "overdue", "jiaodaokou", "accept"),
        ("2026-10-01T08:00:00+08:00", "warn", "jiaodaokou", "finish"),
        ("2026-10-01T12:00:00+08:00", "overdue", "jiaodaokou", "finish"),
        ("2026-10-01T12:00:00+08:00", "escalate", "district-office", "finish"),
        ("2026-10-01T13:00:00+08:00", "escalate", "city-centre", "finish"),
    ]
    assert shown[-1]["data"] == {
        "deadline": "finish",
        "due": "2026-10-01T09:00:00+08:00",
        "role": "lead",
        "level": 2,
        "coordinator": "city-centre",
        "lead": "jiaodaokou",
        "since": "2026-10-01T13:00:00+08:00",
    }
    assert sql("SELECT count(*) FROM alerts") == [(24,)]
    assert sql("SELECT count(*) FROM events WHERE action IN ('warn', 'overdue', 'escalate')") == [(24,)]


def community_ticket(cli):
    """A ticket dispatched by hand to a community: the longest ladder (community → street → district → city)."""
    number = take_in(cli, "小区门口垃圾堆了好几天", "南锣鼓巷5号", "--no-dispatch")
    cli("--now", INTAKE, "dispatch", number, "--unit", "jdk-nanluoguxiang")
    return number


def test_catching_up_after_the_machine_was_off_for_the_holiday(cli, sql):
    number = community_ticket(cli)
    assert escalate(cli, "2026-09-30T09:05:00+08:00") == []
    # off from Sep 30 to Monday Oct 12: one run records every missed action once; warnings whose
    # window passed unseen are not sent late
    assert escalate(cli, "2026-10-12T10:00:00+08:00", "--fail-on-overdue", code=3) == [
        (number, "overdue", "accept", "2026-10-08T23:59:59+08:00", "jdk-nanluoguxiang", 0),
        (number, "overdue", "contact", "2026-10-01T09:00:00+08:00", "jdk-nanluoguxiang", 0),
        (number, "overdue", "finish", "2026-10-07T23:59:59+08:00", "jdk-nanluoguxiang", 0),
        (number, "escalate", "finish", "2026-10-07T23:59:59+08:00", "jiaodaokou", 1),
        (number, "escalate", "finish", "2026-10-07T23:59:59+08:00", "district-office", 2),
        (number, "escalate", "finish", "2026-10-07T23:59:59+08:00", "city-centre", 3),
    ]
    assert escalate(cli, "2026-10-12T10:00:00+08:00") == []
    assert escalate(cli, "2026-10-20T10:00:00+08:00") == []  # the top of the ladder
    since = [
        json.loads(row[0])["since"]
        for row in sql("SELECT CAST(data AS TEXT) FROM events WHERE action = 'escalate' ORDER BY id")
    ]
    # level 3 on Saturday Oct 10, the make-up working day
    assert since == ["2026-10-08T23:59:59+08:00", "2026-10-09T23:59:59+08:00", "2026-10-10T23:59:59+08:00"]
    ticket = sql("SELECT escalation_level, coordinator, lead_unit, version FROM tickets")
    assert ticket == [(3, "city-centre", "jdk-nanluoguxiang", 3)]  # intake 1, dispatch 2, escalation 3


def test_an_extension_moves_the_deadline_and_the_ladder_is_not_climbed_twice(cli, sql):
    number = take_in(cli, "楼道灯坏了很久没人修", "南锣鼓巷5号")
    cli("--now", "2026-09-30T09:30:00+08:00", "accept", number, "--unit", "jiaodaokou")
    cli("--now", "2026-09-30T09:40:00+08:00", "contact", number, "--unit", "jiaodaokou")
    assert escalate(cli, "2026-10-09T09:00:00+08:00") == [
        (number, "overdue", "finish", "2026-10-07T23:59:59+08:00", "jiaodaokou", 0),
        (number, "escalate", "finish", "2026-10-07T23:59:59+08:00", "district-office", 1),
    ]
    cli(
        "--now",
        "2026-10-09T09:10:00+08:00",
        "extend",
        number,
        "--unit",
        "jiaodaokou",
        "--by",
        "3wd",
        "--reason",
        "等配件",
    )
    cli("--now", "2026-10-09T09:20:00+08:00", "extend", number, "--approve", "--reason", "同意")
    # three working days after Oct 7 end on Saturday Oct 10, a make-up working day; the new deadline
    # is warned and marked overdue afresh
    assert escalate(cli, "2026-10-10T22:00:00+08:00") == [
        (number, "warn", "finish", "2026-10-10T23:59:59+08:00", "jiaodaokou", 0),
    ]
    assert escalate(cli, "2026-10-11T00:00:01+08:00") == [
        (number, "overdue", "finish", "2026-10-10T23:59:59+08:00", "jiaodaokou", 0),
    ]
    # one period after it (Monday) the ticket is already at level 1: the ladder is not climbed again
    assert escalate(cli, "2026-10-13T00:00:01+08:00") == []
    assert escalate(cli, "2026-10-14T00:00:01+08:00") == [
        (number, "escalate", "finish", "2026-10-10T23:59:59+08:00", "city-centre", 2),
    ]


def test_a_dry_run_reports_the_same_actions_and_writes_nothing(cli, sql):
    community_ticket(cli)
    take_in(cli, "家里停水了", "龙潭路3号")
    counts = "SELECT (SELECT count(*) FROM alerts), (SELECT count(*) FROM events), (SELECT sum(version) FROM tickets)"
    before = sql(counts)
    planned = escalate(cli, "2026-10-12T10:00:00+08:00", "--dry-run")
    assert len(planned) == 13  # community 3 overdue + 3 levels; water-co 3 overdue + 2 levels; longtan 2
    assert sql(counts) == before
    assert escalate(cli, "2026-10-12T10:00:00+08:00") == planned
    assert escalate(cli, "2026-10-12T10:00:00+08:00", "--dry-run") == []


@pytest.mark.sqlite_only
def test_a_dry_run_on_sqlite_reads_without_sqlalchemy(cli, case_file):
    """Its reading is sqlite3 alone (store/due.py); a process that ran it never imported SQLAlchemy,
    and it lists what the same queries list through SQLAlchemy's connection."""
    import subprocess
    import sys

    community_ticket(cli)
    now = "2026-10-12T10:00:00+08:00"
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from jiesu.cli import app\n"
        f"args = ['--db', {case_file!r}, '--now', {now!r}, 'escalate', '--dry-run', '--format', 'jsonl']\n"
        "result = CliRunner().invoke(app, args)\n"
        "assert result.exit_code == 0, result.output\n"
        "print('sqlalchemy' in sys.modules)\n"
        "print(result.stdout, end='')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    imported, *lines = done.stdout.splitlines()
    assert imported == "False"
    assert len(lines) == 6  # 3 overdue marks, 3 levels

    # the real run reads through SQLAlchemy's connection: the same actions
    assert [json.loads(line) for line in lines] == [
        json.loads(line) for line in cli("--now", now, "escalate", "--format", "jsonl").stdout.splitlines()
    ]


@pytest.mark.sqlite_only
def test_the_sqlite_reader_gives_way_to_the_full_open_when_anything_is_unusual(cli, case_file, tmp_path):
    """A file that needs an upgrade, is not SQLite, or is missing: None, and the full open decides."""
    import shutil
    import sqlite3

    from jiesu.store import due

    cli("init")
    with due.sqlite_reader(case_file) as reader:
        assert reader is not None
    old = tmp_path / "old.db"
    shutil.copyfile(case_file, old)
    with sqlite3.connect(old) as conn:
        conn.execute("UPDATE jiesu_meta SET value = '8' WHERE key = 'schema_version'")
    (tmp_path / "text.db").write_text("not a database")
    for db in (old, tmp_path / "text.db", tmp_path / "missing.db", tmp_path, "postgresql://nobody@nowhere/x"):
        with due.sqlite_reader(str(db)) as reader:
            assert reader is None, db


def test_json_is_an_array_of_the_jsonl_objects(cli):
    community_ticket(cli)
    now = "2026-10-12T10:00:00+08:00"
    records = json.loads(cli("--now", now, "escalate", "--format", "json", "--dry-run").stdout)
    lines = cli("--now", now, "escalate", "--format", "jsonl").stdout.splitlines()
    assert records == [json.loads(line) for line in lines]
    assert records[0] == {
        "number": "2026093000001",
        "action": "overdue",
        "deadline": "accept",
        "due": "2026-10-08T23:59:59+08:00",
        "unit": "jdk-nanluoguxiang",
        "level": 0,
        "at": "2026-10-12T10:00:00+08:00",
    }
    assert json.loads(cli("--now", now, "escalate", "--format", "json").stdout) == []


def test_each_jsonl_line_is_its_record_as_json_writes_it():
    """The lines are built from a template; they must be json.dumps's bytes, free text included."""
    from jiesu.cli.escalate import jsonl_lines, record
    from jiesu.domain.enums import Action
    from jiesu.domain.escalation import Coordinator, Deadline, LadderTop
    from jiesu.services.escalation import Alerted

    due = datetime(2026, 3, 8, 6, 59, 59, 500_000, tzinfo=UTC)  # the fraction is not shown
    at = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)
    top = LadderTop("街道", (Coordinator.CITY,))
    actions = [
        Alerted("2026030800001", Action.WARN, Deadline.ACCEPT, due, "water-co", 0, at),
        Alerted('20"26\\0\n', Action.OVERDUE, Deadline.CONTACT, due, '东城区\t"水务\u2028', 0, at, top),
        Alerted("№ 7 \x01", Action.ESCALATE, Deadline.FINISH, due, "water-co", 12, at),
    ]
    for zone in (SHANGHAI, ZoneInfo("America/New_York"), UTC):
        expected = [json.dumps(record(a, zone), ensure_ascii=False) + "\n" for a in actions]
        assert list(jsonl_lines(actions, zone)) == expected


def test_the_summary_table_for_people(cli):
    community_ticket(cli)
    out = cli("--now", "2026-10-12T10:00:00+08:00", "escalate", "--format", "table").stdout
    assert "超时预警与升级协调 2026-10-12 10:00" in out
    assert "│ 超时     │    1 │    1 │    1 │    3 │" in out
    assert "│ 升级协调 │    0 │    0 │    3 │    3 │" in out
    assert "南锣鼓巷社区 (jdk-nanluoguxiang)" in out
    assert "北京市12345市民服务热线 (city-centre)" in out
    assert "超时未办的时限（含此前已记录的）: 3" in out
    again = cli("--lang", "en", "--now", "2026-10-12T10:05:00+08:00", "escalate").stdout
    assert again.splitlines() == [
        "Deadline warnings and escalation 2026-10-12 10:05: Nothing new to warn about, mark overdue or escalate",
        "Deadlines overdue and still open (also earlier ones): 3",
    ]
    dry = cli("--lang", "en", "--now", "2026-10-20T10:00:00+08:00", "escalate", "--dry-run").stdout
    assert "(dry run: nothing written)" in dry


def test_a_share_of_the_limit_as_lead_time(cli, tmp_path, monkeypatch):
    rules = tmp_path / "share.toml"
    rules.write_text(SAMPLE.read_text(encoding="utf-8") + '\n[escalation]\nwarn_before = "20%"\n', encoding="utf-8")
    monkeypatch.setenv("JIESU_RULES", str(rules))
    water = take_in(cli, "家里停水了", "龙潭路3号")
    # accept within 2h: warned in its last 24 minutes; contact within 4h: its last 48 minutes
    assert escalate(cli, "2026-09-30T10:35:59+08:00") == []
    assert escalate(cli, "2026-09-30T10:36:00+08:00") == [
        (water, "warn", "accept", "2026-09-30T11:00:00+08:00", "water-co", 0),
        (water, "warn", "accept", "2026-09-30T11:00:00+08:00", "longtan", 0),
    ]
    assert escalate(cli, "2026-09-30T12:11:59+08:00") == [
        (water, "overdue", "accept", "2026-09-30T11:00:00+08:00", "water-co", 0),
        (water, "overdue", "accept", "2026-09-30T11:00:00+08:00", "longtan", 0),
    ]
    assert escalate(cli, "2026-09-30T12:12:00+08:00") == [
        (water, "warn", "contact", "2026-09-30T13:00:00+08:00", "water-co", 0),
    ]


def test_a_run_that_fails_half_way_leaves_the_case_file_as_it_was(cli, sql, monkeypatch):
    from jiesu.services import escalation

    number = community_ticket(cli)
    counts = "SELECT (SELECT count(*) FROM alerts), (SELECT count(*) FROM events), (SELECT sum(version) FROM tickets)"
    before = sql(counts)

    def killed(*args, **kwargs):
        raise RuntimeError("killed")  # after the alerts and events were inserted

    with monkeypatch.context() as patched:
        patched.setattr(escalation, "_raise_levels", killed)
        result = cli("--now", "2026-10-12T10:00:00+08:00", "escalate", ok=False)
    assert isinstance(result.exception, RuntimeError)
    assert sql(counts) == before
    assert len(escalate(cli, "2026-10-12T10:00:00+08:00")) == 6
    assert sql("SELECT escalation_level FROM tickets WHERE number = :number", number=number) == [(3,)]


# --- the pure rules behind it ---------------------------------------------------------------------

CALENDAR = WorkCalendar()


def at(text):
    return datetime.fromisoformat(text).astimezone(UTC)


def test_working_days_before_a_deadline_skip_the_holiday():
    accept_due = at("2026-10-08T23:59:59+08:00")
    assert counted_back(accept_due, Duration(1, "wd"), CALENDAR, SHANGHAI) == at("2026-09-30T23:59:59+08:00")
    assert counted_back(accept_due, Duration(1, "d"), CALENDAR, SHANGHAI) == at("2026-10-07T23:59:59+08:00")
    assert counted_back(accept_due, Duration(90, "m"), CALENDAR, SHANGHAI) == at("2026-10-08T22:29:59+08:00")
    assigned = at("2026-10-08T20:00:00+08:00")  # never before the assignment itself
    assert warn_from(accept_due, assigned, LeadTime(duration=Duration(1, "wd")), CALENDAR, SHANGHAI) == assigned


def test_levels_count_working_days_from_the_finish_deadline():
    def one_after(start, limit):
        return due(start, limit, CALENDAR, SHANGHAI)

    finish_due = at("2026-09-30T23:59:59+08:00")
    reached = levels_reached(at("2026-10-12T12:00:00+08:00"), finish_due, Duration(1, "wd"), 3, one_after)
    assert [(level, moment.astimezone(SHANGHAI).date()) for level, moment in reached] == [
        (1, date(2026, 10, 8)),
        (2, date(2026, 10, 9)),
        (3, date(2026, 10, 10)),
    ]
    assert levels_reached(finish_due + timedelta(hours=1), finish_due, Duration(2, "h"), 3, one_after) == []


def test_the_ladder_of_each_kind_of_unit():
    units = {
        "cm": Unit("cm", "某社区", UnitClass.COMMUNITY, "st"),
        "orphan": Unit("orphan", "无街道社区", UnitClass.COMMUNITY, ""),
        "st": Unit("st", "某街道", UnitClass.STREET),
        "dept": Unit("dept", "区城管委", UnitClass.DISTRICT_DEPT),
        "gas": Unit("gas", "燃气集团", UnitClass.ENTERPRISE),
        "city": Unit("city", "市交管局", UnitClass.CITY_DEPT),
        "district-office": Unit("district-office", "区专班", UnitClass.DISTRICT_DEPT),
        "city-centre": Unit("city-centre", "市热线", UnitClass.CITY_DEPT),
    }
    policy = EscalationPolicy()
    assert ladder("cm", units, policy) == ("cm", "st", "district-office", "city-centre")
    assert ladder("orphan", units, policy) == ("orphan", "district-office", "city-centre")
    assert ladder("st", units, policy) == ("st", "district-office", "city-centre")
    assert ladder("dept", units, policy) == ("dept", "district-office", "city-centre")
    assert ladder("gas", units, policy) == ("gas", "district-office", "city-centre")
    assert ladder("city", units, policy) == ("city", "city-centre")
    assert ladder("district-office", units, policy) == ("district-office", "city-centre")
    assert ladder("city-centre", units, policy) == ("city-centre",)
    assert ladder("gone", units, policy) == ("gone", "district-office", "city-centre")
