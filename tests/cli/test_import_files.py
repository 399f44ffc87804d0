"""`jiesu intake --file` with files from other systems: unknown headers, JSON Lines rejects kept as
they were, rejects files re-imported in place, tab-separated and UTF-16 text; and the repeat warning
offering only a merge that `jiesu merge` accepts."""

import csv
import json

import pytest

pytestmark = pytest.mark.usefixtures("english")  # these read the English wording of messages

NOW = "2021-02-12T00:00:00+08:00"


def write_csv(path, header, rows, encoding="utf-8", delimiter=",", lineterminator="\r\n"):
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter, lineterminator=lineterminator)
        writer.writerow(header)
        writer.writerows(rows)


def read_rejects(path):
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def contents(cli):
    return sorted(t["content"] for t in cli.json("list"))


def intake_file(cli, path, *extra):
    return cli("--now", NOW, "intake", "--file", str(path), *extra, ok=False)


# --- unknown columns ------------------------------------------------------------------------------


def test_misspelt_headers_refuse_the_file_with_a_did_you_mean(cli, tmp_path):
    source = tmp_path / "in.csv"
    write_csv(source, ["external_id", "phnoe", "adress", "content"], [["U1", "13812345678", "清源路5号", "停水了"]])
    result = intake_file(cli, source)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: --file: in.csv: unknown columns 'phnoe' (did you mean 'phone'?), "
        "'adress' (did you mean 'address'?); rename them, or skip them with --ignore-column NAME"
    )
    assert "Traceback" not in result.stderr
    assert cli.json("list") == []
    assert not (tmp_path / "in.rejects.csv").exists()


def test_a_misspelt_chinese_header_is_matched_against_the_chinese_headers(cli, tmp_path):
    source = tmp_path / "export.csv"
    write_csv(source, ["工单编号", "诉求内荣", "备注"], [["C1", "楼道灯坏了", "x"]])
    result = intake_file(cli, source)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: --file: export.csv: unknown columns '诉求内荣' (did you mean '诉求内容'?), '备注'; "
        "rename them, or skip them with --ignore-column NAME"
    )
    assert cli.json("list") == []


def test_ignore_column_is_repeatable_and_takes_the_rest(cli, tmp_path):
    source = tmp_path / "in.csv"
    write_csv(
        source,
        ["external_id", "phnoe", "诉求内容", "备注"],
        [["U1", "13812345678", "和平里九区3号楼楼道灯坏了", "老人独居"]],
    )
    result = intake_file(cli, source, "--ignore-column", "phnoe", "--ignore-column", "备注", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["created"] == 1
    (ticket,) = cli.json("list", "--full-phones")
    assert ticket["content"] == "和平里九区3号楼楼道灯坏了"
    assert ticket["requester"]["phone"] in (None, "")


def test_ignore_column_without_a_file_is_a_usage_error(cli):
    result = cli("intake", "--content", "路灯不亮", "--ignore-column", "备注", ok=False)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: --ignore-column: only applies to --file; give the file to import with --file PATH"
    )


def test_an_unknown_json_key_refuses_the_whole_file(cli, tmp_path):
    source = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"external_id": "J1", "content": "井盖丢了"}, ensure_ascii=False),
        "{broken",
        json.dumps({"external_id": "J2", "content": "噪音扰民", "phnoe": "13812345678"}, ensure_ascii=False),
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = intake_file(cli, source)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: --file: in.jsonl: line 3: unknown key 'phnoe' (did you mean 'phone'?); "
        "rename it, or skip it with --ignore-column NAME"
    )
    assert cli.json("list") == []  # line 1 was good, but the file is one transaction
    assert not (tmp_path / "in.rejects.jsonl").exists()  # a refused file leaves no rejects behind
    assert [p.name for p in tmp_path.iterdir() if "rejects" in p.name] == []
    taken = intake_file(cli, source, "--ignore-column", "phnoe")
    assert taken.exit_code == 1  # the broken line
    assert contents(cli) == ["井盖丢了", "噪音扰民"]


def test_two_columns_giving_one_field_refuse_the_file(cli, tmp_path, sql):
    """An export with both `content` and 诉求内容 (or 电话 and 联系电话): one column would silently
    overwrite the other, so the file is refused, naming both, until one is skipped."""
    source = tmp_path / "both.csv"
    write_csv(source, ["诉求内容", "电话", "content"], [["楼道灯坏了", "13812345678", "另一段描述"]])
    refused = intake_file(cli, source)
    assert refused.exit_code == 2
    assert refused.stderr.strip() == (
        "Error: --file: both.csv: columns '诉求内容' and 'content' both give content; keep one, "
        "or skip the other with --ignore-column NAME"
    )
    assert sql("SELECT count(*) FROM tickets") == [(0,)]
    chinese = cli("--lang", "zh", "--now", NOW, "intake", "--file", str(source), ok=False)
    assert chinese.stderr.strip() == (
        "错误：--file：both.csv：'诉求内容' 和 'content' 两列都对应字段 content；请只留一列，"
        "或用 --ignore-column 列名 跳过另一列"
    )
    taken = intake_file(cli, source, "--ignore-column", "content")
    assert taken.exit_code == 0, taken.stderr
    assert contents(cli) == ["楼道灯坏了"]


def test_a_json_line_giving_one_field_twice_is_rejected_alone(cli, tmp_path):
    source = tmp_path / "both.jsonl"
    lines = [
        json.dumps({"external_id": "J1", "content": "井盖丢了"}, ensure_ascii=False),
        json.dumps({"external_id": "J2", "content": "噪音扰民", "诉求内容": "夜间施工"}, ensure_ascii=False),
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = intake_file(cli, source)
    assert result.exit_code == 1  # one line rejected
    assert contents(cli) == ["井盖丢了"]
    rejected = (tmp_path / "both.rejects.jsonl").read_text(encoding="utf-8")
    assert rejected == lines[1] + "\n"  # the line as it was
    assert "keys 'content' and '诉求内容' both give content" in result.stderr + result.stdout


# --- JSON Lines rejects ---------------------------------------------------------------------------


def test_json_lines_rejects_keep_each_line_as_it_was_and_reimport_in_place(cli, tmp_path):
    source = tmp_path / "in.jsonl"
    good = json.dumps({"external_id": "J1", "content": "井盖丢了"}, ensure_ascii=False)
    broken = '{"external_id": "J2", "content": "路灯不亮", "phone": }'
    number = '{"external_id": "J3", "content": 123}'
    source.write_text("\n".join([good, broken, number]) + "\n", encoding="utf-8")
    result = intake_file(cli, source, "--format", "json")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "row 2: row: not valid JSON (Expecting value at column 51)",
        "row 3: content: is a number (123), not text; give it as a JSON string in quotes",
    ]
    rejects = tmp_path / "in.rejects.jsonl"
    assert json.loads(result.stdout)["rejects_file"] == str(rejects)
    assert rejects.read_text(encoding="utf-8") == broken + "\n" + number + "\n"
    assert contents(cli) == ["井盖丢了"]

    rejects.write_text(
        '{"external_id": "J2", "content": "路灯不亮", "phone": "13812345678"}\n'
        '{"external_id": "J3", "content": "123路公交车绕行"}\n',
        encoding="utf-8",
    )
    again = intake_file(cli, rejects, "--format", "json")
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)["created"] == 2
    assert not rejects.exists()  # every row taken in: nothing left to fix
    assert not (tmp_path / "in.rejects.rejects.jsonl").exists()
    assert contents(cli) == ["123路公交车绕行", "井盖丢了", "路灯不亮"]


def test_json_values_that_are_not_text(cli, tmp_path):
    source = tmp_path / "in.jsonl"
    lines = [
        {"content": ["停水"]},
        {"content": "停水", "title": True},
        {"content": "小区停水", "phone": 13812345678, "external_id": 42, "urgent": True, "confidential": 0},
    ]
    source.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    result = intake_file(cli, source)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "row 1: content: is a JSON list, not text; give it as a JSON string in quotes",
        "row 2: title: is true/false (true), not text; give it as a JSON string in quotes",
    ]
    (ticket,) = cli.json("list", "--full-phones")
    assert ticket["requester"]["phone"] == "13812345678" and ticket["external_id"] == "42"
    assert ticket["urgent"] is True


# --- CSV rejects re-imported ----------------------------------------------------------------------


def test_a_csv_rejects_file_is_reimported_without_options_and_replaced_by_what_is_still_bad(cli, tmp_path):
    source = tmp_path / "x.csv"
    header = ["external_id", "phone", "content"]
    write_csv(
        source,
        header,
        [["R1", "12ab", "枣园小区油烟扰民"], ["R2", "", "兴华大街路灯不亮"], ["R3", "34cd", "和平里停暖"]],
    )
    first = intake_file(cli, source, "--format", "json")
    assert first.exit_code == 1
    rejects = tmp_path / "x.rejects.csv"
    assert json.loads(first.stdout)["rejects_file"] == str(rejects)
    rows = read_rejects(rejects)
    assert [(r["row"], r["external_id"], r["content"]) for r in rows] == [
        ("2", "R1", "枣园小区油烟扰民"),
        ("4", "R3", "和平里停暖"),
    ]
    assert list(rows[0])[:2] == ["row", "reason"]

    # fix the second bad row only; the first stays bad, so it must come back into the same file
    rows[1]["phone"] = "13812345678"
    with rejects.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    second = intake_file(cli, rejects, "--format", "json")
    assert second.exit_code == 1
    assert second.stderr.splitlines() == [
        "row 2: phone: '12ab' is not a phone number; use digits such as 13812345678 or 010-65123456"
    ]
    assert json.loads(second.stdout)["rejects_file"] == str(rejects)
    assert not (tmp_path / "x.rejects.rejects.csv").exists()
    assert [(r["row"], r["external_id"]) for r in read_rejects(rejects)] == [("2", "R1")]
    assert contents(cli) == ["兴华大街路灯不亮", "和平里停暖"]

    fixed = read_rejects(rejects)
    fixed[0]["phone"] = "010-6512 3456"
    with rejects.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(fixed[0]))
        writer.writeheader()
        writer.writerows(fixed)
    third = intake_file(cli, rejects)
    assert third.exit_code == 0, third.stderr
    assert "every row taken in; file removed" in third.stdout or "已全部受理" in third.stdout
    assert not rejects.exists()
    assert contents(cli) == ["兴华大街路灯不亮", "和平里停暖", "枣园小区油烟扰民"]


def test_a_rejects_name_must_suit_the_format(cli, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"content": 1}\n', encoding="utf-8")
    result = intake_file(cli, source, "--rejects", str(tmp_path / "bad.csv"))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: --rejects: bad.csv: a JSON Lines file's rejects are its lines as they were; name it .jsonl"
    )


# --- tab-separated and UTF-16 text ----------------------------------------------------------------

EXCEL_HEADER = ["工单编号", "诉求内容", "联系电话", "诉求地址"]
EXCEL_ROWS = [["T1", "楼下饭店油烟扰民，晚上十点还在营业", "13700000000", "枣园小区3号楼"], ["T2", "路灯不亮", "", ""]]


def test_excel_unicode_text_utf16_with_tabs_is_read(cli, tmp_path):
    source = tmp_path / "unicode.txt"  # Excel's "Save as Unicode text": UTF-16 LE with BOM, tabs, CRLF
    write_csv(source, EXCEL_HEADER, EXCEL_ROWS, encoding="utf-16", delimiter="\t")
    assert source.read_bytes()[:2] == b"\xff\xfe"
    result = intake_file(cli, source, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["created"] == 2
    tickets = {t["external_id"]: t for t in cli.json("list", "--full-phones")}
    assert tickets["T1"]["content"] == "楼下饭店油烟扰民，晚上十点还在营业"
    assert tickets["T1"]["requester"]["phone"] == "13700000000"
    assert tickets["T1"]["address"] == "枣园小区3号楼"


def test_tab_separated_utf8_is_read(cli, tmp_path):
    source = tmp_path / "export.tsv"
    write_csv(source, EXCEL_HEADER, EXCEL_ROWS, delimiter="\t", lineterminator="\n")
    assert intake_file(cli, source).exit_code == 0
    assert contents(cli) == sorted(row[1] for row in EXCEL_ROWS)


def test_comma_file_whose_text_holds_tabs_and_semicolons_stays_comma(cli, tmp_path):
    source = tmp_path / "in.csv"
    rows = [[f"K{i}", f"噪音;施工\t第{i}次", ""] for i in range(3)]
    write_csv(source, ["external_id", "content", "phone"], rows)
    assert intake_file(cli, source).exit_code == 0
    assert contents(cli) == ["噪音;施工\t第0次", "噪音;施工\t第1次", "噪音;施工\t第2次"]


def test_text_that_cannot_be_read_is_named_for_what_it_is(cli, tmp_path):
    no_bom = tmp_path / "nobom.txt"
    no_bom.write_bytes("诉求内容\t工单编号\r\n停水\tA1\r\n".encode("utf-16-le"))
    result = intake_file(cli, no_bom)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: --file: nobom.txt: is not text (UTF-16 without a byte-order mark, or a binary file); "
        "save it as CSV UTF-8"
    )
    workbook = tmp_path / "book.csv"
    workbook.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    zipped = intake_file(cli, workbook)
    assert zipped.exit_code == 2
    assert zipped.stderr.strip() == (
        "Error: --file: book.csv: is a zip file, most likely an XLSX workbook; name it .xlsx"
    )
    assert cli.json("list") == []


# --- the repeat warning ---------------------------------------------------------------------------

PHONE = ["--phone", "13910467352", "--address", "和平里九区3号楼", "--no-dispatch"]


def test_repeat_of_an_open_ticket_offers_a_merge_that_works(cli):
    first = cli.json("--now", "2026-11-02T23:00:00+08:00", "intake", *PHONE, "--content", "楼上邻居每天半夜跺脚")
    second = cli("--now", "2026-11-03T23:10:00+08:00", "intake", *PHONE, "--content", "楼上邻居又在半夜跺脚")
    hint = second.stderr.strip()
    assert hint.endswith(f"merge it: jiesu merge 2026110300001 --into {first['number']}")
    command = hint.rsplit(": jiesu ", 1)[1].split()
    assert cli("--now", "2026-11-03T23:20:00+08:00", *command).exit_code == 0
    assert cli.json("show", "2026110300001")["status"] == "merged"


def test_repeat_of_a_ticket_merge_refuses_offers_no_merge(cli):
    first = cli.json(
        "--now", "2026-11-02T09:00:00+08:00", "intake", *PHONE,
        "--content", "公积金怎么提取，需要带什么材料", "--answer", "携带身份证到公积金中心办理",
    )  # fmt: skip
    assert first["status"] == "answered"
    second = cli("--now", "2026-11-03T09:00:00+08:00", "intake", *PHONE, "--content", "公积金怎么提取，要带哪些材料")
    assert second.exit_code == 0
    assert second.stderr.strip() == (
        f"warning: the same phone raised {first['number']} on 2026-11-02 with overlapping content; "
        f"{first['number']} is answered and takes no repeats, so this ticket is handled on its own"
    )
    assert "jiesu merge" not in second.stderr
    refused = cli("merge", "2026110300001", "--into", first["number"], ok=False)
    assert refused.exit_code != 0  # what the old hint offered


def test_a_repeat_answered_at_intake_offers_no_merge(cli):
    first = cli.json("--now", "2026-11-02T09:00:00+08:00", "intake", *PHONE, "--content", "小区门口井盖丢了，很危险")
    second = cli(
        "--now", "2026-11-03T09:00:00+08:00", "intake", *PHONE,
        "--content", "小区门口井盖丢了，还没人管", "--answer", "已转告，正在处理",
    )  # fmt: skip
    assert second.stderr.strip().endswith("; this ticket was answered at intake, so there is nothing to merge")
    assert first["number"] in second.stderr
