"""The report's records and JSON document: built below the CLI (services/report_document.py), since
a publication stores the same document; re-exported here for the renderers."""

from jiesu.services.report_document import (
    OVERVIEW_LINES,
    Record,
    class_records,
    overdue_records,
    overview_records,
    proactive_records,
    problem_records,
    ranking_record,
    ranking_records,
    report_json,
    table_records,
    topic_records,
    volume_records,
    zero_request_records,
)

__all__ = [
    "OVERVIEW_LINES",
    "Record",
    "class_records",
    "overdue_records",
    "overview_records",
    "proactive_records",
    "problem_records",
    "ranking_record",
    "ranking_records",
    "report_json",
    "table_records",
    "topic_records",
    "volume_records",
    "zero_request_records",
]
