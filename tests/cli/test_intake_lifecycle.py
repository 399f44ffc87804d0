"""init → intakes (one confidential, one answered, one referred) → list/show/search, as a clerk would."""

import json

NOW = "2021-02-10T10:00:00+08:00"


def test_init_creates_case_file_and_starter_rules(cli, sql, tmp_path):
    result = cli("init")
    assert sql("SELECT count(*) FROM tickets") == [(0,)]
    assert (tmp_path / "jiesu.toml").exists()
    assert "created case file" in result.stdout
    again = cli("init")
    assert "up to date" in again.stdout


def test_three_intakes_then_find_them_again(cli, case_file):
    cli("init")
    plain = cli.json(
        "--now",
        NOW,
        "intake",
        "--content",
        "清源路5号楼停水三天了，家里有老人",
        "--kind",
        "投诉",
        "--channel",
        "phone",
        "--name",
        "王女士",
        "--phone",
        "138 1234 5678",
        "--address",
        "清源路5号楼",
        "--district",
        "大兴区",
        "--street",
        "清源街道",
        "--community",
        "枣园社区",
        "--category",
        "城乡建设/供水",
        "--urgent",
        "--external-id",
        "EXT-1",
    )
    assert plain == {
        "number": "2021021000001",
        "status": "pending",
        "kind": "complain",
        "channel": "phone",
        "category": "城乡建设/供水",
        "category_source": "given",
        "suggestion": None,
        "title": "清源路5号楼停水三天了，家里有老人",
        "content": "清源路5号楼停水三天了，家里有老人",
        "requester": {"name": "王女士", "phone": "13812345678", "type": "person", "confidential": False},
        "address": "清源路5号楼",
        "district": "大兴区",
        "street": "清源街道",
        "community": "枣园社区",
        "urgent": True,
        "reply": None,
        "guided_to": None,
        "lead_unit": None,
        "dispatched_at": None,
        "supervised": False,
        "merged_into": None,
        "repeat_after_close_of": None,
        "reopen_count": 0,
        "exempt": False,
        "escalation_level": 0,
        "coordinator": None,
        "created_at": "2021-02-10T10:00:00+08:00",
        "closed_at": None,
        "external_id": "EXT-1",
        "operator": "clerk-1",
        "created": True,
        "repeat_of": [],
        "repeat_after_close": None,
    }
    secret = cli.json(
        "--now",
        "2021-02-10T10:05:00+08:00",
        "intake",
        "--content",
        "举报兴华大街一家饭店无证经营，油烟很大",
        "--kind",
        "report",
        "--name",
        "李建国",
        "--phone",
        "13912345678",
        "--confidential",
        "--requester-type",
        "person",
    )
    assert secret["number"] == "2021021000002"
    assert secret["requester"] == {"name": "***", "phone": "***", "type": "person", "confidential": True}
    answered = cli.json(
        "--now",
        "2021-02-10T10:10:00+08:00",
        "intake",
        "--content",
        "社保卡丢了怎么补办",
        "--kind",
        "consult",
        "--answer",
        "携带身份证到社保卡服务网点补办",
        "--phone",
        "13700001111",
    )
    assert answered["status"] == "answered"
    assert answered["closed_at"] == "2021-02-10T10:10:00+08:00"
    assert answered["reply"] == "携带身份证到社保卡服务网点补办"
    referred = cli.json(
        "--now",
        "2021-02-10T10:20:00+08:00",
        "intake",
        "--content",
        "法院判决后对方一直不执行",
        "--kind",
        "help",
        "--refer",
        "属于诉讼执行事项，请向人民法院申请强制执行",
    )
    assert referred["status"] == "referred"
    assert referred["number"] == "2021021000004"

    listed = cli.json("list")
    assert [t["number"] for t in listed] == [
        "2021021000004",
        "2021021000003",
        "2021021000002",
        "2021021000001",
    ]
    by_number = {t["number"]: t for t in listed}
    assert by_number["2021021000001"]["requester"]["phone"] == "138****5678"  # masked in lists
    assert by_number["2021021000003"]["requester"]["phone"] == "137****1111"
    assert [t["number"] for t in cli.json("list", "--status", "answered")] == ["2021021000003"]
    assert [t["number"] for t in cli.json("list", "--kind", "举报")] == ["2021021000002"]
    assert [t["number"] for t in cli.json("list", "--category", "城乡建设")] == ["2021021000001"]
    assert [t["number"] for t in cli.json("list", "--since", "2021-02-10 10:06", "--until", "2021-02-10 10:15")] == [
        "2021021000003"
    ]
    assert [t["number"] for t in cli.json("search", "停水")] == ["2021021000001"]  # two characters: scan
    assert [t["number"] for t in cli.json("search", "无证经营")] == ["2021021000002"]  # trigram index
    assert [t["number"] for t in cli.json("search", "兴华大街一家")] == ["2021021000002"]

    shown = cli.json("show", "2021021000001")
    assert shown["requester"]["phone"] == "13812345678"  # one ticket's own view shows an ordinary phone
    assert [e["action"] for e in shown["events"]] == ["intake"]
    assert [e["action"] for e in cli.json("show", "2021021000003")["events"]] == ["intake", "answer"]
    assert [e["action"] for e in cli.json("show", "2021021000004")["events"]] == ["intake", "refer"]

    # the confidential phone and name appear nowhere without --reveal
    outputs = [
        cli("list").stdout,
        cli("list", "--format", "csv").stdout,
        cli("list", "--format", "json").stdout,
        cli("list", "--full-phones", "--format", "csv").stdout,
        cli("search", "饭店").stdout,
        cli("search", "饭店", "--format", "json").stdout,
        cli("show", "2021021000002").stdout,
        cli("show", "2021021000002", "--format", "json").stdout,
        cli("--lang", "en", "show", "2021021000002").stdout,
    ]
    for text in outputs:
        assert "13912345678" not in text
        assert "李建国" not in text

    revealed = cli.json("show", "2021021000002", "--reveal", "--reason", "承办单位核实举报人身份")
    assert revealed["requester"] == {
        "name": "李建国",
        "phone": "13912345678",
        "type": "person",
        "confidential": True,
    }
    reveal_event = revealed["events"][-1]
    assert reveal_event["action"] == "reveal"
    assert reveal_event["operator"] == "clerk-1"
    assert reveal_event["note"] == "承办单位核实举报人身份"
    # the reveal is history: it stays recorded, and the next plain show masks again
    again = cli.json("show", "2021021000002")
    assert [e["action"] for e in again["events"]] == ["intake", "reveal"]
    assert again["requester"]["phone"] == "***"


def test_known_external_id_returns_the_existing_ticket(cli):
    first = cli.json("--now", NOW, "intake", "--content", "路灯不亮", "--external-id", "WX-77")
    second = cli.json("--now", NOW, "intake", "--content", "路灯不亮（重复推送）", "--external-id", "WX-77")
    assert second["number"] == first["number"]
    assert second["created"] is False
    assert second["content"] == "路灯不亮"
    assert len(cli.json("list")) == 1


def test_numbers_restart_each_local_day(cli):
    late = cli.json("--now", "2021-02-10T23:59:00+08:00", "intake", "--content", "深夜施工噪音")
    # 16:30 UTC is already 00:30 the next day in Beijing
    early = cli.json("--now", "2021-02-10T16:30:00Z", "intake", "--content", "凌晨施工噪音")
    assert late["number"] == "2021021000001"
    assert early["number"] == "2021021100001"
    assert early["created_at"] == "2021-02-11T00:30:00+08:00"


def test_attachments_are_fingerprinted(cli, tmp_path):
    photo = tmp_path / "井盖.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"0" * 1000)
    voice = tmp_path / "call.mp3"
    voice.write_bytes(b"ID3" + b"1" * 10)
    number = cli.json("--now", NOW, "intake", "--content", "井盖缺失", "--attach", str(photo), "--attach", str(voice))[
        "number"
    ]
    files = cli.json("show", number)["attachments"]
    assert [(f["kind"], f["media_type"], f["size"]) for f in files] == [
        ("image", "image/jpeg", 1003),
        ("voice", "audio/mpeg", 13),
    ]
    import hashlib

    assert files[0]["sha256"] == hashlib.sha256(photo.read_bytes()).hexdigest()


def test_table_output_aligns_chinese_at_fixed_width(cli):
    cli("--now", NOW, "intake", "--content", "清源路停水", "--name", "王女士", "--phone", "13812345678")
    lines = cli("list", "--format", "table").stdout.splitlines()
    from rich.cells import cell_len

    body = [line for line in lines if line.startswith(("┃", "│", "┏", "┡", "└"))]
    assert len({cell_len(line) for line in body}) == 1, body
    assert any("王女士" in line and "138****5678" in line for line in body)
    en = cli("--lang", "en", "list").stdout
    assert "Number" in en and "pending" in en


def test_prompts_for_fields_on_a_terminal(cli, monkeypatch):
    monkeypatch.setattr("jiesu.cli.intake._interactive", lambda: True)
    result = cli("--now", NOW, "intake", input="小区垃圾三天没清运\n\n投诉\n\n张先生\n13800002222\n枣园小区\n")
    assert "2021021000001" in result.stdout
    ticket = cli.json("show", "2021021000001")
    assert ticket["content"] == "小区垃圾三天没清运"
    assert ticket["requester"]["name"] == "张先生"
    assert ticket["address"] == "枣园小区"


def test_json_output_is_valid_for_empty_lists(cli):
    cli("init")
    assert json.loads(cli("list", "--format", "json").stdout) == []
