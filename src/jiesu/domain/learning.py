"""Learned dispatch suggestions: a text classifier's stored weights, applied in plain Python.

Training (services/learning.py) uses scikit-learn once in a while; predicting happens at every
intake, so it must not import it. A trained model is kept as plain values: the vocabulary of
character n-grams, their idf, one weight per n-gram and category, and one intercept per category.
`classify` reproduces what scikit-learn's TfidfVectorizer (sublinear tf, smooth idf, l2 norm) and
multinomial LogisticRegression compute, and `grams` is the analyzer training itself uses, so both
see the same features.

The unit comes from history, not from the text: which unit finally handled tickets of the
category, at the same street where there is history there, else anywhere ("@street" when the
unit was the ticket's own street).
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter, mul

from jiesu.domain.catalogue import STREET_PLACEHOLDER

NGRAM_RANGE = (1, 2)  # 1–2 character grams: what the measurements chose (see benchmarks/bench_learning.py)
ANY_PLACE = ""  # the unit history's key for "any street"


def normalise(text: str) -> str:
    """Lower-case (for Latin letters) with every run of white space as one space."""
    return " ".join(text.lower().split())


def grams(text: str, low: int = NGRAM_RANGE[0], high: int = NGRAM_RANGE[1]) -> list[str]:
    """The character n-grams of a text (no word splitting: Chinese has no spaces)."""
    clean = normalise(text)
    found: list[str] = []
    for size in range(low, high + 1):
        found += [clean[i : i + size] for i in range(len(clean) - size + 1)]
    return found


def first_level(category: str) -> str:
    """The first-level class of a category (城乡建设 of 城乡建设/供水)."""
    return category.split("/", 1)[0]


@dataclass(frozen=True)
class TextModel:
    """A trained classifier as plain values.

    `weights` is class-major: class c's weight for n-gram i is weights[c * len(vocabulary) + i].
    """

    classes: tuple[str, ...]
    vocabulary: Mapping[str, int]
    idf: Sequence[float]
    weights: Sequence[float]
    intercepts: Sequence[float]
    ngram_range: tuple[int, int] = NGRAM_RANGE

    @cached_property
    def rows(self) -> list[Sequence[float]]:
        """Each class's weights, sliced once."""
        width = len(self.vocabulary)
        return [self.weights[c * width : (c + 1) * width] for c in range(len(self.classes))]


def features(model: TextModel, text: str) -> dict[int, float]:
    """The text's tf-idf vector over the model's vocabulary (sublinear tf, l2-normalised)."""
    counts: dict[int, int] = {}
    vocabulary = model.vocabulary
    for gram in grams(text, *model.ngram_range):
        index = vocabulary.get(gram)
        if index is not None:
            counts[index] = counts.get(index, 0) + 1
    idf = model.idf
    vector = {index: (1.0 + math.log(n)) * idf[index] for index, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {index: v / norm for index, v in vector.items()} if norm else {}


def classify(model: TextModel, text: str) -> list[tuple[str, float]]:
    """Every class with its probability, most likely first.

    Per class, the weights of the text's n-grams are fetched and multiplied in C (itemgetter, map):
    ~10x faster than a Python loop over n-grams and classes.
    """
    vector = features(model, text)
    scores = list(model.intercepts)
    if vector:
        indices, values = list(vector), list(vector.values())
        pick = itemgetter(*indices) if len(indices) > 1 else lambda row: (row[indices[0]],)
        scores = [b + sum(map(mul, values, pick(row))) for b, row in zip(scores, model.rows, strict=True)]
    top = max(scores)
    exp = [math.exp(s - top) for s in scores]
    total = sum(exp)
    return sorted(zip(model.classes, (e / total for e in exp), strict=True), key=lambda p: -p[1])


# The unit history: label → place (a street code, or ANY_PLACE) → target (a unit code or
# "@street") → how many closed tickets that target finally handled.
UnitHistory = Mapping[str, Mapping[str, Mapping[str, int]]]


@dataclass(frozen=True)
class UnitChoice:
    """The unit that history points at for a category and place, and its share of that history."""

    unit: str
    share: float
    tickets: int  # how many tickets the share is of


def choose_unit(history: UnitHistory, label: str, street: str | None) -> UnitChoice | None:
    """The unit that most often finally handled `label` at this street, else anywhere.

    "@street" in the history means the ticket's own street handled it: it becomes `street`, and is
    skipped when the request lies in no known street.
    """
    places = history.get(label)
    if not places:
        return None
    for place in ([street] if street else []) + [ANY_PLACE]:
        counts = places.get(place)
        if not counts:
            continue
        total = sum(counts.values())
        for target, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            unit = street if target == STREET_PLACEHOLDER else target
            if unit:
                return UnitChoice(unit, n / total, total)
    return None


@dataclass(frozen=True)
class Suggestion:
    """A learned suggestion: the category, the lead unit, and how sure the model is of each."""

    category: str
    unit: str | None
    category_confidence: float
    unit_confidence: float
    model_id: int = 0

    @property
    def confidence(self) -> float:
        """How likely both the category and the unit are right (the two taken as independent)."""
        return self.category_confidence * (self.unit_confidence if self.unit else 0.0)

    def record(self) -> dict[str, object]:
        """As scripts read it (and as events store it)."""
        return {
            "category": self.category,
            "unit": self.unit,
            "confidence": round(self.confidence, 4),
            "category_confidence": round(self.category_confidence, 4),
            "unit_confidence": round(self.unit_confidence, 4),
            "model": self.model_id,
        }


@dataclass(frozen=True)
class LearnedModel:
    """A stored model: the classifier, the unit history, and what it was trained on."""

    id: int
    text: TextModel
    units: UnitHistory = field(default_factory=dict)

    def suggest(self, text: str, street: str | None) -> Suggestion:
        """The most likely category for the text and, from history, its unit at this street."""
        label, probability = classify(self.text, text)[0]
        choice = choose_unit(self.units, label, street)
        if choice is None and label != first_level(label):
            choice = choose_unit(self.units, first_level(label), street)
        if choice is None:
            return Suggestion(label, None, probability, 0.0, self.id)
        return Suggestion(label, choice.unit, probability, choice.share, self.id)


def suggestion_from_record(record: Mapping[str, object] | None) -> Suggestion | None:
    """A suggestion as `Suggestion.record` stored it."""
    if not record or not record.get("category"):
        return None

    def number(key: str) -> float:
        value = record.get(key)
        return float(value) if isinstance(value, int | float) else 0.0

    unit = record.get("unit")
    model = record.get("model")
    return Suggestion(
        str(record["category"]),
        str(unit) if unit else None,
        number("category_confidence"),
        number("unit_confidence"),
        model if isinstance(model, int) else 0,
    )
