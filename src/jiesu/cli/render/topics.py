"""`jiesu topics`: the named problems period by period, and next month's candidates, for scripts
(records, the same in both languages) and for people (two tables with a trend line each)."""

from typing import Any

from rich.table import Table

from jiesu.cli.labels import t
from jiesu.cli.render.common import add_plain_row
from jiesu.domain.periods import Period
from jiesu.services.topics import TopicsView

BARS = "▁▂▃▄▅▆▇█"


def trend(counts: list[int | None]) -> str:
    """The counts as a line of bars, lowest to highest (a blank where the problem was not followed)."""
    known = [c for c in counts if c is not None]
    top = max(known, default=0)
    if top == 0:
        return "".join(" " if c is None else BARS[0] for c in counts)
    return "".join(" " if c is None else BARS[round(c / top * (len(BARS) - 1))] for c in counts)


def _period(p: Period) -> dict[str, str]:
    return {"name": p.name, "from": p.first.isoformat(), "to": p.last.isoformat()}


def topics_record(view: TopicsView) -> dict[str, Any]:
    """`jiesu topics --format json`: periods oldest first; counts null before a problem's start."""
    return {
        "periods": [_period(p) for p in view.periods],
        "problems": [
            {"name": s.name, "start": s.start or None, "counts": s.counts, "change": s.change} for s in view.problems
        ],
        "next_period": _period(view.next_period),
        "candidate_periods": [_period(p) for p in view.candidate_periods],
        "candidates": [{"category": c.category, "counts": list(c.counts), "change": c.growth} for c in view.candidates],
    }


def _short(p: Period) -> str:
    """A month's period as a column heading: 26-03 for 2026-03."""
    return p.name[2:] if len(p.name) == 7 else p.name


def topics_tables(view: TopicsView, lang: str) -> list[Table]:
    """The named problems' table and the candidates' table."""
    problems = Table(title=t("topics_title", lang), title_justify="left")
    problems.add_column(t("report_name", lang), overflow="fold")
    for p in view.periods:
        problems.add_column(_short(p), justify="right")
    problems.add_column(t("report_change", lang), justify="right")
    problems.add_column(t("topics_trend", lang), no_wrap=True)
    for series in view.problems:
        cells = ["" if c is None else str(c) for c in series.counts]
        change = "" if series.change is None else f"{series.change:+d}"
        add_plain_row(problems, series.name, *cells, change, trend(series.counts))
    title = t("topics_candidates", lang).format(month=view.next_period.name)
    candidates = Table(title=title, title_justify="left")
    candidates.add_column(t("category", lang), overflow="fold")
    for p in view.candidate_periods:
        candidates.add_column(_short(p), justify="right")
    candidates.add_column(t("report_change", lang), justify="right")
    for c in view.candidates:
        add_plain_row(candidates, c.category, *(str(n) for n in c.counts), f"{c.growth:+d}")
    return [problems, candidates]
