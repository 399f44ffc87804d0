"""services.workers: generators run in worker processes, their items taken in turn, their errors
raised here as they were raised there."""

import os
import pickle
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jiesu.errors import RulesError, UsageError
from jiesu.services.context import Office
from jiesu.services.workers import WorkerError, in_workers


def _shares(job: tuple[int, int, int]) -> Iterator[tuple[int, int]]:
    """Of the numbers below `count`, those of this share (of `workers`), with the worker's pid."""
    share, workers, count = job
    for n in range(count):
        if n % workers == share:
            yield n, os.getpid()


def _fails(job: str) -> Iterator[int]:
    yield 1
    if job == "usage":
        raise UsageError("file", "cannot read the header row")
    if job == "rules":
        raise RulesError("rules.toml", ["units: missing", "rules: empty"])
    raise RuntimeError("a bug in the worker")


def _endless(job: str) -> Iterator[int]:
    n = 0
    while True:
        yield n
        n += 1


def _killed(job: None) -> Iterator[int]:
    yield 1
    os._exit(3)


def test_items_come_in_turn_from_each_worker_in_its_own_process():
    items = list(in_workers(_shares, [(k, 3, 10) for k in range(3)]))
    assert [n for n, _ in items] == list(range(10))
    pids = {n % 3: pid for n, pid in items}
    assert len(set(pids.values())) == 3 and os.getpid() not in pids.values()
    assert all(pid == pids[n % 3] for n, pid in items)


def test_one_worker_gives_every_item():
    assert [n for n, _ in in_workers(_shares, [(0, 1, 5)])] == [0, 1, 2, 3, 4]


def test_jiesu_errors_are_raised_here_as_they_were_raised_there():
    items = in_workers(_fails, ["usage"])
    assert next(items) == 1
    with pytest.raises(UsageError) as caught:
        next(items)
    assert (caught.value.field, caught.value.message) == ("file", "cannot read the header row")
    assert str(caught.value) == str(UsageError("file", "cannot read the header row"))
    with pytest.raises(RulesError) as rules:
        list(in_workers(_fails, ["rules"]))
    assert rules.value.problems == ["units: missing", "rules: empty"] and rules.value.path == "rules.toml"


def test_a_bug_in_a_worker_is_raised_with_its_traceback():
    with pytest.raises(WorkerError, match=r"(?s)RuntimeError: a bug in the worker.*") as caught:
        list(in_workers(_fails, ["bug"]))
    assert "_fails" in str(caught.value)  # the worker's own traceback


def test_a_worker_that_dies_is_an_error_not_a_short_result():
    with pytest.raises(WorkerError, match="stopped unexpectedly"):
        list(in_workers(_killed, [None]))


def test_leaving_early_stops_the_workers():
    started = time.monotonic()
    items = in_workers(_endless, ["a", "b"])
    assert [next(items) for _ in range(6)] == [0, 0, 1, 1, 2, 2]
    items.close()
    assert time.monotonic() - started < 30
    import multiprocessing

    assert not [p for p in multiprocessing.active_children() if p.name == "jiesu-worker"]


def test_an_office_crosses_to_a_worker_as_its_fields_without_what_it_loaded(tmp_path: Path):
    rules = Path(__file__).resolve().parents[2] / "sample_data" / "dongcheng.toml"
    office = Office(db=str(tmp_path / "c.db"), rules_path=rules, now=datetime(2025, 6, 1, tzinfo=UTC), operator="x")
    assert office.rules.units  # loaded here
    copy = pickle.loads(pickle.dumps(office))
    assert "rules" not in copy.__dict__ and "engine" not in copy.__dict__
    assert (copy.db, copy.rules_path, copy.now, copy.operator, copy.login) == (
        office.db,
        office.rules_path,
        office.now,
        office.operator,
        office.login,
    )
    assert copy.rules.sha256 == office.rules.sha256  # loaded again there
