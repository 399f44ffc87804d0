"""Small inline SVG charts for the HTML report: horizontal bars and a column chart.

Plain functions from numbers to SVG text, so a bar's length can be tested without a browser. Every
bar is a `<rect class="bar">` carrying its value (`data-value`) and its label (`data-label`), so the
browser test can check that each drawn bar is as long as its figure says.
"""

from collections.abc import Sequence
from html import escape

ROW_HEIGHT = 22
LABEL_WIDTH = 150
VALUE_WIDTH = 64
CHART_WIDTH = 640


def bar_length(value: float, top: float, width: float) -> float:
    """The length of a bar for `value` on a scale where `top` fills `width` (0 for nothing to draw)."""
    if top <= 0 or value <= 0:
        return 0.0
    return round(min(value, top) / top * width, 2)


def _number(value: float, fmt: str) -> str:
    return fmt.format(value)


def hbar_chart(
    items: Sequence[tuple[str, float]],
    *,
    top: float | None = None,
    fmt: str = "{:,.0f}",
    title: str = "",
    width: int = CHART_WIDTH,
) -> str:
    """One horizontal bar per (label, value), longest for `top` (default: the largest value); the
    label left of the bar, the value (written with `fmt`) right of it."""
    scale = top if top is not None else max((v for _, v in items), default=0)
    plot = width - LABEL_WIDTH - VALUE_WIDTH
    height = ROW_HEIGHT * len(items) + 4
    parts = [_open(width, height, title)]
    for row, (label, value) in enumerate(items):
        y = 2 + row * ROW_HEIGHT
        length = bar_length(value, scale, plot)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" class="label">{escape(_clip(label))}</text>'
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{ROW_HEIGHT - 6}" '
            f'data-value="{value}" data-label="{escape(label)}"/>'
            f'<text x="{LABEL_WIDTH + length + 4}" y="{y + 15}" class="value">{escape(_number(value, fmt))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def column_chart(
    items: Sequence[tuple[str, float]], *, title: str = "", width: int = CHART_WIDTH, height: int = 220
) -> str:
    """One vertical column per (label, value), the tallest for the largest value, with the value on
    top and the label below (the trend of the last periods)."""
    top = max((v for _, v in items), default=0)
    base = height - 24  # room for the labels under the axis
    plot = base - 18  # room for the value over the tallest column
    slot = (width - 8) / max(len(items), 1)
    parts = [_open(width, height, title)]
    parts.append(f'<line x1="4" y1="{base}" x2="{width - 4}" y2="{base}" class="axis"/>')
    for index, (label, value) in enumerate(items):
        x = round(4 + index * slot + slot * 0.15, 2)
        length = bar_length(value, top, plot)
        parts.append(
            f'<rect class="bar" x="{x}" y="{round(base - length, 2)}" width="{round(slot * 0.7, 2)}" '
            f'height="{length}" data-value="{value}" data-label="{escape(label)}"/>'
            f'<text x="{round(x + slot * 0.35, 2)}" y="{round(base - length - 4, 2)}" text-anchor="middle" '
            f'class="value">{escape(_number(value, "{:,.0f}"))}</text>'
            f'<text x="{round(x + slot * 0.35, 2)}" y="{base + 16}" text-anchor="middle" class="label">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: int, title: str) -> str:
    label = f' aria-label="{escape(title)}"' if title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"{label}>' + (f"<title>{escape(title)}</title>" if title else "")
    )


def _clip(label: str, cells: int = 20) -> str:
    """A label cut to `cells` terminal-style columns (CJK counting two), with … when cut."""
    from rich.cells import cell_len

    if cell_len(label) <= cells:
        return label
    while label and cell_len(label) > cells - 1:
        label = label[:-1]
    return label + "…"
