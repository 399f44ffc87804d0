"""The layers hold (docs/architecture.md): dependencies point down, only the store knows SQL, and
no function grows long without saying why."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "jiesu"
MODULES = sorted(SRC.rglob("*.py"))
LONG_FUNCTION = 60  # lines of body; a longer one says why in its docstring with "Long because …"

# What each package may import of jiesu itself (besides its own modules, jiesu.errors and jiesu.cachedir).
MAY_IMPORT = {
    "domain": set(),
    "rules": {"domain"},
    "store": {"domain", "rules"},
    "services": {"domain", "rules", "store"},
    "cli": {"domain", "rules", "services"},
}


def package(path: Path) -> str:
    return path.relative_to(SRC).parts[0].removesuffix(".py")


def imported(path: Path) -> set[str]:
    """Every module `path` imports, anywhere in it (inside functions and TYPE_CHECKING blocks too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def ids(path: Path) -> str:
    return str(path.relative_to(SRC))


@pytest.mark.parametrize("path", [p for p in MODULES if package(p) != "store"], ids=ids)
def test_only_the_store_knows_sql(path):
    database = {name for name in imported(path) if name.split(".")[0] in ("sqlalchemy", "sqlmodel")}
    assert not database, f"{path.relative_to(SRC)} imports {sorted(database)}: put the SQL in jiesu.store"


@pytest.mark.parametrize("path", [p for p in MODULES if package(p) in MAY_IMPORT], ids=ids)
def test_dependencies_point_down(path):
    own = package(path)
    allowed = MAY_IMPORT[own] | {own, "errors", "cachedir"}
    ours = {name.split(".")[1] for name in imported(path) if name.startswith("jiesu.")}
    assert ours <= allowed, f"{path.relative_to(SRC)} ({own}) imports jiesu.{sorted(ours - allowed)}"


def long_functions() -> list[tuple[str, int, str]]:
    found = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                # the body, from its first statement after the docstring: a command's many options
                # make a long signature, not a long function
                body = node.body[1:] if ast.get_docstring(node) is not None and len(node.body) > 1 else node.body
                length = (node.end_lineno or node.lineno) - body[0].lineno + 1
                if length > LONG_FUNCTION:
                    found.append(
                        (f"{path.relative_to(SRC)}:{node.lineno} {node.name}", length, ast.get_docstring(node) or "")
                    )
    return found


def test_long_functions_say_why():
    unexplained = [f"{where} ({length} lines)" for where, length, doc in long_functions() if "Long because" not in doc]
    assert not unexplained, "functions over 60 lines without 'Long because …' in their docstring: " + ", ".join(
        unexplained
    )
