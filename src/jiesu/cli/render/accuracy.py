"""`jiesu rules accuracy`: routing accuracy per rule as records for scripts and a table for people."""

from typing import Any

from rich.table import Table

from jiesu.cli.labels import t
from jiesu.cli.render.common import add_plain_row
from jiesu.services.report import RuleAccuracy


def accuracy_records(rules: list[RuleAccuracy]) -> list[dict[str, Any]]:
    """Per rule: dispatched, returned, and the accuracy as a fraction 0..1."""
    return [{"rule": r.rule, "dispatched": r.dispatched, "returned": r.returned, "accuracy": r.accuracy} for r in rules]


def accuracy_table(rules: list[RuleAccuracy], lang: str) -> Table:
    """Per rule: dispatched, returned, accuracy as a percentage."""
    table = Table(title=t("accuracy_title", lang), title_justify="left")
    table.add_column(t("rule", lang), justify="left")
    for key in ("accuracy_dispatched", "accuracy_returned", "accuracy_rate"):
        table.add_column(t(key, lang), justify="right")
    for r in rules:
        add_plain_row(table, r.rule, str(r.dispatched), str(r.returned), f"{r.accuracy * 100:.2f}%")
    return table
