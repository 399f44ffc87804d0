"""Rule matching and dispatch speed: 1,000,000 tickets against a 2,000-rule file.

    python benchmarks/bench_dispatch.py [--tickets 1000000] [--rules 2000] [--intake-rows 200000]

Prints:
- loading and checking the rules file (every command does this at start-up);
- classification: the winning rule for each ticket (Aho-Corasick over UTF-8 bytes, then only the
  candidate rules checked), tickets/s;
- full dispatch decisions (locate the address, pick the rule, compute the deadlines), tickets/s;
- batch intake with dispatch against sqlite3.executemany (plain table, and jiesu's schema).
"""

import argparse
import csv
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import generate_rows

TAXONOMY = Path(__file__).resolve().parents[2] / "shared" / "data" / "citizen-request-taxonomy.csv"
SAMPLE_RULES = Path(__file__).resolve().parents[1] / "sample_data" / "dongcheng.toml"
SAMPLE_REQUESTS = Path(__file__).resolve().parents[1] / "sample_data" / "requests.csv"


def vocabulary(rng: random.Random) -> list[str]:
    """Distinct 2-4 character Chinese words from the taxonomy and the sample requests."""
    words: set[str] = set()
    texts = []
    for source in (TAXONOMY, SAMPLE_REQUESTS):
        if source.exists():
            texts += [" ".join(row) for row in csv.reader(source.open(encoding="utf-8"))]
    texts += [row[10] for row in generate_rows(200)]
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
    parser.add_argument("--intake-rows", type=int, default=200_000)
    args = parser.parse_args()

    from jiesu.domain.dispatching import decide, locate
    from jiesu.rules import load_rules
    from jiesu.services.dispatch import request_of

    with tempfile.TemporaryDirectory(prefix="jiesu-bench-") as tmp:
        folder = Path(tmp)
        rules_path = folder / "rules.toml"
        made = write_rules(rules_path, args.rules)
        started = time.perf_counter()
        rules = load_rules(rules_path)
        rules.matcher  # noqa: B018  (compile)
        print(
            f"rules file: {made:,} generated rules + {len(rules.units)} units; load, check and compile "
            f"{time.perf_counter() - started:.2f} s"
        )

        rows = list(generate_rows(min(args.tickets, 100_000)))
        requests = [
            request_of(title=r[9], content=r[10], kind=r[2], channel=r[3], district="", street="", category="")
            for r in rows
        ]
        matcher = rules.matcher
        started = time.perf_counter()
        done = 0
        hits = 0
        while done < args.tickets:
            for request in requests[: args.tickets - done]:
                hits += matcher.best(request) is not None
            done += min(len(requests), args.tickets - done)
        elapsed = time.perf_counter() - started
        print(
            f"classify  {done:>10,} tickets  {elapsed:6.2f} s  {done / elapsed:>9,.0f} tickets/s  "
            f"({hits / done:.0%} matched a rule)"
        )

        now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
        sample = min(args.tickets, 200_000)
        started = time.perf_counter()
        for index in range(sample):
            row = rows[index % len(rows)]
            located = locate(rules, street=None, community=None, address=row[6])
            decide(rules, requests[index % len(requests)], located, at=now)
        elapsed = time.perf_counter() - started
        print(
            f"decide    {sample:>10,} tickets  {elapsed:6.2f} s  {sample / elapsed:>9,.0f} tickets/s  "
            "(locate + rule + deadlines)"
        )

    import subprocess

    intake = Path(__file__).with_name("bench_intake.py")
    print(f"\nbatch intake with dispatch by the sample district rules ({args.intake_rows:,} rows):")
    subprocess.run(
        [sys.executable, str(intake), "--rows", str(args.intake_rows), "--rules", str(SAMPLE_RULES)], check=True
    )


if __name__ == "__main__":
    main()
