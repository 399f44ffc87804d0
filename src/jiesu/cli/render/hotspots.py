"""`jiesu hotspots`: the hot categories and places as records for scripts and a table for people."""

from datetime import tzinfo
from typing import Any

from rich.table import Table

from jiesu.cli.labels import t
from jiesu.cli.render.common import add_plain_row
from jiesu.domain.times import iso, short
from jiesu.services.report import Hotspot

SHOWN_NUMBERS = 10  # a table lists this many ticket numbers per hot spot; JSON lists them all


# The fields of a hot spot record, as CSV columns (its ticket numbers joined by spaces).
HOTSPOT_COLUMNS = ("dimension", "value", "label", "count", "baseline", "p_value", "latest", "numbers")


def hotspot_records(found: list[Hotspot], tz: tzinfo) -> list[dict[str, Any]]:
    """The hot spots as `hotspots --format json` writes them."""
    return [
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
    ]


def hotspot_table(found: list[Hotspot], tz: tzinfo, lang: str) -> Table:
    """The hot spots, newest first, with their first ticket numbers."""
    table = Table(title=t("hotspot_title", lang), title_justify="left")
    for key in ("hotspot_dimension", "hotspot_value", "hotspot_count", "hotspot_baseline", "hotspot_latest", "tickets"):
        table.add_column(t(key, lang), overflow="fold")
    for h in found:
        more = " …" if len(h.numbers) > SHOWN_NUMBERS else ""
        add_plain_row(
            table,
            t(f"hotspot_dim_{h.dimension}", lang),
            h.label,
            str(h.count),
            f"{h.baseline:.1f}",
            short(h.latest, tz),
            " ".join(h.numbers[:SHOWN_NUMBERS]) + more,
        )
    return table
