"""Published periods (考评公示): the canonical form of what is published, and the hash chain.

Canonical JSON is `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`
encoded as UTF-8: keys sorted, no spaces, non-ASCII characters as themselves, floats as Python
writes them (the shortest text that reads back as the same number). A publication's hash is
`sha256(content + previous_hash)` over the UTF-8 bytes of its canonical content followed by the
previous publication's hash in lowercase hex ("" for the first), so each publication vouches for
every one before it.

The ticket events a period was computed from are fingerprinted per ticket (the count of its events
and the sha256 of their stored values as lines (each value as the database's text, NULL as "\\N",
unit separators between; store/publications.py builds them), with its callbacks' lines: the answers
the figures count), and all of them together by `events_digest`: a changed, added or removed event or callback of
any of those tickets changes its fingerprint and the digest.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple


def canonical_json(value: Any) -> str:
    """The one text of a JSON value that is hashed: sorted keys, no spaces, UTF-8 characters as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(content: str, previous_hash: str) -> str:
    """sha256 of the canonical content followed by the previous publication's hash, in hex."""
    return hashlib.sha256((content + previous_hash).encode("utf-8")).hexdigest()


class TicketFingerprint(NamedTuple):
    """A ticket's events as a publication saw them: how many, and the digest of their lines. (A named
    tuple: a month at 1M tickets makes a quarter of a million of them, a third the cost of dataclasses.)"""

    events: int
    digest: str


def fingerprints(lines: Iterable[tuple[int, str]]) -> dict[int, TicketFingerprint]:
    """Per ticket id, the count and sha256 of its event lines, given in (ticket id, line) order: the
    digest is over each line followed by a newline."""
    result: dict[int, TicketFingerprint] = {}
    for ticket_id, rows in groupby(lines, key=itemgetter(0)):
        texts = [line for _, line in rows]
        texts.append("")  # so the join ends the last line with its newline too
        result[ticket_id] = TicketFingerprint(len(texts) - 1, hashlib.sha256("\n".join(texts).encode()).hexdigest())
    return result


def with_callbacks(
    events: Mapping[int, TicketFingerprint], callbacks: Mapping[int, TicketFingerprint]
) -> dict[int, TicketFingerprint]:
    """Each ticket's events fingerprint, its digest extended over its callbacks' lines."""
    empty = TicketFingerprint(0, "")
    return {
        ticket_id: TicketFingerprint(
            events.get(ticket_id, empty).events,
            hashlib.sha256(
                f"{events.get(ticket_id, empty).digest}:{callbacks.get(ticket_id, empty).digest}".encode("ascii")
            ).hexdigest(),
        )
        for ticket_id in events.keys() | callbacks.keys()
    }


def events_digest(tickets: Mapping[int, TicketFingerprint]) -> str:
    """sha256 over every ticket's "id:count:digest" line in ticket-id order."""
    digest = hashlib.sha256()
    for ticket_id in sorted(tickets):
        found = tickets[ticket_id]
        digest.update(f"{ticket_id}:{found.events}:{found.digest}\n".encode("ascii"))
    return digest.hexdigest()


def changed_tickets(published: Mapping[int, TicketFingerprint], live: Mapping[int, TicketFingerprint]) -> list[int]:
    """Ticket ids whose events differ between publication and now (changed, added or gone), sorted."""
    return sorted(t for t in published.keys() | live.keys() if published.get(t) != live.get(t))
