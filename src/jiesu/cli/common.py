"""What every command shares: global options, the Office they describe, error reporting."""

import getpass
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

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

    def invoke(self, ctx: Any) -> Any:
        from jiesu.errors import JiesuError, RulesError

        try:
            return super().invoke(ctx)
        except RulesError as exc:
            # A broken rules file: every problem, in the words `jiesu rules check` uses.
            for problem in exc.problems or ["invalid"]:
                typer.echo(f"Error: rules file {exc.path}: {problem}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except JiesuError as exc:
            typer.echo(f"Error: {_describe(exc)}", err=True)
            raise typer.Exit(exc.exit_code) from None


def _describe(exc: Exception) -> str:
    from jiesu.errors import UsageError

    if isinstance(exc, UsageError) and exc.field.isidentifier():
        return f"--{exc.field.replace('_', '-')}: {exc.message}"
    return str(exc)


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
