"""Every test gets its own case file and a fixed operator; nothing leaks between tests.

Tests that drive the CLI run once per backend: on a SQLite file under tmp_path, and, when
JIESU_TEST_POSTGRES names a PostgreSQL server (.ci/run starts one), again on a fresh database of
their own on that server. Tests about SQLite files themselves are marked `sqlite_only`.
"""

import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jiesu.cli import app

ENV_VARS = (
    "JIESU_DB",
    "JIESU_RULES",
    "JIESU_NOW",
    "JIESU_LANG",
    "JIESU_OPERATOR",
    "JIESU_SAMPLE_DATA",
    "JIESU_IMPORT_WORKERS",
)
POSTGRES_SERVER = os.environ.get("JIESU_TEST_POSTGRES", "")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each CLI test on PostgreSQL too when there is a server; without one, the ids stay as they are."""
    if not POSTGRES_SERVER or "cli" not in metafunc.fixturenames:
        return
    if "postgres_url" in metafunc.fixturenames or metafunc.definition.get_closest_marker("sqlite_only"):
        return  # already about one backend
    metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The database a test's case file lives in: 'sqlite', or 'postgresql' when parametrized so."""
    return getattr(request, "param", "sqlite")


class PostgresServer:
    """The test server: one admin connection that creates and drops a database per test."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.url = url
        self.admin = psycopg.connect(url, autocommit=True)
        # Copying the (tiny) template's files beats writing them to the WAL, the default since 15:
        # about 55 ms instead of 95 ms to create and drop a database.
        self.strategy = " STRATEGY = FILE_COPY" if self.admin.info.server_version >= 150000 else ""

    def create(self) -> str:
        """A new empty database; its URL."""
        name = f"jiesu_test_{uuid.uuid4().hex[:12]}"
        self.admin.execute(f"CREATE DATABASE {name}{self.strategy}")
        return f"{self.url.rpartition('/')[0]}/{name}"

    def drop(self, url: str) -> None:
        # FORCE: a command's engine may still hold a pooled connection to it.
        self.admin.execute(f"DROP DATABASE IF EXISTS {url.rpartition('/')[2]} WITH (FORCE)")

    def close(self) -> None:
        self.admin.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The server JIESU_TEST_POSTGRES names; skipped without one."""
    if not POSTGRES_SERVER:
        pytest.skip("set JIESU_TEST_POSTGRES=postgresql://user@host:port/db to run PostgreSQL tests")
    pytest.importorskip("psycopg")
    server = PostgresServer(POSTGRES_SERVER)
    yield server
    server.close()


@pytest.fixture
def new_case_db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Callable[[str], str]]:
    """Makes a place for a new case file on the test's backend: a path under tmp_path, or an empty database."""
    created: list[str] = []
    server = request.getfixturevalue("postgres_server") if backend == "postgresql" else None

    def make(stem: str) -> str:
        if server is None:
            return str(tmp_path / f"{stem}.db")
        created.append(server.create())
        return created[-1]

    yield make
    for url in created:
        assert server is not None
        server.drop(url)


@pytest.fixture(scope="session")
def rules_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache of checked rules files for the session, never the user's own (rules/cache.py)."""
    return tmp_path_factory.mktemp("rules-cache")


@pytest.fixture(autouse=True)
def case_file(
    new_case_db: Callable[[str], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rules_cache: Path
) -> str:
    """A fresh case file (JIESU_DB: a path, or a PostgreSQL URL) and an empty working directory."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JIESU_CACHE_DIR", str(rules_cache))
    monkeypatch.chdir(tmp_path)
    db = new_case_db("case")
    monkeypatch.setenv("JIESU_DB", db)
    monkeypatch.setenv("JIESU_OPERATOR", "clerk-1")
    monkeypatch.setenv("COLUMNS", "120")
    return db


def query(db: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows of one SQL statement (`:name` parameters) run straight on a case file on either backend, committed."""
    from sqlalchemy import text

    from jiesu.store.engine import create_case_engine

    engine = create_case_engine(db)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


@pytest.fixture
def sql(case_file: str) -> Callable[..., list[tuple[Any, ...]]]:
    """`sql(statement, **params)`: one statement run on the test's case file behind jiesu's back; its rows."""
    return lambda statement, **params: query(case_file, statement, **params)


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs in English (JIESU_LANG=en): for tests that read the English wording of messages; the
    default, Chinese, is tested in tests/cli/test_languages.py."""
    monkeypatch.setenv("JIESU_LANG", "en")


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
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty PostgreSQL database (JIESU_TEST_POSTGRES names the server); skipped without one."""
    url = postgres_server.create()
    yield url
    postgres_server.drop(url)
