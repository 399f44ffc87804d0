"""Errors name what the user can type, and the times people type are read (issue 11).

Every refusal here: exit code, one line on stderr, no option the command does not have, the case file
unchanged.
"""

import re
from pathlib import Path

import pytest
import typer

from jiesu.cli import app

pytestmark = pytest.mark.usefixtures("english")  # these read the English wording of messages

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "dongcheng.toml"
NOW = "2026-11-02T10:00:00+08:00"


@pytest.fixture(autouse=True)
def sample_rules(monkeypatch):
    monkeypatch.setenv("JIESU_RULES", str(SAMPLE))


@pytest.fixture
def ticket(cli):
    """A water outage accepted by the water company, due 2026-11-03 09:00 (24 hours)."""
    number = cli.json(
        "--now", "2026-11-02T09:00:00+08:00", "intake", "--content", "和平里东街11号院停水了，一直没来水"
    )["number"]
    cli("--now", "2026-11-02T09:10:00+08:00", "accept", number, "--unit", "water-co")
    return number


def options_of(args, line):
    """The options of the invoked command, the root and any command the error line suggests."""
    root = typer.main.get_command(app)
    command = root
    for word in args:
        commands = getattr(command, "commands", None)
        if commands and word in commands:
            command = commands[word]
    suggested = [c for name, c in root.commands.items() if re.search(rf"(?<![\w-]){name} --", line)]
    return {opt for c in (root, command, *suggested) for p in c.params for opt in getattr(p, "opts", [])}


def refused(cli, ticket_number, *args, code=2):
    """Run a command that must be refused; its one error line, checked against the command's options."""
    before = cli.json("show", ticket_number)
    result = cli("--now", NOW, *args, ok=False)
    assert result.exit_code == code, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", lines[0]))
    assert named <= options_of(args, lines[0]), f"{lines[0]!r} names options no command it suggests has"
    assert cli.json("show", ticket_number) == before
    return lines[0]


# --- Messages ---


def test_search_with_blank_text_names_the_argument(cli, ticket):
    line = refused(cli, ticket, "search", " ")
    assert line == "Error: search TEXT: is empty; give a word or phrase to look for, e.g. jiesu search 漏水"


def test_dispatch_without_tickets_names_the_arguments(cli, ticket):
    line = refused(cli, ticket, "dispatch")
    assert line == (
        "Error: ticket numbers: name the tickets to dispatch (jiesu dispatch NUMBER…), "
        "or give --pending for every waiting ticket"
    )


def test_refusals_suggest_commands_that_exist(cli, ticket):
    line = refused(
        cli, ticket, "callback", ticket, "--reached", "--contacted", "yes", "--resolved", "yes",
        "--satisfaction", "满意", code=1,
    )  # fmt: skip
    assert line == (
        f"Error: ticket {ticket} is accepted: callback needs a ticket that is finished; now it allows accept, "
        "return, contact, extend, extend --approve/--deny, whistle, finish, merge, supervise"
    )
    assert "decide-" not in line


def test_a_decision_without_a_request_in_its_state_is_named_as_typed(cli, ticket):
    line = refused(cli, ticket, "appeal", ticket, "--approve", "--reason", "不合理诉求", code=1)
    assert line.startswith(f"Error: ticket {ticket} is accepted: appeal --approve/--deny needs a ticket that is closed")


@pytest.mark.parametrize("answer", ["maybe", "不知道", " "])
def test_callback_answers_are_yes_or_no(cli, ticket, answer):
    line = refused(cli, ticket, "callback", ticket, "--reached", "--contacted", answer)
    assert line.startswith("Error: --contacted: ")
    assert "answer yes or no" in line
    assert "true or false" not in line


def test_callback_answers_still_read_the_other_spellings(cli, ticket):
    cli(
        "--now",
        "2026-11-02T11:00:00+08:00",
        "finish",
        ticket,
        "--unit",
        "water-co",
        "--result",
        "resolved",
        "--text",
        "已修复",
    )
    done = cli.json(
        "--now", "2026-11-02T12:00:00+08:00", "callback", ticket, "--reached",
        "--contacted", "是", "--resolved", "true", "--satisfaction", "满意",
    )  # fmt: skip
    assert done["status"] == "closed"


# --- extend --until ---


def test_extend_until_garbage_names_until(cli, ticket):
    line = refused(cli, ticket, "extend", ticket, "--unit", "water-co", "--until", "garbage", "--reason", "管道")
    assert line.startswith("Error: --until: cannot read 'garbage' as a date/time")


def test_extend_until_an_ambiguous_slash_date_is_refused(cli, ticket):
    line = refused(cli, ticket, "extend", ticket, "--unit", "water-co", "--until", "11/12/2026", "--reason", "管道")
    assert line == (
        "Error: --until: '11/12/2026' could be day/month or month/day; write the year first: 2026-12-11 or 2026-11-12"
    )


@pytest.mark.parametrize(
    ("until", "finish_due"),
    [
        ("2026-11-10", "2026-11-10T23:59:59+08:00"),  # a date alone: the end of that day, as limits end
        ("2026年11月10日", "2026-11-10T23:59:59+08:00"),
        ("2026/11/10", "2026-11-10T23:59:59+08:00"),
        ("2026-11-10 00:00", "2026-11-10T00:00:00+08:00"),  # a time is that time
        ("2026年11月10日 14:30", "2026-11-10T14:30:00+08:00"),
    ],
)
def test_extend_until_a_date_means_the_end_of_that_day(cli, ticket, until, finish_due):
    cli("--now", NOW, "extend", ticket, "--unit", "water-co", "--until", until, "--reason", "需更换管道")
    request = cli.json("show", ticket)["events"][-1]
    assert (request["action"], request["data"]["until"]) == ("extend-request", finish_due)
    cli("--now", "2026-11-02T10:30:00+08:00", "extend", ticket, "--approve", "--reason", "同意")
    assert cli.json("show", ticket)["assignments"][-1]["finish_due"] == finish_due


# --- Times people type elsewhere ---


def test_chinese_dates_on_the_clock_and_at(cli):
    number = cli.json("--now", "２０２６年１１月２日　９：００", "intake", "--content", "和平里东街停水了")["number"]
    assert cli.json("show", number)["created_at"] == "2026-11-02T09:00:00+08:00"
    cli("--now", "2026年11月2日 10:00", "accept", number, "--unit", "water-co", "--at", "2026年11月2日 9时30分")
    assert cli.json("show", number)["events"][-1]["at"] == "2026-11-02T09:30:00+08:00"


def test_an_ambiguous_clock_is_refused(cli, ticket):
    line = refused(cli, ticket, "--now", "11/12/2026", "list")
    assert line.startswith("Error: --now: '11/12/2026' could be day/month or month/day")


@pytest.mark.parametrize("month", ["2026年11月", "２０２６年１１月", "2026-11"])
def test_report_months_in_chinese(cli, ticket, month):
    assert cli.json("report", "--month", month)["period"]["name"] == "2026-11"


def test_report_ranges_in_chinese(cli, ticket):
    period = cli.json("report", "--from", "2026年11月1日", "--to", "2026年11月15日")["period"]
    assert period["name"] == "2026-11-01..2026-11-15"


def test_a_month_that_is_not_one_is_refused(cli, ticket):
    line = refused(cli, ticket, "report", "--month", "2026年13月")
    assert line == "Error: --month: cannot read '2026年13月' as a month; use YYYY-MM such as 2026-11 (or 2026年11月)"
