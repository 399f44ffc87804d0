"""The report as sheets for people: a key (for --by), a title, columns, and rows of records.

Every format for people (table, Markdown, XLSX, CSV) renders the same sheets, so all show the same
numbers. Rows are the records of render/report_data.py; only the kind and channel names are worded
here. `heading`, `shown` and `cell` say how a column is labelled and a value written.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from jiesu.cli.labels import LABELS, t
from jiesu.cli.render.report_data import (
    OVERVIEW_LINES,
    Record,
    class_records,
    overdue_records,
    overview_records,
    proactive_records,
    problem_records,
    ranking_records,
    topic_records,
    volume_records,
    zero_request_records,
)
from jiesu.domain.enums import Channel, Kind, label
from jiesu.services.report import TOP_CATEGORIES, Report, Volume

PERCENT = {
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "share",
    "growth",
    "rate",
    "previous_rate",
    "rate_change",
    "resolved_share",
}
SCORE = {"composite", "composite_change"}
# left-aligned; the others are numbers
TEXT = {
    *("value", "label", "unit", "unit_name", "class", "category"),
    *("name", "top_places", "community", "street_name", "since"),
}
# Columns labelled by a key the other commands share; every other column `c` by "report_c".
SHARED_LABELS = {"category": "category", "class": "unit_class"}

OVERVIEW_COLUMNS = ["value", "count", "previous", "change"]
VOLUME_COLUMNS = ["value", "label", "count", "share", "previous", "growth"]
RANKING_COLUMNS = [
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
    "repeats_after_close",  # 重复诉求: resolved tickets raised again soon after closing
]
CLASS_COLUMNS = ["class", "assessed", "response_rate", "resolution_rate", "satisfaction_rate", "composite"]
OVERDUE_COLUMNS = ["unit_name", "unit", "class", "contact_overdue", "finish_overdue", "still_open"]
TOPIC_COLUMNS = ["category", "first", "second", "third", "change"]
PROACTIVE_COLUMNS = ["value", "label", "tickets", "proactive", "rate", "previous_rate", "rate_change"]
PROBLEM_COLUMNS = ["name", "count", "previous", "change", "called_back", "resolved_share", "satisfaction_rate"]
ZERO_COLUMNS = ["community", "label", "street_name", "streak", "since"]


@dataclass
class Sheet:
    """One table of the report: its key (for --by), title, columns and rows of plain values."""

    key: str
    title: str
    columns: list[str]
    rows: list[Record]


def report_sheets(report: Report, lang: str, unit_class: str | None = None) -> list[Sheet]:
    """The report as sheets, in the order people read it; the ranking one sheet per class."""
    ranking = ranking_records(report, unit_class)
    sheets = [
        Sheet("overview", t("report_sheet_overview", lang), OVERVIEW_COLUMNS, overview_records(report)),
        Sheet("kind", t("report_sheet_kind", lang), VOLUME_COLUMNS, _named(report.by_kind, Kind, lang)),
        Sheet("channel", t("report_sheet_channel", lang), VOLUME_COLUMNS, _named(report.by_channel, Channel, lang)),
    ]
    for each in dict.fromkeys(r["class"] for r in ranking):
        title = f"{t('report_sheet_ranking', lang)} — {class_name(each, lang)}"
        sheets.append(Sheet("unit", title, RANKING_COLUMNS, [r for r in ranking if r["class"] == each]))
    sheets += [
        Sheet("class", t("report_sheet_class", lang), CLASS_COLUMNS, class_records(report, unit_class)),
        Sheet(
            "category",
            t("report_sheet_category", lang).format(n=TOP_CATEGORIES),
            VOLUME_COLUMNS,
            volume_records(report.categories),
        ),
        Sheet("street", t("report_sheet_street", lang), VOLUME_COLUMNS, volume_records(report.streets)),
        Sheet("district", t("report_sheet_district", lang), VOLUME_COLUMNS, volume_records(report.districts)),
        Sheet("overdue", t("report_sheet_overdue", lang), OVERDUE_COLUMNS, overdue_records(report)),
        Sheet("proactive", t("report_sheet_proactive", lang), PROACTIVE_COLUMNS, _proactive_rows(report, lang)),
    ]
    if report.topic_periods:
        sheets.append(problems_sheet(report, lang))
        names = " → ".join(p.name for p in report.topic_periods)
        sheets.append(
            Sheet("topics", f"{t('report_sheet_topics', lang)} ({names})", TOPIC_COLUMNS, topic_records(report))
        )
    if report.zero_request is not None:
        title = t("report_sheet_zero_request", lang).format(
            n=len(report.zero_request.quiet), of=report.zero_request.communities
        )
        rows = [r | {"community": r["value"]} for r in zero_request_records(report)]
        sheets.append(Sheet("zero_request", title, ZERO_COLUMNS, rows))
    return sheets


def _proactive_rows(report: Report, lang: str) -> list[Record]:
    """The proactive lines, the whole office's and the unlocated tickets' named in `lang`."""
    rows = proactive_records(report)
    for row in rows:
        if row["value"] in ("*", None):
            row["label"] = t("report_overall" if row["value"] else "none", lang)
    return rows


def problems_sheet(report: Report, lang: str) -> Sheet:
    """The named problems (每月一题), one line each, with their top places as one text column."""
    rows = []
    for record in problem_records(report):
        places = t("list_separator", lang).join(f"{p['name']} {p['count']}" for p in record["places"])
        name = record["name"]
        if not record["followed"]:  # not followed yet in this period: say from when
            name = f"{name} ({t('report_from', lang)} {record['start']})"
        rows.append(record | {"name": name, "top_places": places})
    return Sheet("problems", t("report_sheet_problems", lang), [*PROBLEM_COLUMNS, "top_places"], rows)


def _named(volumes: list[Volume], codes: type[StrEnum], lang: str) -> list[Record]:
    """Kind or channel lines labelled with the code's name in `lang`."""
    return [r | {"label": label(codes(r["value"]), lang)} for r in volume_records(volumes)]


def class_name(code: str, lang: str) -> str:
    """A unit class as people read it (the code itself in English)."""
    key = f"report_class_{code}"
    return t(key, lang) if key in LABELS else code


def heading(column: str, lang: str) -> str:
    """A column's heading."""
    return t(SHARED_LABELS.get(column, f"report_{column}"), lang)


def shown(column: str, value: Any, lang: str, sheet: str = "") -> Any:
    """A value as people read it: unit classes and overview lines worded, tickets with no category
    未分类 (no street, district, …: 未填写), the rest as they are."""
    if column == "class" and value is not None:
        return class_name(value, lang)
    if column == "value" and value == "*":
        return t("report_overall", lang)
    if column == "value" and value is None:
        return t("uncategorised" if sheet == "category" else "not_given", lang)
    if column == "value" and lang == "zh":
        return t(f"report_{value}", lang) if value in OVERVIEW_LINES else value
    return value


def cell(column: str, value: Any) -> str:
    """A shown value as text: rates as percentages, scores ×100, changes signed."""
    if value is None:
        return ""
    if column in PERCENT:
        return f"{value * 100:+.2f}%" if column.endswith("change") else f"{value * 100:.2f}%"
    if column in SCORE:
        return f"{value * 100:+.2f}" if column.endswith("change") else f"{value * 100:.2f}"
    if column in ("rank_change", "change") and isinstance(value, int):
        return f"{value:+d}"
    return str(value)
