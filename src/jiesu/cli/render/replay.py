"""`jiesu rules replay`: a period re-decided under proposed rules, as tables, Markdown or JSON."""

from collections.abc import Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from rich.table import Table

from jiesu.cli.labels import t
from jiesu.cli.render.common import add_plain_row, unit_name
from jiesu.domain.times import iso

if TYPE_CHECKING:
    from jiesu.domain.catalogue import RulesFile
    from jiesu.services.replay import Replay


def replay_record(replay: "Replay", tz: tzinfo) -> dict[str, Any]:
    """Everything the replay found, with stable English keys (rates as fractions 0..1)."""
    return {
        "from": iso(replay.start, tz),
        "to": iso(replay.end, tz),
        "rules": replay.rules_path,
        "rules_sha256": replay.rules_sha256,
        "tickets": replay.tickets,
        "changed": replay.changed,
        "changed_known_final": replay.changed_known_final,
        "changed_now_final": replay.changed_now_final,
        "returned_fixed": replay.returned_fixed,
        "changed_away_from_final": replay.changed_away_from_final,
        "misdispatch": {
            "current": {
                "dispatched": replay.current_dispatched,
                "missed": replay.current_missed,
                "rate": replay.current_rate,
            },
            "proposed": {
                "dispatched": replay.proposed_dispatched,
                "missed": replay.proposed_missed,
                "rate": replay.proposed_rate,
            },
        },
        "held": {"current": replay.held_before, "proposed": replay.held_after},
        "referred": {"current": replay.referred_before, "proposed": replay.referred_after},
        "deadlines": {"tightened": replay.tightened, "loosened": replay.loosened, "same": replay.same_deadline},
        "load": [{"unit": u.unit, "current": u.before, "proposed": u.after} for u in replay.loads],
        "rule_wins": replay.rule_wins,
        "never_fired": replay.never_fired,
        "examples": [
            {
                "number": c.number,
                "title": c.title,
                "current": c.before,
                "current_rule": c.before_rule,
                "proposed": c.after,
                "proposed_rule": c.after_rule,
                "proposed_outcome": c.after_outcome,
                "final": c.final,
                "returned": c.returned,
            }
            for c in replay.examples
        ],
    }


def _rate(rate: float | None) -> str:
    return "" if rate is None else f"{rate:.1%}"


def _summary_rows(replay: "Replay", lang: str) -> list[tuple[str, str, str]]:
    """(what, current, proposed) rows of the summary."""
    return [
        (t("replay_tickets", lang), str(replay.tickets), str(replay.tickets)),
        (t("replay_changed", lang), "", str(replay.changed)),
        (t("replay_now_final", lang), "", f"{replay.changed_now_final} / {replay.changed_known_final}"),
        (t("replay_fixed", lang), "", str(replay.returned_fixed)),
        (t("replay_away", lang), "", str(replay.changed_away_from_final)),
        (
            t("replay_misdispatch", lang),
            f"{_rate(replay.current_rate)} ({replay.current_missed}/{replay.current_dispatched})",
            f"{_rate(replay.proposed_rate)} ({replay.proposed_missed}/{replay.proposed_dispatched})",
        ),
        (t("replay_held", lang), str(replay.held_before), str(replay.held_after)),
        (t("replay_referred", lang), str(replay.referred_before), str(replay.referred_after)),
        (t("replay_tightened", lang), "", str(replay.tightened)),
        (t("replay_loosened", lang), "", str(replay.loosened)),
    ]


def _example_rows(replay: "Replay", rules: "RulesFile") -> list[tuple[str, ...]]:
    return [
        (
            c.number,
            c.title,
            unit_name(c.before, rules) or "-",
            unit_name(c.after, rules) or c.after_outcome,
            c.after_rule or "",
            unit_name(c.final, rules) or "",
        )
        for c in replay.examples
    ]


EXAMPLE_KEYS = ("number", "title", "replay_current", "replay_proposed", "rule", "replay_final")


def replay_tables(replay: "Replay", lang: str, rules: "RulesFile") -> list[Table]:
    """The summary, examples of changed routes, load per unit, rules that never fired."""
    summary = Table(title=t("replay_title", lang).format(rules=replay.rules_path), title_justify="left")
    for key in ("replay_what", "replay_current", "replay_proposed"):
        summary.add_column(t(key, lang), justify="left" if key == "replay_what" else "right")
    for row in _summary_rows(replay, lang):
        add_plain_row(summary, *row)
    tables = [summary]
    if replay.examples:
        examples = Table(title=t("replay_examples", lang), title_justify="left")
        for key in EXAMPLE_KEYS:
            examples.add_column(t(key, lang), overflow="fold")
        for example in _example_rows(replay, rules):
            add_plain_row(examples, *example)
        tables.append(examples)
    if replay.loads:
        loads = Table(title=t("replay_load", lang), title_justify="left")
        for key in ("unit", "replay_current", "replay_proposed"):
            loads.add_column(t(key, lang), justify="left" if key == "unit" else "right")
        for u in replay.loads:
            add_plain_row(loads, unit_name(u.unit, rules), str(u.before), str(u.after))
        tables.append(loads)
    if replay.never_fired:
        never = Table(title=t("replay_never", lang).format(n=len(replay.never_fired)), title_justify="left")
        never.add_column(t("rule", lang))
        for name in replay.never_fired:
            add_plain_row(never, name)
        tables.append(never)
    return tables


def _markdown_table(headers: list[str], rows: Sequence[tuple[str, ...]]) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def replay_markdown(replay: "Replay", lang: str, rules: "RulesFile", tz: tzinfo) -> str:
    """The same as Markdown, for a change request or a meeting."""
    period = f"{(iso(replay.start, tz) or '')[:10]} … {(iso(replay.end, tz) or '')[:10]}"
    lines = [f"# {t('replay_title', lang).format(rules=replay.rules_path)}", "", f"{period}", ""]
    headers = [t(k, lang) for k in ("replay_what", "replay_current", "replay_proposed")]
    lines += _markdown_table(headers, _summary_rows(replay, lang))
    if replay.examples:
        lines += [f"## {t('replay_examples', lang)}", ""]
        lines += _markdown_table([t(k, lang) for k in EXAMPLE_KEYS], _example_rows(replay, rules))
    if replay.loads:
        lines += [f"## {t('replay_load', lang)}", ""]
        headers = [t(k, lang) for k in ("unit", "replay_current", "replay_proposed")]
        rows = [(unit_name(u.unit, rules), str(u.before), str(u.after)) for u in replay.loads]
        lines += _markdown_table(headers, rows)
    if replay.never_fired:
        lines += [f"## {t('replay_never', lang).format(n=len(replay.never_fired))}", ""]
        lines += [f"- {name}" for name in replay.never_fired] + [""]
    return "\n".join(lines)
