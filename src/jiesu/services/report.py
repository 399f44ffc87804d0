"""The monthly assessment (`jiesu report`), hot spots and routing accuracy, as data.

Counting happens in SQL (store/reports.py); the rates, ranks and changes are computed here and in
domain/assessment.py from those few aggregated rows. Results hold codes and numbers, never labels:
the CLI words them in either language, and its JSON is the same in both.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from jiesu.domain.assessment import UnitCounts, UnitScore, rank_units, rates
from jiesu.domain.catalogue import AssessmentPolicy, UnitClass
from jiesu.domain.hotspots import is_hot, poisson_tail
from jiesu.domain.periods import Period, custom_period, months_back, parse_month, previous
from jiesu.errors import UsageError
from jiesu.services.context import Office
from jiesu.services.governance import (
    ProactiveRate,
    ProblemPeriod,
    ZeroRequest,
    named_problems,
    proactive_rates,
    zero_request,
)
from jiesu.store.engine import CaseConnection, transaction
from jiesu.store.governance import proactive_by_street
from jiesu.store.reports import (
    intake_overview,
    intake_per_period,
    numbers_in_window,
    overdue_by_unit,
    returns_by_rule,
    unit_counts,
    unit_names,
    volume_by,
    window_counts,
)

CLASS_ORDER = [c.value for c in UnitClass]
TOP_CATEGORIES = 15


@dataclass(frozen=True)
class Ranked:
    """One unit's line in the ranking, with the change against the previous period."""

    score: UnitScore
    name: str
    previous_rank: int | None
    previous_composite: float | None

    @property
    def rank_change(self) -> int | None:
        """Places gained since the previous period (negative: lost); None when it was not ranked."""
        return None if self.previous_rank is None else self.previous_rank - self.score.rank

    @property
    def composite_change(self) -> float | None:
        """The composite score's change since the previous period; None when it was not ranked."""
        return None if self.previous_composite is None else self.score.composite - self.previous_composite


@dataclass(frozen=True)
class ClassScore:
    """One class of units taken together (分类): the counts of its units summed, and their rates."""

    unit_class: str
    counts: UnitCounts  # its `unit` is the class
    response_rate: float
    resolution_rate: float
    satisfaction_rate: float
    composite: float


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
        """Tickets in the latest period minus tickets in the first."""
        return self.counts[2] - self.counts[0]


@dataclass
class Report:
    """Everything `jiesu report` shows for one period: every class's units ranked, and every
    class's totals (callers showing one class pick its rows)."""

    period: Period
    previous: Period
    overview: dict[str, int]  # taken_in, answered, referred, guided, dispatched, merged, urgent, proactive
    previous_overview: dict[str, int]
    by_kind: list[Volume]
    by_channel: list[Volume]
    ranking: list[Ranked]  # class by class (domain/assessment.CLASS_ORDER), best first in each
    by_class: list[ClassScore]  # in the ranking's order of classes
    categories: list[Volume]
    streets: list[Volume]
    districts: list[Volume]
    overdue: list[Overdue]
    topics: list[Topic] = field(default_factory=list)
    topic_periods: list[Period] = field(default_factory=list)
    proactive: list[ProactiveRate] = field(default_factory=list)  # the whole office first, then streets
    named_problems: list[ProblemPeriod] = field(default_factory=list)  # with --topics
    zero_request: ZeroRequest | None = None  # with --zero-request


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


def _units(conn: CaseConnection, office: Office) -> dict[str, tuple[str, str]]:
    """code → (name, class) of every unit: the case file's, with the rules file's taking precedence."""
    known = unit_names(conn)
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


def build_report(office: Office, period: Period, *, topics: bool = False, zero_requests: bool = False) -> Report:
    """The assessment and volume tables for one period, against the previous one; with `topics` the
    named problems and the categories that grew most, with `zero_requests` the quiet communities."""
    with transaction(office.engine, write=False) as conn:
        return report_in(conn, office, period, topics=topics, zero_requests=zero_requests)


def report_in(
    conn: CaseConnection, office: Office, period: Period, *, topics: bool = False, zero_requests: bool = False
) -> Report:
    """`build_report` inside the caller's transaction (publishing computes it under the write lock)."""
    rules = office.rules
    tz = rules.timezone
    start_day = rules.assessment.period_start_day
    before = previous(period, start_day)
    start, end = period.bounds(tz)
    prev_start, prev_end = before.bounds(tz)
    names = _units(conn, office)
    overview = intake_overview(conn, start, end)

    def volumes(column: str) -> list[Volume]:
        current, earlier = volume_by(conn, column, start, end), volume_by(conn, column, prev_start, prev_end)
        return _volumes(current, earlier, names, overview["taken_in"])

    # one pass per period gives both the street volumes and the proactive discovery rates
    streets_now = proactive_by_street(conn, start, end)
    streets_before = proactive_by_street(conn, prev_start, prev_end)
    street_volumes = _volumes(
        {r.street: r.tickets for r in streets_now},
        {r.street: r.tickets for r in streets_before},
        names,
        overview["taken_in"],
    )

    ranking = _ranking(conn, names, rules.assessment, (start, end), (prev_start, prev_end))
    report = Report(
        period=period,
        previous=before,
        overview=overview,
        previous_overview=intake_overview(conn, prev_start, prev_end),
        by_kind=volumes("kind"),
        by_channel=volumes("channel"),
        ranking=ranking,
        by_class=_class_scores([r.score for r in ranking], rules.assessment),
        categories=volumes("category")[:TOP_CATEGORIES],
        streets=street_volumes,
        districts=volumes("district"),
        overdue=_overdue(conn, names, start, end, as_of=min(office.now, end)),
        proactive=proactive_rates(rules, streets_now, streets_before),
    )
    if topics:
        report.topic_periods = months_back(period, 3, start_day)
        report.topics = growing_categories([volume_by(conn, "category", *p.bounds(tz)) for p in report.topic_periods])
        report.named_problems = named_problems(conn, rules, period, (start, end), prev_start)
    if zero_requests:
        report.zero_request = zero_request(conn, rules, period)
    return report


def _ranking(
    conn: CaseConnection,
    names: dict[str, tuple[str, str]],
    policy: AssessmentPolicy,
    current: tuple[datetime, datetime],
    earlier: tuple[datetime, datetime],
) -> list[Ranked]:
    """Every unit assessed in the period, ranked within its class, with its rank the period before."""
    in_class_order = sorted(names.items(), key=lambda i: CLASS_ORDER.index(i[1][1]) if i[1][1] in CLASS_ORDER else 99)
    classes = {code: unit_class for code, (_, unit_class) in in_class_order}
    proactive = policy.include_proactive
    before = {
        s.counts.unit: s for s in rank_units(unit_counts(conn, *earlier, include_proactive=proactive), classes, policy)
    }
    return [
        Ranked(
            s,
            names.get(s.counts.unit, (s.counts.unit, ""))[0],
            before[s.counts.unit].rank if s.counts.unit in before else None,
            before[s.counts.unit].composite if s.counts.unit in before else None,
        )
        for s in rank_units(unit_counts(conn, *current, include_proactive=proactive), classes, policy)
    ]


def _class_scores(scores: list[UnitScore], policy: AssessmentPolicy) -> list[ClassScore]:
    """Each class's units taken together: counts summed, rates computed from the sums."""
    totals: dict[str, list[int]] = {}
    for score in scores:
        c = score.counts
        summed = totals.setdefault(score.unit_class, [0, 0, 0, 0, 0, 0])
        each = (c.assessed, c.contacted_in_time, c.resolved, c.satisfied, c.basically_satisfied, c.repeats_after_close)
        for i, count in enumerate(each):
            summed[i] += count
    result = []
    for unit_class, summed in totals.items():
        counts = UnitCounts(unit_class, *summed)
        result.append(ClassScore(unit_class, counts, *rates(counts, policy)))
    return result


def _overdue(
    conn: CaseConnection, names: dict[str, tuple[str, str]], start: datetime, end: datetime, *, as_of: datetime
) -> list[Overdue]:
    """Units with deadlines in the period missed by `as_of`, those with the most first."""
    rows = sorted(
        overdue_by_unit(conn, start, end, as_of), key=lambda r: (-r.finish_overdue - r.contact_overdue, r.unit)
    )
    return [
        Overdue(
            r.unit,
            names.get(r.unit, (r.unit, ""))[0],
            names.get(r.unit, ("", ""))[1],
            r.contact_overdue,
            r.finish_overdue,
            r.still_open,
        )
        for r in rows
    ]


def growing_categories(counts: list[dict[str | None, int]]) -> list[Topic]:
    """Monthly-topic candidates: the ten categories that grew most from the first period to the third."""
    categories = {c for period in counts for c in period if c}
    topics = [Topic(c, (counts[0].get(c, 0), counts[1].get(c, 0), counts[2].get(c, 0))) for c in categories]
    growing = [t for t in topics if t.growth > 0]
    return sorted(growing, key=lambda t: (-t.growth, -t.counts[2], t.category))[:10]


TREND_PERIODS = 12


@dataclass(frozen=True)
class TrendPoint:
    """One period of the intake trend: tickets taken in, dispatched and answered directly."""

    period: Period
    taken_in: int
    dispatched: int
    answered: int


def intake_trend(office: Office, period: Period, count: int = TREND_PERIODS) -> list[TrendPoint]:
    """The intake of the `count` periods ending with `period`, oldest first (one query)."""
    tz = office.rules.timezone
    periods = months_back(period, count, office.rules.assessment.period_start_day)
    with transaction(office.engine, write=False) as conn:
        counts = intake_per_period(conn, [p.bounds(tz) for p in periods])
    return [TrendPoint(p, c["taken_in"], c["dispatched"], c["answered"]) for p, c in zip(periods, counts, strict=True)]


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


# As far as [assessment] hotspot_days and hotspot_min may go in the rules file.
MAX_HOTSPOT_DAYS = 90
MAX_HOTSPOT_MIN = 100_000


def find_hotspots(
    office: Office, *, days: int | None = None, minimum: int | None = None, as_of: datetime | None = None
) -> list[Hotspot]:
    """Categories and places that are hot in the `days` before `as_of` (default: now; see
    domain/hotspots.py for the test)."""
    policy = office.rules.assessment
    days = policy.hotspot_days if days is None else days
    minimum = policy.hotspot_min if minimum is None else minimum
    if not 1 <= days <= MAX_HOTSPOT_DAYS:
        raise UsageError("days", f"{days} is out of range; give a window of 1 to {MAX_HOTSPOT_DAYS} days")
    if not 1 <= minimum <= MAX_HOTSPOT_MIN:
        raise UsageError("min", f"{minimum} is out of range; give a count of 1 to {MAX_HOTSPOT_MIN}")
    window = timedelta(days=days)
    end = as_of or office.now
    window_start = end - window
    baseline_start = window_start - window * policy.hotspot_baseline_windows
    found = []
    with transaction(office.engine, write=False) as conn:
        names = _units(conn, office)
        for dimension in HOTSPOT_DIMENSIONS:
            for row in window_counts(
                conn, dimension, baseline_start=baseline_start, window_start=window_start, end=end, minimum=minimum
            ):
                baseline = row.baseline / policy.hotspot_baseline_windows
                if not is_hot(row.current, baseline, min_count=minimum, p_value=policy.hotspot_p_value):
                    continue
                label = names.get(row.value, (row.value, ""))[0] if dimension in ("street", "community") else row.value
                found.append(
                    Hotspot(
                        dimension,
                        row.value,
                        label,
                        row.current,
                        baseline,
                        poisson_tail(row.current, baseline),
                        row.latest,
                        numbers_in_window(conn, dimension, row.value, window_start, end),
                    )
                )
    return sorted(found, key=lambda h: (h.latest, h.count), reverse=True)


@dataclass(frozen=True)
class RuleAccuracy:
    """A dispatch rule's lead assignments and how many the unit returned (退单)."""

    rule: str
    dispatched: int
    returned: int

    @property
    def accuracy(self) -> float:
        """The share of its dispatches that were not returned."""
        return 1 - self.returned / self.dispatched


def routing_accuracy(office: Office, *, since: datetime | None, until: datetime | None) -> list[RuleAccuracy]:
    """Per dispatch rule, lead assignments made in [since, until) and how many were returned; the
    rules with most returns first."""
    with transaction(office.engine, write=False) as conn:
        rows = returns_by_rule(conn, since, until)
    return [RuleAccuracy(r.rule, r.dispatched, r.returned) for r in rows]
