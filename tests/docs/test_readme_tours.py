"""The README's tours run as written, on any day: every `jiesu` line of their shell blocks succeeds."""

import re
import shlex
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
ROOT = README.parent


def shell_block_after(heading: str) -> str:
    """The first ```sh block after the paragraph or heading that starts with `heading`."""
    text = README.read_text(encoding="utf-8")
    start = text.index(heading)
    match = re.search(r"```sh\n(.*?)```", text[start:], re.S)
    assert match, f"no sh block after {heading!r}"
    return match.group(1)


def commands(block: str) -> list[tuple[dict[str, str], list[str]]]:
    """(environment, jiesu arguments) for each line, with continuations joined and comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", block)
    env: dict[str, str] = {}
    steps = []
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if words[0] == "export":
            env.update(word.split("=", 1) for word in words[1:])  # type: ignore[misc]
        else:
            assert words[0] == "jiesu", line
            steps.append((dict(env), words[1:]))
    return steps


@pytest.mark.sqlite_only  # the tours name their own case file
@pytest.mark.parametrize("heading", ["**A district clerk (five minutes).**", "## Starting your own office"])
def test_tour_runs_as_written(cli, heading, monkeypatch, tmp_path):
    (tmp_path / "sample_data").symlink_to(ROOT / "sample_data")
    monkeypatch.delenv("JIESU_DB")  # the tour names its own case file, or uses ./jiesu.db
    steps = commands(shell_block_after(heading))
    assert len(steps) >= 5
    for env, args in steps:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        result = cli(*args, ok=False)
        assert result.exit_code == 0, f"jiesu {shlex.join(args)}: {result.output}"
