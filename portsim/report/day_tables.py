"""The HTML report's tables of a run over days: all travellers day by day, and each pledge
day by day (with CSV downloads, as every table of the report)."""

from __future__ import annotations

from typing import Any

from .tables import Table, count_text, interval, raw_cells, raw_headers, share_text, wait_text

__all__ = ["days_table", "pledge_days_table"]

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
