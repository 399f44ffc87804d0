"""Generated requests: the hand-written sample requests varied, with fresh times and callers.

A request's text, kind, channel and place come from a sample (sample_data/requests.csv); its
time, caller and phone are drawn, deterministically for a seed.
"""

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

CALLERS = ("王女士", "李先生", "张女士", "刘先生", "陈女士", "赵先生", "居民")


@dataclass(frozen=True)
class Template:
    """One sample request to vary."""

    kind: str
    channel: str
    address: str
    title: str
    content: str
    category: str = ""  # the clerk's category where the sample has one (it trains `rules learn`)


def load_templates(path: Path) -> list[Template]:
    """The sample requests that were dispatched or dispatchable (not answered or referred)."""
    with path.open(encoding="utf-8", newline="") as stream:
        return [
            Template(r["kind"], r["channel"], r["address"], r["title"], r["content"], r["category"])
            for r in csv.DictReader(stream)
            if not r["answer"] and not r["refer"]
        ]


def requests(
    templates: list[Template], count: int, start: datetime, end: datetime, seed: int
) -> Iterator[dict[str, Any]]:
    """`count` request rows (intake field names) with times spread over [start, end), in time order."""
    rng = random.Random(seed)
    span = (end - start).total_seconds()
    moments = sorted(rng.random() * span for _ in range(count))
    for index, offset in enumerate(moments):
        template = rng.choice(templates)
        created = start + timedelta(seconds=offset)
        hour = created.astimezone().hour
        if hour < 7 or hour > 22:  # fewer calls at night: move most of them into the day
            created += timedelta(hours=rng.choice((0, 8, 10)))
        yield {
            "external_id": f"GEN-{seed}-{index:08d}",
            "created_at": min(created, end - timedelta(seconds=1)),
            "kind": template.kind,
            "channel": template.channel,
            "name": rng.choice(CALLERS),
            "phone": f"1{rng.choice('35789')}{rng.randrange(10**9):09d}",
            "address": template.address,
            "title": template.title,
            "content": template.content,
            "category": template.category or None,
        }
