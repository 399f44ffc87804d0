"""`jiesu report` and `jiesu hotspots`: tables for people, and JSON/CSV/Markdown/XLSX for scripts.

The report is first turned into sheets (a title, columns, rows of plain values); each output format
renders sheets, so every format shows the same numbers.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from jiesu.cli.common import office
from jiesu.cli.options import SINGLE, OutputFormat, format_option

app = typer.Typer()

FORMATS = (OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.CSV, OutputFormat.MARKDOWN, OutputFormat.XLSX)
BY = ("unit", "class", "district", "street", "category", "kind", "channel")

L = {  # column labels: (zh, en)
    "rank": ("排名", "Rank"),
    "unit": ("单位代码", "Unit"),
    "unit_name": ("单位", "Unit name"),
    "class": ("类别", "Class"),
    "assessed": ("考核件数", "Assessed"),
    "contacted_in_time": ("及时联系", "Contacted in time"),
    "resolved": ("已解决", "Resolved"),
    "satisfied": ("满意", "Satisfied"),
    "basically_satisfied": ("基本满意", "Basically"),
    "response_rate": ("响应率", "Response"),
    "resolution_rate": ("解决率", "Resolution"),
    "satisfaction_rate": ("满意率", "Satisfaction"),
    "composite": ("综合得分", "Composite"),
    "rank_change": ("排名变化", "Rank change"),
    "composite_change": ("得分变化", "Composite change"),
    "value": ("项目", "Item"),
    "label": ("名称", "Name"),
    "count": ("本期", "This period"),
    "share": ("占比", "Share"),
    "previous": ("上期", "Previous"),
    "growth": ("增长", "Growth"),
    "change": ("变化", "Change"),
    "contact_overdue": ("联系超时", "Contact late"),
    "finish_overdue": ("办结超时", "Finish late"),
    "still_open": ("超时未办结", "Late, still open"),
    "category": ("分类", "Category"),
    "first": ("前两期", "Two before"),
    "second": ("前一期", "One before"),
    "third": ("本期", "This period"),
}
PERCENT = {"response_rate", "resolution_rate", "satisfaction_rate", "share", "growth"}
SCORE = {"composite", "composite_change"}
CLASS_ZH = {
    "street": "街乡镇",
    "community": "社区村",
    "district_dept": "区级部门",
    "city_dept": "市级部门",
    "enterprise": "公共服务企业",
    "unknown": "未知",
}


@dataclass
class Sheet:
    """One table of the report: its key (for --by), title, columns and rows of plain values."""

    key: str
    title: str
    columns: list[str]
    rows: list[dict[str, Any]]


def _ranking_rows(report: Any, unit_class: str | None) -> list[dict[str, Any]]:
    rows = []
    for item in report.ranking:
        score = item.score
        if unit_class and score.unit_class != unit_class:
            continue
        c = score.counts
        rows.append(
            {
                "unit": c.unit,
                "unit_name": item.name,
                "class": score.unit_class,
                "assessed": c.assessed,
                "contacted_in_time": c.contacted_in_time,
                "resolved": c.resolved,
                "satisfied": c.satisfied,
                "basically_satisfied": c.basically_satisfied,
                "response_rate": score.response_rate,
                "resolution_rate": score.resolution_rate,
                "satisfaction_rate": score.satisfaction_rate,
                "composite": score.composite,
                "rank": score.rank,
                "previous_rank": item.previous_rank,
                "rank_change": None if item.previous_rank is None else item.previous_rank - score.rank,
                "previous_composite": item.previous_composite,
                "composite_change": None
                if item.previous_composite is None
                else score.composite - item.previous_composite,
            }
        )
    return rows


def _class_rows(ranking: list[dict[str, Any]], policy: Any) -> list[dict[str, Any]]:
    from jiesu.domain.assessment import UnitCounts, rates

    totals: dict[str, list[int]] = {}
    for row in ranking:
        acc = totals.setdefault(row["class"], [0, 0, 0, 0, 0])
        for i, key in enumerate(("assessed", "contacted_in_time", "resolved", "satisfied", "basically_satisfied")):
            acc[i] += row[key]
    rows = []
    for unit_class, acc in totals.items():
        response, resolution, satisfaction, composite = rates(UnitCounts(unit_class, *acc), policy)
        rows.append(
            {
                "class": unit_class,
                "assessed": acc[0],
                "contacted_in_time": acc[1],
                "resolved": acc[2],
                "satisfied": acc[3],
                "basically_satisfied": acc[4],
                "response_rate": response,
                "resolution_rate": resolution,
                "satisfaction_rate": satisfaction,
                "composite": composite,
            }
        )
    return rows


def _volume_rows(volumes: list[Any], label_of: Any = None) -> list[dict[str, Any]]:
    return [
        {
            "value": v.value,
            "label": label_of(v.value) if label_of else v.label,
            "count": v.count,
            "share": v.share,
            "previous": v.previous,
            "growth": v.growth,
        }
        for v in volumes
    ]


def report_sheets(report: Any, rules: Any, lang: str, unit_class: str | None) -> list[Sheet]:
    """The report as sheets, in the order people read it."""
    from jiesu.domain.enums import Channel, Kind, label

    zh = lang == "zh"
    ranking = _ranking_rows(report, unit_class)
    overview = [
        {
            "value": key,
            "count": report.overview[key],
            "previous": report.previous_overview[key],
            "change": report.overview[key] - report.previous_overview[key],
        }
        for key in ("taken_in", "answered", "referred", "dispatched", "merged", "urgent")
    ]
    ranking_columns = [
        "rank",
        "unit_name",
        "unit",
        "assessed",
        "response_rate",
        "resolution_rate",
        "satisfaction_rate",
        "composite",
        "rank_change",
        "composite_change",
    ]
    sheets = [
        Sheet("overview", "受理概况" if zh else "Intake overview", ["value", "count", "previous", "change"], overview),
        Sheet(
            "kind",
            "按诉求类型" if zh else "By kind",
            ["value", "label", "count", "share", "previous", "growth"],
            _volume_rows(report.by_kind, lambda v: label(Kind(v), lang)),
        ),
        Sheet(
            "channel",
            "按渠道" if zh else "By channel",
            ["value", "label", "count", "share", "previous", "growth"],
            _volume_rows(report.by_channel, lambda v: label(Channel(v), lang)),
        ),
    ]
    for unit_class in dict.fromkeys(r["class"] for r in ranking):
        name = CLASS_ZH.get(unit_class, unit_class) if zh else unit_class
        sheets.append(
            Sheet(
                "unit",
                f"{'考评排名' if zh else 'Ranking'} — {name}",
                ranking_columns,
                [r for r in ranking if r["class"] == unit_class],
            )
        )
    volume_columns = ["value", "label", "count", "share", "previous", "growth"]
    sheets += [
        Sheet(
            "class",
            "按单位类别" if zh else "By class",
            ["class", "assessed", "response_rate", "resolution_rate", "satisfaction_rate", "composite"],
            _class_rows(ranking, rules.assessment),
        ),
        Sheet(
            "category",
            f"{'分类前' if zh else 'Top'} 15 {'' if zh else 'categories'}",
            volume_columns,
            _volume_rows(report.categories),
        ),
        Sheet("street", "按街乡镇" if zh else "By street", volume_columns, _volume_rows(report.streets)),
        Sheet("district", "按区" if zh else "By district", volume_columns, _volume_rows(report.districts)),
        Sheet(
            "overdue",
            "超时情况" if zh else "Overdue",
            ["unit_name", "unit", "class", "contact_overdue", "finish_overdue", "still_open"],
            [
                {
                    "unit_name": o.name,
                    "unit": o.unit,
                    "class": o.unit_class,
                    "contact_overdue": o.contact_overdue,
                    "finish_overdue": o.finish_overdue,
                    "still_open": o.still_open,
                }
                for o in report.overdue
            ],
        ),
    ]
    if report.topic_periods:
        names = [p.name for p in report.topic_periods]
        sheets.append(
            Sheet(
                "topics",
                f"{'每月一题候选' if zh else 'Monthly topic candidates'} ({' → '.join(names)})",
                ["category", "first", "second", "third", "change"],
                [
                    {
                        "category": t.category,
                        "first": t.counts[0],
                        "second": t.counts[1],
                        "third": t.counts[2],
                        "change": t.growth,
                    }
                    for t in report.topics
                ],
            )
        )
    return sheets


def _cell(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key in PERCENT:
        return f"{value * 100:.2f}%"
    if key in SCORE:
        return f"{value * 100:+.2f}" if key.endswith("change") else f"{value * 100:.2f}"
    if key in ("rank_change", "change") and isinstance(value, int):
        return f"{value:+d}"
    if key == "class":
        return str(value)
    return str(value)


def _heading(key: str, lang: str) -> str:
    zh, en = L.get(key, (key, key))
    return zh if lang == "zh" else en


def render_tables(sheets: list[Sheet], lang: str, header: str) -> None:
    from rich.table import Table

    from jiesu.cli.output import add_plain_row, console

    out = console()
    out.print(header, markup=False, highlight=False)
    narrow = out.width < 120  # leave out what the other columns already say
    for sheet in sheets:
        table = Table(title=sheet.title, title_justify="left")
        columns = [k for k in sheet.columns if not (narrow and k in ("unit", "value") and len(sheet.columns) > 6)]
        if narrow and all(row.get("rank_change") is None for row in sheet.rows):
            columns = [k for k in columns if k not in ("rank_change", "composite_change")]
        for key in columns:
            numeric = key not in ("value", "label", "unit", "unit_name", "class", "category")
            table.add_column(_heading(key, lang), justify="right" if numeric else "left", overflow="fold")
        for row in sheet.rows:
            add_plain_row(table, *(_cell(k, _shown(k, row[k], lang)) for k in columns))
        out.print(table)


def _shown(key: str, value: Any, lang: str) -> Any:
    if key == "class" and lang == "zh":
        return CLASS_ZH.get(value, value)
    if key == "value" and lang == "zh":
        from jiesu.cli.labels import t

        words = {
            "taken_in": "受理",
            "answered": "直接答复",
            "referred": "引导法定途径",
            "dispatched": "派单",
            "merged": "合并",
            "urgent": "紧急",
        }
        return words.get(value, value if value is not None else t("none", lang))
    return value


def render_markdown(sheets: list[Sheet], lang: str, header: str) -> str:
    lines = [f"# {header}", ""]
    for sheet in sheets:
        lines += [
            f"## {sheet.title}",
            "",
            "| " + " | ".join(_heading(k, lang) for k in sheet.columns) + " |",
            "|"
            + "|".join(
                "---:" if k not in ("value", "label", "unit", "unit_name", "class", "category") else "---"
                for k in sheet.columns
            )
            + "|",
        ]
        for row in sheet.rows:
            cells = [_cell(k, _shown(k, row[k], lang)).replace("|", "\\|") for k in sheet.columns]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def write_xlsx(sheets: list[Sheet], lang: str, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for sheet in sheets:
        title = sheet.title.replace("/", "-").replace("—", "-")[:31]
        while title in used:
            title = title[:28] + f"~{len(used)}"
        used.add(title)
        ws = book.create_sheet(title)
        ws.append([_heading(k, lang) for k in sheet.columns])
        for row in sheet.rows:
            ws.append([_shown(k, row[k], lang) for k in sheet.columns])
        for column, key in enumerate(sheet.columns, start=1):
            if key in PERCENT or key in SCORE:
                for cells in ws.iter_rows(min_row=2, min_col=column, max_col=column):
                    cells[0].number_format = "0.00%" if key in PERCENT else "0.0000"
    try:
        book.save(path)
    except OSError as exc:
        from jiesu.errors import UsageError

        raise UsageError("out", f"cannot write {path}: {exc.strerror or exc}") from exc


def _report_json(report: Any, sheets: list[Sheet], by: str | None) -> Any:
    if by:
        return [row for sheet in sheets if sheet.key == by for row in sheet.rows]
    by_key: dict[str, list[dict[str, Any]]] = {}
    for sheet in sheets:
        by_key.setdefault(sheet.key, []).extend(sheet.rows)
    period = report.period
    return {
        "period": {"name": period.name, "from": period.first.isoformat(), "to": period.last.isoformat()},
        "previous": {
            "name": report.previous.name,
            "from": report.previous.first.isoformat(),
            "to": report.previous.last.isoformat(),
        },
        "overview": {
            "current": report.overview,
            "previous": report.previous_overview,
            "by_kind": by_key.get("kind", []),
            "by_channel": by_key.get("channel", []),
        },
        "ranking": by_key.get("unit", []),
        "by_class": by_key.get("class", []),
        "categories": by_key.get("category", []),
        "streets": by_key.get("street", []),
        "districts": by_key.get("district", []),
        "overdue": by_key.get("overdue", []),
        **({"topics": by_key["topics"]} if "topics" in by_key else {}),
    }


def _emit(text: str, out: Path | None) -> None:
    import sys

    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        from jiesu.errors import UsageError

        raise UsageError("out", f"cannot write {out}: {exc.strerror or exc}") from exc


@app.command()
def report(
    ctx: typer.Context,
    month: Annotated[str | None, typer.Option(help="The assessment month, YYYY-MM.")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="First day of a custom period.")] = None,
    to: Annotated[str | None, typer.Option(help="Last day of a custom period (included).")] = None,
    by: Annotated[str | None, typer.Option(help="Only one table: " + "|".join(BY) + ".")] = None,
    unit_class: Annotated[str | None, typer.Option("--class", help="Only units of this class in the ranking.")] = None,
    topics: Annotated[
        bool, typer.Option("--topics", help="Add the categories that grew most over three months.")
    ] = False,
    format: Annotated[OutputFormat, format_option(*FORMATS)] = OutputFormat.TABLE,
    out: Annotated[Path | None, typer.Option(help="Write to this file (required for xlsx).")] = None,
) -> None:
    """考评: the month's ranking per class, intake overview, volumes by category and street, overdue."""
    import csv
    import io
    import json

    from jiesu.domain.catalogue import UnitClass
    from jiesu.domain.times import parse_date
    from jiesu.errors import UsageError
    from jiesu.services.report import build_report, choose_period

    if by is not None and by not in BY:
        raise UsageError("by", f"unknown table {by!r}; use {', '.join(BY)}")
    if unit_class is not None and unit_class not in {c.value for c in UnitClass}:
        raise UsageError("class", f"unknown class {unit_class!r}; use {', '.join(c.value for c in UnitClass)}")
    if format == "xlsx" and out is None:
        raise UsageError("out", "an xlsx report needs --out FILE.xlsx")
    where = office(ctx)
    period = choose_period(
        where,
        month=month,
        first=parse_date(from_, "from") if from_ else None,
        last=parse_date(to, "to") if to else None,
    )
    result = build_report(where, period, topics=topics)
    lang = where.lang
    sheets = report_sheets(result, where.rules, lang, unit_class)
    chosen = [s for s in sheets if s.key == by] if by else sheets
    header = f"{where.rules.office_name} {period.name} ({period.first} – {period.last})"
    if format == "json":
        _emit(json.dumps(_report_json(result, sheets, by), ensure_ascii=False, indent=2), out)
    elif format == "csv":
        key = by or "unit"
        rows = [r for s in sheets if s.key == key for r in s.rows]
        columns = next((s.columns for s in sheets if s.key == key), [])
        if key == "unit" and rows:
            columns = list(rows[0].keys())
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        _emit(buffer.getvalue(), out)
    elif format == "markdown":
        _emit(render_markdown(chosen, lang, header), out)
    elif format == "xlsx":
        assert out is not None
        write_xlsx(chosen, lang, out)
    else:
        render_tables(chosen, lang, header)


@app.command()
def hotspots(
    ctx: typer.Context,
    days: Annotated[int | None, typer.Option(help="The window (default: assessment.hotspot_days, 7).")] = None,
    min_count: Annotated[int | None, typer.Option("--min", help="At least this many tickets (default: 5).")] = None,
    format: Annotated[OutputFormat, format_option(*SINGLE)] = OutputFormat.TABLE,
) -> None:
    """高频事件、高频点位: categories and places well above their own recent baseline, newest first."""
    import json

    from rich.table import Table

    from jiesu.cli.output import add_plain_row, console
    from jiesu.domain.times import iso, short
    from jiesu.services.report import find_hotspots

    where = office(ctx)
    found = find_hotspots(where, days=days, minimum=min_count)
    tz = where.rules.timezone
    if format == "json":
        _emit(
            json.dumps(
                [
                    {
                        "dimension": h.dimension,
                        "value": h.value,
                        "label": h.label,
                        "count": h.count,
                        "baseline": h.baseline,
                        "p_value": h.p_value,
                        "latest": iso(h.latest, tz),
                        "numbers": h.numbers,
                    }
                    for h in found
                ],
                ensure_ascii=False,
                indent=2,
            ),
            None,
        )
        return
    zh = where.lang == "zh"
    table = Table(title="高频事件与点位" if zh else "Hot spots", title_justify="left")
    for heading in (
        ("维度", "Dimension"),
        ("名称", "Value"),
        ("窗口内", "In window"),
        ("基线均值", "Baseline"),
        ("最近", "Latest"),
        ("工单", "Tickets"),
    ):
        table.add_column(heading[0] if zh else heading[1], overflow="fold")
    dims = {"category": "分类", "street": "街乡镇", "community": "社区村", "address": "地址"}
    for h in found:
        add_plain_row(
            table,
            dims[h.dimension] if zh else h.dimension,
            h.label,
            str(h.count),
            f"{h.baseline:.1f}",
            short(h.latest, tz),
            " ".join(h.numbers[:10]) + (" …" if len(h.numbers) > 10 else ""),
        )
    console().print(table)
