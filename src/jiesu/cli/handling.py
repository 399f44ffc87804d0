"""The steps of handling and callback: one command per step (签收、退单、联系、延期、吹哨、办结、回访、申诉…)."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from jiesu.cli.common import open_office, unit_code, unit_codes
from jiesu.cli.options import SINGLE, OutputFormat, format_option

if TYPE_CHECKING:
    from jiesu.services.context import Office
    from jiesu.services.handling import StepDone

app = typer.Typer()

At = Annotated[str | None, typer.Option("--at", help="When it happened (default: the clock).")]
Unit = Annotated[str, typer.Option("--unit", help="The acting unit: its code, name or part of the name.")]
Note = Annotated[str | None, typer.Option("--note", help="A note recorded with the step.")]
Output = Annotated[OutputFormat, format_option(*SINGLE)]
Correction = Annotated[
    str | None,
    typer.Option(
        "--correction",
        metavar="REASON",
        help="Record a step that changes a published month (更正), and why; the month is marked corrected.",
    ),
]


def _at(office: "Office", text: str | None) -> datetime | None:
    from jiesu.domain.times import parse_datetime

    return None if text is None else parse_datetime(text, office.rules.timezone, "at")


def _until(office: "Office", text: str | None) -> datetime | None:
    """--until: a date alone is the end of that day, as the limits' days end."""
    from jiesu.domain.times import parse_deadline

    return None if text is None else parse_deadline(text, office.rules.timezone, "until")


def _decision(approve: bool, deny: bool) -> bool | None:
    """The centre's --approve (True) or --deny (False); None when it is a unit's request."""
    from jiesu.errors import UsageError

    if approve and deny:
        raise UsageError("approve", "give --approve or --deny, not both")
    return True if approve else False if deny else None


def step_messages(done: "StepDone", lang: str, tz: Any) -> list[str]:
    """What the step tells the operator, in `lang`: late deadlines, a requeued ticket, a summons."""
    from jiesu.cli.labels import t
    from jiesu.domain.times import short

    messages = [
        t(f"step_late_{late.deadline}", lang).format(unit=late.unit, due=short(late.due, tz)) for late in done.late
    ]
    if done.requeued:
        messages.append(t("step_requeued", lang))
    if done.summoned is not None:
        units = t("list_separator", lang).join(done.summoned.units)
        messages.append(t("step_summoned", lang).format(units=units, due=short(done.summoned.report_due, tz)))
    return messages


def _show(office: "Office", done: "StepDone", format: OutputFormat) -> None:
    from jiesu.cli.labels import t
    from jiesu.cli.render.common import console, print_json
    from jiesu.domain.enums import Action, Status, label

    tz = office.rules.timezone
    if format is OutputFormat.JSON:
        # scripts read the same English messages whatever --lang says
        messages = step_messages(done, "en", tz)
        print_json({"number": done.number, "action": done.action, "status": done.status, "messages": messages})
        return
    lang = office.lang
    out = console()
    out.print(
        f"{t('number', lang)} {done.number}: {label(Action(done.action), lang)} → {label(Status(done.status), lang)}",
        markup=False,
        highlight=False,
    )
    for message in step_messages(done, lang, tz):
        out.print(f"  {message}", markup=False, highlight=False)


@app.command()
def accept(
    ctx: typer.Context,
    number: str,
    unit: Unit,
    at: At = None,
    correction: Correction = None,
    note: Note = None,
    format: Output = OutputFormat.TABLE,
) -> None:
    """签收: the unit takes the ticket (a summoned department reports in)."""
    from jiesu.services.handling import accept as accept_step

    office = open_office(ctx)
    _show(
        office,
        accept_step(office, number, unit=unit_code(office, unit), at=_at(office, at), correction=correction, note=note),
        format,
    )


@app.command("return")
def return_command(
    ctx: typer.Context,
    number: str,
    unit: Unit,
    reason: Annotated[str | None, typer.Option(help="Why the ticket is not this unit's.")] = None,
    at: At = None,
    correction: Correction = None,
    format: Output = OutputFormat.TABLE,
) -> None:
    """退单: the unit sends the ticket back as not theirs; a lead's return puts it back in the queue."""
    from jiesu.services.handling import return_ticket

    office = open_office(ctx)
    _show(
        office,
        return_ticket(
            office, number, unit=unit_code(office, unit), reason=reason, at=_at(office, at), correction=correction
        ),
        format,
    )


@app.command()
def contact(
    ctx: typer.Context,
    number: str,
    unit: Unit,
    at: At = None,
    correction: Correction = None,
    note: Note = None,
    format: Output = OutputFormat.TABLE,
) -> None:
    """联系诉求人: the unit reached the requester (in time or not against the contact deadline)."""
    from jiesu.services.handling import contact as contact_step

    office = open_office(ctx)
    _show(
        office,
        contact_step(
            office, number, unit=unit_code(office, unit), at=_at(office, at), correction=correction, note=note
        ),
        format,
    )


@app.command()
def note(
    ctx: typer.Context,
    number: str,
    text: Annotated[str | None, typer.Option("--text", help="The progress note.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="The unit it concerns, if any.")] = None,
    at: At = None,
    correction: Correction = None,
    format: Output = OutputFormat.TABLE,
) -> None:
    """办理进展: add a progress note."""
    from jiesu.services.handling import add_note

    office = open_office(ctx)
    _show(
        office,
        add_note(office, number, text=text, unit=unit_code(office, unit), at=_at(office, at), correction=correction),
        format,
    )


@app.command()
def extend(
    ctx: typer.Context,
    number: str,
    unit: Annotated[str | None, typer.Option("--unit", help="The lead unit asking for more time.")] = None,
    until: Annotated[
        str | None, typer.Option(help="The new finish deadline asked for (a date alone: the end of that day).")
    ] = None,
    by: Annotated[str | None, typer.Option(help="How much longer, e.g. 5wd, from the current deadline.")] = None,
    reason: Annotated[str | None, typer.Option(help="Why (for a request), or the decision's reason.")] = None,
    approve: Annotated[bool, typer.Option("--approve", help="The centre approves the waiting request.")] = False,
    deny: Annotated[bool, typer.Option("--deny", help="The centre denies the waiting request.")] = False,
    at: At = None,
    correction: Correction = None,
    format: Output = OutputFormat.TABLE,
) -> None:
    """延期: a unit asks for more time (--unit, --until/--by, --reason); the centre --approve/--deny."""
    from jiesu.domain.durations import parse_duration
    from jiesu.errors import UsageError
    from jiesu.services.handling import decide_extension, request_extension

    office = open_office(ctx)
    decision = _decision(approve, deny)
    if decision is not None:
        if unit or until or by:
            raise UsageError("approve", "a decision takes only --reason (and --at); the request names unit and date")
        done = decide_extension(
            office, number, approve=decision, reason=reason, at=_at(office, at), correction=correction
        )
    else:
        if unit is None:
            raise UsageError("unit", "name the lead unit asking for more time, or decide with --approve/--deny")
        until_at = _until(office, until)
        done = request_extension(
            office,
            number,
            unit=unit_code(office, unit),
            until=until_at,
            by=parse_duration(by, "by") if by else None,
            reason=reason,
            at=_at(office, at),
            correction=correction,
        )
    _show(office, done, format)


@app.command()
def whistle(
    ctx: typer.Context,
    number: str,
    unit: Unit,
    summon: Annotated[str, typer.Option(help="Departments to summon (codes or names), comma-separated.")],
    within: Annotated[str | None, typer.Option(help="Report-in window (default: handling.whistle_within).")] = None,
    at: At = None,
    correction: Correction = None,
    note: Note = None,
    format: Output = OutputFormat.TABLE,
) -> None:
    """吹哨报到: the lead street summons departments, who must report in (jiesu accept) in time."""
    from jiesu.domain.durations import parse_duration
    from jiesu.services.handling import whistle as whistle_step

    office = open_office(ctx)
    done = whistle_step(
        office,
        number,
        unit=unit_code(office, unit),
        summon=unit_codes(office, summon, "summon"),
        within=parse_duration(within, "within") if within else None,
        at=_at(office, at),
        correction=correction,
        note=note,
    )
    _show(office, done, format)


@app.command()
def finish(
    ctx: typer.Context,
    number: str,
    unit: Unit,
    result: Annotated[str, typer.Option(help="resolved|partly|unresolved|explained.")],
    text: Annotated[str | None, typer.Option("--text", help="What was done.")] = None,
    at: At = None,
    correction: Correction = None,
    format: Output = OutputFormat.TABLE,
) -> None:
    """办结: the lead unit reports the result (a co-handler finishes its own part)."""
    from jiesu.services.handling import finish as finish_step

    office = open_office(ctx)
    _show(
        office,
        finish_step(
            office,
            number,
            unit=unit_code(office, unit),
            result=result,
            text=text,
            at=_at(office, at),
            correction=correction,
        ),
        format,
    )


def _yes_no(value: str | None, field: str) -> bool | None:
    """A callback answer: yes or no (true/false, 1/0, 是/否 are read too)."""
    from jiesu.domain.tickets import parse_bool
    from jiesu.errors import UsageError

    if value is None:
        return None
    if not value.strip():
        raise UsageError(field, "is empty; answer yes or no")
    try:
        return parse_bool(value, field)
    except UsageError:
        raise UsageError(field, f"cannot read {value!r}; answer yes or no (or 是/否)") from None


@app.command()
def callback(
    ctx: typer.Context,
    number: str,
    reached: Annotated[bool, typer.Option("--reached", help="The requester answered.")] = False,
    unreachable: Annotated[bool, typer.Option("--unreachable", help="Nobody answered; try again later.")] = False,
    contacted: Annotated[str | None, typer.Option(help="Did the unit contact you? yes|no.")] = None,
    resolved: Annotated[str | None, typer.Option(help="Is it resolved? yes|no.")] = None,
    satisfaction: Annotated[
        str | None, typer.Option(help="satisfied|basically|unsatisfied (满意/基本满意/不满意).")
    ] = None,
    reopen: Annotated[bool, typer.Option("--reopen", help="With --resolved no: send it back (重办).")] = False,
    at: At = None,
    correction: Correction = None,
    note: Note = None,
    format: Output = OutputFormat.TABLE,
) -> None:
    """回访: call the requester back; a reached callback closes the ticket (or reopens it)."""
    from jiesu.errors import UsageError
    from jiesu.services.callback import callback as callback_step

    if reached == unreachable:
        raise UsageError("reached", "give --reached or --unreachable")
    office = open_office(ctx)
    done = callback_step(
        office,
        number,
        reached=reached,
        contacted=_yes_no(contacted, "contacted"),
        resolved=_yes_no(resolved, "resolved"),
        satisfaction=satisfaction,
        reopen=reopen,
        at=_at(office, at),
        correction=correction,
        note=note,
    )
    _show(office, done, format)


@app.command()
def appeal(
    ctx: typer.Context,
    number: str,
    unit: Annotated[str | None, typer.Option("--unit", help="The lead unit appealing.")] = None,
    reason: Annotated[str | None, typer.Option(help="Why (for an appeal), or the decision's reason.")] = None,
    approve: Annotated[bool, typer.Option("--approve", help="The centre approves: not assessed.")] = False,
    deny: Annotated[bool, typer.Option("--deny", help="The centre denies.")] = False,
    at: At = None,
    correction: Correction = None,
    format: Output = OutputFormat.TABLE,
) -> None:
    """申诉 / 不合理诉求: the lead unit asks to exclude a closed ticket; the centre --approve/--deny."""
    from jiesu.errors import UsageError
    from jiesu.services.callback import appeal as appeal_step
    from jiesu.services.callback import decide_appeal

    office = open_office(ctx)
    decision = _decision(approve, deny)
    if decision is not None:
        if unit:
            raise UsageError("unit", "a decision is the centre's; drop --unit")
        done = decide_appeal(office, number, approve=decision, reason=reason, at=_at(office, at), correction=correction)
    else:
        if unit is None:
            raise UsageError("unit", "name the lead unit appealing, or decide with --approve/--deny")
        done = appeal_step(
            office, number, unit=unit_code(office, unit), reason=reason, at=_at(office, at), correction=correction
        )
    _show(office, done, format)


@app.command()
def merge(
    ctx: typer.Context,
    number: str,
    into: Annotated[str, typer.Option(help="The open ticket this one repeats.")],
    at: At = None,
    correction: Correction = None,
    note: Note = None,
    format: Output = OutputFormat.TABLE,
) -> None:
    """合并: a repeat of an open ticket closes and points at the original."""
    from jiesu.services.callback import merge as merge_step

    office = open_office(ctx)
    _show(office, merge_step(office, number, into=into, at=_at(office, at), correction=correction, note=note), format)


@app.command()
def supervise(
    ctx: typer.Context,
    number: str,
    reason: Annotated[str | None, typer.Option(help="What the centre wants followed up.")] = None,
    at: At = None,
    correction: Correction = None,
    format: Output = OutputFormat.TABLE,
) -> None:
    """督办: flag the ticket for follow-up (shown in show and list)."""
    from jiesu.services.callback import supervise as supervise_step

    office = open_office(ctx)
    _show(office, supervise_step(office, number, reason=reason, at=_at(office, at), correction=correction), format)


@app.command()
def guide(
    ctx: typer.Context,
    number: str,
    to: Annotated[
        str | None, typer.Option(help="market|social: guided to a market mechanism or a social force (required).")
    ] = None,
    text: Annotated[
        str | None, typer.Option(help="Whom the requester was guided to, e.g. the property company (required).")
    ] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="The lead unit guiding (default: the centre).")] = None,
    at: At = None,
    format: Output = OutputFormat.TABLE,
) -> None:
    """引导运用市场机制和社会力量: close an open ticket by guiding the requester (counted as guided)."""
    from jiesu.services.guidance import guide as guide_step

    office = open_office(ctx)
    _show(office, guide_step(office, number, to=to, text=text, unit=unit, at=_at(office, at)), format)
