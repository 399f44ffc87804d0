"""Two processes taking requests in at the same time into one case file."""

import sqlite3
import subprocess
import sys
import textwrap

import pytest

from tests.store.barrier import WAIT_FOR_GO, start_together

pytestmark = pytest.mark.slow  # processes taking in a thousand requests at once

WORKER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from pathlib import Path
    from jiesu.rules import BUNDLED_RULES
    from jiesu.services.context import Office
    from jiesu.services.intake import intake_request

    db, who, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    now = datetime(2021, 2, 10, 2, 0, tzinfo=UTC)
    for i in range(count):
        # a new Office per intake: each is a separate command with its own connection
        office = Office(db=db, rules_path=BUNDLED_RULES, now=now, operator=who, create=True)
        intake_request(office, {"content": f"{who} 的第 {i} 件诉求", "phone": "13800000000"})
        office.engine.dispose()
    print("done", who)
    """
)


def test_two_processes_500_intakes_each(tmp_path):
    db = tmp_path / "shared.db"  # not created yet: both processes race to create it too
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(db), who, "500"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("clerk-a", "clerk-b")
    ]
    outputs = [w.communicate(timeout=300) for w in workers]
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
        assert "database is locked" not in err
        assert out.startswith("done")
    conn = sqlite3.connect(db)
    numbers = [row[0] for row in conn.execute("SELECT number FROM tickets")]
    assert len(numbers) == 1000
    assert len(set(numbers)) == 1000
    assert sorted(numbers) == [f"20210210{i:05d}" for i in range(1, 1001)]
    assert conn.execute("SELECT count(*) FROM events WHERE action = 'intake'").fetchone() == (1000,)
    by_operator = dict(conn.execute("SELECT operator, count(*) FROM tickets GROUP BY operator"))
    assert by_operator == {"clerk-a": 500, "clerk-b": 500}
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


STEP = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from pathlib import Path
    from jiesu.errors import JiesuError
    from jiesu.services.context import Office
    from jiesu.services.handling import accept

    db, rules, number, who = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    office = Office(db=db, rules_path=rules, now=datetime(2026, 11, 2, 2, 0, tzinfo=UTC), operator=who)
    office.engine  # connect before the start line, so both try at the same moment
    {WAIT_FOR_GO}
    try:
        accept(office, number, unit="water-co")
        print("accepted")
    except JiesuError as exc:
        print("refused:", exc)
    """
).replace("{WAIT_FOR_GO}", WAIT_FOR_GO)


def test_two_operators_accepting_the_same_ticket_at_once(tmp_path):
    from datetime import UTC, datetime
    from pathlib import Path

    from jiesu.services.context import Office
    from jiesu.services.intake import intake_request

    rules = Path(__file__).resolve().parents[2] / "sample_data" / "dongcheng.toml"
    db = str(tmp_path / "case.db")
    office = Office(db=db, rules_path=rules, now=datetime(2026, 11, 2, 1, 0, tzinfo=UTC), operator="clerk", create=True)
    outcome, _ = intake_request(office, {"content": "家里停水了", "address": "龙潭路3号"})
    office.engine.dispose()
    workers = start_together(
        [[sys.executable, "-c", STEP, db, str(rules), outcome.number, who] for who in ("operator-a", "operator-b")]
    )
    results = sorted(w.communicate(timeout=120)[0].strip() for w in workers)
    assert results == [
        "accepted",
        f"refused: water-co already accepted ticket {outcome.number} at 2026-11-02 10:00",
    ]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM events WHERE action = 'accept'").fetchone() == (1,)
    assert conn.execute("SELECT version FROM tickets").fetchone() == (2,)
