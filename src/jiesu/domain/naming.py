"""Units by what people type: a code, the full name, or an unambiguous part of the name.

Clerks know 北京市自来水集团 and 和平里街道, not `water-co` and `hepingli`. One pure function decides
what a typed unit means, so every option that names a unit (a step's `--unit`, dispatch's `--unit`
and `--co`, whistle's `--summon`, `list --unit/--street/--community`, intake's `--street`) reads
names the same way and fails the same way: ambiguous lists the matches, unknown the nearest.
"""

import difflib
from collections.abc import Collection, Mapping

from jiesu.domain.catalogue import Unit, UnitClass
from jiesu.errors import UsageError

NEAREST = 5  # how many near names an unknown unit's error offers
LISTED = 8  # how many matches an ambiguous name's error lists


def resolve_unit(
    units: Mapping[str, Unit],
    typed: str,
    field: str,
    *,
    classes: Collection[UnitClass] = (),
) -> Unit:
    """The one unit `typed` names among `units` (of `classes`, when given): its code (any case),
    its full name, or a part of the name that only one unit's name contains.

    Raises UsageError on `field` (exit 2) listing the matches when several units fit, or the
    nearest codes and names when none does."""
    found = find_unit(units, typed, field, classes=classes)
    if found is None:
        pool = [u for u in units.values() if not classes or u.unit_class in classes]
        raise UsageError(field, f"unknown unit {typed.strip()!r}{_nearest(pool, typed.strip())}; see `jiesu units`")
    return found


def find_unit(units: Mapping[str, Unit], typed: str, field: str, *, classes: Collection[UnitClass] = ()) -> Unit | None:
    """As `resolve_unit`, but None when no unit fits (free text may name a place outside the rules)."""
    key = typed.strip()
    if not key:
        raise UsageError(field, "give a unit code or name; see `jiesu units`")
    exact = units.get(key)
    if exact is not None and (not classes or exact.unit_class in classes):
        return exact
    pool = [u for u in units.values() if not classes or u.unit_class in classes]
    for matching in (
        [u for u in pool if u.code.lower() == key.lower()],
        [u for u in pool if u.name == key],
        [u for u in pool if key in u.name],
        [u for u in pool if key.lower() in u.code.lower()],
    ):
        if len(matching) == 1:
            return matching[0]
        if matching:
            named = [describe_unit(u) for u in sorted(matching, key=lambda u: u.code)]
            listed = ", ".join(named[:LISTED]) + (f", … (+{len(named) - LISTED})" if len(named) > LISTED else "")
            raise UsageError(field, f"{key!r} matches {len(matching)} units: {listed}; give the code or the full name")
    return None


def resolve_units(
    units: Mapping[str, Unit], typed: str, field: str, *, classes: Collection[UnitClass] = ()
) -> list[str]:
    """Codes for a comma-separated list of units (full-width commas and 、 too), each read as
    `resolve_unit` reads one; empty items are skipped."""
    items = typed.replace("，", ",").replace("、", ",").split(",")
    return [resolve_unit(units, item, field, classes=classes).code for item in items if item.strip()]


def describe_unit(unit: Unit) -> str:
    """A unit as an error or a list names it: 和平里街道 (hepingli)."""
    return f"{unit.name} ({unit.code})"


def _nearest(pool: list[Unit], key: str) -> str:
    names = {u.name: u for u in pool} | {u.code: u for u in pool}
    close = difflib.get_close_matches(key, list(names), n=NEAREST * 2, cutoff=0.4)
    found: list[Unit] = []
    for name in close:
        if names[name] not in found:
            found.append(names[name])
    return f"; nearest: {', '.join(describe_unit(u) for u in found[:NEAREST])}" if found else ""
