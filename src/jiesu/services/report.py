"""`jiesu report` and `jiesu hotspots`: the monthly assessment and what many people call about.

Counting happens in SQL (store/reports.py); the rates, ranks and changes are computed here and in
domain/assessment.py from those few aggregated rows.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from jiesu.domain.assessment import UnitScore, rank_units
from jiesu.domain.catalogue import UnitClass
from jiesu.domain.hotspots import is_hot, poisson_tail
from jiesu.domain.periods import Period, custom_period, months_back, parse_month, previous
from jiesu.errors import UsageError
from jiesu.services.context import Office
from jiesu.store.engine import transaction
from jiesu.store.reports import (
    intake_overview,
    numbers_in_window,
    overdue_by_unit,
    unit_counts,
    volume_by,
    window_counts,
)
from jiesu.store.tickets import UNITS

CLASS_ORDER = [c.value for c in UnitClass]
TOP_CATEGORIES = 15


@dataclass(frozen=True)
class Ranked:
    """One unit's line in the ranking, with the change against the previous period."""

    score: UnitScore
    name: str
    previous_rank: int | None
    previous_composite: float | None


@dataclass(frozen=True)
class Volume:
    """Tickets per value (a category, street, kind, …) with share and growth."""

    value: str | None
    label: str
    count: int
    share: float
    previous: int

    @property
    def growth(self) -> float | None:
        """Change against the previous period as a fraction (None when it had none)."""
        return None if self.previous == 0 else (self.count - self.previous) / self.previous


@dataclass(frozen=True)
class Overdue:
    """A unit's missed deadlines in the period."""

    unit: str
    name: str
    unit_class: str
    contact_overdue: int
    finish_overdue: int
    still_open: int


@dataclass(frozen=True)
class Topic:
    """A category's counts over three periods (a monthly-topic candidate)."""

    category: str
    counts: tuple[int, int, int]

    @property
    def growth(self) -> int:
        return self.counts[2] - self.counts[0]


@dataclass
class Report:
    """Everything `jiesu report` shows for one period."""

    period: Period
    previous: Period
    overview: dict[str, int]
    previous_overview: dict[str, int]
    by_kind: list[Volume]
    by_channel: list[Volume]
    ranking: list[Ranked]
    categories: list[Volume]
    streets: list[Volume]
    districts: list[Volume]
    overdue: list[Overdue]
    topics: list[Topic] = field(default_factory=list)
    topic_periods: list[Period] = field(default_factory=list)


def choose_period(office: Office, *, month: str | None, first: date | None, last: date | None) -> Period:
    """The period asked for: --month YYYY-MM, or --from DATE --to DATE."""
    start_day = office.rules.assessment.period_start_day
    if month and (first or last):
        raise UsageError("month", "give --month or --from/--to, not both")
    if month:
        return parse_month(month, start_day)
    if first and last:
        return custom_period(first, last)
    if first or last:
        raise UsageError("from", "give both --from and --to")
    raise UsageError("month", "give --month YYYY-MM (or --from DATE --to DATE)")


def _units(conn: Connection, office: Office) -> dict[str, tuple[str, str]]:
    known = {
        row.code: (row.name, row.unit_class)
        for row in conn.execute(select(UNITS.c.code, UNITS.c.name, UNITS.c.unit_class))
    }
    known.update({u.code: (u.name, u.unit_class.value) for u in office.rules.units.values()})
    return known


def _volumes(
    current: dict[str | None, int], before: dict[str | None, int], names: dict[str, tuple[str, str]], total: int
) -> list[Volume]:
    rows = [
        Volume(
            value,
            names.get(value, (value or "", ""))[0] if value else "",
            count,
            count / total if total else 0.0,
            before.get(value, 0),
        )
        for value, count in current.items()
    ]
    return sorted(rows, key=lambda v: (-v.count, v.value or ""))


def build_report(office: Office, period: Period, *, topics: bool = False) -> Report:
    """The assessment and volume tables for one period, against the previous one."""
    rules = office.rules
    tz = rules.timezone
    start_day = rules.assessment.period_start_day
    before = previous(period, start_day)
    start, end = period.bounds(tz)
    prev_start, prev_end = before.bounds(tz)
    as_of = min(office.now, end)
    with transaction(office.engine, write=False) as conn:
        names = _units(conn, office)
        classes = {
            code: unit_class
            for code, (_, unit_class) in sorted(
                names.items(), key=lambda i: CLASS_ORDER.index(i[1][1]) if i[1][1] in CLASS_ORDER else 99
            )
        }
        scores = rank_units(unit_counts(conn, start, end), classes, rules.assessment)
        earlier = {
            s.counts.unit: s for s in rank_units(unit_counts(conn, prev_start, prev_end), classes, rules.assessment)
        }
        overview = intake_overview(conn, start, end)
        previous_overview = intake_overview(conn, prev_start, prev_end)
        total = overview["taken_in"]

        def volumes(column: str) -> list[Volume]:
            return _volumes(
                volume_by(conn, column, start, end), volume_by(conn, column, prev_start, prev_end), names, total
            )

        report = Report(
            period=period,
            previous=before,
            overview=overview,
            previous_overview=previous_overview,
            by_kind=volumes("kind"),
            by_channel=volumes("channel"),
            ranking=[
                Ranked(
                    s,
                    names.get(s.counts.unit, (s.counts.unit, ""))[0],
                    earlier[s.counts.unit].rank if s.counts.unit in earlier else None,
                    earlier[s.counts.unit].composite if s.counts.unit in earlier else None,
                )
                for s in scores
            ],
            categories=volumes("category")[:TOP_CATEGORIES],
            streets=volumes("street"),
            districts=volumes("district"),
            overdue=[
                Overdue(
                    r.unit,
                    names.get(r.unit, (r.unit, ""))[0],
                    names.get(r.unit, ("", ""))[1],
                    int(r.contact_overdue),
                    int(r.finish_overdue),
                    int(r.still_open),
                )
                for r in sorted(
                    overdue_by_unit(conn, start, end, as_of),
                    key=lambda r: (-r.finish_overdue - r.contact_overdue, r.unit),
                )
            ],
        )
        if topics:
            report.topic_periods = months_back(period, 3, start_day)
            counts = [volume_by(conn, "category", *p.bounds(tz)) for p in report.topic_periods]
            report.topics = _topics(counts)
    return report


def _topics(counts: list[dict[str | None, int]]) -> list[Topic]:
    categories = {c for period in counts for c in period if c}
    topics = [Topic(c, (counts[0].get(c, 0), counts[1].get(c, 0), counts[2].get(c, 0))) for c in categories]
    growing = [t for t in topics if t.growth > 0]
    return sorted(growing, key=lambda t: (-t.growth, -t.counts[2], t.category))[:10]


@dataclass(frozen=True)
class Hotspot:
    """A value whose count in the window is well above its own baseline."""

    dimension: str  # category | street | community | address
    value: str
    label: str
    count: int
    baseline: float  # mean per window over the baseline windows
    p_value: float
    latest: datetime
    numbers: list[str]


HOTSPOT_DIMENSIONS = ("category", "street", "community", "address")


def find_hotspots(office: Office, *, days: int | None = None, minimum: int | None = None) -> list[Hotspot]:
    """Categories and places that are hot in the last `days` (see domain/hotspots.py for the test)."""
    policy = office.rules.assessment
    days = days or policy.hotspot_days
    minimum = minimum or policy.hotspot_min
    if days < 1 or minimum < 1:
        raise UsageError("days", "--days and --min must be at least 1")
    window = timedelta(days=days)
    end = office.now
    window_start = end - window
    baseline_start = window_start - window * policy.hotspot_baseline_windows
    found = []
    with transaction(office.engine, write=False) as conn:
        names = _units(conn, office)
        for dimension in HOTSPOT_DIMENSIONS:
            for row in window_counts(
                conn, dimension, baseline_start=baseline_start, window_start=window_start, end=end, minimum=minimum
            ):
                baseline = int(row.baseline) / policy.hotspot_baseline_windows
                current = int(row.current)
                if not is_hot(current, baseline, min_count=minimum, p_value=policy.hotspot_p_value):
                    continue
                label = names.get(row.value, (row.value, ""))[0] if dimension in ("street", "community") else row.value
                found.append(
                    Hotspot(
                        dimension,
                        row.value,
                        label,
                        current,
                        baseline,
                        poisson_tail(current, baseline),
                        _aware(row.latest),
                        numbers_in_window(conn, dimension, row.value, window_start, end),
                    )
                )
    return sorted(found, key=lambda h: (h.latest, h.count), reverse=True)


def _aware(value: Any) -> datetime:
    from datetime import UTC

    if isinstance(value, str):  # SQLite returns max() of a DATETIME column as text
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
