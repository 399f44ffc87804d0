"""`jiesu init` and `jiesu demo`: getting a case file and seeing jiesu work."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from jiesu.cli.common import open_office
from jiesu.cli.options import SINGLE, OutputFormat, format_option

if TYPE_CHECKING:
    from rich.console import Console

    from jiesu.domain.periods import Period
    from jiesu.services.context import Office
    from jiesu.services.publishing import PublicationView

app = typer.Typer()

MAX_GENERATED = 1_000_000


@app.command()
def init(ctx: typer.Context) -> None:
    """Create (or upgrade) the case file, and write a starter jiesu.toml when there is none."""
    from jiesu.cli.render.common import console
    from jiesu.services.setup import init_case_file, write_starter_rules

    options = ctx.find_root().obj
    out = console()
    target = Path(options.rules) if options.rules else Path("jiesu.toml")
    if write_starter_rules(target):
        out.print(f"wrote starter rules file {target}")
    ready = init_case_file(open_office(ctx, create=True))
    if ready.created:
        out.print(f"created case file {ready.db} (schema version {ready.version})")
    elif ready.upgraded:
        out.print(f"upgraded case file {ready.db} from schema version {ready.before} to {ready.version}")
    else:
        out.print(f"case file {ready.db} is up to date (schema version {ready.version})")


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

    from jiesu.cli.render.common import console, err_console, progress_bar
    from jiesu.errors import UsageError
    from jiesu.services.simulation import SAMPLE_RULES, fresh_case_file, run_demo, sample_data_dir

    if not 0 <= generate <= MAX_GENERATED:
        # a month of a busy district is tens of thousands; more is a benchmark (see benchmarks/)
        raise UsageError("generate", f"{generate} is out of range; give 0 to {MAX_GENERATED:,}")
    if ctx.find_root().obj.rules is None:  # the sample district's rules, unless --rules says otherwise
        ctx.find_root().obj.rules = str(sample_data_dir() / SAMPLE_RULES)
    office = open_office(ctx, create=True)
    office.db = fresh_case_file(db)
    office.operator = "demo"
    errors = err_console()
    with progress_bar(errors, "{task.completed}/{task.total}") as bar:
        task = bar.add_task(f"replaying {month}", total=None)
        result = run_demo(
            office,
            month=month,
            seed=seed,
            generate=generate,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    from jiesu.cli.render.report_data import report_json
    from jiesu.cli.render.report_formats import render_tables
    from jiesu.cli.render.sheets import report_sheets
    from jiesu.domain.periods import parse_month
    from jiesu.services.report import build_report, find_hotspots

    period = parse_month(result.month, office.rules.assessment.period_start_day)
    published = _publish(office, period)
    period_report = build_report(office, period, topics=True, zero_requests=True)
    sheets = report_sheets(period_report, office.lang)
    if format == "json":
        print(json.dumps(report_json(period_report), ensure_ascii=False, indent=2))
        return
    out = console()
    _show_summary(office, result, out)
    wanted = {"overview", "unit", "category", "overdue", "proactive", "problems", "zero_request"}
    header = f"{result.month} 月度考评 monthly assessment — 已公布 published, hash {published.hash[:12]}"
    render_tables([s for s in sheets if s.key in wanted], office.lang, header)
    hot = find_hotspots(office)
    if hot:
        out.print(
            f"高频事件与点位 hot spots (last {office.rules.assessment.hotspot_days} days): "
            + "; ".join(f"{h.label} {h.count}" for h in hot[:8]),
            markup=False,
            highlight=False,
        )
    _show_timelines(office, out)
    _show_learning(office, out)
    _show_next_steps(office, result.month, out)


def _show_summary(office: "Office", result: Any, out: "Console") -> None:
    """What the replayed month holds: the case file, tickets, steps and escalation runs."""
    from jiesu.cli.labels import t

    out.print(f"[bold]jiesu demo[/bold] — {office.rules.office_name}, {result.month}")
    out.print(
        t("demo_summary", office.lang).format(
            db=result.db,
            tickets=result.tickets,
            steps=result.steps,
            refused=result.refused,
            runs=result.escalation_runs,
            actions=result.escalation_actions,
        ),
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def _publish(office: "Office", period: "Period") -> "PublicationView":
    """The replayed month is over: publish it (考评公示), as an office would."""
    from jiesu.services.publishing import publish

    office.now = period.bounds(office.rules.timezone)[1]
    return publish(office, period.name, note="jiesu demo")


def _show_timelines(office: "Office", out: "Console") -> None:
    """A reopened ticket's and a whistled ticket's whole story."""
    from jiesu.cli.render.tickets import ticket_detail_tables, ticket_record
    from jiesu.services.simulation import example_tickets
    from jiesu.services.tickets import show_ticket

    tz = office.rules.timezone
    for number in example_tickets(office):
        history = show_ticket(office, number)
        record = ticket_record(history.ticket, tz)
        tables = ticket_detail_tables(record, history.events, history.attachments, tz, office.lang, office.rules)
        out.print(tables[1])


DEMO_REQUEST = "我家楼下新开了一家烧烤店，每天晚上油烟直往楼上窗户里灌，味道呛人，希望有关部门管一管"
DEMO_ADDRESS = "交道口南大街"


def _show_learning(office: "Office", out: "Console") -> None:
    """`jiesu rules learn` on the month, and the suggestion it makes for one request."""
    from jiesu.cli.render.learning import suggestion_text
    from jiesu.domain.dispatching import locate
    from jiesu.errors import RefusedError
    from jiesu.services.learning import learn, suggest_for

    try:
        learned = learn(office)
    except RefusedError as exc:
        out.print(f"\n智能派单 learned suggestions: {exc}", markup=False, highlight=False)
        return
    out.print(
        f"\n智能派单 learned suggestions (jiesu rules learn): model #{learned.model_id} from {learned.tickets} tickets "
        f"a clerk categorised, cross-validated accuracy {learned.accuracy:.1%} "
        f"(first-level class {learned.first_level_accuracy:.1%}); units from {learned.unit_tickets} closed tickets",
        markup=False,
        highlight=False,
    )
    street = locate(office.rules, street=None, community=None, address=DEMO_ADDRESS).street
    suggestion = suggest_for(office, title="", content=DEMO_REQUEST, street=street)
    if suggestion is not None:
        out.print(
            f"  {DEMO_REQUEST[:24]}… ({DEMO_ADDRESS}) → "
            + suggestion_text(suggestion.record(), office.lang, office.rules),
            markup=False,
            highlight=False,
        )


def _show_next_steps(office: "Office", month: str, out: "Console") -> None:
    """Commands to try next on the demo's case file, with its settings to export first."""
    from shlex import quote

    from jiesu.cli.labels import t

    out.print("\n" + t("demo_next", office.lang), markup=False, highlight=False)
    settings = {"JIESU_DB": str(office.db), "JIESU_RULES": str(office.rules_path), "JIESU_NOW": office.now.isoformat()}
    for line in (
        "export " + " ".join(f"{name}={quote(value)}" for name, value in settings.items()),
        f"jiesu report --month {month} --class street",
        "jiesu report verify",
        "jiesu report publications",
        f"jiesu report --month {month} --topics --zero-request",
        f"jiesu topics --month {month}",
        f"jiesu report --month {month} --format xlsx --out report.xlsx",
        "jiesu hotspots --days 7",
        "jiesu list --overdue",
        "jiesu escalate --dry-run",
        "jiesu rules explain --content '小区停水三天了' --address '和平里东街11号院'",
        "jiesu rules accuracy",
        f"jiesu rules replay --from {month}-01 --to {month}-28 --rules {office.rules_path}",
    ):
        # soft_wrap: a long line is never broken by a newline, so a copy and paste runs it whole
        out.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
