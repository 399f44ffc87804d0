"""`jiesu intake`: take one request in, or a whole file of them."""

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from jiesu.cli.common import open_office, place_code, units_completion
from jiesu.cli.labels import t
from jiesu.cli.options import SINGLE, OutputFormat, format_option

if TYPE_CHECKING:
    from jiesu.services.context import Office
    from jiesu.services.intake import IntakeOutcome, RepeatAfterClose
    from jiesu.services.tickets import TicketView

app = typer.Typer()

PROMPTED = (
    ("content", "诉求内容 content", True),
    ("title", "标题 title", False),
    ("kind", "类型 kind (咨询/求助/投诉/举报/建议/表扬)", False),
    ("channel", "渠道 channel (phone/web/app/wechat/email/walk-in/other/grid/patrol)", False),
    ("name", "诉求人 name", False),
    ("phone", "电话 phone", False),
    ("address", "地址 address", False),
)


@app.command()
def intake(
    ctx: typer.Context,
    content: Annotated[str | None, typer.Option(help="What the requester asks (required).")] = None,
    title: Annotated[str | None, typer.Option(help="Short title (default: start of the content).")] = None,
    kind: Annotated[
        str | None,
        typer.Option(help="consult|help|complain|report|suggest|praise (or 咨询/求助/投诉/举报/建议/表扬)."),
    ] = None,
    channel: Annotated[
        str | None,
        typer.Option(
            help="phone|web|app|wechat|email|walk-in|other, or grid|patrol for a problem the office's own "
            "grid workers or patrols found (主动发现)."
        ),
    ] = None,
    name: Annotated[str | None, typer.Option(help="Requester's name.")] = None,
    phone: Annotated[str | None, typer.Option(help="Requester's phone.")] = None,
    requester_type: Annotated[str | None, typer.Option(help="person|company|org.")] = None,
    address: Annotated[str | None, typer.Option(help="Where the matter is.")] = None,
    district: Annotated[str | None, typer.Option(help="District (区).")] = None,
    street: Annotated[
        str | None,
        typer.Option(
            help="Street or township (街乡镇): code, name or part of it.", autocompletion=units_completion("street")
        ),
    ] = None,
    community: Annotated[
        str | None,
        typer.Option(
            help="Community or village (社区村): code, name or part of it.",
            autocompletion=units_completion("community"),
        ),
    ] = None,
    category: Annotated[str | None, typer.Option(help="Category, e.g. 城乡建设/供水.")] = None,
    urgent: Annotated[bool, typer.Option("--urgent", help="An urgent request.")] = False,
    confidential: Annotated[bool, typer.Option("--confidential", help="Keep the requester's identity secret.")] = False,
    attach: Annotated[
        list[Path] | None, typer.Option(help="A voice, image, video or document file (repeatable).")
    ] = None,
    answer: Annotated[str | None, typer.Option(help="Answered directly at intake: the answer given.")] = None,
    refer: Annotated[str | None, typer.Option(help="Referred to a legal channel: what the requester was told.")] = None,
    guide: Annotated[
        str | None,
        typer.Option(help="Guided to a market mechanism or social force: whom to (with --guide-to)."),
    ] = None,
    guide_to: Annotated[
        str | None, typer.Option(help="market|social (引导市场机制/社会力量): the kind of guidance of --guide.")
    ] = None,
    external_id: Annotated[str | None, typer.Option(help="The request's id in another system.")] = None,
    no_dispatch: Annotated[
        bool, typer.Option("--no-dispatch", help="Leave the ticket for a person to dispatch.")
    ] = False,
    file: Annotated[
        Path | None,
        typer.Option(
            help="Take in every row of a CSV (UTF-8 or GB18030), JSON Lines, XLSX or Open311 GeoReport v2 "
            "(.json array or .xml) file; - reads standard input."
        ),
    ] = None,
    rejects: Annotated[
        Path | None,
        typer.Option(help="Where bad rows of --file go (default: FILE.rejects.csv; .rejects.jsonl for JSON Lines)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Let --rejects replace a file that is already there.")] = False,
    ignore_column: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore-column",
            metavar="NAME",
            help="A column or JSON key of --file to skip; an unknown one otherwise refuses the file (repeatable).",
        ),
    ] = None,
    format: Annotated[OutputFormat, format_option(*SINGLE)] = OutputFormat.TABLE,
) -> None:
    """Take a request in (受理) and give it a ticket number; or a whole file of requests with --file."""
    office = open_office(ctx, create=True)
    if file is not None and str(file) == "-":
        _intake_stdin(office, rejects, ignore_column or [], format, dispatch=not no_dispatch, force=force)
        return
    if file is not None:
        _intake_file(office, file, rejects, ignore_column or [], format, dispatch=not no_dispatch, force=force)
        return
    for given, option in ((ignore_column, "ignore_column"), (rejects, "rejects"), (force, "force")):
        if given:
            from jiesu.errors import UsageError

            raise UsageError(option, "only applies to --file; give the file to import with --file PATH")
    raw: dict[str, Any] = {
        "content": content,
        "title": title,
        "kind": kind,
        "channel": channel,
        "name": name,
        "phone": phone,
        "requester_type": requester_type,
        "address": address,
        "district": district,
        "street": place_code(office, street, "street"),
        "community": place_code(office, community, "community"),
        "category": category,
        "urgent": urgent,
        "confidential": confidential,
        "answer": answer,
        "refer": refer,
        "guide": guide,
        "guide_to": guide_to,
        "external_id": external_id,
    }
    if content is None:
        if not _interactive():
            from jiesu.errors import UsageError

            raise UsageError("content", "is required; give --content TEXT (or --file PATH for many requests)")
        _prompt_for(raw)
    from jiesu.services.intake import intake_request

    outcome, ticket = intake_request(office, raw, attach=attach or (), dispatch=not no_dispatch)
    _show_outcome(office, outcome, ticket, format)


def _interactive() -> bool:
    """Whether a person is at the keyboard (then missing fields are asked for)."""
    return sys.stdin.isatty()


def _prompt_for(raw: dict[str, Any]) -> None:
    for key, prompt, required in PROMPTED:
        if raw.get(key) is None:
            value = typer.prompt(prompt, default=None if required else "", show_default=False)
            raw[key] = value or None


def _show_outcome(office: "Office", outcome: "IntakeOutcome", ticket: "TicketView", format: OutputFormat) -> None:
    from jiesu.cli.render.common import console, print_json
    from jiesu.cli.render.tickets import ticket_detail_tables, ticket_record

    tz = office.rules.timezone
    record = ticket_record(ticket, tz)
    for repeat in outcome.repeat_of:
        typer.echo(
            f"warning: the same phone raised {repeat.number} on {repeat.created_at.astimezone(tz):%Y-%m-%d} "
            "with overlapping content; " + _repeat_hint(outcome.number, ticket.status, repeat.number, repeat.status),
            err=True,
        )
    after = outcome.repeat_after_close
    if after is not None:
        typer.echo(f"warning: {_after_close_text(after, tz)}", err=True)
    if format is OutputFormat.JSON:
        linked = None
        if after is not None:
            linked = {
                "number": after.number,
                "closed_at": after.closed_at.astimezone(tz).isoformat(),
                "unit": after.unit,
                "corrected": list(after.corrected),
            }
        print_json(
            record
            | {
                "created": outcome.created,
                "repeat_of": [repeat.number for repeat in outcome.repeat_of],
                "repeat_after_close": linked,
            }
        )
        return
    out = console()
    message = t("created", office.lang) if outcome.created else t("existing", office.lang)
    out.print(f"{message}: [bold]{outcome.number}[/bold]")
    out.print(ticket_detail_tables(record, [], [], tz, office.lang, office.rules)[0])


def _after_close_text(after: "RepeatAfterClose", tz: Any) -> str:
    """The repeat-after-close warning: what was linked, whom it counts against, what was corrected."""
    which = after.number or "a confidential ticket"
    text = (
        f"this request repeats {which}, closed as resolved on {after.closed_at.astimezone(tz):%Y-%m-%d}: "
        "linked as a repeat after close (重复诉求)"
    )
    if after.unit:
        text += f"; it now counts as not resolved for {after.unit}"
    for month in after.corrected:
        text += (
            f"; {month} was published, so it is marked corrected after publication "
            f"(jiesu report publish --month {month} --revision)"
        )
    return text


def _repeat_hint(number: str, status: str, original: str, original_status: str) -> str:
    """What to do about a repeat: `jiesu merge` only where merge accepts it (both tickets open)."""
    from jiesu.domain.enums import Status
    from jiesu.domain.lifecycle import OPEN

    if Status(original_status) not in OPEN:
        return f"{original} is {original_status} and takes no repeats, so this ticket is handled on its own"
    if Status(status) not in OPEN:
        return f"this ticket was {status} at intake, so there is nothing to merge"
    return f"if it repeats that request, merge it: jiesu merge {number} --into {original}"


def _intake_stdin(
    office: "Office", rejects: Path | None, ignore: list[str], format: OutputFormat, *, dispatch: bool, force: bool
) -> None:
    """`--file -`: standard input, spooled to a temporary file of the kind it looks like; bad rows go
    to ./stdin.rejects.csv (or .jsonl) unless --rejects names another file."""
    import tempfile

    from jiesu.services.importing import default_rejects_path
    from jiesu.services.reading import spool_stream

    with tempfile.TemporaryDirectory(prefix="jiesu-stdin-") as folder:
        spooled = spool_stream(sys.stdin.buffer, Path(folder))
        target = rejects or Path.cwd() / default_rejects_path(spooled).name
        _intake_file(office, spooled, target, ignore, format, dispatch=dispatch, force=force, shown_as="-")


def _intake_file(
    office: "Office",
    path: Path,
    rejects: Path | None,
    ignore: list[str],
    format: OutputFormat,
    *,
    dispatch: bool,
    force: bool,
    shown_as: str | None = None,
) -> None:
    from jiesu.cli.render.common import console, err_console, print_json, progress_bar
    from jiesu.services.importing import Rejected, import_file, worker_count

    errors = err_console()

    def report(item: Rejected) -> None:
        errors.print(f"row {item.row}: {item.reason}", markup=False, highlight=False, soft_wrap=True)

    with progress_bar(errors, "{task.percentage:>3.0f}%") as bar:
        task = bar.add_task(path.name, total=None)
        summary = import_file(
            office,
            path,
            rejects_path=rejects,
            ignore_columns=ignore,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
            on_reject=report,
            dispatch=dispatch,
            force=force,
            # a tuning knob for a machine shared with other work (README: batch intake)
            workers=worker_count(path, os.environ.get("JIESU_IMPORT_WORKERS")),
        )
    if format is OutputFormat.JSON:
        print_json(
            {
                "file": shown_as or str(path),
                "rows": summary.rows,
                "created": summary.created,
                "existing": summary.existing,
                "rejected": summary.rejected,
                "rejects_file": summary.rejects_path,
            }
        )
    else:
        lang = office.lang
        out = console()
        out.print(
            f"{t('rows', lang)} {summary.rows}: {t('created', lang)} {summary.created}, "
            f"{t('existing_short', lang)} {summary.existing}, {t('rejected', lang)} {summary.rejected}"
        )
        if summary.rejects_path:
            out.print(f"{t('rejects_file', lang)}: {summary.rejects_path}")
        if summary.rejects_removed:
            out.print(f"{t('rejects_file', lang)}: {summary.rejects_removed} ({t('rejects_all_taken', lang)})")
    if summary.rejected:
        raise typer.Exit(1)
