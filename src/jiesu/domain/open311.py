"""Open311 GeoReport v2 service requests: the record the spec defines, in JSON and XML, both ways.

A GeoReport v2 `GET requests` response is a list of service requests, each with the fields of
`SPEC_FIELDS` (JSON: an array of objects; XML: <service_requests><request>…</request>…). jiesu maps
a ticket to one (see `service_request`) and a received one to the fields of an intake (see
`intake_fields`); what jiesu has no column for (lat/long, media_url, the sender's agency and notes,
…) travels as the request's `origin` and comes back out unchanged while jiesu has not acted on it.
Pure functions: no clock, no database.
"""

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from jiesu.errors import UsageError

# Every field of a service request in GeoReport v2's `GET requests`, in the spec's order.
SPEC_FIELDS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)
NUMERIC = ("lat", "long")
# The fields jiesu keeps only as the request's origin (it has no column for them).
ORIGIN_FIELDS = tuple(f for f in SPEC_FIELDS if f not in ("description", "requested_datetime", "address"))
CLOSED_STATUSES = frozenset({"closed", "answered", "referred", "merged"})  # jiesu statuses that are "closed"


def open311_status(status: str) -> str:
    """A jiesu status as GeoReport's two: closed (closed, answered, referred, merged) or open."""
    return "closed" if status in CLOSED_STATUSES else "open"


def service_name(category: str | None) -> str | None:
    """A category's last level as the service's name: 城乡建设/供水 → 供水."""
    return category.rsplit("/", 1)[-1] if category else None


def service_request(
    *,
    ticket: Mapping[str, Any],
    agency: str | None,
    updated: str | None,
    expected: str | None,
    origin: Mapping[str, Any] | None,
    untouched: bool,
) -> dict[str, Any]:
    """A ticket as a GeoReport v2 service request; `ticket` holds number, status, reply, category,
    content, address, merged_into, external_id and created_at (ISO text). While jiesu has not acted
    on a request it took in from an Open311 file (`untouched`), the sender's values stand for what
    jiesu would otherwise say (agency, notes, updated and expected times); lat/long, media_url and the
    other fields jiesu has no column for always come from the origin."""
    source = dict(origin or {})
    sender = source if untouched and source else None  # the sender's word stands, absent values too
    own_notes = ticket["reply"] or (f"merged into {ticket['merged_into']}" if ticket["merged_into"] else None)

    def handled(key: str, own: Any) -> Any:
        return sender.get(key) if sender is not None else own

    record: dict[str, Any] = {
        "service_request_id": source.get("service_request_id") or ticket["number"],
        "status": handled("status", None) or open311_status(ticket["status"]),
        "status_notes": handled("status_notes", own_notes),
        "service_name": source.get("service_name") or service_name(ticket["category"]),
        "service_code": ticket["category"],
        "description": ticket["content"],
        "agency_responsible": handled("agency_responsible", agency),
        "service_notice": source.get("service_notice"),
        "requested_datetime": ticket["created_at"],
        "updated_datetime": handled("updated_datetime", updated),
        "expected_datetime": handled("expected_datetime", expected),
        "address": ticket["address"],
        "address_id": source.get("address_id"),
        "zipcode": source.get("zipcode"),
        "lat": source.get("lat"),
        "long": source.get("long"),
        "media_url": source.get("media_url"),
    }
    return record


def intake_fields(request: Mapping[str, Any]) -> dict[str, Any]:
    """A received service request as intake fields (the request's id as external_id; a closed one
    taken in as answered with its notes) and its `origin`: every spec field it carries besides
    description, requested_datetime and address."""
    status = str(request.get("status") or "open").strip().lower()
    if status not in ("open", "closed"):
        raise UsageError("status", f"is {status!r}; GeoReport v2 knows open and closed")
    fields: dict[str, Any] = {
        "external_id": request.get("service_request_id"),
        "content": request.get("description"),
        "category": request.get("service_code") or request.get("service_name"),
        "created_at": request.get("requested_datetime"),
        "address": request.get("address"),
    }
    if status == "closed":
        fields["answer"] = request.get("status_notes") or "closed"
    origin = {k: request[k] for k in ORIGIN_FIELDS if request.get(k) not in (None, "")}
    return fields | {"origin": origin}


def to_json(requests: Iterable[Mapping[str, Any]]) -> str:
    """The requests as one GeoReport v2 JSON document (see `json_chunks`)."""
    return "".join(json_chunks(requests))


def json_chunks(requests: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """GeoReport v2 JSON, a request at a time: an array of objects, every spec field present (null
    when unknown), lat/long as numbers."""
    yield "["
    first, separator = "\n  ", "\n  "
    for request in requests:
        yield separator + json.dumps(_typed(request), ensure_ascii=False, indent=2).replace("\n", "\n  ")
        separator = ",\n  "
    yield "]\n" if separator == first else "\n]\n"


def _typed(request: Mapping[str, Any]) -> dict[str, Any]:
    record = {key: request.get(key) for key in SPEC_FIELDS}
    for key in NUMERIC:
        value = record[key]
        if value is not None and value != "":
            record[key] = float(value)
    return record


def to_xml(requests: Iterable[Mapping[str, Any]]) -> str:
    """The requests as one GeoReport v2 XML document (see `xml_chunks`)."""
    return "".join(xml_chunks(requests))


def xml_chunks(requests: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """GeoReport v2 XML, a request at a time: <service_requests><request>…; an unknown field is an
    empty element."""
    yield '<?xml version="1.0" encoding="utf-8"?>\n<service_requests>\n'
    for request in requests:
        item = ET.Element("request")
        for key in SPEC_FIELDS:
            value = request.get(key)
            ET.SubElement(item, key).text = None if value is None else _xml_text(value)
        ET.indent(item, space="  ", level=1)
        yield "  " + ET.tostring(item, encoding="unicode") + "\n"
    yield "</service_requests>\n"


def _xml_text(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def from_json(text: str) -> list[dict[str, Any]]:
    """The service requests of a GeoReport v2 JSON document (an array of objects, or one object)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError("file", f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from exc
    if isinstance(document, dict):
        document = [document]
    if not isinstance(document, list) or not all(isinstance(item, dict) for item in document):
        raise UsageError("file", "an Open311 JSON file holds an array of service request objects")
    return [{k: _text_or_none(v) for k, v in item.items()} for item in document]


def from_xml(text: str | bytes) -> list[dict[str, Any]]:
    """The service requests of a GeoReport v2 XML document (<service_requests><request>…)."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise UsageError("file", f"not well-formed XML ({exc})") from exc
    if root.tag not in ("service_requests", "request"):
        raise UsageError("file", f"the root element is <{root.tag}>; an Open311 file has <service_requests>")
    items = [root] if root.tag == "request" else list(root)
    return [{child.tag: _text_or_none(child.text) for child in item} for item in items if item.tag == "request"]


def _text_or_none(value: Any) -> Any:
    """Empty elements and nulls are absent values; numbers (lat/long) are kept as text for storage."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    return json.dumps(value, ensure_ascii=False)
