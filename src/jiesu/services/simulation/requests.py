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


# What the office's own people find on their rounds (主动发现): grid workers in the communities, and
# the street's and departments' patrols. Each is a problem a citizen could have called about.
FINDERS = (("grid", "网格员"), ("patrol", "城管巡查队"))


def discoveries(
    templates: list[Template], count: int, start: datetime, end: datetime, seed: int
) -> Iterator[dict[str, Any]]:
    """`count` problems found by grid workers or patrols (channel grid or patrol), during working hours,
    about what people complain of or report; no requester's phone, the finder named."""
    rng = random.Random(seed * 7919 + 1)
    found = [t for t in templates if t.kind in ("complain", "report") and t.address]
    if not found:
        return
    days = max(int((end - start).total_seconds() // 86400), 1)
    for index in range(count):
        template = rng.choice(found)
        channel, finder = rng.choice(FINDERS)
        created = start + timedelta(days=rng.randrange(days), hours=rng.uniform(1, 9))  # 09:00-17:00 in Beijing
        yield {
            "external_id": f"FOUND-{seed}-{index:06d}",
            "created_at": min(created, end - timedelta(seconds=1)),
            "kind": "report",
            "channel": channel,
            "name": finder,
            "address": template.address,
            "title": template.title,
            "content": f"{finder}发现：{template.content}",
        }
