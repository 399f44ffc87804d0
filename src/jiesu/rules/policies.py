"""The rules file's policy sections, checked: [handling], [intake], [assessment], [escalation] and [learn]."""

from typing import Any

from jiesu.domain.catalogue import (
    AssessmentPolicy,
    EscalationPolicy,
    HandlingPolicy,
    IntakePolicy,
    LeadTime,
    LearnPolicy,
    LimitProfile,
    Unit,
)
from jiesu.domain.durations import Duration
from jiesu.rules.reading import SectionReader


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
