"""Finding tickets again: one with its history, lists by filter, text search; recorded reveals."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import RowMapping

from jiesu.domain.durations import as_timedelta
from jiesu.domain.enums import Action
from jiesu.errors import NotFoundError, UsageError
from jiesu.services.context import Office
from jiesu.store.engine import transaction
from jiesu.store.tickets import (
    TicketFilter,
    append_event,
    count_tickets,
    get_ticket,
    list_tickets,
    numbers_for_phone,
    repeat_callers,
    search_tickets,
    ticket_assignments,
    ticket_attachments,
    ticket_events,
)


@dataclass(frozen=True)
class TicketHistory:
    """A ticket with its whole timeline and its files."""

    ticket: RowMapping
    events: list[RowMapping]
    attachments: list[RowMapping]
    assignments: list[RowMapping]


def _require(row: RowMapping | None, number: str) -> RowMapping:
    if row is None:
        raise NotFoundError(f"no ticket {number!r} in the case file; check the number with `jiesu search`")
    return row


def show_ticket(office: Office, number: str, *, reveal_reason: str | None = None) -> TicketHistory:
    """A ticket and its timeline. With a reason, records a reveal event first (who, when, why)."""
    number = number.strip()
    if reveal_reason is None:
        with transaction(office.engine, write=False) as conn:
            ticket = _require(get_ticket(conn, number), number)
            return _history(conn, ticket)
    if not reveal_reason.strip():
        raise UsageError("reason", "a reveal needs a reason; give --reason TEXT")
    with transaction(office.engine, write=True) as conn:
        ticket = _require(get_ticket(conn, number), number)
        append_event(conn, _reveal_event(office, ticket["id"], reveal_reason.strip()))
        return _history(conn, ticket)


def _history(conn: Any, ticket: RowMapping) -> TicketHistory:
    ticket_id = ticket["id"]
    return TicketHistory(
        ticket, ticket_events(conn, ticket_id), ticket_attachments(conn, ticket_id), ticket_assignments(conn, ticket_id)
    )


def _reveal_event(office: Office, ticket_id: int, reason: str) -> dict[str, Any]:
    return {
        "ticket_id": ticket_id,
        "at": office.now,
        "operator": office.operator,
        "action": Action.REVEAL.value,
        "unit": None,
        "note": reason,
        "data": {"reason": reason},
    }


@dataclass(frozen=True)
class TicketPage:
    """Some tickets matching a filter, and how many match in all."""

    tickets: list[RowMapping]
    total: int


def find_tickets(office: Office, spec: TicketFilter, *, limit: int) -> TicketPage:
    """Tickets matching the filter, newest first, at most `limit`."""
    if limit < 1:
        raise UsageError("limit", "must be at least 1")
    with transaction(office.engine, write=False) as conn:
        return TicketPage(list_tickets(conn, spec, limit=limit), count_tickets(conn, spec))


@dataclass(frozen=True)
class RepeatCaller:
    """A phone that called often in the window (恶意反复拨打 review list)."""

    phone: str
    confidential: bool
    tickets: int
    first: Any
    last: Any
    numbers: list[str]


def find_repeat_callers(office: Office) -> list[RepeatCaller]:
    """Phones with at least [intake] repeat_callers_threshold tickets in the window before now."""
    policy = office.rules.intake
    since = office.now - as_timedelta(policy.repeat_callers_window)
    with transaction(office.engine, write=False) as conn:
        return [
            RepeatCaller(
                row["phone"],
                bool(row["confidential"]),
                row["tickets"],
                row["first"],
                row["last"],
                numbers_for_phone(conn, row["phone"], since=since),
            )
            for row in repeat_callers(conn, since=since, threshold=policy.repeat_callers_threshold)
        ]


def search(office: Office, phrase: str, *, limit: int) -> list[RowMapping]:
    """Tickets whose title, content or address contains the phrase, newest first."""
    phrase = phrase.strip()
    if not phrase:
        # The phrase is the command's TEXT argument; there is no --text option to name.
        raise UsageError("search TEXT", "is empty; give a word or phrase to look for, e.g. jiesu search 漏水")
    if limit < 1:
        raise UsageError("limit", "must be at least 1")
    with transaction(office.engine, write=False) as conn:
        return search_tickets(conn, phrase, limit=limit)
