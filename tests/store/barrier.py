"""A start line for processes that must really overlap: each child imports and connects, says it is
ready, and waits; the test releases them all at once. No sleeps, no guessing how long start-up takes."""

import subprocess
from collections.abc import Sequence

# Put where the child is ready to start: it tells the parent on stderr, then waits for the word.
WAIT_FOR_GO = "import sys as _s; print('ready', file=_s.stderr, flush=True); _s.stdin.readline()"


def start_together(commands: Sequence[Sequence[str]], env: dict[str, str] | None = None) -> list[subprocess.Popen[str]]:
    """Start every command, wait until each has reached WAIT_FOR_GO, then release them together."""
    processes = [
        subprocess.Popen(
            list(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for command in commands
    ]
    for process in processes:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert line.strip() == "ready", line + process.stderr.read()
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    return processes
