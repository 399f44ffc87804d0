"""Files for Excel and WPS: CSV files start with a BOM (or are in the encoding asked for), list and
search write workbooks whose ticket numbers and phones are text cells, and hotspots, units and list
also write CSV and JSON Lines."""

import codecs
import csv
import io
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import jiesu

NOW = ("--now", "2026-10-12T10:00:00+08:00")


@pytest.fixture
def tickets(cli):
    """Three tickets, one with a phone that starts with 0 and one from a confidential requester."""
    numbers = []
    for content, phone, extra in (
        ("和平里东街渣土车夜间施工", "01064001234", []),
        ("小区停水三天了", "13800001111", []),
        ("举报楼下饭店油烟", "13900002222", ["--confidential", "--name", "张三"]),
    ):
        created = cli.json(*NOW, "intake", "--content", content, "--phone", phone, "--no-dispatch", *extra)
        numbers.append(created["number"])
    return numbers


def test_csv_files_start_with_a_bom_and_stdout_does_not(cli, tickets, tmp_path):
    out = tmp_path / "list.csv"
    cli(*NOW, "list", "--format", "csv", "--out", str(out))
    data = out.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert {r["number"] for r in rows} == set(tickets)
    assert "渣土车" in data.decode("utf-8-sig")
    piped = cli(*NOW, "list", "--format", "csv").stdout
    assert piped.startswith("number,")  # scripts reading stdout get no BOM


def test_encoding_option(cli, tickets, tmp_path, english):
    out = tmp_path / "gbk.csv"
    cli(*NOW, "list", "--format", "csv", "--encoding", "gb18030", "--out", str(out))
    data = out.read_bytes()
    assert not data.startswith(codecs.BOM_UTF8)
    assert "渣土车".encode("gb18030") in data
    plain = tmp_path / "plain.csv"
    cli(*NOW, "search", "渣土车", "--format", "csv", "--encoding", "utf-8", "--out", str(plain))
    assert plain.read_bytes().startswith(b"number,")
    piped = cli(*NOW, "list", "--format", "csv", "--encoding", "gb18030")
    assert "渣土车".encode("gb18030") in piped.stdout_bytes
    refused = cli("--lang", "en", *NOW, "list", "--format", "csv", "--encoding", "latin-1", ok=False)
    assert refused.exit_code == 2
    assert refused.stderr.startswith("Error: --encoding: unknown encoding 'latin-1'; use utf-8, utf-8-sig, gb18030")


def test_report_csv_file_has_a_bom(cli, tickets, tmp_path):
    out = tmp_path / "report.csv"
    cli(*NOW, "report", "--month", "2026-10", "--format", "csv", "--by", "street", "--out", str(out))
    assert out.read_bytes().startswith(codecs.BOM_UTF8)


def test_list_and_search_workbooks_keep_numbers_and_phones_as_text(cli, tickets, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "list.xlsx"
    cli(*NOW, "list", "--format", "xlsx", "--out", str(out), "--full-phones")
    sheet = load_workbook(out).active
    assert sheet is not None
    assert sheet["A1"].value == "12345接诉即办中心 — 工单: 显示 3 / 共 3"
    header = [c.value for c in sheet[3]]
    assert header[:3] == ["工单编号", "受理时间", "状态"]
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref.startswith("A3:")
    column = {name: index for index, name in enumerate(header)}
    rows = list(sheet.iter_rows(min_row=4))
    numbers = [r[column["工单编号"]] for r in rows]
    assert {c.value for c in numbers} == set(tickets)
    assert all(c.data_type == "s" and c.number_format == "@" for c in numbers)
    phones = {r[column["电话"]].value: r[column["电话"]] for r in rows}
    assert "01064001234" in phones and phones["01064001234"].number_format == "@"
    assert "13900002222" not in phones and "13800001111" in phones  # a confidential requester stays hidden
    assert [r[column["状态"]].value for r in rows] == ["待派单"] * 3
    assert sheet.column_dimensions["A"].width >= 13 + 2

    found = tmp_path / "search.xlsx"
    cli(*NOW, "search", "渣土车", "--format", "xlsx", "--out", str(found))
    hits = load_workbook(found).active
    assert hits is not None and hits.cell(row=4, column=1).value == tickets[0]
    missing = cli("--lang", "en", *NOW, "list", "--format", "xlsx", ok=False)
    assert missing.exit_code == 2 and missing.stderr.startswith("Error: --out: a workbook needs a file")


def test_lists_as_json_lines(cli, tickets, tmp_path):
    lines = cli(*NOW, "list", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["number"] for line in lines] == list(reversed(tickets))
    masked = json.loads(lines[0])
    assert masked["requester"]["confidential"] is True and masked["requester"]["name"] != "张三"
    sample = Path(jiesu.__file__).parent / "sample_data" / "dongcheng.toml"
    units = [json.loads(line) for line in cli("--rules", str(sample), "units", "--format", "jsonl").stdout.splitlines()]
    assert units and {"code", "name", "class", "parent"} <= set(units[0])
    out = tmp_path / "units.csv"
    cli("--rules", str(sample), "units", "--format", "csv", "--out", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert [r["code"] for r in rows] == [u["code"] for u in units]


def test_hotspots_as_csv_and_json_lines(cli):
    # a quiet baseline of one a week for four weeks, then six in a week at one address
    for day in (6, 13, 20, 27):
        cli("--now", f"2026-10-{day:02d}T10:00:00+08:00", "intake", "--content", "渣土车", "--address", "兴丰大街9号")
    for hour in range(6):
        when = f"2026-11-{2 + hour:02d}T1{hour}:00:00+08:00"
        cli("--now", when, "intake", "--content", "渣土车夜间遗撒", "--address", "清源路8号院")
    now = ("--now", "2026-11-08T00:00:00+08:00")
    records = cli.json(*now, "hotspots", "--days", "7", "--min", "5")
    assert ("address", "清源路8号院") in {(r["dimension"], r["value"]) for r in records}
    jsonl = cli(*now, "hotspots", "--days", "7", "--min", "5", "--format", "jsonl").stdout
    assert [json.loads(line) for line in jsonl.splitlines()] == records
    text = cli(*now, "hotspots", "--days", "7", "--min", "5", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["value"] for r in rows] == [r["value"] for r in records]
    assert rows[0]["numbers"].split() == records[0]["numbers"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="a file-size limit needs POSIX resource limits")
@pytest.mark.parametrize("format", ["xlsx", "csv"])
def test_a_full_disk_is_one_line_and_keeps_the_earlier_file(cli, tmp_path, format):
    """Writing --out fails part-way (here: a file-size limit, as a full disk would): one line, exit 2,
    no traceback at exit, no cut file, and the earlier export of the same name untouched."""
    later = ("--now", "2026-12-01T00:00:00+08:00")  # after every sample request
    sample = tmp_path / "requests.csv"
    sample.write_bytes((Path(jiesu.__file__).parent / "sample_data" / "requests.csv").read_bytes())
    cli(*later, "intake", "--file", str(sample), "--no-dispatch", "--format", "json")
    target = tmp_path / f"tickets.{format}"
    command = [sys.executable, "-m", "jiesu", "--lang", "en", *later, "list", "--limit", "1000", "--format", format]
    subprocess.run([*command, "--out", str(target)], check=True)  # the earlier export; warms the caches
    earlier = target.read_bytes()
    limit = 33 * 1024  # room for SQLite's 32 KiB shared-memory file, not for the export
    assert len(earlier) > limit

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead

    failed = subprocess.run([*command, "--out", str(target)], preexec_fn=limited, capture_output=True, text=True)
    assert failed.returncode == 2
    assert failed.stderr.strip() == f"Error: --out: cannot write {target}: File too large"
    assert target.read_bytes() == earlier
    assert sorted(p.name for p in tmp_path.iterdir() if "tickets" in p.name) == [target.name]  # no partial


@pytest.mark.parametrize("option", ["folder", "pipe", "device"])
def test_out_must_be_a_file(cli, tmp_path, option, english):
    """A folder, a pipe or a device as --out is refused before any work (a pipe would hold the
    command until something reads it), for every command that writes files."""
    target = {"folder": tmp_path, "pipe": tmp_path / "pipe", "device": Path(os.devnull)}[option]
    if option == "pipe":
        os.mkfifo(target)
    what = "a folder" if option == "folder" else "not a regular file (a pipe, socket or device)"
    for command in (
        ["list", "--format", "csv"],
        ["search", "停水", "--format", "xlsx"],
        ["report", "--month", "2026-10", "--format", "html"],
        ["export"],
        ["hotspots", "--format", "jsonl"],
    ):
        refused = cli(*NOW, *command, "--out", str(target), ok=False)
        assert refused.exit_code == 2, command
        assert refused.stderr.strip() == f"Error: --out: {target} is {what}; name a file to write to", command
