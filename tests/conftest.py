"""Every test gets its own case file under tmp_path and a fixed operator; nothing leaks between tests."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jiesu.cli import app

ENV_VARS = ("JIESU_DB", "JIESU_RULES", "JIESU_NOW", "JIESU_LANG", "JIESU_OPERATOR", "JIESU_SAMPLE_DATA")


@pytest.fixture(autouse=True)
def case_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh case file path in an empty working directory."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "case.db"
    monkeypatch.setenv("JIESU_DB", str(db))
    monkeypatch.setenv("JIESU_OPERATOR", "clerk-1")
    monkeypatch.setenv("COLUMNS", "120")
    return db


class Cli:
    """Runs jiesu in-process through typer's CliRunner."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool = True, input: str | None = None) -> Any:
        result = self.runner.invoke(app, list(args), input=input)
        if ok and result.exit_code != 0:
            raise AssertionError(
                f"jiesu {' '.join(args)} exited {result.exit_code}\nstdout: {result.stdout}\n"
                f"stderr: {result.stderr}\n{result.exception!r}"
            )
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--format", "json").stdout)


@pytest.fixture
def cli() -> Callable[..., Any]:
    return Cli()


@pytest.fixture
def postgres_url() -> Any:
    """A fresh, empty PostgreSQL database (JIESU_TEST_POSTGRES names the server); skipped without one."""
    import os
    import uuid

    server = os.environ.get("JIESU_TEST_POSTGRES")
    if not server:
        pytest.skip("set JIESU_TEST_POSTGRES=postgresql://user@host:port/db to run PostgreSQL tests")
    psycopg = pytest.importorskip("psycopg")
    name = f"jiesu_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    base, _, _ = server.rpartition("/")
    yield f"{base}/{name}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
