"""The unit's steps of a ticket's life (签收、退单、联系、办理进展、延期、吹哨、办结): units accept,
return, contact, note, ask for more time (the centre decides), whistle and finish.

Each step is one write transaction (services/steps.py): it reads the ticket under the write lock, asks
the state machine whether the step is allowed, appends its events and updates the current state.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from jiesu.domain.catalogue import UnitClass
from jiesu.domain.durations import Duration, due
from jiesu.domain.enums import Action, AssignmentRole, AssignmentState, Result, Status, parse_enum
from jiesu.domain.lifecycle import Step, after
from jiesu.domain.times import short
from jiesu.errors import RefusedError, UsageError
from jiesu.services.context import Office
from jiesu.services.steps import (
    LateDeadline,
    StepDone,
    Summons,
    decide_unit_request,
    file_unit_request,
    required_text,
    run_step,
)
from jiesu.store.handling import AssignmentView, insert_rows, pending_request
from jiesu.store.rows import assignment_row


def accept(
    office: Office,
    number: str,
    *,
    unit: str,
    at: datetime | None = None,
    correction: str | None = None,
    note: str | None = None,
) -> StepDone:
    """签收: the unit takes the ticket. A summoned department reporting in late is recorded as late."""
    with run_step(office, number, at, Step.ACCEPT, correction) as step:
        row = step.assignment(unit)
        if row.accepted_at is not None:
            raise RefusedError(
                f"{unit} already accepted ticket {step.number} at {short(row.accepted_at, office.rules.timezone)}"
            )
        data: dict[str, Any] = {"role": row.role, "due": step.iso(row.accept_due), "late": step.at > row.accept_due}
        if row.report_due is not None:  # a summoned department reporting in (报到)
            late = step.late("report", unit, row.report_due)
            data |= {"report_due": step.iso(row.report_due), "late_report": bool(late)}
        else:
            late = step.late("accept", unit, row.accept_due)
        step.update_assignment(row, accepted_at=step.at)
        status = after(Step.ACCEPT, step.status, lead=row.role == AssignmentRole.LEAD)
        step.update(status=status.value)
        step.event(Action.ACCEPT, unit=unit, note=note, **data)
        return step.done(Action.ACCEPT, status, late=late)


def return_ticket(
    office: Office,
    number: str,
    *,
    unit: str,
    reason: str | None,
    at: datetime | None = None,
    correction: str | None = None,
) -> StepDone:
    """退单: the unit says the ticket is not theirs. A lead's return sends it back to the queue."""
    reason = required_text(reason, "reason", "say why the ticket is not this unit's")
    with run_step(office, number, at, Step.RETURN, correction) as step:
        row = step.assignment(unit)
        if row.finished_at is not None:
            raise RefusedError(f"{unit} already finished its part of ticket {step.number}; it cannot return it")
        lead = row.role == AssignmentRole.LEAD
        step.update_assignment(row, state=AssignmentState.RETURNED, ended_at=step.at)
        if lead:  # the whole dispatch is undone: co-handlers were chosen with the lead
            for other in step.assignments():
                if other.state == AssignmentState.ACTIVE:
                    step.update_assignment(other, state=AssignmentState.ENDED, ended_at=step.at)
            step.update(status=Status.PENDING.value, lead_unit=None)
        step.event(Action.RETURN, unit=unit, note=reason, role=row.role, rule=row.rule)
        status = after(Step.RETURN, step.status, lead=lead)
        return step.done(Action.RETURN, status, requeued=lead)


def contact(
    office: Office,
    number: str,
    *,
    unit: str,
    at: datetime | None = None,
    correction: str | None = None,
    note: str | None = None,
) -> StepDone:
    """联系诉求人: the unit reached the requester; in time or not against the contact deadline."""
    with run_step(office, number, at, Step.CONTACT, correction) as step:
        row = step.assignment(unit)
        if row.accepted_at is None:
            raise RefusedError(f"{unit} has not accepted ticket {step.number}; accept it first (jiesu accept)")
        if row.contacted_at is not None:
            when = short(row.contacted_at, office.rules.timezone)
            raise RefusedError(f"{unit} already contacted the requester of ticket {step.number} at {when}")
        late = step.late("contact", unit, row.contact_due)
        step.update_assignment(row, contacted_at=step.at)
        step.update()
        step.event(Action.CONTACT, unit=unit, note=note, due=step.iso(row.contact_due), in_time=not late)
        return step.done(Action.CONTACT, step.status, late=late)


def add_note(
    office: Office,
    number: str,
    *,
    text: str | None,
    unit: str | None = None,
    at: datetime | None = None,
    correction: str | None = None,
) -> StepDone:
    """办理进展: a progress note; allowed at any time, even after closing."""
    text = required_text(text, "text", "write the progress note")
    with run_step(office, number, at, Step.NOTE, correction) as step:
        if unit is not None and unit not in office.rules.units:
            raise UsageError("unit", f"unknown unit code {unit!r}; see `jiesu units`")
        step.update()
        step.event(Action.NOTE, unit=unit, note=text)
        return step.done(Action.NOTE, step.status)


def request_extension(
    office: Office,
    number: str,
    *,
    unit: str,
    until: datetime | None,
    by: Duration | None,
    reason: str | None,
    at: datetime | None = None,
    correction: str | None = None,
) -> StepDone:
    """延期申请: the lead unit asks for a later finish deadline; the centre decides."""
    reason = required_text(reason, "reason", "say why more time is needed")
    if (until is None) == (by is None):
        raise UsageError("until", "give either --until DATETIME or --by DURATION (such as 5wd)")
    with run_step(office, number, at, Step.EXTEND, correction) as step:
        row = step.assignment(unit, role=AssignmentRole.LEAD)
        if pending_request(step.conn, step.ticket.id, "extension") is not None:
            raise RefusedError(
                f"ticket {step.number} already has an extension request waiting; approve or deny it first"
            )
        rules = office.rules
        current = row.finish_due
        wanted = until if until is not None else due(current, by, rules.calendar, rules.timezone)  # type: ignore[arg-type]
        if wanted <= current:
            raise UsageError("until", f"must be after the current finish deadline {short(current, rules.timezone)}")
        limit = due(current, rules.handling.max_extension, rules.calendar, rules.timezone)
        if wanted > limit:
            raise RefusedError(
                f"an extension may reach {short(limit, rules.timezone)} at most "
                f"([handling] max_extension = {rules.handling.max_extension}); ask for less"
            )
        file_unit_request(step, "extension", unit=unit, reason=reason, until=wanted)
        step.update()
        step.event(Action.EXTEND_REQUEST, unit=unit, note=reason, finish_due=step.iso(current), until=step.iso(wanted))
        return step.done(Action.EXTEND_REQUEST, step.status)


def decide_extension(
    office: Office,
    number: str,
    *,
    approve: bool,
    reason: str | None = None,
    at: datetime | None = None,
    correction: str | None = None,
) -> StepDone:
    """The centre approves (the finish deadline moves) or denies an extension request."""
    with run_step(office, number, at, Step.DECIDE_EXTENSION, correction) as step:
        pending = decide_unit_request(step, "extension", approve=approve, reason=reason)
        data: dict[str, Any] = {"requested_by_unit": pending.unit, "until": step.iso(pending.until)}
        if approve:
            for row in step.assignments():
                if row.state == AssignmentState.ACTIVE and row.finished_at is None:
                    if row.role == AssignmentRole.LEAD:
                        data["finish_due_before"] = step.iso(row.finish_due)
                    step.update_assignment(row, finish_due=pending.until)
        step.update()
        action = Action.EXTEND_APPROVE if approve else Action.EXTEND_DENY
        step.event(action, unit=pending.unit, note=reason, **data)
        return step.done(action, step.status)


def whistle(
    office: Office,
    number: str,
    *,
    unit: str,
    summon: Sequence[str],
    within: Duration | None = None,
    at: datetime | None = None,
    correction: str | None = None,
    note: str | None = None,
) -> StepDone:
    """吹哨报到: the lead street summons departments as co-handlers, who must report in in time."""
    codes = [c.strip() for c in summon if c.strip()]
    if not codes:
        raise UsageError("summon", "name the departments to summon, e.g. --summon chengguan,zhujianwei")
    rules = office.rules
    window = within or rules.handling.whistle_within
    with run_step(office, number, at, Step.WHISTLE, correction) as step:
        lead = step.assignment(unit, role=AssignmentRole.LEAD)
        street = rules.units.get(unit)
        if street is None or street.unit_class is not UnitClass.STREET:
            kind = street.unit_class.value if street else "unknown unit"
            raise RefusedError(f"only a street or township lead unit can whistle (吹哨); {unit} is a {kind}")
        active = {a.unit for a in step.assignments() if a.state == AssignmentState.ACTIVE}
        for code in codes:
            if code not in rules.units:
                raise UsageError("summon", f"unknown unit code {code!r}; see `jiesu units`")
            if code in active:
                raise RefusedError(f"{code} is already handling ticket {step.number}")
        report_due = due(step.at, window, rules.calendar, rules.timezone)
        summoned = [
            assignment_row(
                ticket_id=step.ticket.id,
                unit=code,
                role=AssignmentRole.CO,
                rule=None,
                assigned_at=step.at,
                accept_due=report_due,
                contact_due=lead.contact_due,
                finish_due=lead.finish_due,
                report_due=report_due,
            )
            for code in codes
        ]
        insert_rows(step.conn, assignments=summoned)
        step.update()
        step.event(
            Action.WHISTLE, unit=unit, note=note, summoned=codes, report_due=step.iso(report_due), within=str(window)
        )
        return step.done(Action.WHISTLE, step.status, summoned=Summons(tuple(codes), report_due))


def finish(
    office: Office,
    number: str,
    *,
    unit: str,
    result: str,
    text: str | None,
    at: datetime | None = None,
    correction: str | None = None,
) -> StepDone:
    """办结: the lead unit reports the result; a co-handler finishes its own part."""
    outcome = parse_enum(Result, result, "result")
    text = required_text(text, "text", "describe what was done")
    with run_step(office, number, at, Step.FINISH, correction) as step:
        row = step.assignment(unit)
        if row.accepted_at is None:
            raise RefusedError(f"{unit} has not accepted ticket {step.number}; accept it first (jiesu accept)")
        if row.finished_at is not None:
            raise RefusedError(f"{unit} already finished ticket {step.number}")
        late = step.late("finish", unit, row.finish_due)
        step.update_assignment(row, finished_at=step.at, result=outcome.value)
        status = after(Step.FINISH, step.status, lead=row.role == AssignmentRole.LEAD)
        step.update(status=status.value)
        step.event(
            Action.FINISH,
            unit=unit,
            note=text,
            role=row.role,
            result=outcome.value,
            due=step.iso(row.finish_due),
            in_time=not late,
        )
        return step.done(Action.FINISH, status, late=late)


__all__ = [
    "AssignmentView",
    "LateDeadline",
    "StepDone",
    "Summons",
    "accept",
    "add_note",
    "contact",
    "decide_extension",
    "finish",
    "request_extension",
    "return_ticket",
    "whistle",
]
