"""The three rates, the composite score and the ranking within a class (考评、三率).

- response rate = responded ÷ assessed, where responded = the unit recorded contact by the contact
  deadline and the requester did not answer "nobody contacted me" at the closing callback (the
  callback verifies the unit's claim; store/reports.py counts it)
- resolution rate = (answered "resolved" at callback − repeat_weight × repeats after close) ÷ assessed,
  where a repeat after close (重复诉求) is a resolved ticket the same requester (or the same place and
  category) raised again within the repeat window after it closed: it counts as not resolved
- satisfaction rate = (satisfied + basically_weight × basically satisfied) ÷ assessed
- composite = response_weight × response + resolution_weight × resolution + satisfaction_weight × satisfaction
Units are ranked within their class: highest composite first, then more assessed tickets, then code.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from jiesu.domain.catalogue import AssessmentPolicy


@dataclass(frozen=True)
class UnitCounts:
    """What the SQL counted for one lead unit in one period."""

    unit: str
    assessed: int
    contacted_in_time: int  # responded: in time by the unit's record, and not denied by the requester
    resolved: int
    satisfied: int
    basically_satisfied: int
    repeats_after_close: int = 0  # resolved tickets raised again within the repeat window (重复诉求)


@dataclass(frozen=True)
class UnitScore:
    """A unit's counts, rates (fractions 0..1) and rank within its class."""

    counts: UnitCounts
    unit_class: str
    response_rate: float
    resolution_rate: float
    satisfaction_rate: float
    composite: float
    rank: int


def rates(counts: UnitCounts, policy: AssessmentPolicy) -> tuple[float, float, float, float]:
    """(response, resolution, satisfaction, composite) for one unit; all 0 with nothing assessed."""
    if counts.assessed == 0:
        return 0.0, 0.0, 0.0, 0.0
    response = counts.contacted_in_time / counts.assessed
    resolution = (counts.resolved - policy.repeat_weight * counts.repeats_after_close) / counts.assessed
    satisfaction = (counts.satisfied + policy.basically_weight * counts.basically_satisfied) / counts.assessed
    composite = (
        policy.response_weight * response
        + policy.resolution_weight * resolution
        + policy.satisfaction_weight * satisfaction
    )
    return response, resolution, satisfaction, composite


CLASS_ORDER = ("street", "community", "district_dept", "city_dept", "enterprise")


def rank_units(counts: Iterable[UnitCounts], unit_classes: dict[str, str], policy: AssessmentPolicy) -> list[UnitScore]:
    """Every unit scored and ranked within its class; classes in the order given by `unit_classes`."""
    scored: dict[str, list[tuple[UnitCounts, tuple[float, float, float, float]]]] = {}
    for item in counts:
        scored.setdefault(unit_classes.get(item.unit, "unknown"), []).append((item, rates(item, policy)))
    result = []
    order = [*CLASS_ORDER, "unknown"]
    for unit_class in sorted(scored, key=lambda c: order.index(c) if c in order else len(order)):
        members = sorted(scored[unit_class], key=lambda m: (-m[1][3], -m[0].assessed, m[0].unit))
        for position, (item, (response, resolution, satisfaction, composite)) in enumerate(members, start=1):
            result.append(UnitScore(item, unit_class, response, resolution, satisfaction, composite, position))
    return result
