"""Learning from the case file's own history (`jiesu rules learn`), and the suggestions it makes.

Training imports scikit-learn (character 1–2-gram tf-idf and a multinomial logistic regression)
and stores the result as plain weights; suggesting at intake and dispatch reads those weights with
the standard library only (domain/learning.py), so taking a request in never pays for scikit-learn.
"""

import sys
import time
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jiesu.domain.catalogue import STREET_PLACEHOLDER
from jiesu.domain.learning import (
    ANY_PLACE,
    NGRAM_RANGE,
    LearnedModel,
    Suggestion,
    TextModel,
    first_level,
    grams,
    normalise,
)
from jiesu.errors import RefusedError, UsageError
from jiesu.services.context import Office
from jiesu.store.engine import CaseConnection, transaction
from jiesu.store.learning import HandledBy, StoredModel, labelled_tickets, latest_model, save_model, unit_history

MIN_EXAMPLES = 5  # a category needs this many labelled tickets to be learned on its own
MAX_FEATURES = 50_000  # the most frequent n-grams kept: bounds the model's size and load time
# LogisticRegression's C: on the sample's labelled requests C=1 underfit (30% first-level, against
# 38–42% for 10 and 30); tf-idf text with few examples per class wants weak regularisation
REGULARISATION = 10.0
FOLDS = 5


@dataclass(frozen=True)
class LabelAccuracy:
    """One learned label: its labelled tickets and how many cross-validation got right."""

    label: str
    tickets: int
    correct: int

    @property
    def accuracy(self) -> float:
        """The share of its tickets cross-validation classified right."""
        return self.correct / self.tickets if self.tickets else 0.0


@dataclass(frozen=True)
class Learned:
    """What `rules learn` trained: the stored model's id and its cross-validated accuracy."""

    model_id: int
    trained_at: datetime
    tickets: int
    labels: list[LabelAccuracy]
    accuracy: float  # cross-validated, over every labelled ticket
    first_level_accuracy: float  # the same, counting a right first-level class as right
    folds: int
    folded: dict[str, str]  # categories with too few tickets, learned as their first-level class
    dropped: dict[str, int]  # categories left out (too few tickets even as a first-level class)
    unit_tickets: int  # closed tickets in the unit history
    seconds: float


def _label_space(categories: Sequence[str], minimum: int) -> tuple[list[str | None], dict[str, str], dict[str, int]]:
    """Each ticket's training label: its category when that has `minimum` tickets, else its
    first-level class when that has, else None (left out)."""
    counts = Counter(categories)
    level_counts: Counter[str] = Counter()
    for category, n in counts.items():
        if n < minimum:
            level_counts[first_level(category)] += n
    folded: dict[str, str] = {}
    dropped: dict[str, int] = {}
    for category, n in counts.items():
        if n >= minimum:
            continue
        level = first_level(category)
        if level_counts[level] + counts.get(level, 0) >= minimum:
            folded[category] = level
        else:
            dropped[category] = n
    labels = [category if counts[category] >= minimum else folded.get(category) for category in categories]
    return labels, folded, dropped


def learn(office: Office, *, min_examples: int = MIN_EXAMPLES, folds: int = FOLDS) -> Learned:
    """Train on every ticket whose category a person chose, cross-validate, store the model.

    Long because it is the whole use case in order: read (one read transaction), train and
    cross-validate (outside any transaction: it can take a while), store (one write transaction).
    """
    if min_examples < 2:
        raise UsageError("min_examples", "must be at least 2 (cross-validation needs two tickets of a label)")
    if folds < 2:
        raise UsageError("folds", "must be at least 2")
    started = time.perf_counter()
    with transaction(office.engine, write=False) as conn:
        labelled = list(labelled_tickets(conn))
        history = unit_history(conn)
    texts_all = [request_text(item.title, item.content) for item in labelled]
    labels_all, folded, dropped = _label_space([item.category for item in labelled], min_examples)
    texts = [text for text, label in zip(texts_all, labels_all, strict=True) if label]
    labels = [label for label in labels_all if label]
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise RefusedError(
            f"not enough labelled tickets to learn from: {len(labelled)} tickets have a category a person chose "
            f"(intake --category, a file's category column, dispatch --category), and at least two categories "
            f"need {min_examples} each; label more tickets, or lower --min-examples"
        )
    # identical texts (repeat calls, copied requests) stay in one fold, or they would test on training
    groups = [normalise(text) for text in texts]
    distinct = Counter(label for label, _ in set(zip(labels, groups, strict=True)))
    k = max(2, min(folds, *distinct.values()))
    predicted = _cross_validate(texts, labels, groups, k)
    text_model = _fit(texts, labels)
    per_label = Counter(labels)
    right = Counter(label for label, guess in zip(labels, predicted, strict=True) if label == guess)
    level_right = sum(first_level(label) == first_level(guess) for label, guess in zip(labels, predicted, strict=True))
    results = [LabelAccuracy(label, per_label[label], right[label]) for label in classes]
    accuracy = sum(right.values()) / len(labels)
    units = _unit_table(history, classes)
    row = {
        "trained_at": office.now,
        "operator": office.operator,
        "tickets": len(labels),
        "labels": [[r.label, r.tickets] for r in results],
        "accuracy": {
            "overall": accuracy,
            "first_level": level_right / len(labels),
            "folds": k,
            "per_label": {r.label: [r.tickets, r.correct] for r in results},
            "folded": folded,
            "dropped": dropped,
        },
        "model": {
            "classes": list(text_model.classes),
            "vocabulary": sorted(text_model.vocabulary, key=text_model.vocabulary.__getitem__),
            "intercepts": list(text_model.intercepts),
            "ngram_range": list(NGRAM_RANGE),
        },
        "idf": _floats(text_model.idf),
        "weights": _floats(text_model.weights),
        "units": units,
    }
    with transaction(office.engine, write=True) as conn:
        model_id = save_model(conn, row)
    return Learned(
        model_id,
        office.now,
        len(labels),
        results,
        accuracy,
        level_right / len(labels),
        k,
        folded,
        dropped,
        sum(h.tickets for h in history),
        time.perf_counter() - started,
    )


def request_text(title: str, content: str) -> str:
    """What the model reads: the title and content as the rules read them."""
    return content if content.startswith(title) else f"{title}\n{content}"


def _pipeline(ngram_range: tuple[int, int] = NGRAM_RANGE) -> Any:
    from functools import partial

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    analyzer = grams if ngram_range == NGRAM_RANGE else partial(grams, low=ngram_range[0], high=ngram_range[1])
    vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, max_features=MAX_FEATURES)
    return make_pipeline(vectorizer, LogisticRegression(C=REGULARISATION, max_iter=2000))


def _cross_validate(texts: list[str], labels: list[str], groups: list[str], k: int) -> list[str]:
    """Each ticket's label as predicted by a model trained on the other folds."""
    import warnings

    from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict

    folds = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=0)
    with warnings.catch_warnings():  # a label with fewer distinct texts than folds is tested as it is
        warnings.simplefilter("ignore", UserWarning)
        predicted = cross_val_predict(_pipeline(), texts, labels, groups=groups, cv=folds)
    return [str(p) for p in predicted]


def fit_text_model(texts: list[str], labels: list[str], ngram_range: tuple[int, int] = NGRAM_RANGE) -> TextModel:
    """Train the classifier and hand it over as plain values (see domain.learning.TextModel);
    `ngram_range` other than the default is for measuring (benchmarks/bench_learning.py)."""
    return _fit(texts, labels, ngram_range)


def _fit(texts: list[str], labels: list[str], ngram_range: tuple[int, int] = NGRAM_RANGE) -> TextModel:
    pipeline = _pipeline(ngram_range).fit(texts, labels)
    vectorizer, classifier = pipeline[0], pipeline[-1]
    coef = classifier.coef_
    intercepts = [float(b) for b in classifier.intercept_]
    if coef.shape[0] == 1:  # two classes: one weight vector; softmax of (-z/2, z/2) is sigmoid(z)
        coef = [[-w / 2 for w in coef[0]], [w / 2 for w in coef[0]]]
        intercepts = [-intercepts[0] / 2, intercepts[0] / 2]
    else:
        coef = coef.tolist()
    classes = tuple(str(c) for c in classifier.classes_)
    weights = [float(w) for row in coef for w in row]  # class-major
    return TextModel(
        classes=classes,
        vocabulary={str(g): int(i) for g, i in vectorizer.vocabulary_.items()},
        idf=[float(v) for v in vectorizer.idf_],
        weights=weights,
        intercepts=intercepts,
        ngram_range=ngram_range,
    )


def _floats(values: Sequence[float]) -> bytes:
    """float32, little-endian, as stored."""
    packed = array("f", values)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def _unfloats(data: bytes) -> "array[float]":
    packed = array("f")
    packed.frombytes(data)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed


def _unit_table(history: list[HandledBy], classes: Sequence[str]) -> dict[str, dict[str, dict[str, int]]]:
    """label → place → unit (or "@street") → closed tickets, for the labels the model predicts and
    their first-level classes."""
    table: dict[str, dict[str, dict[str, int]]] = {}
    wanted = set(classes) | {first_level(c) for c in classes}
    for row in history:
        target = STREET_PLACEHOLDER if row.own_street else row.unit
        for key in {row.category, first_level(row.category)} & wanted:
            places = table.setdefault(key, {})
            for place in {row.street or ANY_PLACE, ANY_PLACE}:
                counts = places.setdefault(place, {})
                counts[target] = counts.get(target, 0) + row.tickets
    return table


def model_from(stored: StoredModel) -> LearnedModel:
    """The stored model as the stdlib predictor uses it."""
    model = stored.model
    low, high = model.get("ngram_range", NGRAM_RANGE)
    text = TextModel(
        classes=tuple(model["classes"]),
        vocabulary={gram: index for index, gram in enumerate(model["vocabulary"])},
        idf=_unfloats(stored.idf),
        weights=_unfloats(stored.weights),
        intercepts=tuple(model["intercepts"]),
        ngram_range=(int(low), int(high)),
    )
    return LearnedModel(stored.id, text, stored.units)


_LOADED: dict[tuple[str, int], LearnedModel] = {}


def current_model(conn: CaseConnection, db: str) -> LearnedModel | None:
    """The case file's newest model, loaded once per process (None before the first `rules learn`)."""
    from jiesu.store.learning import latest_model_id

    model_id = latest_model_id(conn)
    if model_id is None:
        return None
    key = (db, model_id)
    found = _LOADED.get(key)
    if found is None:
        stored = latest_model(conn)
        assert stored is not None
        _LOADED.clear()  # one model at a time: a newer one replaces it
        found = _LOADED[key] = model_from(stored)
    return found


@dataclass(frozen=True)
class ModelInfo:
    """The model in use, as `rules accuracy` and `rules learn` show it."""

    id: int
    trained_at: datetime
    tickets: int
    accuracy: float
    first_level_accuracy: float
    per_label: dict[str, tuple[int, int]]


def model_info(office: Office) -> ModelInfo | None:
    """The model in use and its cross-validated accuracy, or None before the first training."""
    with transaction(office.engine, write=False) as conn:
        stored = latest_model(conn)
    if stored is None:
        return None
    accuracy = stored.accuracy
    return ModelInfo(
        stored.id,
        stored.trained_at,
        stored.tickets,
        float(accuracy["overall"]),
        float(accuracy["first_level"]),
        {label: (int(n), int(k)) for label, (n, k) in accuracy["per_label"].items()},
    )


def suggest_for(office: Office, *, title: str, content: str, street: str | None) -> Suggestion | None:
    """The model's suggestion for one request, or None when there is no case file or no model yet
    (`rules explain` works without a case file)."""
    from jiesu.errors import CaseFileError

    try:
        engine = office.engine
    except CaseFileError:
        return None
    with transaction(engine, write=False) as conn:
        model = current_model(conn, office.db)
    return None if model is None else model.suggest(request_text(title, content), street)
