"""`jiesu escalate` with any rules file (issue 11): the defaults work with whatever units exist, and
`rules check` and `escalate` accept and refuse the same files with the same words.

Also the calendar warning: a deadline counted in working days in a year whose make-up working days
(调休) the holidays package does not have yet (2027 while this is written) is worth one line on stderr.
"""

import json
import textwrap
from pathlib import Path

import pytest

from jiesu.rules import BUNDLED_RULES

pytestmark = pytest.mark.usefixtures("english")  # these read the English wording of messages

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "dongcheng.toml"
NOW = "2026-10-12T10:00:00+08:00"  # a Monday, after the National Day week

LIMITS = '[limits]\ndefault = { accept = "1wd", contact = "24h", finish = "7d" }\n'
UNITS = """\
[[units]]
code = "hepingli"
name = "和平里街道"
class = "street"

[[units]]
code = "qingnianhu"
name = "青年湖社区"
class = "community"
parent = "hepingli"

[[units]]
code = "jtj"
name = "市交通委"
class = "city_dept"
"""
UNITS_ONLY = LIMITS + UNITS  # no [escalation], no areas, no rules: the smallest file that works


def write(tmp_path: Path, text: str, name: str = "rules.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def check_and_escalate(cli, path: Path) -> tuple[list[str], list[str], int, int]:
    """The problems `rules check` lists and those `escalate --dry-run` refuses with, both without
    their prefixes; and the two exit codes."""
    checked = cli("--now", NOW, "rules", "check", str(path), ok=False)
    refused = cli("--rules", str(path), "--now", NOW, "escalate", "--dry-run", ok=False)
    check_lines = checked.stderr.splitlines()
    if checked.exit_code:
        assert check_lines[-1] == f"{len(check_lines) - 1} problem(s)"
        check_lines = check_lines[:-1]
    problems = [line.removeprefix(f"{path}: ") for line in check_lines]
    escalate_lines = [line.removeprefix(f"Error: rules file {path}: ") for line in refused.stderr.splitlines()]
    return problems, escalate_lines, checked.exit_code, refused.exit_code


BROKEN_ESCALATION = {
    "unknown coordinator": (
        '[escalation]\ndistrict_coordinator = "qu-zhuanban"\n',
        "line 18: [escalation]: district_coordinator: unknown unit code 'qu-zhuanban'; add it to [[units]], "
        'fix the code, or set "" for none',
    ),
    "share out of range": (
        '[escalation]\nwarn_before = "150%"\n',
        "line 18: [escalation]: warn_before: '150%' must be a share above 0% and below 100%, such as 20%",
    ),
    "unreadable period": (
        '[escalation]\nescalate_after = "2 days"\n',
        "line 18: [escalation]: escalate_after: cannot read '2 days' as a time limit; use e.g. 30m, 2h, 3d or 5wd",
    ),
    "misspelt key": (
        '[escalation]\ncity_coordinater = "jtj"\n',
        "line 18: [escalation]: unknown key 'city_coordinater'; did you mean city_coordinator?",
    ),
    "not a string": (
        "[escalation]\ncity_coordinator = 5\n",
        "line 18: [escalation]: city_coordinator: must be a string",
    ),
    "unknown calendar country": (
        '[calendar]\ncountry = "ZZ"\n',
        "line 18: [calendar] country: unknown country 'ZZ'; use an ISO code such as CN",
    ),
}


@pytest.fixture(autouse=True)
def case_file_made(cli, case_file):
    """The case file exists (made by `jiesu init` with its starter ./jiesu.toml) before escalate runs."""
    cli("init")
    return case_file


def test_init_then_escalate_works(cli, tmp_path):
    assert (tmp_path / "jiesu.toml").read_bytes() == BUNDLED_RULES.read_bytes()  # the starter, no units
    for extra in ([], ["--dry-run"], ["--format", "jsonl"]):
        result = cli("--lang", "en", "--now", NOW, "escalate", *extra)
        assert result.stderr == ""
    assert result.stdout == ""
    out = cli("--lang", "en", "--now", NOW, "escalate").stdout
    assert "Nothing new to warn about, mark overdue or escalate" in out


@pytest.mark.parametrize("which", ["units only", "starter", "bundled", "dongcheng"])
def test_valid_files_are_accepted_by_both(cli, tmp_path, which):
    path = {
        "units only": lambda: write(tmp_path, UNITS_ONLY),
        "starter": lambda: tmp_path / "jiesu.toml",
        "bundled": lambda: BUNDLED_RULES,
        "dongcheng": lambda: SAMPLE,
    }[which]()
    problems, refused, check_code, escalate_code = check_and_escalate(cli, path)
    assert (problems, refused, check_code, escalate_code) == ([], [], 0, 0)


@pytest.mark.parametrize("broken", sorted(BROKEN_ESCALATION))
def test_broken_files_are_refused_by_both_with_the_same_problem(cli, tmp_path, broken):
    section, problem = BROKEN_ESCALATION[broken]
    path = write(tmp_path, UNITS_ONLY + section)
    problems, refused, check_code, escalate_code = check_and_escalate(cli, path)
    assert (check_code, escalate_code) == (1, 1)
    assert problems == refused == [problem]


def test_units_alone_are_accepted_by_both(cli, tmp_path):
    path = write(tmp_path, UNITS)  # literally units only: the built-in limit profiles apply
    problems, refused, check_code, escalate_code = check_and_escalate(cli, path)
    assert (check_code, escalate_code) == (0, 0)
    assert problems == refused == []


def hand_dispatched(cli, unit: str, at: str = "2026-09-30T09:00:00+08:00") -> str:
    number = cli.json("--now", at, "intake", "--content", "路灯不亮", "--no-dispatch")["number"]
    cli("--now", at, "dispatch", number, "--unit", unit)
    return number


def run(cli, now: str, *extra: str) -> list[tuple]:
    result = cli("--now", now, "escalate", "--format", "jsonl", *extra)
    return [tuple(r.values())[:6] for r in map(json.loads, result.stdout.splitlines())]


def test_without_coordinators_the_ladder_climbs_parents_and_stops_at_the_top(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("JIESU_RULES", str(write(tmp_path, UNITS_ONLY)))
    community = hand_dispatched(cli, "qingnianhu")
    street = hand_dispatched(cli, "hepingli")
    # finish due Oct 7 (7d); one working day later (Oct 8) the community's street takes it up, and no more
    actions = run(cli, "2026-10-20T10:00:00+08:00")
    finish = "2026-10-07T23:59:59+08:00"
    assert [a for a in actions if a[2] == "finish"] == [
        (community, "overdue", "finish", finish, "qingnianhu", 0),
        (community, "escalate", "finish", finish, "hepingli", 1),
        (street, "overdue", "finish", finish, "hepingli", 0),
    ]
    assert run(cli, "2026-11-20T10:00:00+08:00") == []  # the top: nothing above the street
    note = (
        "highest level there is: hepingli (no district_coordinator or city_coordinator configured in [escalation], "
        "so there is nobody above to escalate to)"
    )
    for number, action in ((community, "escalate"), (street, "overdue")):
        events = cli.json("show", number)["events"]
        assert [e["note"] for e in events if e["action"] == action and e["data"]["deadline"] == "finish"] == [note]
    shown = cli.json("show", community)
    assert (shown["escalation_level"], shown["coordinator"]) == (1, "hepingli")


def test_the_table_says_when_the_top_is_reached(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("JIESU_RULES", str(write(tmp_path, UNITS_ONLY)))
    hand_dispatched(cli, "qingnianhu")
    out = cli("--lang", "zh", "--now", "2026-10-20T10:00:00+08:00", "escalate", "--dry-run").stdout
    assert "说明" in out and "已到最高层级" in out
    english = cli("--lang", "en", "--now", "2026-10-20T10:00:00+08:00", "escalate", "--dry-run").stdout
    assert "highest level there is" in english


def test_only_the_coordinators_that_are_configured_are_climbed(cli, tmp_path, monkeypatch):
    city = UNITS_ONLY + '\n[escalation]\ncity_coordinator = "jtj"\ndistrict_coordinator = ""\n'
    monkeypatch.setenv("JIESU_RULES", str(write(tmp_path, city)))
    number = hand_dispatched(cli, "qingnianhu")
    escalations = [a for a in run(cli, "2026-10-20T10:00:00+08:00") if a[1] == "escalate"]
    assert [(a[4], a[5]) for a in escalations] == [("hepingli", 1), ("jtj", 2)]
    events = cli.json("show", number)["events"]
    assert [e["note"] for e in events if e["action"] == "escalate"] == [None, None]  # the city is the real top


def test_a_renamed_district_unit_is_skipped_not_refused(cli, tmp_path, monkeypatch):
    renamed = (
        SAMPLE.read_text(encoding="utf-8")
        .replace('code = "district-office"', 'code = "qu-zhuanban"')
        .replace('lead = "district-office"', 'lead = "qu-zhuanban"')
        .replace('co = ["district-office"]', 'co = ["qu-zhuanban"]')
    )
    monkeypatch.setenv("JIESU_RULES", str(write(tmp_path, renamed)))
    number = hand_dispatched(cli, "hepingli")
    escalations = [a for a in run(cli, "2026-10-20T10:00:00+08:00") if a[1] == "escalate"]
    assert escalations == [(number, "escalate", "finish", "2026-10-07T23:59:59+08:00", "city-centre", 1)]


# --- the calendar warning -----------------------------------------------------------------------

WORKING_DAYS = '[limits]\ndefault = { accept = "1wd", contact = "24h", finish = "5wd" }\n' + UNITS
WARNING = (
    "Warning: the holidays package has no make-up working days (调休) for 2027 yet, so working-day deadlines "
    "there may be off; once the State Council publishes them, add them to [calendar] extra_workdays in {path}"
)


def test_rules_check_warns_when_a_deadline_reaches_an_unpublished_year(cli, tmp_path):
    path = write(tmp_path, WORKING_DAYS)
    late = cli("--now", "2026-12-28T10:00:00+08:00", "rules", "check", str(path))
    assert "ok —" in late.stdout
    assert late.stderr.splitlines() == [WARNING.format(path=path)]
    early = cli("--now", "2026-10-12T10:00:00+08:00", "rules", "check", str(path))
    assert early.stderr == ""


def test_extra_workdays_in_that_year_silence_the_warning(cli, tmp_path):
    path = write(tmp_path, WORKING_DAYS + '\n[calendar]\nextra_workdays = ["2027-02-20"]\n')
    result = cli("--now", "2026-12-28T10:00:00+08:00", "rules", "check", str(path))
    assert result.stderr == ""


def test_escalate_warns_once_and_keeps_its_exit_code(cli, tmp_path, monkeypatch):
    path = write(tmp_path, WORKING_DAYS)
    monkeypatch.setenv("JIESU_RULES", str(path))
    for _ in range(3):
        hand_dispatched(cli, "qingnianhu", at="2026-12-24T09:00:00+08:00")  # finish due Dec 31 (5wd)
    quiet = cli("--now", "2026-12-25T10:00:00+08:00", "escalate", "--format", "jsonl")
    assert quiet.stderr == ""
    # escalating one working day after Dec 31 counts working days in 2027, for every ticket: one line
    dry = cli("--now", "2027-01-08T10:00:00+08:00", "escalate", "--dry-run")
    assert dry.stderr.splitlines() == [WARNING.format(path=path)]
    result = cli("--now", "2027-01-08T10:00:00+08:00", "escalate", "--fail-on-overdue", ok=False)
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [WARNING.format(path=path)]
    assert result.stdout.count("hepingli") == 3  # all three climbed to the street
