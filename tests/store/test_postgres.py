"""The same commands on PostgreSQL (runs when JIESU_TEST_POSTGRES names a server; .ci/run starts one)."""

import json
import subprocess
import sys

from tests.store.test_concurrency import WORKER

NOW = "2021-02-12T00:00:00+08:00"


def test_intake_find_reveal_and_import_on_postgres(cli, postgres_url, tmp_path):
    db = ["--db", postgres_url]
    assert "created case file" in cli(*db, "init").stdout
    first = cli.json(
        *db, "--now", "2021-02-10T10:00:00+08:00", "intake", "--content", "清源路停水三天", "--phone", "13812345678"
    )
    assert first["number"] == "2021021000001"
    assert first["created_at"] == "2021-02-10T10:00:00+08:00"
    secret = cli.json(
        *db,
        "--now",
        "2021-02-10T10:05:00+08:00",
        "intake",
        "--content",
        "举报无证经营",
        "--confidential",
        "--phone",
        "13912345678",
        "--external-id",
        "P-1",
    )
    assert secret["requester"]["phone"] == "***"
    again = cli.json(*db, "--now", NOW, "intake", "--content", "重复推送", "--external-id", "P-1")
    assert again["created"] is False and again["number"] == secret["number"]

    source = tmp_path / "in.csv"
    source.write_text(
        "external_id,created_at,content\n"
        "Q1,2021-02-11 08:00,路灯不亮\nQ2,2021-02-11 08:30,\nQ3,2021-02-11 09:00,井盖缺失\n",
        encoding="utf-8",
    )
    result = cli(*db, "--now", NOW, "intake", "--file", str(source), "--format", "json", ok=False)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["created"] == 2
    rerun = cli(*db, "--now", NOW, "intake", "--file", str(source), "--format", "json", ok=False)
    assert json.loads(rerun.stdout)["existing"] == 2

    listed = cli.json(*db, "list")
    assert [t["number"] for t in listed] == ["2021021100002", "2021021100001", "2021021000002", "2021021000001"]
    assert listed[-1]["requester"]["phone"] == "138****5678"
    assert [t["number"] for t in cli.json(*db, "search", "停水")] == ["2021021000001"]
    assert [t["number"] for t in cli.json(*db, "list", "--since", "2021-02-11")] == ["2021021100002", "2021021100001"]
    revealed = cli.json(*db, "show", secret["number"], "--reveal", "--reason", "核实")
    assert revealed["requester"]["phone"] == "13912345678"
    assert [e["action"] for e in revealed["events"]] == ["intake", "reveal"]


def test_concurrent_intakes_on_postgres(postgres_url):
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, postgres_url, who, "100"], stderr=subprocess.PIPE, text=True)
        for who in ("clerk-a", "clerk-b")
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    import psycopg

    with psycopg.connect(postgres_url.replace("postgresql+psycopg", "postgresql")) as conn:
        numbers = [r[0] for r in conn.execute("SELECT number FROM tickets")]
    assert sorted(numbers) == [f"20210210{i:05d}" for i in range(1, 201)]
