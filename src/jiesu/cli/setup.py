"""`jiesu init` and `jiesu demo`: getting a case file and seeing jiesu work."""

import shutil
from pathlib import Path
from typing import Annotated, Any

import typer

from jiesu.cli.common import office
from jiesu.cli.options import SINGLE, OutputFormat, format_option

app = typer.Typer()


@app.command()
def init(ctx: typer.Context) -> None:
    """Create (or upgrade) the case file, and write a starter jiesu.toml when there is none."""
    from jiesu.cli.output import console
    from jiesu.rules.loader import BUNDLED_RULES
    from jiesu.store.casefile import init_case_file
    from jiesu.store.schema import SCHEMA_VERSION

    options = ctx.find_root().obj
    out = console()
    target = Path(options.rules) if options.rules else Path("jiesu.toml")
    if not target.exists():
        shutil.copyfile(BUNDLED_RULES, target)
        out.print(f"wrote starter rules file {target}")
    where = office(ctx, create=True)
    where.rules  # noqa: B018  (refuse a broken rules file before touching the case file)
    before = init_case_file(where.db)
    if before == 0:
        out.print(f"created case file {where.db} (schema version {SCHEMA_VERSION})")
    elif before < SCHEMA_VERSION:
        out.print(f"upgraded case file {where.db} from schema version {before} to {SCHEMA_VERSION}")
    else:
        out.print(f"case file {where.db} is up to date (schema version {SCHEMA_VERSION})")


@app.command()
def demo(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option(help="Case file to create (default: a new temporary one).")] = None,
    month: Annotated[str, typer.Option(help="The month to replay, YYYY-MM (2026-10 has the 344 samples).")] = "2026-10",
    seed: Annotated[int, typer.Option(help="The same seed gives the same month.")] = 1,
    generate: Annotated[int, typer.Option(help="Generated requests on top of the samples.")] = 300,
    format: Annotated[
        OutputFormat, format_option(*SINGLE, help="table, or json (the month's report only).")
    ] = OutputFormat.TABLE,
) -> None:
    """A month in a district office in one command: intake, dispatch, handling, callbacks, escalation."""
    import json

    from jiesu.cli.output import console, err_console, progress_bar
    from jiesu.errors import UsageError
    from jiesu.services.demo import SAMPLE_RULES, fresh_case_file, run_demo, sample_data_dir

    if generate < 0:
        raise UsageError("generate", "must be 0 or more")
    if ctx.find_root().obj.rules is None:  # the sample district's rules, unless --rules says otherwise
        ctx.find_root().obj.rules = str(sample_data_dir() / SAMPLE_RULES)
    where = office(ctx, create=True)
    where.db = fresh_case_file(db)
    where.operator = "demo"
    errors = err_console()
    with progress_bar(errors, "{task.completed}/{task.total}") as bar:
        task = bar.add_task(f"replaying {month}", total=None)
        result = run_demo(
            where,
            month=month,
            seed=seed,
            generate=generate,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    from jiesu.cli.report import _report_json, render_tables, report_sheets
    from jiesu.services.report import build_report, find_hotspots

    period_report = build_report(
        where,
        __import__("jiesu.domain.periods", fromlist=["parse_month"]).parse_month(
            result.month, where.rules.assessment.period_start_day
        ),
    )
    sheets = report_sheets(period_report, where.rules, where.lang, None)
    if format == "json":
        print(json.dumps(_report_json(period_report, sheets, None), ensure_ascii=False, indent=2))
        return
    out = console()
    out.print(f"[bold]jiesu demo[/bold] — {where.rules.office_name}, {result.month}")
    out.print(
        f"case file {result.db}: {result.tickets} tickets taken in, {result.steps} steps recorded "
        f"({result.refused} refused as the state no longer allowed them), {result.escalation_runs} escalation runs "
        f"with {result.escalation_actions} warnings, overdue marks and escalations",
        markup=False,
        highlight=False,
    )
    wanted = {"overview", "unit", "category", "overdue"}
    render_tables([s for s in sheets if s.key in wanted], where.lang, f"{result.month} 月度考评 monthly assessment")
    hot = find_hotspots(where)
    if hot:
        out.print(
            f"高频事件与点位 hot spots (last {where.rules.assessment.hotspot_days} days): "
            + "; ".join(f"{h.label} {h.count}" for h in hot[:8]),
            markup=False,
            highlight=False,
        )
    _show_timelines(where, out)
    out.print("\nExplore further / 继续体验:")
    for line in (
        f"export JIESU_DB={result.db} JIESU_RULES={where.rules_path} JIESU_NOW={where.now.isoformat()}",
        f"jiesu report --month {result.month} --class street",
        f"jiesu report --month {result.month} --format xlsx --out report.xlsx",
        "jiesu hotspots --days 7",
        "jiesu list --overdue",
        "jiesu escalate --dry-run",
        "jiesu rules explain --content '小区停水三天了' --address '和平里东街11号院'",
    ):
        out.print(f"  {line}", markup=False, highlight=False)


def _show_timelines(where: Any, out: Any) -> None:
    """A reopened ticket's and a whistled ticket's whole story."""
    from sqlalchemy import select

    from jiesu.cli.output import ticket_detail_tables, ticket_record
    from jiesu.services.tickets import show_ticket
    from jiesu.store.engine import transaction
    from jiesu.store.tickets import EVENTS, TICKETS

    numbers = []
    with transaction(where.engine, write=False) as conn:
        for action in ("reopen", "whistle"):
            number = conn.execute(
                select(TICKETS.c.number)
                .join(EVENTS, EVENTS.c.ticket_id == TICKETS.c.id)
                .where(EVENTS.c.action == action)
                .order_by(TICKETS.c.id)
                .limit(1)
            ).scalar_one_or_none()
            if number:
                numbers.append(number)
    tz = where.rules.timezone
    for number in numbers:
        history = show_ticket(where, number)
        record = ticket_record(history.ticket, tz)
        tables = ticket_detail_tables(record, history.events, history.attachments, tz, where.lang, where.rules)
        out.print(tables[1])
