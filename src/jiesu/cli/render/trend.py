"""The intake trend of the last periods: records for scripts, bars and a sparkline for the terminal."""

from typing import TYPE_CHECKING, Any

from jiesu.cli.labels import t

if TYPE_CHECKING:
    from jiesu.services.report import TrendPoint

SPARKS = "▁▂▃▄▅▆▇█"
BAR_WIDTH = 40


def trend_records(points: "list[TrendPoint]") -> list[dict[str, Any]]:
    """The trend as `report --trend --format json` writes it, oldest period first."""
    return [
        {
            "period": p.period.name,
            "first": p.period.first.isoformat(),
            "last": p.period.last.isoformat(),
            "taken_in": p.taken_in,
            "dispatched": p.dispatched,
            "answered": p.answered,
        }
        for p in points
    ]


def sparkline(values: list[int]) -> str:
    """One block character per value, the tallest for the largest; ▁ only for nothing at all, so a
    small count still shows."""
    top = max(values, default=0)
    if top <= 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[max(1, round(v / top * (len(SPARKS) - 1)))] if v > 0 else SPARKS[0] for v in values)


def bar(value: int, top: int, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of `value` against `top` in `width` cells, with eighth-cell precision."""
    if top <= 0 or value <= 0:
        return ""
    eighths = round(value / top * width * 8)
    full, part = divmod(max(eighths, 1), 8)
    return "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")


def render_trend(points: "list[TrendPoint]", lang: str, office: str) -> None:
    """The trend on stdout: a sparkline, then a bar per period with its counts."""
    from rich.table import Table

    from jiesu.cli.render.common import add_plain_row, console

    out = console()
    taken = [p.taken_in for p in points]
    first, last = points[0].period.name, points[-1].period.name
    out.print(f"{office} {t('report_sheet_trend', lang)} {first} – {last}", markup=False, highlight=False)
    out.print(f"{t('report_taken_in', lang)}  {sparkline(taken)}", markup=False, highlight=False)
    table = Table(box=None, show_edge=False, pad_edge=False)
    for key in ("report_period", "report_taken_in", "report_dispatched", "report_answered"):
        table.add_column(t(key, lang), justify="left" if key == "report_period" else "right", no_wrap=True)
    table.add_column("", no_wrap=True)
    top = max(taken, default=0)
    for p in points:
        add_plain_row(table, p.period.name, str(p.taken_in), str(p.dispatched), str(p.answered), bar(p.taken_in, top))
    out.print(table)
