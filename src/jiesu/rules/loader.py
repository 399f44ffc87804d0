"""Loading the rules file. A broken file never half-works: every problem is collected and reported."""

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jiesu.errors import RulesError

BUNDLED_RULES = Path(__file__).with_name("default.toml")
DEFAULT_TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Rules:
    """The office's configuration as loaded from one rules file."""

    path: str
    sha256: str
    office_name: str
    district: str
    timezone: ZoneInfo


def load_rules(path: Path) -> Rules:
    """Read and validate a rules file; raises RulesError listing every problem found."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RulesError(str(path), [f"cannot read the file: {exc.strerror or exc}"]) from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RulesError(str(path), ["the file is not UTF-8 text; save it as UTF-8"]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(str(path), [f"TOML syntax: {exc}"]) from exc
    problems: list[str] = []
    office = _table(data, "office", problems)
    timezone = _zone(office.get("timezone", DEFAULT_TIMEZONE), problems)
    if problems:
        raise RulesError(str(path), problems)
    return Rules(
        path=str(path),
        sha256=hashlib.sha256(raw).hexdigest(),
        office_name=str(office.get("name", "")),
        district=str(office.get("district", "")),
        timezone=timezone,
    )


def _table(data: dict[str, Any], key: str, problems: list[str]) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        problems.append(f"[{key}]: must be a table")
        return {}
    return value


def _zone(name: Any, problems: list[str]) -> ZoneInfo:
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(
            f"[office] timezone: unknown time zone {name!r}; use an IANA name such as Asia/Shanghai"
        )
        return ZoneInfo(DEFAULT_TIMEZONE)
