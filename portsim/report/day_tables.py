"""The HTML report's tables of a run over days: all travellers day by day, each pledge day
by day, and each lane group's lane-hours day by day (with CSV downloads, as every table of
the report)."""

from __future__ import annotations

from typing import Any

from .tables import Table, count_text, interval, raw_cells, raw_headers, share_text, wait_text

_LANE_METRICS = ("lane_hours", "lanes_open_max", "emergencies", "emergency_time_s")

__all__ = ["days_table", "lane_days_table", "pledge_days_table"]

_DAY_METRICS = ("arrived", "served", "wait_mean_s", "wait_p95_s", "wait_max_s")


def _label(day: dict[str, Any]) -> str:
    return f"day {day['day']}" + (f" ({day['date']})" if day.get("date") else "")


def days_table(summary: dict[str, Any]) -> Table | None:
    """Day by day, all travellers: arrivals, departures and waits (None without days)."""
    daily = summary["overall"].get("daily")
    if not daily:
        return None
    rows = [
        [
            _label(d),
            d.get("type") or "",
            count_text(d["arrived"]),
            count_text(d["served"]),
            wait_text(d["wait_mean_s"]),
            wait_text(d["wait_p95_s"]),
            wait_text(d["wait_max_s"]),
        ]
        for d in daily
    ]
    raw = [
        [d["day"], d.get("date") or "", d.get("type") or ""]
        + [v for metric in _DAY_METRICS for v in raw_cells(d[metric])]
        for d in daily
    ]
    return Table(
        "daily",
        "Day by day",
        ["day", "type", "arrived", "left", "mean wait", "p95 wait", "longest wait"],
        rows,
        ["day", "date", "type", *(h for m in _DAY_METRICS for h in raw_headers(m))],
        raw,
        "Arrivals and queue waits by the day travellers arrived; departures by the day they "
        "left. A wait for the opening of a port with limited hours is not a queue wait.",
        frozenset(range(2, 7)),
    )


def pledge_days_table(summary: dict[str, Any]) -> Table | None:
    """Each pledge day by day: the share within its wait, the interval and the verdict
    (None without days or pledges)."""
    targets = [t for t in summary.get("targets", []) if t.get("daily")]
    if not targets:
        return None
    rows, raw = [], []
    for target in targets:
        for d in target["daily"]:
            rows.append(
                [
                    target["name"],
                    _label(d),
                    d.get("type") or "",
                    share_text(d["share"]),
                    interval(d["share"], percent=True),
                    d["verdict"],
                ]
            )
            raw.append(
                [
                    target["name"],
                    d["day"],
                    d.get("date") or "",
                    d.get("type") or "",
                    *raw_cells(d["share"]),
                    d["verdict"],
                ]
            )
    return Table(
        "pledges_daily",
        "Pledges day by day",
        ["pledge", "day", "type", "share achieved", "95 % interval", "verdict"],
        rows,
        ["pledge", "day", "date", "type", *raw_headers("share"), "verdict"],
        raw,
        "The share of those who arrived that day (at the stage, for a stage's pledge) who "
        "cleared within the pledged wait; verdicts as for the whole run.",
        frozenset({3, 4}),
    )


def _number(stat: dict[str, Any], digits: int = 0) -> str:
    mean = stat.get("mean")
    return "-" if mean is None else f"{mean:,.{digits}f}"


def lane_days_table(summary: dict[str, Any]) -> Table | None:
    """Each lane group day by day: lane-hours (the staff cost), most lanes open at once and,
    with an emergency line, the emergencies begun that day and the time in emergency (None
    without days)."""
    rows, raw = [], []
    for stage, block in summary["stages"].items():
        for name, group in block["groups"].items():
            for d in group.get("daily") or ():
                rows.append(
                    [
                        f"{stage}.{name}",
                        _label(d),
                        d.get("type") or "",
                        _number(d["lane_hours"]),
                        _number(d["lanes_open_max"]),
                        _number(d.get("emergencies") or {}, 1),
                        wait_text(d["emergency_time_s"]) if "emergency_time_s" in d else "-",
                    ]
                )
                raw.append(
                    [f"{stage}.{name}", d["day"], d.get("date") or "", d.get("type") or ""]
                    + [v for m in _LANE_METRICS for v in raw_cells(d.get(m))]
                )
    if not rows:
        return None
    return Table(
        "lanes_daily",
        "Lanes day by day",
        ["lane group", "day", "type", "lane-hours", "most open", "emergencies", "in emergency"],
        rows,
        ["lane group", "day", "date", "type", *(h for m in _LANE_METRICS for h in raw_headers(m))],
        raw,
        "Staffed lane-hours each day (the staff cost by day: lanes open, and a closed lane "
        "finishing its traveller) and the most lanes open at once; "
        "the emergency plan's crossings that began that day and the time spent past the line "
        "that day (means over the replications).",
        frozenset(range(3, 7)),
    )
