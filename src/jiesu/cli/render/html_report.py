"""`report --format html`: the month's report as one self-contained page a leader reads or prints.

No network, no JavaScript: styles inline, charts inline SVG (render/svg.py), Chinese typography from
the system's CJK fonts, A4 print rules. The figures are the sheets' (render/sheets.py), so the page,
the workbook and the tables agree.
"""

from datetime import tzinfo
from html import escape
from typing import TYPE_CHECKING, Any

from jiesu.cli.labels import t
from jiesu.cli.render.report_data import overdue_records, overview_records, ranking_records, volume_records
from jiesu.cli.render.sheets import cell, class_name, heading, shown
from jiesu.cli.render.svg import column_chart, hbar_chart
from jiesu.domain.times import short

if TYPE_CHECKING:
    from jiesu.cli.render.report_formats import WorkbookTitle
    from jiesu.services.report import Hotspot, Report, TrendPoint

FONTS = (
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", '
    '"WenQuanYi Micro Hei", "Droid Sans Fallback", sans-serif'
)
STYLE = """
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: FONTS; color: #1f2328; margin: 0 auto; max-width: 190mm; padding: 8mm 4mm;
  line-height: 1.6; font-size: 10.5pt; text-align: justify; }
h1 { font-size: 18pt; margin: 0 0 2pt; letter-spacing: 0.05em; }
h2 { font-size: 13pt; border-left: 4pt solid #b42318; padding-left: 6pt; margin: 16pt 0 6pt; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; }
.meta { color: #57606a; margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 0.5pt solid #d0d7de; padding: 2pt 5pt; text-align: right; white-space: nowrap; }
th { background: #f6f8fa; font-weight: 600; }
td.text, th.text { text-align: left; white-space: normal; }
.up { color: #b42318; } .down { color: #1a7f37; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 4pt 0; }
svg .bar { fill: #b42318; } svg .axis { stroke: #8c959f; stroke-width: 1; }
svg text { font-family: FONTS; font-size: 11px; fill: #1f2328; }
section { break-inside: avoid-page; page-break-inside: avoid; }
section.long { break-inside: auto; page-break-inside: auto; }
.empty { color: #57606a; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
""".replace("FONTS", FONTS)


def render_html(
    report: "Report",
    trend: "list[TrendPoint]",
    hotspots: "list[Hotspot]",
    lang: str,
    title: "WorkbookTitle",
    unit_class: str | None,
    tz: tzinfo,
) -> str:
    """The whole page: overview, trend, rankings per class, categories, hot spots, overdue."""
    sections = [
        _overview(report, lang),
        _trend(trend, lang),
        _rankings(report, lang, unit_class),
        _categories(report, lang),
        _hotspots(hotspots, lang, tz),
        _overdue(report, lang),
    ]
    lines = title.lines(lang)
    meta = "".join(f'<p class="meta">{escape(line)}</p>' for line in lines[1:])
    heading_text = f"{lines[0]} {t('report_heading', lang)}"
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(heading_text)} {escape(report.period.name)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<header><h1>{escape(heading_text)}</h1>{meta}</header>\n"
        + "\n".join(sections)
        + "\n</body>\n</html>\n"
    )


def _table(
    columns: list[str], rows: list[list[Any]], lang: str, text: set[str], labels: list[str] | None = None
) -> str:
    head = "".join(
        f'<th class="{"text" if c in text else "num"}">{escape(label)}</th>'
        for c, label in zip(columns, labels or [heading(c, lang) for c in columns], strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(f'<td class="{"text" if c in text else "num"}">{v}</td>' for c, v in zip(columns, row, strict=True))
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _section(key: str, title: str, body: str, long: bool = False) -> str:
    css = ' class="long"' if long else ""
    return f'<section id="{key}"{css}><h2>{escape(title)}</h2>{body}</section>'


def _change(value: int, previous: int) -> str:
    """+12 (+8.5%) in red for a rise, green for a fall (more tickets is the worse news)."""
    if value == previous:
        return "0"
    css = "up" if value > previous else "down"
    share = f" ({(value - previous) / previous * 100:+.1f}%)" if previous else ""
    return f'<span class="{css}">{"▲" if value > previous else "▼"} {value - previous:+d}{share}</span>'


def _overview(report: "Report", lang: str) -> str:
    rows = [
        [escape(str(shown("value", r["value"], lang))), r["count"], r["previous"], _change(r["count"], r["previous"])]
        for r in overview_records(report)
    ]
    columns = ["value", "count", "previous", "change"]
    note = f'<p class="meta">{escape(t("report_previous", lang))}: {escape(report.previous.name)}</p>'
    return _section("overview", t("report_sheet_overview", lang), note + _table(columns, rows, lang, {"value"}))


def _trend(points: "list[TrendPoint]", lang: str) -> str:
    chart = column_chart([(p.period.name[2:], p.taken_in) for p in points], title=t("report_sheet_trend", lang))
    rows = [[escape(p.period.name), p.taken_in, p.dispatched, p.answered] for p in points]
    labels = [t(k, lang) for k in ("report_period", "report_taken_in", "report_dispatched", "report_answered")]
    table = _table(["period", "taken_in", "dispatched", "answered"], rows, lang, {"period"}, labels)
    return _section("trend", t("report_sheet_trend", lang), chart + table)


RANKING_SHOWN = ["rank", "unit_name", "assessed", "response_rate", "resolution_rate", "satisfaction_rate", "composite"]


def _rankings(report: "Report", lang: str, unit_class: str | None) -> str:
    records = ranking_records(report, unit_class)
    parts = []
    for each in dict.fromkeys(r["class"] for r in records):
        mine = [r for r in records if r["class"] == each]
        chart = hbar_chart(
            [(r["unit_name"], round(r["composite"] * 100, 2)) for r in mine],
            top=100,
            fmt="{:.2f}",
            title=f"{t('report_composite', lang)} — {class_name(each, lang)}",
        )
        rows = [[escape(cell(c, r[c])) for c in RANKING_SHOWN] for r in mine]
        parts.append(
            f'<div class="class" data-class="{escape(each)}"><h3>{escape(class_name(each, lang))}</h3>'
            + chart
            + _table(RANKING_SHOWN, rows, lang, {"unit_name"})
            + "</div>"
        )
    body = "".join(parts) or f'<p class="empty">{escape(t("none_assessed", lang))}</p>'
    return _section("ranking", t("report_sheet_ranking", lang), body, long=True)


def _categories(report: "Report", lang: str) -> str:
    records = volume_records(report.categories)
    items = [(str(shown("value", r["value"], lang, "category")), r["count"]) for r in records]
    title = t("report_sheet_category", lang).format(n=len(records))
    body = hbar_chart(items, title=title) if items else f'<p class="empty">{escape(t("none_found_short", lang))}</p>'
    return _section("categories", title, body)


def _hotspots(found: "list[Hotspot]", lang: str, tz: tzinfo) -> str:
    columns = ["dimension", "label", "count", "baseline", "latest"]
    labels = [t(k, lang) for k in ("hotspot_dimension", "hotspot_value", "hotspot_count", "hotspot_baseline")]
    labels.append(t("hotspot_latest", lang))
    rows = [
        [
            escape(t(f"hotspot_dim_{h.dimension}", lang)),
            escape(h.label),
            h.count,
            f"{h.baseline:.1f}",
            short(h.latest, tz),
        ]
        for h in found
    ]
    body = _table(columns, rows, lang, {"dimension", "label"}, labels) if rows else _empty(lang)
    return _section("hotspots", t("hotspot_title", lang), body)


def _overdue(report: "Report", lang: str) -> str:
    columns = ["unit_name", "class", "contact_overdue", "finish_overdue", "still_open"]
    rows = [[escape(str(shown(c, r[c], lang))) for c in columns] for r in overdue_records(report)]
    body = _table(columns, rows, lang, {"unit_name", "class"}) if rows else _empty(lang)
    return _section("overdue", t("report_sheet_overdue", lang), body, long=True)


def _empty(lang: str) -> str:
    return f'<p class="empty">{escape(t("none_found_short", lang))}</p>'
