"""What every command shares: global options, the Office they describe, error reporting."""

import gc
import os
import sys
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, overload

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    from jiesu.services.context import Office


@dataclass
class GlobalOptions:
    """The root command's options as given."""

    db: str
    rules: str | None
    now: str | None
    lang: str
    operator: str | None


class LazyCommand(NamedTuple):
    """A command of the root as it is known before it is built: its name, the module of jiesu.cli
    whose `app` defines it, and the first paragraph of its English help (what `jiesu --help` lists)."""

    name: str
    module: str
    summary: str


class LazyCommands(MutableMapping[str, Any]):
    """The root's commands by name, in the order `--help` lists them, each built the first time it is
    looked up (Click's lazy loading of subcommands): a command's module is imported and its Click
    command built, parameters and all, only when it is run, its help shown or its options completed.
    Listing the names (`list`, `in`, `keys()`) builds nothing; `built` holds what is built so far."""

    def __init__(
        self, built: dict[str, Any], table: Sequence[LazyCommand], build: Callable[[LazyCommand], Any]
    ) -> None:
        self.built = dict(built)
        self.table = {entry.name: entry for entry in table}
        self._build = build
        self._order = [*self.built, *(name for name in self.table if name not in self.built)]

    def __getitem__(self, name: str) -> Any:
        if name not in self.built:
            self.built[name] = self._build(self.table[name])
        return self.built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self.built[name] = command
        if name not in self._order:
            self._order.append(name)

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._order.remove(name)
        self.built.pop(name, None)
        self.table.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self.table or name in self.built

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)

    def listed(self, lang: str) -> dict[str, Any]:
        """Every command as a list of commands shows it: the built ones as they are, the others by
        their name and one-line help (in `lang`) alone."""
        from jiesu.cli.languages import summary

        return {
            name: self.built[name]
            if name in self.built
            else TyperCommand(name=name, help=summary(self.table[name].summary, lang))
            for name in self._order
        }


def command_named(app: typer.Typer, name: str, root: TyperGroup) -> Any:
    """The Click command `name` of the Typer app `app` (one of its commands, a named group of it, or
    a command of an unnamed group added to it), built as Typer builds it when `app` is added to the
    root with `add_typer` (typer.main.get_group_from_info), without building the app's others."""
    from typer.main import get_command_from_info, get_command_name, get_group_from_info, solve_typer_info_defaults

    settings: dict[str, Any] = {
        "pretty_exceptions_short": app.pretty_exceptions_short,
        "rich_markup_mode": root.rich_markup_mode,
    }
    for info in app.registered_commands:
        if info.callback is not None and (info.name or get_command_name(info.callback.__name__)) == name:
            return get_command_from_info(info, **settings)
    for group in app.registered_groups:
        group_name = solve_typer_info_defaults(group).name
        if group_name == name:
            return get_group_from_info(group, suggest_commands=root.suggest_commands, **settings)
        if not group_name and group.typer_instance is not None:
            found = command_named(group.typer_instance, name, root)
            if found is not None:
                return found
    return None


class JiesuGroup(TyperGroup):
    """The root command: speaks the run's language (help texts, Typer's headings, errors) and turns
    the project's own errors and Click's usage errors into lines on stderr (one per problem of a
    broken rules file) and an exit code; no traceback.

    Its commands are those of `lazy_commands` (set by the subclass that is `jiesu`), each built when
    first named (LazyCommands): `jiesu --help` and the completion of a command's name list them from
    the table, without importing the command modules or building their parameters."""

    lazy_commands: ClassVar[Sequence[LazyCommand]] = ()

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.lazy = LazyCommands(dict(self.commands), self.lazy_commands, self._build)
        self.commands = self.lazy
        self._help_lang: str | None = None  # the run's language when it may show help texts
        self._listing: dict[str, Any] | None = None

    def _build(self, entry: LazyCommand) -> Any:
        from importlib import import_module

        from jiesu.cli.languages import localise_help_texts

        command = command_named(import_module(f"jiesu.cli.{entry.module}").app, entry.name, self)
        if command is None:
            raise LookupError(f"jiesu.cli.{entry.module} defines no command {entry.name!r}")
        if self._help_lang is not None:
            localise_help_texts(command, self._help_lang)
        return command

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if self._listing is not None:
            return self._listing.get(cmd_name)
        if self._help_lang is not None:  # the command's help page or errors may show: Typer's, in the run's language
            from jiesu.cli.languages import localise_typer

            localise_typer(self._help_lang)
        return self.commands.get(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The root's help page, laid out by jiesu (cli.render.root_help: the page Typer prints,
        without importing typer.rich_utils and Markdown with it); Typer's own for any other shape."""
        from jiesu.cli.languages import TYPER_ZH, localise_typer
        from jiesu.cli.render.root_help import STRINGS_EN, print_root_help

        lang = self._help_lang or "en"
        with self._listed():
            if not print_root_help(self, ctx, TYPER_ZH if lang == "zh" else STRINGS_EN):
                localise_typer(lang)
                super().format_help(ctx, formatter)

    def shell_complete(self, ctx: Any, incomplete: str) -> Any:
        with self._listed():
            return super().shell_complete(ctx, incomplete)

    @contextmanager
    def _listed(self) -> Iterator[None]:
        """While the root lists its commands (its help page, the completions of a command's name),
        those not built yet stand in by their name and one-line help."""
        self._listing = self.lazy.listed(self._help_lang or "en")
        try:
            yield
        finally:
            self._listing = None

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command in the language asked for (`--lang`, JIESU_LANG, else zh)."""
        from jiesu.cli.languages import help_may_show, localise_help, requested_language

        argv = list(sys.argv[1:] if args is None else args)
        lang = requested_language(argv)
        self._help_lang = None
        if help_may_show(self, argv):  # Typer's help machinery costs more than a small command's work
            self._help_lang = lang
            localise_help(self, lang)
        extra |= {"prog_name": prog_name, "complete_var": complete_var, "windows_expand_args": windows_expand_args}
        if not standalone_mode:
            return super().main(argv, standalone_mode=False, **extra)
        from typer._click.exceptions import ClickException

        try:
            code = super().main(argv, standalone_mode=False, **extra)
        except ClickException as exc:
            _show_click_error(exc, lang)
            sys.exit(exc.exit_code)
        sys.exit(code if isinstance(code, int) else 0)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        with _usage_in_one_line():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        from jiesu.cli.languages import requested_language, say
        from jiesu.errors import JiesuError, RulesError

        try:
            with _usage_in_one_line():
                return super().invoke(ctx)
        except RulesError as exc:
            lang = requested_language(sys.argv[1:] if ctx.obj is None else ["--lang", ctx.obj.lang])
            # A broken rules file: every problem, in the words `jiesu rules check` uses.
            for problem in exc.problems or ["invalid"]:
                typer.echo(error_line(say(f"rules file {exc.path}: {problem}", lang), lang), err=True)
            raise typer.Exit(exc.exit_code) from None
        except JiesuError as exc:
            lang = requested_language(sys.argv[1:] if ctx.obj is None else ["--lang", ctx.obj.lang])
            typer.echo(error_line(describe_error(exc, lang), lang), err=True)
            raise typer.Exit(exc.exit_code) from None


@contextmanager
def _usage_in_one_line() -> Iterator[None]:
    """Typer's own refusals (an unknown option, a value of the wrong type, a missing argument) as
    one line naming the option and where help is, like the project's own errors; exit 2."""
    from typer._click.exceptions import NoArgsIsHelpError, UsageError

    try:
        yield
    except NoArgsIsHelpError:
        raise
    except UsageError as exc:
        from jiesu.cli.languages import requested_language, say

        lang = requested_language(sys.argv[1:])
        message = say(" ".join(exc.format_message().split()), lang)
        if exc.ctx is not None:
            command = exc.ctx.command_path
            message += f"（见 `{command} -h`）" if lang == "zh" else f" (see `{command} -h`)"
        typer.echo(error_line(message, lang), err=True)
        raise typer.Exit(exc.exit_code) from None


def error_line(message: str, lang: str) -> str:
    """`Error: message` as every command reports a refusal; 错误：… in Chinese (the message is
    already in `lang`)."""
    return f"错误：{message}" if lang == "zh" else f"Error: {message}"


def _show_click_error(exc: Any, lang: str) -> None:
    """A usage error Click found (an unknown option, a missing argument) in `lang`, with Typer's
    usage line and help hint."""
    from typer._click.exceptions import NoArgsIsHelpError

    if isinstance(exc, NoArgsIsHelpError):  # the help page is shown already; Typer shows nothing more
        return
    from typer import rich_utils

    from jiesu.cli.languages import localise_typer, say

    localise_typer(lang)
    if lang == "zh":
        message = say(exc.format_message(), lang)
        exc.format_message = lambda: message
    rich_utils.rich_format_error(exc)


def describe_error(exc: Exception, lang: str = "en") -> str:
    """An error's message, a usage error's naming its option (`--unit: …`); the message part in
    `lang`, so that only the option stays as typed."""
    from jiesu.cli.languages import say
    from jiesu.errors import UsageError

    if not isinstance(exc, UsageError):
        return say(str(exc), lang)
    field = f"--{exc.field.replace('_', '-')}" if exc.field.isidentifier() else exc.field
    return f"{field}：{say(exc.message, lang)}" if lang == "zh" else f"{field}: {exc.message}"


@overload
def unit_code(office: "Office", typed: str, field: str = ..., *, classes: tuple[str, ...] = ()) -> str: ...
@overload
def unit_code(office: "Office", typed: None, field: str = ..., *, classes: tuple[str, ...] = ()) -> None: ...
@overload
def unit_code(
    office: "Office", typed: str | None, field: str = ..., *, classes: tuple[str, ...] = ()
) -> str | None: ...
def unit_code(office: "Office", typed: str | None, field: str = "unit", *, classes: tuple[str, ...] = ()) -> str | None:
    """The code of the unit `typed` names (a code, the full name or an unambiguous part of it), of
    the unit classes given (street, community, …); None stays None."""
    if typed is None:
        return None
    from jiesu.domain.catalogue import UnitClass
    from jiesu.domain.naming import resolve_unit

    office.engine  # noqa: B018 -- a missing case file is refused before any unit is read
    wanted = tuple(UnitClass(c) for c in classes)
    return resolve_unit(office.rules.units, typed, field, classes=wanted).code


def place_code(office: "Office", typed: str | None, field: str) -> str | None:
    """A street or community as a request names it: the unit's code when `typed` names one of
    that class (ambiguity refused), else the text as typed (a place outside the rules file)."""
    if typed is None or not typed.strip():
        return typed
    from jiesu.domain.catalogue import UnitClass
    from jiesu.domain.naming import find_unit

    found = find_unit(office.rules.units, typed, field, classes=(UnitClass(field),))
    return found.code if found is not None else typed


def unit_codes(office: "Office", typed: str | None, field: str) -> list[str]:
    """Codes of a comma-separated list of units, each named as `unit_code` reads one."""
    if typed is None:
        return []
    from jiesu.domain.naming import resolve_units

    office.engine  # noqa: B018 -- a missing case file is refused before any unit is read
    return resolve_units(office.rules.units, typed, field)


def units_completion(*classes: str) -> Any:
    """Shell completion for an option that names units (of `classes`, when given): codes and names
    read from the rules file alone, never the case file, so a TAB answers at once."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        import tomllib

        given = ctx.find_root().params.get("rules") or os.environ.get("JIESU_RULES")
        try:
            data = tomllib.loads(default_rules_path(given).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return []
        found: list[tuple[str, str]] = []
        for unit in data.get("units", []):
            code, name = str(unit.get("code", "")), str(unit.get("name", ""))
            if not code or (classes and unit.get("class") not in classes):
                continue
            if code.startswith(incomplete):
                found.append((code, name))
            if name and (name.startswith(incomplete) or (incomplete and incomplete in name)):
                found.append((name, code))
        return found

    return complete


def default_rules_path(given: str | None) -> Path:
    """--rules/JIESU_RULES, else ./jiesu.toml when present, else the rules bundled with jiesu."""
    if given:
        return Path(given).expanduser()
    local = Path("jiesu.toml")
    if local.is_file():
        return local
    from jiesu.rules.loader import BUNDLED_RULES

    return BUNDLED_RULES


def default_operator(given: str | None) -> str:
    """--operator/JIESU_OPERATOR, else the login name."""
    if given and given.strip():
        return given.strip()
    import getpass  # and termios with it: not for --help, --version or a completion

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or "unknown"


_collector_paused = False


def note_collector_paused() -> None:
    """The entry point (jiesu/__main__.py) paused the cyclic garbage collector for start-up; tests
    running commands in-process never do, so their collector is left alone."""
    global _collector_paused
    _collector_paused = True


def resume_collector() -> None:
    """When a command starts its work: what start-up built is frozen out of the collector's scans
    (it is never garbage) and collection resumes, so a long command's memory stays in check."""
    global _collector_paused
    if _collector_paused:
        gc.freeze()
        gc.enable()
        _collector_paused = False


def open_office(ctx: typer.Context, *, create: bool = False) -> "Office":
    """The Office this command works in: case file, rules, clock, operator, language.

    Only commands that may bring a new case file into being pass `create=True`."""
    from jiesu.domain.times import parse_datetime
    from jiesu.errors import UsageError
    from jiesu.services.context import Office

    options: GlobalOptions = ctx.find_root().obj
    if options.lang not in ("zh", "en"):
        raise UsageError("lang", f"unknown language {options.lang!r}; use zh or en")
    result = Office(
        db=options.db,
        rules_path=default_rules_path(options.rules),
        now=datetime.now(UTC),
        operator=default_operator(options.operator),
        lang=options.lang,
        create=create,
    )
    ctx.call_on_close(result.close)
    rules = result.rules  # every command refuses to run on a broken rules file
    if options.now:
        result.now = parse_datetime(options.now, rules.timezone, "now")
    resume_collector()
    return result
