"""What every fuzz test shares: a small case file built once and copied byte for byte per input,
jiesu run in-process, and the checks every input must pass.

The checks (issue 16): no traceback; exit 0, or 1/2 with one line on stderr that says what was
wrong; and on a refusal the case file exactly as it was, byte for byte.

Profiles: CI runs the counts the tests name; JIESU_FUZZ=slow runs ten times as many (20,000 in all).
"""

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from jiesu.cli import app
from tests.fuzz.strategies import GOOD_RULES, to_toml

# Built once: Typer's runner builds the click command anew on every invoke of the app (0.3 s here).
COMMAND = typer.main.get_command(app)


class Runner(CliRunner):
    """typer's CliRunner on the click command built once."""

    def invoke(self, app: Any, *args: Any, **kwargs: Any) -> Any:
        import typer.testing

        build = typer.testing._get_command
        typer.testing._get_command = lambda _app: COMMAND
        try:
            return super().invoke(app, *args, **kwargs)
        finally:
            typer.testing._get_command = build


NOW = "2026-11-26T10:00:00+08:00"  # a Thursday
_PROFILE = os.environ.get("JIESU_FUZZ", "ci")
# "ci", "slow" (ten times as many), or a factor such as 0.1 for a quick look while working.
SCALE = {"ci": 1.0, "slow": 10.0}.get(_PROFILE) or float(_PROFILE)


def fuzz_settings(examples: int) -> Any:
    """Hypothesis settings for `examples` inputs in CI (ten times as many under JIESU_FUZZ=slow).

    CI tries the same inputs every run (derandomised), so a commit's CI result is its own and not the
    luck of the draw; the other profiles draw afresh each run, to find what CI's draw does not."""
    return settings(
        max_examples=max(1, round(examples * SCALE)),
        derandomize=_PROFILE == "ci",
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )


# A refusal is one line, `Error: …` (错误：… in Chinese, the default), whose first words name what was
# wrong: an option or argument, a rules key, a row, a ticket, the case file. `rules check` lists
# "FILE: line N: [section] key: problem" and a count.
ONE_LINE = re.compile(r"(Error: |错误：)\S")
RULES_CHECK_LINE = re.compile(r"\S.*[:：] ?\S|\d+ problem\(s\)$|共 \d+ 个问题|\d+ 个问题")
# A usage error (exit 2) names the option or argument: `--until: …`, `search TEXT: …`, Typer's own
# `Invalid value for '--limit'`, `No such option: --x`, `Missing argument 'number'`, extra arguments.
NAMES_FIELD = re.compile(r"--[\w-]+|No such option|没有这个选项|'-?-?[\w-]+'|\b[A-Z]{3,}\b|extra argument|多余的参数")


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    changed: bool


class CaseFileTemplate:
    """A case file with a few tickets in known states, copied fresh for every input."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.template = folder / "template.db"
        self.work = folder / "work.db"
        # A small rules file: the sample district's takes a second to load, and every input loads it.
        self.rules = folder / "rules.toml"
        self.rules.write_text(to_toml(GOOD_RULES), encoding="utf-8")
        self.runner = Runner()
        self.numbers: list[str] = []
        self._build()
        self.bytes = self.template.read_bytes()

    def _build(self) -> None:
        def run(*args: str) -> str:
            result = self.runner.invoke(
                app, ["--db", str(self.template), "--rules", str(self.rules), "--now", NOW, *args]
            )
            assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
            return result.stdout

        import json

        water = "和平里东街11号院从昨晚停水到现在，家里有老人"
        for args in (
            [
                "--content",
                water,
                "--address",
                "和平里东街11号院",
                "--phone",
                "13800138000",
                "--category",
                "城乡建设/供水",
            ],
            ["--content", "楼道灯坏了", "--phone", "13800138000", "--confidential", "--name", "张三"],
            ["--content", "咨询社保", "--answer", "已答复", "--external-id", "ext-1"],
            ["--content", "噪音扰民", "--urgent", "--no-dispatch"],
        ):
            self.numbers.append(json.loads(run("intake", *args, "--format", "json"))["number"])
        run("accept", self.numbers[0], "--unit", "water-co")
        checkpoint(self.template)

    def fresh(self) -> Path:
        """The working copy, exactly the template's bytes."""
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{self.work}{suffix}").unlink(missing_ok=True)
        self.work.write_bytes(self.bytes)
        return self.work

    def run(self, args: list[str], *, rules: Path | bool | None = True, input: str | None = None) -> Outcome:
        """jiesu on a fresh copy (with the template's rules, or `rules`); whether the case file changed."""
        db = self.fresh()
        if rules is True:
            rules = self.rules
        root = ["--db", str(db)] + (["--rules", str(rules)] if isinstance(rules, Path) else [])
        result = self.runner.invoke(app, [*root, *args], input=input)
        check_no_traceback(args, result)
        checkpoint(db)
        return Outcome(result.exit_code, result.stdout, result.stderr, db.read_bytes() != self.bytes)


def checkpoint(db: Path) -> None:
    """Fold the WAL into the file, so its bytes say everything committed."""
    connection = sqlite3.connect(db)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def check_no_traceback(args: list[str], result: Any) -> None:
    """jiesu ended through its own exit, not an exception."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"jiesu {args!r} raised {result.exception!r}") from result.exception
    assert "Traceback" not in result.stderr, (args, result.stderr)


def check_refusal(args: list[str], outcome: Outcome, *, lines: int | None = 1) -> None:
    """A refusal: exit 1 or 2, one `Error: …` line (or `lines` of them: a broken rules file's
    problems, one a line), the case file as it was."""
    assert outcome.exit_code in (1, 2), (args, outcome.exit_code, outcome.stderr)
    said = outcome.stderr.splitlines()
    if lines is not None:
        assert len(said) == lines, (args, outcome.stderr)
    rules_check = any(args[i : i + 2] == ["rules", "check"] for i in range(len(args)))
    form = RULES_CHECK_LINE if rules_check else ONE_LINE
    assert said and all(form.match(line) for line in said), (args, outcome.stderr)
    if outcome.exit_code == 2 and not rules_check:
        assert NAMES_FIELD.search(said[0]), (args, outcome.stderr)
    assert not outcome.changed, (args, "a refused command changed the case file")


def clean(path: Path) -> None:
    """Remove a file or folder an input may have left behind."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
