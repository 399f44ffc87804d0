"""The small chart templates: SVG bars for the HTML report, block bars and sparklines for the terminal."""

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiesu.cli.render.svg import CHART_WIDTH, LABEL_WIDTH, VALUE_WIDTH, bar_length, column_chart, hbar_chart
from jiesu.cli.render.trend import bar, sparkline

SVG = "{http://www.w3.org/2000/svg}"


def bars(svg: str) -> list[ET.Element]:
    return ET.fromstring(svg).findall(f"{SVG}rect[@class='bar']")


def test_horizontal_bars_are_as_long_as_their_values():
    svg = hbar_chart(
        [("兴丰街道", 95.0), ("清源街道", 80.0), ("区城管执法局", 0.0)], top=100, fmt="{:.2f}", title="综合得分"
    )
    plot = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    drawn = bars(svg)
    assert [float(r.get("width", "")) for r in drawn] == [pytest.approx(plot * 0.95), pytest.approx(plot * 0.8), 0.0]
    assert [r.get("data-label") for r in drawn] == ["兴丰街道", "清源街道", "区城管执法局"]
    assert "<title>综合得分</title>" in svg and "95.00" in svg


def test_the_largest_value_fills_the_chart_by_default():
    drawn = bars(hbar_chart([("a", 3), ("b", 12), ("c", 6)]))
    plot = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    assert [float(r.get("width", "")) for r in drawn] == [plot / 4, plot, plot / 2]


def test_columns_stand_on_one_axis():
    svg = column_chart([("25-11", 0), ("26-09", 5), ("26-10", 10)], height=220)
    drawn = bars(svg)
    heights = [float(r.get("height", "")) for r in drawn]
    assert heights[0] == 0 and heights[1] == pytest.approx(heights[2] / 2)
    bottoms = {round(float(r.get("y", "")) + float(r.get("height", "")), 2) for r in drawn}
    assert len(bottoms) == 1


def test_labels_are_escaped_and_long_ones_cut():
    svg = hbar_chart([("<b>&城乡建设/城市建设和市政管理/道路桥梁</b>", 1)])
    ET.fromstring(svg)  # well-formed
    label = re.search(r'class="label">([^<]*)<', svg)
    assert label is not None and label.group(1).endswith("…") and "&lt;b&gt;&amp;" in label.group(1)


@settings(deadline=None)
@given(st.floats(0, 1e6, allow_nan=False), st.floats(0.001, 1e6, allow_nan=False), st.integers(1, 2000))
def test_bar_length_stays_inside_the_plot(value, top, width):
    length = bar_length(value, top, width)
    assert 0 <= length <= width
    if value >= top:
        assert length == width


def test_terminal_bars_and_sparkline():
    assert bar(10, 10, 40) == "█" * 40
    assert bar(2, 10, 40) == "█" * 8
    assert bar(1, 160, 40) == "▎"  # a quarter cell: 1/160 of 40 cells is 2 eighths
    assert bar(0, 10) == "" and bar(5, 0) == ""
    assert sparkline([0, 1, 5, 10]) == "▁▂▅█"
    assert sparkline([0, 0]) == "▁▁" and sparkline([]) == ""
