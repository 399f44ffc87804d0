"""Two `jiesu escalate` processes and a stream of intakes at once, on one case file.

Every action must be recorded exactly once (no duplicate alert, one event per alert, each printed
by exactly one run), no ticket escalated twice, and every ticket taken in present.
"""

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.store.barrier import WAIT_FOR_GO, start_together

pytestmark = pytest.mark.slow  # two escalate runs and an intake stream as processes

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "dongcheng.toml"
INTAKE = datetime(2026, 9, 30, 1, 0, tzinfo=UTC)  # Wed Sep 30 09:00 in Beijing, before National Day
RUN = "2026-10-09T10:00:00+08:00"  # the escalation clock: many deadlines passed over the holiday
REQUESTS = [
    {"content": "家里停水了", "address": "龙潭路3号"},  # water-co leads, longtan co-handles
    {"content": "楼道灯坏了很久没人修", "address": "南锣鼓巷5号"},  # the street leads
    {"content": "楼道灯坏了很久没人修", "address": "南锣鼓巷5号", "urgent": "true"},  # 2h escalation
]

STREAM = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from jiesu.domain.times import parse_datetime
    from zoneinfo import ZoneInfo
    from jiesu.services.context import Office
    from jiesu.services.intake import intake_request

    db, rules, now, count = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    clock = parse_datetime(now, ZoneInfo("Asia/Shanghai"), "now")
    {WAIT_FOR_GO}
    for i in range(count):
        office = Office(db=db, rules_path=rules, now=clock, operator="clerk")  # one intake command each
        content = "家里停水了" if i % 2 else "楼道灯坏了很久没人修"
        intake_request(office, {"content": f"{content}（{i}）", "address": "龙潭路3号"})
        office.engine.dispose()
    print("took in", count)
    """
).replace("{WAIT_FOR_GO}", WAIT_FOR_GO)

ESCALATE = textwrap.dedent(
    """
    import sys
    from jiesu.cli import main
    from jiesu.services import escalation  # noqa: F401  (imported before the start line)

    {WAIT_FOR_GO}
    sys.argv[0] = "jiesu"
    main()
    """
).replace("{WAIT_FOR_GO}", WAIT_FOR_GO)


def initial_case_file(db: Path) -> None:
    from jiesu.services.context import Office
    from jiesu.services.intake import intake_request

    for i in range(30):
        office = Office(db=str(db), rules_path=SAMPLE, now=INTAKE, operator="clerk", create=True)
        intake_request(office, REQUESTS[i % 3])
        office.engine.dispose()


def jiesu_env(db: Path) -> dict[str, str]:
    return {**os.environ, "JIESU_DB": str(db), "JIESU_RULES": str(SAMPLE), "JIESU_OPERATOR": "cron"}


def jiesu(db: Path, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "jiesu", *args]
    return subprocess.Popen(command, env=jiesu_env(db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "database is locked" not in err
    return out


def actions(out: str) -> list[tuple[str, str, str, str, str, int]]:
    records = [json.loads(line) for line in out.splitlines()]
    return [(r["number"], r["action"], r["deadline"], r["due"], r["unit"], r["level"]) for r in records]


def test_two_escalations_and_a_stream_of_intakes_at_once(tmp_path):
    db = tmp_path / "case.db"
    initial_case_file(db)
    planned = actions(finished(jiesu(db, "--now", RUN, "escalate", "--format", "jsonl", "--dry-run")))
    assert len(planned) == 150  # per water, street and urgent ticket: 6, 4 and 5 actions

    # the stream and both runs import first, then start on one line, so that they really overlap
    escalate = [sys.executable, "-c", ESCALATE, "--now", RUN, "escalate", "--format", "jsonl"]
    stream, *runs = start_together(
        [[sys.executable, "-c", STREAM, str(db), str(SAMPLE), RUN, "80"], escalate, escalate], env=jiesu_env(db)
    )
    outputs = [finished(run) for run in runs]
    assert finished(stream).strip() == "took in 80"
    outputs.append(finished(jiesu(db, "--now", RUN, "escalate", "--format", "jsonl")))  # whatever came in after

    printed = [a for out in outputs for a in actions(out)]
    assert len(printed) == len(set(printed)), "an action was reported twice"
    assert set(planned) <= set(printed)
    new_tickets = {a[0] for a in printed} - {a[0] for a in planned}
    assert {a[1:3] for a in printed if a[0] in new_tickets} <= {("warn", "accept")}  # water tickets: 2h to accept
    assert actions(finished(jiesu(db, "--now", RUN, "escalate", "--format", "jsonl", "--dry-run"))) == []

    conn = sqlite3.connect(db)
    alerts = conn.execute(
        "SELECT t.number, a.action, a.deadline, a.unit, a.level, a.ticket_id FROM alerts a JOIN tickets t"
        " ON t.id = a.ticket_id"
    ).fetchall()
    assert sorted(a[:5] for a in alerts) == sorted((n, act, d, u, lvl) for n, act, d, _, u, lvl in printed)
    events = conn.execute(
        "SELECT ticket_id, action, unit, json_extract(data, '$.deadline'), coalesce(json_extract(data, '$.level'), 0)"
        " FROM events WHERE action IN ('warn', 'overdue', 'escalate')"
    ).fetchall()
    assert Counter(events) == Counter((a[5], a[1], a[3], a[2], a[4]) for a in alerts)  # one event per alert
    duplicates = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM alerts GROUP BY assignment_id, deadline, action, due, level"
        " HAVING count(*) > 1)"
    ).fetchone()
    assert duplicates == (0,)

    # escalated once: one version bump, to the highest level reached
    levels = dict(conn.execute("SELECT ticket_id, max(level) FROM alerts WHERE action = 'escalate' GROUP BY 1"))
    for ticket_id, level, version in conn.execute("SELECT id, escalation_level, version FROM tickets"):
        assert (level, version) == ((levels[ticket_id], 2) if ticket_id in levels else (0, 1))
    assert len(levels) == 30

    numbers = [row[0] for row in conn.execute("SELECT number FROM tickets ORDER BY id")]
    assert len(numbers) == len(set(numbers)) == 110
    assert numbers[:30] == [f"20260930{i:05d}" for i in range(1, 31)]
    assert sorted(numbers[30:]) == [f"20261009{i:05d}" for i in range(1, 81)]
