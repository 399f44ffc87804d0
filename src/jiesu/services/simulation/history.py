"""Plausible histories for dispatched tickets, drawn without touching the case file.

Most units accept and contact in time, some late; most finish in time; callbacks reach 95% of
requesters and come back resolved and satisfied 90–98% of the time, a few units visibly worse.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from jiesu.domain.enums import Action, AssignmentRole, Result, Satisfaction, Status
from jiesu.store.simulation import CallbackAnswers, LeadAssignment, PlayedOut

# The values looked up once: play_out runs for every generated ticket.
DISPATCHED, ACCEPTED, FINISHED, CLOSED = (
    s.value for s in (Status.DISPATCHED, Status.ACCEPTED, Status.FINISHED, Status.CLOSED)
)
ACCEPT, CONTACT, FINISH, CALLBACK, CLOSE = (
    a.value for a in (Action.ACCEPT, Action.CONTACT, Action.FINISH, Action.CALLBACK, Action.CLOSE)
)
RESOLVED = Result.RESOLVED.value
SATISFIED, BASICALLY, UNSATISFIED = (
    s.value for s in (Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.UNSATISFIED)
)


def unit_quality(units: list[str], rng: random.Random) -> dict[str, float]:
    """How well each unit works (0.6..1): most near the top, a few visibly worse."""
    return {code: (rng.uniform(0.6, 0.8) if rng.random() < 0.12 else rng.uniform(0.9, 1.0)) for code in units}


@dataclass(frozen=True)
class Steps:
    """When each step of a dispatched ticket would happen, and how the callback would go."""

    accepted: datetime
    contacted: datetime
    finished: datetime
    callback: datetime | None
    reached: bool
    resolved: bool
    satisfaction: str


def simulate_steps(rng: random.Random, quality: float, lead: LeadAssignment) -> Steps:
    """A plausible history for one lead assignment: good units are on time, weaker ones often late."""

    def before(due: datetime, start: datetime) -> datetime:
        window = max((due - start).total_seconds(), 60)
        if rng.random() < quality:
            return start + timedelta(seconds=rng.uniform(0.05, 0.9) * window)
        return due + timedelta(seconds=rng.uniform(0.05, 0.5) * window)

    assigned = lead.assigned_at
    accepted = before(lead.accept_due, assigned)
    contacted = max(before(lead.contact_due, assigned), accepted + timedelta(minutes=5))
    finished = max(before(lead.finish_due, assigned), contacted + timedelta(minutes=30))
    callback = finished + timedelta(hours=rng.uniform(4, 60))
    reached = rng.random() < 0.95
    resolved = rng.random() < 0.70 + 0.27 * quality
    roll = rng.random()
    if resolved:
        satisfaction = SATISFIED if roll < 0.62 + 0.33 * quality else BASICALLY if roll < 0.99 else UNSATISFIED
    else:
        satisfaction = UNSATISFIED if roll < 0.6 else BASICALLY
    return Steps(accepted, contacted, finished, callback, reached, resolved, satisfaction)


def play_out(lead: LeadAssignment, steps: Steps, now: datetime) -> PlayedOut:
    """The steps that have happened by `now`, each only once the one before it has: what the
    assignment and ticket record, and the events and callback that go with them."""
    events: list[tuple[datetime, str, dict[str, Any]]] = []
    accepted_at = contacted_at = finished_at = closed_at = None
    result = callback = None
    status = DISPATCHED
    if steps.accepted <= now:
        accepted_at, status = steps.accepted, ACCEPTED
        events.append((steps.accepted, ACCEPT, {"role": AssignmentRole.LEAD, "late": steps.accepted > lead.accept_due}))
    if steps.contacted <= now and status == ACCEPTED:
        contacted_at = steps.contacted
        events.append((steps.contacted, CONTACT, {"in_time": steps.contacted <= lead.contact_due}))
    if steps.finished <= now and contacted_at:
        finished_at, result, status = steps.finished, RESOLVED, FINISHED
        events.append((steps.finished, FINISH, {"result": result, "role": "lead"}))
    if steps.callback and steps.callback <= now and status == FINISHED:
        reached = steps.reached
        callback = CallbackAnswers(
            at=steps.callback,
            reached=reached,
            contacted=True if reached else None,
            resolved=steps.resolved if reached else None,
            satisfaction=steps.satisfaction if reached else None,
            closed=reached,
        )
        answers = {
            "reached": callback.reached,
            "contacted": callback.contacted,
            "resolved": callback.resolved,
            "satisfaction": callback.satisfaction,
        }
        events.append((steps.callback, CALLBACK, answers))
        if reached:
            status, closed_at = CLOSED, steps.callback
            events.append((steps.callback, CLOSE, {}))
    return PlayedOut(
        lead=lead,
        accepted_at=accepted_at,
        contacted_at=contacted_at,
        finished_at=finished_at,
        result=result,
        status=status,
        closed_at=closed_at,
        updated_at=closed_at or now,
        events=events,
        callback=callback,
    )
