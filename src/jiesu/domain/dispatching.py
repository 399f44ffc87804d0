"""Deciding what happens to a request: where it lies, which rule wins, who handles it, by when.

Pure: the rules, the request and the dispatch time go in; a Decision comes out. The services
record it; `jiesu rules explain` shows it.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from jiesu.domain.catalogue import STREET_PLACEHOLDER, Rule, RulesFile, UnitClass
from jiesu.domain.learning import Suggestion
from jiesu.domain.matching import Match, Place, RequestFacts


class Outcome(StrEnum):
    """What the decision is."""

    DISPATCH = "dispatch"  # to a lead unit (and co-handlers)
    REFER = "refer"  # closed as referred to a legal channel
    HOLD = "hold"  # left for a person to dispatch


@dataclass(frozen=True)
class Deadlines:
    """When the lead unit must accept, contact the requester, and finish (UTC)."""

    accept: datetime
    contact: datetime
    finish: datetime


@dataclass(frozen=True)
class Located:
    """The request's street and community (unit codes where known) and how they were found."""

    street: str | None
    community: str | None
    source: str  # given (a known unit) | typed (a name jiesu does not know) | address | none
    matched_name: str | None = None


@dataclass(frozen=True)
class Decision:
    """The outcome for one request, with everything needed to explain it."""

    outcome: Outcome
    located: Located
    reason: str
    rule: Rule | None = None
    keywords: tuple[str, ...] = ()
    category: str | None = None
    lead: str | None = None
    co: tuple[str, ...] = ()
    limits: str | None = None
    deadlines: Deadlines | None = None
    urgent: bool = False
    refer: str | None = None
    runners_up: tuple[Match, ...] = field(default_factory=tuple)
    # who chose `category` when the decision sets it: rule | hand | model (None: it was given)
    category_source: str | None = None
    suggestion: Suggestion | None = None  # the learned suggestion, where no rule matched
    auto: bool = False  # dispatched on the suggestion alone ([learn] auto_dispatch)

    @property
    def by_rule(self) -> bool:
        """Whether a dispatch rule matched (else the fallback, a person or a suggestion decided)."""
        return self.rule is not None


def locate(rules: RulesFile, *, street: str | None, community: str | None, address: str | None) -> Located:
    """The street and community: as given (a unit code or name), else from the address."""
    given_street = rules.find_unit(street) if street else None
    given_community = rules.find_unit(community) if community else None
    if given_community is not None and given_community.unit_class is UnitClass.COMMUNITY:
        community_code: str | None = given_community.code
        if given_street is None and given_community.parent:
            given_street = rules.units.get(given_community.parent)
    else:
        community_code = community
    if given_street is not None and given_street.unit_class is UnitClass.STREET:
        return Located(given_street.code, community_code, "given")
    if street:
        return Located(street, community_code, "typed")  # kept as typed
    place: Place | None = rules.gazetteer.resolve(address)
    if place is not None:
        return Located(place.street, community_code or place.community or None, "address", place.matched_name)
    return Located(None, community_code, "none")


def decide(
    rules: RulesFile,
    request: RequestFacts,
    located: Located,
    *,
    at: datetime,
    urgent: bool = False,
    category: str | None = None,
    exclude: frozenset[str] = frozenset(),
    explain: bool = False,
) -> Decision:
    """Classify and route one request dispatched at `at`; units in `exclude` returned it before.

    With `explain`, the decision also lists the runners-up (the other rules that matched).
    """
    matcher = rules.matcher
    found, passing = matcher.passing(request)  # best first, checked as far as needed
    matched = False
    for rule in passing:
        matched = True
        lead = None if rule.refer else _resolve(rule.lead, located)
        if not rule.refer and (lead is None or lead in exclude):
            continue
        keywords = matcher.keywords_of(rule, found)
        runners_up = tuple(matcher.explained(r, found) for r in passing) if explain else ()  # the rest
        if rule.refer:
            return Decision(
                Outcome.REFER,
                located,
                f"rule {rule.name!r} refers it",
                rule,
                keywords,
                category=category or rule.category or None,
                refer=rule.refer,
                runners_up=runners_up,
                category_source=None if category or not rule.category else "rule",
            )
        assert lead is not None
        co = (
            tuple(u for u in dict.fromkeys(_resolve(c, located) for c in rule.co) if u and u != lead) if rule.co else ()
        )
        limits = "urgent" if urgent and not rule.urgent and "urgent" in rules.limits else rule.limits
        return Decision(
            Outcome.DISPATCH,
            located,
            f"rule {rule.name!r} matched",
            rule,
            keywords,
            category=category or rule.category or None,
            lead=lead,
            co=co,
            limits=limits,
            deadlines=deadlines_for(rules, limits, at),
            urgent=urgent or rule.urgent,
            runners_up=runners_up,
            category_source=None if category or not rule.category else "rule",
        )
    return _fallback(rules, located, at=at, urgent=urgent, category=category, exclude=exclude, matched=matched)


def _fallback(
    rules: RulesFile,
    located: Located,
    *,
    at: datetime,
    urgent: bool,
    category: str | None,
    exclude: frozenset[str],
    matched: bool,
) -> Decision:
    why = "no rule's unit can take it" if matched else "no rule matched"
    if not rules.fallback:
        return Decision(
            Outcome.HOLD, located, f"{why}; left for a person ([dispatch] fallback is empty)", category=category
        )
    lead = _resolve(rules.fallback, located)
    if lead is None:
        return Decision(
            Outcome.HOLD,
            located,
            f"{why}, and the address lies in no known street; left for a person",
            category=category,
        )
    if lead in exclude:
        return Decision(Outcome.HOLD, located, f"{why}, and {lead} returned it; left for a person", category=category)
    limits = "urgent" if urgent and "urgent" in rules.limits else rules.fallback_limits
    return Decision(
        Outcome.DISPATCH,
        located,
        f"{why}; [dispatch] fallback {rules.fallback}",
        lead=lead,
        limits=limits,
        deadlines=deadlines_for(rules, limits, at),
        urgent=urgent,
        category=category,
    )


def _resolve(target: str, located: Located) -> str | None:
    if target == STREET_PLACEHOLDER:
        return located.street if located.source in ("given", "address") else None
    return target


def deadlines_for(rules: RulesFile, profile_name: str, start: datetime) -> Deadlines:
    """The deadlines a limit profile sets for a unit that gets the ticket at `start`."""
    profile = rules.limits[profile_name]
    return Deadlines(
        accept=rules.due(start, profile.accept),
        contact=rules.due(start, profile.contact),
        finish=rules.due(start, profile.finish),
    )


def with_suggestion(
    rules: RulesFile,
    decision: Decision,
    suggestion: Suggestion | None,
    *,
    at: datetime,
    urgent: bool = False,
    exclude: frozenset[str] = frozenset(),
) -> Decision:
    """The decision once the learned suggestion is heard, where no rule matched.

    Matching rules are the office's policy and always decide. Otherwise, with `[learn]
    auto_dispatch`, a suggestion at least that sure dispatches to its unit, and one less sure (or
    naming no unit the rules know) leaves the ticket for a person, the suggestion on show; without
    it the fallback decides as before, the suggestion on show beside it.
    """
    if suggestion is None or decision.by_rule or decision.outcome is Outcome.REFER:
        return decision
    threshold = rules.learn.auto_dispatch
    if threshold is None:
        return replace(decision, suggestion=suggestion)
    unit = suggestion.unit
    sure = round(suggestion.confidence, 4) >= threshold
    if not sure or unit is None or unit not in rules.units or unit in exclude:
        why = (
            f"no rule matched; the learned suggestion ({suggestion.confidence:.0%}) is below "
            f"[learn] auto_dispatch {threshold:g}"
            if unit in rules.units and unit not in exclude
            else "no rule matched; the learned suggestion names no unit that can take it"
        )
        return replace(
            decision,
            outcome=Outcome.HOLD,
            reason=f"{why}; left for a person",
            lead=None,
            co=(),
            limits=None,
            deadlines=None,
            suggestion=suggestion,
        )
    limits = "urgent" if urgent and "urgent" in rules.limits else rules.fallback_limits
    given = decision.category
    return replace(
        decision,
        outcome=Outcome.DISPATCH,
        reason=(
            f"no rule matched; learned suggestion {suggestion.category} → {unit} "
            f"({suggestion.confidence:.0%} ≥ [learn] auto_dispatch {threshold:g})"
        ),
        lead=unit,
        co=(),
        limits=limits,
        deadlines=deadlines_for(rules, limits, at),
        urgent=urgent,
        category=given or suggestion.category,
        category_source=None if given else "model",
        suggestion=suggestion,
        auto=True,
    )
