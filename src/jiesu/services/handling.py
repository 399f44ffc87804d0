"""The rest of a ticket's life: units accept, return, contact, extend, whistle, finish; the centre
calls back, decides appeals, merges repeats and supervises.

Each step is one write transaction: it reads the ticket under the write lock, asks the state
machine whether the step is allowed, appends its events and updates the current state. A refused
step writes nothing and says what the ticket's state allows.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jiesu.domain.catalogue import UnitClass
from jiesu.domain.durations import Duration, due
from jiesu.domain.enums import Action, AssignmentRole, AssignmentState, Result, Satisfaction, Status, parse_enum
from jiesu.domain.lifecycle import ENDS_ASSIGNMENTS, OPEN, Step, after, require
from jiesu.domain.times import iso, short
from jiesu.errors import NotFoundError, RefusedError, UsageError
from jiesu.services.context import Office
from jiesu.store.engine import CaseConnection, transaction
from jiesu.store.handling import (
    AssignmentView,
    TicketState,
    UnitRequest,
    append_event,
    decide_request,
    end_assignments,
    file_request,
    insert_rows,
    last_step_at,
    open_appeal_state,
    pending_request,
    record_callback,
    save_ticket,
    ticket_assignments,
    ticket_state,
    update_assignment,
)
from jiesu.store.rows import assignment_row, event_row


@dataclass(frozen=True)
class LateDeadline:
    """A deadline a step came after: which (accept, report, contact, finish), whose, due when, done when."""

    deadline: str
    unit: str
    due: datetime
    at: datetime


@dataclass(frozen=True)
class Summons:
    """The departments a whistle summoned, and when they must report in (accept) by."""

    units: tuple[str, ...]
    report_due: datetime


@dataclass(frozen=True)
class StepDone:
    """What a step did: the ticket after it, and what is worth telling the operator, as data."""

    number: str
    action: str
    status: str
    late: tuple[LateDeadline, ...] = ()
    requeued: bool = False  # a lead's return put the ticket back in the dispatch queue
    summoned: Summons | None = None


# The cron job's warnings are not steps: a clerk may still record what happened before them.
WATCH_ACTIONS = (Action.WARN.value, Action.OVERDUE.value, Action.ESCALATE.value)


class _Step:
    """One step on one ticket, inside its transaction."""

    def __init__(self, office: Office, conn: CaseConnection, number: str, at: datetime | None, step: Step) -> None:
        self.office = office
        self.conn = conn
        self.ticket: TicketState = _ticket(conn, number)
        self.number = self.ticket.number
        self.status = Status(self.ticket.status)
        require(step, self.status, self.number)
        self.at = self._when(at)

    def _when(self, at: datetime | None) -> datetime:
        moment = at or self.office.now
        if moment > self.office.now:
            raise UsageError("at", "is in the future; a step cannot be recorded before it happens")
        last = last_step_at(self.conn, self.ticket.id, ignoring=WATCH_ACTIONS)
        if last is not None and moment < last:
            tz = self.office.rules.timezone
            raise UsageError(
                "at", f"{short(moment, tz)} is before the ticket's last step ({short(last, tz)}); history is in order"
            )
        return moment

    def assignments(self) -> list[AssignmentView]:
        """The ticket's assignments, oldest first."""
        return ticket_assignments(self.conn, self.ticket.id)

    def assignment(self, unit: str, *, role: str | None = None) -> AssignmentView:
        """The unit's active assignment on this ticket (refused if it has none)."""
        active = [a for a in self.assignments() if a.state == AssignmentState.ACTIVE]
        for row in active:
            if row.unit == unit and (role is None or row.role == role):
                return row
        units = ", ".join(f"{a.unit} ({a.role})" for a in active) or "none"
        what = f"the {role} unit of" if role == AssignmentRole.LEAD else "assigned to"
        raise RefusedError(f"{unit} is not {what} ticket {self.number}; its active units: {units}")

    def event(self, action: Action, *, unit: str | None = None, note: str | None = None, **data: Any) -> None:
        """Append an event at this step's time by this command's operator."""
        append_event(
            self.conn,
            event_row(
                ticket_id=self.ticket.id,
                at=self.at,
                operator=self.office.operator,
                action=action.value,
                unit=unit,
                note=note,
                data=data,
            ),
        )

    def update(self, **values: Any) -> None:
        """Change the ticket's current state (version-checked)."""
        save_ticket(self.conn, self.ticket, updated_at=self.at, **values)

    def update_assignment(self, row: AssignmentView, **values: Any) -> None:
        update_assignment(self.conn, row.id, **values)

    def iso(self, moment: datetime | None) -> str | None:
        return iso(moment, self.office.rules.timezone)

    def late(self, deadline: str, unit: str, due: datetime) -> tuple[LateDeadline, ...]:
        """This step's lateness against `due`, if it came after it."""
        return (LateDeadline(deadline, unit, due, self.at),) if self.at > due else ()

    def done(self, action: Action, status: Status, **told: Any) -> StepDone:
        return StepDone(self.number, action.value, status.value, **told)


def _ticket(conn: CaseConnection, number: str) -> TicketState:
    ticket = ticket_state(conn, number.strip())
    if ticket is None:
        raise NotFoundError(f"no ticket {number.strip()!r} in the case file; check the number with `jiesu search`")
    return ticket


@contextmanager
def _run(office: Office, number: str, at: datetime | None, step: Step) -> Iterator[_Step]:
    """The step's write transaction: committed when the block ends, nothing written on a refusal."""
    with transaction(office.engine, write=True) as conn:
        yield _Step(office, conn, number, at, step)


def _text(value: str | None, field: str, what: str) -> str:
    if value is None or not value.strip():
        raise UsageError(field, f"is required; {what}")
    return value.strip()


def accept(office: Office, number: str, *, unit: str, at: datetime | None = None, note: str | None = None) -> StepDone:
    """签收: the unit takes the ticket. A summoned department reporting in late is recorded as late."""
    with _run(office, number, at, Step.ACCEPT) as step:
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
    office: Office, number: str, *, unit: str, reason: str | None, at: datetime | None = None
) -> StepDone:
    """退单: the unit says the ticket is not theirs. A lead's return sends it back to the queue."""
    reason = _text(reason, "reason", "say why the ticket is not this unit's")
    with _run(office, number, at, Step.RETURN) as step:
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


def contact(office: Office, number: str, *, unit: str, at: datetime | None = None, note: str | None = None) -> StepDone:
    """联系诉求人: the unit reached the requester; in time or not against the contact deadline."""
    with _run(office, number, at, Step.CONTACT) as step:
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
    office: Office, number: str, *, text: str | None, unit: str | None = None, at: datetime | None = None
) -> StepDone:
    """办理进展: a progress note; allowed at any time, even after closing."""
    text = _text(text, "text", "write the progress note")
    with _run(office, number, at, Step.NOTE) as step:
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
) -> StepDone:
    """延期申请: the lead unit asks for a later finish deadline; the centre decides."""
    reason = _text(reason, "reason", "say why more time is needed")
    if (until is None) == (by is None):
        raise UsageError("until", "give either --until DATETIME or --by DURATION (such as 5wd)")
    with _run(office, number, at, Step.EXTEND) as step:
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
        _file_request(step, "extension", unit=unit, reason=reason, until=wanted)
        step.update()
        step.event(Action.EXTEND_REQUEST, unit=unit, note=reason, finish_due=step.iso(current), until=step.iso(wanted))
        return step.done(Action.EXTEND_REQUEST, step.status)


def _file_request(step: _Step, kind: str, *, unit: str, reason: str, until: datetime | None = None) -> None:
    """A unit's extension or appeal request, waiting for the centre's decision."""
    file_request(
        step.conn,
        ticket_id=step.ticket.id,
        kind=kind,
        unit=unit,
        at=step.at,
        by=step.office.operator,
        reason=reason,
        until=until,
    )


def _decide_request(step: _Step, kind: str, *, approve: bool, reason: str | None) -> UnitRequest:
    """Record the centre's decision on the unit's waiting extension or appeal request; returns it."""
    pending = pending_request(step.conn, step.ticket.id, kind)
    if pending is None:
        what = "extension request" if kind == "extension" else "appeal"
        raise RefusedError(f"ticket {step.number} has no {what} waiting for a decision")
    decide_request(step.conn, pending.id, approve=approve, at=step.at, by=step.office.operator, reason=reason)
    return pending


def decide_extension(
    office: Office, number: str, *, approve: bool, reason: str | None = None, at: datetime | None = None
) -> StepDone:
    """The centre approves (the finish deadline moves) or denies an extension request."""
    with _run(office, number, at, Step.DECIDE_EXTENSION) as step:
        pending = _decide_request(step, "extension", approve=approve, reason=reason)
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
    note: str | None = None,
) -> StepDone:
    """吹哨报到: the lead street summons departments as co-handlers, who must report in in time."""
    codes = [c.strip() for c in summon if c.strip()]
    if not codes:
        raise UsageError("summon", "name the departments to summon, e.g. --summon chengguan,zhujianwei")
    rules = office.rules
    window = within or rules.handling.whistle_within
    with _run(office, number, at, Step.WHISTLE) as step:
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
    office: Office, number: str, *, unit: str, result: str, text: str | None, at: datetime | None = None
) -> StepDone:
    """办结: the lead unit reports the result; a co-handler finishes its own part."""
    outcome = parse_enum(Result, result, "result")
    text = _text(text, "text", "describe what was done")
    with _run(office, number, at, Step.FINISH) as step:
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
    note: str | None = None,
) -> StepDone:
    """回访: the centre calls the requester back. Reached: closes it, or reopens it (重办)."""
    answers = _callback_answers(reached, contacted, resolved, satisfaction, reopen)
    with _run(office, number, at, Step.CALLBACK) as step:
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


def _reopen(step: _Step) -> datetime:
    rules = step.office.rules
    profile = rules.limits[rules.handling.reopen_limits]
    new_due = due(step.at, profile.finish, rules.calendar, rules.timezone)
    lead = step.assignment(step.ticket.lead_unit or "", role=AssignmentRole.LEAD)
    step.update_assignment(lead, finished_at=None, result=None, finish_due=new_due)
    return new_due


def appeal(office: Office, number: str, *, unit: str, reason: str | None, at: datetime | None = None) -> StepDone:
    """申诉 / 不合理诉求: the lead unit asks to exclude a closed ticket from its assessment."""
    reason = _text(reason, "reason", "say why the ticket should not count against the unit")
    with _run(office, number, at, Step.APPEAL) as step:
        if step.ticket.lead_unit != unit:
            raise RefusedError(f"only the lead unit ({step.ticket.lead_unit}) can appeal ticket {step.number}")
        existing = open_appeal_state(step.conn, step.ticket.id)
        if existing is not None:
            raise RefusedError(f"ticket {step.number} already has an appeal that is {existing}")
        _file_request(step, "appeal", unit=unit, reason=reason)
        step.update()
        step.event(Action.APPEAL_REQUEST, unit=unit, note=reason)
        return step.done(Action.APPEAL_REQUEST, step.status)


def decide_appeal(
    office: Office, number: str, *, approve: bool, reason: str | None, at: datetime | None = None
) -> StepDone:
    """The centre decides an appeal; an approved one excludes the ticket from the unit's assessment."""
    reason = _text(reason, "reason", "record why the appeal is approved or denied")
    with _run(office, number, at, Step.DECIDE_APPEAL) as step:
        pending = _decide_request(step, "appeal", approve=approve, reason=reason)
        if approve:
            step.update(exempt=True)
        else:
            step.update()
        action = Action.APPEAL_APPROVE if approve else Action.APPEAL_DENY
        step.event(action, unit=pending.unit, note=reason, decided_by=office.operator)
        return step.done(action, step.status)


def merge(office: Office, number: str, *, into: str, at: datetime | None = None, note: str | None = None) -> StepDone:
    """合并: a repeat of an open ticket closes, points at the original, and is not assessed on its own."""
    with _run(office, number, at, Step.MERGE) as step:
        original = _ticket(step.conn, into)
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
                action=Action.NOTE.value,
                note=f"repeat {step.number} merged into this ticket",
                data={"merged": step.number},
            ),
        )
        return step.done(Action.MERGE, Status.MERGED)


def supervise(office: Office, number: str, *, reason: str | None, at: datetime | None = None) -> StepDone:
    """督办: the centre flags the ticket for follow-up; the flag shows in show and list."""
    reason = _text(reason, "reason", "say what the centre wants followed up")
    with _run(office, number, at, Step.SUPERVISE) as step:
        step.update(supervised=True)
        step.event(Action.SUPERVISE, note=reason)
        return step.done(Action.SUPERVISE, step.status)


__all__ = [
    "AssignmentView",
    "LateDeadline",
    "StepDone",
    "Summons",
    "accept",
    "add_note",
    "appeal",
    "callback",
    "contact",
    "decide_appeal",
    "decide_extension",
    "finish",
    "merge",
    "request_extension",
    "return_ticket",
    "supervise",
    "whistle",
]
