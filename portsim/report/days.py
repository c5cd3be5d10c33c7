"""The text report's days: one line a day, then the worst hours; the waits for the port to
open; lane-hours (the staff cost) and the emergency plan's crossings."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ..units import DAY, HOUR, MINUTE, format_duration

__all__ = [
    "daily_lines",
    "lane_day_lines",
    "opening_lines",
    "pledge_day_lines",
    "staff_lines",
    "worst_hours",
]

#: the worst hours a multi-day report lists
WORST_HOURS = 5
#: the emergencies listed per lane group (of the first replication)
LISTED_EMERGENCIES = 5

Cell = Callable[[dict[str, Any]], str]


def _clock(seconds: float) -> str:
    day, rest = divmod(int(seconds), int(DAY))
    return f"day {day + 1} {rest // int(HOUR):02d}:{rest % int(HOUR) // int(MINUTE):02d}"


def _mean(metric: dict[str, Any] | None) -> float:
    value = None if metric is None else metric.get("mean")
    return math.nan if value is None else float(value)


def daily_lines(s: dict[str, Any], num: Cell, wait: Cell, table: Any) -> list[str]:
    """One line a day (all flows), or nothing for a run without days."""
    daily = s["overall"].get("daily")
    if not daily:
        return []
    opening = "wait_for_opening_mean_s" in daily[0]
    rows = []
    for d in daily:
        label = f"day {d['day']}" + (f" {d['date']}" if d.get("date") else "")
        row = [label, d.get("type") or "", num(d["arrived"]), num(d["served"])]
        row += [wait(d["wait_mean_s"]), wait(d["wait_p95_s"]), wait(d["wait_max_s"])]
        if opening:
            row.append(wait(d["wait_for_opening_mean_s"]))
        rows.append(row)
    headers = ["day", "type", "arrived", "served", "wait mean", "p95", "max"]
    if opening:
        headers.append("opening wait")
    return [
        "",
        "By day (all flows; waits of the travellers who arrived that day)",
        *table(headers, rows),
    ]


def pledge_day_lines(s: dict[str, Any], table: Any) -> list[str]:
    """Each pledge day by day: the share within its wait, the 95 % interval and the verdict
    (nothing for a run without days or pledges)."""
    targets = [t for t in s.get("targets", []) if t.get("daily")]
    if not targets:
        return []
    rows = []
    for d, day in enumerate(targets[0]["daily"]):
        label = f"day {day['day']}" + (f" {day['date']}" if day.get("date") else "")
        row = [label, day.get("type") or ""]
        for target in targets:
            row.append(_share_cell(target["daily"][d]))
        rows.append(row)
    return [
        "",
        "Pledges by day (share within the pledged wait, by the day the travellers arrived, at "
        "the stage for a stage's pledge; 95 % interval; verdict)",
        *table(["day", "type", *(t["name"] for t in targets)], rows),
    ]


def _share_cell(entry: dict[str, Any]) -> str:
    share = entry["share"]
    if share["mean"] is None or math.isnan(share["mean"]):
        return "-"
    ci = share["ci95"]
    interval = f" [{ci[0]:.1%}, {ci[1]:.1%}]" if ci else ""
    return f"{share['mean']:.1%}{interval} {entry['verdict']}"


def worst_hours(s: dict[str, Any], num: Cell, wait: Cell, table: Any) -> list[str]:
    """The hours with the longest p95 waits (all flows)."""
    hourly = [h for h in s["overall"].get("hourly", []) if not math.isnan(_mean(h["wait_p95_s"]))]
    worst = sorted(hourly, key=lambda h: -_mean(h["wait_p95_s"]))[:WORST_HOURS]
    if not worst:
        return []
    rows = [
        [_clock(h["hour"] * HOUR), num(h["arrived"]), wait(h["wait_mean_s"]), wait(h["wait_p95_s"])]
        for h in worst
    ]
    return [
        "",
        f"Worst hours (the {len(worst)} longest p95 waits of {len(hourly)} hours; every hour is "
        "in the JSON: overall.hourly, flows.NAME.hourly and stages.NAME.hourly)",
        *table(["hour", "arrived", "wait mean", "p95"], rows),
    ]


def opening_lines(s: dict[str, Any], wait: Cell) -> list[str]:
    """The waits for the port (or a stage with hours of its own) to open, apart from queueing."""
    if "wait_for_opening_mean_s" not in s["overall"]:
        return []
    lines = [
        "",
        "Waits for the opening (outside the port, or before a stage with hours of its own, "
        "while closed; not in the waits above)",
    ]
    for name, m in [("all flows", s["overall"]), *s["flows"].items()]:
        lines.append(
            f"- {name}: {wait(m['wait_for_opening_mean_s'])} on average, "
            f"{wait(m['wait_for_opening_max_s'])} at most"
        )
    return lines


def staff_lines(s: dict[str, Any]) -> list[str]:
    """Lane-hours of each lane group, and the emergencies of those with an emergency line
    (for a run with days, opening hours or an emergency line; nothing otherwise)."""
    groups = [g for m in s["stages"].values() for g in m["groups"].values()]
    overall = s["overall"]
    if not (
        overall.get("daily")
        or "wait_for_opening_mean_s" in overall
        or any("emergencies" in g for g in groups)
    ):
        return []
    lines = ["", "Lanes and staff (lane-hours after the warm-up: lanes open, and overtime)"]
    for stage, m in s["stages"].items():
        for group, g in m["groups"].items():
            text = f"- {stage}.{group}: {_mean(g['lane_hours']):,.0f} lane-hours"
            if "emergencies" in g and not _mean(g["emergencies"]):
                text += "; the emergency line was never passed"
            elif "emergencies" in g:
                text += (
                    f"; the emergency line was passed {_mean(g['emergencies']):.1f} times "
                    f"a run, for {format_duration(_mean(g['emergency_time_s']))} in all"
                )
                logs = g.get("emergency_log") or [[]]
                listed = [
                    f"{_clock(start)} for {format_duration(length)}"
                    for start, length in logs[0][:LISTED_EMERGENCIES]
                ]
                if listed:
                    more = len(logs[0]) - len(listed)
                    text += " (replication 1: " + "; ".join(listed)
                    text += f"; {more} more)" if more > 0 else ")"
            lines.append(text)
    return lines


def lane_day_lines(s: dict[str, Any], table: Any) -> list[str]:
    """Each lane group's lane-hours day by day (the staff cost by day), with the emergency
    plan's crossings that started that day where a group has an emergency line (nothing
    for a run without days)."""
    groups = [
        (f"{stage}.{name}", g["daily"])
        for stage, m in s["stages"].items()
        for name, g in m["groups"].items()
        if g.get("daily")
    ]
    if not groups:
        return []
    rows = []
    for d, day in enumerate(groups[0][1]):
        label = f"day {day['day']}" + (f" {day['date']}" if day.get("date") else "")
        row = [label, day.get("type") or ""]
        for _, daily in groups:
            entry = daily[d]
            cell = f"{_mean(entry['lane_hours']):,.0f} (max {_mean(entry['lanes_open_max']):.0f})"
            if "emergencies" in entry and _mean(entry["emergencies"]):
                cell += f", {_mean(entry['emergencies']):.1f} emergencies"
            row.append(cell)
        rows.append(row)
    return [
        "",
        "Lane-hours by day (each lane group: lane-hours, most lanes open at once, emergencies "
        "begun that day; means over the replications)",
        *table(["day", "type", *(name for name, _ in groups)], rows),
    ]
