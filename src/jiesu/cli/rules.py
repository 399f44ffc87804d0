"""`jiesu rules check|explain` and `jiesu units`: the rules file, checked and explained."""

from pathlib import Path
from typing import Annotated, Any

import typer

from jiesu.cli.common import default_rules_path, open_office
from jiesu.cli.options import ROWS, SINGLE, OutputFormat, encoding_option, format_option, out_option

app = typer.Typer()
rules_app = typer.Typer(help="Check the rules file and see how it decides.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


@rules_app.command("check")
def check(
    ctx: typer.Context,
    file: Annotated[Path | None, typer.Argument(help="Rules file (default: --rules, ./jiesu.toml, bundled).")] = None,
) -> None:
    """Report every problem in a rules file, with its location; exit 1 if there is any.

    Also warns (stderr, exit 0) when a deadline counted from now (--now) reaches a year whose
    make-up working days (调休) are not published yet.
    """
    from datetime import UTC, datetime

    from jiesu.cli.render.common import console, err_console
    from jiesu.domain.times import parse_datetime
    from jiesu.rules import check_rules, load_rules
    from jiesu.rules.loader import calendar_warning, deadlines_from

    options = ctx.find_root().obj
    path = file or default_rules_path(options.rules)
    problems = check_rules(path)
    if problems:
        errors = err_console()
        for problem in problems:
            errors.print(f"{path}: {problem}", markup=False, highlight=False, soft_wrap=True)
        errors.print(f"{len(problems)} problem(s)", markup=False)
        raise typer.Exit(1)
    rules = load_rules(path)
    now = parse_datetime(options.now, rules.timezone, "now") if options.now else datetime.now(UTC)
    console().print(
        f"{path}: ok — {len(rules.units)} units, {len(rules.areas)} areas, {len(rules.dispatch_rules)} rules, "
        f"{len(rules.limits)} limit profiles (sha256 {rules.sha256[:12]})",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    deadlines_from(rules, now)
    warning = calendar_warning(rules)
    if warning:
        err_console().print(warning, markup=False, highlight=False, soft_wrap=True)


@rules_app.command("explain")
def explain(
    ctx: typer.Context,
    content: Annotated[str, typer.Option(help="The request's text.")],
    title: Annotated[str, typer.Option(help="Its title.")] = "",
    address: Annotated[str | None, typer.Option(help="Where the matter is.")] = None,
    kind: Annotated[str | None, typer.Option(help="consult|help|complain|report|suggest|praise.")] = None,
    channel: Annotated[str | None, typer.Option(help="phone|web|app|wechat|email|walk-in|other.")] = None,
    district: Annotated[str | None, typer.Option(help="District.")] = None,
    street: Annotated[str | None, typer.Option(help="Street (code or name).")] = None,
    category: Annotated[str | None, typer.Option(help="The request's category, if already known.")] = None,
    urgent: Annotated[bool, typer.Option("--urgent", help="An urgent request.")] = False,
    format: Annotated[OutputFormat, format_option(*SINGLE)] = OutputFormat.TABLE,
) -> None:
    """Which rule wins for a request, and why; the runners-up; the deadlines it would set from now."""
    from jiesu.cli.render.common import print_json
    from jiesu.cli.render.dispatch import decision_record, decision_tables
    from jiesu.domain.dispatching import decide, locate
    from jiesu.domain.enums import Channel, Kind, parse_enum
    from jiesu.services.dispatch import request_of

    office = open_office(ctx)
    rules = office.rules
    kind_value = parse_enum(Kind, kind, "kind").value if kind else "complain"
    channel_value = parse_enum(Channel, channel, "channel").value if channel else "phone"
    located = locate(rules, street=street, community=None, address=address)
    request = request_of(
        title=title,
        content=content,
        kind=kind_value,
        channel=channel_value,
        district=district,
        street=located.street,
        category=category,
    )
    decision = decide(rules, request, located, at=office.now, urgent=urgent, category=category, explain=True)
    if format is OutputFormat.JSON:
        print_json(decision_record(decision, rules) | {"rules_sha256": rules.sha256})
        return
    from jiesu.cli.render.common import console

    out = console()
    for table in decision_tables(decision, rules, office.lang):
        out.print(table)


@rules_app.command("accuracy")
def accuracy(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="Dispatched at or after this time.")] = None,
    until: Annotated[str | None, typer.Option(help="Dispatched before this time.")] = None,
    format: Annotated[OutputFormat, format_option(*SINGLE)] = OutputFormat.TABLE,
) -> None:
    """Routing accuracy: per rule, tickets it dispatched and how many the lead unit returned (退单)."""
    from jiesu.cli.render.accuracy import accuracy_records, accuracy_table
    from jiesu.cli.render.common import console, print_json
    from jiesu.domain.times import parse_datetime
    from jiesu.services.report import routing_accuracy

    office = open_office(ctx)
    tz = office.rules.timezone
    per_rule = routing_accuracy(
        office,
        since=parse_datetime(since, tz, "since") if since else None,
        until=parse_datetime(until, tz, "until") if until else None,
    )
    if format is OutputFormat.JSON:
        print_json(accuracy_records(per_rule))
        return
    console().print(accuracy_table(per_rule, office.lang))


@app.command()
def units(
    ctx: typer.Context,
    unit_class: Annotated[
        str | None, typer.Option("--class", help="street|community|district_dept|city_dept|enterprise.")
    ] = None,
    format: Annotated[OutputFormat, format_option(*ROWS)] = OutputFormat.TABLE,
    out: Annotated[Path | None, out_option("Write csv or jsonl to this file (a CSV file starts with a BOM).")] = None,
    encoding: Annotated[str | None, encoding_option()] = None,
) -> None:
    """The handling units of the rules file, by class."""
    from rich.table import Table

    from jiesu.cli.labels import t
    from jiesu.cli.render.common import add_plain_row, console, print_csv, print_json, print_jsonl
    from jiesu.domain.catalogue import UNIT_CLASS_LABELS, UnitClass
    from jiesu.errors import UsageError

    rules = open_office(ctx).rules
    if unit_class is not None and unit_class not in {c.value for c in UnitClass}:
        raise UsageError("class", f"unknown class {unit_class!r}; use one of {', '.join(c.value for c in UnitClass)}")
    order = list(UnitClass)
    chosen = sorted(
        (u for u in rules.units.values() if unit_class is None or u.unit_class.value == unit_class),
        key=lambda u: (order.index(u.unit_class), u.code),
    )
    records: list[dict[str, Any]] = [
        {"code": u.code, "name": u.name, "class": u.unit_class.value, "parent": u.parent or None} for u in chosen
    ]
    if format is OutputFormat.JSON:
        print_json(records)
        return
    if format is OutputFormat.JSONL:
        print_jsonl(records, out)
        return
    if format is OutputFormat.CSV:
        print_csv(["code", "name", "class", "parent"], records, out, encoding)
        return
    lang = ctx.find_root().obj.lang
    table = Table(title=f"{t('units', lang)} ({len(records)})", title_justify="left")
    for key in ("code", "name", "class", "parent"):
        table.add_column(t(f"unit_{key}", lang))
    for unit in chosen:
        label = UNIT_CLASS_LABELS[unit.unit_class] if lang == "zh" else unit.unit_class.value
        parent = rules.units[unit.parent].name if unit.parent in rules.units else ""
        add_plain_row(table, unit.code, unit.name, label, parent)
    console().print(table)
