"""Loading the rules file. A broken file never half-works: every problem is collected and reported.

Each problem names where it is: the line of the `[[units]]`/`[[areas]]`/`[[rules]]` entry or of the
section, the entry's index and name, and the key, then what is wrong and how to fix it.
"""

import difflib
import hashlib
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jiesu.domain.calendar import WorkCalendar, known_country
from jiesu.domain.catalogue import (
    STREET_PLACEHOLDER,
    Area,
    LimitProfile,
    Rule,
    RulesFile,
    Unit,
    UnitClass,
    covers,
)
from jiesu.domain.durations import parse_duration
from jiesu.domain.enums import Channel, Kind
from jiesu.errors import RulesError, UsageError
from jiesu.rules import cache
from jiesu.rules.policies import PolicyChecks
from jiesu.rules.reading import SECTION_KEYS

BUNDLED_RULES = Path(__file__).with_name("default.toml")
DEFAULT_TIMEZONE = "Asia/Shanghai"
UNIT_CODE = re.compile(r"[a-z0-9][a-z0-9-]*")

LIMIT_STEPS = ("accept", "contact", "finish")
# A keyword is a word or a short phrase; the matcher's automaton grows with their length.
MAX_KEYWORD = 100
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
    Without `deep`, a file whose content passed every check before comes from the cache of
    checked files (rules/cache.py) instead of being parsed and checked again.
    """
    if path.exists() and not path.is_file():  # reading a pipe would wait for a writer forever
        what = "a folder" if path.is_dir() else "not a regular file (a pipe, socket or device)"
        raise RulesError(str(path), [f"is {what}; name the rules file itself"])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RulesError(str(path), [f"cannot read the file: {exc.strerror or exc}"]) from exc
    sha256 = hashlib.sha256(raw).hexdigest()
    if not deep:
        known = cache.cached(sha256, str(path))
        if known is not None:
            return known
    import tomllib  # only when the file is not in the cache

    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise RulesError(str(path), ["the file is not UTF-8 text; save it as UTF-8"]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(str(path), [f"TOML syntax: {_located(str(exc), text)}"]) from exc
    checker = _Checker(text, deep=deep)
    rules = checker.build(data, path=str(path), sha256=sha256)
    if checker.problems:
        raise RulesError(str(path), checker.problems)
    cache.remember(rules)
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
    if rules.calendar.remembered or known_country(country):  # remembered: read from the package before
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


def _community_under_non_street(unit: Unit, parent: Unit) -> bool:
    return unit.unit_class is UnitClass.COMMUNITY and parent.unit_class is not UnitClass.STREET


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


class _Checker(PolicyChecks):
    """Builds the RulesFile while collecting problems instead of stopping at the first: the office,
    calendar, limits, units, areas, dispatch rules and fallback here; the policies in rules/policies.py."""

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
        topics = self._topics(self._array(data, "topics"), units)
        privacy = self._privacy(self._table(data, "privacy"))
        learn = self._learn(self._table(data, "learn"))
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
            topics=topics,
            privacy=privacy,
            learn=learn,
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
            values = table.get(key, [])
            if not isinstance(values, list):
                self.add(
                    self._section_where("calendar", key),
                    f'must be a list of days such as [2026-10-09] or ["2026-10-09"], not {values!r}',
                )
                continue
            for value in values:
                if isinstance(value, datetime):
                    self.add(
                        self._section_where("calendar", key),
                        f"{value.isoformat()} is a date and time; give the day alone, such as {value.date()}",
                    )
                    continue
                if isinstance(value, date):
                    days[key].append(value)
                    continue
                try:
                    day = date.fromisoformat(str(value))
                    if not 1900 <= day.year < 2200:
                        raise ValueError("out of range")
                    days[key].append(day)
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
            elif parent and _community_under_non_street(units[code], units[parent]):
                self.add(
                    where,
                    f"parent: {parent!r} is a {units[parent].unit_class.value}; a community's parent is "
                    'its street or township (class = "street")',
                )
        self._parent_cycles(parents, units)
        return units

    def _parent_cycles(self, parents: list[tuple[str, str, str]], units: dict[str, Unit]) -> None:
        """Refuse a chain of parents that comes back to where it started (escalation would climb it forever)."""
        where_of = {code: where for where, code, _ in parents}
        reported: set[str] = set()
        for _, start, _ in parents:
            chain = [start]
            parent = units[start].parent if start in units else ""
            while parent and parent in units and parent not in chain:
                chain.append(parent)
                parent = units[parent].parent
            if parent and parent in chain and parent != chain[-1] and start == parent and start not in reported:
                loop = chain[chain.index(parent) :]
                reported.update(loop)
                self.add(
                    where_of[start],
                    f"parent: the units' parents go round in a circle ({' → '.join([*loop, parent])}); "
                    "one of them must have no parent or a higher one",
                )

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
            keywords_any=self._keywords(entry, "keywords_any", where),
            keywords_all=self._keywords(entry, "keywords_all", where),
            keywords_none=self._keywords(entry, "keywords_none", where),
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

    def _keywords(self, entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        words = self._strings(entry, key, where)
        long = [word for word in words if len(word) > MAX_KEYWORD]
        if long:
            self.add(
                where,
                f"{key}: {long[0][:20]!r}… is {len(long[0])} characters long; a keyword is at most {MAX_KEYWORD} "
                "(a word or short phrase that appears in requests)",
            )
            return tuple(word for word in words if len(word) <= MAX_KEYWORD)
        return words

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
