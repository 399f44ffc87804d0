"""What a user installs: the wheel carries the demo's sample district, byte for byte the readable copy."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_wheel_ships_the_sample_district(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("jiesu-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        for name in ("dongcheng.toml", "requests.csv"):
            assert archive.read(f"jiesu/sample_data/{name}") == (ROOT / "sample_data" / name).read_bytes()
        assert "jiesu/rules/default.toml" in archive.namelist()


def test_the_demo_reads_the_packaged_samples():
    from jiesu.services.simulation import SAMPLE_REQUESTS, SAMPLE_RULES, sample_data_dir

    packaged = sample_data_dir()
    assert packaged.parent.name == "jiesu"
    for name in (SAMPLE_RULES, SAMPLE_REQUESTS):
        assert (packaged / name).read_bytes() == (ROOT / "sample_data" / name).read_bytes()
