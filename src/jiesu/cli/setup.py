"""`jiesu init` and `jiesu demo`: getting a case file and seeing jiesu work."""

import shutil
from pathlib import Path
from typing import Annotated

import typer

from jiesu.cli.common import office

app = typer.Typer()


@app.command()
def init(ctx: typer.Context) -> None:
    """Create (or upgrade) the case file, and write a starter jiesu.toml when there is none."""
    from jiesu.cli.output import console
    from jiesu.rules.loader import BUNDLED_RULES
    from jiesu.store.engine import create_case_engine
    from jiesu.store.schema import SCHEMA_VERSION, ensure_schema

    options = ctx.find_root().obj
    out = console()
    target = Path(options.rules) if options.rules else Path("jiesu.toml")
    if not target.exists():
        shutil.copyfile(BUNDLED_RULES, target)
        out.print(f"wrote starter rules file {target}")
    where = office(ctx)
    where.rules  # noqa: B018  (refuse a broken rules file before touching the case file)
    before = ensure_schema(create_case_engine(where.db))
    if before == 0:
        out.print(f"created case file {where.db} (schema version {SCHEMA_VERSION})")
    elif before < SCHEMA_VERSION:
        out.print(f"upgraded case file {where.db} from schema version {before} to {SCHEMA_VERSION}")
    else:
        out.print(f"case file {where.db} is up to date (schema version {SCHEMA_VERSION})")


@app.command()
def demo(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option(help="Case file to create [default: a new temporary one].")] = None,
) -> None:
    """Fill a fresh case file with the sample requests and show what jiesu sees."""
    from rich.progress import Progress
    from rich.table import Table

    from jiesu.cli.output import add_plain_row, console, err_console, ticket_list_table, ticket_record
    from jiesu.domain.enums import Channel, Kind, Status, label
    from jiesu.services.demo import SAMPLE_RULES, fresh_case_file, run_demo, sample_data_dir
    from jiesu.services.tickets import find_tickets, search, show_ticket
    from jiesu.store.tickets import TicketFilter

    if ctx.find_root().obj.rules is None:  # the sample district's rules, unless --rules says otherwise
        ctx.find_root().obj.rules = str(sample_data_dir() / SAMPLE_RULES)
    where = office(ctx)
    where.db = fresh_case_file(db)
    lang = where.lang
    errors = err_console()
    with Progress(console=errors, transient=True, disable=not errors.is_terminal) as bar:
        task = bar.add_task("sample requests", total=None)
        result = run_demo(where, progress=lambda done, total: bar.update(task, completed=done, total=total))
    out = console()
    out.print(f"[bold]jiesu demo[/bold] — {where.rules.office_name}")
    out.print(f"case file: {result.db}; sample requests: {result.imported.rows}, taken in: {result.imported.created}")
    summary = Table(title="受理概况 intake overview" if lang == "zh" else "Intake overview", title_justify="left")
    summary.add_column("维度" if lang == "zh" else "By")
    summary.add_column("值" if lang == "zh" else "Value")
    summary.add_column("工单数" if lang == "zh" else "Tickets", justify="right")
    for heading, enum, counts in (
        ("状态 status", Status, result.by_status),
        ("类型 kind", Kind, result.by_kind),
        ("渠道 channel", Channel, result.by_channel),
    ):
        for value, count in counts:
            add_plain_row(summary, heading, label(enum(value), lang) if value else "", str(count))
            heading = ""
    out.print(summary)
    units = Table(title="派单 dispatched to (top 12)", title_justify="left")
    units.add_column("主办单位 lead unit")
    units.add_column("工单数 tickets", justify="right")
    for code, count in [(c, n) for c, n in result.by_lead_unit if c][:12]:
        unit = where.rules.units.get(code)
        add_plain_row(units, f"{unit.name} ({code})" if unit else code, str(count))
    out.print(units)
    tz = where.rules.timezone
    latest = find_tickets(where, TicketFilter(), limit=8).tickets
    out.print(ticket_list_table([ticket_record(r, tz) for r in latest], tz, lang, "最新工单 latest tickets", out.width))
    hits = search(where, "停水", limit=5)
    out.print(ticket_list_table([ticket_record(r, tz) for r in hits], tz, lang, "搜索 search: 停水", out.width))
    answered = find_tickets(where, TicketFilter(status=Status.ANSWERED.value), limit=1).tickets
    if answered:
        history = show_ticket(where, answered[0]["number"])
        from jiesu.cli.output import ticket_detail_tables

        record = ticket_record(history.ticket, tz, full_phone=False)
        for table in ticket_detail_tables(record, history.events, history.attachments, tz, lang, where.rules):
            out.print(table)
    out.print("\nExplore further / 继续体验:")
    for line in (
        f"export JIESU_DB={result.db} JIESU_RULES={where.rules_path}",
        "jiesu list --status pending --limit 20",
        "jiesu rules explain --content '小区停水三天了' --address '和平里东街11号院'",
        "jiesu search 暖气",
        "jiesu show NUMBER --format json",
        "jiesu intake --content '楼道灯坏了一个月没人修' --address '和平里东街11号院' --phone 13800001234",
    ):
        out.print(f"  {line}", markup=False, highlight=False)
