"""The cache of checked rules files: same rules back, never a stale or broken one."""

import os
from dataclasses import fields
from pathlib import Path

import pytest

from jiesu.errors import RulesError
from jiesu.rules import BUNDLED_RULES, load_rules
from jiesu.rules.cache import cache_dir

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "dongcheng.toml"


def entries() -> list[Path]:
    return sorted(cache_dir().glob("rules-*.pickle")) if cache_dir().exists() else []


def same(a: object, b: object) -> None:
    for f in fields(a):  # type: ignore[arg-type]
        if f.name != "calendar":
            assert getattr(a, f.name) == getattr(b, f.name), f.name
    assert vars(a.calendar) == vars(b.calendar)  # type: ignore[attr-defined]


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
