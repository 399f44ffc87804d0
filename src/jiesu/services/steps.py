"""What every handling step shares: the step's context inside its one write transaction (the ticket
read under the write lock, the state machine asked, the time checked against the ticket's history),
the units' requests the centre decides (extension, appeal), and what a step reports back (`StepDone`).

A refused step writes nothing and says what the ticket's state allows. A step that changes the
figures of a published period (its time falls in one: back-dated with --at; or an appeal decided
later for a ticket assessed in one) is refused unless the operator gives a correction's reason;
with it, the step is recorded, its events carry the reason, and the period is marked "corrected
after publication" until a new revision is published (services/publishing.py).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jiesu.domain.enums import Action, AssignmentRole, AssignmentState, Status
from jiesu.domain.lifecycle import Step, require
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
    file_request,
    last_step_at,
    pending_request,
    save_ticket,
    ticket_assignments,
    ticket_state,
    update_assignment,
)
from jiesu.store.publications import PublicationView, covering, record_correction
from jiesu.store.rows import correction_row, event_row


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


class StepContext:
    """One step on one ticket, inside its transaction."""

    def __init__(
        self,
        office: Office,
        conn: CaseConnection,
        number: str,
        at: datetime | None,
        step: Step,
        correction: str | None = None,
    ) -> None:
        self.office = office
        self.conn = conn
        self.step = step
        self.correction = correction.strip() if correction is not None else None
        if correction is not None and not self.correction:
            raise UsageError("correction", "is empty; say why the published period is corrected")
        self.corrects: dict[str, int] = {}  # published period → the publication corrected
        self.ticket: TicketState = read_ticket(conn, number)
        self.number = self.ticket.number
        self.status = Status(self.ticket.status)
        require(step, self.status, self.number)
        self.at = self._when(at)
        self.affects(self.at)

    def affects(self, moment: datetime) -> None:
        """This step changes the figures of the period `moment` falls in: refused when that period is
        published, unless the step is a correction; a correction is recorded against it."""
        found = [p for p in covering(self.conn, moment) if p.period not in self.corrects]
        if not found:
            return
        if self.correction is None:
            tz, first = self.office.rules.timezone, found[0]
            raise RefusedError(
                f"{short(moment, tz)} falls in {first.period}, published on {short(first.published_at, tz)} "
                f"(revision {first.revision}, hash {first.hash[:12]}); to change published figures give "
                '--correction "reason"'
            )
        record_corrections(
            self.conn,
            self.office,
            found,
            ticket_id=self.ticket.id,
            action=self.step.value,
            at=moment,
            reason=self.correction,
        )
        self.corrects |= {p.period: p.id for p in found}

    def check_correction(self) -> None:
        """A --correction given to a step that changes no published period is a mistake."""
        if self.correction is not None and not self.corrects:
            raise UsageError("correction", "this step changes no published period; drop --correction")

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
        if not unit.strip():
            units = ", ".join(a.unit for a in active) or "none is active"
            raise UsageError("unit", f"is empty; name the unit by its code (on ticket {self.number}: {units})")
        for row in active:
            if row.unit == unit and (role is None or row.role == role):
                return row
        units = ", ".join(f"{a.unit} ({a.role})" for a in active) or "none"
        what = f"the {role} unit of" if role == AssignmentRole.LEAD else "assigned to"
        raise RefusedError(f"{unit} is not {what} ticket {self.number}; its active units: {units}")

    def event(self, action: Action, *, unit: str | None = None, note: str | None = None, **data: Any) -> None:
        """Append an event at this step's time by this command's operator (with the correction's
        reason and the periods it corrects, when it is one)."""
        if self.corrects:
            data |= {"correction": self.correction, "corrects": sorted(self.corrects)}
        append_event(
            self.conn,
            event_row(
                ticket_id=self.ticket.id,
                at=self.at,
                operator=self.office.operator,
                login=self.office.login,
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


def record_corrections(
    conn: CaseConnection,
    office: Office,
    published: list[PublicationView],
    *,
    ticket_id: int,
    action: str,
    at: datetime,
    reason: str,
) -> None:
    """Record a change to these published periods after their publication (they show as corrected
    until a new revision is published)."""
    for item in published:
        record_correction(
            conn,
            correction_row(
                publication_id=item.id,
                ticket_id=ticket_id,
                action=action,
                at=at,
                recorded_at=office.now,
                operator=office.operator,
                reason=reason,
            ),
        )


def read_ticket(conn: CaseConnection, number: str) -> TicketState:
    ticket = ticket_state(conn, number.strip())
    if ticket is None:
        raise NotFoundError(f"no ticket {number.strip()!r} in the case file; check the number with `jiesu search`")
    return ticket


@contextmanager
def run_step(
    office: Office, number: str, at: datetime | None, step: Step, correction: str | None = None
) -> Iterator[StepContext]:
    """The step's write transaction: committed when the block ends, nothing written on a refusal."""
    with transaction(office.engine, write=True) as conn:
        context = StepContext(office, conn, number, at, step, correction)
        yield context
        context.check_correction()


def required_text(value: str | None, field: str, what: str) -> str:
    if value is None or not value.strip():
        raise UsageError(field, f"is required; {what}")
    return value.strip()


def file_unit_request(step: StepContext, kind: str, *, unit: str, reason: str, until: datetime | None = None) -> None:
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


def decide_unit_request(step: StepContext, kind: str, *, approve: bool, reason: str | None) -> UnitRequest:
    """Record the centre's decision on the unit's waiting extension or appeal request; returns it."""
    pending = pending_request(step.conn, step.ticket.id, kind)
    if pending is None:
        what = "extension request" if kind == "extension" else "appeal"
        raise RefusedError(f"ticket {step.number} has no {what} waiting for a decision")
    decide_request(step.conn, pending.id, approve=approve, at=step.at, by=step.office.operator, reason=reason)
    return pending
