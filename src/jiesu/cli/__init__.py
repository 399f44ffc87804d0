"""The `jiesu` command: global options here, one module per command group beside it.

Heavy libraries (sqlmodel, the services) are imported inside the commands that need them, so
`--help`, `--version` and shell completion stay fast.
"""

from typing import Annotated

import typer

from jiesu import __version__
from jiesu.cli.common import GlobalOptions, JiesuGroup


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jiesu {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=JiesuGroup,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="接诉即办 jiesu — take in, dispatch, track and assess 12345 citizen requests.",
    pretty_exceptions_enable=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[str, typer.Option(envvar="JIESU_DB", help="Case file (SQLite path or postgresql:// URL).")] = (
        "jiesu.db"
    ),
    rules: Annotated[
        str | None,
        typer.Option(envvar="JIESU_RULES", help="Rules file (default: ./jiesu.toml if present, else bundled)."),
    ] = None,
    now: Annotated[
        str | None,
        typer.Option(envvar="JIESU_NOW", help="The clock, for back-filling, replays and tests (default: real time)."),
    ] = None,
    lang: Annotated[str, typer.Option(envvar="JIESU_LANG", help="Labels in output: zh or en.")] = "zh",
    operator: Annotated[
        str | None,
        typer.Option(envvar="JIESU_OPERATOR", help="Who is acting, recorded on every event (default: login)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Global options; each can also be set with its environment variable."""
    ctx.obj = GlobalOptions(db=db, rules=rules, now=now, lang=lang, operator=operator)


def _register() -> None:
    from jiesu.cli import dispatch, escalate, export, handling, intake, report, rules, setup, tickets, topics

    for module in (setup, intake, dispatch, handling, tickets, report, topics, export, rules, escalate):
        app.add_typer(module.app)


_register()


def main() -> None:
    """Run the CLI (the console script starts in jiesu/__main__.py, which pauses the collector first)."""
    app()
