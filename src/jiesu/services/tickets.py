"""Finding tickets again: one with its history, lists by filter, text search; recorded reveals.

What these hand on is already masked (domain.masking): a confidential requester stays hidden
unless revealed with a recorded reason by an OS login allowed to (`[privacy] revealers`, else the
case file's owner), and phones in lists are partly hidden unless asked for.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from jiesu.domain.durations import as_timedelta
from jiesu.domain.enums import Action
from jiesu.domain.masking import mask_requester, may_reveal
from jiesu.errors import NotFoundError, RefusedError, UsageError
from jiesu.services.context import Office
from jiesu.store.engine import CaseConnection, transaction
from jiesu.store.handling import AssignmentView, ticket_assignments
from jiesu.store.rows import event_row
from jiesu.store.schema import read_owner
from jiesu.store.tickets import (
    AttachmentView,
    EventView,
    Requester,
    TicketFilter,
    TicketView,
    append_event,
    count_tickets,
    list_tickets,
    numbers_for_phone,
    repeat_callers,
    repeats_of,
    search_tickets,
    ticket_attachments,
    ticket_events,
    ticket_view,
)

# What the CLI reads and builds, named here so it need not reach into the store.
__all__ = [
    "AssignmentView",
    "AttachmentView",
    "EventView",
    "RepeatCaller",
    "Requester",
    "TicketFilter",
    "TicketHistory",
    "TicketPage",
    "TicketView",
    "find_repeat_callers",
    "find_tickets",
    "masked",
    "search",
    "show_ticket",
]


def masked(ticket: TicketView, *, reveal: bool = False, full_phone: bool = False) -> TicketView:
    """The ticket with its requester as a reader may see it (see domain.masking.mask_requester)."""
    who = ticket.requester
    name, phone = mask_requester(
        who.name, who.phone, confidential=who.confidential, reveal=reveal, full_phone=full_phone
    )
    return replace(ticket, requester=replace(who, name=name, phone=phone))


@dataclass(frozen=True)
class TicketHistory:
    """A ticket with its whole timeline, its files and the units' parts in it."""

    ticket: TicketView
    events: list[EventView]
    attachments: list[AttachmentView]
    assignments: list[AssignmentView]
    repeats: list[str]  # tickets raised again after this one closed (重复诉求), oldest first


def _require(ticket: TicketView | None, number: str) -> TicketView:
    if ticket is None:
        raise NotFoundError(f"no ticket {number!r} in the case file; check the number with `jiesu search`")
    return ticket


def show_ticket(office: Office, number: str, *, reveal_reason: str | None = None) -> TicketHistory:
    """A ticket and its timeline, the phone in full. With a reason, a confidential requester is
    revealed and a reveal event recorded first (who, when, why), if this OS login may reveal;
    otherwise RefusedError, and nothing is written."""
    number = number.strip()
    if reveal_reason is None:
        with transaction(office.engine, write=False) as conn:
            ticket = _require(ticket_view(conn, number), number)
            return _history(conn, masked(ticket, full_phone=True))
    if not reveal_reason.strip():
        raise UsageError("reason", "a reveal needs a reason; give --reason TEXT")
    with transaction(office.engine, write=True) as conn:
        _check_revealer(conn, office)
        ticket = _require(ticket_view(conn, number), number)
        reason = reveal_reason.strip()
        append_event(
            conn,
            event_row(
                ticket_id=ticket.id,
                at=office.now,
                operator=office.operator,
                login=office.login,
                action=Action.REVEAL.value,
                note=reason,
                data={"reason": reason},
            ),
        )
        return _history(conn, masked(ticket, reveal=True, full_phone=True))


def _check_revealer(conn: CaseConnection, office: Office) -> None:
    """Refuse a reveal by an OS login that may not (see domain.masking.may_reveal)."""
    revealers = office.rules.privacy.revealers
    owner = read_owner(conn) if revealers is None else None
    if may_reveal(office.login, revealers=revealers, owner=owner):
        return
    who = f"OS login {office.login!r} may not reveal a confidential requester"
    if revealers is not None:
        raise RefusedError(f"{who}: it is not in [privacy] revealers of {office.rules.path}; nothing was recorded")
    if owner is None:
        raise RefusedError(
            f"{who}: the case file records no owner, so only [privacy] revealers may reveal; "
            f"list who may in {office.rules.path}"
        )
    raise RefusedError(
        f"{who}: without [privacy] revealers in {office.rules.path}, only the case file's owner "
        f"({owner}) may; list who may there"
    )


def _history(conn: CaseConnection, ticket: TicketView) -> TicketHistory:
    return TicketHistory(
        ticket,
        ticket_events(conn, ticket.id),
        ticket_attachments(conn, ticket.id),
        ticket_assignments(conn, ticket.id),
        repeats_of(conn, ticket.id),
    )


@dataclass(frozen=True)
class TicketPage:
    """Some tickets matching a filter, and how many match in all."""

    tickets: list[TicketView]
    total: int


MAX_LIMIT = 100_000  # tickets one list or search shows; narrow the filter, or export, for more


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError("limit", f"{limit} is out of range; give 1 to {MAX_LIMIT}")


def find_tickets(office: Office, spec: TicketFilter, *, limit: int, full_phones: bool = False) -> TicketPage:
    """Tickets matching the filter, newest first, at most `limit` (phones masked unless `full_phones`)."""
    _check_limit(limit)
    with transaction(office.engine, write=False) as conn:
        found = list_tickets(conn, spec, limit=limit)
        total = count_tickets(conn, spec)
    return TicketPage([masked(ticket, full_phone=full_phones) for ticket in found], total)


@dataclass(frozen=True)
class RepeatCaller:
    """A phone that called often in the window (恶意反复拨打 review list), masked as lists are."""

    phone: str | None
    tickets: int
    first: datetime
    last: datetime
    numbers: list[str]


def find_repeat_callers(office: Office, *, full_phones: bool = False) -> list[RepeatCaller]:
    """Phones with at least [intake] repeat_callers_threshold tickets in the window before now.

    A phone's confidential tickets are a group of their own whose phone stays hidden; other phones
    are masked unless `full_phones`.
    """
    policy = office.rules.intake
    since = office.now - as_timedelta(policy.repeat_callers_window)
    callers = []
    with transaction(office.engine, write=False) as conn:
        for count in repeat_callers(conn, since=since, threshold=policy.repeat_callers_threshold):
            _, phone = mask_requester(
                None, count.phone, confidential=count.confidential, reveal=False, full_phone=full_phones
            )
            numbers = numbers_for_phone(conn, count.phone, since=since, confidential=count.confidential)
            callers.append(RepeatCaller(phone, count.tickets, count.first, count.last, numbers))
    return callers


def search(office: Office, phrase: str, *, limit: int, full_phones: bool = False) -> list[TicketView]:
    """Tickets whose title, content or address contains the phrase, newest first (phones masked
    unless `full_phones`)."""
    phrase = phrase.strip()
    if not phrase:
        # The phrase is the command's TEXT argument; there is no --text option to name.
        raise UsageError("search TEXT", "is empty; give a word or phrase to look for, e.g. jiesu search 漏水")
    _check_limit(limit)
    with transaction(office.engine, write=False) as conn:
        found = search_tickets(conn, phrase, limit=limit)
    return [masked(ticket, full_phone=full_phones) for ticket in found]
