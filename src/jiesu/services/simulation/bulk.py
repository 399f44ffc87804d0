"""Large case files for the benchmarks: generated requests taken in through the batch intake,
then their later steps written straight through the bulk inserts (1,000,000 tickets in minutes)."""

import random
from collections.abc import Callable
from datetime import datetime

from jiesu.domain.tickets import TicketInput, build_ticket_input
from jiesu.services.context import Office
from jiesu.services.intake import IntakeBatch
from jiesu.services.simulation.history import play_out, simulate_steps, unit_quality
from jiesu.services.simulation.requests import Template, requests
from jiesu.store.engine import CaseConnection, transaction
from jiesu.store.simulation import lead_assignments, write_played_out


def bulk_case_file(
    office: Office,
    templates: list[Template],
    count: int,
    start: datetime,
    end: datetime,
    *,
    seed: int = 1,
    batch: int = 20_000,
    progress: Callable[[int, int], object] | None = None,
) -> int:
    """Write `count` tickets with complete histories (dispatch, accept, contact, finish, callback,
    close); tickets whose callback would fall after `office.now` stay open at the step they
    reached. Returns how many tickets were written."""
    rules = office.rules
    rng = random.Random(seed)
    quality = unit_quality(sorted(rules.units), rng)
    written = 0
    pending: list[TicketInput] = []
    with transaction(office.engine, write=True) as conn:
        intake = IntakeBatch(conn, office, dispatch=True)
        for raw in requests(templates, count, start, end, seed):
            pending.append(build_ticket_input(raw, tz=rules.timezone, now=office.now))
            if len(pending) >= batch:
                written += _take_in(conn, intake, pending, rng, quality, office)
                pending = []
                if progress:
                    progress(written, count)
        written += _take_in(conn, intake, pending, rng, quality, office)
    if progress:
        progress(written, count)
    return written


def _take_in(
    conn: CaseConnection,
    intake: IntakeBatch,
    items: list[TicketInput],
    rng: random.Random,
    quality: dict[str, float],
    office: Office,
) -> int:
    """Take a batch in (dispatching it), then write each new ticket's later steps; how many were new."""
    if not items:
        return 0
    numbers = [o.number for o in intake.store(items) if o.created]
    played = [
        play_out(lead, simulate_steps(rng, quality.get(lead.unit, 0.95), lead), office.now)
        for lead in lead_assignments(conn, numbers)
    ]
    write_played_out(conn, played, login=office.login)
    return len(numbers)
