"""The cache of checked rules files: same rules back, never a stale or broken one."""

import os
from dataclasses import fields
from pathlib import Path

import pytest

from jiesu.cachedir import cache_dir
from jiesu.errors import RulesError
from jiesu.rules import BUNDLED_RULES, load_rules

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "dongcheng.toml"


def entries() -> list[Path]:
    return sorted(cache_dir().glob("rules-*.pickle")) if cache_dir().exists() else []


def same(a: object, b: object) -> None:
    for f in fields(a):  # type: ignore[arg-type]
        if f.name != "calendar":
            assert getattr(a, f.name) == getattr(b, f.name), f.name
    kept = {k: v for k, v in vars(a.calendar).items() if k != "_official"}  # type: ignore[attr-defined]
    assert kept == {k: v for k, v in vars(b.calendar).items() if k != "_official"}  # type: ignore[attr-defined]


def test_a_checked_file_comes_back_from_the_cache_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIESU_CACHE_DIR", str(tmp_path / "cache"))
    rules = tmp_path / "rules.toml"
    rules.write_bytes(SAMPLE.read_bytes())
    first = load_rules(rules)
    assert len(entries()) == 1
    again = load_rules(rules)
    same(first, again)
    assert again.sha256 == first.sha256 and again.matcher.best is not None
    copy = tmp_path / "elsewhere.toml"
    copy.write_bytes(rules.read_bytes())
    assert load_rules(copy).path == str(copy)  # the same content under another name: its own path
    assert len(entries()) == 1


def test_an_edited_file_is_checked_afresh_and_a_broken_one_never_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIESU_CACHE_DIR", str(tmp_path / "cache"))
    rules = tmp_path / "rules.toml"
    rules.write_bytes(BUNDLED_RULES.read_bytes())
    load_rules(rules)
    rules.write_text(BUNDLED_RULES.read_text(encoding="utf-8") + "\n[[units]]\ncode = 'Bad Code'\n", encoding="utf-8")
    with pytest.raises(RulesError):
        load_rules(rules)
    with pytest.raises(RulesError):  # still refused: nothing of it was kept
        load_rules(rules)
    assert len(entries()) == 1


def test_a_damaged_or_unwritable_cache_only_means_loading_the_long_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIESU_CACHE_DIR", str(tmp_path / "cache"))
    expected = load_rules(SAMPLE)
    (entry,) = entries()
    entry.write_bytes(b"not a pickle")
    same(load_rules(SAMPLE), expected)
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("JIESU_CACHE_DIR", str(blocker / "cache"))  # a folder that cannot be made
    same(load_rules(SAMPLE), expected)
    assert not os.path.exists(blocker / "cache")


def test_rules_check_always_reads_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jiesu.rules import check_rules

    monkeypatch.setenv("JIESU_CACHE_DIR", str(tmp_path / "cache"))
    load_rules(SAMPLE)
    (entry,) = entries()
    entry.write_bytes(b"")
    assert check_rules(SAMPLE) == []


def test_a_cached_calendar_answers_like_the_holidays_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date, timedelta

    from jiesu.domain.calendar import WorkCalendar
    from jiesu.rules.cache import CALENDAR_YEARS

    monkeypatch.setenv("JIESU_CACHE_DIR", str(tmp_path / "cache"))
    load_rules(SAMPLE)
    kept = load_rules(SAMPLE).calendar
    assert kept.remembered
    fresh = WorkCalendar(kept.country, kept.extra_holidays, kept.extra_workdays)
    day = date(CALENDAR_YEARS.start - 1, 12, 1)  # and a month either side, which the package answers
    while day < date(CALENDAR_YEARS.stop, 2, 1):
        assert kept.is_working_day(day) == fresh.is_working_day(day), day
        day += timedelta(days=1)
    assert kept.unpublished_years == fresh.unpublished_years
    for year in CALENDAR_YEARS:
        assert kept.knows_makeup_workdays(year) == fresh.knows_makeup_workdays(year), year
