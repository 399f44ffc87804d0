"""Open311 GeoReport v2 mapping (pure): a ticket as a service request, a request as intake fields,
and the JSON and XML documents both ways."""

from hypothesis import given, settings
from hypothesis import strategies as st

from jiesu.domain.open311 import (
    SPEC_FIELDS,
    from_json,
    from_xml,
    intake_fields,
    open311_status,
    service_request,
    to_json,
    to_xml,
)

TICKET = {
    "number": "2026101200001",
    "status": "accepted",
    "reply": None,
    "category": "城乡建设/供水",
    "content": "小区停水三天了",
    "address": "和平里东街11号院",
    "merged_into": None,
    "created_at": "2026-10-12T10:00:00+08:00",
}


def test_statuses_are_open_or_closed():
    assert [open311_status(s) for s in ("pending", "dispatched", "accepted", "finished", "reopened")] == ["open"] * 5
    assert [open311_status(s) for s in ("closed", "answered", "referred", "merged")] == ["closed"] * 4


def test_a_ticket_as_a_service_request():
    request = service_request(
        ticket=TICKET,
        agency="北京市自来水集团",
        updated="2026-10-12T11:00:00+08:00",
        expected="2026-10-13T10:00:00+08:00",
        origin=None,
        untouched=False,
    )
    assert list(request) == list(SPEC_FIELDS)
    assert request["service_request_id"] == "2026101200001"
    assert (request["service_code"], request["service_name"]) == ("城乡建设/供水", "供水")
    assert (request["status"], request["status_notes"]) == ("open", None)
    assert request["agency_responsible"] == "北京市自来水集团"
    assert request["lat"] is None and request["media_url"] is None
    merged = service_request(
        ticket=TICKET | {"status": "merged", "merged_into": "2026101100007"},
        agency=None,
        updated=None,
        expected=None,
        origin=None,
        untouched=False,
    )
    assert (merged["status"], merged["status_notes"]) == ("closed", "merged into 2026101100007")


def test_the_senders_values_stand_until_jiesu_acts():
    origin = {"service_request_id": "SR-1", "agency_responsible": "Water", "lat": "39.95", "status_notes": None}
    untouched = service_request(
        ticket=TICKET, agency="自来水集团", updated="u", expected="e", origin=origin, untouched=True
    )
    assert untouched["service_request_id"] == "SR-1"
    assert (untouched["agency_responsible"], untouched["updated_datetime"], untouched["lat"]) == (
        "Water",
        None,
        "39.95",
    )
    acted = service_request(
        ticket=TICKET, agency="自来水集团", updated="u", expected="e", origin=origin, untouched=False
    )
    assert (acted["agency_responsible"], acted["updated_datetime"], acted["lat"]) == ("自来水集团", "u", "39.95")


def test_a_received_request_as_intake_fields():
    fields = intake_fields(
        {
            "service_request_id": "638344",
            "status": "closed",
            "status_notes": "Duplicate request.",
            "service_name": "Sidewalk",
            "service_code": "006",
            "description": "Cracked sidewalk",
            "requested_datetime": "2010-04-14T06:37:38-08:00",
            "address": "8TH AVE and JUDAH ST",
            "lat": "37.762221815",
            "long": "-122.4651145",
            "zipcode": "94122",
        }
    )
    assert fields["external_id"] == "638344" and fields["content"] == "Cracked sidewalk"
    assert fields["category"] == "006" and fields["answer"] == "Duplicate request."
    assert fields["origin"]["lat"] == "37.762221815" and fields["origin"]["zipcode"] == "94122"
    assert "description" not in fields["origin"]


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).map(str.strip)
REQUEST = st.fixed_dictionaries(
    {
        "service_request_id": st.from_regex(r"[0-9A-Z\-]{1,12}", fullmatch=True),
        "status": st.sampled_from(["open", "closed"]),
        "status_notes": st.none() | TEXT.filter(bool),
        "service_name": st.none() | TEXT.filter(bool),
        "service_code": TEXT.filter(bool),
        "description": TEXT.filter(bool),
        "address": st.none() | TEXT.filter(bool),
        "lat": st.none() | st.floats(-90, 90, allow_nan=False).map(repr),
        "long": st.none() | st.floats(-180, 180, allow_nan=False).map(repr),
        "media_url": st.none() | st.just("https://example.org/p.jpg"),
    }
)


@settings(deadline=None)  # the machine may be busy; the property is what counts
@given(st.lists(REQUEST, max_size=5))
def test_json_and_xml_documents_read_back_as_written(requests):
    full = [{key: r.get(key) for key in SPEC_FIELDS} for r in requests]
    assert from_xml(to_xml(full)) == [{k: v for k, v in r.items()} for r in full]
    assert from_json(to_json(full)) == full
