"""The repeat warning offers only a merge that `jiesu merge` accepts."""


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
