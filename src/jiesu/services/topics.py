"""`jiesu topics`: each named problem (每月一题) over its last periods, and candidates for next month.

The volumes of every named problem over every period come from one query (store/governance.py);
the candidates are the categories that grew most over the last three periods and that no named
problem follows yet by category.
"""

from dataclasses import dataclass

from jiesu.domain.periods import Period, following, months_back, parse_month, period_of
from jiesu.domain.times import local_date
from jiesu.errors import UsageError
from jiesu.services.context import Office
from jiesu.services.report import Topic, growing_categories
from jiesu.store.engine import transaction
from jiesu.store.governance import problem_counts
from jiesu.store.reports import volume_by

CANDIDATE_PERIODS = 3


@dataclass(frozen=True)
class ProblemSeries:
    """A named problem's tickets per period, oldest first; None where it was not followed yet."""

    name: str
    start: str
    counts: list[int | None]

    @property
    def change(self) -> int | None:
        """The latest period against the one before (None when either was not followed)."""
        last, before = self.counts[-1], self.counts[-2] if len(self.counts) > 1 else None
        return None if last is None or before is None else last - before


@dataclass(frozen=True)
class TopicsView:
    """The named problems over `periods`, and next month's candidates from the last three periods."""

    periods: list[Period]
    problems: list[ProblemSeries]
    next_period: Period
    candidate_periods: list[Period]
    candidates: list[Topic]


def follow_topics(office: Office, *, month: str | None, periods: int = 12) -> TopicsView:
    """The named problems of the rules file over the `periods` ending with `month` (default: this one)."""
    if not 2 <= periods <= 60:
        raise UsageError("periods", "must be from 2 to 60")
    rules = office.rules
    start_day, tz = rules.assessment.period_start_day, rules.timezone
    last = parse_month(month, start_day) if month else period_of(local_date(office.now, tz), start_day)
    shown = months_back(last, periods, start_day)
    bounds = [p.bounds(tz)[0] for p in shown] + [last.bounds(tz)[1]]
    covered = tuple(c for problem in rules.topics for c in problem.categories)
    with transaction(office.engine, write=False) as conn:
        volumes = [[0] * len(shown) for _ in rules.topics]
        for row in problem_counts(conn, rules.topics, bounds):
            volumes[row.problem][row.period] += row.tickets
        recent = months_back(last, CANDIDATE_PERIODS, start_day)  # however few periods are shown
        candidates = growing_categories([volume_by(conn, "category", *p.bounds(tz)) for p in recent])
    series = []
    for problem, counted in zip(rules.topics, volumes, strict=True):
        counts = zip(shown, counted, strict=True)
        series.append(
            ProblemSeries(problem.name, problem.start, [n if problem.followed_in(p.name) else None for p, n in counts])
        )
    return TopicsView(
        periods=shown,
        problems=series,
        next_period=following(last, start_day),
        candidate_periods=recent,
        candidates=[c for c in candidates if not c.category.startswith(covered)],
    )
