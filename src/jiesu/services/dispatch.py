"""Dispatch (派单): apply the rules to new tickets, or let a person choose the unit.

The same functions turn a Decision into rows for a ticket taken in (batch intake writes them in
bulk) and for a pending ticket dispatched later.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from jiesu.domain.dispatching import Decision, Located, Outcome, deadlines_for, decide, locate
from jiesu.domain.enums import Action, AssignmentRole, Status
from jiesu.domain.learning import Suggestion, suggestion_from_record
from jiesu.domain.lifecycle import ENDS_ASSIGNMENTS
from jiesu.domain.matching import RequestFacts
from jiesu.domain.times import iso
from jiesu.errors import NotFoundError, RefusedError, UsageError
from jiesu.services.context import Office
from jiesu.services.suggesting import Suggester
from jiesu.store.engine import CaseConnection, transaction
from jiesu.store.handling import (
    TicketState,
    end_assignments,
    insert_rows,
    pending_tickets,
    returned_units,
    save_ticket,
    sync_units,
    ticket_state,
)
from jiesu.store.rows import assignment_row, event_row


def request_of(
    *, title: str, content: str, kind: str, channel: str, district: str | None, street: str | None, category: str | None
) -> RequestFacts:
    """What the rules look at: title and content as one text, and the request's attributes."""
    text = content if content.startswith(title) else f"{title}\n{content}"
    return RequestFacts(text, kind, channel, district or "", street or "", category or "")


class StoredRequest(Protocol):
    """What the rules read of a ticket already in the case file."""

    @property
    def title(self) -> str: ...
    @property
    def content(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def district(self) -> str | None: ...


def stored_request_of(ticket: StoredRequest, *, street: str | None, category: str | None) -> RequestFacts:
    """What the rules look at for a stored ticket, at the street it was located in."""
    return request_of(
        title=ticket.title,
        content=ticket.content,
        kind=ticket.kind,
        channel=ticket.channel,
        district=ticket.district,
        street=street,
        category=category,
    )


def decision_event(office: Office, ticket_id: int, decision: Decision, at: datetime) -> dict[str, Any]:
    """The event that records a dispatch or a referral by rule: which rule, which rules file, why."""
    rule = decision.rule
    data: dict[str, Any] = {
        "rule": rule.name if rule else None,
        "rules_sha256": office.rules.sha256,
        "reason": decision.reason,
        "keywords": list(decision.keywords),
        "category": decision.category,
        "street": decision.located.street,
        "community": decision.located.community,
    }
    if decision.category_source:
        data["category_source"] = decision.category_source
    if decision.suggestion is not None:
        data |= {"suggestion": decision.suggestion.record(), "auto": decision.auto}
    if decision.outcome is Outcome.REFER:
        action, unit, note = Action.REFER, None, decision.refer
    else:
        action, unit, note = Action.DISPATCH, decision.lead, decision.reason
        tz = office.rules.timezone
        assert decision.deadlines is not None
        data |= {
            "lead": decision.lead,
            "co": list(decision.co),
            "limits": decision.limits,
            "urgent": decision.urgent,
            "accept_due": iso(decision.deadlines.accept, tz),
            "contact_due": iso(decision.deadlines.contact, tz),
            "finish_due": iso(decision.deadlines.finish, tz),
        }
    return event_row(
        ticket_id=ticket_id,
        at=at,
        operator=office.operator,
        login=office.login,
        action=action.value,
        unit=unit,
        note=note,
        data=data,
    )


def suggestion_event(office: Office, ticket_id: int, decision: Decision, at: datetime) -> dict[str, Any]:
    """The event that records a learned suggestion shown for a ticket left for a person."""
    assert decision.suggestion is not None
    suggestion = decision.suggestion
    return event_row(
        ticket_id=ticket_id,
        at=at,
        operator=office.operator,
        login=office.login,
        action=Action.SUGGEST.value,
        unit=suggestion.unit,
        note=f"{suggestion.category} → {suggestion.unit or '?'} ({suggestion.confidence:.0%}); {decision.reason}",
        data={"suggestion": suggestion.record(), "reason": decision.reason, "rules_sha256": office.rules.sha256},
    )


def assignment_rows(ticket_id: int, decision: Decision, at: datetime) -> list[dict[str, Any]]:
    """One assignment for the lead unit and one per co-handler, all with the same deadlines."""
    if decision.outcome is not Outcome.DISPATCH:
        return []
    assert decision.lead is not None and decision.deadlines is not None
    rule = decision.rule.name if decision.rule else None
    due = decision.deadlines
    return [
        assignment_row(
            ticket_id=ticket_id,
            unit=unit,
            role=role.value,
            rule=rule,
            assigned_at=at,
            accept_due=due.accept,
            contact_due=due.contact,
            finish_due=due.finish,
        )
        for unit, role in [(decision.lead, AssignmentRole.LEAD), *((c, AssignmentRole.CO) for c in decision.co)]
    ]


def ticket_changes(decision: Decision, at: datetime) -> dict[str, Any]:
    """The ticket's new current state after the decision."""
    located = decision.located
    changes: dict[str, Any] = {"street": located.street, "community": located.community, "updated_at": at}
    if decision.category:
        changes["category"] = decision.category
    if decision.category_source:
        changes["category_source"] = decision.category_source
    if decision.suggestion is not None:
        changes["suggestion"] = decision.suggestion.record()
    if decision.outcome is Outcome.DISPATCH:
        changes |= {
            "status": Status.DISPATCHED.value,
            "lead_unit": decision.lead,
            "dispatched_at": at,
            "urgent": decision.urgent,
        }
    elif decision.outcome is Outcome.REFER:
        changes |= {"status": Status.REFERRED.value, "reply": decision.refer, "closed_at": at}
    return changes


def ensure_units(conn: CaseConnection, office: Office) -> None:
    """Make the units table match the rules file before assignments name its units."""
    sync_units(conn, office.rules.units.values(), rules_sha256=office.rules.sha256, now=office.now)


@dataclass(frozen=True)
class Dispatched:
    """One ticket's dispatch: its number and the decision taken (or that would be, in a dry run)."""

    number: str
    decision: Decision


def default_limits(office: Office, *, urgent: bool) -> str:
    """The limit profile of a dispatch no rule chose: the urgent one for an urgent ticket, as the
    rules' fallback does, else the rules file's [dispatch] limits."""
    rules = office.rules
    return "urgent" if urgent and "urgent" in rules.limits else rules.fallback_limits


def _by_hand(
    office: Office,
    ticket: TicketState,
    located: Located,
    choice: "HandChoice",
    at: datetime,
) -> Decision:
    rules = office.rules
    for code, option in [(choice.unit, "unit"), *((c, "co") for c in choice.co)]:
        if code not in rules.units:
            raise UsageError(option, f"unknown unit code {code!r}; see `jiesu units`")
    profile = choice.limits or default_limits(office, urgent=ticket.urgent)
    if profile not in rules.limits:
        raise UsageError("limits", f"unknown limit profile {profile!r}; known: {', '.join(sorted(rules.limits))}")
    category = choice.category or ticket.category
    return Decision(
        Outcome.DISPATCH,
        located,
        choice.reason,
        lead=choice.unit,
        co=tuple(c for c in dict.fromkeys(choice.co) if c != choice.unit),
        limits=profile,
        deadlines=deadlines_for(rules, profile, at),
        urgent=ticket.urgent,
        category=category,
        category_source=choice.category_source,
        suggestion=choice.suggestion,
    )


@dataclass(frozen=True)
class HandChoice:
    """A person's dispatch: the lead unit, co-handlers, limits and category they chose (or the
    learned suggestion they accepted)."""

    unit: str
    co: Sequence[str] = ()
    limits: str | None = None
    category: str | None = None
    category_source: str | None = None  # hand when they chose a category, model when they took the suggestion's
    suggestion: Suggestion | None = None
    reason: str = "dispatched by hand"


def _accepted_suggestion(office: Office, suggester: Suggester, ticket: TicketState, located: Located) -> HandChoice:
    """`dispatch --suggested`: the suggestion shown for the ticket (or, if none was, the model's now)."""
    suggestion = suggestion_from_record(ticket.suggestion) or suggester.suggest(
        title=ticket.title, content=ticket.content, street=located.street
    )
    if suggestion is None:
        raise RefusedError(
            f"ticket {ticket.number} has no learned suggestion: no model yet; run `jiesu rules learn`, "
            "or dispatch it by hand with --unit"
        )
    if suggestion.unit is None:
        raise RefusedError(
            f"the suggestion for ticket {ticket.number} ({suggestion.category}) names no unit: no closed ticket of "
            "that category shows who handles it; dispatch it by hand with --unit"
        )
    return HandChoice(
        suggestion.unit,
        category=None if ticket.category else suggestion.category,
        category_source=None if ticket.category else "model",
        suggestion=suggestion,
        reason=f"learned suggestion accepted by {office.operator} ({suggestion.confidence:.0%})",
    )


def plan_for(
    office: Office,
    conn: CaseConnection,
    ticket: TicketState,
    *,
    at: datetime,
    choice: HandChoice | None = None,
    suggested: bool = False,
    suggester: Suggester | None = None,
    hold_unsuggested: bool = False,
) -> Decision:
    """What dispatching this pending ticket now would do; rules leave out the units that returned it.
    With `suggested`, a ticket with no usable suggestion is refused, or held if `hold_unsuggested`."""
    located = locate(office.rules, street=ticket.street, community=ticket.community, address=ticket.address)
    suggester = suggester or Suggester(conn, office)
    if suggested:
        try:
            choice = _accepted_suggestion(office, suggester, ticket, located)
        except RefusedError as refused:
            if not hold_unsuggested:
                raise
            # `dispatch --pending --suggested`: the others go ahead; this one waits for a person
            return Decision(Outcome.HOLD, located, f"left for a person: {refused}", category=ticket.category)
    if choice is not None:
        return _by_hand(office, ticket, located, choice, at)
    request = stored_request_of(ticket, street=located.street, category=ticket.category)
    exclude = returned_units(conn, ticket.id)
    decision = decide(
        office.rules,
        request,
        located,
        at=at,
        urgent=ticket.urgent,
        category=ticket.category,
        exclude=exclude,
    )
    return suggester.hear(
        decision, title=ticket.title, content=ticket.content, at=at, urgent=ticket.urgent, exclude=exclude
    )


def dispatch(
    office: Office,
    numbers: Sequence[str] = (),
    *,
    pending: bool = False,
    unit: str | None = None,
    co: Sequence[str] = (),
    limits: str | None = None,
    category: str | None = None,
    suggested: bool = False,
    dry_run: bool = False,
) -> list[Dispatched]:
    """Apply the rules (or a person's choice of `unit`, or the learned suggestion they accept) to
    pending tickets, in one transaction."""
    if not numbers and not pending:
        # the numbers are the command's NUMBERS arguments: there is no --numbers option to name
        raise UsageError(
            "ticket numbers",
            "name the tickets to dispatch (jiesu dispatch NUMBER…), or give --pending for every waiting ticket",
        )
    if numbers and pending:
        raise UsageError("pending", "give ticket numbers or --pending, not both")
    if suggested and (unit or co or limits or category):
        raise UsageError("suggested", "takes the suggestion's unit; leave out --unit, --co, --limits and --category")
    if unit is None and (co or limits or category):
        raise UsageError("co", "--co, --limits and --category go with --unit (a person's dispatch)")
    if category is not None and not category.strip():
        raise UsageError("category", "is empty; give a category such as 城乡建设/供水, or leave it out")
    choice = None
    if unit is not None:
        given = category.strip() if category else None
        choice = HandChoice(unit, co, limits, given, "hand" if given else None)
    with transaction(office.engine, write=not dry_run) as conn:
        tickets = pending_tickets(conn) if pending else [_dispatchable(conn, n.strip()) for n in numbers]
        if not dry_run:
            ensure_units(conn, office)
        suggester = Suggester(conn, office)
        results, events, assignments = [], [], []
        for ticket in tickets:
            decision = plan_for(
                office,
                conn,
                ticket,
                at=office.now,
                choice=choice,
                suggested=suggested,
                suggester=suggester,
                hold_unsuggested=pending,  # named tickets are refused instead: the clerk asked for them
            )
            results.append(Dispatched(ticket.number, decision))
            if dry_run:
                continue
            if decision.outcome is Outcome.HOLD:
                if decision.suggestion is not None and decision.suggestion.record() != ticket.suggestion:
                    save_ticket(conn, ticket, suggestion=decision.suggestion.record(), updated_at=office.now)
                    events.append(suggestion_event(office, ticket.id, decision, office.now))
                continue
            save_ticket(conn, ticket, **ticket_changes(decision, office.now))
            if decision.outcome is Outcome.REFER:  # referred is an end: no unit keeps a part in it
                end_assignments(conn, ticket.id, state=ENDS_ASSIGNMENTS[Status.REFERRED], at=office.now)
            events.append(decision_event(office, ticket.id, decision, office.now))
            assignments += assignment_rows(ticket.id, decision, office.now)
        insert_rows(conn, events=events, assignments=assignments)
        return results


def _dispatchable(conn: CaseConnection, number: str) -> TicketState:
    ticket = ticket_state(conn, number)
    if ticket is None:
        raise NotFoundError(f"no ticket {number!r} in the case file; check the number with `jiesu search`")
    if ticket.status != Status.PENDING.value:
        raise RefusedError(
            f"ticket {number} is {ticket.status}"
            + (f" (lead unit {ticket.lead_unit})" if ticket.lead_unit else "")
            + "; only pending tickets can be dispatched"
        )
    return ticket
