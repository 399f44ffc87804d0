"""`jiesu intake --file` with its batches prepared in worker processes (services.importing,
services.workers): the same tickets, events, assignments and numbers, the same output, rejects
and errors as when one process does it all; small batches, so a small file makes many."""

import csv
import json
from pathlib import Path

import pytest

from jiesu.services import importing
from tests.conftest import query

NOW = "2025-07-01T08:00:00+08:00"
RULES = str(Path(__file__).resolve().parents[2] / "sample_data" / "dongcheng.toml")
TEXTS = [
    "暖气不热，屋里很冷",
    "小区门口违章停车堵住消防通道",
    "工地夜间施工噪音扰民",
    "路灯不亮，晚上看不见路",
    "自来水停水了，什么时候来水",
    "想问一下公积金怎么提取",
]


def write_requests(path: Path, count: int) -> None:
    """Requests over a month, some bad (no content, a bad phone, an unknown kind), some answered,
    some repeating an external id given earlier in the file, some without one."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        out = csv.writer(stream)
        out.writerow(["external_id", "created_at", "kind", "phone", "address", "content", "answer"])
        for n in range(count):
            content = TEXTS[n % len(TEXTS)] if n % 17 else ""
            phone = "12ab" if n % 23 == 5 else f"138{n:08d}"
            kind = "吐槽" if n % 29 == 7 else ("consult" if n % 6 == 5 else "complain")
            answer = "携带身份证到公积金中心办理" if n % 6 == 5 else ""
            external = "" if n % 11 == 3 else f"X{n - 50 if n % 13 == 0 and n > 50 else n}"
            day, minute = 1 + n % 28, n % 600
            moment = f"2025-06-{day:02d}T{8 + minute // 60:02d}:{minute % 60:02d}:00+08:00"
            out.writerow([external, moment, kind, phone, "交道口南大街", content, answer])


TABLES = {
    "tickets": "SELECT * FROM tickets ORDER BY id",
    "events": "SELECT ticket_id, at, operator, login, action, unit, note, data FROM events ORDER BY id",
    "assignments": "SELECT * FROM assignments ORDER BY id",
    "counters": "SELECT * FROM counters ORDER BY scope",
}


def contents(db: str) -> dict[str, list[tuple]]:
    return {table: query(db, sql) for table, sql in TABLES.items()}


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 37)


def run(cli, monkeypatch, workers: int, db: str, source: Path, *extra: str):
    monkeypatch.setenv("JIESU_IMPORT_WORKERS", str(workers))
    options = ["--db", db, "--rules", RULES, "--now", NOW]
    return cli(*options, "intake", "--file", str(source), "--format", "json", *extra, ok=False)


@pytest.mark.parametrize("dispatch", [True, False], ids=["dispatched", "undispatched"])
def test_workers_write_what_one_process_writes(cli, tmp_path, monkeypatch, new_case_db, small_batches, dispatch):
    source = tmp_path / "requests.csv"
    write_requests(source, 400)
    extra = () if dispatch else ("--no-dispatch",)
    results = {}
    for workers in (0, 1, 2):
        db = new_case_db(f"w{workers}")
        result = run(cli, monkeypatch, workers, db, source, "--rejects", str(tmp_path / f"bad{workers}.csv"), *extra)
        assert result.exit_code == 1, result.stderr  # some rows were rejected
        summary = json.loads(result.stdout)
        results[workers] = (summary, result.stderr, contents(db), (tmp_path / f"bad{workers}.csv").read_bytes())
    alone = results[0]
    assert alone[0]["rejected"] > 20 and alone[0]["existing"] > 5 and alone[0]["created"] > 300
    assert alone[2]["tickets"] and (alone[2]["assignments"] or not dispatch)
    for workers in (1, 2):
        summary, errors, rows, rejects = results[workers]
        assert {k: v for k, v in summary.items() if k != "rejects_file"} == {
            k: v for k, v in alone[0].items() if k != "rejects_file"
        }
        assert errors == alone[1]  # each bad row reported, in the file's order
        assert rows == alone[2]
        assert rejects == alone[3]


def test_a_rerun_through_workers_skips_what_one_process_skips(cli, tmp_path, monkeypatch, new_case_db, small_batches):
    """A complete import run again takes in no row with an external id twice (rows without one
    are new requests each time, as in one process)."""
    source = tmp_path / "requests.csv"
    write_requests(source, 200)
    runs = {}
    for workers in (0, 2):
        db = new_case_db(f"again{workers}")
        first = json.loads(run(cli, monkeypatch, workers, db, source).stdout)
        again = json.loads(run(cli, monkeypatch, workers, db, source).stdout)
        runs[workers] = (first, again, contents(db))
    first, again, rows = runs[2]
    assert first["created"] > 150 and 0 < again["created"] < 20
    assert runs[0][:2] == runs[2][:2] and runs[0][2] == rows


def cli_db() -> str:
    import os

    return os.environ["JIESU_DB"]


def test_a_file_a_worker_cannot_read_is_one_line_and_changes_nothing(cli, tmp_path, monkeypatch, small_batches):
    source = tmp_path / "requests.csv"
    write_requests(source, 100)
    text = source.read_text(encoding="utf-8").replace("answer", "colour", 1)
    source.write_text(text, encoding="utf-8")
    alone = run(cli, monkeypatch, 0, cli_db(), source)
    through = run(cli, monkeypatch, 2, cli_db(), source)
    assert alone.exit_code == through.exit_code == 2
    assert through.stderr == alone.stderr and len(through.stderr.strip().splitlines()) == 1
    assert "colour" in through.stderr and "Traceback" not in through.stderr
    assert query(cli_db(), "SELECT count(*) FROM tickets") == [(0,)]


def test_a_worker_decides_by_the_rules_this_process_loaded(tmp_path, small_batches):
    from datetime import UTC, datetime

    from jiesu.errors import UsageError
    from jiesu.services.context import Office

    rules = Path(__file__).resolve().parents[2] / "sample_data" / "dongcheng.toml"
    source = tmp_path / "requests.csv"
    write_requests(source, 10)
    office = Office(db=cli_db(), rules_path=rules, now=datetime(2025, 7, 1, tzinfo=UTC), operator="x")
    job = importing._Job(office, "0" * 64, source, (), True, 0)
    with pytest.raises(UsageError, match="changed during the import"):
        next(importing._prepared_batches(job))


def test_how_many_workers(tmp_path, monkeypatch):
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    small.write_text("content\n" + "路灯不亮\n" * 10, encoding="utf-8")
    with large.open("w", encoding="utf-8") as stream:
        stream.write("content\n")
        stream.write("路灯不亮，晚上看不见路\n" * (importing.WORKER_FILE_BYTES // 30 + 1))
    monkeypatch.setattr(importing.os, "cpu_count", lambda: 2)
    assert importing.worker_count(small) == 0
    assert importing.worker_count(large) == importing.MAX_WORKERS
    monkeypatch.setattr(importing.os, "cpu_count", lambda: 1)
    assert importing.worker_count(large) == 0
    assert importing.worker_count(small, "1") == 1 and importing.worker_count(large, "0") == 0
    assert importing.worker_count(large, " ") == 0  # set but empty: as if not set
    with pytest.raises(importing.UsageError, match="JIESU_IMPORT_WORKERS"):
        importing.worker_count(small, "many")


def test_a_workers_setting_that_is_not_a_number_is_one_line(cli, tmp_path, monkeypatch):
    source = tmp_path / "requests.csv"
    write_requests(source, 10)
    result = run(cli, monkeypatch, "two", cli_db(), source)  # type: ignore[arg-type]
    assert result.exit_code == 2 and "$JIESU_IMPORT_WORKERS" in result.stderr and "--JIESU" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert json.loads(run(cli, monkeypatch, 1, cli_db(), source).stdout)["created"] == 7  # 3 of the 10 rows are bad
