"""Regenerate docs/commands.md from the CLI's own help: python docs/make_reference.py"""

import os
import subprocess
import sys
from pathlib import Path

COMMANDS = [
    [],
    ["init"],
    ["demo"],
    ["intake"],
    ["dispatch"],
    ["accept"],
    ["return"],
    ["contact"],
    ["note"],
    ["extend"],
    ["whistle"],
    ["finish"],
    ["callback"],
    ["appeal"],
    ["merge"],
    ["supervise"],
    ["show"],
    ["list"],
    ["search"],
    ["report"],
    ["hotspots"],
    ["escalate"],
    ["rules", "check"],
    ["rules", "explain"],
    ["units"],
]


def main() -> None:
    env = os.environ | {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    parts = ["# jiesu command reference", "", "Generated from `jiesu … --help` by `docs/make_reference.py`.", ""]
    for command in COMMANDS:
        text = subprocess.run(
            [sys.executable, "-m", "jiesu", *command, "--help"], capture_output=True, text=True, env=env, check=True
        ).stdout
        parts += [f"## jiesu {' '.join(command)}".rstrip(), "", "```text", text.rstrip(), "```", ""]
    Path(__file__).with_name("commands.md").write_text("\n".join(parts), encoding="utf-8")


if __name__ == "__main__":
    main()
