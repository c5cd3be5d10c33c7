"""The report's tables: what a planner reads (rounded, with units and intervals) and, for
each, the CSV a planner downloads (plain numbers in seconds and shares, one column per
bound of an interval)."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from typing import Any

from ..units import DAY, HOUR, MINUTE, format_duration

__all__ = [
    "Table",
    "clock",
    "flows_table",
    "hourly_table",
    "interval",
    "pledges_table",
    "raw_cells",
    "raw_headers",
    "stages_table",
    "wait_text",
]

THOUSAND = 1000


@dataclass(frozen=True, slots=True)
class Table:
    """A table to show (``rows`` of text under ``headers``) and its CSV (``csv_rows`` of
    numbers under ``csv_headers``), saved as ``name``.csv."""

    name: str
    title: str
    headers: list[str]
    rows: list[list[str]]
    csv_headers: list[str]
    csv_rows: list[list[Any]]
    note: str = ""
    #: columns (by index) that hold numbers: shown right-aligned
    numeric: frozenset[int] = field(default_factory=frozenset)

    def csv(self) -> str:
        """The CSV text: numbers as Python writes them, empty cells for missing values."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.csv_headers)
        writer.writerows([[_cell(v) for v in row] for row in self.csv_rows])
        return buffer.getvalue()


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _unit(seconds: float) -> tuple[float, str]:
    if abs(seconds) < 2 * MINUTE:
        return 1.0, "s"
    if abs(seconds) < 2 * HOUR:
        return MINUTE, "min"
    return HOUR, "h"


def wait_text(stat: dict[str, Any] | None, with_interval: bool = False) -> str:
    """A wait as ``3.2 min``, or ``3.2 min (2.9 – 3.5)`` with its 95 % interval, in the
    unit of the mean."""
    if not stat or _missing(stat["mean"]):
        return "-"
    per, unit = _unit(stat["mean"])
    digits = 2 if unit == "h" else 1
    text = f"{stat['mean'] / per:.{digits}f} {unit}"
    ci = stat.get("ci95")
    if with_interval and ci:
        text += f" ({ci[0] / per:.{digits}f} – {ci[1] / per:.{digits}f})"
    return text


def count_text(stat: dict[str, Any] | None, digits: int = 0) -> str:
    if not stat or _missing(stat["mean"]):
        return "-"
    return f"{stat['mean']:,.{digits}f}"


def share_text(stat: dict[str, Any] | None) -> str:
    if not stat or _missing(stat["mean"]):
        return "-"
    return f"{stat['mean']:.1%}"


def interval(stat: dict[str, Any] | None, percent: bool = False) -> str:
    """``[lo, hi]`` of a 95 % interval, or ``-`` without one."""
    ci = stat.get("ci95") if stat else None
    if not ci:
        return "-"
    if percent:
        return f"{ci[0]:.1%} – {ci[1]:.1%}"
    per, unit = _unit(stat["mean"] if stat and not _missing(stat["mean"]) else ci[1])
    digits = 2 if unit == "h" else 1
    return f"{ci[0] / per:.{digits}f} – {ci[1] / per:.{digits}f} {unit}"


def raw_cells(stat: dict[str, Any] | None) -> list[Any]:
    """Mean, lower and upper bound of a statistic for the CSV."""
    if not stat:
        return [None, None, None]
    ci = stat.get("ci95") or [None, None]
    return [stat["mean"], ci[0], ci[1]]


def raw_headers(name: str) -> list[str]:
    return [name, f"{name}_ci95_low", f"{name}_ci95_high"]


def clock(seconds: float) -> str:
    """``07:30``, with the day after the first: ``day 2 07:30``."""
    day, rest = divmod(int(seconds), int(DAY))
    text = f"{rest // int(HOUR):02d}:{rest % int(HOUR) // int(MINUTE):02d}"
    return f"day {day + 1} {text}" if day else text


_FLOW_METRICS = ("served", "unfinished", "wait_mean_s", "wait_p95_s", "wait_max_s")


def flows_table(summary: dict[str, Any]) -> Table:
    """All travellers, each direction and each flow: served, unfinished, waits, time in port."""
    blocks = [
        ("all travellers", summary["overall"]),
        *((f"direction {d}", m) for d, m in summary.get("directions", {}).items()),
        *((f"flow {f}", m) for f, m in summary["flows"].items()),
    ]
    rows, raw = [], []
    for name, m in blocks:
        rows.append(
            [
                name,
                count_text(m["served"]),
                count_text(m["unfinished"]),
                wait_text(m["wait_mean_s"], with_interval=True),
                wait_text(m["wait_p95_s"]),
                wait_text(m["wait_max_s"]),
                wait_text(m["system_time_mean_s"]),
            ]
        )
        raw.append(
            [name, *(v for k in (*_FLOW_METRICS, "system_time_mean_s") for v in raw_cells(m[k]))]
        )
    headers = [
        "",
        "served",
        "unfinished",
        "mean wait (95 % interval)",
        "p95 wait",
        "longest wait",
        "time in port",
    ]
    csv_headers = [
        "who",
        *(h for k in (*_FLOW_METRICS, "system_time_mean_s") for h in raw_headers(k)),
    ]
    return Table(
        "flows",
        "Travellers",
        headers,
        rows,
        csv_headers,
        raw,
        "Waits are queue times summed over the stages of a route, for the travellers "
        "who finished it.",
        frozenset(range(1, 7)),
    )


_STAGE_METRICS = ("served", "wait_mean_s", "wait_p95_s", "utilization", "queue_max")


def stages_table(summary: dict[str, Any]) -> Table:
    """Each stage and, below it, its lane groups."""
    rows, raw = [], []
    for stage, m in summary["stages"].items():
        groups = m["groups"]
        lanes = sum(g["lanes_open_mean"]["mean"] for g in groups.values())
        members = [(f"stage {stage}", m, lanes)]
        members += [(f"  {name}", g, g["lanes_open_mean"]["mean"]) for name, g in groups.items()]
        for name, block, open_lanes in members:
            rows.append(
                [
                    name,
                    count_text(block["served"]),
                    wait_text(block["wait_mean_s"], with_interval=True),
                    wait_text(block["wait_p95_s"]),
                    share_text(block["utilization"]),
                    f"{open_lanes:.1f}",
                    count_text(block.get("queue_mean"), 1) if "queue_mean" in block else "",
                    count_text(block["queue_max"]),
                ]
            )
            raw.append(
                [
                    name.strip(),
                    *(v for k in _STAGE_METRICS for v in raw_cells(block[k])),
                    open_lanes,
                ]
            )
    headers = [
        "",
        "served",
        "mean wait (95 % interval)",
        "p95 wait",
        "busy",
        "lanes open",
        "mean queue",
        "longest queue",
    ]
    csv_headers = [
        "stage_or_group",
        *(h for k in _STAGE_METRICS for h in raw_headers(k)),
        "lanes_open_mean",
    ]
    return Table(
        "stages",
        "Stages and lane groups",
        headers,
        rows,
        csv_headers,
        raw,
        "Busy: busy lane-time over staffed lane-time after the warm-up (open, or a closed "
        "lane finishing its traveller). Lanes open: the mean over the counted time.",
        frozenset(range(1, 8)),
    )


def hourly_table(summary: dict[str, Any]) -> Table:
    """Hour by hour, all travellers: arrivals, departures and waits."""
    rows, raw = [], []
    for h in summary["overall"]["hourly"]:
        start = h["hour"] * HOUR
        rows.append(
            [
                clock(start),
                count_text(h["arrived"]),
                count_text(h["served"]),
                wait_text(h["wait_mean_s"]),
                wait_text(h["wait_p95_s"]),
            ]
        )
        raw.append(
            [
                h["hour"],
                *(
                    v
                    for k in ("arrived", "served", "wait_mean_s", "wait_p95_s")
                    for v in raw_cells(h[k])
                ),
            ]
        )
    metrics = ("arrived", "served", "wait_mean_s", "wait_p95_s")
    return Table(
        "hourly",
        "Hour by hour",
        ["hour from", "arrived", "left", "mean wait", "p95 wait"],
        rows,
        ["hour", *(h for k in metrics for h in raw_headers(k))],
        raw,
        "Arrivals and waits by the hour travellers arrived; departures by the hour they left.",
        frozenset(range(1, 5)),
    )


def _scope(target: dict[str, Any]) -> str:
    if target["flow"]:
        return f"flow {target['flow']}"
    return f"stage {target['stage']}" if target["stage"] else "all travellers"


def pledges_table(summary: dict[str, Any]) -> Table | None:
    """Each pledge: for whom, what it promises, the share achieved and the verdict."""
    targets = summary.get("targets", [])
    if not targets:
        return None
    rows = [
        [
            t["name"],
            _scope(t),
            f"{t['target']:.0%} within {format_duration(t['wait_within_s'])}",
            share_text(t["share"]),
            interval(t["share"], percent=True),
            t["verdict"],
        ]
        for t in targets
    ]
    raw = [
        [
            t["name"],
            _scope(t),
            t["wait_within_s"],
            t["target"],
            *raw_cells(t["share"]),
            t["verdict"],
        ]
        for t in targets
    ]
    return Table(
        "pledges",
        "Service pledges",
        ["pledge", "for", "promise", "share achieved", "95 % interval", "verdict"],
        rows,
        ["pledge", "for", "wait_within_s", "share_pledged", *raw_headers("share"), "verdict"],
        raw,
        "pass: the whole interval is above the "
        "pledged share; fail: below it; inconclusive: it straddles the pledge.",
        frozenset({3, 4}),
    )
