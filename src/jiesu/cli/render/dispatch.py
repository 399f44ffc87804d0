"""Rendering of dispatch: a decision and why (rules explain), `jiesu dispatch` results, and a
ticket's assignments with their deadlines (show)."""

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from rich.table import Table

from jiesu.cli.labels import t
from jiesu.cli.render.common import add_plain_row, minutes, unit_name
from jiesu.cli.render.learning import suggestion_text
from jiesu.domain.enums import AssignmentRole, AssignmentState
from jiesu.domain.times import iso, short

if TYPE_CHECKING:
    from jiesu.domain.catalogue import RulesFile
    from jiesu.domain.dispatching import Decision
    from jiesu.services.dispatch import Dispatched
    from jiesu.services.handling import AssignmentView


def _unit_ref(code: str | None, rules: "RulesFile") -> dict[str, Any] | None:
    if code is None:
        return None
    unit = rules.units.get(code)
    return {"code": code, "name": unit.name if unit else None}


def decision_record(decision: "Decision", rules: "RulesFile") -> dict[str, Any]:
    """A dispatch decision as scripts see it (times ISO 8601 with offset)."""
    tz = rules.timezone
    located = decision.located
    due = decision.deadlines
    rule = decision.rule
    return {
        "outcome": decision.outcome.value,
        "reason": decision.reason,
        "rule": None if rule is None else {"name": rule.name, "priority": rule.priority, "index": rule.index},
        "keywords": list(decision.keywords),
        "category": decision.category,
        "lead": _unit_ref(decision.lead, rules),
        "co": [_unit_ref(code, rules) for code in decision.co],
        "limits": decision.limits,
        "urgent": decision.urgent,
        "deadlines": None
        if due is None
        else {"accept": iso(due.accept, tz), "contact": iso(due.contact, tz), "finish": iso(due.finish, tz)},
        "refer": decision.refer,
        "auto": decision.auto,
        "located": {
            "street": _unit_ref(located.street, rules) if located.street in rules.units else located.street,
            "community": located.community,
            "source": located.source,
            "matched_name": located.matched_name,
        },
        "runners_up": [
            {
                "rule": m.rule.name,
                "priority": m.rule.priority,
                "keywords": list(m.keywords),
                "lead": m.rule.lead or None,
                "refer": bool(m.rule.refer),
            }
            for m in decision.runners_up
        ],
    }


def decision_tables(decision: "Decision", rules: "RulesFile", lang: str) -> list[Table]:
    """Why a request goes where it goes: the winner, its keywords, place, deadlines, runners-up."""
    tables = [_decision_table(decision, rules, lang)]
    if decision.runners_up:
        others = Table(title=t("runners_up", lang), title_justify="left")
        for key in ("rule", "priority", "keywords", "lead_unit"):
            others.add_column(t(key, lang), overflow="fold")
        for match in decision.runners_up:
            lead = t("refer", lang) if match.rule.refer else match.rule.lead
            add_plain_row(others, match.rule.name, str(match.rule.priority), "、".join(match.keywords), lead)
        tables.append(others)
    return tables


def _decision_table(decision: "Decision", rules: "RulesFile", lang: str) -> Table:
    tz = rules.timezone
    main = Table(show_header=False, title=t("rule", lang), title_justify="left")
    main.add_column(style="bold", no_wrap=True)
    main.add_column(overflow="fold")
    located = decision.located
    place = unit_name(located.street, rules)
    if located.matched_name:
        place += f" ← {located.matched_name}"
    rule = decision.rule
    rows = [
        ("outcome", t(decision.outcome.value, lang)),
        ("reason", decision.reason),
        ("rule", f"{rule.name} (#{rule.index}, {t('priority', lang)} {rule.priority})" if rule else ""),
        ("keywords", "、".join(decision.keywords)),
        ("category", decision.category or ""),
        ("located", place),
        ("lead_unit", unit_name(decision.lead, rules)),
        ("co_units", "、".join(unit_name(c, rules) for c in decision.co)),
        ("limits", decision.limits or ""),
        ("urgent", t("yes", lang) if decision.urgent else ""),
        ("refer", decision.refer or ""),
    ]
    if decision.deadlines is not None:
        rows += [
            ("accept_due", short(decision.deadlines.accept, tz)),
            ("contact_due", short(decision.deadlines.contact, tz)),
            ("finish_due", short(decision.deadlines.finish, tz)),
        ]
    for key, value in rows:
        if value:
            add_plain_row(main, t(key, lang), value)
    return main


DISPATCHED_COLUMNS = ("number", "outcome", "rule", "lead", "co", "limits", "finish_due", "reason")


def dispatched_records(results: Sequence["Dispatched"], rules: "RulesFile") -> list[dict[str, Any]]:
    """`jiesu dispatch` results, one flat record per ticket (DISPATCHED_COLUMNS)."""
    records = []
    for item in results:
        decision = item.decision
        records.append(
            {
                "number": item.number,
                "outcome": decision.outcome.value,
                "rule": decision.rule.name if decision.rule else None,
                "lead": decision.lead,
                "co": ",".join(decision.co),
                "limits": decision.limits,
                "finish_due": iso(decision.deadlines.finish, rules.timezone) if decision.deadlines else None,
                "reason": decision.reason,
                "suggestion": decision.suggestion.record() if decision.suggestion else None,
            }
        )
    return records


def dispatched_table(records: Sequence[Mapping[str, Any]], lang: str, *, dry_run: bool) -> Table:
    """`jiesu dispatch` results as a table."""
    title = t("dispatch", lang) + (" " + t("dry_run", lang) if dry_run else "")
    table = Table(title=title, title_justify="left")
    for key in ("number", "outcome", "rule", "lead_unit", "co_units", "finish_due", "reason"):
        table.add_column(t(key, lang), overflow="fold", no_wrap=key == "number")
    for r in records:
        add_plain_row(
            table,
            r["number"],
            t(r["outcome"], lang),
            r["rule"] or "",
            r["lead"] or "",
            r["co"],
            minutes(r["finish_due"]),
            r["reason"]
            + (f"\n{t('suggestion', lang)}: {suggestion_text(r['suggestion'], lang)}" if r["suggestion"] else ""),
        )
    return table


def _with_suggestion(reason: str, suggestion: dict[str, Any] | None, lang: str) -> str:
    if not suggestion:
        return reason
    return f"{reason}\n{t('suggestion', lang)}: {suggestion_text(suggestion, lang)}"


def assignment_record(a: "AssignmentView", tz: tzinfo) -> dict[str, Any]:
    """An assignment as scripts see it."""
    return {
        "unit": a.unit,
        "role": a.role,
        "state": a.state,
        "rule": a.rule,
        "assigned_at": iso(a.assigned_at, tz),
        "accept_due": iso(a.accept_due, tz),
        "contact_due": iso(a.contact_due, tz),
        "finish_due": iso(a.finish_due, tz),
        "report_due": iso(a.report_due, tz),
        "accepted_at": iso(a.accepted_at, tz),
        "contacted_at": iso(a.contacted_at, tz),
        "finished_at": iso(a.finished_at, tz),
        "result": a.result,
        "ended_at": iso(a.ended_at, tz),
    }


def _deadline_cell(due: datetime | None, done: datetime | None, now: datetime | None, tz: tzinfo, lang: str) -> str:
    """A deadline and whether it was met: on time / late / still open / overdue."""
    if due is None:
        return ""
    if done is not None:
        word = t("deadline_met" if done <= due else "deadline_late", lang)
        return f"{short(due, tz)}\n{word} {short(done, tz)}"
    if now is not None and now > due:
        return f"{short(due, tz)}\n{t('deadline_overdue', lang)}"
    return short(due, tz)


def assignments_table(
    assignments: Sequence["AssignmentView"], rules: "RulesFile", lang: str, now: datetime | None = None
) -> Table:
    """Who handles the ticket, in which role, each deadline and whether it was met."""
    tz = rules.timezone
    table = Table(title=t("assignments", lang), title_justify="left")
    for key in ("unit", "role", "state", "accept_due", "contact_due", "finish_due"):
        table.add_column(t(key, lang), overflow="fold")
    for a in assignments:
        role = t(f"role_{a.role}", lang) if a.role in (AssignmentRole.LEAD, AssignmentRole.CO) else a.role
        clock = now if a.state == AssignmentState.ACTIVE else None
        contact = (
            _deadline_cell(a.contact_due, a.contacted_at, clock, tz, lang) if a.role == AssignmentRole.LEAD else ""
        )
        add_plain_row(
            table,
            unit_name(a.unit, rules),
            role,
            a.state,
            _deadline_cell(a.report_due or a.accept_due, a.accepted_at, clock, tz, lang),
            contact,
            _deadline_cell(a.finish_due, a.finished_at, clock, tz, lang),
        )
    return table
