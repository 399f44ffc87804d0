"""The report for the meeting: the workbook read back with openpyxl, the 12-period trend (terminal,
JSON, workbook chart), and the HTML page's structure (tests/cli/test_report_browser.py renders it)."""

import json
import re

import pytest

from tests.cli.test_report import month  # noqa: F401  (the hand-built October 2026)

NOW = ("--now", "2026-11-26T00:00:00+08:00")


@pytest.fixture
def with_history(cli, month):  # noqa: F811
    """The October month plus two tickets in August 2026 and one in November 2025 (12 periods back)."""
    for day in ("2026-08-03T09:00", "2026-08-20T09:00", "2025-11-15T09:00"):
        cli("--now", f"{day}:00+08:00", "intake", "--content", "清源路路面破损", "--address", "清源路9号")
    cli("--now", "2025-10-31T09:00:00+08:00", "intake", "--content", "更早的诉求", "--address", "清源路9号")
    return month


def test_trend_counts_twelve_periods_in_one_pass(cli, with_history):
    trend = cli.json(*NOW, "report", "--month", "2026-10", "--trend")
    assert trend[0]["period"] == "2025-11" and trend[-1]["period"] == "2026-10" and len(trend) == 12
    counts = {p["period"]: p["taken_in"] for p in trend}
    assert counts == {p["period"]: 0 for p in trend} | {"2025-11": 1, "2026-08": 2, "2026-10": 10}
    assert trend[-1]["dispatched"] == 10 and trend[-1]["answered"] == 0
    assert trend[-1]["first"] == "2026-10-01" and trend[-1]["last"] == "2026-10-31"


def test_trend_follows_the_period_start_day(cli, with_history):
    with_history["use_rules"]("\n[assessment]\nperiod_start_day = 19\n")
    trend = cli.json(*NOW, "report", "--month", "2026-11", "--trend")
    assert (trend[-1]["first"], trend[-1]["last"]) == ("2026-10-19", "2026-11-18")
    assert trend[-1]["taken_in"] == 1  # Q4 on 10-27
    assert {p["period"]: p["taken_in"] for p in trend}["2026-10"] == 9
    # without --month: the period today falls in (11-26 is past the 19th: the December period)
    assert cli.json(*NOW, "report", "--trend")[-1]["period"] == "2026-12"


def test_trend_in_the_terminal(cli, with_history):
    text = cli(*NOW, "report", "--month", "2026-10", "--trend").stdout
    lines = text.splitlines()
    assert "受理趋势" in lines[0] and "2025-11" in lines[0]
    spark = lines[1].split()[-1]
    assert len(spark) == 12 and spark[-1] == "█" and spark[9] == "▂"  # 10 in October, 2 in August
    october = next(line for line in lines if line.startswith("2026-10"))
    august = next(line for line in lines if line.startswith("2026-08"))
    assert october.rstrip().endswith("█" * 40)
    assert august.count("█") == 8  # 2 of 10 on 40 cells
    english = cli("--lang", "en", *NOW, "report", "--month", "2026-10", "--trend").stdout
    assert "Intake trend" in english
    refused = cli(*NOW, "report", "--month", "2026-10", "--trend", "--format", "csv", ok=False)
    assert refused.exit_code == 2 and "--format" in refused.stderr


def test_workbook_for_the_meeting(cli, with_history, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "2026-10.xlsx"
    cli(*NOW, "report", "--month", "2026-10", "--format", "xlsx", "--out", str(out))
    book = load_workbook(out)
    assert all(name == name.strip() for name in book.sheetnames)
    assert "分类前 15" in book.sheetnames and "受理趋势" in book.sheetnames

    ranking = book["考评排名 - 街乡镇"]
    titles = [ranking.cell(row=r, column=1).value for r in range(1, 5)]
    assert titles == [
        "考评排名 — 街乡镇",
        "测试区接诉即办中心",
        "考评周期: 2026-10 (2026-10-01 – 2026-10-31)",
        "生成时间: 2026-11-26 00:00",
    ]
    header = [c.value for c in ranking[6]]
    assert header[:4] == ["排名", "单位", "单位代码", "考核件数"]
    assert ranking.freeze_panes == "A7"
    assert ranking.auto_filter.ref == "A6:J8"
    assert all(c.font.b for c in ranking[6])
    first = {h: c for h, c in zip(header, ranking[7], strict=True)}
    assert first["单位"].value == "兴丰街道"
    assert first["响应率"].value == pytest.approx(0.5) and first["响应率"].number_format == "0.00%"
    assert first["综合得分"].value == pytest.approx(95.0) and first["综合得分"].number_format == "0.00"
    assert first["单位代码"].number_format == "@"
    # widths: CJK counts double ("考核件数" is 8 columns wide, plus a margin)
    assert ranking.column_dimensions["D"].width == 10
    assert ranking.column_dimensions["B"].width == 10  # 兴丰街道 / 清源街道

    (chart,) = ranking._charts
    (series,) = chart.series
    assert series.val.numRef.f == "'考评排名 - 街乡镇'!$H$7:$H$8"
    assert series.cat.strRef.f == "'考评排名 - 街乡镇'!$B$7:$B$8"
    assert series.tx.strRef.f == "'考评排名 - 街乡镇'!H6"  # its title: the 综合得分 heading
    assert len(book["考评排名 - 区级部门"]._charts) == 1

    categories = book["分类前 15"]
    values = [categories.cell(row=r, column=1).value for r in range(7, 9)]
    assert values == ["未分类", "环境保护/噪声"]
    assert categories.cell(row=7, column=4).number_format == "0.00%"

    trend = book["受理趋势"]
    assert [trend.cell(row=r, column=1).value for r in (7, 18)] == ["2025-11", "2026-10"]
    assert trend.cell(row=18, column=2).value == 10
    (line,) = trend._charts
    assert [s.val.numRef.f for s in line.series] == [f"'受理趋势'!${c}$7:${c}$18" for c in "BCD"]
    assert line.series[0].cat.strRef.f == "'受理趋势'!$A$7:$A$18"


def test_workbook_in_english(cli, month, tmp_path):  # noqa: F811
    from openpyxl import load_workbook

    out = tmp_path / "en.xlsx"
    cli("--lang", "en", *NOW, "report", "--month", "2026-10", "--format", "xlsx", "--out", str(out))
    book = load_workbook(out)
    categories = book["Top 15 categories"]
    assert categories.cell(row=7, column=1).value == "uncategorised"
    assert "Intake trend" in book.sheetnames


def test_title_rows_carry_the_published_hash_when_given(tmp_path):
    from jiesu.cli.render.report_formats import WorkbookTitle

    title = WorkbookTitle("测试区", "2026-10", "2026-11-01 09:00", published_hash="sha256:abc")
    assert title.lines("zh")[-1] == "发布校验值: sha256:abc"
    assert len(WorkbookTitle("测试区", "2026-10", "2026-11-01 09:00").lines("en")) == 3


def test_html_report_is_one_self_contained_page(cli, with_history, tmp_path):
    out = tmp_path / "2026-10.html"
    cli(*NOW, "report", "--month", "2026-10", "--format", "html", "--out", str(out))
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page and "@page { size: A4" in page and "Noto Sans CJK SC" in page
    for section in ("overview", "trend", "ranking", "categories", "hotspots", "overdue"):
        assert f'<section id="{section}"' in page
    trend = re.search(r'<section id="trend".*?</section>', page, re.S)
    assert trend is not None
    bars = re.findall(r'class="bar"[^>]*height="([\d.]+)" data-value="(\d+)" data-label="([^"]+)"', trend.group(0))
    assert len(bars) == 12
    heights = {label: float(h) for h, _, label in bars}
    assert heights["26-10"] == max(heights.values()) and heights["26-08"] == pytest.approx(heights["26-10"] / 5)
    streets = re.search(r'data-class="street".*?</div>', page, re.S)
    assert streets is not None
    widths = re.findall(r'class="bar"[^>]*width="([\d.]+)"[^>]*data-value="([\d.]+)" data-label="([^"]+)"', streets[0])
    assert [(label, float(value)) for _, value, label in widths] == [("兴丰街道", 95.0), ("清源街道", 80.0)]
    assert float(widths[0][0]) / float(widths[1][0]) == pytest.approx(95 / 80)
    assert "▲ +10" in page  # taken in: 10 against 0 in September
    assert "兴丰街道" in page and "未分类" in page


def test_report_json_is_unchanged_by_the_new_formats(cli, month):  # noqa: F811
    document = cli.json(*NOW, "report", "--month", "2026-10")
    assert "trend" not in document  # the trend is its own document: report --trend --format json
    assert json.loads(cli(*NOW, "report", "--month", "2026-10", "--trend", "--format", "json").stdout)
