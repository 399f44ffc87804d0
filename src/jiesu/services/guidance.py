"""引导运用市场机制和社会力量: a request handled by guiding the requester to a market mechanism (a
property company, a service provider) or a social force (a mediation committee, legal aid, a
charity), after dispatch. At intake the same is `jiesu intake --guide TEXT --guide-to market|social`
(services/intake.py).

Guided is an end of its own, counted apart from answered, referred and dispatched: the units' parts
end without counting in the assessment, as a referral's do.
"""

from datetime import datetime

from jiesu.domain.enums import Action, AssignmentRole
from jiesu.domain.lifecycle import ENDS_ASSIGNMENTS, Step, after
from jiesu.domain.tickets import parse_guidance
from jiesu.services.context import Office
from jiesu.services.steps import StepDone, run_step
from jiesu.store.handling import end_assignments


def guide(
    office: Office,
    number: str,
    *,
    to: str | None,
    text: str | None,
    unit: str | None = None,
    at: datetime | None = None,
) -> StepDone:
    """Close an open ticket as guided (`to`: market | social; `text`: whom to), by the centre or its lead unit."""
    guide_text, target = parse_guidance(text, to)
    with run_step(office, number, at, Step.GUIDE) as step:
        status = after(Step.GUIDE, step.status)
        if unit is not None:
            step.assignment(unit, role=AssignmentRole.LEAD)  # only the accountable unit guides for the units
        end_assignments(step.conn, step.ticket.id, state=ENDS_ASSIGNMENTS[status], at=step.at)
        step.update(status=status.value, reply=guide_text, guided_to=target.value, closed_at=step.at)
        step.event(Action.GUIDE, unit=unit, note=guide_text, to=target.value)
        return step.done(Action.GUIDE, status)


__all__ = ["guide"]
