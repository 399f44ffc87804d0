"""One row builder per table: the dict a table's insert takes, every column named once, here.

Plain dicts, not dataclasses: bulk paths (batch intake, the generator) build thousands of them and
hand them straight to `BulkInsert`, which reads every column of each row.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from jiesu.domain.enums import AssignmentState
from jiesu.domain.tickets import TicketInput


def event_row(
    *,
    ticket_id: int,
    at: datetime,
    operator: str,
    login: str | None,
    action: str,
    unit: str | None = None,
    note: str | None = None,
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An event of a ticket's history (`action` is an Action's value); empty data is stored as NULL.

    `operator` is who the command says acts (`--operator`, free text); `login` is the OS account
    that ran it (services.context.os_login), which the audit can trust more.
    """
    return {
        "ticket_id": ticket_id,
        "at": at,
        "operator": operator,
        "login": login,
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
        "state": AssignmentState.ACTIVE.value,
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


def ticket_row(
    *,
    ticket_id: int,
    number: str,
    request: TicketInput,
    status: str,
    district: str | None,
    street: str | None,
    community: str | None,
    operator: str,
    dispatch: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A new ticket taken in from `request` (status pending, answered, referred or guided), version 1.

    `dispatch` holds the columns a dispatch decided at intake sets (lead_unit, status, …); a ticket
    answered, referred or guided at intake is closed at its intake time.
    """
    at = request.created_at
    row = {
        "id": ticket_id,
        "number": number,
        "external_id": request.external_id,
        "status": status,
        "kind": request.kind.value,
        "channel": request.channel.value,
        "requester_type": request.requester_type.value,
        "title": request.title,
        "content": request.content,
        "requester_name": request.name,
        "requester_phone": request.phone,
        "confidential": request.confidential,
        "address": request.address,
        "district": district,
        "street": street,
        "community": community,
        "category": request.category,
        "category_source": "given" if request.category else None,
        "suggestion": None,
        "urgent": request.urgent,
        "reply": request.answer or request.refer or request.guide,
        "guided_to": request.guide_to.value if request.guide_to else None,
        "lead_unit": None,
        "dispatched_at": None,
        "supervised": False,
        "merged_into": None,
        "reopen_count": 0,
        "exempt": False,
        "escalation_level": 0,
        "coordinator": None,
        "repeat_of": None,
        "created_at": at,
        "updated_at": at,
        "closed_at": None if status == "pending" else at,
        "operator": operator,
        "version": 1,
    }
    if dispatch:
        row |= dispatch
    return row


def attachment_row(
    *, ticket_id: int, path: str, size: int, sha256: str, media_type: str, kind: str, added_at: datetime
) -> dict[str, Any]:
    """A file that came with a request (kind voice, image, video or document)."""
    return {
        "ticket_id": ticket_id,
        "path": path,
        "size": size,
        "sha256": sha256,
        "media_type": media_type,
        "kind": kind,
        "added_at": added_at,
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


def correction_row(
    *,
    publication_id: int,
    ticket_id: int,
    action: str,
    at: datetime,
    recorded_at: datetime,
    operator: str,
    reason: str,
) -> dict[str, Any]:
    """A step recorded in a published period after its publication, and why."""
    return {
        "publication_id": publication_id,
        "ticket_id": ticket_id,
        "action": action,
        "at": at,
        "recorded_at": recorded_at,
        "operator": operator,
        "reason": reason,
    }
