"""A cache of checked rules files, keyed by the file's sha256: a command loads in milliseconds what
it would otherwise parse and check again (~0.1 s for the sample district's 281 rules).

A rules file that loaded without a problem is pickled to the cache folder under its sha256 and a
fingerprint of the code that reads it (jiesu's version, Python's, and the modification times of the
rules and domain modules), so a changed file, a new jiesu or an edited checker is loaded and checked
afresh. Only files that passed every check are cached, so a broken file is reported every time.
The cache is a convenience: a folder that cannot be read or written, or an entry that cannot be
unpickled, just means loading the file the long way.

The folder: $JIESU_CACHE_DIR, else $XDG_CACHE_HOME/jiesu, else ~/.cache/jiesu.
"""

import contextlib
import os
import pickle
import sys
from dataclasses import replace
from functools import cache
from pathlib import Path

from jiesu.cachedir import cache_dir
from jiesu.domain.catalogue import RulesFile
from jiesu.errors import JiesuError


@cache
def _code_fingerprint() -> str:
    """jiesu's and Python's versions and the latest change to the code that builds a RulesFile."""
    from jiesu import __version__

    package = Path(__file__).resolve().parents[1]
    latest = 0
    for folder in (package / "rules", package / "domain"):
        with os.scandir(folder) as entries:
            latest = max([latest, *(e.stat().st_mtime_ns for e in entries if e.name.endswith(".py"))])
    return f"{__version__}-py{sys.version_info[0]}{sys.version_info[1]}-{latest:x}"


def _entry(sha256: str) -> Path:
    return cache_dir() / f"rules-{sha256}-{_code_fingerprint()}.pickle"


def cached(sha256: str, path: str) -> RulesFile | None:
    """The checked rules file with this content, if the cache holds it (its path set to `path`)."""
    try:
        with _entry(sha256).open("rb") as stream:
            rules = pickle.load(stream)
    except Exception:  # missing, unreadable, or written by an incompatible jiesu: load afresh
        return None
    if not isinstance(rules, RulesFile) or rules.sha256 != sha256:
        return None
    return rules if rules.path == path else replace(rules, path=path)


# The years whose official calendar a cached rules file keeps (WorkCalendar.remember_years), so a
# command computing deadlines in them never imports the holidays package; others still ask it.
CALENDAR_YEARS = range(2015, 2036)


def remember(rules: RulesFile) -> None:
    """Keep a rules file that passed every check, with its calendar's official years read in
    (written atomically; failures are ignored). The RulesFile handed in is left as it was."""
    entry = _entry(rules.sha256)
    partial = entry.with_name(f".{entry.name}.{os.getpid()}")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        kept = pickle.loads(pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL))
        kept.calendar.remember_years(CALENDAR_YEARS)
        with partial.open("wb") as stream:
            pickle.dump(kept, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, entry)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, JiesuError):  # JiesuError: unknown country
        with contextlib.suppress(OSError):
            partial.unlink()
