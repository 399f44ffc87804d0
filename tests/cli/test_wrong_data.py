"""Issue 11, "Wrong data": closed tickets in the overdue and unit lists, hand dispatch that ignored
urgency, and a response rate that ignored the requester's own answer at callback."""

import sqlite3
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "dongcheng.toml"
NOW = "2026-11-26T10:00:00+08:00"  # a Thursday
WATER = ("和平里东街11号院从昨晚停水到现在，家里有老人", "和平里东街11号院")  # water-co, co-handler hepingli


@pytest.fixture(autouse=True)
def sample_rules(monkeypatch):
    monkeypatch.setenv("JIESU_RULES", str(SAMPLE))


@pytest.fixture
def cli(cli, sample_rules):
    """The CLI on a case file `jiesu init` created."""
    cli("init")
    return cli


def at(moment):
    return ["--now", f"2026-{moment}:00+08:00"]


def take_in(cli, when, content, address, *extra):
    return cli.json(*at(when), "intake", "--content", content, "--address", address, *extra)["number"]


def handle(cli, number, unit, *, accept, contact, finish):
    cli(*at(accept), "accept", number, "--unit", unit)
    cli(*at(contact), "contact", number, "--unit", unit)
    cli(*at(finish), "finish", number, "--unit", unit, "--result", "resolved", "--text", "已处理")


def call_back(cli, number, when, *, contacted="yes", resolved="yes", satisfaction="satisfied", reopen=False):
    answers = ["--contacted", contacted, "--resolved", resolved, "--satisfaction", satisfaction]
    return cli.json(*at(when), "callback", number, "--reached", *answers, *(["--reopen"] if reopen else []))


def states(cli, number):
    return [(a["unit"], a["role"], a["state"]) for a in cli.json("show", number)["assignments"]]


def numbers(cli, when, *args):
    return [t["number"] for t in cli.json(*at(when), "list", *args)]


def closed_water_ticket(cli):
    """A water outage: water-co leads, the street hepingli co-handles and never acts; the first
    callback reopens it, the second closes it."""
    number = take_in(cli, "11-26T10:00", *WATER)
    assert states(cli, number) == [("water-co", "lead", "active"), ("hepingli", "co", "active")]
    handle(cli, number, "water-co", accept="11-26T10:30", contact="11-26T11:00", finish="11-26T15:00")
    reopened = call_back(cli, number, "11-26T16:00", resolved="no", satisfaction="unsatisfied", reopen=True)
    assert reopened["status"] == "reopened"
    # 重办 is no end: every part goes on, and the lead can finish again
    assert states(cli, number) == [("water-co", "lead", "active"), ("hepingli", "co", "active")]
    cli(*at("11-27T10:00"), "finish", number, "--unit", "water-co", "--result", "resolved", "--text", "已恢复供水")
    assert call_back(cli, number, "11-27T11:00")["status"] == "closed"
    return number


def test_closing_ends_every_assignment_and_the_lists_show_only_open_tickets(cli):
    closed = closed_water_ticket(cli)
    shown = cli.json("show", closed)
    assert [(a["unit"], a["state"], a["ended_at"]) for a in shown["assignments"]] == [
        ("water-co", "closed", "2026-11-27T11:00:00+08:00"),
        ("hepingli", "closed", "2026-11-27T11:00:00+08:00"),
    ]
    still_open = take_in(cli, "11-27T12:00", "和平里东街12号院也停水了", "和平里东街12号院")
    assert states(cli, still_open) == [("water-co", "lead", "active"), ("hepingli", "co", "active")]
    # two weeks on, hepingli never accepted either ticket: only the open one is overdue or its
    assert numbers(cli, "12-10T10:00", "--overdue") == [still_open]
    assert numbers(cli, "12-10T10:00", "--unit", "hepingli") == [still_open]
    assert numbers(cli, "12-10T10:00", "--unit", "water-co") == [still_open]
    assert numbers(cli, "12-10T10:00", "--unit", "hepingli", "--overdue") == [still_open]
    # the closed lead assignment still counts in water-co's assessment
    report = cli.json(*at("12-01T09:00"), "report", "--month", "2026-11", "--by", "unit")
    water = next(r for r in report if r["unit"] == "water-co")
    assert (water["assessed"], water["contacted_in_time"], water["response_rate"]) == (1, 1, 1.0)


@pytest.mark.sqlite_only
def test_older_case_files_closed_tickets_lose_their_active_assignments(cli, case_file):
    closed = closed_water_ticket(cli)
    db = sqlite3.connect(case_file)
    # what versions before 5 left behind: the closed ticket's parts still active
    db.execute("UPDATE assignments SET state = 'active', ended_at = NULL")
    db.commit()
    assert numbers(cli, "12-10T10:00", "--overdue") == []  # reads look at the ticket's status too
    assert numbers(cli, "12-10T10:00", "--unit", "hepingli") == []
    db.execute("UPDATE jiesu_meta SET value = '4' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    shown = cli.json("show", closed)  # opening the file upgrades it
    assert [(a["unit"], a["state"], a["ended_at"]) for a in shown["assignments"]] == [
        ("water-co", "closed", "2026-11-27T11:00:00+08:00"),
        ("hepingli", "closed", "2026-11-27T11:00:00+08:00"),
    ]


def test_hand_dispatch_of_an_urgent_ticket_uses_the_urgent_limits(cli):
    waiting = cli.json("--now", NOW, "intake", "--content", "说不清归谁管的事情", "--urgent", "--no-dispatch")
    number = waiting["number"]
    assert (waiting["status"], waiting["urgent"]) == ("pending", True)
    done = cli.json("--now", NOW, "dispatch", number, "--unit", "hepingli")
    assert (done[0]["limits"], done[0]["finish_due"]) == ("urgent", "2026-11-27T10:00:00+08:00")  # 24h, not 7d
    assert cli.json("show", number)["assignments"][0]["accept_due"] == "2026-11-26T10:30:00+08:00"  # 30m
    # returned, then dispatched by hand again: still urgent
    cli(*at("11-26T10:10"), "return", number, "--unit", "hepingli", "--reason", "不属于本街道")
    again = cli.json(*at("11-26T10:20"), "dispatch", number, "--unit", "jiaodaokou")
    assert (again[0]["limits"], again[0]["finish_due"]) == ("urgent", "2026-11-27T10:20:00+08:00")
    # a person's explicit choice still wins
    other = cli.json("--now", NOW, "intake", "--content", "另一件急事", "--urgent", "--no-dispatch")["number"]
    chosen = cli.json("--now", NOW, "dispatch", other, "--unit", "hepingli", "--limits", "complex")
    assert chosen[0]["limits"] == "complex"
