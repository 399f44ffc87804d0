"""Learned suggestions for people and scripts: what `rules learn` trained, a ticket's suggestion,
and the rules and the model side by side (`rules accuracy`)."""

from typing import TYPE_CHECKING, Any

from jiesu.cli.labels import t
from jiesu.cli.render.common import add_plain_row, unit_name

if TYPE_CHECKING:
    from rich.table import Table

    from jiesu.domain.catalogue import RulesFile
    from jiesu.domain.learning import Suggestion
    from jiesu.services.learning import Learned
    from jiesu.services.replay import RoutingComparison


def learned_record(learned: "Learned") -> dict[str, Any]:
    """What `rules learn --format json` prints (accuracies as fractions 0..1, cross-validated)."""
    return {
        "model": learned.model_id,
        "tickets": learned.tickets,
        "accuracy": learned.accuracy,
        "first_level_accuracy": learned.first_level_accuracy,
        "folds": learned.folds,
        "labels": [
            {"label": r.label, "tickets": r.tickets, "correct": r.correct, "accuracy": r.accuracy}
            for r in learned.labels
        ],
        "folded": learned.folded,
        "dropped": learned.dropped,
        "unit_history_tickets": learned.unit_tickets,
        "seconds": round(learned.seconds, 3),
    }


def learned_table(learned: "Learned", lang: str) -> "Table":
    """Per learned label: labelled tickets, right in cross-validation, accuracy."""
    from rich.table import Table

    table = Table(
        title=t("learn_title", lang).format(
            model=learned.model_id, tickets=learned.tickets, folds=learned.folds, seconds=learned.seconds
        ),
        title_justify="left",
    )
    table.add_column(t("learn_label", lang))
    for key in ("learn_tickets", "learn_correct", "learn_accuracy"):
        table.add_column(t(key, lang), justify="right")
    for r in sorted(learned.labels, key=lambda r: (-r.tickets, r.label)):
        add_plain_row(table, r.label, str(r.tickets), str(r.correct), f"{r.accuracy:.1%}")
    table.caption = t("learn_caption", lang).format(
        accuracy=learned.accuracy, first=learned.first_level_accuracy, units=learned.unit_tickets
    )
    table.caption_justify = "left"
    return table


def suggestion_record(suggestion: "Suggestion | None") -> dict[str, Any] | None:
    """A suggestion as JSON carries it: category, unit, confidence (and the two parts)."""
    return None if suggestion is None else suggestion.record()


def suggestion_text(record: dict[str, Any] | None, lang: str, rules: "RulesFile | None" = None) -> str:
    """One line for people: 城乡建设/供水 → 北京市自来水集团 (water-co), 93%."""
    if not record:
        return ""
    unit = record.get("unit")
    shown = (unit_name(unit, rules) if rules is not None else unit) if unit else t("suggest_no_unit", lang)
    return f"{record['category']} → {shown}, {record['confidence']:.0%}"


def comparison_record(comparison: "RoutingComparison") -> dict[str, Any]:
    """The rules and the model against the units that finally handled the tickets."""
    return {
        "model": comparison.model_id,
        "tickets": comparison.tickets,
        "rules_right": comparison.rules_right,
        "model_right": comparison.model_right,
        "trained_on": comparison.trained_on,
        "categories": [
            {"category": r.category, "tickets": r.tickets, "rules_right": r.rules_right, "model_right": r.model_right}
            for r in comparison.categories
        ],
    }


def comparison_table(comparison: "RoutingComparison", lang: str) -> "Table":
    """Per first-level category: how often the first dispatch and the model's unit were the final unit."""
    from rich.table import Table

    table = Table(title=t("compare_title", lang), title_justify="left")
    table.add_column(t("category", lang))
    for key in ("compare_tickets", "compare_rules", "compare_model"):
        table.add_column(t(key, lang), justify="right")

    def share(right: int, total: int) -> str:
        return f"{right / total:.1%}" if total else ""

    model = comparison.model_id is not None
    for r in comparison.categories:
        add_plain_row(
            table,
            r.category or t("compare_uncategorised", lang),
            str(r.tickets),
            share(r.rules_right, r.tickets),
            share(r.model_right, r.tickets) if model else "",
        )
    add_plain_row(
        table,
        t("escalate_total", lang),
        str(comparison.tickets),
        share(comparison.rules_right, comparison.tickets),
        share(comparison.model_right, comparison.tickets) if model else "",
    )
    table.caption = t("compare_caption" if model else "compare_no_model", lang)
    table.caption_justify = "left"
    return table
