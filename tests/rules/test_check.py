"""`jiesu rules check`: every problem with its location, the exact words; commands refuse broken files."""

import textwrap
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "dongcheng.toml"

GOOD_HEAD = """\
[office]
name = "测试中心"
timezone = "Asia/Shanghai"

[limits]
default = { accept = "1wd", contact = "24h", finish = "7d" }
utility = { accept = "2h", contact = "4h", finish = "24h" }

[[units]]
code = "qingyuan"
name = "清源街道"
class = "street"

[[units]]
code = "water-co"
name = "自来水公司"
class = "enterprise"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_sample_rules_pass(cli):
    result = cli("rules", "check", str(SAMPLE))
    assert "ok — 100 units, 37 areas" in result.stdout


def test_toml_syntax_error_has_line_and_column(cli, tmp_path):
    path = write(tmp_path, '[office]\nname = "x"\n[[rules]\nname = "a"\n')
    result = cli("rules", "check", str(path), ok=False)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}: TOML syntax: Expected ']]' at the end of an array declaration (at line 3, column 8)"
    )


def test_every_problem_is_reported_with_its_location(cli, tmp_path):
    path = write(
        tmp_path,
        GOOD_HEAD
        + """
[[units]]
code = "qingyuan"
name = "重复的清源街道"
class = "street"

[[units]]
code = "pump"
name = "泵站"
class = "factory"

[[areas]]
street = "qingyun"
names = ["清源路"]

[[rules]]
name = "供水"
priority = 100
keywords_any = ["停水", "水压"]
lead = "water-co"
limits = "utility"

[[rules]]
name = "停水-小区"
priority = 90
keywords_any = ["小区停水"]
lead = "water-co"

[[rules]]
name = "燃气"
keywords_any = ["燃气"]
lead = "gas-co"
limits = "utilty"
keyword_all = ["泄漏"]

[[rules]]
name = "诉讼"
keywords_any = ["起诉"]
refer = "请向法院起诉"
lead = "qingyuan"

[dispatch]
fallback = "@street"
""",
    )
    result = cli("rules", "check", str(path), ok=False)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}: line 19: units[3] \"重复的清源街道\": duplicate unit code 'qingyuan' (first at units[1])",
        f"{path}: line 24: units[4] \"泵站\": class: unknown class 'factory'; use one of street | community | "
        "district_dept | city_dept | enterprise",
        f"{path}: line 29: areas[1]: street: unknown street 'qingyun'; it must be the code of a [[units]] entry "
        'with class = "street"',
        f"{path}: line 46: rules[3] \"燃气\": unknown key 'keyword_all'; did you mean keywords_all?",
        f"{path}: line 46: rules[3] \"燃气\": lead: unknown unit code 'gas-co'; add it to [[units]] or fix the code",
        f"{path}: line 46: rules[3] \"燃气\": limits: unknown limit profile 'utilty'; known: default, utility",
        f'{path}: line 53: rules[4] "诉讼": lead: a refer rule closes the ticket as referred; it has no lead',
        f'{path}: line 40: rules[2] "停水-小区": can never win: rules[1] "供水" (priority 100) matches every '
        "request this rule matches and wins over it; raise this rule's priority or narrow the other",
        "8 problem(s)",
    ]


def test_more_problems(cli, tmp_path):
    path = write(
        tmp_path,
        """\
[office]
timezone = "Asia/Beijing"

[calendar]
country = "XX"
extra_holidays = ["2021-13-01"]

[limits]
urgent = { accept = "30 minutes", contact = "2h" }

[[units]]
code = "Qing Yuan"
name = "清源街道"
class = "street"
parent = "nowhere"

[[rules]]
priority = "high"
keywords_any = ["x"]
lead = "@street"

[dispatch]
fallback = "somewhere"

[reports]
x = 1
""",
    )
    result = cli("rules", "check", str(path), ok=False)
    assert result.stderr.splitlines() == [
        f"{path}: reports: unknown section 'reports'",
        f"{path}: line 1: [office] timezone: unknown time zone 'Asia/Beijing'; use an IANA name such as Asia/Shanghai",
        f"{path}: line 4: [calendar] country: unknown country 'XX'; use an ISO code such as CN",
        f"{path}: line 4: [calendar] extra_holidays: cannot read '2021-13-01' as a date; use YYYY-MM-DD",
        f"{path}: line 8: [limits] urgent: accept: cannot read '30 minutes' as a time limit; use e.g. 30m, 2h, 3d "
        "or 5wd",
        f"{path}: line 8: [limits] urgent: finish: missing; give a time limit such as 24h or 5wd",
        f'{path}: [limits]: no "default" profile; add default = {{ accept = "1wd", contact = "24h", finish = "7d" }}',
        f"{path}: line 11: units[1] \"清源街道\": code: 'Qing Yuan' may hold only lowercase letters, digits and '-'",
        f"{path}: line 11: units[1] \"清源街道\": parent: unknown unit code 'nowhere'",
        f"{path}: line 17: rules[1]: name: missing; every rule needs a unique name",
        f"{path}: line 17: rules[1]: priority: must be an integer",
        f"{path}: line 17: rules[1]: limits: unknown limit profile 'default'; known: none",
        f"{path}: line 22: [dispatch]: fallback: unknown unit code 'somewhere'; add it to [[units]] or fix the code",
        "13 problem(s)",
    ]


@pytest.mark.parametrize("command", [["list"], ["intake", "--content", "x"], ["units"], ["dispatch", "--pending"]])
def test_commands_refuse_a_broken_rules_file_with_the_same_message(cli, tmp_path, command, english):
    path = write(tmp_path, GOOD_HEAD + '\n[[rules]]\nname = "a"\nkeywords_any = ["x"]\nlead = "nobody"\n')
    result = cli("--rules", str(path), *command, ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: rules file {path}: line 19: rules[1] \"a\": lead: unknown unit code 'nobody'; "
        "add it to [[units]] or fix the code"
    )


def test_toml_syntax_error_at_the_end_of_the_file_still_has_line_and_column(cli, tmp_path):
    path = write(tmp_path, '[office]\nname = "unterminated')
    result = cli("rules", "check", str(path), ok=False)
    assert result.stderr.splitlines()[0] == (
        f"{path}: TOML syntax: Unterminated string (at end of document, line 2, column 21)"
    )


def test_other_commands_list_every_problem_rules_check_lists(cli, tmp_path, english):
    path = write(
        tmp_path,
        GOOD_HEAD + '\n[[rules]]\nname = "a"\nkeywords_any = ["x"]\nlead = "nobody"\nlimits = "fast"\n',
    )
    checked = cli("rules", "check", str(path), ok=False).stderr.splitlines()[:-1]  # without the count
    refused = cli("--rules", str(path), "list", ok=False)
    assert refused.exit_code == 1
    assert len(checked) == 2
    assert refused.stderr.splitlines() == [
        line.replace(f"{path}: ", f"Error: rules file {path}: ", 1) for line in checked
    ]
