"""`jiesu topics`: the named problems (每月一题) of the rules file followed period by period."""

from typing import Annotated

import typer

from jiesu.cli.common import open_office
from jiesu.cli.labels import t
from jiesu.cli.options import SINGLE, OutputFormat, format_option

app = typer.Typer()


@app.command()
def topics(
    ctx: typer.Context,
    month: Annotated[
        str | None, typer.Option(help="The last period shown, YYYY-MM (default: the current one).")
    ] = None,
    periods: Annotated[int, typer.Option(help="How many periods to show (2 to 60).")] = 12,
    format: Annotated[OutputFormat, format_option(*SINGLE)] = OutputFormat.TABLE,
) -> None:
    """每月一题: each named problem (\\[\\[topics]]) over its last periods, and candidates for next month."""
    from jiesu.cli.render.common import console, print_json
    from jiesu.cli.render.topics import topics_record, topics_tables
    from jiesu.services.topics import follow_topics

    office = open_office(ctx)
    view = follow_topics(office, month=month, periods=periods)
    if format is OutputFormat.JSON:
        print_json(topics_record(view))
        return
    out = console()
    if not view.problems:
        out.print(t("topics_none", office.lang), markup=False, highlight=False)
    for table in topics_tables(view, office.lang):
        out.print(table)
