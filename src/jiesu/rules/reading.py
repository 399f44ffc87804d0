"""Reading a rules file's tables as the checker does: where each section and entry is (its line),
typed values with a problem recorded instead of an exception, unknown keys with a did-you-mean."""

import difflib
import re
from typing import Any

from jiesu.domain.durations import Duration, parse_duration
from jiesu.errors import UsageError

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
        "include_proactive",
        "repeat_window",
        "repeat_weight",
    },
    "topics": {"name", "keywords", "categories", "places", "start"},
    "privacy": {"revealers", "group"},
    "learn": {"suggest", "auto_dispatch"},
    "escalation": {
        "warn_before",
        "escalate_after",
        "urgent_escalate_after",
        "district_coordinator",
        "city_coordinator",
    },
}


class SectionReader:
    """Typed reading of the rules file's tables, collecting every problem with its location."""

    def __init__(self, text: str, *, deep: bool = False) -> None:
        self.problems: list[str] = []
        self._lines = text.splitlines()
        self._deep = deep  # also the checks that need slow imports (the holidays package)
        self._found_lines: dict[tuple[str, bool], list[int]] = {}

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

    def _flag(self, table: dict[str, Any], key: str, where: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.add(where, f"{key}: must be true or false")
            return default
        return value

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
