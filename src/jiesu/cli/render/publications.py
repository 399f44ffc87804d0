"""Published months for people and scripts: the line a published report carries, the list of
publications, what `report publish` did and what `report verify` found.

JSON records hold the data only (the same in both languages): a publication's record carries its
canonical `content` text, `previous_hash` and `hash`, which is all anyone needs to recheck it.
"""

from datetime import tzinfo
from typing import Any

from jiesu.cli.labels import t
from jiesu.cli.render.common import add_plain_row, console
from jiesu.domain.times import iso, short
from jiesu.services.publishing import PeriodCheck, PublicationState, PublicationView, Verification

HASH_SHOWN = 12  # hex digits of a hash shown in tables; JSON carries the whole


def publication_line(state: PublicationState, lang: str, tz: tzinfo) -> str:
    """ "published on …, revision …, hash …" (and "corrected after publication" when it was)."""
    item = state.publication
    line = t("published_line", lang).format(
        at=short(item.published_at, tz), revision=item.revision, hash=item.hash[:HASH_SHOWN]
    )
    if state.corrected:
        line += "; " + t("published_corrected", lang).format(n=len(state.corrections), month=item.period)
    return line


def publication_stamp(state: PublicationState) -> dict[str, Any]:
    """What `report --format json` adds for a month shown as published."""
    item = state.publication
    return {
        "revision": item.revision,
        "published_at": item.published_at.isoformat(),
        "hash": item.hash,
        "corrected": state.corrected,
    }


def publication_record(state: PublicationState, tz: tzinfo) -> dict[str, Any]:
    """One publication for scripts: sha256(content + previous_hash) must equal hash."""
    item = state.publication
    return {
        "id": item.id,
        "period": item.period,
        "revision": item.revision,
        "published_at": iso(item.published_at, tz),
        "operator": item.operator,
        "note": item.note,
        "rules_sha256": item.rules_sha256,
        "events_count": item.events_count,
        "events_digest": item.events_digest,
        "corrected": state.corrected,
        "superseded": state.superseded,
        "corrections": [
            {
                "number": c.number,
                "action": c.action,
                "at": iso(c.at, tz),
                "recorded_at": iso(c.recorded_at, tz),
                "operator": c.operator,
                "reason": c.reason,
            }
            for c in state.corrections
        ],
        "content": item.content,
        "previous_hash": item.previous_hash,
        "hash": item.hash,
    }


def publications_table(found: list[PublicationState], lang: str, tz: tzinfo) -> None:
    """The publications in chain order, one row each."""
    from rich.table import Table

    table = Table(title=t("publications_title", lang), title_justify="left")
    for key in ("pub_id", "pub_period", "pub_revision", "pub_at", "pub_operator", "pub_hash", "pub_previous"):
        table.add_column(t(key, lang), overflow="fold")
    table.add_column(t("pub_state", lang), overflow="fold")
    for state in found:
        item = state.publication
        mark = (
            t("pub_superseded", lang)
            if state.superseded
            else t("pub_corrected", lang).format(n=len(state.corrections))
            if state.corrected
            else t("pub_current", lang)
        )
        add_plain_row(
            table,
            str(item.id),
            item.period,
            str(item.revision),
            short(item.published_at, tz),
            item.operator,
            item.hash[:HASH_SHOWN],
            item.previous_hash[:HASH_SHOWN] or "-",
            mark,
        )
    console().print(table)
    if not found:
        console().print(t("publications_none", lang), markup=False, highlight=False)


def show_published(item: PublicationView, lang: str, tz: tzinfo) -> None:
    """What `report publish` did."""
    out = console()
    out.print(
        t("published_done", lang).format(
            month=item.period, revision=item.revision, at=short(item.published_at, tz), events=item.events_count
        ),
        markup=False,
        highlight=False,
    )
    out.print(f"hash {item.hash}", markup=False, highlight=False)
    out.print(f"previous {item.previous_hash or '-'}", markup=False, highlight=False)


def _ticket_lines(check: PeriodCheck, lang: str) -> list[str]:
    lines = []
    for change in check.tickets:
        text = t(f"verify_ticket_{change.how.replace('-', '_')}", lang).format(number=change.number)
        lines.append(f"{text}: {change.reason}" if change.reason else text)
    return lines


def show_verification(found: Verification, lang: str, tz: tzinfo) -> None:
    """What `report verify` found, worded; the first broken link, then each month."""
    out = console()

    def say(text: str) -> None:
        out.print(text, markup=False, highlight=False)

    if found.chain_break is None:
        say(t("verify_chain_ok", lang).format(n=found.publications))
    else:
        item = found.chain_break.publication
        say(
            t("verify_chain_broken", lang).format(
                id=item.id, month=item.period, revision=item.revision, reason=found.chain_break.reason
            )
        )
    for check in found.periods:
        item = check.publication
        head = f"{item.period} ({t('pub_revision', lang)} {item.revision}, {short(item.published_at, tz)})"
        if check.holds:
            say(f"{head}: {t('verify_month_ok', lang)}")
        else:
            tables = ", ".join(check.differing_tables) or "-"
            say(f"{head}: {t('verify_month_differs', lang).format(tables=tables)}")
        if check.fingerprints_altered:
            say("  " + t("verify_fingerprints_altered", lang))
        if check.rules_changed:
            say("  " + t("verify_rules_changed", lang))
        for line in _ticket_lines(check, lang):
            say(f"  {line}")
        if check.tickets and any(c.how == "corrected" for c in check.tickets):
            say("  " + t("verify_publish_revision", lang).format(month=item.period))


def verification_record(found: Verification) -> dict[str, Any]:
    """What `report verify --format json` prints."""
    broken = found.chain_break
    return {
        "holds": found.holds,
        "publications": found.publications,
        "chain_break": None
        if broken is None
        else {
            "id": broken.publication.id,
            "period": broken.publication.period,
            "revision": broken.publication.revision,
            "reason": broken.reason,
        },
        "months": [
            {
                "period": c.publication.period,
                "revision": c.publication.revision,
                "holds": c.holds,
                "differing_tables": c.differing_tables,
                "fingerprints_altered": c.fingerprints_altered,
                "rules_changed": c.rules_changed,
                "tickets": [{"number": x.number, "how": x.how, "reason": x.reason} for x in c.tickets],
            }
            for c in found.periods
        ],
    }
