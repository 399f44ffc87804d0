"""Hypothesis strategies for what a user can type or hand jiesu: command lines, rules files, import rows."""

import json
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

# Values that broke jiesu once, or sit on an edge: sizes, signs, dates at the ends of time, offsets,
# wildcards, other scripts' digits, empty and blank text.
EDGE_TEXT = [
    "",
    " ",
    "\t",
    "0",
    "-1",
    "-5",
    "1",
    "7",
    "99999999",
    "99999999999999999999",
    "1e400",
    "NaN",
    "inf",
    "%",
    "_",
    "%_%",
    "城乡建设%",
    "0001-01-01",
    "0000-01",
    "9999-12",
    "9999-12-31",
    "2026-11-26",
    "2026-11",
    "2026-13-01",
    "2026-11-26T10:00+25:00",
    "2026-11-26T10:00:00+08:00",
    "2026年11月26日",
    "11/12/2026",
    "999999999d",
    "3000000d",
    "0m",
    "0d",
    "24h",
    "5wd",
    "400wd",
    "１３８００１３８０００",
    "١٣٨٠٠١٣٨٠٠٠",
    "138-0013-8000",
    "garbage",
    "water-co",
    "hepingli",
    "jiaodaokou",
    "satisfied",
    "basically",
    "yes",
    "no",
    "resolved",
    "street",
    "unit",
    "json",
    "csv",
    "markdown",
    "xlsx",
    "table",
    "zh",
    "en",
    "--",
    "-",
    "'",
    '"',
    "\\",
    "' OR 1=1 --",
    "停水" * 3000,
    "x" * 201,
]

edge_text = st.one_of(
    st.sampled_from(EDGE_TEXT),
    st.integers(-(10**25), 10**25).map(str),
    st.text(max_size=30),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.builds(lambda n, unit: f"{n}{unit}", st.integers(0, 10**12), st.sampled_from(["m", "h", "d", "wd"])),
)


class Places:
    """Paths an option may name: a file that is there, one that is not, a folder, a pipe."""

    def __init__(self, folder: Path) -> None:
        import os

        self.folder = folder
        self.regular = folder / "note.txt"
        self.regular.write_text("附件", encoding="utf-8")
        self.folder_path = folder / "a-folder.csv"
        self.folder_path.mkdir(exist_ok=True)
        self.fifo = folder / "pipe.csv"
        if not self.fifo.exists():
            os.mkfifo(self.fifo)
        self.missing = folder / "missing.csv"
        self.big5 = folder / "big5.csv"
        self.big5.write_bytes("content\n臺北市政府資訊處理\n颱風過後道路損壞\n".encode("big5"))
        self.binary = folder / "binary.csv"
        self.binary.write_bytes(b"\x00\x01\x02" * 100)

    def existing_inputs(self) -> list[Path]:
        return [self.folder_path, self.fifo, self.missing, self.big5, self.binary]

    def outputs(self) -> list[Path]:
        return [self.folder_path, self.fifo, self.regular, self.folder / "new-out.md"]


def command_lines(commands: dict[str, Any], numbers: list[str], places: Places) -> st.SearchStrategy[list[str]]:
    """A command line for any of `commands` (name → click command): some of its options, each with an
    edge value, its arguments a real ticket number or an edge value; global --now and --lang too."""

    @st.composite
    def build(draw: Any) -> list[str]:
        name = draw(st.sampled_from(sorted(commands)))
        command = commands[name]
        path = [name]
        if hasattr(command, "commands"):  # a group such as `rules`
            sub = draw(st.sampled_from(sorted(command.commands)))
            path.append(sub)
            command = command.commands[sub]
        args: list[str] = []
        if draw(st.booleans()):
            args += ["--now", draw(st.one_of(st.just("2026-11-26T10:00:00+08:00"), edge_text))]
        if draw(st.integers(0, 4)) == 0:
            args += ["--lang", draw(st.sampled_from(["zh", "en", "fr", ""]))]
        args += path
        for param in command.params:
            if param.name in SKIPPED:
                continue
            if param.param_type_name == "argument":
                args.append(draw(argument_values(param.name, numbers, places)))
                continue
            if not draw(st.booleans()):
                continue
            option = param.opts[0]
            if getattr(param, "is_flag", False):
                args.append(option)
            else:
                args += [option, draw(option_values(option, places))]
        return args

    return build()


SKIPPED = {"help", "fail_on_overdue", "db"}


def argument_values(name: str, numbers: list[str], places: Places) -> st.SearchStrategy[str]:
    if name == "file":  # rules check FILE
        return st.sampled_from([str(p) for p in places.existing_inputs()])
    return st.one_of(st.sampled_from(numbers), edge_text)


def option_values(option: str, places: Places) -> st.SearchStrategy[str]:
    if option in ("--file", "--attach"):
        return st.sampled_from([str(p) for p in places.existing_inputs()])
    if option in ("--out", "--rejects"):
        return st.sampled_from([str(p) for p in places.outputs()])
    if option == "--format":
        return st.one_of(st.sampled_from(["table", "json", "csv", "markdown", "xlsx"]), edge_text)
    return edge_text


# --- Rules files ---

GOOD_RULES: dict[str, Any] = {
    "office": {"name": "测试街道接诉即办", "district": "东城区", "timezone": "Asia/Shanghai"},
    "calendar": {"country": "CN", "extra_holidays": [], "extra_workdays": []},
    "limits": {
        "default": {"accept": "1wd", "contact": "24h", "finish": "7d"},
        "urgent": {"accept": "30m", "contact": "2h", "finish": "24h"},
    },
    "units": [
        {"code": "hepingli", "name": "和平里街道", "class": "street"},
        {"code": "qingnianhu", "name": "青年湖社区", "class": "community", "parent": "hepingli"},
        {"code": "water-co", "name": "北京市自来水集团", "class": "enterprise"},
    ],
    "rules": [
        {"name": "停水", "keywords_any": ["停水", "没水"], "lead": "water-co", "co": ["hepingli"], "priority": 10},
    ],
}

# Where a broken value may go: (section, key) for tables, (array, index, key) for entries.
TARGETS: list[tuple[Any, ...]] = [
    ("limits", "default", "finish"),
    ("limits", "default", "accept"),
    ("limits", "urgent", "contact"),
    ("calendar", "extra_holidays"),
    ("calendar", "extra_workdays"),
    ("calendar", "country"),
    ("office", "timezone"),
    ("office", "name"),
    ("intake", "repeat_lookback"),
    ("intake", "repeat_overlap"),
    ("handling", "max_extension"),
    ("handling", "whistle_within"),
    ("intake", "repeat_callers_window"),
    ("escalation", "escalate_after"),
    ("escalation", "urgent_escalate_after"),
    ("assessment", "hotspot_days"),
    ("assessment", "hotspot_min"),
    ("units", 0, "parent"),
    ("units", 1, "parent"),
    ("units", 2, "parent"),
    ("units", 1, "class"),
    ("rules", 0, "keywords_any"),
    ("rules", 0, "keywords_all"),
    ("rules", 0, "priority"),
    ("rules", 0, "lead"),
    ("rules", 0, "co"),
]

toml_scalars = st.one_of(
    st.sampled_from(EDGE_TEXT),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.builds(lambda n, unit: f"{n}{unit}", st.integers(0, 10**12), st.sampled_from(["m", "h", "d", "wd"])),
    st.sampled_from(["hepingli", "qingnianhu", "water-co", "street", "community", "enterprise"]),
    st.integers(1, 200_000).map(lambda n: "停" * n),
)
toml_values = st.one_of(toml_scalars, st.lists(toml_scalars, max_size=4))


@st.composite
def rules_files(draw: Any) -> str:
    """A rules file: the good one with one to three values broken."""
    import copy

    data = copy.deepcopy(GOOD_RULES)
    for target in draw(st.lists(st.sampled_from(TARGETS), min_size=1, max_size=3)):
        value = draw(toml_values)
        if len(target) == 3:
            data[target[0]][target[1]][target[2]] = value
        else:
            data.setdefault(target[0], {})[target[1]] = value
    return to_toml(data)


def to_toml(data: dict[str, Any]) -> str:
    """A small TOML writer for the values the strategies make (tables, arrays of tables, scalars, lists)."""
    lines: list[str] = []
    for key, value in data.items():
        if isinstance(value, list):
            for entry in value:
                lines.append(f"[[{key}]]")
                lines += [f"{k} = {_toml_value(v)}" for k, v in entry.items()]
                lines.append("")
            continue
        lines.append(f"[{key}]")
        for k, v in value.items():
            lines.append(f"{k} = {_toml_value(v)}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value), ensure_ascii=False)


# --- Import rows ---

FIELD_VALUES: dict[str, Any] = {
    "content": st.one_of(
        st.sampled_from(["停水三天", "楼道灯坏了", "噪音扰民", "", " ", "x" * 6000]), st.text(max_size=20)
    ),
    "created_at": st.one_of(st.sampled_from(EDGE_TEXT[15:30]), st.just("2026-11-20 10:00")),
    "kind": st.sampled_from(["咨询", "complain", "吐槽", "", "help"]),
    "channel": st.sampled_from(["phone", "web", "fax", ""]),
    "phone": st.sampled_from(["13800138000", "１３８００１３８０００", "١٣٨٠٠١٣٨٠٠٠", "call me", "", "1" * 25]),
    "confidential": st.sampled_from(["yes", "no", "maybe", ""]),
    "urgent": st.sampled_from(["true", "false", "2", ""]),
    "address": st.sampled_from(["和平里东街11号院", "", "地" * 501]),
    "external_id": st.one_of(st.none(), st.text(alphabet="abc123", min_size=1, max_size=4)),
}
JSON_ODDITIES = [["列表"], {"o": 1}, math.nan, math.inf, 1e300, 12, True, None]


@st.composite
def import_rows(draw: Any, *, json_values: bool) -> list[dict[str, Any]]:
    """Rows of an import, most good, some with bad or odd values (JSON values when `json_values`)."""
    rows = []
    for _ in range(draw(st.integers(1, 8))):
        row: dict[str, Any] = {"content": draw(FIELD_VALUES["content"])}
        for field in draw(st.lists(st.sampled_from(sorted(FIELD_VALUES)), max_size=4, unique=True)):
            value = draw(FIELD_VALUES[field])
            if value is not None:
                row[field] = value
        if json_values and draw(st.integers(0, 3)) == 0:
            row[draw(st.sampled_from(["content", "phone", "urgent", "address"]))] = draw(st.sampled_from(JSON_ODDITIES))
        rows.append(row)
    return rows
