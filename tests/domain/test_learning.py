"""The stdlib predictor reproduces scikit-learn; units come from history; suggestions obey [learn]."""

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiesu.domain.catalogue import LearnPolicy, LimitProfile, RulesFile, Unit, UnitClass
from jiesu.domain.dispatching import Decision, Located, Outcome, with_suggestion
from jiesu.domain.durations import Duration
from jiesu.domain.learning import Suggestion, TextModel, choose_unit, classify, grams, suggestion_from_record

TEXTS = [
    ("小区路灯不亮好几天了", "城建"),
    ("路灯坏了晚上太黑", "城建"),
    ("井盖丢了很危险路灯也不亮", "城建"),
    ("工厂排放黑烟污染空气", "环保"),
    ("河道发臭有污水直排", "环保"),
    ("工地粉尘污染严重", "环保"),
    ("老板拖欠工资三个月", "劳动"),
    ("公司不交社保拖欠工资", "劳动"),
    ("工伤认定找谁 Boss 拖欠工资", "劳动"),
]


def test_grams_are_one_and_two_characters_with_white_space_collapsed():
    assert grams("停水 了") == ["停", "水", " ", "了", "停水", "水 ", " 了"]
    assert grams("AB\n\nc") == ["a", "b", " ", "c", "ab", "b ", " c"]


@pytest.fixture(scope="module")
def trained() -> tuple[TextModel, object]:
    from jiesu.services.learning import _pipeline, fit_text_model

    texts = [t for t, _ in TEXTS]
    labels = [label for _, label in TEXTS]
    return fit_text_model(texts, labels), _pipeline().fit(texts, labels)


@pytest.mark.parametrize("text", ["路灯不亮", "黑烟和污水", "拖欠工资", "完全无关的话", "", "BOSS 路灯"])
def test_the_stdlib_predictor_gives_scikit_learns_probabilities(trained, text):
    model, pipeline = trained
    ours = dict(classify(model, text))
    theirs = dict(zip(pipeline.classes_, pipeline.predict_proba([text])[0], strict=True))  # type: ignore[attr-defined]
    assert ours == pytest.approx(theirs, abs=1e-9)


def test_two_classes_become_a_softmax_of_two(trained):
    from jiesu.services.learning import _pipeline, fit_text_model

    texts = [t for t, label in TEXTS if label != "劳动"]
    labels = [label for _, label in TEXTS if label != "劳动"]
    model = fit_text_model(texts, labels)
    pipeline = _pipeline().fit(texts, labels)
    for text in ("路灯", "污水", "别的"):
        theirs = dict(zip(pipeline.classes_, pipeline.predict_proba([text])[0], strict=True))
        assert dict(classify(model, text)) == pytest.approx(theirs, abs=1e-9)


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=60))
def test_probabilities_add_up_to_one_most_likely_first(trained, text):
    model, _ = trained
    ranked = classify(model, text)
    assert sum(p for _, p in ranked) == pytest.approx(1)
    assert [p for _, p in ranked] == sorted((p for _, p in ranked), reverse=True)


HISTORY = {
    "城建": {"": {"@street": 8, "chengguan": 2}, "hepingli": {"chengguan": 3}, "andingmen": {"@street": 8}},
    "环保": {"": {"sthjj": 5}},
}


def test_units_come_from_the_street_first_then_anywhere():
    assert choose_unit(HISTORY, "城建", "hepingli").unit == "chengguan"  # this street's own history
    anywhere = choose_unit(HISTORY, "城建", "jingshan")
    assert anywhere is not None and anywhere.unit == "jingshan" and anywhere.share == 0.8  # "@street": its street
    assert choose_unit(HISTORY, "城建", None).unit == "chengguan"  # no street: the next best
    assert choose_unit(HISTORY, "环保", None).share == 1.0
    assert choose_unit(HISTORY, "劳动", "hepingli") is None


def _rules(threshold: float | None) -> RulesFile:
    from zoneinfo import ZoneInfo

    day = Duration(1, "d")
    return RulesFile(
        path="t.toml",
        sha256="0",
        office_name="t",
        district="",
        timezone=ZoneInfo("Asia/Shanghai"),
        limits={"default": LimitProfile("default", day, day, day)},
        units={"rsj": Unit("rsj", "人社局", UnitClass.DISTRICT_DEPT)},
        learn=LearnPolicy(auto_dispatch=threshold),
    )


NOW = datetime(2026, 11, 2, 1, tzinfo=UTC)
HELD = Decision(Outcome.HOLD, Located(None, None, "none"), "no rule matched")


@pytest.mark.parametrize(
    ("threshold", "category_confidence", "outcome", "auto"),
    [(None, 0.99, Outcome.HOLD, False), (0.9, 0.95, Outcome.DISPATCH, True), (0.9, 0.85, Outcome.HOLD, False)],
)
def test_a_suggestion_dispatches_only_at_or_above_auto_dispatch(threshold, category_confidence, outcome, auto):
    suggestion = Suggestion("劳动和社会保障/工资福利", "rsj", category_confidence, 1.0)
    decision = with_suggestion(_rules(threshold), HELD, suggestion, at=NOW)
    assert (decision.outcome, decision.auto, decision.suggestion) == (outcome, auto, suggestion)
    if auto:
        assert decision.lead == "rsj" and decision.category_source == "model" and decision.deadlines is not None


def test_a_suggestion_naming_a_unit_that_returned_it_waits():
    suggestion = Suggestion("劳动和社会保障/工资福利", "rsj", 1.0, 1.0)
    decision = with_suggestion(_rules(0.9), HELD, suggestion, at=NOW, exclude=frozenset({"rsj"}))
    assert decision.outcome is Outcome.HOLD and "names no unit that can take it" in decision.reason


def test_a_suggestion_survives_its_record():
    suggestion = Suggestion("环保", "sthjj", 0.8, 0.5, model_id=3)
    assert suggestion_from_record(suggestion.record()) == Suggestion("环保", "sthjj", 0.8, 0.5, 3)
    assert suggestion.confidence == pytest.approx(0.4)
    assert suggestion_from_record(None) is None


@pytest.mark.slow
def test_messages_by_another_author_are_classified_four_times_in_five_or_better():
    """The issue's target on benchmarks/data: trained on 420 messages by two authors, at least 80% of
    the 210 messages of a third author (never trained on) get their first-level class right, with the
    stdlib predictor intake uses (bench_learning.py prints the per-class figures)."""
    import csv
    from pathlib import Path

    from jiesu.domain.learning import first_level
    from jiesu.services.learning import fit_text_model, request_text

    data = Path(__file__).resolve().parents[2] / "benchmarks" / "data"

    def read(name: str) -> list[tuple[str, str]]:
        with (data / name).open(encoding="utf-8", newline="") as stream:
            rows = list(csv.DictReader(stream))
        return [(request_text(r["title"], r["content"]), first_level(r["category"])) for r in rows]

    train = read("messages-a.csv") + read("messages-b.csv")
    held_out = read("messages-c.csv")
    assert (len(train), len(held_out)) == (420, 210)
    model = fit_text_model([t for t, _ in train], [c for _, c in train])
    right = sum(classify(model, text)[0][0] == label for text, label in held_out)
    assert right / len(held_out) >= 0.8, f"{right}/{len(held_out)}"
