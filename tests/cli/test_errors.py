"""Refused input: one line on stderr naming the field and the fix, exit code, nothing written."""

import pytest

pytestmark = pytest.mark.usefixtures("english")  # these read the English wording of messages


def snapshot(sql):
    return [sql(f"SELECT * FROM {t}") for t in ("tickets", "events", "attachments", "counters")]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["intake", "--content", " "], 2, "Error: --content: is empty; describe the request in a few words"),
        (
            ["intake", "--content", "x", "--kind", "吐槽"],
            2,
            "Error: --kind: unknown value '吐槽'; use one of consult,",
        ),
        (["intake", "--content", "x", "--channel", "fax"], 2, "Error: --channel: unknown value 'fax'"),
        (
            ["intake", "--content", "x", "--requester-type", "alien"],
            2,
            "Error: --requester-type: unknown value",
        ),
        (
            ["intake", "--content", "x", "--phone", "call me"],
            2,
            "Error: --phone: 'call me' is not a phone number",
        ),
        (
            ["intake", "--content", "x", "--answer", "a", "--refer", "b"],
            2,
            "Error: --answer: a request is either",
        ),
        (["intake", "--content", "x", "--attach", "/nonexistent/a.jpg"], 2, "Error: --attach: cannot read"),
        (
            ["--now", "tomorrow-ish", "intake", "--content", "x"],
            2,
            "Error: --now: cannot read 'tomorrow-ish'",
        ),
        (["--lang", "fr", "list"], 2, "Error: --lang: unknown language 'fr'; use zh or en"),
        (["show", "2099010100001"], 1, "Error: no ticket '2099010100001' in the case file"),
        (["show", "2021021000001", "--reveal"], 2, "Error: --reason: --reveal needs a reason"),
        (
            ["show", "2021021000001", "--reveal", "--reason", "  "],
            2,
            "Error: --reason: a reveal needs a reason",
        ),
        (["list", "--status", "lost"], 2, "Error: --status: unknown value 'lost'"),
        (["list", "--since", "last week"], 2, "Error: --since: cannot read 'last week'"),
        (["list", "--limit", "0"], 2, "Error: --limit: 0 is out of range; give 1 to 100000"),
        (["search", " "], 2, "Error: search TEXT: is empty; give a word or phrase to look for"),
        (["intake"], 2, "Error: --content: is required; give --content TEXT"),
    ],
)
def test_refused_input(cli, sql, args, code, message):
    cli("--now", "2021-02-10T10:00:00+08:00", "intake", "--content", "已有的工单")
    before = snapshot(sql)
    result = cli(*args, ok=False)
    assert result.exit_code == code
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(message)
    assert "Traceback" not in result.stderr + result.stdout
    assert snapshot(sql) == before


def test_broken_rules_file_is_refused(cli, tmp_path):
    rules = tmp_path / "bad.toml"
    rules.write_text("[office\nname = 'x'\n", encoding="utf-8")
    result = cli("--rules", str(rules), "intake", "--content", "x", ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: rules file {rules}: TOML syntax:")
    assert "line 1" in result.stderr
    zone = tmp_path / "zone.toml"
    zone.write_text('[office]\ntimezone = "Mars/Olympus"\n', encoding="utf-8")
    result = cli("--rules", str(zone), "list", ok=False)
    assert "[office] timezone: unknown time zone 'Mars/Olympus'" in result.stderr


def test_missing_option_value_is_a_usage_error(cli):
    result = cli("intake", "--content", ok=False)
    assert result.exit_code == 2


def test_version_and_help(cli):
    from jiesu import __version__

    assert cli("--version").stdout.strip() == f"jiesu {__version__}"
    assert "intake" in cli("-h").stdout
