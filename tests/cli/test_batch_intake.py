"""`jiesu intake --file`: CSV (UTF-8, BOM, GB18030), JSON Lines, XLSX; rejects; idempotent re-runs."""

import csv
import json

HEADER = ["external_id", "created_at", "kind", "channel", "name", "phone", "address", "content", "answer"]
ROWS = [
    ["E1", "2021-02-10 09:00", "投诉", "phone", "王女士", "13812345678", "清源路5号", "清源路5号停水", ""],
    ["E2", "2021-02-10 09:30", "consult", "web", "", "", "", "公积金怎么提取", "携带身份证到公积金中心办理"],
    ["E3", "2021-02-11 08:00", "help", "wechat", "张先生", "010-6512 3456", "兴华大街", "路灯不亮", ""],
]
NOW = "2021-02-12T00:00:00+08:00"


def write_csv(path, header, rows, encoding="utf-8"):
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)


def numbers(cli):
    return sorted(t["number"] for t in cli.json("list"))


def test_csv_import_numbers_by_intake_day_and_is_idempotent(cli, tmp_path):
    source = tmp_path / "in.csv"
    write_csv(source, HEADER, ROWS)
    first = json.loads(cli("--now", NOW, "intake", "--file", str(source), "--format", "json").stdout)
    assert first == {
        "file": str(source),
        "rows": 3,
        "created": 3,
        "existing": 0,
        "rejected": 0,
        "rejects_file": None,
    }
    assert numbers(cli) == ["2021021000001", "2021021000002", "2021021100001"]
    e3 = cli.json("show", "2021021100001")
    assert e3["requester"]["phone"] == "01065123456"
    assert e3["created_at"] == "2021-02-11T08:00:00+08:00"
    assert e3["kind"] == "help" and e3["channel"] == "wechat"
    assert cli.json("show", "2021021000002")["status"] == "answered"
    again = json.loads(cli("--now", NOW, "intake", "--file", str(source), "--format", "json").stdout)
    assert again["created"] == 0 and again["existing"] == 3
    assert len(numbers(cli)) == 3


def test_bad_rows_are_reported_and_set_aside_good_rows_taken_in(cli, tmp_path):
    source = tmp_path / "mixed.csv"
    rows = [
        ROWS[0],
        ["B1", "2021-02-10 09:10", "投诉", "phone", "", "", "", "", ""],  # no content
        ["B2", "2021-02-10 09:11", "吐槽", "phone", "", "", "", "噪音", ""],  # unknown kind
        ["B3", "2021-02-31 09:11", "投诉", "phone", "", "", "", "噪音", ""],  # no such day
        ["B4", "2021-02-10 09:12", "投诉", "phone", "", "12ab", "", "噪音", ""],  # bad phone
        ["B5", "2030-01-01 09:00", "投诉", "phone", "", "", "", "噪音", ""],  # in the future
        ROWS[2],
        ["E1", "2021-02-10 09:00", "投诉", "phone", "", "", "", "重复的外部编号", ""],  # repeat in file
    ]
    write_csv(source, HEADER, rows)
    result = cli("--now", NOW, "intake", "--file", str(source), ok=False)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "row 3: content: is empty; describe the request in a few words",
        "row 4: kind: unknown value '吐槽'; use one of consult, help, complain, report, suggest, praise "
        "(or 咨询/求助/投诉/举报/建议/表扬)",
        "row 5: created_at: cannot read '2021-02-31 09:11' as a date: day is out of range for month",
        "row 6: phone: '12ab' is not a phone number; use digits such as 13812345678 or 010-65123456",
        "row 7: created_at: is in the future; an intake time cannot be later than now",
    ]
    assert "Traceback" not in result.stderr
    assert numbers(cli) == ["2021021000001", "2021021100001"]
    with (tmp_path / "mixed.rejects.csv").open(encoding="utf-8-sig", newline="") as stream:
        rejects = list(csv.DictReader(stream))
    assert [(r["row"], r["external_id"]) for r in rejects] == [
        ("3", "B1"),
        ("4", "B2"),
        ("5", "B3"),
        ("6", "B4"),
        ("7", "B5"),
    ]
    assert rejects[1]["kind"] == "吐槽"


def test_chinese_headers_and_gb18030(cli, tmp_path):
    source = tmp_path / "export.csv"
    header = [
        "工单编号",
        "受理时间",
        "诉求类型",
        "来源渠道",
        "诉求人",
        "联系电话",
        "诉求地址",
        "诉求内容",
        "是否保密",
        "备注",
    ]
    rows = [
        [
            "G1",
            "2021-02-10 09:00",
            "举报",
            "电话",
            "赵女士",
            "13700000000",
            "枣园小区",
            "楼下饭店油烟扰民",
            "是",
            "x",
        ]
    ]
    write_csv(source, header, rows, encoding="gb18030")
    cli("--now", NOW, "intake", "--file", str(source), "--ignore-column", "备注")
    (ticket,) = cli.json("list")
    assert ticket["content"] == "楼下饭店油烟扰民"
    assert ticket["kind"] == "report"
    assert ticket["requester"] == {"name": "***", "phone": "***", "type": "person", "confidential": True}
    assert ticket["external_id"] == "G1"


def test_utf8_with_bom(cli, tmp_path):
    source = tmp_path / "bom.csv"
    write_csv(source, HEADER, ROWS[:1], encoding="utf-8-sig")
    cli("--now", NOW, "intake", "--file", str(source))
    assert cli.json("list")[0]["external_id"] == "E1"


def test_json_lines(cli, tmp_path):
    source = tmp_path / "in.jsonl"
    lines = [
        json.dumps(
            {
                "external_id": "J1",
                "created_at": "2021-02-10T09:00:00+08:00",
                "content": "井盖丢了",
                "urgent": True,
            }
        ),
        "",
        "{not json",
        json.dumps({"诉求内容": "噪音扰民", "诉求类型": "投诉", "受理时间": "2021-02-10 10:00"}, ensure_ascii=False),
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("--now", NOW, "intake", "--file", str(source), ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("row 3: row: not valid JSON")
    tickets = {t["content"]: t for t in cli.json("list")}
    assert tickets["井盖丢了"]["urgent"] is True
    assert tickets["噪音扰民"]["kind"] == "complain"


def test_xlsx(cli, tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["外部编号", "受理时间", "诉求内容", "联系电话", "紧急"])
    sheet.append(["X1", datetime(2021, 2, 10, 9, 0), "小区电梯困人", 13600000000, "是"])
    sheet.append([None, None, None, None, None])
    sheet.append(["X2", "2021-02-10 11:00", "树枝挡住路灯", None, None])
    path = tmp_path / "in.xlsx"
    book.save(path)
    cli("--now", NOW, "intake", "--file", str(path))
    tickets = {t["external_id"]: t for t in cli.json("list", "--full-phones")}
    assert tickets["X1"]["created_at"] == "2021-02-10T09:00:00+08:00"
    assert tickets["X1"]["urgent"] is True
    assert tickets["X1"]["requester"]["phone"] == "13600000000"
    assert tickets["X2"]["content"] == "树枝挡住路灯"


def test_unreadable_files_are_refused_cleanly(cli, tmp_path, case_file, english):
    missing = cli("intake", "--file", str(tmp_path / "nope.csv"), ok=False)
    assert missing.exit_code == 2
    assert missing.stderr.startswith("Error: --file:") and "no such file" in missing.stderr
    odd = tmp_path / "in.pdf"
    odd.write_text("x")
    wrong = cli("intake", "--file", str(odd), ok=False)
    assert (
        wrong.stderr.strip()
        == "Error: --file: in.pdf: unknown file type; use .csv, .jsonl, .xlsx, or Open311 .json/.xml"
    )
    no_content = tmp_path / "cols.csv"
    write_csv(no_content, ["姓名", "电话"], [["a", "1"]])
    refused = cli("intake", "--file", str(no_content), ok=False)
    assert refused.stderr.strip() == "Error: --file: cols.csv: no content column; name one 'content' or '诉求内容'"
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook")
    broken = cli("intake", "--file", str(fake), ok=False)
    assert broken.exit_code == 2 and broken.stderr.startswith("Error: --file: fake.xlsx: not a readable XLSX")
    assert "Traceback" not in broken.stderr
    assert cli.json("list") == []


def test_dispatch_events_of_a_batch_hold_what_decision_event_serializes(tmp_path):
    """Batch intake builds a dispatch event's data from text serialized once per kind of decision:
    it must be exactly json.dumps of what decision_event records, on the first ticket and the next."""
    from datetime import UTC, datetime, timedelta
    from pathlib import Path

    from jiesu.domain.tickets import build_ticket_input
    from jiesu.services.context import Office
    from jiesu.services.dispatch import decision_event
    from jiesu.services.intake import IntakePreparer
    from jiesu.services.suggesting import Suggester
    from jiesu.store.engine import transaction
    from jiesu.store.tickets import TicketRows

    rules = Path(__file__).resolve().parents[2] / "sample_data" / "dongcheng.toml"
    now = datetime(2025, 6, 1, tzinfo=UTC)
    office = Office(db=str(tmp_path / "c.db"), rules_path=rules, now=now, operator="clerk", create=True)
    texts = ["暖气不热，屋里很冷", "小区门口违章停车堵住消防通道", "工地夜间施工噪音扰民", "暖气片一直是凉的"]
    raws = [
        {"content": text, "created_at": (now - timedelta(hours=7 * i + n)).isoformat(), "address": "交道口南大街"}
        for i in range(3)
        for n, text in enumerate(texts)
    ]
    items = [build_ticket_input(raw, tz=office.rules.timezone, now=now) for raw in raws]
    with transaction(office.engine, write=True) as conn:
        batch = IntakePreparer(office, TicketRows(conn.dialect), Suggester(conn, office))
        checked = 0
        for ticket_id, item in enumerate(items, 1):
            decision = batch._decide(item, locate_of(office, item))
            if decision is None:
                continue
            row = batch._decision_event(ticket_id, decision, item.created_at)
            expected = decision_event(office, ticket_id, decision, item.created_at)
            assert {**row, "data": json.loads(row["data"])} == expected
            assert row["data"] == json.dumps(expected["data"])
            checked += 1
    assert checked >= len(texts) * 2  # the same kinds of decision again: the text serialized before


def locate_of(office, item):
    from jiesu.domain.dispatching import locate

    return locate(office.rules, street=item.street, community=item.community, address=item.address)
