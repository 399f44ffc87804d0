"""The ticket lifecycle as a state machine: which step is allowed in which state, and where it leads.

intake → answered | referred | guided | pending → dispatched → accepted → finished → closed
side paths: pending/dispatched/accepted/reopened → guided (to market mechanisms or social forces);
dispatched/accepted → returned (pending again) → dispatched; accepted → extension
requested → approved/denied; finished → callback unreached (retry) | reopened → finished again;
any open ticket → merged into another; closed → appeal → exempt or not.
A ticket that reaches an end (closed, merged, referred, guided) ends every assignment it still has.

Pure: steps and statuses in, the next status (or a refusal naming what is allowed) out.
"""

from enum import StrEnum

from jiesu.domain.enums import AssignmentState, Status
from jiesu.errors import RefusedError


class Step(StrEnum):
    """Something a unit or the centre does to a ticket."""

    DISPATCH = "dispatch"
    ACCEPT = "accept"
    RETURN = "return"
    CONTACT = "contact"
    NOTE = "note"
    EXTEND = "extend"  # a unit asks for more time
    DECIDE_EXTENSION = "decide-extension"
    WHISTLE = "whistle"
    FINISH = "finish"
    CALLBACK = "callback"
    APPEAL = "appeal"
    DECIDE_APPEAL = "decide-appeal"
    MERGE = "merge"
    SUPERVISE = "supervise"
    GUIDE = "guide"  # the requester is guided to a market mechanism or a social force; the ticket ends


OPEN = frozenset({Status.PENDING, Status.DISPATCHED, Status.ACCEPTED, Status.REOPENED, Status.FINISHED})
HANDLING = frozenset({Status.ACCEPTED, Status.REOPENED})
# a unit still owes a step: the deadlines of these tickets are watched (overdue, escalation)
AT_UNITS = frozenset({Status.DISPATCHED, Status.ACCEPTED, Status.REOPENED})
EVERY = frozenset(Status)

# The ends of a ticket's life, and what its active assignments become there. "closed": the unit's
# part ended with the ticket (the lead's still counts in the assessment); "ended": nothing counts.
ENDS_ASSIGNMENTS: dict[Status, str] = {
    Status.CLOSED: AssignmentState.CLOSED,
    Status.MERGED: AssignmentState.ENDED,
    Status.REFERRED: AssignmentState.ENDED,
    Status.ANSWERED: AssignmentState.ENDED,
    Status.GUIDED: AssignmentState.ENDED,
}

ALLOWED: dict[Step, frozenset[Status]] = {
    Step.DISPATCH: frozenset({Status.PENDING}),
    Step.ACCEPT: frozenset({Status.DISPATCHED, Status.ACCEPTED, Status.REOPENED}),
    Step.RETURN: frozenset({Status.DISPATCHED, Status.ACCEPTED}),
    Step.CONTACT: HANDLING,
    Step.NOTE: EVERY,
    Step.EXTEND: HANDLING,
    Step.DECIDE_EXTENSION: HANDLING,
    Step.WHISTLE: frozenset({Status.DISPATCHED}) | HANDLING,
    Step.FINISH: HANDLING,
    Step.CALLBACK: frozenset({Status.FINISHED}),
    Step.APPEAL: frozenset({Status.CLOSED}),
    Step.DECIDE_APPEAL: frozenset({Status.CLOSED}),
    Step.MERGE: OPEN,
    Step.SUPERVISE: OPEN,
    # before the unit reports it finished: a finished ticket waits for its callback instead
    Step.GUIDE: frozenset({Status.PENDING}) | AT_UNITS,
}


def allowed_steps(status: Status) -> list[Step]:
    """Every step the status allows, in lifecycle order."""
    return [step for step, statuses in ALLOWED.items() if status in statuses]


# The centre decides a request with the request's own command: there is no `jiesu decide-…`.
_TYPED = {Step.DECIDE_EXTENSION: "extend --approve/--deny", Step.DECIDE_APPEAL: "appeal --approve/--deny"}


def typed(step: Step) -> str:
    """The step as a user types it (`jiesu extend --approve/--deny`, not decide-extension)."""
    return _TYPED.get(step, step.value)


def require(step: Step, status: Status, number: str) -> None:
    """Refuse the step unless the ticket's status allows it; the message names both, as commands."""
    if status in ALLOWED[step]:
        return
    statuses = ", ".join(s.value for s in Status if s in ALLOWED[step])
    steps = ", ".join(typed(s) for s in allowed_steps(status) if s is not Step.NOTE) or "note only"
    raise RefusedError(
        f"ticket {number} is {status.value}: {typed(step)} needs a ticket that is {statuses}; now it allows {steps}"
    )


def after(step: Step, status: Status, *, lead: bool = True, reached: bool = False, reopen: bool = False) -> Status:
    """The status after an allowed step (`lead`: the lead unit acted; callback `reached`/`reopen`)."""
    require(step, status, "?")
    if step is Step.DISPATCH:
        return Status.DISPATCHED
    if step is Step.ACCEPT and lead and status is Status.DISPATCHED:
        return Status.ACCEPTED
    if step is Step.RETURN and lead:
        return Status.PENDING
    if step is Step.FINISH and lead:
        return Status.FINISHED
    if step is Step.CALLBACK and reached:
        return Status.REOPENED if reopen else Status.CLOSED
    if step is Step.MERGE:
        return Status.MERGED
    if step is Step.GUIDE:
        return Status.GUIDED
    return status
