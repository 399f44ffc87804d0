"""A clerk at the counter never fails because a long import is running (issue 16).

A separate process keeps the case file's writer busy for 90 s the way a batch import does: write
transactions of about a second (store.engine.WriteChunks), committed one after another, each
retaking the lock at once. Meanwhile a clerk takes requests in; each gets in between two chunks
within moments instead of waiting out the import (60 s, then "database is locked").
"""

import subprocess
import sys
import textwrap
import time

import pytest

pytestmark = pytest.mark.slow  # 90 seconds of a busy writer

HOLD_SECONDS = 90

BUSY_WRITER = textwrap.dedent(
    """
    import sys, time
    from sqlalchemy import text
    from jiesu.store.casefile import open_case_file
    from jiesu.store.engine import WriteChunks

    db, seconds = sys.argv[1], float(sys.argv[2])
    engine = open_case_file(db, create=False)
    started = time.monotonic()
    writes = 0
    with WriteChunks(engine) as chunks:
        chunks.connection()
        print("holding", flush=True)
        while time.monotonic() - started < seconds:
            conn = chunks.connection()  # the lock, held until the chunk is committed
            conn.execute(
                text(
                    "INSERT INTO counters (scope, value) VALUES ('busy-writer', 1) "
                    "ON CONFLICT (scope) DO UPDATE SET value = counters.value + 1"
                )
            )
            writes += 1
            time.sleep(0.01)  # an import's rows, being validated and written
            chunks.end_chunk_if_due()
    print("done", chunks.chunks, writes, round(time.monotonic() - started, 1), flush=True)
    """
)


def test_a_clerks_intake_gets_in_while_a_long_write_holds_the_case_file(cli, case_file, sql):
    cli("init")
    writer = subprocess.Popen(
        [sys.executable, "-c", BUSY_WRITER, case_file, str(HOLD_SECONDS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "holding"
        started = time.monotonic()
        waits = []
        while time.monotonic() - started < HOLD_SECONDS - 5:
            asked = time.monotonic()
            result = cli("intake", "--content", f"第{len(waits) + 1}位来电：小区停水", "--phone", "13800138000")
            waits.append(time.monotonic() - asked)
            assert result.exit_code == 0
            time.sleep(3)
        assert writer.poll() is None, "the busy writer stopped before the clerk was done"
        out, err = writer.communicate(timeout=60)
    finally:
        if writer.poll() is None:
            writer.kill()
    assert writer.returncode == 0, err
    done, chunks, writes, held = out.split()
    assert done == "done" and float(held) >= HOLD_SECONDS
    assert int(chunks) >= HOLD_SECONDS / 2  # about one chunk a second, each its own transaction
    assert len(waits) >= 20
    # each intake waited for at most about a chunk, never for the import
    assert max(waits) < 10, waits
    assert sql("SELECT count(*) FROM tickets") == [(len(waits),)]
    assert sql("SELECT value FROM counters WHERE scope = 'busy-writer'") == [(int(writes),)]
    print(f"{len(waits)} intakes during {held} s of {chunks} chunks; longest wait {max(waits):.2f} s")
