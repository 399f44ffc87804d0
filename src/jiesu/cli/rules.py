"""`jiesu rules check|explain|accuracy|learn|replay` and `jiesu units`: the rules file, checked, explained,
measured against what happened, learned from history, and tried on a past period."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from jiesu.cli.common import default_rules_path, open_office, place_code, resume_collector
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
    resume_collector()  # the one command without an Office: its work starts here
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
        f"{len(rules.limits)} limit profiles, {len(rules.topics)} named problems (sha256 {rules.sha256[:12]})",
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
    street: Annotated[str | None, typer.Option(help="Street (code, name or part of it).")] = None,
    category: Annotated[str | None, typer.Option(help="The request's category, if already known.")] = None,
    urgent: Annotated[bool, typer.Option("--urgent", help="An urgent request.")] = False,
    format: Annotated[OutputFormat, format_option(*SINGLE)] = OutputFormat.TABLE,
) -> None:
    """Which rule wins for a request, and why; the runners-up; the deadlines it would set from now."""
    from jiesu.cli.labels import t
    from jiesu.cli.render.common import print_json
    from jiesu.cli.render.dispatch import decision_record, decision_tables
    from jiesu.cli.render.learning import suggestion_record, suggestion_text
    from jiesu.domain.dispatching import decide, locate
    from jiesu.domain.enums import Channel, Kind, parse_enum
    from jiesu.services.dispatch import request_of
    from jiesu.services.learning import suggest_for

    office = open_office(ctx)
    rules = office.rules
    kind_value = parse_enum(Kind, kind, "kind").value if kind else "complain"
    channel_value = parse_enum(Channel, channel, "channel").value if channel else "phone"
    located = locate(rules, street=place_code(office, street, "street"), community=None, address=address)
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
    suggestion = suggest_for(office, title=title, content=content, street=located.street)
    if format is OutputFormat.JSON:
        print_json(
            decision_record(decision, rules)
            | {"rules_sha256": rules.sha256, "suggestion": suggestion_record(suggestion)}
        )
        return
    from jiesu.cli.render.common import console

    out = console()
    for table in decision_tables(decision, rules, office.lang):
        out.print(table)
    if suggestion is not None:
        line = suggestion_text(suggestion.record(), office.lang, rules)
        out.print(f"{t('suggestion', office.lang)}: {line}", markup=False, highlight=False, soft_wrap=True)


@rules_app.command("accuracy")
def accuracy(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="Dispatched at or after this time.")] = None,
    until: Annotated[str | None, typer.Option(help="Dispatched before this time.")] = None,
    format: Annotated[OutputFormat, format_option(*SINGLE)] = OutputFormat.TABLE,
) -> None:
    """Routing accuracy: per rule, tickets it dispatched and how many the lead unit returned (退单);
    then the rules and the learned model side by side against the unit that finally handled each
    ticket taken in during the period."""
    from jiesu.cli.render.accuracy import accuracy_records, accuracy_table
    from jiesu.cli.render.common import console, print_json
    from jiesu.cli.render.learning import comparison_record, comparison_table
    from jiesu.domain.times import parse_datetime
    from jiesu.services.replay import compare_routing
    from jiesu.services.report import routing_accuracy

    office = open_office(ctx)
    tz = office.rules.timezone
    start = parse_datetime(since, tz, "since") if since else None
    end = parse_datetime(until, tz, "until") if until else None
    per_rule = routing_accuracy(office, since=start, until=end)
    comparison = compare_routing(office, start=start, end=end)
    if format is OutputFormat.JSON:
        print_json({"rules": accuracy_records(per_rule), "rules_and_model": comparison_record(comparison)})
        return
    out = console()
    out.print(accuracy_table(per_rule, office.lang))
    out.print(comparison_table(comparison, office.lang))


@rules_app.command("learn")
def learn(
    ctx: typer.Context,
    min_examples: Annotated[
        int,
        typer.Option(help="Tickets a category needs; one with fewer is learned as its first-level class."),
    ] = 5,
    folds: Annotated[int, typer.Option(help="Cross-validation folds (fewer when a category has fewer tickets).")] = 5,
    format: Annotated[OutputFormat, format_option(*SINGLE)] = OutputFormat.TABLE,
) -> None:
    """Learn dispatch suggestions from the case file's history; print cross-validated accuracy per category.

    Trains on the tickets whose category a person chose (intake --category, a file's category
    column, dispatch --unit … --category), never on a category a rule or the model set; units come
    from the lead unit that finally handled each closed ticket. The model is stored in the case file.
    """
    from jiesu.cli.render.common import console, print_json
    from jiesu.cli.render.learning import learned_record, learned_table
    from jiesu.services.learning import learn as learn_service

    office = open_office(ctx)
    learned = learn_service(office, min_examples=min_examples, folds=folds)
    if format is OutputFormat.JSON:
        print_json(learned_record(learned))
        return
    console().print(learned_table(learned, office.lang))


@rules_app.command("replay")
def replay(
    ctx: typer.Context,
    since: Annotated[str, typer.Option("--from", help="First day of the period, e.g. 2026-10-01.")],
    until: Annotated[str, typer.Option("--to", help="Last day of the period (included), e.g. 2026-10-31.")],
    proposed: Annotated[Path, typer.Option("--rules", help="The proposed rules file to try.")],
    format: Annotated[
        OutputFormat, format_option(OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.MARKDOWN)
    ] = OutputFormat.TABLE,
) -> None:
    """What if: re-decide every ticket of a period under another rules file; change nothing.

    Compares with what happened: tickets routed differently (with examples), how many of those now
    go to the unit that finally handled them after returns, the estimated mis-dispatch rate of both,
    load per unit, deadlines tightened or loosened, and the proposed rules that never fire.
    """
    from jiesu.cli.render.common import console, print_json
    from jiesu.cli.render.replay import replay_markdown, replay_record, replay_tables
    from jiesu.domain.periods import custom_period
    from jiesu.domain.times import parse_date
    from jiesu.services.replay import replay as replay_service

    office = open_office(ctx)
    tz = office.rules.timezone
    start, end = custom_period(parse_date(since, "from"), parse_date(until, "to")).bounds(tz)
    result = replay_service(office, proposed, start=start, end=end)
    if format is OutputFormat.JSON:
        print_json(replay_record(result, tz))
    elif format is OutputFormat.MARKDOWN:
        sys.stdout.write(replay_markdown(result, office.lang, office.rules, tz) + "\n")
    else:
        out = console()
        for table in replay_tables(result, office.lang, office.rules):
            out.print(table)


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
