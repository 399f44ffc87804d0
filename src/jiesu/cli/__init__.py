"""The `jiesu` command: global options here, one module per command group beside it.

The commands are built when they are named: COMMANDS lists each with the module that defines it and
its one-line help, so `jiesu --help` lists them without importing the command modules or building
their parameters (cli.common.LazyCommands; tests/cli/test_lazy_commands.py checks the table against
the commands themselves). Heavy libraries (sqlalchemy, the services) are imported inside the commands
that need them, so `--help`, `--version` and shell completion stay fast.
"""

from typing import Annotated

import typer

from jiesu import __version__
from jiesu.cli.common import GlobalOptions, JiesuGroup, LazyCommand


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jiesu {__version__}")
        raise typer.Exit()


# Every command of `jiesu`, in the order `jiesu --help` lists them: its name, the module of jiesu.cli
# that defines it (in its `app`), and the first paragraph of its help as written there (English; the
# Chinese is found from it in help_zh.HELP_ZH).
COMMANDS = (
    LazyCommand(
        "init", "setup", "Create (or upgrade) the case file, and write a starter jiesu.toml when there is none."
    ),
    LazyCommand(
        "demo",
        "setup",
        "A month in a district office in one command: intake, dispatch, handling, callbacks, escalation.",
    ),
    LazyCommand(
        "intake",
        "intake",
        "Take a request in (受理) and give it a ticket number; or a whole file of requests with --file.",
    ),
    LazyCommand(
        "dispatch",
        "dispatch",
        "(Re)apply the rules to pending tickets (派单), dispatch by hand with --unit, or accept the\n"
        "learned suggestion with --suggested.",
    ),
    LazyCommand("accept", "handling", "签收: the unit takes the ticket (a summoned department reports in)."),
    LazyCommand(
        "return",
        "handling",
        "退单: the unit sends the ticket back as not theirs; a lead's return puts it back in the queue.",
    ),
    LazyCommand(
        "contact",
        "handling",
        "联系诉求人: the unit reached the requester (in time or not against the contact deadline).",
    ),
    LazyCommand("note", "handling", "办理进展: add a progress note."),
    LazyCommand(
        "extend",
        "handling",
        "延期: a unit asks for more time (--unit, --until/--by, --reason); the centre --approve/--deny.",
    ),
    LazyCommand(
        "whistle",
        "handling",
        "吹哨报到: the lead street summons departments, who must report in (jiesu accept) in time.",
    ),
    LazyCommand("finish", "handling", "办结: the lead unit reports the result (a co-handler finishes its own part)."),
    LazyCommand(
        "callback", "handling", "回访: call the requester back; a reached callback closes the ticket (or reopens it)."
    ),
    LazyCommand(
        "appeal",
        "handling",
        "申诉 / 不合理诉求: the lead unit asks to exclude a closed ticket; the centre --approve/--deny.",
    ),
    LazyCommand("merge", "handling", "合并: a repeat of an open ticket closes and points at the original."),
    LazyCommand("supervise", "handling", "督办: flag the ticket for follow-up (shown in show and list)."),
    LazyCommand(
        "guide",
        "handling",
        "引导运用市场机制和社会力量: close an open ticket by guiding the requester (counted as guided).",
    ),
    LazyCommand("show", "tickets", "A ticket and its whole timeline."),
    LazyCommand("list", "tickets", "Tickets, newest first, narrowed by filters; or the repeat callers' review list."),
    LazyCommand("search", "tickets", "Find tickets by text (works for Chinese), newest first."),
    LazyCommand(
        "hotspots",
        "report",
        "高频事件、高频点位: categories and places well above their own recent baseline, newest first.",
    ),
    LazyCommand(
        "report",
        "report",
        "考评: the month's ranking per class, intake overview, volumes by category and street, overdue,\n"
        "proactive discovery per street.",
    ),
    LazyCommand(
        "topics",
        "topics",
        "每月一题: each named problem (\\[\\[topics]]) over its last periods, and candidates for next month.",
    ),
    LazyCommand(
        "export",
        "export",
        "Tickets as Open311 GeoReport v2 service requests, oldest first; no requester leaves the case file.",
    ),
    LazyCommand("units", "rules", "The handling units of the rules file, by class."),
    LazyCommand("rules", "rules", "Check the rules file and see how it decides."),
    LazyCommand(
        "escalate",
        "escalate",
        "超时预警、分级协调: warn before deadlines, mark overdue ones, escalate unfinished tickets (run it from cron).",
    ),
)


class Jiesu(JiesuGroup):
    """`jiesu` itself: the root group, its commands those of COMMANDS, built when named."""

    lazy_commands = COMMANDS


app = typer.Typer(
    cls=Jiesu,
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


def main() -> None:
    """Run the CLI (the console script starts in jiesu/__main__.py, which pauses the collector first)."""
    app()
