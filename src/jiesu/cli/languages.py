"""Chinese throughout: which language a run speaks, its `--help` texts and its error messages.

Help texts are written in English in the Typer decorators; under `--lang zh` (the default) each is
looked up in `help_zh.HELP_ZH` when the command tree is built for a run, before any help is printed,
and Typer's own headings ("Options", "[default: …]") with it. Errors are raised in English by the
domain and the services (`errors.py`); the CLI words them for people through `messages_zh`, a
catalogue of message templates, the same way for the project's errors and for Click's own usage
errors ("No such option", "Missing argument"). JSON and stored values never pass through here.
"""

import inspect
import os
import re
from collections.abc import Iterator, Sequence
from functools import cache
from types import SimpleNamespace
from typing import Any

LANGUAGES = ("zh", "en")

# Typer's headings and markers in help and errors (typer.rich_utils), in Chinese
TYPER_ZH = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已中止。",
    "DEFAULT_STRING": "[默认: {}]",
    "ENVVAR_STRING": "[环境变量: {}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEPRECATED_STRING": "（已弃用）",
    "RICH_HELP": "用 [blue]'{command_path} {help_option}'[/] 查看帮助。",
}
_TYPER_EN: dict[str, Any] = {}


def requested_language(argv: Sequence[str], environ: Any = os.environ) -> str:
    """The language a run asked for, read before Click parses anything: the root's `--lang`,
    else JIESU_LANG, else zh. An unknown one is English here (whoever asked for another language
    is likelier to read English); the command refuses it."""
    lang = environ.get("JIESU_LANG") or "zh"
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(argv):
            lang = argv[index + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    return lang if lang in LANGUAGES else "en"


def commands(root: Any, *, built_only: bool = False) -> Iterator[tuple[str, Any]]:
    """Every command of the tree under `root` with its path (`jiesu rules check`), root first; with
    `built_only`, none of the root's commands that are not built yet (cli.common.LazyCommands)."""
    stack = [(root.name or "jiesu", root)]
    while stack:
        path, command = stack.pop(0)
        yield path, command
        subcommands = getattr(command, "commands", {})
        if built_only:
            subcommands = getattr(subcommands, "built", subcommands)
        for name, sub in sorted(subcommands.items()):
            stack.append((f"{path} {name}", sub))


def help_texts(root: Any, *, built_only: bool = False) -> Iterator[tuple[str, Any, str]]:
    """(where, owner, English help) of every command, argument and option that has a help text,
    `--help` itself included; `owner.help` is the attribute to set."""
    names = SimpleNamespace(help_option_names=["-h", "--help"])
    for path, command in commands(root, built_only=built_only):
        if command.help:
            yield path, command, command.help
        params = [*command.params, command.get_help_option(names)]
        for param in params:
            if param is not None and getattr(param, "help", None):
                yield f"{path} {param.opts[0] if param.opts else param.name}", param, param.help


def help_may_show(root: Any, argv: list[str]) -> bool:
    """Whether this run may print a help page or help texts: -h or --help anywhere, no arguments at
    all (the root shows its help), a group that shows its help when named alone (`jiesu rules`), or a
    shell asking for completions (`_JIESU_COMPLETE`; they carry the commands' short help). Only then
    are the help texts put in the run's language, and Typer's headings once a command is reached:
    Typer's help module (typer.rich_utils, with rich's Markdown) takes longer to import than a
    one-ticket intake's own work, and the root's page is laid out without it (cli.render.root_help)."""
    if not argv or "-h" in argv or "--help" in argv:
        return True
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return True
    named = getattr(root, "commands", {}).get(argv[-1])
    return bool(getattr(named, "no_args_is_help", False))


def localise_help(root: Any, lang: str) -> None:
    """Put the help texts of the command tree in `lang` (they are written in English): those of the
    commands built so far; the root's others are put in `lang` as they are built. Typer's headings
    are put in `lang` (localise_typer) when a command is reached or the root's page is not laid out
    by jiesu (cli.common.JiesuGroup): the root's page alone does not import Typer's help module."""
    localise_help_texts(root, lang, built_only=True)


def localise_help_texts(command: Any, lang: str, *, built_only: bool = False) -> None:
    """The help texts of `command` and of the commands under it in `lang`."""
    if lang == "zh":
        from jiesu.cli.help_zh import HELP_ZH

        for _where, owner, english in list(help_texts(command, built_only=built_only)):
            owner.help = HELP_ZH.get(english, english)


def summary(english: str, lang: str) -> str:
    """A command's one-line help as `jiesu --help` lists it (the first paragraph of its help), in
    `lang`, from the first paragraph of its English help."""
    return _summaries_zh().get(english, english) if lang == "zh" else english


def first_paragraph(text: str) -> str:
    """What Typer lists of a command's help: its first paragraph (typer.rich_utils._make_command_help)."""
    return inspect.cleandoc(text).split("\n\n")[0].strip()


@cache
def _summaries_zh() -> dict[str, str]:
    """The Chinese of every help text's first paragraph, by the English one's."""
    from jiesu.cli.help_zh import HELP_ZH

    return {first_paragraph(english): first_paragraph(chinese) for english, chinese in HELP_ZH.items()}


def localise_typer(lang: str) -> None:
    """Typer's headings and markers in `lang`; set on every run, as tests run many in one process."""
    from typer import rich_utils

    if not _TYPER_EN:
        _TYPER_EN.update({name: getattr(rich_utils, name) for name in TYPER_ZH})
    for name, text in (TYPER_ZH if lang == "zh" else _TYPER_EN).items():
        setattr(rich_utils, name, text)


def say(message: str, lang: str) -> str:
    """An English error message in `lang`: in Chinese through the template catalogue
    (`messages_zh.MESSAGES_ZH`), each placeholder's text carried over as it is."""
    if lang != "zh":
        return message
    found = translate(message)
    return message if found is None else found


def translate(message: str) -> str | None:
    """The Chinese of an English message, or None when no template of the catalogue fits."""
    for pattern, chinese in _templates():
        matched = pattern.fullmatch(message)
        if matched is not None:
            values = {name: _inner(text) for name, text in matched.groupdict().items()}
            return _fill(chinese, values)
    return None


def _fill(template: str, values: dict[str, str]) -> str:
    """The template with its {name}s filled; other braces (a TOML example) stay as they are."""
    return _FIELD.sub(lambda field: values[field.group(1)], template)


def _inner(text: str) -> str:
    """A placeholder's text: a stored value (a status, a step, a class) or a list of them by its
    Chinese label, a nested message translated, anything else (numbers, names, paths) as it is."""
    values = _stored_values()
    items = text.split(", ")
    if all(item in values for item in items):
        return "、".join(values[item] for item in items)
    nested = translate(text)
    return text if nested is None else nested


@cache
def _stored_values() -> dict[str, str]:
    """Stored values that reach messages, by their Chinese labels (statuses first, as a status and a
    step may share a word)."""
    from jiesu.domain.catalogue import UNIT_CLASS_LABELS
    from jiesu.domain.enums import LABELS_ZH, Status

    labels = {str(value): text for value, text in LABELS_ZH.items()}
    labels |= {str(value): text for value, text in UNIT_CLASS_LABELS.items()}
    return labels | {str(value): LABELS_ZH[value] for value in Status if value in LABELS_ZH}


_FIELD = re.compile(r"\{(\w+)\}")


@cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    """The catalogue's templates as patterns, most specific (longest fixed text) first."""
    from jiesu.cli.messages_zh import MESSAGES_ZH

    ordered = sorted(MESSAGES_ZH.items(), key=lambda item: -len(_FIELD.sub("", item[0])))
    return [(template_pattern(english), chinese) for english, chinese in ordered]


def template_pattern(template: str) -> re.Pattern[str]:
    """`unknown unit {unit}; see x` as a pattern whose named groups take any text (non-empty)."""
    parts: list[str] = []
    seen: set[str] = set()
    position = 0
    for field in _FIELD.finditer(template):
        parts.append(re.escape(template[position : field.start()]))
        name = field.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        position = field.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts), re.DOTALL)
