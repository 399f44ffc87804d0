"""Loading the rules file. A broken file never half-works: every problem is collected and reported.

Each problem names where it is: the line of the `[[units]]`/`[[areas]]`/`[[rules]]` entry or of the
section, the entry's index and name, and the key, then what is wrong and how to fix it.
"""

import difflib
import hashlib
import re
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jiesu.domain.calendar import WorkCalendar, known_country
from jiesu.domain.catalogue import (
    STREET_PLACEHOLDER,
    Area,
    AssessmentPolicy,
    EscalationPolicy,
    HandlingPolicy,
    IntakePolicy,
    LeadTime,
    LimitProfile,
    Rule,
    RulesFile,
    Unit,
    UnitClass,
    covers,
)
from jiesu.domain.durations import Duration, parse_duration
from jiesu.domain.enums import Channel, Kind
from jiesu.errors import RulesError, UsageError

BUNDLED_RULES = Path(__file__).with_name("default.toml")
DEFAULT_TIMEZONE = "Asia/Shanghai"
UNIT_CODE = re.compile(r"[a-z0-9][a-z0-9-]*")

SECTION_KEYS: dict[str, set[str]] = {
    "office": {"name", "timezone", "district"},
    "calendar": {"country", "extra_holidays", "extra_workdays"},
    "limits": set(),  # any profile name
    "units": {"code", "name", "class", "parent"},
    "areas": {"street", "community", "names"},
    "rules": {
        "name",
        "priority",
        "keywords_any",
        "keywords_all",
        "keywords_none",
        "kinds",
        "channels",
        "districts",
        "streets",
        "categories",
        "category",
        "lead",
        "co",
        "limits",
        "urgent",
        "refer",
    },
    "dispatch": {"fallback", "limits"},
    "handling": {"max_extension", "reopen_limits", "whistle_within"},
    "intake": {"repeat_lookback", "repeat_overlap", "repeat_callers_window", "repeat_callers_threshold"},
    "assessment": {
        "period_start_day",
        "response_weight",
        "resolution_weight",
        "satisfaction_weight",
        "basically_weight",
        "hotspot_days",
        "hotspot_min",
        "hotspot_baseline_windows",
        "hotspot_p_value",
    },
    "escalation": {
        "warn_before",
        "escalate_after",
        "urgent_escalate_after",
        "district_coordinator",
        "city_coordinator",
    },
}
LIMIT_STEPS = ("accept", "contact", "finish")
# The profiles a rules file without a [limits] section gets (DOMAIN's defaults: a general request
# signed within a working day and finished in 7 days; an urgent one within hours), so a file with
# units only is a working configuration. A file with [limits] says all of its profiles itself.
BUILT_IN_LIMITS = {
    "default": {"accept": "1wd", "contact": "24h", "finish": "7d"},
    "urgent": {"accept": "30m", "contact": "2h", "finish": "24h"},
}


def load_rules(path: Path, *, deep: bool = False) -> RulesFile:
    """Read and check a rules file; raises RulesError listing every problem found.

    `deep` adds the checks that need slow imports (is the calendar country known to the holidays
    package?); commands skip them at start-up, and the calendar repeats that one on first use.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RulesError(str(path), [f"cannot read the file: {exc.strerror or exc}"]) from exc
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise RulesError(str(path), ["the file is not UTF-8 text; save it as UTF-8"]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(str(path), [f"TOML syntax: {_located(str(exc), text)}"]) from exc
    checker = _Checker(text, deep=deep)
    rules = checker.build(data, path=str(path), sha256=hashlib.sha256(raw).hexdigest())
    if checker.problems:
        raise RulesError(str(path), checker.problems)
    return rules


def _located(message: str, text: str) -> str:
    """tomllib's message, with a line and column also where it says only "at end of document"."""
    if message.endswith("(at end of document)"):
        line = text.count("\n") + 1
        column = len(text) - text.rfind("\n")
        return f"{message[: -len('(at end of document)')]}(at end of document, line {line}, column {column})"
    return message


def check_rules(path: Path) -> list[str]:
    """Every problem in the rules file (empty when it is fine)."""
    try:
        load_rules(path, deep=True)
    except RulesError as exc:
        return exc.problems
    return []


def deep_problems(rules: RulesFile) -> list[str]:
    """The problems `rules check` finds beyond a plain load, for rules already loaded: a command
    that works on the calendar refuses what `rules check` refuses, in the same words."""
    country = rules.calendar.country
    if known_country(country):
        return []
    try:
        text = Path(rules.path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    checker = _Checker(text)
    checker.unknown_country(country)
    return checker.problems


def deadlines_from(rules: RulesFile, start: datetime) -> list[datetime]:
    """Every deadline a ticket dispatched at `start` can get: each limit profile's steps, and each
    escalation period after its finish deadline (so the calendar sees every year they reach)."""
    found = []
    periods = (rules.escalation.escalate_after, rules.escalation.urgent_escalate_after)
    for profile in rules.limits.values():
        found += [rules.due(start, limit) for limit in (profile.accept, profile.contact)]
        finish = rules.due(start, profile.finish)
        found += [finish, *(rules.due(finish, period) for period in periods)]
    return found


def calendar_warning(rules: RulesFile) -> str | None:
    """One line when deadlines were counted over a year whose make-up working days (调休) are
    not known yet; None otherwise."""
    years = sorted(rules.calendar.unpublished_years)
    if not years:
        return None
    named = ", ".join(str(year) for year in years)
    return (
        f"Warning: the holidays package has no make-up working days (调休) for {named} yet, so working-day "
        f"deadlines there may be off; once the State Council publishes them, add them to [calendar] "
        f"extra_workdays in {rules.path}"
    )


class _Checker:
    """Builds the RulesFile while collecting problems instead of stopping at the first."""

    def __init__(self, text: str, *, deep: bool = False) -> None:
        self.problems: list[str] = []
        self._lines = text.splitlines()
        self._deep = deep  # also the checks that need slow imports (the holidays package)
        self._found_lines: dict[tuple[str, bool], list[int]] = {}

    # -- where things are -------------------------------------------------------------------

    def _line_of_section(self, name: str, array: bool = False) -> list[int]:
        found = self._found_lines.get((name, array))
        if found is None:
            pattern = re.compile(r"\s*\[\[\s*" + name + r"\s*\]\]" if array else r"\s*\[\s*" + name + r"\s*\]")
            found = [n for n, line in enumerate(self._lines, start=1) if pattern.match(line)]
            self._found_lines[(name, array)] = found
        return found

    def _entry_where(self, section: str, index: int, name: str = "") -> str:
        lines = self._line_of_section(section, array=True)
        named = f' "{name}"' if name else ""
        prefix = f"line {lines[index - 1]}: " if len(lines) >= index else ""
        return f"{prefix}{section}[{index}]{named}"

    def _section_where(self, section: str, key: str = "") -> str:
        lines = self._line_of_section(section)
        prefix = f"line {lines[0]}: " if lines else ""
        return f"{prefix}[{section}]" + (f" {key}" if key else "")

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    # -- typed reading --------------------------------------------------------------------

    def _string(self, table: dict[str, Any], key: str, where: str, default: str = "") -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            self.add(where, f"{key}: must be a string")
            return default
        return value.strip()

    def _strings(self, table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.add(where, f"{key}: must be a list of non-empty strings")
            return ()
        return tuple(dict.fromkeys(v.strip() for v in value))

    def _unknown_keys(self, table: dict[str, Any], section: str, where: str) -> None:
        for key in table:
            if key not in SECTION_KEYS[section]:
                close = difflib.get_close_matches(key, sorted(SECTION_KEYS[section]), n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                self.add(where, f"unknown key {key!r}{hint}")

    def _table(self, data: dict[str, Any], section: str) -> dict[str, Any]:
        value = data.get(section, {})
        if not isinstance(value, dict):
            self.add(self._section_where(section), "must be a table")
            return {}
        return value

    def _array(self, data: dict[str, Any], section: str) -> list[dict[str, Any]]:
        value = data.get(section, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.add(section, f"must be an array of tables ([[{section}]])")
            return []
        return value

    # -- sections ---------------------------------------------------------------------------

    def build(self, data: dict[str, Any], *, path: str, sha256: str) -> RulesFile:
        for section in data:
            if section not in SECTION_KEYS:
                close = difflib.get_close_matches(section, sorted(SECTION_KEYS), n=1)
                hint = f"; did you mean [{close[0]}]?" if close else ""
                self.add(section, f"unknown section {section!r}{hint}")
        office = self._table(data, "office")
        self._unknown_keys(office, "office", self._section_where("office"))
        timezone = self._zone(office.get("timezone", DEFAULT_TIMEZONE))
        calendar = self._calendar(self._table(data, "calendar"))
        limits = self._limits(self._table(data, "limits") if "limits" in data else BUILT_IN_LIMITS)
        units = self._units(self._array(data, "units"))
        areas = self._areas(self._array(data, "areas"), units)
        dispatch = self._table(data, "dispatch")
        rules = self._rules(self._array(data, "rules"), units, limits)
        fallback, fallback_limits = self._dispatch(dispatch, units, limits)
        handling = self._handling(self._table(data, "handling"), limits)
        intake = self._intake(self._table(data, "intake"))
        assessment = self._assessment(self._table(data, "assessment"))
        escalation = self._escalation(self._table(data, "escalation"), units)
        return RulesFile(
            path=path,
            sha256=sha256,
            office_name=self._string(office, "name", self._section_where("office")),
            district=self._string(office, "district", self._section_where("office")),
            timezone=timezone,
            calendar=calendar,
            limits=limits,
            units=units,
            areas=areas,
            dispatch_rules=rules,
            fallback=fallback,
            fallback_limits=fallback_limits,
            handling=handling,
            intake=intake,
            assessment=assessment,
            escalation=escalation,
        )

    def _zone(self, name: Any) -> ZoneInfo:
        try:
            return ZoneInfo(str(name))
        except (ZoneInfoNotFoundError, ValueError):
            self.add(
                self._section_where("office", "timezone"),
                f"unknown time zone {name!r}; use an IANA name such as Asia/Shanghai",
            )
            return ZoneInfo(DEFAULT_TIMEZONE)

    def _calendar(self, table: dict[str, Any]) -> WorkCalendar:
        where = self._section_where("calendar")
        self._unknown_keys(table, "calendar", where)
        country = self._string(table, "country", where, "CN")
        if country and not (re.fullmatch(r"[A-Z]{2,3}", country) and (not self._deep or known_country(country))):
            self.unknown_country(country)
            country = "CN"
        days: dict[str, list[date]] = {}
        for key in ("extra_holidays", "extra_workdays"):
            days[key] = []
            for value in table.get(key, []):
                if isinstance(value, date):
                    days[key].append(value)
                    continue
                try:
                    days[key].append(date.fromisoformat(str(value)))
                except ValueError:
                    self.add(
                        self._section_where("calendar", key),
                        f"cannot read {value!r} as a date; use YYYY-MM-DD",
                    )
        both = set(days["extra_holidays"]) & set(days["extra_workdays"])
        for day in sorted(both):
            self.add(where, f"{day} is both an extra holiday and an extra workday")
        return WorkCalendar(country or "CN", days["extra_holidays"], days["extra_workdays"])

    def unknown_country(self, country: str) -> None:
        self.add(
            self._section_where("calendar", "country"),
            f"unknown country {country!r}; use an ISO code such as CN",
        )

    def _limits(self, table: dict[str, Any]) -> dict[str, LimitProfile]:
        profiles: dict[str, LimitProfile] = {}
        for name, steps in table.items():
            where = self._section_where("limits", name)
            if not isinstance(steps, dict):
                self.add(where, 'must be a table such as { accept = "1wd", contact = "24h", finish = "7d" }')
                continue
            parsed = {}
            for step in LIMIT_STEPS:
                if step not in steps:
                    self.add(where, f"{step}: missing; give a time limit such as 24h or 5wd")
                    continue
                try:
                    parsed[step] = parse_duration(str(steps[step]), step)
                except UsageError as exc:
                    self.add(where, str(exc))
            for key in steps:
                if key not in LIMIT_STEPS:
                    self.add(where, f"unknown key {key!r}; a profile has accept, contact and finish")
            if len(parsed) == len(LIMIT_STEPS):
                profiles[name] = LimitProfile(name, parsed["accept"], parsed["contact"], parsed["finish"])
        if "default" not in table:
            self.add(
                "[limits]",
                'no "default" profile; add default = { accept = "1wd", contact = "24h", finish = "7d" }',
            )
        return profiles

    def _units(self, entries: list[dict[str, Any]]) -> dict[str, Unit]:
        units: dict[str, Unit] = {}
        first_at: dict[str, int] = {}
        parents: list[tuple[str, str, str]] = []
        for index, entry in enumerate(entries, start=1):
            where = self._entry_where("units", index, str(entry.get("name", "")))
            self._unknown_keys(entry, "units", where)
            code = self._string(entry, "code", where)
            name = self._string(entry, "name", where)
            if not code:
                self.add(where, 'code: missing; give a short code such as "qingyuan"')
                continue
            if not UNIT_CODE.fullmatch(code):
                self.add(where, f"code: {code!r} may hold only lowercase letters, digits and '-'")
            if code in first_at:
                self.add(where, f"duplicate unit code {code!r} (first at units[{first_at[code]}])")
                continue
            first_at[code] = index
            if not name:
                self.add(where, "name: missing; give the unit's full name")
            raw_class = self._string(entry, "class", where)
            try:
                unit_class = UnitClass(raw_class)
            except ValueError:
                allowed = " | ".join(c.value for c in UnitClass)
                self.add(where, f"class: unknown class {raw_class!r}; use one of {allowed}")
                unit_class = UnitClass.DISTRICT_DEPT
            parent = self._string(entry, "parent", where)
            parents.append((where, code, parent))
            units[code] = Unit(code, name or code, unit_class, parent)
        for where, code, parent in parents:
            if parent and parent not in units:
                self.add(where, f"parent: unknown unit code {parent!r}")
            elif parent == code:
                self.add(where, "parent: a unit cannot be its own parent")
        return units

    def _areas(self, entries: list[dict[str, Any]], units: dict[str, Unit]) -> tuple[Area, ...]:
        areas = []
        for index, entry in enumerate(entries, start=1):
            where = self._entry_where("areas", index)
            self._unknown_keys(entry, "areas", where)
            street = self._string(entry, "street", where)
            community = self._string(entry, "community", where)
            names = self._strings(entry, "names", where)
            if street not in units or units[street].unit_class is not UnitClass.STREET:
                self.add(
                    where,
                    f"street: unknown street {street!r}; it must be the code of a [[units]] entry "
                    'with class = "street"',
                )
            if community and (community not in units or units[community].unit_class is not UnitClass.COMMUNITY):
                self.add(
                    where,
                    f"community: unknown community {community!r}; it must be the code of a [[units]] entry "
                    'with class = "community"',
                )
            if not names:
                self.add(where, "names: give at least one place name")
            areas.append(Area(street, community, names))
        return tuple(areas)

    def _unit_ref(self, value: str, key: str, where: str, units: dict[str, Unit]) -> None:
        if value != STREET_PLACEHOLDER and value not in units:
            self.add(where, f"{key}: unknown unit code {value!r}; add it to [[units]] or fix the code")

    def _rules(
        self, entries: list[dict[str, Any]], units: dict[str, Unit], limits: dict[str, LimitProfile]
    ) -> tuple[Rule, ...]:
        rules: list[Rule] = []
        names: dict[str, int] = {}
        for index, entry in enumerate(entries, start=1):
            rule = self._rule(index, entry, units, limits, names)
            if rule is not None:
                rules.append(rule)
        self._shadowed(rules)
        return tuple(rules)

    def _rule(
        self,
        index: int,
        entry: dict[str, Any],
        units: dict[str, Unit],
        limits: dict[str, LimitProfile],
        names: dict[str, int],
    ) -> Rule | None:
        name = str(entry.get("name", "")).strip()
        where = self._entry_where("rules", index, name)
        self._unknown_keys(entry, "rules", where)
        self._rule_name(name, index, where, names)
        priority = entry.get("priority", 0)
        if not isinstance(priority, int) or isinstance(priority, bool):
            self.add(where, "priority: must be an integer")
            priority = 0
        kinds = self._choices(entry, "kinds", where, {k.value for k in Kind})
        channels = self._choices(entry, "channels", where, {c.value for c in Channel})
        streets = frozenset(self._strings(entry, "streets", where))
        for street in sorted(streets):
            if street not in units or units[street].unit_class is not UnitClass.STREET:
                self.add(where, f"streets: unknown street {street!r}")
        refer = self._string(entry, "refer", where)
        lead = self._string(entry, "lead", where)
        co = self._strings(entry, "co", where)
        limit_name = self._string(entry, "limits", where, "default")
        urgent = entry.get("urgent", False)
        if not isinstance(urgent, bool):
            self.add(where, "urgent: must be true or false")
            urgent = False
        if refer:
            for key in ("lead", "co", "limits"):
                if key in entry:
                    self.add(where, f"{key}: a refer rule closes the ticket as referred; it has no {key}")
        else:
            self._rule_target(lead, co, limit_name, where, units, limits)
        return Rule(
            index=index,
            name=name or f"#{index}",
            priority=priority,
            keywords_any=self._strings(entry, "keywords_any", where),
            keywords_all=self._strings(entry, "keywords_all", where),
            keywords_none=self._strings(entry, "keywords_none", where),
            kinds=kinds,
            channels=channels,
            districts=frozenset(self._strings(entry, "districts", where)),
            streets=streets,
            categories=self._strings(entry, "categories", where),
            category=self._string(entry, "category", where),
            lead=lead,
            co=co,
            limits=limit_name,
            urgent=urgent,
            refer=refer,
        )

    def _choices(self, entry: dict[str, Any], key: str, where: str, allowed: set[str]) -> frozenset[str]:
        values = self._strings(entry, key, where)
        for value in values:
            if value not in allowed:
                self.add(where, f"{key}: unknown value {value!r}; use {', '.join(sorted(allowed))}")
        return frozenset(values)

    def _rule_name(self, name: str, index: int, where: str, names: dict[str, int]) -> None:
        """Every rule has a name of its own; `names` remembers where each was first used."""
        if not name:
            self.add(where, "name: missing; every rule needs a unique name")
        elif name in names:
            self.add(where, f"name: duplicate rule name (first at rules[{names[name]}])")
        else:
            names[name] = index

    def _rule_target(
        self,
        lead: str,
        co: tuple[str, ...],
        limit_name: str,
        where: str,
        units: dict[str, Unit],
        limits: dict[str, LimitProfile],
    ) -> None:
        """A dispatching rule names a lead unit (or @street), known co-handlers and a known limit profile."""
        if not lead:
            self.add(where, 'lead: missing; give a unit code or "@street" (or refer = "…")')
        else:
            self._unit_ref(lead, "lead", where, units)
        for unit in co:
            self._unit_ref(unit, "co", where, units)
        if lead and lead in co:
            self.add(where, f"co: {lead!r} is already the lead unit")
        if limit_name not in limits:
            known = ", ".join(sorted(limits)) or "none"
            self.add(where, f"limits: unknown limit profile {limit_name!r}; known: {known}")

    def _shadowed(self, rules: list[Rule]) -> None:
        from jiesu.domain.matching import RuleMatcher

        # Only a rule whose keywords_any occur inside this rule's keywords (or that has none) can
        # cover it: find those with the same automaton dispatch uses, then test each pair.
        matcher = RuleMatcher(rules)
        for rule in rules:
            words = "\n".join((*rule.keywords_any, *rule.keywords_all))
            for other in matcher.candidates(words):
                if other is not rule and other.beats(rule) and covers(other, rule):
                    where = self._entry_where("rules", rule.index, rule.name)
                    self.add(
                        where,
                        f"can never win: {other.label} (priority {other.priority}) matches every request "
                        f"this rule matches and wins over it; raise this rule's priority or narrow the other",
                    )
                    break

    def _dispatch(
        self, table: dict[str, Any], units: dict[str, Unit], limits: dict[str, LimitProfile]
    ) -> tuple[str, str]:
        where = self._section_where("dispatch")
        self._unknown_keys(table, "dispatch", where)
        fallback = self._string(table, "fallback", where)
        if fallback:
            self._unit_ref(fallback, "fallback", where, units)
        limit_name = self._string(table, "limits", where, "default")
        if limit_name not in limits and "default" in limits:
            self.add(where, f"limits: unknown limit profile {limit_name!r}")
        return fallback, limit_name

    def _duration(
        self, table: dict[str, Any], key: str, where: str, default: Duration, units: tuple[str, ...]
    ) -> Duration:
        if key not in table:
            return default
        try:
            value = parse_duration(str(table[key]), key)
        except UsageError as exc:
            self.add(where, str(exc))
            return default
        if value.unit not in units:
            self.add(where, f"{key}: use {' or '.join(units)} here, not {value.unit}")
            return default
        return value

    def _handling(self, table: dict[str, Any], limits: dict[str, LimitProfile]) -> HandlingPolicy:
        where = self._section_where("handling")
        self._unknown_keys(table, "handling", where)
        defaults = HandlingPolicy()
        reopen = self._string(table, "reopen_limits", where, defaults.reopen_limits)
        if reopen not in limits and "default" in limits:
            self.add(where, f"reopen_limits: unknown limit profile {reopen!r}")
        return HandlingPolicy(
            max_extension=self._duration(table, "max_extension", where, defaults.max_extension, ("m", "h", "d", "wd")),
            reopen_limits=reopen,
            whistle_within=self._duration(table, "whistle_within", where, defaults.whistle_within, ("m", "h")),
        )

    def _intake(self, table: dict[str, Any]) -> IntakePolicy:
        where = self._section_where("intake")
        self._unknown_keys(table, "intake", where)
        defaults = IntakePolicy()
        overlap = table.get("repeat_overlap", defaults.repeat_overlap)
        if not isinstance(overlap, int | float) or isinstance(overlap, bool) or not 0 < overlap <= 1:
            self.add(where, "repeat_overlap: must be a number above 0 and at most 1, such as 0.5")
            overlap = defaults.repeat_overlap
        threshold = table.get("repeat_callers_threshold", defaults.repeat_callers_threshold)
        if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 2:
            self.add(where, "repeat_callers_threshold: must be a whole number of at least 2")
            threshold = defaults.repeat_callers_threshold
        return IntakePolicy(
            repeat_lookback=self._duration(table, "repeat_lookback", where, defaults.repeat_lookback, ("h", "d")),
            repeat_overlap=float(overlap),
            repeat_callers_window=self._duration(
                table, "repeat_callers_window", where, defaults.repeat_callers_window, ("h", "d")
            ),
            repeat_callers_threshold=threshold,
        )

    def _number(self, table: dict[str, Any], key: str, where: str, default: float, low: float, high: float) -> float:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            self.add(where, f"{key}: must be a number from {low:g} to {high:g}")
            return default
        return float(value)

    def _whole(self, table: dict[str, Any], key: str, where: str, default: int, low: int, high: int) -> int:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.add(where, f"{key}: must be a whole number from {low} to {high}")
            return default
        return value

    def _assessment(self, table: dict[str, Any]) -> AssessmentPolicy:
        where = self._section_where("assessment")
        self._unknown_keys(table, "assessment", where)
        d = AssessmentPolicy()
        weights = [
            self._number(table, key, where, getattr(d, key), 0, 1)
            for key in ("response_weight", "resolution_weight", "satisfaction_weight")
        ]
        if abs(sum(weights) - 1) > 1e-9:
            self.add(where, f"the three weights add up to {sum(weights):g}; they must add up to 1")
        return AssessmentPolicy(
            period_start_day=self._whole(table, "period_start_day", where, d.period_start_day, 1, 28),
            response_weight=weights[0],
            resolution_weight=weights[1],
            satisfaction_weight=weights[2],
            basically_weight=self._number(table, "basically_weight", where, d.basically_weight, 0, 1),
            hotspot_days=self._whole(table, "hotspot_days", where, d.hotspot_days, 1, 90),
            hotspot_min=self._whole(table, "hotspot_min", where, d.hotspot_min, 2, 100_000),
            hotspot_baseline_windows=self._whole(
                table, "hotspot_baseline_windows", where, d.hotspot_baseline_windows, 1, 52
            ),
            hotspot_p_value=self._number(table, "hotspot_p_value", where, d.hotspot_p_value, 1e-9, 0.5),
        )

    def _escalation(self, table: dict[str, Any], units: dict[str, Unit]) -> EscalationPolicy:
        where = self._section_where("escalation")
        self._unknown_keys(table, "escalation", where)
        d = EscalationPolicy()
        warn = d.warn_before
        raw = table.get("warn_before")
        if raw is not None:
            text = str(raw).strip()
            if text.endswith("%"):
                try:
                    share = float(text[:-1]) / 100
                except ValueError:
                    share = -1.0
                if not 0 < share < 1:
                    self.add(where, f"warn_before: {text!r} must be a share above 0% and below 100%, such as 20%")
                else:
                    warn = LeadTime(share=share)
            else:
                warn = LeadTime(
                    duration=self._duration(table, "warn_before", where, Duration(2, "h"), ("m", "h", "d", "wd"))
                )
        coordinators = {}
        for key in ("district_coordinator", "city_coordinator"):
            # Given: "" for none, else one of the units. Not given: the usual code where the rules
            # have that unit, else none; the ladder then stops at the highest unit there is.
            code = self._string(table, key, where, getattr(d, key))
            if isinstance(table.get(key), str) and code and code not in units:
                self.add(
                    where,
                    f'{key}: unknown unit code {code!r}; add it to [[units]], fix the code, or set "" for none',
                )
            coordinators[key] = code if code in units else ""
        return EscalationPolicy(
            warn_before=warn,
            escalate_after=self._duration(table, "escalate_after", where, d.escalate_after, ("m", "h", "d", "wd")),
            urgent_escalate_after=self._duration(
                table, "urgent_escalate_after", where, d.urgent_escalate_after, ("m", "h", "d", "wd")
            ),
            **coordinators,
        )
