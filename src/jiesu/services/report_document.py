"""The report as records: codes and numbers under the field names of `report --format json`.

Records are the same in both languages; the CLI's sheets (cli/render/sheets.py) word them for
people. The JSON document is built here from the Report alone, and a Report is read back from a
document (`report_from_document`): a published period is shown from what was published.
"""

from typing import Any

from jiesu.domain.assessment import UnitCounts, UnitScore
from jiesu.domain.periods import Period
from jiesu.services.governance import ProactiveRate
from jiesu.services.report import ClassScore, Overdue, Ranked, Report, Volume

Record = dict[str, Any]

OVERVIEW_LINES = ("taken_in", "answered", "referred", "guided", "dispatched", "merged", "urgent", "proactive")


def ranking_record(item: Ranked) -> Record:
    """One unit's line of the ranking: counts, rates (fractions 0..1), rank and changes."""
    score, counts = item.score, item.score.counts
    return {
        "unit": counts.unit,
        "unit_name": item.name,
        "class": score.unit_class,
        "assessed": counts.assessed,
        "contacted_in_time": counts.contacted_in_time,
        "resolved": counts.resolved,
        "satisfied": counts.satisfied,
        "basically_satisfied": counts.basically_satisfied,
        "repeats_after_close": counts.repeats_after_close,
        "response_rate": score.response_rate,
        "resolution_rate": score.resolution_rate,
        "satisfaction_rate": score.satisfaction_rate,
        "composite": score.composite,
        "rank": score.rank,
        "previous_rank": item.previous_rank,
        "rank_change": item.rank_change,
        "previous_composite": item.previous_composite,
        "composite_change": item.composite_change,
    }


def ranking_records(report: Report, unit_class: str | None = None) -> list[Record]:
    """The ranking, class by class, or only `unit_class`'s units."""
    return [ranking_record(r) for r in report.ranking if unit_class is None or r.score.unit_class == unit_class]


def class_records(report: Report, unit_class: str | None = None) -> list[Record]:
    """Each class's totals and rates, or only `unit_class`'s."""
    return [
        {
            "class": c.unit_class,
            "assessed": c.counts.assessed,
            "contacted_in_time": c.counts.contacted_in_time,
            "resolved": c.counts.resolved,
            "satisfied": c.counts.satisfied,
            "basically_satisfied": c.counts.basically_satisfied,
            "repeats_after_close": c.counts.repeats_after_close,
            "response_rate": c.response_rate,
            "resolution_rate": c.resolution_rate,
            "satisfaction_rate": c.satisfaction_rate,
            "composite": c.composite,
        }
        for c in report.by_class
        if unit_class is None or c.unit_class == unit_class
    ]


def volume_records(volumes: list[Volume]) -> list[Record]:
    """Tickets per value; `label` is the name the units give the value (a street's), else the value."""
    return [
        {
            "value": v.value,
            "label": v.label,
            "count": v.count,
            "share": v.share,
            "previous": v.previous,
            "growth": v.growth,
        }
        for v in volumes
    ]


def overview_records(report: Report) -> list[Record]:
    """The intake overview as lines: this period, the previous one, the change."""
    now, before = report.overview, report.previous_overview
    return [
        {"value": key, "count": now[key], "previous": before[key], "change": now[key] - before[key]}
        for key in OVERVIEW_LINES
    ]


def overdue_records(report: Report) -> list[Record]:
    """Units' missed deadlines in the period."""
    return [
        {
            "unit_name": o.name,
            "unit": o.unit,
            "class": o.unit_class,
            "contact_overdue": o.contact_overdue,
            "finish_overdue": o.finish_overdue,
            "still_open": o.still_open,
        }
        for o in report.overdue
    ]


def topic_records(report: Report) -> list[Record]:
    """Categories that grew most over three periods, oldest period first."""
    return [
        {"category": t.category, "first": t.counts[0], "second": t.counts[1], "third": t.counts[2], "change": t.growth}
        for t in report.topics
    ]


def proactive_records(report: Report) -> list[Record]:
    """The proactive discovery rate (grid + patrol ÷ all tickets): the whole office ("*") first, then streets."""
    return [
        {
            "value": r.street,
            "label": r.name,
            "tickets": r.tickets,
            "proactive": r.proactive,
            "rate": r.rate,
            "previous_tickets": r.previous_tickets,
            "previous_proactive": r.previous_proactive,
            "previous_rate": r.previous_rate,
            "rate_change": r.change,
        }
        for r in report.proactive
    ]


def problem_records(report: Report) -> list[Record]:
    """Each named problem (每月一题) in the period: volume, change, callbacks' answers, top places."""
    return [
        {
            "name": p.name,
            "start": p.start or None,
            "followed": p.followed,
            "count": p.tickets,
            "previous": p.previous,
            "change": p.change,
            "called_back": p.called_back,
            "resolved": p.resolved,
            "resolved_share": p.resolved_share,
            "satisfied": p.satisfied,
            "basically_satisfied": p.basically,
            "satisfaction_rate": p.satisfaction_rate,
            "places": [
                {"street": q.street, "community": q.community, "name": q.name, "count": q.tickets} for q in p.places
            ],
        }
        for p in report.named_problems
    ]


def zero_request_records(report: Report) -> list[Record]:
    """The gazetteer's communities without a request in the period, longest streak first."""
    if report.zero_request is None:
        return []
    return [
        {
            "value": q.community,
            "label": q.name,
            "street": q.street,
            "street_name": q.street_name,
            "streak": q.streak,
            "since": q.since,
            "last_request": q.last_request.isoformat() if q.last_request else None,
            "whole_history": q.whole_history,
        }
        for q in report.zero_request.quiet
    ]


def table_records(report: Report, by: str, unit_class: str | None = None) -> list[Record]:
    """The records of one --by table."""
    if by == "proactive":
        return proactive_records(report)
    if by == "unit":
        return ranking_records(report, unit_class)
    if by == "class":
        return class_records(report, unit_class)
    volumes = {
        "district": report.districts,
        "street": report.streets,
        "category": report.categories,
        "kind": report.by_kind,
        "channel": report.by_channel,
    }
    return volume_records(volumes[by])


def report_json(report: Report, by: str | None = None, unit_class: str | None = None) -> Any:
    """`report --format json`: one table's records with `by`, else the whole report."""
    if by:
        return table_records(report, by, unit_class)

    def period(p: Period) -> Record:
        return {"name": p.name, "from": p.first.isoformat(), "to": p.last.isoformat()}

    document: Record = {
        "period": period(report.period),
        "previous": period(report.previous),
        "overview": {
            "current": report.overview,
            "previous": report.previous_overview,
            "by_kind": volume_records(report.by_kind),
            "by_channel": volume_records(report.by_channel),
        },
        "ranking": ranking_records(report, unit_class),
        "by_class": class_records(report, unit_class),
        "categories": volume_records(report.categories),
        "streets": volume_records(report.streets),
        "districts": volume_records(report.districts),
        "overdue": overdue_records(report),
        "proactive": proactive_records(report),
    }
    if report.topic_periods:
        document["topics"] = topic_records(report)
        document["named_problems"] = problem_records(report)
    if report.zero_request is not None:
        document["zero_request"] = {
            "communities": report.zero_request.communities,
            "quiet": zero_request_records(report),
        }
    return document


def _period(record: Record) -> Period:
    from datetime import date

    return Period(record["name"], date.fromisoformat(record["from"]), date.fromisoformat(record["to"]))


def _counts(unit: str, record: Record) -> UnitCounts:
    return UnitCounts(
        unit,
        record["assessed"],
        record["contacted_in_time"],
        record["resolved"],
        record["satisfied"],
        record["basically_satisfied"],
        record.get("repeats_after_close", 0),
    )


def _volumes(records: list[Record]) -> list[Volume]:
    return [Volume(r["value"], r["label"], r["count"], r["share"], r["previous"]) for r in records]


def report_from_document(document: Record) -> Report:
    """The Report a whole `report_json` document was written from (a published period's)."""
    ranking = [
        Ranked(
            UnitScore(
                _counts(r["unit"], r),
                r["class"],
                r["response_rate"],
                r["resolution_rate"],
                r["satisfaction_rate"],
                r["composite"],
                r["rank"],
            ),
            r["unit_name"],
            r["previous_rank"],
            r["previous_composite"],
        )
        for r in document["ranking"]
    ]
    by_class = [
        ClassScore(
            c["class"],
            _counts(c["class"], c),
            c["response_rate"],
            c["resolution_rate"],
            c["satisfaction_rate"],
            c["composite"],
        )
        for c in document["by_class"]
    ]
    overview = document["overview"]
    return Report(
        period=_period(document["period"]),
        previous=_period(document["previous"]),
        overview=dict(overview["current"]),
        previous_overview=dict(overview["previous"]),
        by_kind=_volumes(overview["by_kind"]),
        by_channel=_volumes(overview["by_channel"]),
        ranking=ranking,
        by_class=by_class,
        categories=_volumes(document["categories"]),
        streets=_volumes(document["streets"]),
        districts=_volumes(document["districts"]),
        overdue=[
            Overdue(o["unit"], o["unit_name"], o["class"], o["contact_overdue"], o["finish_overdue"], o["still_open"])
            for o in document["overdue"]
        ],
        proactive=[
            ProactiveRate(
                p["value"], p["label"], p["tickets"], p["proactive"], p["previous_tickets"], p["previous_proactive"]
            )
            for p in document.get("proactive", [])
        ],
    )
