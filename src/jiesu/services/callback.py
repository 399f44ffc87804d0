"""The centre's steps after a unit finishes (回访、重办、申诉、合并、督办): the callback that closes or
reopens a ticket, appeals and their decision, merging a repeat into its original, supervision.

Each step is one write transaction (services/steps.py), refused without writing when the ticket's
state does not allow it.
"""

from datetime import datetime
from typing import Any

from jiesu.domain.durations import due
from jiesu.domain.enums import Action, AssignmentRole, AssignmentState, Satisfaction, Status, parse_enum
from jiesu.domain.lifecycle import ENDS_ASSIGNMENTS, OPEN, Step, after
from jiesu.errors import RefusedError, UsageError
from jiesu.services.context import Office
from jiesu.services.steps import (
    StepContext,
    StepDone,
    decide_unit_request,
    file_unit_request,
    read_ticket,
    required_text,
    run_step,
)
from jiesu.store.handling import (
    append_event,
    end_assignments,
    open_appeal_state,
    record_callback,
)
from jiesu.store.rows import event_row


def _callback_answers(
    reached: bool, contacted: bool | None, resolved: bool | None, satisfaction: str | None, reopen: bool
) -> dict[str, Any]:
    """The requester's answers as recorded, after checking they fit together."""
    answer = parse_enum(Satisfaction, satisfaction, "satisfaction") if satisfaction else None
    if reached and (contacted is None or resolved is None or answer is None):
        raise UsageError(
            "resolved", "a reached callback records all three answers: --contacted, --resolved and --satisfaction"
        )
    if not reached and (contacted is not None or resolved is not None or answer is not None or reopen):
        raise UsageError("unreachable", "an unreachable callback has no answers; record them when reached")
    if reopen and resolved is not False:
        raise UsageError("reopen", "only a request the requester says is unresolved (--resolved no) is reopened")
    return {
        "reached": reached,
        "contacted": contacted,
        "resolved": resolved,
        "satisfaction": answer.value if answer else None,
    }


def callback(
    office: Office,
    number: str,
    *,
    reached: bool,
    contacted: bool | None = None,
    resolved: bool | None = None,
    satisfaction: str | None = None,
    reopen: bool = False,
    at: datetime | None = None,
    correction: str | None = None,
    note: str | None = None,
) -> StepDone:
    """回访: the centre calls the requester back. Reached: closes it, or reopens it (重办)."""
    answers = _callback_answers(reached, contacted, resolved, satisfaction, reopen)
    with run_step(office, number, at, Step.CALLBACK, correction) as step:
        status = after(Step.CALLBACK, step.status, reached=reached, reopen=reopen)
        lead_unit = step.ticket.lead_unit
        record_callback(
            step.conn,
            ticket_id=step.ticket.id,
            at=step.at,
            operator=office.operator,
            unit=lead_unit,
            answers=answers,
            closed=status is Status.CLOSED,
            note=note,
        )
        step.event(Action.CALLBACK, unit=lead_unit, note=note, **answers)
        if status is Status.CLOSED:  # closing ends every unit's part, co-handlers' too
            end_assignments(step.conn, step.ticket.id, state=ENDS_ASSIGNMENTS[status], at=step.at)
            step.update(status=status.value, closed_at=step.at)
            step.event(Action.CLOSE, unit=lead_unit)
            return step.done(Action.CLOSE, status)
        if status is Status.REOPENED:
            new_due = _reopen(step)
            step.update(status=status.value, reopen_count=step.ticket.reopen_count + 1)
            step.event(Action.REOPEN, unit=lead_unit, finish_due=step.iso(new_due))
            return step.done(Action.REOPEN, status)
        step.update()
        return step.done(Action.CALLBACK, status)


def _reopen(step: StepContext) -> datetime:
    rules = step.office.rules
    profile = rules.limits[rules.handling.reopen_limits]
    new_due = due(step.at, profile.finish, rules.calendar, rules.timezone)
    lead = step.assignment(step.ticket.lead_unit or "", role=AssignmentRole.LEAD)
    step.update_assignment(lead, finished_at=None, result=None, finish_due=new_due)
    return new_due


def appeal(
    office: Office,
    number: str,
    *,
    unit: str,
    reason: str | None,
    at: datetime | None = None,
    correction: str | None = None,
) -> StepDone:
    """申诉 / 不合理诉求: the lead unit asks to exclude a closed ticket from its assessment."""
    reason = required_text(reason, "reason", "say why the ticket should not count against the unit")
    with run_step(office, number, at, Step.APPEAL, correction) as step:
        if step.ticket.lead_unit != unit:
            raise RefusedError(f"only the lead unit ({step.ticket.lead_unit}) can appeal ticket {step.number}")
        existing = open_appeal_state(step.conn, step.ticket.id)
        if existing is not None:
            raise RefusedError(f"ticket {step.number} already has an appeal that is {existing}")
        file_unit_request(step, "appeal", unit=unit, reason=reason)
        step.update()
        step.event(Action.APPEAL_REQUEST, unit=unit, note=reason)
        return step.done(Action.APPEAL_REQUEST, step.status)


def decide_appeal(
    office: Office,
    number: str,
    *,
    approve: bool,
    reason: str | None,
    at: datetime | None = None,
    correction: str | None = None,
) -> StepDone:
    """The centre decides an appeal; an approved one excludes the ticket from the unit's assessment."""
    reason = required_text(reason, "reason", "record why the appeal is approved or denied")
    with run_step(office, number, at, Step.DECIDE_APPEAL, correction) as step:
        pending = decide_unit_request(step, "appeal", approve=approve, reason=reason)
        if approve:
            if step.ticket.closed_at is not None:  # the exemption changes the period it was assessed in
                step.affects(step.ticket.closed_at)
            step.update(exempt=True)
        else:
            step.update()
        action = Action.APPEAL_APPROVE if approve else Action.APPEAL_DENY
        step.event(action, unit=pending.unit, note=reason, decided_by=office.operator)
        return step.done(action, step.status)


def merge(
    office: Office,
    number: str,
    *,
    into: str,
    at: datetime | None = None,
    correction: str | None = None,
    note: str | None = None,
) -> StepDone:
    """合并: a repeat of an open ticket closes, points at the original, and is not assessed on its own."""
    with run_step(office, number, at, Step.MERGE, correction) as step:
        original = read_ticket(step.conn, into)
        if original.id == step.ticket.id:
            raise UsageError("into", "a ticket cannot be merged into itself")
        if Status(original.status) not in OPEN:
            raise RefusedError(f"ticket {original.number} is {original.status}; a repeat is merged into an open ticket")
        for row in step.assignments():
            if row.state == AssignmentState.ACTIVE:
                step.update_assignment(row, state=AssignmentState.ENDED, ended_at=step.at)
        step.update(status=Status.MERGED.value, merged_into=original.id, closed_at=step.at)
        step.event(Action.MERGE, note=note, into=original.number)
        append_event(
            step.conn,
            event_row(
                ticket_id=original.id,
                at=step.at,
                operator=office.operator,
                login=office.login,
                action=Action.NOTE.value,
                note=f"repeat {step.number} merged into this ticket",
                data={"merged": step.number},
            ),
        )
        return step.done(Action.MERGE, Status.MERGED)


def supervise(
    office: Office, number: str, *, reason: str | None, at: datetime | None = None, correction: str | None = None
) -> StepDone:
    """督办: the centre flags the ticket for follow-up; the flag shows in show and list."""
    reason = required_text(reason, "reason", "say what the centre wants followed up")
    with run_step(office, number, at, Step.SUPERVISE, correction) as step:
        step.update(supervised=True)
        step.event(Action.SUPERVISE, note=reason)
        return step.done(Action.SUPERVISE, step.status)


__all__ = ["appeal", "callback", "decide_appeal", "merge", "supervise"]
