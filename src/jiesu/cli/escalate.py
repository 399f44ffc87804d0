"""`jiesu escalate`: the cron job that keeps deadlines honest (超时预警、超时、分级协调).

Machine output: `--format jsonl` (one object per action) or `json` (an array of the same objects),
with exactly the fields number, action, deadline, due, unit, level, at. People get a summary table.
A run that counted working days in a year whose make-up working days (调休) are not published yet
says so once on stderr; the exit code stays what it would be.
"""

import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Annotated, Any

import typer

from jiesu.cli.common import open_office
from jiesu.cli.labels import t
from jiesu.cli.options import OutputFormat, format_option

if TYPE_CHECKING:
    from rich.table import Table

    from jiesu.domain.enums import Action
    from jiesu.domain.escalation import Deadline, LadderTop
    from jiesu.rules import RulesFile
    from jiesu.services.escalation import Alerted, EscalationRun

app = typer.Typer()

EXIT_OVERDUE = 3  # --fail-on-overdue and a deadline is past due, still open
DETAIL_ROWS = 50  # the table lists this many actions; scripts read --format jsonl

ESCALATE_FORMATS = (OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.JSONL)


@app.command("escalate")
def escalate_command(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be done; write nothing.")] = False,
    format: Annotated[
        OutputFormat,
        format_option(*ESCALATE_FORMATS, help="table for people; json, or jsonl (one action a line)."),
    ] = OutputFormat.TABLE,
    fail_on_overdue: Annotated[
        bool,
        typer.Option("--fail-on-overdue", help="Exit 3 when any deadline is overdue and still open."),
    ] = False,
) -> None:
    """超时预警、分级协调: warn before deadlines, mark overdue ones, escalate unfinished tickets (run it from cron)."""
    from jiesu.rules.loader import calendar_warning
    from jiesu.services.escalation import escalate

    office = open_office(ctx)
    run = escalate(office, dry_run=dry_run)
    warning = calendar_warning(office.rules)
    if warning:
        typer.echo(warning, err=True)
    tz = office.rules.timezone
    if format is OutputFormat.JSONL:
        sys.stdout.writelines(jsonl_lines(run.actions, tz))
    elif format is OutputFormat.JSON:
        from jiesu.cli.render.common import print_json

        print_json([record(a, tz) for a in run.actions])
    else:
        _print_tables(run, office.rules, office.lang)
    if fail_on_overdue and run.overdue_open:
        raise typer.Exit(EXIT_OVERDUE)


def record(action: "Alerted", tz: tzinfo) -> dict[str, Any]:
    """An action as scripts see it: these seven fields, times ISO 8601 with the case file's offset."""
    from jiesu.domain.times import iso

    return {
        "number": action.number,
        "action": action.action.value,
        "deadline": action.deadline.value,
        "due": iso(action.due, tz),
        "unit": action.unit,
        "level": action.level,
        "at": iso(action.at, tz),
    }


def jsonl_lines(actions: Iterable["Alerted"], tz: tzinfo) -> Iterator[str]:
    """Each action's `record` as one line of JSON, exactly as `json.dumps(record, ensure_ascii=False)`
    writes it, built from a template: a first run on a big case file lists tens of thousands, and
    the dict and the encoder's walk over it cost more than the rest of the line.

    Only the number and the unit are free text, escaped as the encoder escapes a string; the
    action and the deadline (enum values), the level and the ISO times need no escaping, and each
    time is formatted once. tests/cli/test_escalate.py checks the lines against `record`'s.
    """
    from json.encoder import encode_basestring  # what JSONEncoder(ensure_ascii=False) does to a str

    from jiesu.domain.times import iso

    line = '{"number": %s, "action": "%s", "deadline": "%s", "due": "%s", "unit": %s, "level": %d, "at": "%s"}\n'
    units: dict[str, str] = {}  # a few units in every run: each escaped once
    times: dict[datetime, str | None] = {}  # one clock, and deadlines shared by a ticket's actions
    for number, action, deadline, due, unit, level, at, _top in actions:
        quoted = units.get(unit)
        if quoted is None:
            quoted = units[unit] = encode_basestring(unit)
        due_text = times.get(due)
        if due_text is None:
            due_text = times[due] = iso(due, tz)
        at_text = times.get(at)
        if at_text is None:
            at_text = times[at] = iso(at, tz)
        yield line % (encode_basestring(number), action, deadline, due_text, quoted, level, at_text)


def _print_tables(run: "EscalationRun", rules: "RulesFile", lang: str) -> None:
    from jiesu.cli.render.common import console
    from jiesu.domain.times import short

    out = console()
    title = f"{t('escalate_title', lang)} {short(run.at, rules.timezone)}"
    if run.dry_run:
        title += f" {t('dry_run', lang)}"
    if not run.actions:
        out.print(f"{title}: {t('escalate_nothing', lang)}", markup=False, highlight=False)
    else:
        out.print(_summary(run.actions, lang, title))
        out.print(_details(run.actions[:DETAIL_ROWS], rules, lang))
        if len(run.actions) > DETAIL_ROWS:
            more = t("escalate_more", lang).format(n=len(run.actions) - DETAIL_ROWS)
            out.print(more, markup=False, highlight=False)
    out.print(f"{t('escalate_overdue_open', lang)}: {run.overdue_open}", markup=False, highlight=False)


def _action_label(action: "Action", lang: str) -> str:
    from jiesu.domain.enums import label as enum_label

    return enum_label(action, lang)


def _deadline_label(deadline: "Deadline", lang: str) -> str:
    return t(f"deadline_{deadline.value}", lang)


def _top_label(top: "LadderTop | None", lang: str) -> str:
    """Why an action is as high as its ticket goes, when it is (no coordinator above configured)."""
    return t("escalate_top", lang) if top else ""


def _summary(actions: Sequence["Alerted"], lang: str, title: str) -> "Table":
    """How many actions of each kind per deadline."""
    from rich.table import Table

    from jiesu.domain.enums import Action
    from jiesu.domain.escalation import Deadline

    counts = Counter((a.action, a.deadline) for a in actions)
    table = Table(title=title, title_justify="left")
    table.add_column(t("escalate_action", lang), no_wrap=True)
    for deadline in Deadline:
        table.add_column(_deadline_label(deadline, lang), justify="right", no_wrap=True)
    table.add_column(t("escalate_total", lang), justify="right", no_wrap=True)
    for action in (Action.WARN, Action.OVERDUE, Action.ESCALATE):
        row = [counts[(action, d)] for d in Deadline]
        table.add_row(_action_label(action, lang), *(str(n) for n in row), str(sum(row)))
    return table


def _details(actions: Sequence["Alerted"], rules: "RulesFile", lang: str) -> "Table":
    """One row per action: ticket, what, which deadline, when due, whom to tell, level."""
    from rich.table import Table

    from jiesu.cli.render.common import add_plain_row
    from jiesu.domain.times import short

    table = Table(title=t("escalate_details", lang), title_justify="left")
    noted = any(a.top for a in actions)  # the note column only when some action reaches the top early
    columns = ("number", "escalate_action", "escalate_deadline", "escalate_due", "escalate_unit", "escalate_level")
    for key in (*columns, *(("note",) if noted else ())):
        table.add_column(t(key, lang), no_wrap=key not in ("escalate_unit", "note"), overflow="fold")
    for a in actions:
        unit = rules.units.get(a.unit)
        cells = [
            a.number,
            _action_label(a.action, lang),
            _deadline_label(a.deadline, lang),
            short(a.due, rules.timezone),
            f"{unit.name} ({a.unit})" if unit else a.unit,
            str(a.level) if a.level else "",
        ]
        add_plain_row(table, *cells, *((_top_label(a.top, lang),) if noted else ()))
    return table
