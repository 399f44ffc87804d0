"""The HTML report in a real headless browser (Debian's chromium; .ci/run installs it): the page logs
no console errors, each chart's bars are drawn as long as their figures, and it prints on A4."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_report import month  # noqa: F401  (the hand-built October 2026)

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(BROWSER is None, reason="chromium is not installed (apt-get install -y chromium)"),
]

# Appended to a copy of the page only (the report itself has no script): every drawn bar's size.
PROBE = """<script>
const bars = [...document.querySelectorAll("svg rect.bar")].map(r => {
  const box = r.getBoundingClientRect();
  const chart = r.closest("section").id;
  return [chart, r.dataset.label, Number(r.dataset.value), box.width, box.height];
});
const out = document.createElement("pre"); out.id = "probe"; out.textContent = JSON.stringify(bars);
document.body.appendChild(out);
</script>"""


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    command = [
        BROWSER,
        "--headless",
        "--no-sandbox",  # tests may run as root
        "--disable-gpu",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_report_renders_without_errors_with_bars_as_long_as_their_figures(cli, month, tmp_path):  # noqa: F811
    page = tmp_path / "2026-10.html"
    cli("--now", "2026-11-26T00:00:00+08:00", "report", "--month", "2026-10", "--format", "html", "--out", str(page))
    plain = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert plain.returncode == 0, plain.stderr
    assert ":CONSOLE" not in plain.stderr, plain.stderr
    assert "兴丰街道" in plain.stdout

    probed = tmp_path / "probed.html"
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    result = chromium(tmp_path, "--dump-dom", probed.as_uri())
    assert ":CONSOLE" not in result.stderr, result.stderr
    found = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, re.S)
    assert found is not None, result.stdout[-2000:]
    bars = json.loads(found.group(1))

    ranking = [(label, value, width) for chart, label, value, width, _ in bars if chart == "ranking"]
    assert [(label, value) for label, value, _ in ranking] == [
        ("兴丰街道", 95.0),
        ("清源街道", 80.0),
        ("区城管执法局", 68.0),
    ]
    full = ranking[0][2] / 0.95  # the scale is 0–100, whatever the best score
    for _, value, width in ranking:
        assert width == pytest.approx(full * value / 100, abs=0.6)

    trend = [(label, value, height) for chart, label, value, _, height in bars if chart == "trend"]
    assert len(trend) == 12 and trend[-1][:2] == ("26-10", 10.0)
    assert all(height == 0 for _, value, height in trend if value == 0) and trend[-1][2] > 100

    categories = {label: width for chart, label, _, width, _ in bars if chart == "categories"}
    assert categories["未分类"] == pytest.approx(categories["环境保护/噪声"] * 6 / 4, abs=0.6)


def test_report_prints_on_a4(cli, month, tmp_path):  # noqa: F811
    page = tmp_path / "2026-10.html"
    cli("--now", "2026-11-26T00:00:00+08:00", "report", "--month", "2026-10", "--format", "html", "--out", str(page))
    pdf = tmp_path / "2026-10.pdf"
    result = chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.exists(), result.stderr
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf.read_bytes())
    assert boxes, "no pages"
    for width, height in boxes:  # A4 is 595 × 842 points
        assert (round(float(width)), round(float(height))) in {(595, 842), (596, 843)}
