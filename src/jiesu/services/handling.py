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

from sqlalchemy import Connection, select
from sqlalchemy.engine import RowMapping

from jiesu.domain.catalogue import UnitClass
from jiesu.domain.durations import Duration, due
from jiesu.domain.enums import Action, Result, Satisfaction, Status, parse_enum
from jiesu.domain.lifecycle import ENDS_ASSIGNMENTS, OPEN, Step, after, require
from jiesu.domain.times import iso, short
from jiesu.errors import NotFoundError, RefusedError, UsageError
from jiesu.services.context import Office
from jiesu.store.engine import transaction
from jiesu.store.tickets import (
    ASSIGNMENTS,
    CALLBACKS,
    EVENTS,
    REQUESTS,
    TicketWriter,
    append_event,
    end_assignments,
    get_ticket,
    ticket_assignments,
    update_ticket,
)


@dataclass(frozen=True)
class StepDone:
    """What a step did: the ticket after it, and anything worth telling the operator."""

    number: str
    action: str
    status: str
    messages: tuple[str, ...] = ()


class _Step:
    """One step on one ticket, inside its transaction."""

    def __init__(self, office: Office, conn: Connection, number: str, at: datetime | None, step: Step) -> None:
        self.office = office
        self.conn = conn
        ticket = get_ticket(conn, number.strip())
        if ticket is None:
            raise NotFoundError(f"no ticket {number.strip()!r} in the case file; check the number with `jiesu search`")
        self.ticket: RowMapping = ticket
        self.number = ticket["number"]
        self.status = Status(ticket["status"])
        require(step, self.status, self.number)
        self.at = self._when(at)

    def _when(self, at: datetime | None) -> datetime:
        moment = at or self.office.now
        if moment > self.office.now:
            raise UsageError("at", "is in the future; a step cannot be recorded before it happens")
        # the cron job's warnings are not steps: a clerk may still record what happened before them
        watch = [Action.WARN.value, Action.OVERDUE.value, Action.ESCALATE.value]
        last = self.conn.execute(
            select(EVENTS.c.at)
            .where(EVENTS.c.ticket_id == self.ticket["id"], EVENTS.c.action.not_in(watch))
            .order_by(EVENTS.c.at.desc())
            .limit(1)
        ).scalar_one_or_none()
        if last is not None and moment < last:
            tz = self.office.rules.timezone
            raise UsageError(
                "at", f"{short(moment, tz)} is before the ticket's last step ({short(last, tz)}); history is in order"
            )
        return moment

    def assignment(self, unit: str, *, role: str | None = None) -> RowMapping:
        """The unit's active assignment on this ticket (refused if it has none)."""
        active = [a for a in ticket_assignments(self.conn, self.ticket["id"]) if a["state"] == "active"]
        for row in active:
            if row["unit"] == unit and (role is None or row["role"] == role):
                return row
        units = ", ".join(f"{a['unit']} ({a['role']})" for a in active) or "none"
        what = f"the {role} unit of" if role == "lead" else "assigned to"
        raise RefusedError(f"{unit} is not {what} ticket {self.number}; its active units: {units}")

    def event(self, action: Action, *, unit: str | None = None, note: str | None = None, **data: Any) -> None:
        """Append an event at this step's time by this command's operator."""
        append_event(
            self.conn,
            {
                "ticket_id": self.ticket["id"],
                "at": self.at,
                "operator": self.office.operator,
                "action": action.value,
                "unit": unit,
                "note": note,
                "data": data or None,
            },
        )

    def update(self, **values: Any) -> None:
        """Change the ticket's current state (version-checked)."""
        update_ticket(self.conn, self.ticket, updated_at=self.at, **values)

    def update_assignment(self, row: RowMapping, **values: Any) -> None:
        self.conn.execute(ASSIGNMENTS.update().where(ASSIGNMENTS.c.id == row["id"]).values(**values))

    def iso(self, moment: datetime | None) -> str | None:
        return iso(moment, self.office.rules.timezone)

    def done(self, action: Action, status: Status, *messages: str) -> StepDone:
        return StepDone(self.number, action.value, status.value, tuple(messages))


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
        if row["accepted_at"] is not None:
            raise RefusedError(
                f"{unit} already accepted ticket {step.number} at {short(row['accepted_at'], office.rules.timezone)}"
            )
        late = step.at > row["accept_due"]
        data: dict[str, Any] = {"role": row["role"], "due": step.iso(row["accept_due"]), "late": late}
        messages = []
        if row["report_due"] is not None:
            data["report_due"] = step.iso(row["report_due"])
            data["late_report"] = step.at > row["report_due"]
            if data["late_report"]:
                messages.append(f"{unit} reported in late (due {short(row['report_due'], office.rules.timezone)})")
        elif late:
            messages.append(f"accepted late (due {short(row['accept_due'], office.rules.timezone)})")
        step.update_assignment(row, accepted_at=step.at)
        status = after(Step.ACCEPT, step.status, lead=row["role"] == "lead")
        step.update(status=status.value)
        step.event(Action.ACCEPT, unit=unit, note=note, **data)
        return step.done(Action.ACCEPT, status, *messages)


def return_ticket(
    office: Office, number: str, *, unit: str, reason: str | None, at: datetime | None = None
) -> StepDone:
    """退单: the unit says the ticket is not theirs. A lead's return sends it back to the queue."""
    reason = _text(reason, "reason", "say why the ticket is not this unit's")
    with _run(office, number, at, Step.RETURN) as step:
        row = step.assignment(unit)
        if row["finished_at"] is not None:
            raise RefusedError(f"{unit} already finished its part of ticket {step.number}; it cannot return it")
        lead = row["role"] == "lead"
        step.update_assignment(row, state="returned", ended_at=step.at)
        if lead:  # the whole dispatch is undone: co-handlers were chosen with the lead
            for other in ticket_assignments(step.conn, step.ticket["id"]):
                if other["state"] == "active":
                    step.update_assignment(other, state="ended", ended_at=step.at)
            step.update(status=Status.PENDING.value, lead_unit=None)
        step.event(Action.RETURN, unit=unit, note=reason, role=row["role"], rule=row["rule"])
        status = after(Step.RETURN, step.status, lead=lead)
        message = "back in the dispatch queue: `jiesu dispatch` re-applies the rules without the units that returned it"
        return step.done(Action.RETURN, status, *([message] if lead else []))


def contact(office: Office, number: str, *, unit: str, at: datetime | None = None, note: str | None = None) -> StepDone:
    """联系诉求人: the unit reached the requester; in time or not against the contact deadline."""
    with _run(office, number, at, Step.CONTACT) as step:
        row = step.assignment(unit)
        if row["accepted_at"] is None:
            raise RefusedError(f"{unit} has not accepted ticket {step.number}; accept it first (jiesu accept)")
        if row["contacted_at"] is not None:
            when = short(row["contacted_at"], office.rules.timezone)
            raise RefusedError(f"{unit} already contacted the requester of ticket {step.number} at {when}")
        in_time = step.at <= row["contact_due"]
        step.update_assignment(row, contacted_at=step.at)
        step.update()
        step.event(Action.CONTACT, unit=unit, note=note, due=step.iso(row["contact_due"]), in_time=in_time)
        late = () if in_time else (f"contacted late (due {short(row['contact_due'], office.rules.timezone)})",)
        return step.done(Action.CONTACT, step.status, *late)


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
        row = step.assignment(unit, role="lead")
        if _pending(step, "extension") is not None:
            raise RefusedError(
                f"ticket {step.number} already has an extension request waiting; approve or deny it first"
            )
        rules = office.rules
        current = row["finish_due"]
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
    step.conn.execute(
        REQUESTS.insert().values(
            ticket_id=step.ticket["id"],
            kind=kind,
            unit=unit,
            requested_at=step.at,
            requested_by=step.office.operator,
            reason=reason,
            until=until,
            state="requested",
        )
    )


def _decide_request(step: _Step, kind: str, *, approve: bool, reason: str | None) -> RowMapping:
    """Record the centre's decision on the unit's waiting extension or appeal request; returns it."""
    pending = _pending(step, kind)
    if pending is None:
        what = "extension request" if kind == "extension" else "appeal"
        raise RefusedError(f"ticket {step.number} has no {what} waiting for a decision")
    step.conn.execute(
        REQUESTS.update()
        .where(REQUESTS.c.id == pending["id"])
        .values(
            state="approved" if approve else "denied",
            decided_at=step.at,
            decided_by=step.office.operator,
            decision_reason=reason,
        )
    )
    return pending


def _pending(step: _Step, kind: str) -> RowMapping | None:
    query = select(REQUESTS).where(
        REQUESTS.c.ticket_id == step.ticket["id"], REQUESTS.c.kind == kind, REQUESTS.c.state == "requested"
    )
    return step.conn.execute(query).mappings().first()


def decide_extension(
    office: Office, number: str, *, approve: bool, reason: str | None = None, at: datetime | None = None
) -> StepDone:
    """The centre approves (the finish deadline moves) or denies an extension request."""
    with _run(office, number, at, Step.DECIDE_EXTENSION) as step:
        pending = _decide_request(step, "extension", approve=approve, reason=reason)
        data: dict[str, Any] = {"requested_by_unit": pending["unit"], "until": step.iso(pending["until"])}
        if approve:
            for row in ticket_assignments(step.conn, step.ticket["id"]):
                if row["state"] == "active" and row["finished_at"] is None:
                    if row["role"] == "lead":
                        data["finish_due_before"] = step.iso(row["finish_due"])
                    step.update_assignment(row, finish_due=pending["until"])
        step.update()
        action = Action.EXTEND_APPROVE if approve else Action.EXTEND_DENY
        step.event(action, unit=pending["unit"], note=reason, **data)
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
        lead = step.assignment(unit, role="lead")
        street = rules.units.get(unit)
        if street is None or street.unit_class is not UnitClass.STREET:
            kind = street.unit_class.value if street else "unknown unit"
            raise RefusedError(f"only a street or township lead unit can whistle (吹哨); {unit} is a {kind}")
        active = {a["unit"] for a in ticket_assignments(step.conn, step.ticket["id"]) if a["state"] == "active"}
        for code in codes:
            if code not in rules.units:
                raise UsageError("summon", f"unknown unit code {code!r}; see `jiesu units`")
            if code in active:
                raise RefusedError(f"{code} is already handling ticket {step.number}")
        report_due = due(step.at, window, rules.calendar, rules.timezone)
        TicketWriter(step.conn).insert_assignments(
            [
                {
                    "ticket_id": step.ticket["id"],
                    "unit": code,
                    "role": "co",
                    "state": "active",
                    "rule": None,
                    "assigned_at": step.at,
                    "accept_due": report_due,
                    "contact_due": lead["contact_due"],
                    "finish_due": lead["finish_due"],
                    "report_due": report_due,
                    "accepted_at": None,
                    "contacted_at": None,
                    "finished_at": None,
                    "result": None,
                    "ended_at": None,
                }
                for code in codes
            ]
        )
        step.update()
        step.event(
            Action.WHISTLE, unit=unit, note=note, summoned=codes, report_due=step.iso(report_due), within=str(window)
        )
        return step.done(
            Action.WHISTLE,
            step.status,
            f"summoned {', '.join(codes)}: report in (jiesu accept) by {short(report_due, rules.timezone)}",
        )


def finish(
    office: Office, number: str, *, unit: str, result: str, text: str | None, at: datetime | None = None
) -> StepDone:
    """办结: the lead unit reports the result; a co-handler finishes its own part."""
    outcome = parse_enum(Result, result, "result")
    text = _text(text, "text", "describe what was done")
    with _run(office, number, at, Step.FINISH) as step:
        row = step.assignment(unit)
        if row["accepted_at"] is None:
            raise RefusedError(f"{unit} has not accepted ticket {step.number}; accept it first (jiesu accept)")
        if row["finished_at"] is not None:
            raise RefusedError(f"{unit} already finished ticket {step.number}")
        lead = row["role"] == "lead"
        in_time = step.at <= row["finish_due"]
        step.update_assignment(row, finished_at=step.at, result=outcome.value)
        status = after(Step.FINISH, step.status, lead=lead)
        step.update(status=status.value)
        step.event(
            Action.FINISH,
            unit=unit,
            note=text,
            role=row["role"],
            result=outcome.value,
            due=step.iso(row["finish_due"]),
            in_time=in_time,
        )
        late = () if in_time else (f"finished late (due {short(row['finish_due'], office.rules.timezone)})",)
        return step.done(Action.FINISH, status, *late)


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
    answer = parse_enum(Satisfaction, satisfaction, "satisfaction") if satisfaction else None
    if reached and (contacted is None or resolved is None or answer is None):
        raise UsageError(
            "resolved", "a reached callback records all three answers: --contacted, --resolved and --satisfaction"
        )
    if not reached and (contacted is not None or resolved is not None or answer is not None or reopen):
        raise UsageError("unreachable", "an unreachable callback has no answers; record them when reached")
    if reopen and resolved is not False:
        raise UsageError("reopen", "only a request the requester says is unresolved (--resolved no) is reopened")
    with _run(office, number, at, Step.CALLBACK) as step:
        status = after(Step.CALLBACK, step.status, reached=reached, reopen=reopen)
        step.conn.execute(
            CALLBACKS.insert().values(
                ticket_id=step.ticket["id"],
                at=step.at,
                operator=office.operator,
                unit=step.ticket["lead_unit"],
                reached=reached,
                contacted=contacted,
                resolved=resolved,
                satisfaction=answer.value if answer else None,
                closed=status is Status.CLOSED,
                note=note,
            )
        )
        answers = {
            "reached": reached,
            "contacted": contacted,
            "resolved": resolved,
            "satisfaction": answer.value if answer else None,
        }
        step.event(Action.CALLBACK, unit=step.ticket["lead_unit"], note=note, **answers)
        if status is Status.CLOSED:  # closing ends every unit's part, co-handlers' too
            end_assignments(step.conn, step.ticket["id"], state=ENDS_ASSIGNMENTS[status], at=step.at)
            step.update(status=status.value, closed_at=step.at)
            step.event(Action.CLOSE, unit=step.ticket["lead_unit"])
        elif status is Status.REOPENED:
            new_due = _reopen(step)
            step.update(status=status.value, reopen_count=step.ticket["reopen_count"] + 1)
            step.event(Action.REOPEN, unit=step.ticket["lead_unit"], finish_due=step.iso(new_due))
        else:
            step.update()
        action = (
            Action.CALLBACK
            if status is Status.FINISHED
            else (Action.CLOSE if status is Status.CLOSED else Action.REOPEN)
        )
        return step.done(action, status)


def _reopen(step: _Step) -> datetime:
    rules = step.office.rules
    profile = rules.limits[rules.handling.reopen_limits]
    new_due = due(step.at, profile.finish, rules.calendar, rules.timezone)
    lead = step.assignment(step.ticket["lead_unit"], role="lead")
    step.update_assignment(lead, finished_at=None, result=None, finish_due=new_due)
    return new_due


def appeal(office: Office, number: str, *, unit: str, reason: str | None, at: datetime | None = None) -> StepDone:
    """申诉 / 不合理诉求: the lead unit asks to exclude a closed ticket from its assessment."""
    reason = _text(reason, "reason", "say why the ticket should not count against the unit")
    with _run(office, number, at, Step.APPEAL) as step:
        if step.ticket["lead_unit"] != unit:
            raise RefusedError(f"only the lead unit ({step.ticket['lead_unit']}) can appeal ticket {step.number}")
        existing = step.conn.execute(
            select(REQUESTS.c.state).where(
                REQUESTS.c.ticket_id == step.ticket["id"],
                REQUESTS.c.kind == "appeal",
                REQUESTS.c.state.in_(["requested", "approved"]),
            )
        ).scalar_one_or_none()
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
        step.event(action, unit=pending["unit"], note=reason, decided_by=office.operator)
        return step.done(action, step.status)


def merge(office: Office, number: str, *, into: str, at: datetime | None = None, note: str | None = None) -> StepDone:
    """合并: a repeat of an open ticket closes, points at the original, and is not assessed on its own."""
    with _run(office, number, at, Step.MERGE) as step:
        original = get_ticket(step.conn, into.strip())
        if original is None:
            raise NotFoundError(f"no ticket {into.strip()!r} in the case file; check the number with `jiesu search`")
        if original["id"] == step.ticket["id"]:
            raise UsageError("into", "a ticket cannot be merged into itself")
        if Status(original["status"]) not in OPEN:
            raise RefusedError(
                f"ticket {original['number']} is {original['status']}; a repeat is merged into an open ticket"
            )
        for row in ticket_assignments(step.conn, step.ticket["id"]):
            if row["state"] == "active":
                step.update_assignment(row, state="ended", ended_at=step.at)
        step.update(status=Status.MERGED.value, merged_into=original["id"], closed_at=step.at)
        step.event(Action.MERGE, note=note, into=original["number"])
        append_event(
            step.conn,
            {
                "ticket_id": original["id"],
                "at": step.at,
                "operator": office.operator,
                "action": Action.NOTE.value,
                "unit": None,
                "note": f"repeat {step.number} merged into this ticket",
                "data": {"merged": step.number},
            },
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
    "StepDone",
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
