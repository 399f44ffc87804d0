"""Any rules file: `rules check` passes it or names what is wrong with key and line; a file it passes
works for every command after (intake, escalate, the overdue list, the report)."""

import re

import pytest
from hypothesis import given

from tests.fuzz.harness import check_refusal, fuzz_settings
from tests.fuzz.strategies import rules_files

pytestmark = pytest.mark.slow  # minutes: hundreds of inputs, each a command on a fresh case file

# Each problem says where: the line (and the section or entry and key), or the TOML syntax error's place.
LOCATED = re.compile(r": (line \d+: \S|TOML syntax: .*line \d+|\[\w+\])")


@fuzz_settings(examples=300)
@given(text=rules_files())
def test_a_rules_file_is_refused_with_its_key_and_line_or_works_everywhere(template, tmp_path, text):
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    checked = template.run(["rules", "check", str(path)], rules=None)
    if checked.exit_code != 0:
        check_refusal(["rules", "check"], checked, lines=None)
        *problems, count = checked.stderr.splitlines()
        assert count == f"{len(problems)} problem(s)"
        assert all(LOCATED.search(problem) for problem in problems), checked.stderr
        refused = template.run(["list"], rules=path)
        check_refusal(["list"], refused, lines=None)
        return
    for args in (
        ["--now", "2026-11-27T10:00:00+08:00", "intake", "--content", "和平里小区停水了", "--phone", "13800138000"],
        ["--now", "2026-12-20T10:00:00+08:00", "escalate"],
        ["--now", "2026-12-20T10:00:00+08:00", "list", "--overdue"],
    ):
        outcome = template.run(args, rules=path)
        if outcome.exit_code != 0:
            check_refusal(args, outcome)
