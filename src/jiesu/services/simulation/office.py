"""`jiesu demo`: one month in a district office, replayed through the real commands' code.

A fresh case file takes in the month's requests (the 344 hand-written samples for October 2026,
plus generated ones), and a simulated office works them in time order: units accept, contact,
return mis-dispatches, ask for extensions, whistle, finish; the centre approves or denies, calls
back (some unreachable, some unresolved and reopened), merges repeats, decides appeals; and
`escalate` runs every four hours. Everything is seeded, so a seed always gives the same month.
"""

import csv
import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from jiesu.domain.periods import parse_month
from jiesu.errors import JiesuError, RefusedError, UsageError
from jiesu.services.context import Office
from jiesu.services.simulation.requests import discoveries, load_templates, requests
from jiesu.services.simulation.samples import SAMPLE_MONTH, SAMPLE_REQUESTS, sample_data_dir
from jiesu.store.engine import transaction
from jiesu.store.simulation import LeadAssignment, active_lead, first_ticket_with

if TYPE_CHECKING:
    from jiesu.services.handling import StepDone

ESCALATE_EVERY = timedelta(hours=4)
# One ticket in this many more is a problem the office's own grid workers or patrols found.
PROACTIVE_SHARE = 8
# Of the tickets a unit accepts, this share is handled by guiding the requester to a market
# mechanism or a social force (a property company, a mediation committee) instead of finishing it.
GUIDED_SHARE = 0.03
GUIDANCE = (
    ("market", "经核实属于物业服务范围，已引导诉求人与小区物业服务企业协商解决"),
    ("social", "属于邻里纠纷，已引导诉求人到社区人民调解委员会申请调解"),
    ("social", "已引导诉求人到区法律援助中心咨询欠款事宜"),
)
# The actions whose tickets the demo shows whole, the first of each.
EXAMPLE_ACTIONS = ("reopen", "whistle")


@dataclass
class DemoResult:
    """What the demo did, for the CLI to show."""

    db: str
    month: str
    tickets: int = 0
    steps: int = 0
    refused: int = 0
    escalation_runs: int = 0
    escalation_actions: int = 0


@dataclass(order=True)
class _Task:
    at: datetime
    seq: int
    run: Callable[[], Any] = field(compare=False)


class _Office:
    """The simulated people: a clock, a queue of what happens next, and the seeded dice."""

    def __init__(self, office: Office, seed: int, end: datetime) -> None:
        self.office = office
        self.rng = random.Random(seed)
        self.end = end
        self.queue: list[_Task] = []
        self.seq = 0
        self.result = DemoResult(office.db, "")
        self.quality: dict[str, float] = {}

    def later(self, at: datetime, run: Callable[[], Any]) -> None:
        if at < self.end:
            self.seq += 1
            heapq.heappush(self.queue, _Task(at, self.seq, run))

    def act(self, at: datetime, step: Callable[[], Any]) -> Any:
        """Run a step as of `at`; a step the ticket no longer allows is counted, not fatal."""
        self.office.now = at
        try:
            outcome = step()
        except (RefusedError, UsageError):
            self.result.refused += 1
            return None
        self.result.steps += 1
        return outcome

    def unit_quality(self, unit: str) -> float:
        if unit not in self.quality:
            worse = self.rng.random() < 0.15
            self.quality[unit] = self.rng.uniform(0.45, 0.7) if worse else self.rng.uniform(0.86, 0.99)
        return self.quality[unit]

    def delay(self, start: datetime, due: datetime, quality: float) -> datetime:
        window = max((due - start).total_seconds(), 600.0)
        if self.rng.random() < quality:
            return start + timedelta(seconds=self.rng.uniform(0.05, 0.85) * window)
        return due + timedelta(seconds=self.rng.uniform(0.02, 0.4) * window)


def run_demo(
    office: Office,
    *,
    month: str,
    seed: int,
    generate: int,
    progress: Callable[[int, int], object] | None = None,
) -> DemoResult:
    """Replay `month` in office's fresh case file; `generate` requests are added to the samples."""
    rules = office.rules
    period = parse_month(month, rules.assessment.period_start_day)
    start, end = period.bounds(rules.timezone)
    sim = _Office(office, seed, end)
    sim.result.month = period.name
    samples = sample_data_dir() / SAMPLE_REQUESTS
    if not samples.is_file():
        raise UsageError(
            "sample-data", f"{samples} not found; reinstall jiesu, or set JIESU_SAMPLE_DATA to a sample_data folder"
        )
    rows: list[dict[str, Any]] = []
    if period.name == SAMPLE_MONTH:
        with samples.open(encoding="utf-8", newline="") as stream:
            rows = [dict(r) for r in csv.DictReader(stream)]
    templates = load_templates(samples)
    rows += list(requests(templates, generate, start, end, seed))
    rows += list(discoveries(templates, max(len(rows) // PROACTIVE_SHARE, 1), start, end, seed))
    for row in rows:
        at = row["created_at"] if isinstance(row["created_at"], datetime) else datetime.fromisoformat(row["created_at"])
        sim.later(at.astimezone(UTC), partial(_take_in, sim, row, at.astimezone(UTC)))
    clock = start
    while clock < end:
        clock += ESCALATE_EVERY
        moment = min(clock, end - timedelta(seconds=1))
        sim.later(moment, partial(_escalate, sim, moment))
    total = len(sim.queue)
    done = 0
    while sim.queue:
        task = heapq.heappop(sim.queue)
        task.run()
        done += 1
        if progress is not None and done % 50 == 0:
            progress(done, done + len(sim.queue) or total)
    if progress is not None:
        progress(done, done)
    office.now = end - timedelta(seconds=1)
    return sim.result


def _take_in(sim: _Office, row: dict[str, Any], at: datetime) -> None:
    from jiesu.services.intake import intake_request

    raw = {k: v for k, v in row.items() if k != "created_at"}
    outcome = sim.act(at, lambda: intake_request(sim.office, raw))
    if outcome is None:
        return
    result, ticket = outcome
    sim.result.tickets += 1
    if result.repeat_of and sim.rng.random() < 0.8:  # the agent spots the repeat and merges it
        original = result.repeat_of[-1][0]
        sim.later(
            at + timedelta(minutes=3),
            lambda: sim.act(at + timedelta(minutes=3), lambda: _merge(sim, result.number, original)),
        )
        return
    if ticket.status == "dispatched":
        _assigned(sim, result.number, at)


def _merge(sim: _Office, number: str, original: str) -> "StepDone":
    from jiesu.services.callback import merge

    return merge(sim.office, number, into=original)


def _lead(sim: _Office, number: str) -> LeadAssignment | None:
    with transaction(sim.office.engine, write=False) as conn:
        return active_lead(conn, number)


def _assigned(sim: _Office, number: str, at: datetime) -> None:
    """A unit has the ticket: it may return it, or accept it in good or bad time."""
    from jiesu.services import handling

    lead = _lead(sim, number)
    if lead is None:
        return
    unit = lead.unit
    quality = sim.unit_quality(unit)
    # units sign and call soon enough to meet the contact deadline too, when they are any good
    when = sim.delay(at, min(lead.accept_due, lead.contact_due), quality)
    if sim.rng.random() < 0.05:  # a mis-dispatch: the unit sends it back, the centre re-dispatches
        back = at + timedelta(minutes=sim.rng.uniform(20, 240))
        sim.later(back, lambda: _returned(sim, number, unit, back))
        return
    sim.later(
        when,
        lambda: (
            _accepted(sim, number, unit, when)
            if sim.act(when, lambda: handling.accept(sim.office, number, unit=unit))
            else None
        ),
    )


def _returned(sim: _Office, number: str, unit: str, at: datetime) -> None:
    from jiesu.services.dispatch import dispatch
    from jiesu.services.handling import return_ticket

    if sim.act(at, lambda: return_ticket(sim.office, number, unit=unit, reason="经核实不属于本单位职责")) is None:
        return
    again = at + timedelta(minutes=sim.rng.uniform(10, 90))

    def redispatch() -> None:
        results = sim.act(again, lambda: dispatch(sim.office, [number]))
        if results and results[0].decision.outcome.value == "dispatch":
            _assigned(sim, number, again)

    sim.later(again, redispatch)


def _accepted(sim: _Office, number: str, unit: str, at: datetime) -> None:
    from jiesu.services import handling

    lead = _lead(sim, number)
    if lead is None:
        return
    quality = sim.unit_quality(unit)
    contact_at = max(sim.delay(lead.assigned_at, lead.contact_due, quality), at + timedelta(minutes=5))
    sim.later(contact_at, lambda: sim.act(contact_at, lambda: handling.contact(sim.office, number, unit=unit)))
    if (
        unit in sim.office.rules.units
        and sim.office.rules.units[unit].unit_class.value == "street"
        and sim.rng.random() < 0.04
    ):
        whistle_at = at + timedelta(minutes=30)
        summoned = sim.rng.sample(["chengguan", "zhujianwei", "scjg", "sthjj"], 2)
        sim.later(whistle_at, lambda: _whistled(sim, number, unit, summoned, whistle_at))
    if sim.rng.random() < GUIDED_SHARE:  # better solved by a market mechanism or a social force
        guide_at = contact_at + timedelta(hours=sim.rng.uniform(1, 24))
        to, text = sim.rng.choice(GUIDANCE)
        sim.later(guide_at, lambda: sim.act(guide_at, lambda: _guide(sim, number, unit, to, text)))
        return
    finish_due = lead.finish_due
    if sim.rng.random() < 0.04:  # more time needed
        ask = contact_at + timedelta(hours=2)
        sim.later(ask, lambda: _extension(sim, number, unit, ask))
        finish_due += timedelta(days=3)
    finish_at = max(sim.delay(at, finish_due, quality), contact_at + timedelta(hours=1))
    sim.later(finish_at, lambda: _finished(sim, number, unit, finish_at))


def _guide(sim: _Office, number: str, unit: str, to: str, text: str) -> "StepDone":
    from jiesu.services.guidance import guide

    return guide(sim.office, number, to=to, text=text, unit=unit)


def _whistled(sim: _Office, number: str, unit: str, summoned: list[str], at: datetime) -> None:
    from jiesu.services import handling

    if sim.act(at, lambda: handling.whistle(sim.office, number, unit=unit, summon=summoned)) is None:
        return
    for code in summoned:
        report_in = at + timedelta(minutes=sim.rng.uniform(5, 45))  # some report in after 30 minutes
        sim.later(report_in, partial(sim.act, report_in, partial(handling.accept, sim.office, number, unit=code)))


def _extension(sim: _Office, number: str, unit: str, at: datetime) -> None:
    from jiesu.domain.durations import Duration
    from jiesu.services import handling

    asked = sim.act(
        at,
        lambda: handling.request_extension(
            sim.office, number, unit=unit, until=None, by=Duration(3, "d"), reason="需协调产权单位，申请延期"
        ),
    )
    if asked is None:
        return
    decide_at = at + timedelta(hours=sim.rng.uniform(1, 6))
    approve = sim.rng.random() < 0.75
    sim.later(
        decide_at,
        lambda: sim.act(
            decide_at,
            lambda: handling.decide_extension(
                sim.office, number, approve=approve, reason="同意" if approve else "理由不充分"
            ),
        ),
    )


def _finished(sim: _Office, number: str, unit: str, at: datetime) -> None:
    from jiesu.services import handling

    done = sim.act(
        at, lambda: handling.finish(sim.office, number, unit=unit, result="resolved", text="已按诉求处理完毕")
    )
    if done is None or done.status != "finished":
        return
    call_at = at + timedelta(hours=sim.rng.uniform(3, 40))
    sim.later(call_at, lambda: _callback(sim, number, unit, call_at, tries=1))


def _callback(sim: _Office, number: str, unit: str, at: datetime, tries: int) -> None:
    from jiesu.services import callback

    quality = sim.unit_quality(unit)
    if sim.rng.random() < 0.07 and tries < 3:  # nobody answers: try again tomorrow
        if sim.act(at, lambda: callback.callback(sim.office, number, reached=False)) is not None:
            retry = at + timedelta(hours=sim.rng.uniform(18, 30))
            sim.later(retry, lambda: _callback(sim, number, unit, retry, tries + 1))
        return
    resolved = sim.rng.random() < 0.70 + 0.25 * quality
    roll = sim.rng.random()
    if resolved:
        satisfaction = "satisfied" if roll < 0.55 + 0.35 * quality else "basically"
    else:
        satisfaction = "unsatisfied" if roll < 0.7 else "basically"
    reopen = not resolved and sim.rng.random() < 0.5
    done = sim.act(
        at,
        lambda: callback.callback(
            sim.office,
            number,
            reached=True,
            contacted=True,
            resolved=resolved,
            satisfaction=satisfaction,
            reopen=reopen,
        ),
    )
    if done is None:
        return
    if reopen:
        again = at + timedelta(hours=sim.rng.uniform(6, 48))
        sim.later(again, lambda: _finished(sim, number, unit, again))
    elif satisfaction == "unsatisfied" and sim.rng.random() < 0.4:  # the unit thinks it unreasonable
        appeal_at = at + timedelta(hours=sim.rng.uniform(2, 24))
        sim.later(appeal_at, lambda: _appeal(sim, number, unit, appeal_at))


def _appeal(sim: _Office, number: str, unit: str, at: datetime) -> None:
    from jiesu.services import callback

    if sim.act(at, lambda: callback.appeal(sim.office, number, unit=unit, reason="诉求超出法定职责范围")) is None:
        return
    decide_at = at + timedelta(hours=sim.rng.uniform(4, 48))
    approve = sim.rng.random() < 0.5
    sim.later(
        decide_at,
        lambda: sim.act(
            decide_at,
            lambda: callback.decide_appeal(
                sim.office, number, approve=approve, reason="经审核情况属实" if approve else "不符合申诉条件"
            ),
        ),
    )


def _escalate(sim: _Office, at: datetime) -> None:
    from jiesu.services.escalation import escalate

    sim.office.now = at
    try:
        run = escalate(sim.office)
    except JiesuError:
        return
    sim.result.escalation_runs += 1
    sim.result.escalation_actions += len(getattr(run, "actions", []) or [])


def example_tickets(office: Office) -> list[str]:
    """The numbers of tickets worth showing whole after the replay: the first reopened one and
    the first whistled one, those that exist."""
    with transaction(office.engine, write=False) as conn:
        found = [first_ticket_with(conn, action) for action in EXAMPLE_ACTIONS]
    return [number for number in found if number]
