"""Published periods (考评公示): publish a month's figures, show them as published, verify them.

A publication freezes `jiesu report --month`'s whole JSON document together with the rules file's
sha256, the fingerprints of the ticket events it was computed from, the operator and the time, in
canonical JSON (domain/publishing.py), chained by hash to the publication before it. `verify`
recomputes every link of the chain and every period's figures and fingerprints from the case file.
"""

import json
from dataclasses import dataclass, field
from datetime import date, tzinfo
from typing import Any

from jiesu.domain.periods import Period, parse_month, previous
from jiesu.domain.publishing import canonical_json, chain_hash, changed_tickets, events_digest
from jiesu.domain.times import short
from jiesu.errors import RefusedError, UsageError
from jiesu.services.context import Office
from jiesu.services.report import Report, report_in
from jiesu.services.report_document import report_from_document, report_json
from jiesu.store.engine import CaseConnection, transaction
from jiesu.store.publications import (
    CorrectionView,
    PublicationView,
    chain_head,
    corrections,
    fingerprints_alongside,
    insert_publication,
    latest_publication,
    newest_event_id,
    publications,
    published_tickets,
    ticket_numbers,
    tickets_with_events_after,
)


@dataclass(frozen=True)
class PublicationState:
    """A publication and the corrections recorded against it since (then its period is "corrected
    after publication" until a newer revision is published)."""

    publication: PublicationView
    corrections: tuple[CorrectionView, ...] = ()
    superseded: bool = False  # a newer revision of its period exists

    @property
    def corrected(self) -> bool:
        """Steps were recorded in its period after it was published, and no revision followed."""
        return bool(self.corrections) and not self.superseded


def publish(office: Office, month: str, *, note: str | None = None, revision: bool = False) -> PublicationView:
    """Publish the month's figures (revision 1), or with `revision` the next revision of a published one."""
    period = parse_month(month, office.rules.assessment.period_start_day)
    tz = office.rules.timezone
    start, end = period.bounds(tz)
    if end > office.now:
        raise RefusedError(
            f"{period.name} runs until {period.last}; a period is published once it is over (from {short(end, tz)})"
        )
    with transaction(office.engine, write=True) as conn:
        latest = latest_publication(conn, period.name)
        if latest is not None and not revision:
            raise RefusedError(
                f"{period.name} was published on {short(latest.published_at, tz)} (revision {latest.revision}, "
                f"hash {latest.hash[:12]}); publish corrections as a new revision with --revision"
            )
        if latest is None and revision:
            raise UsageError("revision", f"{period.name} has not been published yet; publish it without --revision")
        with fingerprints_alongside(conn, start, end) as fingerprinted:
            report = report_in(conn, office, period)
            tickets = fingerprinted()
        number = 1 if latest is None else latest.revision + 1
        published_at = office.now
        digest = events_digest(tickets)
        count = sum(t.events for t in tickets.values())
        content = canonical_json(
            {
                "period": {"name": period.name, "from": period.first.isoformat(), "to": period.last.isoformat()},
                "revision": number,
                "rules_sha256": office.rules.sha256,
                "tables": report_json(report),
                "events": {"count": count, "digest": digest, "tickets": len(tickets)},
                "operator": office.operator,
                "published_at": published_at.isoformat(),
                "note": note,
            }
        )
        previous_hash = chain_head(conn)
        row: dict[str, Any] = {
            "period": period.name,
            "revision": number,
            "start_at": start,
            "end_at": end,
            "rules_sha256": office.rules.sha256,
            "events_count": count,
            "events_digest": digest,
            "last_event_id": newest_event_id(conn),
            "operator": office.operator,
            "published_at": published_at,
            "note": note,
            "content": content,
            "previous_hash": previous_hash,
            "hash": chain_hash(content, previous_hash),
        }
        publication_id = insert_publication(conn, row, tickets)
        return PublicationView(id=publication_id, **row)


def list_publications(office: Office, month: str | None = None) -> list[PublicationState]:
    """Every publication in chain order (or one month's revisions), with corrections since each."""
    period = parse_month(month, office.rules.assessment.period_start_day).name if month else None
    with transaction(office.engine, write=False) as conn:
        found = publications(conn, period)
        recorded = corrections(conn, [p.id for p in found])
    newest: dict[str, int] = {}
    for item in found:
        newest[item.period] = max(newest.get(item.period, 0), item.revision)
    return [
        PublicationState(
            item,
            tuple(c for c in recorded if c.publication_id == item.id),
            superseded=item.revision < newest[item.period],
        )
        for item in found
    ]


def published_report(office: Office, period: Period) -> tuple[Report, PublicationState] | None:
    """The period's newest revision as a Report, when exactly this period was published."""
    with transaction(office.engine, write=False) as conn:
        latest = latest_publication(conn, period.name)
        if latest is None:
            return None
        tables = json.loads(latest.content)["tables"]
        if (tables["period"]["from"], tables["period"]["to"]) != (period.first.isoformat(), period.last.isoformat()):
            return None  # published with another period start day: not this period
        recorded = tuple(corrections(conn, [latest.id]))
    return report_from_document(tables), PublicationState(latest, recorded)


@dataclass(frozen=True)
class ChainBreak:
    """The first publication whose hash does not chain, and why."""

    publication: PublicationView
    reason: str


@dataclass(frozen=True)
class TicketChange:
    """A ticket a published period's figures may have moved by, and how it changed."""

    number: str
    how: str  # events-changed | back-dated | corrected
    reason: str | None = None  # a correction's reason


@dataclass
class PeriodCheck:
    """One published period's newest revision against the case file now."""

    publication: PublicationView
    differing_tables: list[str] = field(default_factory=list)  # keys of the report document
    fingerprints_altered: bool = False  # the stored fingerprints no longer give the published digest
    tickets: list[TicketChange] = field(default_factory=list)
    rules_changed: bool = False

    @property
    def holds(self) -> bool:
        """The figures and the events they came from are as published."""
        return not (self.differing_tables or self.fingerprints_altered or self.tickets)


@dataclass
class Verification:
    """What `report verify` found."""

    publications: int
    chain_break: ChainBreak | None
    periods: list[PeriodCheck]

    @property
    def holds(self) -> bool:
        return self.chain_break is None and all(p.holds for p in self.periods)


def verify(office: Office, month: str | None = None) -> Verification:
    """Recompute the chain over every publication, and each published period's figures (or one
    month's) and ticket fingerprints from the case file as it is now."""
    wanted = parse_month(month, office.rules.assessment.period_start_day).name if month else None
    with transaction(office.engine, write=False) as conn:
        found = publications(conn)
        if wanted is not None and not any(p.period == wanted for p in found):
            raise RefusedError(f"{wanted} has not been published; see `jiesu report publications`")
        newest: dict[str, PublicationView] = {}
        for item in found:
            if wanted in (None, item.period) and item.revision >= newest.get(item.period, item).revision:
                newest[item.period] = item
        checks = [_check_period(conn, office, item) for item in newest.values()]
    chain = _chain_break(found, office.rules.timezone)
    return Verification(len(found), chain, sorted(checks, key=lambda c: c.publication.period))


def _chain_break(found: list[PublicationView], tz: tzinfo) -> ChainBreak | None:
    """The first publication that does not chain: a wrong previous hash, content that does not hash
    to its hash, or columns (period, revision, bounds, digest) that say other than its content."""
    expected = ""
    for item in found:
        if item.previous_hash != expected:
            return ChainBreak(item, "its previous hash is not the hash of the publication before it")
        if chain_hash(item.content, item.previous_hash) != item.hash:
            return ChainBreak(item, "its content does not hash to its hash: it was changed after publishing")
        try:
            content = json.loads(item.content)
            period = content["period"]
            bounds = Period(period["name"], date.fromisoformat(period["from"]), date.fromisoformat(period["to"]))
            said = (period["name"], content["revision"], content["events"]["digest"], bounds.bounds(tz))
        except (ValueError, KeyError, TypeError):
            return ChainBreak(item, "its content is not a publication's")
        if said != (item.period, item.revision, item.events_digest, (item.start_at, item.end_at)):
            return ChainBreak(item, "its period, revision, bounds or events digest differ from its content")
        expected = item.hash
    return None


def _check_period(conn: CaseConnection, office: Office, item: PublicationView) -> PeriodCheck:
    try:
        content: dict[str, Any] = json.loads(item.content)
        tables = content["tables"]
        period = Period(item.period, *(date.fromisoformat(tables["period"][key]) for key in ("from", "to")))
    except (ValueError, KeyError, TypeError):
        return PeriodCheck(item, differing_tables=["content"])
    check = PeriodCheck(item, rules_changed=content.get("rules_sha256") != office.rules.sha256)
    start, end = item.start_at, item.end_at
    with fingerprints_alongside(conn, start, end) as fingerprinted:
        live = report_json(report_in(conn, office, period))
        found = fingerprinted()
    check.differing_tables = sorted(
        key for key in live.keys() | tables.keys() if canonical_json(live.get(key)) != canonical_json(tables.get(key))
    )
    stored = published_tickets(conn, item.id)
    check.fingerprints_altered = events_digest(stored) != item.events_digest
    recorded = corrections(conn, [item.id])
    corrected = {c.ticket_id for c in recorded}
    changed = set(changed_tickets(stored, found)) - corrected
    prev_start, _ = previous(period, office.rules.assessment.period_start_day).bounds(office.rules.timezone)
    backdated = tickets_with_events_after(conn, item.last_event_id, prev_start, end) - changed - corrected
    numbers = ticket_numbers(conn, changed | backdated)
    check.tickets = [
        *(TicketChange(numbers.get(t, f"#{t}"), "events-changed") for t in sorted(changed)),
        *(TicketChange(numbers.get(t, f"#{t}"), "back-dated") for t in sorted(backdated)),
        *(TicketChange(c.number, "corrected", c.reason) for c in recorded),
    ]
    return check


__all__ = [
    "ChainBreak",
    "CorrectionView",
    "PeriodCheck",
    "PublicationState",
    "PublicationView",
    "TicketChange",
    "Verification",
    "list_publications",
    "publish",
    "published_report",
    "verify",
]
