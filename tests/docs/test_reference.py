"""docs/commands.md is what the CLI says of itself today; every command has a help text."""

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def make_reference():
    spec = importlib.util.spec_from_file_location("make_reference", DOCS / "make_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_command_is_documented_with_help():
    module = make_reference()
    paths = list(module.command_paths())
    assert ["rules", "accuracy"] in paths and ["escalate"] in paths
    for path in paths:
        text = module.help_text(path)
        assert "Usage: jiesu" in text, path
        assert len(text.splitlines()) > 4, path


def test_the_reference_is_current():
    module = make_reference()
    for lang, target in module.REFERENCES.items():
        assert target.read_text(encoding="utf-8") == module.reference(lang), (
            f"docs/{target.name} is stale: run python docs/make_reference.py"
        )
