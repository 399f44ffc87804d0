"""Start-up: one `jiesu intake`, `jiesu --help` and `jiesu --version` against their floors.

    python benchmarks/bench_startup.py [--repeat 15]

Whole processes, interleaved, median and min of each:
- the stack's import floor: `python -c "import typer, rich, sqlmodel"`, the libraries jiesu is
  built on, doing nothing;
- `jiesu intake --no-dispatch` and `jiesu intake` (dispatched) of one request into a case file of a
  few hundred tickets, with the sample district's rules (281 rules; sample_data/dongcheng.toml);
- a bare Typer app of two commands (benchmarks/bare_typer.py) with --help, against `jiesu --help`
  and `jiesu --version`.
Targets: one `jiesu intake --no-dispatch` ≤ 1.2× the import floor; --help and --version below the
bare Typer app's --help. The first round is a warm-up (compiled bytecode written), not counted.
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_env, interleaved, print_ratio_table, run_process, verdict

HERE = Path(__file__).resolve().parent
RULES = HERE.parent / "sample_data" / "dongcheng.toml"
FLOOR = "import typer, rich, sqlmodel (floor)"
BARE = "bare Typer app --help"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    env = bench_env()
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="jiesu-bench-") as tmp:
        db = str(Path(tmp) / "startup.db")
        jiesu = [python, "-m", "jiesu", "--db", db, "--rules", str(RULES), "--operator", "bench"]
        setup = [*jiesu, "intake", "--file", str(HERE.parent / "sample_data" / "requests.csv"), "--format", "json"]
        run_process(setup, env=env)
        one = ["intake", "--content", "小区门口每天都有车辆乱停乱放，堵住了消防通道。", "--address", "东四十条"]
        one += ["--phone", "13800000000", "--format", "json"]
        runs = {
            FLOOR: lambda: run_process([python, "-c", "import typer, rich, sqlmodel"], env=env),
            "jiesu intake --no-dispatch": lambda: run_process([*jiesu, *one, "--no-dispatch"], env=env),
            "jiesu intake (dispatched)": lambda: run_process([*jiesu, *one], env=env),
            BARE: lambda: run_process([python, str(HERE / "bare_typer.py"), "--help"], env=env),
            "jiesu --help": lambda: run_process([python, "-m", "jiesu", "--help"], env=env),
            "jiesu --version": lambda: run_process([python, "-m", "jiesu", "--version"], env=env),
        }
        interleaved(runs, 1)  # warm-up
        results = interleaved(runs, args.repeat)
        print(f"start-up, {args.repeat} interleaved rounds (ratios to the import floor)")
        ratios = print_ratio_table(results, FLOOR)
        print(
            f"  {verdict('one jiesu intake --no-dispatch / import floor', ratios['jiesu intake --no-dispatch'], 1.2)}"
        )
        for name in ("jiesu --help", "jiesu --version"):
            print(
                f"  {verdict(f'{name} / bare Typer app --help', (ratios[name][0] / ratios[BARE][0], ratios[name][1] / ratios[BARE][1]), 1.0)}"
            )


if __name__ == "__main__":
    main()
