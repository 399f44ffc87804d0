"""Shared pieces of the benchmark scripts: generated requests and a peak-memory reading."""

import csv
import resource
import sys
from collections.abc import Iterator
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
