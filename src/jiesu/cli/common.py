"""What every command shares: global options, the Office they describe, error reporting."""

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

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


class JiesuGroup(TyperGroup):
    """Turns the project's own errors into one line on stderr (one per problem of a broken rules
    file) and an exit code; no traceback."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        with _usage_in_one_line():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        from jiesu.errors import JiesuError, RulesError

        try:
            with _usage_in_one_line():
                return super().invoke(ctx)
        except RulesError as exc:
            # A broken rules file: every problem, in the words `jiesu rules check` uses.
            for problem in exc.problems or ["invalid"]:
                typer.echo(f"Error: rules file {exc.path}: {problem}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except JiesuError as exc:
            typer.echo(f"Error: {_describe(exc)}", err=True)
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
        hint = f" (see `{exc.ctx.command_path} -h`)" if exc.ctx is not None else ""
        message = " ".join(exc.format_message().split())
        typer.echo(f"Error: {message}{hint}", err=True)
        raise typer.Exit(exc.exit_code) from None


def _describe(exc: Exception) -> str:
    from jiesu.errors import UsageError

    if isinstance(exc, UsageError) and exc.field.isidentifier():
        return f"--{exc.field.replace('_', '-')}: {exc.message}"
    return str(exc)


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
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or "unknown"


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
    rules = result.rules  # every command refuses to run on a broken rules file
    if options.now:
        result.now = parse_datetime(options.now, rules.timezone, "now")
    return result
