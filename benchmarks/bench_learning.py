"""Learned dispatch suggestions: accuracy on labelled messages, learning time, predictions per second.

    python benchmarks/bench_learning.py [--tickets 100000] [--labelled FILE.csv] [--skip-speed]

1. The sample data: the 69 hand-written requests of sample_data/requests.csv that carry a
   category a person gave (15 first-level classes, most with 1–7 requests). Cross-validated
   (5 folds, identical texts kept in one fold): first-level accuracy of the model, beside the
   sample rules' (dongcheng.toml) on the same requests.
2. The labelled set in benchmarks/data/ (see its README): 630 citizen messages in the 7 first-level
   classes of shared/data/citizen-request-taxonomy.csv, labelled with its full paths, written by
   three authors who never saw each other's messages nor jiesu's rules or model. Trained on the 420
   of authors A and B, tested on the 210 of author C: first-level accuracy per class, the sample
   rules' on the same held-out messages, the n-gram ranges 1–1, 1–2 and 1–3, and a learning curve
   (60, 120, 240 and 420 training messages).
   `--labelled FILE.csv` (columns title, content, category — e.g. a city's message-board export
   labelled by its staff) measures another set instead: a stratified 80/20 split with a fixed seed,
   trained on the 80%, first-level accuracy on the 20% it never saw, per class.
3. Speed: a case file of N generated tickets with complete histories (jiesu.services.simulation;
   the ~20% whose sample had a category carry it as a clerk's label), then the whole
   `rules learn` (read, cross-validate, fit, store) and the stdlib predictor over all N tickets'
   texts (no scikit-learn or numpy imported for it), and the cost of loading the model.
"""

import argparse
import csv
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "sample_data" / "dongcheng.toml"
SAMPLES = ROOT / "sample_data" / "requests.csv"
DATA = ROOT / "benchmarks" / "data"
TRAINING = (DATA / "messages-a.csv", DATA / "messages-b.csv")  # authors A and B: trained on
HELD_OUT = DATA / "messages-c.csv"  # author C: never trained on
NOW = datetime(2026, 11, 26, tzinfo=UTC)


def rules_first_level(rows: list[dict[str, str]]) -> list[str | None]:
    """The first-level class the sample rules give each request (None: no rule set a category)."""
    from jiesu.domain.dispatching import decide, locate
    from jiesu.domain.learning import first_level
    from jiesu.rules import load_rules
    from jiesu.services.dispatch import request_of

    rules = load_rules(RULES)
    found: list[str | None] = []
    for r in rows:
        located = locate(rules, street=r["street"] or None, community=r["community"] or None, address=r["address"])
        request = request_of(
            title=r["title"],
            content=r["content"],
            kind=r["kind"],
            channel=r["channel"],
            district=r["district"],
            street=located.street,
            category=None,
        )
        category = decide(rules, request, located, at=NOW).category
        found.append(first_level(category) if category else None)
    return found


def sample_accuracy() -> None:
    from jiesu.domain.learning import first_level, normalise
    from jiesu.services.learning import _cross_validate, request_text

    with SAMPLES.open(encoding="utf-8", newline="") as stream:
        rows = [r for r in csv.DictReader(stream) if r["category"]]
    texts = [request_text(r["title"], r["content"]) for r in rows]
    labels = [first_level(r["category"]) for r in rows]
    counts = Counter(labels)
    keep = [i for i, label in enumerate(labels) if counts[label] >= 2]  # a class needs two to be tested
    texts_kept = [texts[i] for i in keep]
    labels_kept = [labels[i] for i in keep]
    started = time.perf_counter()
    predicted = _cross_validate(texts_kept, labels_kept, [normalise(t) for t in texts_kept], 5)
    seconds = time.perf_counter() - started
    model_right = sum(p == label for p, label in zip(predicted, labels_kept, strict=True))
    by_rules = rules_first_level([rows[i] for i in keep])
    rules_right = sum(p == label for p, label in zip(by_rules, labels_kept, strict=True))
    print(f"1. sample_data/requests.csv, the {len(rows)} requests with a category a person gave")
    print(f"   {len(keep)} in the {len(set(labels_kept))} first-level classes with at least 2 requests")
    print(
        f"   model, 5-fold cross-validated: {model_right}/{len(keep)} = {model_right / len(keep):.1%} ({seconds:.1f} s)"
    )
    print(f"   sample rules (dongcheng.toml):  {rules_right}/{len(keep)} = {rules_right / len(keep):.1%}")


def read_labelled(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return [r for r in csv.DictReader(stream) if r.get("category")]


def held_out_accuracy() -> None:
    """Trained on authors A and B, tested on author C (module docstring, 2.)."""
    from jiesu.domain.learning import classify, first_level
    from jiesu.services.learning import fit_text_model, request_text

    train = [r for path in TRAINING for r in read_labelled(path)]
    test = read_labelled(HELD_OUT)
    test_x = [request_text(r["title"], r["content"]) for r in test]
    test_y = [first_level(r["category"]) for r in test]

    def fitted(rows: list[dict[str, str]], ngram_range: tuple[int, int] = (1, 2)) -> tuple[Counter[str], float]:
        started = time.perf_counter()
        model = fit_text_model(
            [request_text(r["title"], r["content"]) for r in rows],
            [first_level(r["category"]) for r in rows],
            ngram_range,
        )
        seconds = time.perf_counter() - started
        right: Counter[str] = Counter()
        for text, label in zip(test_x, test_y, strict=True):
            right[label] += classify(model, text)[0][0] == label
        return right, seconds

    def share(right: Counter[str]) -> str:
        return f"{sum(right.values())}/{len(test)} = {sum(right.values()) / len(test):.1%}"

    total = Counter(test_y)
    right, seconds = fitted(train)
    print(f"2. benchmarks/data: trained on {len(train)} messages (authors A, B), tested on {len(test)} (author C)")
    print(f"   held-out first-level accuracy, model (1–2 character grams): {share(right)} (training {seconds:.1f} s)")
    by_rules = rules_first_level(
        [
            {**r, "street": "", "community": "", "address": "", "kind": "complain", "channel": "web", "district": ""}
            for r in test
        ]
    )
    rules_right = Counter(label for label, got in zip(test_y, by_rules, strict=True) if got == label)
    no_rule = sum(got is None for got in by_rules)
    print(
        f"   sample rules (dongcheng.toml) on the same messages: {share(rules_right)} ({no_rule} matched no category)"
    )
    print(f"   {'class':<12} {'model':>9} {'rules':>9}")
    for label, n in total.most_common():
        print(f"   {label:<12} {right[label]:>4}/{n:<4} {rules_right[label]:>4}/{n:<4}")
    for ngram_range in ((1, 1), (1, 3)):
        other, seconds = fitted(train, ngram_range)
        print(
            f"   {ngram_range[0]}–{ngram_range[1]} character grams instead: {share(other)} (training {seconds:.1f} s)"
        )
    shuffled = train[:]
    random.Random(0).shuffle(shuffled)
    for per_class in (10, 20, 40):
        taken: Counter[str] = Counter()
        subset = []
        for r in shuffled:
            label = first_level(r["category"])
            if taken[label] < per_class:
                taken[label] += 1
                subset.append(r)
        curve, _ = fitted(subset)
        print(f"   trained on {len(subset)} messages ({per_class} per class): {share(curve)}")


def labelled_accuracy(path: Path) -> None:
    from sklearn.model_selection import train_test_split

    from jiesu.domain.learning import classify, first_level
    from jiesu.services.learning import fit_text_model, request_text

    rows = read_labelled(path)
    texts = [request_text(r.get("title", ""), r["content"]) for r in rows]
    labels = [first_level(r["category"]) for r in rows]
    train_x, test_x, train_y, test_y = train_test_split(texts, labels, test_size=0.2, random_state=0, stratify=labels)
    started = time.perf_counter()
    model = fit_text_model(train_x, train_y)
    seconds = time.perf_counter() - started
    right: Counter[str] = Counter()
    for text, label in zip(test_x, test_y, strict=True):
        right[label] += classify(model, text)[0][0] == label
    total = Counter(test_y)
    print(f"2. {path}: {len(train_x)} training messages, {len(test_x)} held out, {len(total)} first-level classes")
    print(
        f"   held-out first-level accuracy: {sum(right.values())}/{len(test_x)} = {sum(right.values()) / len(test_x):.1%}"
    )
    print(f"   (training {seconds:.1f} s)")
    for label, n in total.most_common():
        print(f"   {label:<12} {right[label]:>5}/{n:<5} {right[label] / n:.1%}")


def speed(count: int) -> None:
    from jiesu.services.context import Office
    from jiesu.services.learning import learn, model_from, request_text
    from jiesu.services.simulation import bulk_case_file, load_templates
    from jiesu.store.engine import transaction
    from jiesu.store.learning import latest_model, routed_tickets

    folder = Path(tempfile.mkdtemp(prefix="jiesu-bench-learning-"))
    office = Office(db=str(folder / "case.db"), rules_path=RULES, now=NOW, operator="bench", create=True)
    started = time.perf_counter()
    bulk_case_file(
        office,
        load_templates(SAMPLES),
        count,
        datetime(2025, 11, 1, tzinfo=UTC),
        datetime(2026, 11, 1, tzinfo=UTC),
    )
    print(f"3. a case file of {count:,} generated tickets ({time.perf_counter() - started:.0f} s to build)")
    learned = learn(office)
    print(
        f"   rules learn: {learned.tickets:,} labelled tickets, {len(learned.labels)} labels, "
        f"{learned.folds}-fold cross-validation and the final fit: {learned.seconds:.1f} s"
    )
    with transaction(office.engine, write=False) as conn:
        loaded = time.perf_counter()
        stored = latest_model(conn)
        assert stored is not None
        model = model_from(stored)
        loaded = time.perf_counter() - loaded
        tickets = [(request_text(t.title, t.content), t.street) for t in routed_tickets(conn, None, None)]
    random.Random(1).shuffle(tickets)
    started, cpu = time.perf_counter(), time.process_time()
    for text, street in tickets:
        model.suggest(text, street)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    heavy = sorted(name for name in ("sklearn", "numpy", "scipy") if name in sys.modules)
    print(f"   loading the model: {loaded * 1000:.0f} ms ({len(model.text.vocabulary):,} n-grams)")
    print(
        f"   stdlib predictor: {len(tickets):,} tickets in {seconds:.1f} s = {len(tickets) / seconds:,.0f} "
        f"predictions/s ({seconds / len(tickets) * 1e6:.0f} µs each; CPU time {cpu / len(tickets) * 1e6:.0f} µs)"
    )
    print(f"   (this process imported {', '.join(heavy)} for learning; jiesu intake never does)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--labelled", type=Path, help="CSV with title, content, category")
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    sample_accuracy()
    if args.labelled:
        labelled_accuracy(args.labelled)
    else:
        held_out_accuracy()
    if not args.skip_speed:
        speed(args.tickets)


if __name__ == "__main__":
    main()
