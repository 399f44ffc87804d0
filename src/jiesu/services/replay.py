"""What-if: re-decide a period's tickets under another rules file, and the rules and the learned
model against what finally happened. Both only read (one read-only transaction each)."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from jiesu.domain.catalogue import RulesFile
from jiesu.domain.dispatching import Decision, Outcome, decide, locate
from jiesu.domain.learning import first_level
from jiesu.services.context import Office
from jiesu.services.dispatch import stored_request_of
from jiesu.services.learning import current_model, request_text
from jiesu.store.engine import transaction
from jiesu.store.learning import HUMAN_SOURCES, Routed, routed_tickets

EXAMPLES = 10
SAME_DEADLINE = timedelta(minutes=1)  # closer than this is the same deadline


@dataclass(frozen=True)
class ChangedRoute:
    """A ticket the proposed rules would send elsewhere than it went first."""

    number: str
    title: str
    before: str | None  # the first lead unit it had (None: never dispatched)
    before_rule: str | None
    after: str | None  # the proposed rules' lead unit (None: referred or left for a person)
    after_rule: str | None
    after_outcome: str
    final: str | None  # the lead unit that finally handled it (None: not finished yet)
    returned: bool  # its first lead unit returned it (退单)


@dataclass(frozen=True)
class UnitLoad:
    """Tickets a unit led first, as it happened and under the proposed rules."""

    unit: str
    before: int
    after: int


@dataclass
class Replay:
    """A period re-decided under proposed rules, compared with what happened."""

    start: datetime
    end: datetime
    rules_path: str
    rules_sha256: str
    tickets: int = 0
    changed: int = 0
    examples: list[ChangedRoute] = field(default_factory=list)
    changed_known_final: int = 0  # changed routes of tickets whose final unit is known
    changed_now_final: int = 0  # … where the proposed unit is that final unit
    returned_fixed: int = 0  # … of them, tickets whose first unit returned them (a fixed mis-dispatch)
    changed_away_from_final: int = 0  # changed routes where the first unit was the final one
    current_dispatched: int = 0  # dispatched first, final unit known: the base of the current rate
    current_missed: int = 0  # … whose first unit was not the final one
    proposed_dispatched: int = 0  # dispatched under the proposal, final unit known
    proposed_missed: int = 0
    held_before: int = 0
    held_after: int = 0
    referred_before: int = 0
    referred_after: int = 0
    tightened: int = 0
    loosened: int = 0
    same_deadline: int = 0
    loads: list[UnitLoad] = field(default_factory=list)
    rule_wins: dict[str, int] = field(default_factory=dict)
    never_fired: list[str] = field(default_factory=list)

    @property
    def current_rate(self) -> float | None:
        """Estimated mis-dispatch rate as it happened: first unit ≠ the unit that finally handled it."""
        return self.current_missed / self.current_dispatched if self.current_dispatched else None

    @property
    def proposed_rate(self) -> float | None:
        """The same for the proposed rules' units."""
        return self.proposed_missed / self.proposed_dispatched if self.proposed_dispatched else None


def _redecide(rules: RulesFile, ticket: Routed) -> Decision:
    """The proposed rules' decision, as if the ticket were dispatched when it first was."""
    located = locate(rules, street=ticket.street, community=ticket.community, address=ticket.address)
    given = ticket.category if ticket.category_source == "given" else None
    request = stored_request_of(ticket, street=located.street, category=given)
    return decide(
        rules, request, located, at=ticket.first_at or ticket.created_at, urgent=ticket.urgent, category=given
    )


def replay(office: Office, proposed_path: Path, *, start: datetime, end: datetime) -> Replay:
    """Re-decide every ticket taken in during [start, end) (except those answered at intake) under
    the rules file at `proposed_path`; nothing is written."""
    from jiesu.rules import load_rules

    proposed = load_rules(proposed_path)
    result = Replay(start, end, str(proposed_path), proposed.sha256)
    before_load: Counter[str] = Counter()
    after_load: Counter[str] = Counter()
    wins: Counter[str] = Counter()
    with transaction(office.engine, write=False) as conn:
        for ticket in routed_tickets(conn, start, end):
            decision = _redecide(proposed, ticket)
            _count(result, ticket, decision, before_load, after_load, wins)
    units = sorted(set(before_load) | set(after_load), key=lambda u: (-(after_load[u] - before_load[u]), u))
    result.loads = [UnitLoad(u, before_load[u], after_load[u]) for u in units if before_load[u] != after_load[u]]
    result.rule_wins = dict(wins.most_common())
    result.never_fired = [rule.name for rule in proposed.dispatch_rules if not wins[rule.name]]
    result.examples.sort(key=lambda c: (not (c.returned and c.after == c.final), c.final is None, c.number))
    del result.examples[EXAMPLES:]
    return result


def _count(
    result: Replay,
    ticket: Routed,
    decision: Decision,
    before_load: Counter[str],
    after_load: Counter[str],
    wins: Counter[str],
) -> None:
    """Add one re-decided ticket to the comparison.

    Long because it is one tally per figure the replay reports, side by side so they stay consistent.
    """
    result.tickets += 1
    after = decision.lead if decision.outcome is Outcome.DISPATCH else None
    if decision.rule is not None:
        wins[decision.rule.name] += 1
    before = ticket.first_unit
    if before is None:
        if ticket.status == "referred":
            result.referred_before += 1
        else:
            result.held_before += 1
    else:
        before_load[before] += 1
    if decision.outcome is Outcome.REFER:
        result.referred_after += 1
    elif decision.outcome is Outcome.HOLD:
        result.held_after += 1
    if after is not None:
        after_load[after] += 1
    final = ticket.final_unit
    if final is not None and before is not None:
        result.current_dispatched += 1
        result.current_missed += before != final
    if final is not None and after is not None:
        result.proposed_dispatched += 1
        result.proposed_missed += after != final
    if before is not None and after is not None and ticket.first_finish_due and decision.deadlines:
        gap = decision.deadlines.finish - ticket.first_finish_due
        if gap <= -SAME_DEADLINE:
            result.tightened += 1
        elif gap >= SAME_DEADLINE:
            result.loosened += 1
        else:
            result.same_deadline += 1
    if before == after:
        return
    result.changed += 1
    if final is not None:
        result.changed_known_final += 1
        result.changed_now_final += after == final
        result.returned_fixed += ticket.first_returned and after == final
        result.changed_away_from_final += before == final
    result.examples.append(
        ChangedRoute(
            ticket.number,
            ticket.title,
            before,
            ticket.first_rule,
            after,
            decision.rule.name if decision.rule else None,
            decision.outcome.value,
            final,
            ticket.first_returned,
        )
    )


@dataclass(frozen=True)
class CategoryRouting:
    """Per first-level category: tickets whose final unit is known, and how many the rules' (or a
    person's) first dispatch and the model's suggestion sent to that unit."""

    category: str
    tickets: int
    rules_right: int
    model_right: int


@dataclass(frozen=True)
class RoutingComparison:
    """The rules and the learned model side by side against what finally happened."""

    model_id: int | None
    tickets: int
    rules_right: int
    model_right: int
    trained_on: int  # of those tickets, how many the model's category training saw
    categories: list[CategoryRouting]


def compare_routing(office: Office, *, start: datetime | None, end: datetime | None) -> RoutingComparison:
    """Tickets taken in during [start, end) whose final unit is known: did their first dispatch go
    there, and would the current model's suggestion have?

    The model's unit history includes these very tickets, so its figure is in-sample for units; the
    category classifier's out-of-sample figure is its cross-validated accuracy (`rules learn`).
    """
    per: dict[str, list[int]] = {}
    trained_on = 0
    with transaction(office.engine, write=False) as conn:
        model = current_model(conn, office.db)
        for ticket in _finished(routed_tickets(conn, start, end)):
            suggestion = model.suggest(request_text(ticket.title, ticket.content), ticket.street) if model else None
            key = first_level(ticket.category) if ticket.category else ""
            counts = per.setdefault(key, [0, 0, 0])
            counts[0] += 1
            counts[1] += ticket.first_unit == ticket.final_unit
            counts[2] += suggestion is not None and suggestion.unit == ticket.final_unit
            trained_on += ticket.category_source in HUMAN_SOURCES
    rows = [CategoryRouting(k, *v) for k, v in sorted(per.items(), key=lambda item: (-item[1][0], item[0]))]
    return RoutingComparison(
        model.id if model else None,
        sum(r.tickets for r in rows),
        sum(r.rules_right for r in rows),
        sum(r.model_right for r in rows),
        trained_on,
        rows,
    )


def _finished(tickets: Iterator[Routed]) -> Iterator[Routed]:
    return (t for t in tickets if t.final_unit is not None and t.first_unit is not None)
