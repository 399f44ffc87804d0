# ruff: noqa: F811  (the fixture `month` is imported from test_report.py and used as a parameter)
"""Published months (考评公示): publish, corrections after publication, revisions, the hash chain,
`report verify`, and the database refusing to rewrite events and publications.

The month is test_report.py's October 2026, built by hand through the CLI."""

import hashlib
import json

import pytest

from tests.cli.test_report import month  # noqa: F401  (the fixture)

NOW = ["--now", "2026-11-26T00:00:00+08:00"]


def at(text):
    return ["--now", f"2026-{text}:00+08:00"]


def publish(cli, *args):
    return cli.json(*NOW, "report", "publish", "--month", "2026-10", *args)


def units(cli, *args):
    rows = cli.json(*NOW, "report", "--month", "2026-10", "--by", "unit", *args)
    return {r["unit"]: r for r in rows}


def recheck(record):
    """What anyone outside can do with one publication's JSON: sha256 of content + previous hash."""
    return hashlib.sha256((record["content"] + record["previous_hash"]).encode("utf-8")).hexdigest()


def test_publish_correct_and_publish_a_revision(cli, month, sql, english):
    first = publish(cli, "--note", "十月考评")
    assert (first["period"], first["revision"], first["previous_hash"]) == ("2026-10", 1, "")
    assert recheck(first) == first["hash"]
    content = json.loads(first["content"])
    assert content["tables"] == cli.json(*NOW, "report", "--month", "2026-10", "--live")
    assert content["note"] == "十月考评" and content["events"]["count"] == first["events_count"] > 0
    # canonical: sorted keys, no spaces, UTF-8 as is
    assert first["content"] == json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert cli(*NOW, "report", "verify").exit_code == 0
    shown = cli("--lang", "en", *NOW, "report", "--month", "2026-10")
    assert f"published on 2026-11-26 00:00 (revision 1, hash {first['hash'][:12]})" in shown.stdout
    assert cli.json(*NOW, "report", "--month", "2026-10")["publication"]["hash"] == first["hash"]

    # C4's callback was unreachable; a clerk back-dates the reached callback into October
    callback = ["callback", month["C4"], "--reached", "--contacted", "yes", "--resolved", "no"]
    callback += ["--satisfaction", "unsatisfied", "--at", "2026-10-20T10:00"]
    events_before = sql("SELECT count(*) FROM events")
    refused = cli(*NOW, *callback, ok=False)
    assert refused.exit_code == 1
    assert "falls in 2026-10" in refused.stderr and "--correction" in refused.stderr
    assert sql("SELECT count(*) FROM events") == events_before
    assert sql("SELECT count(*) FROM corrections") == [(0,)]

    cli(*NOW, *callback, "--correction", "回访记录漏录")
    assert units(cli)["chengguan"]["assessed"] == 2  # as published: C1 and C2
    assert units(cli, "--live")["chengguan"]["assessed"] == 3  # C4 now counts
    marked = cli("--lang", "en", *NOW, "report", "--month", "2026-10")
    assert "corrected after publication (1)" in marked.stdout
    listed = cli.json(*NOW, "report", "publications")
    assert listed[0]["corrected"] is True
    assert listed[0]["corrections"][0]["number"] == month["C4"]
    assert listed[0]["corrections"][0]["reason"] == "回访记录漏录"
    shown_events = cli.json("show", month["C4"])["events"]
    assert shown_events[-1]["data"]["correction"] == "回访记录漏录"
    assert shown_events[-1]["data"]["corrects"] == ["2026-10"]
    verified = cli("--lang", "en", *NOW, "report", "verify", ok=False)
    assert verified.exit_code == 4
    assert "2026-10" in verified.stdout and f"ticket {month['C4']}: corrected after publication" in verified.stdout
    assert "differ" in verified.stderr

    # a correction where nothing published changes is a mistake
    wrong = cli(*NOW, "note", month["C4"], "--text", "补充", "--correction", "无", ok=False)
    assert wrong.exit_code == 2 and "--correction" in wrong.stderr

    again = cli(*NOW, "report", "publish", "--month", "2026-10", ok=False)
    assert again.exit_code == 1 and "--revision" in again.stderr
    second = publish(cli, "--revision")
    assert (second["revision"], second["previous_hash"]) == (2, first["hash"])
    assert recheck(second) == second["hash"]
    assert units(cli)["chengguan"]["assessed"] == 3
    listed = cli.json(*NOW, "report", "publications")
    assert [(p["revision"], p["superseded"], p["corrected"]) for p in listed] == [(1, True, False), (2, False, False)]
    assert [len(p["corrections"]) for p in listed] == [1, 0]  # the record stays with revision 1
    assert cli(*NOW, "report", "verify").exit_code == 0
    json_verify = cli.json(*NOW, "report", "verify")
    assert json_verify["holds"] is True and json_verify["months"][0]["revision"] == 2


def test_publishing_refuses_a_month_not_over_and_revisions_of_unpublished(cli, month, english):
    early = cli(*at("10-31T23:00"), "report", "publish", "--month", "2026-10", ok=False)
    assert early.exit_code == 1 and "once it is over" in early.stderr
    revision = cli(*NOW, "report", "publish", "--month", "2026-10", "--revision", ok=False)
    assert revision.exit_code == 2 and "--revision" in revision.stderr
    missing = cli(*NOW, "report", "verify", "--month", "2026-09", ok=False)
    assert missing.exit_code == 1
    assert cli.json(*NOW, "report", "publications") == []


def test_an_appeal_decided_later_changes_the_published_month(cli, month):
    publish(cli)
    cli(*NOW, "appeal", month["C2"], "--unit", "chengguan", "--reason", "诉求超出职责")  # asking changes nothing
    refused = cli(*NOW, "appeal", month["C2"], "--approve", "--reason", "属实", ok=False)
    assert refused.exit_code == 1 and "2026-10" in refused.stderr
    cli(*NOW, "appeal", month["C2"], "--approve", "--reason", "属实", "--correction", "申诉复核通过")
    assert units(cli, "--live")["chengguan"]["assessed"] == 1
    assert cli.json(*NOW, "report", "publications")[0]["corrected"] is True


def test_the_database_refuses_to_rewrite_events_and_publications(cli, month, sql):
    publish(cli)
    for statement in (
        "UPDATE events SET note = 'rewritten'",
        "DELETE FROM events",
        "UPDATE publications SET content = '{}'",
        "DELETE FROM publications",
        "DELETE FROM publication_tickets",
    ):
        with pytest.raises(Exception, match="append-only"):
            sql(statement)
    assert cli(*NOW, "report", "verify").exit_code == 0


def _tampered_copy(case_file, tmp_path, statements):
    import sqlite3

    copy = tmp_path / "tampered.db"
    copy.unlink(missing_ok=True)
    source = sqlite3.connect(case_file)
    conn = sqlite3.connect(copy)
    source.backup(conn)  # the WAL's pages too
    source.close()
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    for statement, params in statements:
        conn.execute(statement, params)
    conn.commit()
    conn.close()
    return str(copy)


@pytest.mark.sqlite_only
def test_a_tampered_copy_fails_verify_naming_what_changed(cli, month, case_file, tmp_path, sql):
    publish(cli)
    (ticket_id,) = sql("SELECT id FROM tickets WHERE number = :n", n=month["Q2"])[0]
    edited = _tampered_copy(
        case_file,
        tmp_path,
        [("UPDATE events SET note = '已解决' WHERE ticket_id = ? AND action = 'callback'", (ticket_id,))],
    )
    found = cli("--lang", "en", "--db", edited, *NOW, "report", "verify", ok=False)
    assert found.exit_code == 4
    assert f"ticket {month['Q2']}: its events or callbacks changed since" in found.stdout
    # the figures came from the callbacks table: changing it moves the month's figures
    moved = _tampered_copy(
        case_file, tmp_path, [("UPDATE callbacks SET resolved = 0 WHERE ticket_id = ?", (ticket_id,))]
    )
    found = json.loads(cli("--db", moved, *NOW, "report", "verify", "--format", "json", ok=False).stdout)
    assert found["holds"] is False and "ranking" in found["months"][0]["differing_tables"]
    assert {"number": month["Q2"], "how": "events-changed", "reason": None} in found["months"][0]["tickets"]
    # a publication's figures rewritten: its hash no longer chains
    rewritten = _tampered_copy(
        case_file,
        tmp_path,
        [("UPDATE publications SET content = replace(content, '\"assessed\":2', '\"assessed\":3')", ())],
    )
    found = cli("--lang", "en", "--db", rewritten, *NOW, "report", "verify", ok=False)
    assert found.exit_code == 4
    assert "Hash chain broken at publication 1 (2026-10 revision 1)" in found.stdout


def test_publications_json_is_enough_to_recheck_the_chain(cli, month):
    cli(*at("10-01T00:00"), "report", "publish", "--month", "2026-09")
    publish(cli)
    records = cli.json(*NOW, "report", "publications")
    previous = ""
    for record in records:
        assert record["previous_hash"] == previous
        assert recheck(record) == record["hash"]
        previous = record["hash"]
    assert cli.json("--lang", "en", *NOW, "report", "publications") == records


def test_the_events_digest_recomputed_by_hand(cli, month, sql):
    """The published digest from the rows alone: per ticket of the month (taken in, or closed by a
    callback in it), sha256 over its events' lines and then its callbacks' lines (each value as the
    database's text, NULL as \\N, 0x1F between, a newline after each), combined as documented."""
    first = publish(cli)
    ((start, end),) = sql("SELECT start_at, end_at FROM publications")
    chosen = (
        "SELECT id FROM tickets WHERE created_at >= :start AND created_at < :end "
        "UNION SELECT ticket_id FROM callbacks WHERE at >= :start AND at < :end AND closed"
    )

    def lines(table, columns):
        texts = ", ".join(f"CAST({c} AS VARCHAR)" for c in columns)
        rows = sql(
            f"SELECT ticket_id, {texts} FROM {table} WHERE ticket_id IN ({chosen}) AND at < :end "
            f"ORDER BY {table}.ticket_id, {table}.id",  # qualified: PostgreSQL would sort by the text "id"
            start=start,
            end=end,
        )
        found: dict[int, list[str]] = {}
        for ticket_id, *values in rows:
            found.setdefault(ticket_id, []).append("\x1f".join("\\N" if v is None else v for v in values))
        return found

    events = lines("events", ["id", "at", "operator", "action", "unit", "note", "data"])
    answers = lines("callbacks", ["id", "at", "unit", "reached", "contacted", "resolved", "satisfaction", "closed"])

    def digest(found):
        return hashlib.sha256("".join(line + "\n" for line in found).encode()).hexdigest() if found else ""

    total = hashlib.sha256()
    for ticket_id in sorted(events.keys() | answers.keys()):
        both = f"{digest(events.get(ticket_id, []))}:{digest(answers.get(ticket_id, []))}"
        ticket = hashlib.sha256(both.encode()).hexdigest()
        total.update(f"{ticket_id}:{len(events.get(ticket_id, []))}:{ticket}\n".encode())
    assert len(events) > 3 and answers
    assert first["events_count"] == sum(len(found) for found in events.values())
    assert first["events_digest"] == total.hexdigest()
