"""Chinese throughout, English on request, names not codes, and output a pipe can read.

Help texts and error messages are written in English in the code and worded in Chinese through
two catalogues (cli/help_zh.py, cli/messages_zh.py); these tests walk the command tree and every
`raise …Error(…)` of the code and list what has no Chinese yet, as lines to paste into them."""

import ast
import json
import os
import re
from pathlib import Path

import pytest
import typer.main

from jiesu.cli import app
from jiesu.cli.help_zh import HELP_ZH
from jiesu.cli.languages import help_texts, template_pattern, translate
from jiesu.cli.messages_zh import MESSAGES_ZH
from jiesu.domain.catalogue import Unit, UnitClass
from jiesu.domain.naming import resolve_unit, resolve_units
from jiesu.errors import UsageError

SOURCE = Path(__file__).parents[2] / "src" / "jiesu"
CJK = re.compile(r"[\u4e00-\u9fff]")
BOX = re.compile(r"[│┃━─┏┓┗┛┡┩╇╈┳┻╋]")
NOW = "2026-11-26T09:30:00+08:00"


@pytest.fixture
def sample_rules(monkeypatch):
    from jiesu.services.simulation import SAMPLE_RULES, sample_data_dir

    monkeypatch.setenv("JIESU_RULES", str(sample_data_dir() / SAMPLE_RULES))


# --- help --------------------------------------------------------------------------------------------


def test_every_command_and_option_has_a_chinese_help_text():
    missing = {english: where for where, _owner, english in help_texts(typer.main.get_command(app))}
    missing = {english: where for english, where in missing.items() if english not in HELP_ZH}
    lines = "\n".join(f"    {english!r}: '',  # {where}" for english, where in missing.items())
    assert not missing, f"help texts with no Chinese; add to HELP_ZH in cli/help_zh.py:\n{lines}"


def test_every_chinese_help_text_is_chinese():
    assert all(CJK.search(chinese) for chinese in HELP_ZH.values())


@pytest.mark.parametrize("args", [["-h"], ["accept", "-h"], ["list", "--help"], ["rules", "check", "-h"]])
def test_help_is_chinese_by_default_and_english_on_request(cli, args):
    zh = cli(*args).stdout
    assert "选项" in zh or "命令" in zh
    assert "Show this message and exit." not in zh and "显示本帮助并退出" in zh
    en = cli("--lang", "en", *args).stdout
    assert "Show this message and exit." in en and not re.search(r"选项|显示本帮助", en)


def test_help_follows_jiesu_lang(cli, monkeypatch):
    monkeypatch.setenv("JIESU_LANG", "en")
    assert "The acting unit" in cli("accept", "-h").stdout
    assert "办理单位" in cli("--lang", "zh", "accept", "-h").stdout


# --- errors ------------------------------------------------------------------------------------------

ERRORS = {"UsageError", "NotFoundError", "RefusedError", "ConflictError", "CaseFileError", "JiesuError"}


def _template(node):
    """A message's template as the catalogue keys it: f-string parts named {name} or {v1}, {v2}…"""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts, n = [], 0
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(value.value)
                continue
            expression = value.value
            if isinstance(expression, ast.Name):
                name = expression.id
            elif isinstance(expression, ast.Attribute):
                name = expression.attr
            else:
                n += 1
                name = f"v{n}"
            parts.append("{" + name + "}")
        return "".join(parts)
    return None


def raised_messages():
    """(where, template) of every error the code raises with a message it writes out, and every
    problem the rules checker adds."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in ERRORS:
                message = node.args[1] if name == "UsageError" and len(node.args) > 1 else node.args[0]
            elif name == "add" and len(node.args) == 2 and path.parent.name == "rules":
                message = node.args[1]
            else:
                continue
            template = _template(message)
            if template is not None:
                found.append((f"{path.relative_to(SOURCE)}:{node.lineno}", template))
    return found


def _sample(template):
    """The template with each placeholder filled the way a real message fills it."""
    return re.sub(r"\{(\w+)\}", lambda m: f"'x-{m.group(1)}'", template)


def test_every_error_the_code_raises_has_chinese():
    messages = raised_messages()
    assert len(messages) > 150  # the walk found the code's errors
    missing = [(where, template) for where, template in messages if translate(_sample(template)) is None]
    lines = "\n".join(f"    {template!r}: '',  # {where}" for where, template in missing)
    assert not missing, f"error messages with no Chinese; add to MESSAGES_ZH in cli/messages_zh.py:\n{lines}"


def test_the_error_catalogue_keeps_every_placeholder_and_is_chinese():
    for english, chinese in MESSAGES_ZH.items():
        assert set(re.findall(r"\{(\w+)\}", english)) == set(re.findall(r"\{(\w+)\}", chinese)), english
        assert CJK.search(chinese) or not re.sub(r"\{\w+\}|\W", "", english), english  # words are Chinese
        assert template_pattern(english).fullmatch(_sample(english)), english


def test_placeholders_keep_their_text_and_stored_values_are_worded():
    said = translate("ticket 2026112600001 is dispatched (lead unit water-co); only pending tickets can be dispatched")
    assert said == "工单 2026112600001 状态为 已派单（主办单位 water-co）；只有待派单的工单才能派单"


def test_errors_are_chinese_by_default_and_english_on_request(cli):
    zh = cli("show", "2099010100001", ok=False)
    assert zh.exit_code == 1 and zh.stderr.startswith("错误：") and "案卷" in zh.stderr
    refused = cli("--now", NOW, "intake", "--content", " ", ok=False)
    assert refused.exit_code == 2 and refused.stderr.strip() == "错误：--content：为空；请用几句话描述诉求"
    en = cli("--lang", "en", "--now", NOW, "intake", "--content", " ", ok=False)
    assert en.stderr.strip() == "Error: --content: is empty; describe the request in a few words"


@pytest.mark.parametrize(
    ("args", "chinese"),
    [
        (["list", "--bogus"], "没有这个选项：--bogus"),
        (["accept"], "缺少参数 'number'。"),
        (["accept", "1"], "缺少选项 '--unit'。"),
        (["list", "--limit", "x"], "'--limit' 的值无效：须为整数"),
        (["acept"], "没有这个命令 'acept'。是否想用 'accept'？"),
    ],
)
def test_clicks_own_usage_errors_are_chinese(cli, args, chinese):
    result = cli(*args, ok=False)
    assert result.exit_code == 2
    assert chinese in result.stderr and "错误" in result.stderr
    assert "No such" not in result.stderr and "Missing" not in result.stderr


# --- names, not codes -------------------------------------------------------------------------------

UNITS = {
    u.code: u
    for u in (
        Unit("hepingli", "和平里街道", UnitClass.STREET),
        Unit("hpl-qingnianhu", "青年湖社区", UnitClass.COMMUNITY, "hepingli"),
        Unit("hpl-hepingli", "和平里社区", UnitClass.COMMUNITY, "hepingli"),
        Unit("water-co", "北京市自来水集团", UnitClass.ENTERPRISE),
        Unit("gas-co", "北京市燃气集团", UnitClass.ENTERPRISE),
    )
}


@pytest.mark.parametrize(
    ("typed", "code"),
    [("water-co", "water-co"), ("WATER-CO", "water-co"), ("北京市自来水集团", "water-co"), ("自来水", "water-co")],
)
def test_a_unit_is_named_by_code_full_name_or_part_of_it(typed, code):
    assert resolve_unit(UNITS, typed, "unit").code == code


def test_an_ambiguous_name_lists_the_matches_and_an_unknown_one_the_nearest():
    with pytest.raises(UsageError) as ambiguous:
        resolve_unit(UNITS, "和平里", "unit")
    assert "和平里街道 (hepingli)" in ambiguous.value.message and "和平里社区 (hpl-hepingli)" in ambiguous.value.message
    assert resolve_unit(UNITS, "和平里", "street", classes=(UnitClass.STREET,)).code == "hepingli"
    with pytest.raises(UsageError) as unknown:
        resolve_unit(UNITS, "自来水公司", "unit")
    assert "nearest: 北京市自来水集团 (water-co)" in unknown.value.message
    assert resolve_units(UNITS, "燃气，自来水", "co") == ["gas-co", "water-co"]


def test_commands_take_names_and_refuse_ambiguity(cli, sample_rules):
    ticket = cli.json(
        "--now", NOW, "intake", "--content", "和平里东街11号院停水一天了", "--address", "和平里东街11号院"
    )
    number = ticket["number"]
    assert ticket["lead_unit"] == "water-co"
    cli("--now", NOW, "accept", number, "--unit", "北京市自来水集团")
    assert [e["unit"] for e in cli.json("show", number)["events"]][-1] == "water-co"
    assert [t["number"] for t in cli.json("list", "--street", "和平里街道")] == [number]
    assert [t["number"] for t in cli.json("list", "--unit", "自来水")] == [number]
    ambiguous = cli("list", "--unit", "集团", ok=False)
    assert ambiguous.exit_code == 2 and "北京市自来水集团 (water-co)" in ambiguous.stderr
    assert len(ambiguous.stderr.strip().splitlines()) == 1
    listed = cli("list").stdout
    assert "和平里街道" in listed and "hepingli" not in listed
    timeline = cli("show", number).stdout
    assert "北京市自来水集团" in timeline and "承办人" in timeline and "受理人" in timeline


# --- pipes -------------------------------------------------------------------------------------------


def test_piped_tables_are_tab_separated_rows_one_line_each(cli, sample_rules):
    long = "渣土车夜间施工扰民，" * 12
    for content in ("和平里东街11号院停水一天了", long):
        cli("--now", NOW, "intake", "--content", content, "--address", "和平里东街11号院", "--name", "王女士")
    out = cli("list").stdout
    assert not BOX.search(out)
    lines = out.splitlines()
    header = next(line for line in lines if not line.startswith("#"))
    rows = [line for line in lines if line[:1].isdigit()]
    assert len(rows) == 2 and all(line.count("\t") == header.count("\t") for line in rows)
    assert "渣土车" in rows[0] and "王女士" in rows[0]
    assert [line for line in lines if "渣土车" in line] == [rows[0]]  # grep finds the whole row
    boxed = cli("list", "--format", "table").stdout
    assert BOX.search(boxed)


def test_piped_report_has_no_box_characters(cli, sample_rules):
    cli("--now", NOW, "intake", "--content", "和平里东街11号院停水一天了", "--address", "和平里东街11号院")
    out = cli("--now", NOW, "report", "--month", "2026-11").stdout
    assert out and not BOX.search(out)


# --- JSON is the same in both languages --------------------------------------------------------------


def test_json_is_identical_under_both_languages(cli, sample_rules):
    ticket = cli.json(
        "--now", NOW, "intake", "--content", "和平里东街11号院停水一天了", "--address", "和平里东街11号院"
    )
    number = ticket["number"]
    cli("--now", NOW, "accept", number, "--unit", "water-co")
    for args in (
        ["--now", NOW, "report", "--month", "2026-11"],
        ["list"],
        ["show", number],
        ["--now", "2026-12-20T09:30:00+08:00", "escalate", "--dry-run"],
        ["units"],
    ):
        zh = json.loads(cli("--lang", "zh", *args, "--format", "json").stdout)
        en = json.loads(cli("--lang", "en", *args, "--format", "json").stdout)
        assert zh == en, args


def test_completion_offers_codes_and_names_from_the_rules_file_alone(sample_rules, tmp_path, monkeypatch):
    from types import SimpleNamespace

    from jiesu.cli.common import units_completion

    monkeypatch.setenv("JIESU_DB", str(tmp_path / "never-opened.db"))
    ctx = SimpleNamespace(find_root=lambda: SimpleNamespace(params={"rules": None}))
    assert ("water-co", "北京市自来水集团") in units_completion()(ctx, "wat")
    assert ("北京市自来水集团", "water-co") in units_completion()(ctx, "自来水")
    streets = units_completion("street")(ctx, "和平")
    assert streets == [("和平里街道", "hepingli")]
    assert not (tmp_path / "never-opened.db").exists()


def test_help_texts_are_localised_only_when_help_may_show(monkeypatch):
    """Help pages, a group named alone and shell completions get Chinese help; a command that does
    its work skips Typer's help machinery (cli/languages.help_may_show)."""
    from jiesu.cli.languages import help_may_show

    root = typer.main.get_command(app)
    for name in [n for n in os.environ if n.endswith("_COMPLETE")]:
        monkeypatch.delenv(name)
    assert help_may_show(root, [])
    assert help_may_show(root, ["intake", "-h"]) and help_may_show(root, ["--help"])
    assert help_may_show(root, ["--lang", "en", "rules"])  # rules shows its help when named alone
    assert not help_may_show(root, ["intake", "--content", "路灯不亮"])
    assert not help_may_show(root, ["report", "--month", "2026-10"])
    monkeypatch.setenv("_JIESU_COMPLETE", "complete_zsh")
    assert help_may_show(root, ["intake"])
