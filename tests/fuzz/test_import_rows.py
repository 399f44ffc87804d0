"""Any rows in an import: the good ones land, exactly once, and each bad one is rejected on its own,
named in the rejects file; nothing ends in a traceback."""

import csv
import json
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiesu.domain.tickets import FIELDS
from tests.fuzz.harness import check_refusal, fuzz_settings
from tests.fuzz.strategies import import_rows

pytestmark = pytest.mark.slow  # minutes: hundreds of inputs, each a command on a fresh case file


def write(path, rows, as_json):
    if as_json:
        path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
        return
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=[f for f in FIELDS if any(f in row for row in rows)])
        writer.writeheader()
        writer.writerows(rows)


def tickets(db):
    connection = sqlite3.connect(db)
    try:
        return connection.execute("SELECT content FROM tickets ORDER BY id").fetchall()
    finally:
        connection.close()


@fuzz_settings(examples=300)
@given(as_json=st.booleans(), data=st.data())
def test_good_rows_land_and_bad_rows_are_rejected_alone(template, tmp_path, as_json, data):
    rows = data.draw(import_rows(json_values=as_json))
    path = tmp_path / ("rows.jsonl" if as_json else "rows.csv")
    rejects = tmp_path / ("rows.rejects.jsonl" if as_json else "rows.rejects.csv")
    rejects.unlink(missing_ok=True)
    write(path, rows, as_json)
    before = len(tickets(template.template))
    args = ["--now", "2026-11-26T10:00:00+08:00", "intake", "--file", str(path), "--format", "json"]
    outcome = template.run(args)
    if outcome.exit_code == 2:  # the file as a whole (no content column, say): nothing taken in
        check_refusal(args, outcome)
        return
    summary = json.loads(outcome.stdout)
    stored = tickets(template.work)[before:]
    assert summary["rows"] == len([r for r in rows if any(str(v).strip() for v in r.values())]) or as_json
    assert len(stored) == summary["created"]
    assert summary["created"] + summary["existing"] + summary["rejected"] == summary["rows"]
    assert outcome.exit_code == (1 if summary["rejected"] else 0), outcome.stderr
    contents = {str(row.get("content", "")).strip() for row in rows}
    assert all(content in contents for (content,) in stored)
    if summary["rejected"]:
        rejected = rejects.read_text(encoding="utf-8-sig").splitlines()
        assert len([line for line in rejected if line.strip()]) >= summary["rejected"]
        assert len(outcome.stderr.splitlines()) == summary["rejected"]
    else:
        assert not rejects.exists()
