"""One row builder per table: the dict a table's insert takes, every column named once, here.

Plain dicts, not dataclasses: bulk paths (batch intake, the generator) build thousands of them and
hand them straight to `BulkInsert`, which reads every column of each row.
"""

from datetime import datetime
from typing import Any


def event_row(
    *,
    ticket_id: int,
    at: datetime,
    operator: str,
    action: str,
    unit: str | None = None,
    note: str | None = None,
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An event of a ticket's history (`action` is an Action's value); empty data is stored as NULL."""
    return {
        "ticket_id": ticket_id,
        "at": at,
        "operator": operator,
        "action": action,
        "unit": unit,
        "note": note,
        "data": data or None,
    }


def assignment_row(
    *,
    ticket_id: int,
    unit: str,
    role: str,
    rule: str | None,
    assigned_at: datetime,
    accept_due: datetime,
    contact_due: datetime,
    finish_due: datetime,
    report_due: datetime | None = None,
) -> dict[str, Any]:
    """A unit's new, active part in a ticket (role lead or co), none of its steps taken yet."""
    return {
        "ticket_id": ticket_id,
        "unit": unit,
        "role": role,
        "state": "active",
        "rule": rule,
        "assigned_at": assigned_at,
        "accept_due": accept_due,
        "contact_due": contact_due,
        "finish_due": finish_due,
        "report_due": report_due,
        "accepted_at": None,
        "contacted_at": None,
        "finished_at": None,
        "result": None,
        "ended_at": None,
    }



def callback_row(
    *,
    ticket_id: int,
    at: datetime,
    operator: str,
    unit: str | None,
    reached: bool,
    contacted: bool | None,
    resolved: bool | None,
    satisfaction: str | None,
    closed: bool,
    note: str | None = None,
) -> dict[str, Any]:
    """The centre's call back to a requester (`satisfaction` is a Satisfaction's value, None when not reached)."""
    return {
        "ticket_id": ticket_id,
        "at": at,
        "operator": operator,
        "unit": unit,
        "reached": reached,
        "contacted": contacted,
        "resolved": resolved,
        "satisfaction": satisfaction,
        "closed": closed,
        "note": note,
    }
