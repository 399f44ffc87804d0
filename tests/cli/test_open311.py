"""Open311 GeoReport v2 through the CLI: `export` writes what the spec defines, `intake --file`
reads it back (JSON and XML, from a file or standard input), and a round trip keeps every field."""

import json
import xml.etree.ElementTree as ET

from jiesu.domain.open311 import SPEC_FIELDS
from tests.cli.test_report import month  # noqa: F401  (the hand-built October 2026)

NOW = ("--now", "2026-11-26T00:00:00+08:00")

SENT = """<?xml version="1.0" encoding="utf-8"?>
<service_requests>
  <request>
    <service_request_id>638344</service_request_id>
    <status>closed</status>
    <status_notes>Duplicate request.</status_notes>
    <service_name>Sidewalk and Curb Issues</service_name>
    <service_code>006</service_code>
    <description>人行道破损，行人容易绊倒</description>
    <agency_responsible>区市政管理委员会</agency_responsible>
    <service_notice>处理一般需要两个工作日</service_notice>
    <requested_datetime>2026-10-14T06:37:38+08:00</requested_datetime>
    <updated_datetime>2026-10-14T09:37:38+08:00</updated_datetime>
    <expected_datetime>2026-10-16T06:37:38+08:00</expected_datetime>
    <address>清源路与兴丰大街路口</address>
    <address_id>545483</address_id>
    <zipcode>102600</zipcode>
    <lat>39.7262218</lat>
    <long>116.3351145</long>
    <media_url>https://example.org/photos/638344.jpg</media_url>
  </request>
  <request>
    <service_request_id>638349</service_request_id>
    <status>open</status>
    <status_notes></status_notes>
    <service_name>Noise</service_name>
    <service_code>环境保护/噪声</service_code>
    <description>夜间施工噪音</description>
    <agency_responsible />
    <service_notice />
    <requested_datetime>2026-10-15T22:10:00+08:00</requested_datetime>
    <updated_datetime />
    <expected_datetime />
    <address>清源路1号</address>
    <address_id />
    <zipcode />
    <lat>39.72</lat>
    <long>116.33</long>
    <media_url />
  </request>
</service_requests>
"""


def requests_of(text):
    root = ET.fromstring(text)
    return [{child.tag: child.text for child in item} for item in root]


def test_export_writes_every_spec_field(cli, month):  # noqa: F811
    requests = json.loads(cli(*NOW, "export", "--format", "open311-json").stdout)
    assert len(requests) == 10 and all(list(r) == list(SPEC_FIELDS) for r in requests)
    by_id = {r["service_request_id"]: r for r in requests}
    c1 = by_id[month["C1"]]
    assert (c1["status"], c1["service_code"], c1["service_name"]) == ("closed", "环境保护/噪声", "噪声")
    assert c1["agency_responsible"] == "区城管执法局" and c1["address"] == "清源路1号"
    assert c1["requested_datetime"] == "2026-10-01T09:00:00+08:00"
    assert c1["updated_datetime"] == "2026-10-05T10:00:00+08:00"  # the callback that closed it
    assert c1["expected_datetime"] is not None and c1["expected_datetime"] > c1["requested_datetime"]
    q3 = by_id[month["Q3"]]
    assert (q3["status"], q3["status_notes"]) == ("closed", f"merged into {month['Q1']}")
    q4 = by_id[month["Q4"]]
    assert (q4["status"], q4["updated_datetime"]) == ("closed", "2026-11-02T10:00:00+08:00")
    c4 = by_id[month["C4"]]
    assert c4["status"] == "open"  # finished, but the callback did not reach the requester
    first_week = json.loads(cli(*NOW, "export", "--from", "2026-10-01", "--to", "2026-10-02").stdout)
    assert {r["service_request_id"] for r in first_week} == {
        month[k] for k in ("C1", "C2", "C3", "C4", "Q1", "Q3", "X1")
    }
    xml = cli(*NOW, "export", "--format", "open311-xml", "--from", "2026-10-27").stdout
    assert xml.startswith('<?xml version="1.0" encoding="utf-8"?>\n<service_requests>')
    (q4_xml,) = requests_of(xml)
    assert list(q4_xml) == list(SPEC_FIELDS) and q4_xml["service_request_id"] == month["Q4"]


def test_round_trip_through_another_case_file_keeps_every_field(cli, month, new_case_db, tmp_path):  # noqa: F811
    for fmt, name in (("open311-json", "a.json"), ("open311-xml", "a.xml")):
        sent = tmp_path / name
        cli(*NOW, "export", "--format", fmt, "--out", str(sent))
        other = new_case_db(f"other-{fmt}")
        taken = cli.json(*NOW, "--db", other, "intake", "--file", str(sent), "--no-dispatch")
        assert (taken["created"], taken["rejected"]) == (10, 0)
        back = cli(*NOW, "--db", other, "export", "--format", fmt).stdout
        assert back == sent.read_text(encoding="utf-8")
        again = cli.json(*NOW, "--db", other, "intake", "--file", str(sent), "--no-dispatch")
        assert (again["created"], again["existing"]) == (0, 10)  # matched on the request id


def test_a_received_file_comes_back_with_what_jiesu_has_no_column_for(cli, tmp_path):
    sent = tmp_path / "sent.xml"
    sent.write_text(SENT, encoding="utf-8")
    summary = cli.json(*NOW, "intake", "--file", str(sent), "--no-dispatch")
    assert summary["created"] == 2
    tickets = {t["external_id"]: t for t in cli.json(*NOW, "list")}
    assert tickets["638344"]["status"] == "answered" and tickets["638344"]["reply"] == "Duplicate request."
    assert tickets["638349"]["status"] == "pending" and tickets["638349"]["category"] == "环境保护/噪声"
    back = requests_of(cli(*NOW, "export", "--format", "open311-xml").stdout)
    assert back == requests_of(SENT)
    as_json = json.loads(cli(*NOW, "export").stdout)
    assert (as_json[0]["lat"], as_json[0]["long"]) == (39.7262218, 116.3351145)


def test_standard_input(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    summary = json.loads(cli(*NOW, "intake", "--file", "-", "--no-dispatch", "--format", "json", input=SENT).stdout)
    assert (summary["file"], summary["created"]) == ("-", 2)
    csv_text = "content,phone,external_id\n小区停水三天了,13800001111,ext-1\n,13800002222,ext-2\n"
    result = cli(*NOW, "intake", "--file", "-", "--no-dispatch", input=csv_text, ok=False)
    assert result.exit_code == 1 and "row 3" in result.stderr
    assert (tmp_path / "stdin.rejects.csv").read_bytes().decode("utf-8-sig").count("\n") == 2
    lines = '{"content": "路灯不亮", "external_id": "ext-3"}\n'
    cli(*NOW, "intake", "--file", "-", input=lines)
    assert len(cli.json(*NOW, "list")) == 4


def test_confidential_requesters_do_not_leave(cli):
    cli(*NOW, "intake", "--content", "举报饭店油烟", "--name", "张三", "--phone", "13900002222", "--confidential")
    for fmt in ("open311-json", "open311-xml"):
        text = cli(*NOW, "export", "--format", fmt).stdout
        assert "举报饭店油烟" in text and "张三" not in text and "13900002222" not in text


def test_bad_open311_files(cli, tmp_path, sql):
    broken = tmp_path / "broken.xml"
    broken.write_text("<service_requests><request>", encoding="utf-8")
    result = cli(*NOW, "intake", "--file", str(broken), ok=False)
    assert result.exit_code == 2 and result.stderr.startswith("Error: --file: broken.xml: not well-formed XML")
    wrong = tmp_path / "wrong.xml"
    wrong.write_text("<services><service/></services>", encoding="utf-8")
    result = cli(*NOW, "intake", "--file", str(wrong), ok=False)
    assert result.exit_code == 2 and "<services>" in result.stderr and "Traceback" not in result.stderr
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps([{"service_request_id": "1", "status": "pending", "description": "x"}]), encoding="utf-8")
    result = cli(*NOW, "intake", "--file", str(odd), ok=False)
    assert result.exit_code == 1 and "row 1: status: is 'pending'; GeoReport v2 knows open and closed" in result.stderr
    assert (tmp_path / "odd.rejects.csv").exists()
    assert sql("SELECT count(*) FROM tickets") == [(0,)]
    refused = cli(*NOW, "export", "--from", "2026-10-05", "--to", "2026-10-01", ok=False)
    assert refused.exit_code == 2 and refused.stderr.startswith("Error: --to:")
