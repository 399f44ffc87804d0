"""What an office's rules file says, as plain values: units, places, limit profiles, dispatch rules."""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from jiesu.domain.calendar import WorkCalendar
from jiesu.domain.durations import Duration, due
from jiesu.domain.times import local_date

STREET_PLACEHOLDER = "@street"  # "the street the address resolves to"


class UnitClass(StrEnum):
    """Units are ranked within their class (分级分类)."""

    STREET = "street"
    COMMUNITY = "community"
    DISTRICT_DEPT = "district_dept"
    CITY_DEPT = "city_dept"
    ENTERPRISE = "enterprise"


UNIT_CLASS_LABELS = {
    UnitClass.STREET: "街乡镇",
    UnitClass.COMMUNITY: "社区村",
    UnitClass.DISTRICT_DEPT: "区级部门",
    UnitClass.CITY_DEPT: "市级部门",
    UnitClass.ENTERPRISE: "公共服务企业",
}


@dataclass(frozen=True)
class Unit:
    """A handling unit (承办单位)."""

    code: str
    name: str
    unit_class: UnitClass
    parent: str = ""


@dataclass(frozen=True)
class Area:
    """Gazetteer entry: place names that lie in a street (and community)."""

    street: str
    community: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class LimitProfile:
    """How long a unit has to accept, to contact the requester, and to finish."""

    name: str
    accept: Duration
    contact: Duration
    finish: Duration


TEN_WORKING_DAYS = Duration(10, "wd")
HALF_AN_HOUR = Duration(30, "m")
A_WEEK = Duration(7, "d")
A_MONTH = Duration(30, "d")
TWO_HOURS = Duration(2, "h")
ONE_WORKING_DAY = Duration(1, "wd")


@dataclass(frozen=True)
class HandlingPolicy:
    """[handling]: how far extensions go, how long a reopened ticket gets, the whistle window."""

    max_extension: Duration = TEN_WORKING_DAYS  # beyond the current finish deadline
    reopen_limits: str = "default"  # the profile whose finish limit a reopened ticket gets
    whistle_within: Duration = HALF_AN_HOUR  # summoned departments report in within this


@dataclass(frozen=True)
class IntakePolicy:
    """[intake]: repeat requests and repeat callers (恶意反复拨打 review)."""

    repeat_lookback: Duration = A_WEEK
    repeat_overlap: float = 0.5
    repeat_callers_window: Duration = A_MONTH
    repeat_callers_threshold: int = 5


@dataclass(frozen=True)
class PrivacyPolicy:
    """[privacy]: who may reveal a confidential requester, and the group new files are shared with."""

    revealers: tuple[str, ...] | None = None  # OS logins; None (no key): the case file's owner only
    group: str = ""  # "": case files and rejects files are created 0600; a group: 0660, that group's


@dataclass(frozen=True)
class AssessmentPolicy:
    """[assessment]: the three rates, the composite's weights and the period (考评)."""

    period_start_day: int = 1  # 1 = calendar months; 19 = the 19th to the 18th
    response_weight: float = 0.1
    resolution_weight: float = 0.5
    satisfaction_weight: float = 0.4
    basically_weight: float = 0.9  # a "basically satisfied" answer counts this much
    hotspot_days: int = 7  # the hot-spot window
    hotspot_min: int = 5  # at least this many tickets in the window
    hotspot_baseline_windows: int = 4  # the baseline: this many windows before
    hotspot_p_value: float = 0.01  # how surprising the count must be under the baseline rate
    include_proactive: bool = False  # grid and patrol tickets (主动发现) count in the three rates too
    # 重复诉求: a request raised again this soon after its ticket closed as resolved counts against the
    # closed ticket's lead unit, as `repeat_weight` of an unresolved ticket
    repeat_window: Duration = A_MONTH
    repeat_weight: float = 1.0


@dataclass(frozen=True)
class LeadTime:
    """How long before a deadline to warn: a fixed time, or a share of the whole limit."""

    duration: Duration | None = None
    share: float | None = None  # 0.2 = the last 20% of the time between assignment and deadline


@dataclass(frozen=True)
class EscalationPolicy:
    """[escalation]: warnings before deadlines, and the coordination ladder (分级协调)."""

    warn_before: LeadTime = field(default_factory=lambda: LeadTime(duration=TWO_HOURS))
    escalate_after: Duration = ONE_WORKING_DAY  # unfinished this long after the finish deadline
    urgent_escalate_after: Duration = TWO_HOURS
    district_coordinator: str = "district-office"
    city_coordinator: str = "city-centre"


@dataclass(frozen=True)
class LearnPolicy:
    """[learn]: what the learned suggestions (`jiesu rules learn`) may do where no rule matches."""

    suggest: bool = True  # show a suggestion where no rule matches (at intake, dispatch, show, list)
    auto_dispatch: float | None = None  # dispatch on a suggestion this sure or surer; None: never


@dataclass(frozen=True)
class Rule:
    """One dispatch rule: conditions on a request, and what to do with a request that meets them."""

    index: int  # position in the file: ties in priority go to the earlier rule
    name: str
    priority: int = 0
    keywords_any: tuple[str, ...] = ()
    keywords_all: tuple[str, ...] = ()
    keywords_none: tuple[str, ...] = ()
    kinds: frozenset[str] = field(default_factory=frozenset)
    channels: frozenset[str] = field(default_factory=frozenset)
    districts: frozenset[str] = field(default_factory=frozenset)
    streets: frozenset[str] = field(default_factory=frozenset)
    categories: tuple[str, ...] = ()  # the request's own category starts with one of these
    category: str = ""
    lead: str = ""
    co: tuple[str, ...] = ()
    limits: str = "default"
    urgent: bool = False
    refer: str = ""

    def beats(self, other: "Rule") -> bool:
        """Whether this rule wins over `other` when both match: higher priority, then earlier."""
        return (self.priority, -self.index) > (other.priority, -other.index)

    @property
    def label(self) -> str:
        """How messages name the rule."""
        return f'rules[{self.index}] "{self.name}"'


def covers(general: Rule, specific: Rule) -> bool:
    """Whether `general` matches every request that `specific` matches (a sufficient test).

    Keywords are substrings, so a keyword is implied by any longer keyword that contains it.
    """

    def implied(keyword: str, present: tuple[str, ...]) -> bool:
        return any(keyword in word for word in present)

    if general.keywords_any:
        any_ok = (
            specific.keywords_any
            and all(any(k in word for k in general.keywords_any) for word in specific.keywords_any)
        ) or any(any(k in word for k in general.keywords_any) for word in specific.keywords_all)
        if not any_ok:
            return False
    for keyword in general.keywords_all:
        in_every_any = bool(specific.keywords_any) and all(keyword in word for word in specific.keywords_any)
        if not (implied(keyword, specific.keywords_all) or in_every_any):
            return False
    # general refuses texts with any of its keywords_none: specific must refuse them too
    for keyword in general.keywords_none:
        if not any(word in keyword for word in specific.keywords_none):
            return False
    for attribute in ("kinds", "channels", "districts", "streets"):
        wanted: frozenset[str] = getattr(general, attribute)
        given: frozenset[str] = getattr(specific, attribute)
        if wanted and not (given and given <= wanted):
            return False
    if not general.categories:
        return True
    return bool(specific.categories) and all(
        any(c.startswith(g) for g in general.categories) for c in specific.categories
    )


@dataclass(frozen=True)
class NamedProblem:
    """A problem the office follows month by month (每月一题), as `[[topics]]` names it.

    A ticket is about it when its title or content holds one of the keywords, or its category
    starts with one of the categories; with places, only tickets in those streets or communities.
    """

    index: int  # position in the file
    name: str
    keywords: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    places: tuple[str, ...] = ()  # street or community unit codes; empty: the whole district
    start: str = ""  # the first assessment month it is followed in, YYYY-MM; empty: always

    def followed_in(self, month: str) -> bool:
        """Whether the period named `month` (YYYY-MM, or a custom range) is on or after the start."""
        return not self.start or month[:7] >= self.start


@dataclass(frozen=True)
class RulesFile:
    """The office's configuration as loaded and checked from one rules file: calendar, limits, units,
    areas, policies, and its dispatch rules (`dispatch_rules`)."""

    path: str
    sha256: str
    office_name: str
    district: str
    timezone: ZoneInfo
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    limits: dict[str, LimitProfile] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    areas: tuple[Area, ...] = ()
    dispatch_rules: tuple[Rule, ...] = ()
    fallback: str = ""  # "" leaves unmatched requests for a person; "@street" or a unit code
    fallback_limits: str = "default"
    handling: "HandlingPolicy" = field(default_factory=lambda: HandlingPolicy())
    intake: "IntakePolicy" = field(default_factory=lambda: IntakePolicy())
    assessment: "AssessmentPolicy" = field(default_factory=lambda: AssessmentPolicy())
    escalation: "EscalationPolicy" = field(default_factory=lambda: EscalationPolicy())
    topics: tuple[NamedProblem, ...] = ()  # the named problems followed month by month
    privacy: "PrivacyPolicy" = field(default_factory=lambda: PrivacyPolicy())
    learn: "LearnPolicy" = field(default_factory=lambda: LearnPolicy())

    @cached_property
    def matcher(self) -> Any:
        """The dispatch rules compiled for matching (built on first use)."""
        from jiesu.domain.matching import RuleMatcher

        return RuleMatcher(self.dispatch_rules)

    @cached_property
    def gazetteer(self) -> Any:
        """The areas compiled for resolving addresses (built on first use)."""
        from jiesu.domain.matching import Gazetteer

        return Gazetteer(self.areas)

    def due(self, start: datetime, limit: Duration) -> datetime:
        """When a step started at `start` must be done by (UTC), on this office's calendar.

        Day-based limits depend only on the local start day, so they are memoised per day: a
        batch import computes each (day, limit) once instead of walking the calendar per ticket.
        """
        if limit.unit in ("m", "h"):
            return due(start, limit, self.calendar, self.timezone)
        key = (local_date(start, self.timezone), limit)
        found = self._day_deadlines.get(key)
        if found is None:
            found = self._day_deadlines[key] = due(start, limit, self.calendar, self.timezone)
        return found

    @cached_property
    def _day_deadlines(self) -> dict[tuple[date, Duration], datetime]:
        return {}

    def find_unit(self, text: str) -> Unit | None:
        """A unit by its code or its exact name."""
        key = text.strip()
        found = self.units.get(key)
        if found is not None:
            return found
        return next((u for u in self.units.values() if u.name == key), None)
