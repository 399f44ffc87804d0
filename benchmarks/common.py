"""Shared pieces of the benchmark scripts: generated requests and a peak-memory reading."""

import csv
import resource
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

BEIJING = timezone(timedelta(hours=8))
COLUMNS = [
    "external_id",
    "created_at",
    "kind",
    "channel",
    "name",
    "phone",
    "address",
    "street",
    "category",
    "title",
    "content",
    "urgent",
]
PLACES = [
    "和平里东街11号院",
    "交道口南大街",
    "南锣鼓巷",
    "北新桥三条",
    "东四十条",
    "簋街",
    "天坛东路",
    "龙潭路",
]
MATTERS = [
    ("城乡建设/供水", "停水", "家里从昨天晚上开始停水，到现在还没来水，家里有老人孩子，请尽快派人修理。"),
    ("城乡建设/供暖", "暖气不热", "暖气片一直是凉的，屋里只有十四度，物业说是热力公司的问题，希望尽快解决。"),
    (
        "环境保护/噪声",
        "夜间施工噪音",
        "工地每天晚上十一点以后还在施工，噪音特别大，影响休息，请相关部门管一管。",
    ),
    ("交通运输/停车", "违章停车", "小区门口每天都有车辆乱停乱放，堵住了消防通道，救护车都进不来。"),
    ("劳动和社会保障/工资", "拖欠工资", "我在一家装修公司干了三个月，老板一直拖欠工资不给，希望帮忙追讨。"),
    ("经济管理/消费", "预付卡退费", "健身房突然关门，办的预付卡还有三千多元没有消费，商家联系不上。"),
]
KINDS = ["complain", "complain", "help", "consult", "report", "suggest"]
CHANNELS = ["phone"] * 9 + ["web", "app", "wechat"]


def generate_rows(count: int, seed: int = 7) -> Iterator[list[str]]:
    """`count` ticket rows from jiesu's own generator (the hand-written sample requests varied), as
    CSV cells in COLUMNS order, spread over 2025; deterministic for a seed."""
    from jiesu.services.simulation import load_templates, requests

    templates = load_templates(Path(__file__).resolve().parents[1] / "sample_data" / "requests.csv")
    start = datetime(2025, 1, 1, tzinfo=BEIJING)
    for row in requests(templates, count, start, start + timedelta(days=365), seed):
        yield [
            row["external_id"],
            row["created_at"].isoformat(timespec="seconds"),
            row["kind"],
            row["channel"],
            row["name"],
            row["phone"],
            row["address"] or "",
            "",
            "",
            row["title"],
            row["content"],
            "false",
        ]


def write_csv(path: Path, count: int) -> None:
    """The generated rows as a UTF-8 CSV file with a header."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        writer.writerows(generate_rows(count))


def peak_memory_mb() -> float:
    """This process's peak resident memory in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# --- measuring: whole processes, interleaved, median and min -------------------------------------

PRAGMAS = (  # what jiesu's engine sets on every SQLite connection (store/engine.py)
    "PRAGMA busy_timeout = 60000",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA cache_size = -65536",
)


class Timed:
    """One process run: its wall time, peak memory, output and CPU time (user + system)."""

    def __init__(self, seconds: float, peak_mb: float, stdout: bytes, cpu: float) -> None:
        self.seconds = seconds
        self.peak_mb = peak_mb
        self.stdout = stdout
        self.cpu = cpu


# Started as `python -S -c LAUNCHER OUT ERR COMMAND…`: a small process that starts the command with its
# output in OUT and ERR and prints the command's wall time and its own peak memory. A child forked
# from the benchmark script itself would count the script's memory (imported jiesu, the CSV rows)
# as its own peak, since Linux keeps a process's high-water mark across exec.
LAUNCHER = """
import json, os, sys, time
out, err, *command = sys.argv[1:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.dup2(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 1)
    os.dup2(os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.execvp(command[0], command)
_, status, usage = os.wait4(pid, 0)
cpu = usage.ru_utime + usage.ru_stime
print(json.dumps([time.perf_counter() - started, usage.ru_maxrss, os.waitstatus_to_exitcode(status), cpu]))
"""


def run_process(command: list[str], *, env: dict[str, str] | None = None) -> Timed:
    """Run `command` as a process of its own (Python start-up counted, as for any command); its wall
    time, its output and its own peak resident memory."""
    import json
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile() as out, tempfile.NamedTemporaryFile() as err:
        launcher = [sys.executable, "-S", "-c", LAUNCHER, out.name, err.name, *command]
        report = subprocess.run(launcher, env=env, check=True, capture_output=True, text=True).stdout
        seconds, peak, code, cpu = json.loads(report)
        if code:
            raise SystemExit(f"{' '.join(command[:8])} … failed ({code}):\n{Path(err.name).read_text()}")
        peak_mb = peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
        return Timed(seconds, peak_mb, Path(out.name).read_bytes(), cpu)


def bench_env(**extra: str) -> dict[str, str]:
    """The environment for measured processes: compiled bytecode written and reused, as where
    jiesu is installed (a PYTHONDONTWRITEBYTECODE environment would recompile every module each run)."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return env | extra


def interleaved(
    runs: dict[str, Callable[[], Timed]], repeat: int, *, prepare: Callable[[], None] | None = None
) -> dict[str, list[Timed]]:
    """Each of `runs` once per round, in turn, `repeat` rounds: a noisy machine slows both alike."""
    results: dict[str, list[Timed]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            if prepare is not None:
                prepare()
            results[name].append(run())
    return results


def summary(times: list[Timed], *, cpu: bool = False) -> tuple[float, float]:
    """Median and min seconds (wall, or CPU with `cpu`)."""
    import statistics

    seconds = [t.cpu if cpu else t.seconds for t in times]
    return statistics.median(seconds), min(seconds)


def print_ratio_table(
    results: dict[str, list[Timed]], floor: str, *, per: int | None = None, unit: str = ""
) -> dict[str, tuple[float, float]]:
    """Median and min wall time of each, its median CPU time, peak memory, and each one's ratio to
    `floor` (median / median), of wall time and of CPU time; with `per`, a rate too (`per` items
    per median wall second). Returns the ratios (wall, CPU).

    On a shared machine the wall time counts other people's work as well, so the CPU time ratio is
    printed beside it: when the two disagree, the machine was busy.
    """
    base, _ = summary(results[floor])
    base_cpu, _ = summary(results[floor], cpu=True)
    ratios = {}
    width = max(len(n) for n in results)
    for name, times in results.items():
        median, least = summary(times)
        cpu, _ = summary(times, cpu=True)
        ratios[name] = (median / base, cpu / base_cpu)
        rate = f"  {per / median:>9,.0f} {unit}/s" if per else ""
        peak = max(t.peak_mb for t in times)
        print(
            f"  {name:<{width}}  median {median:7.3f} s  min {least:7.3f} s  cpu {cpu:7.3f} s{rate}"
            f"  peak {peak:5.0f} MB  ratio {ratios[name][0]:5.2f}× (cpu {ratios[name][1]:5.2f}×)"
        )
    return ratios


def verdict(
    name: str,
    ratios: tuple[float, float],
    target: float,
    *,
    at_most: bool = True,
    server: bool = False,
    processes: bool = False,
) -> str:
    """Whether a (wall, CPU) ratio pair meets its target. With `server` (PostgreSQL) the processes'
    CPU time is the clients' alone, not the server's work, so the wall time decides. With
    `processes` (jiesu works in more than one process at once: batch intake's workers) the CPU time
    is every process's, added up, so the wall time decides too; the CPU ratio is printed beside it."""
    sign = "≤" if at_most else "≥"

    def ok(ratio: float) -> bool:
        return ratio <= target if at_most else ratio >= target

    wall, cpu = ratios
    if server:
        met = "met" if ok(wall) else "NOT met"
        return f"{name}: {wall:.2f}× (clients' cpu {cpu:.2f}×), target {sign} {target}× of the wall time: {met}"
    if processes:
        met = "met" if ok(wall) else "NOT met"
        return f"{name}: {wall:.2f}× (cpu of all its processes {cpu:.2f}×), target {sign} {target}× of the wall time: {met}"
    met = "met" if ok(wall) and ok(cpu) else "met by CPU time" if ok(cpu) else "NOT met"
    return f"{name}: {wall:.2f}× (cpu {cpu:.2f}×), target {sign} {target}×: {met}"
