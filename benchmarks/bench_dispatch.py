"""Rule matching and dispatch speed: 1,000,000 tickets against a 2,000-rule file (CPU time).

    python benchmarks/bench_dispatch.py [--tickets 1000000] [--rules 2000] [--baseline 2000]

The rules' keywords are cut from the request taxonomy and from every other sample request
(sample_data/requests.csv); the tickets classified are generated from the other half, so no text is
classified by keywords cut from it. Prints:
- loading, checking and compiling the rules file;
- classification: the winning rule for each ticket (Aho-Corasick over UTF-8 bytes, then only the
  candidate rules checked), tickets/s, beside the plain way (each rule best first, `keyword in
  text` until one matches) on a sample, with the ratio and a check that both pick the same rules;
- full dispatch decisions (locate the address, pick the rule, compute the deadlines), tickets/s.
Batch intake with dispatch against its floor is bench_intake.py's.
"""

import argparse
import csv
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BEIJING

TAXONOMY = Path("/work/shared/data/citizen-request-taxonomy.csv")
SAMPLE_RULES = Path(__file__).resolve().parents[1] / "sample_data" / "dongcheng.toml"
SAMPLE_REQUESTS = Path(__file__).resolve().parents[1] / "sample_data" / "requests.csv"


def halves() -> tuple[list, list]:
    """The sample requests' templates: every other one for the rules' keywords, the rest for texts."""
    from jiesu.services.simulation import load_templates

    templates = load_templates(SAMPLE_REQUESTS)
    return templates[0::2], templates[1::2]


def vocabulary(rng: random.Random) -> list[str]:
    """Distinct 2-4 character Chinese words from the taxonomy and half of the sample requests."""
    words: set[str] = set()
    texts = []
    if TAXONOMY.exists():
        texts += [" ".join(row) for row in csv.reader(TAXONOMY.open(encoding="utf-8"))]
    texts += [f"{t.title} {t.content}" for t in halves()[0]]
    for text in texts:
        chinese = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")
        for size in (2, 3, 4):
            words.update(chinese[i : i + size] for i in range(len(chinese) - size + 1))
    pool = sorted(words)
    rng.shuffle(pool)
    return pool


def write_rules(path: Path, count: int, seed: int = 11) -> int:
    """The sample district's units and areas with `count` generated rules (3-6 keywords each).

    Rules that another rule always beats are dropped (the checker refuses them), so the file
    loads like a real one.
    """
    from jiesu.errors import RulesError
    from jiesu.rules import load_rules

    rng = random.Random(seed)
    text = SAMPLE_RULES.read_text(encoding="utf-8")
    head = text[: text.index("\n[[rules]]\n")]
    import tomllib

    units = [u["code"] for u in tomllib.loads(head)["units"]]
    words = iter(vocabulary(rng))
    rules = {}
    for made in range(1, count + 1):
        keywords = [next(words) for _ in range(rng.randint(3, 6))]
        lead = rng.choice(units + ["@street"] * 20)
        rules[f"generated-{made}"] = (
            "[[rules]]\n"
            f'name = "generated-{made}"\n'
            f"priority = {rng.randint(1, 500)}\n"
            f"keywords_any = [{', '.join(chr(34) + k + chr(34) for k in keywords)}]\n"
            f'category = "生成/{made}"\n'
            f'lead = "{lead}"\n'
            'limits = "default"\n'
        )
    for _ in range(5):
        path.write_text(head + "\n" + "\n".join(rules.values()), encoding="utf-8")
        try:
            load_rules(path)
            break
        except RulesError as exc:
            for problem in exc.problems:
                name = problem.split('"')[1] if "can never win" in problem else None
                rules.pop(name, None)
    return len(rules)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--rules", type=int, default=2_000)
    parser.add_argument("--baseline", type=int, default=2_000, help="tickets the plain way classifies")
    args = parser.parse_args()

    from jiesu.domain.dispatching import decide, locate
    from jiesu.rules import load_rules
    from jiesu.services.dispatch import request_of

    with tempfile.TemporaryDirectory(prefix="jiesu-bench-") as tmp:
        folder = Path(tmp)
        rules_path = folder / "rules.toml"
        made = write_rules(rules_path, args.rules)
        started = time.process_time()
        rules = load_rules(rules_path)
        rules.matcher  # noqa: B018  (compile)
        print(
            f"rules file: {made:,} generated rules + {len(rules.units)} units; load, check and compile "
            f"{time.process_time() - started:.2f} s"
        )

        from jiesu.services.simulation import requests as generated

        start = datetime(2025, 1, 1, tzinfo=BEIJING)
        rows = list(generated(halves()[1], min(args.tickets, 100_000), start, start + timedelta(days=365), 7))
        requests = [
            request_of(
                title=r["title"],
                content=r["content"],
                kind=r["kind"],
                channel=r["channel"],
                district="",
                street="",
                category="",
            )
            for r in rows
        ]
        matcher = rules.matcher
        started = time.process_time()
        done = 0
        hits = 0
        while done < args.tickets:
            for request in requests[: args.tickets - done]:
                hits += matcher.best(request) is not None
            done += min(len(requests), args.tickets - done)
        elapsed = time.process_time() - started
        print(
            f"classify  {done:>10,} tickets  {elapsed:6.2f} s  {done / elapsed:>9,.0f} tickets/s  "
            f"({hits / done:.0%} matched a rule)"
        )
        sample = requests[: args.baseline]
        ranked = sorted(rules.dispatch_rules, key=lambda r: (-r.priority, r.index))
        started = time.process_time()
        plain = [next((r.name for r in ranked if any(k in q.text for k in r.keywords_any)), None) for q in sample]
        plain_elapsed = time.process_time() - started
        ours = [m.rule.name if (m := matcher.best(q)) else None for q in sample]
        print(
            f"plain     {len(sample):>10,} tickets  {plain_elapsed:6.2f} s  {len(sample) / plain_elapsed:>9,.0f} "
            f"tickets/s  (each rule best first, keyword in text); jiesu is "
            f"{done / elapsed / (len(sample) / plain_elapsed):,.0f}× as fast; "
            f"{'same rules chosen' if plain == ours else 'DIFFERENT rules chosen'}"
        )

        now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
        sample = min(args.tickets, 200_000)
        started = time.process_time()
        for index in range(sample):
            row = rows[index % len(rows)]
            located = locate(rules, street=None, community=None, address=row["address"])
            decide(rules, requests[index % len(requests)], located, at=now)
        elapsed = time.process_time() - started
        print(
            f"decide    {sample:>10,} tickets  {elapsed:6.2f} s  {sample / elapsed:>9,.0f} tickets/s  "
            "(locate + rule + deadlines)"
        )


if __name__ == "__main__":
    main()
