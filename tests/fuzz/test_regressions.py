"""Issue 16's cases, one named test each: data loss, stored wrong with exit 0, tracebacks, a hang.

Each refusal is one line naming the field, exit 1 or 2, and leaves the case file as it was; a
partial batch stores exactly its good rows.
"""

import copy
import os
import time

import pytest

from tests.fuzz.strategies import GOOD_RULES, to_toml

NOW = "2026-11-26T10:00:00+08:00"
pytestmark = pytest.mark.usefixtures("english")  # these read the English wording of messages


def snapshot(sql):
    return [sql(f"SELECT * FROM {t} ORDER BY 1") for t in ("tickets", "events", "assignments", "counters")]


@pytest.fixture
def rules_file(tmp_path):
    """Writes a rules file: the fuzz suite's good one with `changes` applied (section → key → value)."""

    def write(change=None, name="rules.toml"):
        data = copy.deepcopy(GOOD_RULES)
        if change is not None:
            change(data)
        path = tmp_path / name
        path.write_text(to_toml(data), encoding="utf-8")
        return path

    return write


@pytest.fixture
def office(cli, rules_file, monkeypatch):
    """A case file with one ticket, on the small rules file."""
    monkeypatch.setenv("JIESU_RULES", str(rules_file()))
    cli("init")
    return cli


def refused(cli, sql, *args, code=2, names):
    before = snapshot(sql)
    result = cli(*args, ok=False)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and names in lines[0], lines[0]
    assert snapshot(sql) == before
    return lines[0]


def tickets(sql):
    return [row[0] for row in sql("SELECT content FROM tickets ORDER BY id")]


# --- Data loss ---


def test_rejects_is_never_the_input(office, sql, tmp_path):
    data = tmp_path / "big.csv"
    data.write_text("content\n好的\n\n", encoding="utf-8")
    original = data.read_bytes()
    refused(office, sql, "intake", "--file", str(data), "--rejects", str(data), names="--rejects")
    refused(office, sql, "intake", "--file", str(data), "--rejects", "./big.csv", names="--rejects")
    (tmp_path / "link.csv").symlink_to(data)
    refused(office, sql, "intake", "--file", str(data), "--rejects", str(tmp_path / "link.csv"), names="--rejects")
    os.link(data, tmp_path / "hard.csv")
    refused(office, sql, "intake", "--file", str(data), "--rejects", str(tmp_path / "hard.csv"), names="--rejects")
    assert data.read_bytes() == original


def test_rejects_never_clobbers_a_file_without_force(office, sql, tmp_path):
    data = tmp_path / "in.csv"
    data.write_text("content,phone\n好的,13800138000\n坏的,call me\n", encoding="utf-8")
    keep = tmp_path / "keep.csv"
    keep.write_text("precious", encoding="utf-8")
    line = refused(office, sql, "intake", "--file", str(data), "--rejects", str(keep), names="--rejects")
    assert "--force" in line and keep.read_text(encoding="utf-8") == "precious"
    result = office("intake", "--file", str(data), "--rejects", str(keep), "--force", ok=False)
    assert result.exit_code == 1 and "call me" in keep.read_text(encoding="utf-8-sig")
    assert tickets(sql) == ["好的"]


# --- Long imports ---


@pytest.mark.parametrize("workers", ["0", "2"])
def test_an_interrupted_import_keeps_whole_chunks_and_a_rerun_completes_it_exactly_once(
    office, sql, tmp_path, monkeypatch, workers
):
    from jiesu.services import importing
    from jiesu.store import engine

    monkeypatch.setenv("JIESU_IMPORT_WORKERS", workers)  # "2": its batches prepared in worker processes
    monkeypatch.setattr(importing, "BATCH_SIZE", 3)
    monkeypatch.setattr(engine, "CHUNK_SECONDS", 0.0)  # every batch its own chunk
    monkeypatch.setattr(engine, "SQLITE_WRITER_GAP_SECONDS", 0.0)
    data = tmp_path / "calls.csv"
    data.write_text("content\n" + "".join(f"第{n}号来电\n" for n in range(1, 11)), encoding="utf-8")

    class Killed(Exception):
        pass

    original = importing.record_resume_point

    def record_then_die(conn, key, row):
        original(conn, key, row)
        if row is not None and row >= 10:  # rows 2-4, 5-7 committed; 8-10 die with their chunk
            raise Killed

    monkeypatch.setattr(importing, "record_resume_point", record_then_die)
    assert isinstance(office("intake", "--file", str(data), ok=False).exception, Killed)
    assert tickets(sql) == [f"第{n}号来电" for n in range(1, 7)]  # two whole chunks of three
    monkeypatch.setattr(importing, "record_resume_point", original)
    summary = office.json("intake", "--file", str(data))
    assert (summary["created"], summary["existing"]) == (4, 6)
    assert tickets(sql) == [f"第{n}号来电" for n in range(1, 11)]
    assert sql("SELECT count(*) FROM counters WHERE scope LIKE 'import:%'") == [(0,)]
    again = office.json("intake", "--file", str(data))  # a finished import, run again, is a new import
    assert again["created"] == 10


@pytest.mark.sqlite_only
def test_a_lock_that_cannot_be_had_is_one_line(office, sql, case_file, monkeypatch):
    import sqlite3

    from jiesu.store import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(case_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        for args in (["intake", "--content", "停水"], ["escalate"]):
            line = refused(office, sql, *args, code=1, names="busy")
            assert "try again" in line
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# --- Stored wrong with exit 0 ---


@pytest.mark.parametrize(
    ("codec", "named", "lines"),
    [
        ("big5", "Big5", ["臺北市政府資訊處理", "颱風過後道路損壞", "學校門口積水嚴重"]),
        ("shift_jis", "Shift-JIS", ["東京都の道路が壊れています", "ゴミの収集について"]),
    ],
)
def test_big5_and_shift_jis_are_refused_naming_the_encoding(office, sql, tmp_path, codec, named, lines):
    data = tmp_path / "other.csv"
    data.write_bytes(("content\n" + "\n".join(lines) + "\n").encode(codec))
    line = refused(office, sql, "intake", "--file", str(data), names="--file")
    assert named in line and "UTF-8" in line


def test_gb18030_still_reads(office, sql, tmp_path):
    data = tmp_path / "gbk.csv"
    data.write_bytes("content\n小区停水三天了\n楼道灯坏了请维修\n".encode("gb18030"))
    assert office.json("intake", "--file", str(data))["created"] == 2
    assert tickets(sql) == ["小区停水三天了", "楼道灯坏了请维修"]


def test_a_csv_cut_inside_a_quoted_field_rejects_its_last_row(office, sql, tmp_path):
    data = tmp_path / "cut.csv"
    data.write_text('content,phone\n好的,13800138000\n"半截的诉求,\n', encoding="utf-8")
    result = office("intake", "--file", str(data), ok=False)
    assert result.exit_code == 1 and "cut short" in result.stderr
    assert tickets(sql) == ["好的"]


def test_a_toml_datetime_in_extra_holidays_is_refused(office, rules_file):
    from datetime import datetime

    path = rules_file(lambda d: d["calendar"].update(extra_holidays=[datetime(2026, 11, 2)]))
    result = office("rules", "check", str(path), ok=False)
    assert result.exit_code == 1
    assert "line 6: [calendar] extra_holidays: 2026-11-02T00:00:00 is a date and time; give the day alone" in (
        result.stderr
    )


def test_like_wildcards_in_category_are_themselves(office, sql):
    office("intake", "--content", "停水", "--category", "城乡建设/供水")
    for pattern in ("%", "_", "城乡建设%", "城乡_设"):
        assert office.json("list", "--category", pattern) == []
    assert len(office.json("list", "--category", "城乡建设")) == 1


def test_now_minus_one_is_refused(office, sql):
    refused(office, sql, "--now", "-1", "intake", "--content", "x", names="--now")


@pytest.mark.parametrize(
    "typed", ["１３８００１３８０００", "١٣٨٠٠١٣٨٠٠٠", "１３８－００１３－８０００", "১৩৮০০১৩৮০০০"]
)
def test_phones_in_any_digits_are_stored_as_ascii(office, sql, typed):
    number = office.json("intake", "--content", "停水", "--phone", typed)["number"]
    assert sql("SELECT requester_phone FROM tickets WHERE number = :n", n=number) == [("13800138000",)]


def test_json_lines_values_that_are_not_text_are_rejected_per_row(office, sql, tmp_path):
    data = tmp_path / "rows.jsonl"
    data.write_text(
        "\n".join(
            [
                '{"content": "好的一"}',
                '{"content": ["列表"]}',
                '{"content": {"o": 1}}',
                '{"content": NaN}',
                '{"content": "x", "phone": 1e400}',
                '{"content": "x", "urgent": Infinity}',
                '{"content": "好的二"}',
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = office("intake", "--file", str(data), ok=False)
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 5
    assert tickets(sql) == ["好的一", "好的二"]
    assert len((tmp_path / "rows.rejects.jsonl").read_text(encoding="utf-8").splitlines()) == 5


def test_community_parent_cycles_and_a_community_under_an_enterprise_are_refused(office, rules_file):
    def cycle(data):
        data["units"][0]["parent"] = "qingnianhu"  # hepingli → qingnianhu → hepingli

    def under_enterprise(data):
        data["units"][1]["parent"] = "water-co"

    result = office("rules", "check", str(rules_file(cycle)), ok=False)
    assert result.exit_code == 1 and "go round in a circle (hepingli → qingnianhu → hepingli)" in result.stderr
    result = office("rules", "check", str(rules_file(under_enterprise)), ok=False)
    assert result.exit_code == 1
    assert "line 20: units[2] \"青年湖社区\": parent: 'water-co' is a enterprise" in result.stderr


# --- Tracebacks, a hang, a segfault ---


@pytest.mark.parametrize(
    ("section", "key", "value"),
    [
        ("limits", "default", {"accept": "1wd", "contact": "24h", "finish": "3000000d"}),
        ("intake", "repeat_lookback", "3000000d"),
        ("handling", "max_extension", "3000000d"),
        ("escalation", "warn_before", "999999999h"),
        ("escalation", "escalate_after", "3000000d"),
    ],
)
def test_durations_too_large_for_a_datetime_are_refused_with_key_and_line(
    office, sql, rules_file, monkeypatch, section, key, value
):
    path = rules_file(lambda d: d.setdefault(section, {}).update({key: value}))
    result = office("rules", "check", str(path), ok=False)
    assert result.exit_code == 1
    assert f"[{section}]" in result.stderr and "line " in result.stderr and "too long" in result.stderr
    monkeypatch.setenv("JIESU_RULES", str(path))
    before = snapshot(sql)
    for args in (["escalate"], ["intake", "--content", "停水"]):
        result = office(*args, ok=False)
        assert isinstance(result.exception, SystemExit) and result.exit_code == 1
        assert "too long" in result.stderr
    assert snapshot(sql) == before


def test_extra_holidays_not_a_list_is_refused(office, sql, rules_file, monkeypatch):
    path = rules_file(lambda d: d["calendar"].update(extra_holidays=5))
    result = office("rules", "check", str(path), ok=False)
    assert result.exit_code == 1 and "line 6: [calendar] extra_holidays: must be a list of days" in result.stderr
    monkeypatch.setenv("JIESU_RULES", str(path))
    result = office("list", ok=False)
    assert result.exit_code == 1 and "extra_holidays" in result.stderr
    assert isinstance(result.exception, SystemExit)


def test_a_huge_keyword_is_refused_quickly(office, rules_file):
    path = rules_file(lambda d: d["rules"][0].update(keywords_any=["停" * 200_000]))
    started = time.monotonic()
    result = office("rules", "check", str(path), ok=False)
    assert time.monotonic() - started < 60  # a blocked open never returns; a loaded machine took 10.6 s
    assert result.exit_code == 1 and "keywords_any" in result.stderr and "at most 100" in result.stderr


def test_one_bad_row_never_sinks_the_batch(office, sql, tmp_path):
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        '{"content": "好的一"}\n{"content": "x", "created_at": "0001-01-01"}\n'
        + "[" * 100_000
        + '\n{"content": "大'
        + "大" * 1_000_000
        + '"}\n{"content": "好的二"}\n',
        encoding="utf-8",
    )
    result = office("intake", "--file", str(rows), ok=False)
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 3, result.stderr
    assert tickets(sql) == ["好的一", "好的二"]


def test_a_megabyte_csv_field_is_rejected_alone(office, sql, tmp_path):
    data = tmp_path / "big.csv"
    data.write_text('content\n好的一\n"' + "大" * 1_000_000 + '"\n好的二\n', encoding="utf-8")
    result = office("intake", "--file", str(data), ok=False)
    assert result.exit_code == 1 and "row 3: content: too long" in result.stderr
    assert tickets(sql) == ["好的一", "好的二"]


def test_one_gbk_row_in_a_utf8_file_is_rejected_alone(office, sql, tmp_path):
    data = tmp_path / "mixed.csv"
    data.write_bytes("content\n好的一\n".encode() + "坏的一行\n".encode("gbk") + "好的二\n".encode())
    result = office("intake", "--file", str(data), ok=False)
    assert result.exit_code == 1 and "row 3: row: is not UTF-8" in result.stderr and "坏的一行" in result.stderr
    assert tickets(sql) == ["好的一", "好的二"]
    # the rejects file keeps the row's bytes as they were, to be fixed and imported again
    assert "坏的一行".encode("gbk") in (tmp_path / "mixed.rejects.csv").read_bytes()


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--now", "0001-01-01", "list"], "--now"),
        (["--now", "2026-01-01T00:00+25:00", "list"], "--now"),
        (["--now", "9999-12-31", "escalate"], "--now"),
        (["list", "--limit", "99999999999999999999"], "--limit"),
        (["search", "x", "--limit", "99999999999999999999"], "--limit"),
        (["report", "--month", "0000-01"], "--month"),
        (["report", "--month", "9999-12"], "--month"),
        (["report", "--from", "0001-01-01", "--to", "0001-01-31"], "--from"),
        (["hotspots", "--days", "99999999"], "--days"),
        (["hotspots", "--days", "0"], "--days"),
        (["hotspots", "--min", "-5"], "--min"),
        (["list", "--due-within", "999999999d"], "--due-within"),
        (["list", "--limit", "lots"], "'--limit'"),
        (["list", "--no-such-option"], "--no-such-option"),
    ],
)
def test_out_of_range_values_name_their_option(office, sql, args, names):
    refused(office, sql, *args, names=names)


def test_attach_a_pipe_is_refused_without_blocking(office, sql, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    started = time.monotonic()
    refused(office, sql, "intake", "--content", "x", "--attach", str(fifo), names="--attach")
    refused(office, sql, "intake", "--file", str(fifo.with_suffix(".csv")), names="--file")  # not there
    assert time.monotonic() - started < 60  # a blocked open never returns; a loaded machine took 10.6 s


def test_file_on_a_folder_says_folder(office, sql, tmp_path):
    (tmp_path / "dir.csv").mkdir()
    line = refused(office, sql, "intake", "--file", str(tmp_path / "dir.csv"), names="--file")
    assert "is a folder" in line


def test_messages_name_the_option_given(office, sql, rules_file, monkeypatch):
    number = office.json("intake", "--content", "和平里停水了", "--no-dispatch")["number"]
    office("dispatch", number, "--unit", "water-co")
    refused(office, sql, "extend", number, "--unit", "water-co", "--until", "garbage", names="--until")
    refused(office, sql, "accept", number, "--unit", "", names="--unit")
    refused(office, sql, "hotspots", "--min", "-5", names="--min")
    refused(office, sql, "hotspots", "--days", "0", names="--days")
    path = rules_file(lambda d: d["calendar"].update(country="XX"), name="xx.toml")
    result = office("rules", "check", str(path), ok=False)
    assert "line 6: [calendar] country: unknown country 'XX'" in result.stderr


def test_an_unknown_calendar_country_names_the_rules_key_in_any_command(office, sql, rules_file, monkeypatch):
    from jiesu.domain.calendar import WorkCalendar

    monkeypatch.setenv("JIESU_RULES", str(rules_file(lambda d: d["calendar"].update(country="XX"))))
    with pytest.raises(Exception) as caught:
        WorkCalendar("XX").is_working_day(__import__("datetime").date(2026, 11, 2))
    assert "[calendar] country" in str(caught.value) and "--calendar" not in str(caught.value)
