"""`jiesu --help`: the root's help page, the page Typer prints (typer.rich_utils.rich_format_help),
laid out here with the few Rich pieces it is made of.

Importing typer.rich_utils imports rich.markdown (markdown_it) and rich.traceback (rich.syntax,
pygments) as well, for help written in Markdown and for tracebacks; the root's page needs neither,
and the import took longer than the rest of `jiesu --help`. This module builds the same Console,
panels and tables from Typer's own parameter methods (typer.core), with the same styles and strings,
for a group of the shape `jiesu` is: options and commands, in the "rich" markup mode, no arguments,
no help panels of its own, no epilog. `root_page` answers None for any other shape, which Typer
then prints. tests/cli/test_root_help.py renders the page both ways, in both languages, at several
widths, with colour and without, and requires the same bytes: a Typer that changes its look fails
that test rather than drifting from it.
"""

import inspect
import os
import sys
from collections.abc import Iterator
from gettext import gettext as _
from typing import Any, ClassVar

from rich.align import Align
from rich.columns import Columns
from rich.console import Console, RenderableType, group
from rich.highlighter import RegexHighlighter
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.theme import Theme
from typer.core import HAS_RICH, TyperArgument, TyperOption

# Typer's styles and strings (typer.rich_utils), those the root's page uses
THEME = {
    "option": "bold cyan",
    "switch": "bold green",
    "negative_option": "bold magenta",
    "negative_switch": "bold red",
    "types": "bold yellow",
    "types_sep": "dim",
    "usage": "yellow",
}
STRINGS_EN = {
    "OPTIONS_PANEL_TITLE": _("Options"),
    "COMMANDS_PANEL_TITLE": _("Commands"),
    "DEFAULT_STRING": _("[default: {}]"),
    "ENVVAR_STRING": _("[env var: {}]"),
    "REQUIRED_LONG_STRING": _("[required]"),
}
REQUIRED_SHORT = "*"
RANGE_STRING = " [{}]"
ANSI_PREFIX = "\033["


class OptionHighlighter(RegexHighlighter):
    """Options, switches, types and the usage line, as Typer highlights them."""

    highlights: ClassVar[list[str]] = [
        r"(^|\W)(?P<switch>\-\w+)(?![a-zA-Z0-9])",
        r"(^|\W)(?P<option>\-\-[\w\-]+)(?![a-zA-Z0-9])",
        r"(?P<types>\<[^\>]+\>)",
        r"(?P<usage>Usage: )",
    ]


class NegativeOptionHighlighter(RegexHighlighter):
    """The `--no-…` side of a boolean option."""

    highlights: ClassVar[list[str]] = [
        r"(^|\W)(?P<negative_switch>\-\w+)(?![a-zA-Z0-9])",
        r"(^|\W)(?P<negative_option>\-\-[\w\-]+)(?![a-zA-Z0-9])",
    ]


class TypesHighlighter(RegexHighlighter):
    """The brackets of a type (`<str>`, `[a|b]`) dim."""

    highlights: ClassVar[list[str]] = [
        r"^(?P<types_sep>(\[|<))",
        r"(?P<types_sep>\|)",
        r"(?P<types_sep>(\]|>))(\.\.\.)?$",
    ]


highlighter = OptionHighlighter()
negative_highlighter = NegativeOptionHighlighter()
types_highlighter = TypesHighlighter()


def root_page(root: Any, ctx: Any, strings: dict[str, str]) -> list[RenderableType] | None:
    """What the root's help page prints, in order (each is printed in the usage's bold or not, see
    `print_root_help`); None when the root is not of the shape this module lays out. `strings` are
    Typer's headings and markers (STRINGS_EN, or languages.TYPER_ZH)."""
    if not HAS_RICH or getattr(root, "rich_markup_mode", None) != "rich" or root.epilog or root.deprecated:
        return None
    options = []
    for param in root.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        if isinstance(param, TyperArgument) or getattr(param, "rich_help_panel", None):
            return None
        if isinstance(param, TyperOption):
            options.append(param)
    commands = [root.get_command(ctx, name) for name in root.list_commands(ctx)]
    commands = [command for command in commands if command and not command.hidden]
    if any(command.deprecated or getattr(command, "rich_help_panel", None) for command in commands):
        return None
    page: list[RenderableType] = [Padding(highlighter(root.get_usage(ctx)), 1)]
    if root.help:
        page.append(Padding(Align(_help_text(root.help), pad=False), (0, 1, 1, 1)))
    if options:
        page.append(_options_panel(options, ctx, strings))
    if commands:
        page.append(_commands_panel(commands, strings))
    return page


def print_root_help(root: Any, ctx: Any, strings: dict[str, str]) -> bool:
    """Print the root's help page on stdout as Typer would; False (nothing printed) when the root is
    not of the shape `root_page` lays out."""
    page = root_page(root, ctx, strings)
    if page is None:
        return False
    console = help_console()
    console.print(page[0], style="bold")
    for part in page[1:]:
        console.print(part)
    return True


def help_console() -> Console:
    """The Console Typer prints help on (typer.rich_utils._get_rich_console), with its settings as
    Typer read them from the environment when it was imported (or as it would read them now)."""
    rich_utils = sys.modules.get("typer.rich_utils")
    if rich_utils is not None:
        color_system, force_terminal, width = rich_utils.COLOR_SYSTEM, rich_utils.FORCE_TERMINAL, rich_utils.MAX_WIDTH
    else:
        color_system = "auto"
        asked = os.getenv("GITHUB_ACTIONS") or os.getenv("FORCE_COLOR") or os.getenv("PY_COLORS")
        force_terminal = True if asked else None
        if os.getenv("_TYPER_FORCE_DISABLE_TERMINAL"):
            force_terminal = False
        terminal_width = os.getenv("TERMINAL_WIDTH")
        width = int(terminal_width) if terminal_width else None
    return Console(
        theme=Theme(THEME),
        highlighter=highlighter,
        color_system=color_system,
        force_terminal=force_terminal,
        width=width,
    )


def _rich_text(text: str, style: str = "") -> Text:
    """Help text in Rich markup, dedented and highlighted (typer.rich_utils._make_rich_text)."""
    text = inspect.cleandoc(text)
    if ANSI_PREFIX in text:
        return highlighter(Text.from_ansi(text, style=style))
    return highlighter(Text.from_markup(text, style=style))


@group()
def _help_text(help_text: str) -> Iterator[Text]:
    """The root's help: its first paragraph on one line, the others dim below a blank line."""
    first, *others = inspect.cleandoc(help_text).partition("\f")[0].split("\n\n")
    if not first.startswith("\b"):
        first = first.replace("\n", " ")
    yield _rich_text(first.strip())
    if others:
        yield Text("")
        yield _rich_text("\n\n".join(others), style="dim")


def _options_panel(options: list[Any], ctx: Any, strings: dict[str, str]) -> Panel:
    """The options in a table in a dim panel: long and short names, the `--no-` side, the type, the
    help with its environment variable, default and whether it is required."""
    rows: list[list[RenderableType]] = []
    for param in options:
        names, negative = _long_and_short(param.opts), _long_and_short(param.secondary_opts)
        types = Text(style="bold yellow", overflow="fold")
        shown_type = param.display_type_rich(ctx=ctx)
        if shown_type is not None:
            types.append(shown_type)
        number_range = param._get_number_range_help_str()
        if number_range:
            types.append(RANGE_STRING.format(number_range))
        rows.append(
            [
                highlighter(",".join(names[0])),
                highlighter(",".join(names[1])),
                negative_highlighter(",".join(negative[0])),
                negative_highlighter(",".join(negative[1])),
                types_highlighter(types),
                _option_help(param, ctx, strings),
            ]
        )
    if any(param.required for param in options):
        marks = [Text(REQUIRED_SHORT, style="red") if param.required else "" for param in options]
        rows = [[mark, *row] for mark, row in zip(marks, rows, strict=True)]
    table = _table(highlight=True)
    for row in rows:
        table.add_row(*row)
    return Panel(table, border_style="dim", title=strings["OPTIONS_PANEL_TITLE"], title_align="left")


def _long_and_short(names: list[str]) -> tuple[list[str], list[str]]:
    """An option's names, the long ones (`--db`) and the short ones (`-h`)."""
    return [name for name in names if "--" in name], [name for name in names if "--" not in name]


def _option_help(param: Any, ctx: Any, strings: dict[str, str]) -> Columns:
    """An option's help, then its environment variable, default and [required], side by side as
    they fit (typer.rich_utils._get_parameter_help)."""
    items: list[Text] = []
    envvar = param.envvar
    if envvar is None and param.allow_from_autoenv and ctx.auto_envvar_prefix is not None and param.name:
        envvar = f"{ctx.auto_envvar_prefix}_{param.name.upper()}"
    if param.help:
        paragraphs = [
            text.replace("\n", " ").strip() if not text.startswith("\b") else "{}\n".format(text.strip("\b\n"))
            for text in param.help.split("\n\n")
        ]
        items.append(_rich_text("\n".join(paragraphs).strip()))
    if envvar and param.show_envvar:
        shown = envvar if isinstance(envvar, str) else ", ".join(str(name) for name in envvar)
        items.append(Text(strings["ENVVAR_STRING"].format(shown), style="dim yellow"))
    default = param._extract_default_help_str(ctx=ctx)
    default_is_text = isinstance(param.show_default, str)
    if default_is_text or (default is not None and (param.show_default or ctx.show_default)):
        shown_default = param._get_default_string(ctx=ctx, show_default_is_str=default_is_text, default_value=default)
        if shown_default:
            items.append(Text(strings["DEFAULT_STRING"].format(shown_default), style="dim"))
    if param.required:
        items.append(Text(strings["REQUIRED_LONG_STRING"], style="dim red"))
    return Columns(items)


def _table(*, highlight: bool) -> Table:
    """A panel's table as Typer sets it: no header, no box, no lines, one space between columns."""
    return Table(
        highlight=highlight,
        show_header=False,
        expand=True,
        box=None,
        show_lines=False,
        leading=0,
        border_style=None,
        row_styles=None,
        pad_edge=False,
        padding=(0, 1),
    )


def _commands_panel(commands: list[Any], strings: dict[str, str]) -> Panel:
    """The commands in a table in a dim panel: each name in bold cyan, the first paragraph of its help."""
    table = _table(highlight=False)
    table.add_column(style="bold cyan", no_wrap=True, width=max(len(command.name or "") for command in commands))
    table.add_column("Description", justify="left", no_wrap=False, ratio=10)
    for command in commands:
        first = inspect.cleandoc(command.short_help or command.help or "").split("\n\n")[0]
        if first.startswith("\b"):
            first = first.replace("\b\n", "")
        table.add_row(Text(command.name or ""), _rich_text(first.strip()))
    return Panel(table, border_style="dim", title=strings["COMMANDS_PANEL_TITLE"], title_align="left")
