"""The text report's days: one line a day, then the worst hours; the waits for the port to
open; lane-hours (the staff cost) and the emergency plan's crossings."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from ..results.catalog import (
    ARRIVED,
    EMERGENCIES,
    EMERGENCY_TIME,
    LANE_HOURS,
    LANES_OPEN_MAX,
    SERVED,
    SHARE,
    WAIT_FOR_OPENING_MAX,
    WAIT_FOR_OPENING_MEAN,
    WAIT_MAX,
    WAIT_MEAN,
    WAIT_P95,
)
from ..results.scopes import OVERALL
from ..results.summary import Summary
from ..units import format_duration
from .cells import clock, interval_text, stat_text, value_text

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

#: lays out rows of cells under headers as lines of text
Layout = Callable[[list[str], list[list[str]]], list[str]]


def _day_clock(seconds: float) -> str:
    """``day 1 07:30``: every time with its day, as a multi-day report reads them."""
    text = clock(seconds)
    return text if text.startswith("day") else f"day 1 {text}"


def daily_lines(s: Summary, table: Layout) -> list[str]:
    """One line a day (all travellers), or nothing for a run without days."""
    if not s.days:
        return []
    opening = s.has(OVERALL, WAIT_FOR_OPENING_MEAN, day=0)
    metrics = [ARRIVED, SERVED, WAIT_MEAN, WAIT_P95, WAIT_MAX]
    metrics += [WAIT_FOR_OPENING_MEAN] if opening else []
    rows = [
        [
            f"day {d.number}" + (f" {d.date}" if d.date else ""),
            d.type or "",
            *(stat_text(m, s.find(OVERALL, m, day=d.index)) for m in metrics),
        ]
        for d in s.days
    ]
    headers = ["day", "type", *("left" if m is SERVED else m.words for m in metrics)]
    return [
        "",
        "By day (all travellers; waits of the travellers who arrived that day)",
        *table(headers, rows),
    ]


def pledge_day_lines(s: Summary, table: Layout) -> list[str]:
    """Each pledge day by day: the share within its wait, the 95 % interval and the verdict
    (nothing for a run without days or pledges)."""
    pledges = [p for p in s.pledges if p.daily]
    if not pledges:
        return []
    rows = []
    for d, day in enumerate(s.days[: len(pledges[0].daily)]):
        row = [f"day {day.number}" + (f" {day.date}" if day.date else ""), day.type or ""]
        for pledge in pledges:
            share, verdict = pledge.daily[d]
            cell = stat_text(SHARE, share)
            if share.interval is not None:
                cell += f" [{interval_text(SHARE, share)}]"
            row.append("-" if cell == "-" else f"{cell} {verdict}")
        rows.append(row)
    return [
        "",
        "Pledges by day (share within the pledged wait, by the day the travellers arrived, at "
        "the stage for a stage's pledge; 95 % interval; verdict)",
        *table(["day", "type", *(p.name for p in pledges)], rows),
    ]


def worst_hours(s: Summary, table: Layout) -> list[str]:
    """The hours with the longest p95 waits (all travellers)."""
    hours = [
        h for h in range(s.hours(OVERALL)) if not math.isnan(s.mean(OVERALL, WAIT_P95, hour=h))
    ]
    worst = sorted(hours, key=lambda h: -s.mean(OVERALL, WAIT_P95, hour=h))[:WORST_HOURS]
    if not worst:
        return []
    rows = [
        [
            _day_clock(h * 3600.0),
            *(stat_text(m, s.find(OVERALL, m, hour=h)) for m in (ARRIVED, WAIT_MEAN, WAIT_P95)),
        ]
        for h in worst
    ]
    return [
        "",
        f"Worst hours (the {len(worst)} longest p95 waits of {len(hours)} hours; every hour is "
        "in the JSON: overall.hourly, flows.NAME.hourly and stages.NAME.hourly)",
        *table(["hour", *(m.words for m in (ARRIVED, WAIT_MEAN, WAIT_P95))], rows),
    ]


def opening_lines(s: Summary) -> list[str]:
    """The waits for the port (or a stage with hours of its own) to open, apart from queueing."""
    if not s.has(OVERALL, WAIT_FOR_OPENING_MEAN):
        return []
    lines = [
        "",
        "Waits for the opening (outside the port, or before a stage with hours of its own, "
        "while closed; not in the waits above)",
    ]
    for name, scope in [("all travellers", OVERALL), *((f.name, f) for f in s.scopes("flow"))]:
        lines.append(
            f"- {name}: {stat_text(WAIT_FOR_OPENING_MEAN, s.find(scope, WAIT_FOR_OPENING_MEAN))} "
            f"on average, {stat_text(WAIT_FOR_OPENING_MAX, s.find(scope, WAIT_FOR_OPENING_MAX))} "
            "at most"
        )
    return lines


def _emergencies(s: Summary, stage: str, group: str) -> str:
    """What a lane group's emergency line did, or nothing without one."""
    scope = next(g for g in s.scopes("group", stage) if g.group == group)
    if not s.has(scope, EMERGENCIES):
        return ""
    count = s.mean(scope, EMERGENCIES)
    if not count:
        return "; the emergency line was never passed"
    text = (
        f"; the emergency line was passed {value_text(EMERGENCIES, count)} times a run, for "
        f"{format_duration(s.mean(scope, EMERGENCY_TIME))} in all"
    )
    logs = (s.run.emergency_log or {}) if s.run is not None else {}
    first: Sequence[tuple[float, float]] = (logs.get((stage, group)) or ((),))[0]
    listed = [
        f"{_day_clock(start)} for {format_duration(length)}"
        for start, length in first[:LISTED_EMERGENCIES]
    ]
    if listed:
        more = len(first) - len(listed)
        text += " (replication 1: " + "; ".join(listed)
        text += f"; {more} more)" if more > 0 else ")"
    return text


def staff_lines(s: Summary) -> list[str]:
    """Lane-hours of each lane group, and the emergencies of those with an emergency line
    (for a run with days, opening hours or an emergency line; nothing otherwise)."""
    groups = s.scopes("group")
    if not (
        s.days
        or s.has(OVERALL, WAIT_FOR_OPENING_MEAN)
        or any(s.has(g, EMERGENCIES) for g in groups)
    ):
        return []
    lines = [
        "",
        "Lanes and staff (lane-hours: staffed lanes × hours after the warm-up, a closing lane "
        "until its last traveller leaves)",
    ]
    for g in groups:
        hours = value_text(LANE_HOURS, s.mean(g, LANE_HOURS))
        lines.append(f"- {g.name}.{g.group}: {hours} lane-hours{_emergencies(s, g.name, g.group)}")
    return lines


def lane_day_lines(s: Summary, table: Layout) -> list[str]:
    """Each lane group's lane-hours day by day (the staff cost by day), with the emergency
    plan's crossings that started that day where a group has an emergency line (nothing
    for a run without days)."""
    groups = [g for g in s.scopes("group") if s.has(g, LANE_HOURS, day=0)]
    if not groups:
        return []
    rows = []
    for day in s.days:
        row = [f"day {day.number}" + (f" {day.date}" if day.date else ""), day.type or ""]
        for g in groups:
            cell = (
                f"{value_text(LANE_HOURS, s.mean(g, LANE_HOURS, day=day.index))} (max "
                f"{value_text(LANES_OPEN_MAX, s.mean(g, LANES_OPEN_MAX, day=day.index))})"
            )
            emergencies = s.mean(g, EMERGENCIES, day=day.index)
            if not math.isnan(emergencies) and emergencies:
                cell += f", {value_text(EMERGENCIES, emergencies)} emergencies"
            row.append(cell)
        rows.append(row)
    return [
        "",
        "Lane-hours by day (each lane group: lane-hours, most lanes open at once, emergencies "
        "begun that day; means over the replications)",
        *table(["day", "type", *(f"{g.name}.{g.group}" for g in groups)], rows),
    ]
