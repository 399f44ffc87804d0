"""`jiesu demo`: the sample month through the real intake and dispatch paths."""

import sqlite3


def test_demo_fills_a_fresh_case_file_and_never_overwrites(cli, tmp_path):
    db = tmp_path / "demo.db"
    result = cli("demo", "--db", str(db))
    assert "sample requests: 344, taken in: 344" in result.stdout
    assert "北京市热力集团 (heating-co)" in result.stdout  # dispatched by the sample rules
    assert f"JIESU_DB={db}" in result.stdout
    conn = sqlite3.connect(db)
    counts = dict(conn.execute("SELECT status, count(*) FROM tickets GROUP BY status"))
    assert counts["answered"] == 43 and counts["referred"] >= 22
    assert counts["dispatched"] > 250
    again = cli("demo", "--db", str(db), ok=False)
    assert again.exit_code == 1
    assert again.stderr.strip() == f"Error: {db} already exists; the demo never overwrites a case file; pick a new path"
