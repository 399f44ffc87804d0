"""The rules file's policy sections, checked: [handling], [intake], [assessment], [escalation],
[privacy], [learn], and the named problems followed month by month ([[topics]])."""

import re
from datetime import date
from typing import Any

from jiesu.domain.catalogue import (
    AssessmentPolicy,
    EscalationPolicy,
    HandlingPolicy,
    IntakePolicy,
    LeadTime,
    LearnPolicy,
    LimitProfile,
    NamedProblem,
    PrivacyPolicy,
    Unit,
    UnitClass,
)
from jiesu.domain.durations import Duration
from jiesu.rules.reading import SectionReader

# What POSIX systems accept as a user or group name (useradd's rule); a login may also be the
# `uid:1000` form jiesu records for a user id without an account.
GROUP_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\$?")
LOGIN_NAME = re.compile(GROUP_NAME.pattern + r"|uid:[0-9]+")


class PolicyChecks(SectionReader):
    """The policy sections; every value has a default, so a file without them works."""

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
            include_proactive=self._flag(table, "include_proactive", where, d.include_proactive),
            repeat_window=self._duration(table, "repeat_window", where, d.repeat_window, ("h", "d")),
            repeat_weight=self._number(table, "repeat_weight", where, d.repeat_weight, 0, 1),
        )

    def _topics(self, entries: list[dict[str, Any]], units: dict[str, Unit]) -> tuple[NamedProblem, ...]:
        """[[topics]]: the named problems (每月一题), each with a unique name and something to match."""
        topics: list[NamedProblem] = []
        first_at: dict[str, int] = {}
        for index, entry in enumerate(entries, start=1):
            name = entry.get("name", "")
            name = name.strip() if isinstance(name, str) else ""
            where = self._entry_where("topics", index, name)
            self._unknown_keys(entry, "topics", where)
            if not name:
                self.add(where, 'name: missing; give the problem\'s name, such as "拖欠工资"')
            elif name in first_at:
                self.add(where, f"name: duplicate topic name (first at topics[{first_at[name]}])")
            else:
                first_at[name] = index
            keywords = self._strings(entry, "keywords", where)
            categories = self._strings(entry, "categories", where)
            if not keywords and not categories:
                self.add(where, 'give keywords (e.g. ["拖欠工资", "欠薪"]) or categories (e.g. ["劳动和社会保障"])')
            places = self._strings(entry, "places", where)
            for place in places:
                if place not in units or units[place].unit_class not in (UnitClass.STREET, UnitClass.COMMUNITY):
                    self.add(where, f"places: unknown place {place!r}; use the code of a street or community unit")
            topics.append(
                NamedProblem(index, name or f"#{index}", keywords, categories, places, self._month(entry, where))
            )
        return tuple(topics)

    def _month(self, entry: dict[str, Any], where: str) -> str:
        """A topic's start: "YYYY-MM" (a TOML date counts by its month)."""
        value = entry.get("start", "")
        if isinstance(value, date):
            return f"{value.year:04d}-{value.month:02d}"
        text = value.strip() if isinstance(value, str) else None
        if text is None or (text and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text)):
            self.add(where, f'start: cannot read {value!r} as a month; use YYYY-MM such as "2026-01"')
            return ""
        return text

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

    def _privacy(self, table: dict[str, Any]) -> PrivacyPolicy:
        where = self._section_where("privacy")
        self._unknown_keys(table, "privacy", where)
        revealers: tuple[str, ...] | None = None
        if "revealers" in table:
            raw = table["revealers"]
            if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
                self.add(where, 'revealers: must be a list of OS logins, such as ["wangli", "zhaomin"]; [] for nobody')
                revealers = ()
            else:
                revealers = tuple(dict.fromkeys(v.strip() for v in raw))
                for login in revealers:
                    if not LOGIN_NAME.fullmatch(login):
                        self.add(where, f"revealers: {login!r} is not an OS login name (letters, digits, _ . -)")
        group = self._string(table, "group", where)
        if group and not GROUP_NAME.fullmatch(group):
            self.add(where, f"group: {group!r} is not an OS group name (letters, digits, _ . -)")
            group = ""
        elif group and self._deep and not _group_exists(group):
            self.add(where, f"group: there is no group {group!r} on this machine; create it or fix the name")
        return PrivacyPolicy(revealers=revealers, group=group)

    def _learn(self, table: dict[str, Any]) -> LearnPolicy:
        where = self._section_where("learn")
        self._unknown_keys(table, "learn", where)
        suggest = table.get("suggest", True)
        if not isinstance(suggest, bool):
            self.add(where, "suggest: must be true or false")
            suggest = True
        threshold = table.get("auto_dispatch")
        if threshold is not None and (
            not isinstance(threshold, int | float) or isinstance(threshold, bool) or not 0.5 <= threshold <= 1
        ):
            self.add(
                where,
                "auto_dispatch: must be a confidence from 0.5 to 1, such as 0.9 "
                "(leave it out to never dispatch on a suggestion alone)",
            )
            threshold = None
        return LearnPolicy(suggest=suggest, auto_dispatch=None if threshold is None else float(threshold))


def _group_exists(name: str) -> bool:
    try:
        import grp
    except ImportError:  # no POSIX groups: creating a file will say so
        return True
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True
