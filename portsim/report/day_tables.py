"""The HTML report's tables of a run over days: all travellers day by day, each pledge day
by day, and each lane group's lane-hours day by day (with CSV downloads, as every table of
the report)."""

from __future__ import annotations

from ..results.catalog import (
    ARRIVED,
    EMERGENCIES,
    EMERGENCY_TIME,
    LANE_HOURS,
    LANES_OPEN_MAX,
    SERVED,
    SHARE,
    WAIT_MAX,
    WAIT_MEAN,
    WAIT_P95,
)
from ..results.scopes import OVERALL
from ..results.summary import Day, Summary
from .cells import interval_text, raw_cells, raw_headers, stat_text
from .tables import Column, CsvValue, Table

__all__ = ["days_table", "lane_days_table", "pledge_days_table"]

_DAY_COLUMNS = (
    Column(ARRIVED),
    Column(SERVED, header="left"),
    Column(WAIT_MEAN),
    Column(WAIT_P95),
    Column(WAIT_MAX),
)
_LANE_COLUMNS = (
    Column(LANE_HOURS),
    Column(LANES_OPEN_MAX),
    Column(EMERGENCIES),
    Column(EMERGENCY_TIME),
)


def _labels(day: Day) -> list[CsvValue]:
    return [day.number, day.date or "", day.type or ""]


def days_table(summary: Summary) -> Table | None:
    """Day by day, all travellers: arrivals, departures and waits (None without days)."""
    if not summary.days:
        return None
    rows: list[list[str]] = []
    raw: list[list[CsvValue]] = []
    for day in summary.days:
        stats = [summary.find(OVERALL, c.metric, day=day.index) for c in _DAY_COLUMNS]
        rows.append(
            [
                day.words,
                day.type or "",
                *(stat_text(c.metric, s) for c, s in zip(_DAY_COLUMNS, stats, strict=True)),
            ]
        )
        raw.append([*_labels(day), *(v for s in stats for v in raw_cells(s))])
    return Table(
        "daily",
        "Day by day",
        ["day", "type", *(c.title for c in _DAY_COLUMNS)],
        rows,
        ["day", "date", "type", *(h for c in _DAY_COLUMNS for h in raw_headers(c.metric))],
        raw,
        "Arrivals and queue waits by the day travellers arrived; departures by the day they "
        "left. A wait for the opening of a port with limited hours is not a queue wait.",
        frozenset(range(2, 7)),
    )


def pledge_days_table(summary: Summary) -> Table | None:
    """Each pledge day by day: the share within its wait, the interval and the verdict
    (None without days or pledges)."""
    rows: list[list[str]] = []
    raw: list[list[CsvValue]] = []
    for pledge in summary.pledges:
        for day, (share, verdict) in zip(summary.days, pledge.daily, strict=False):
            rows.append(
                [
                    pledge.name,
                    day.words,
                    day.type or "",
                    stat_text(SHARE, share),
                    interval_text(SHARE, share),
                    verdict,
                ]
            )
            raw.append([pledge.name, *_labels(day), *raw_cells(share), verdict])
    if not rows:
        return None
    return Table(
        "pledges_daily",
        "Pledges day by day",
        ["pledge", "day", "type", "share achieved", "95 % interval", "verdict"],
        rows,
        ["pledge", "day", "date", "type", *raw_headers(SHARE), "verdict"],
        raw,
        "The share of those who arrived that day (at the stage, for a stage's pledge) who "
        "cleared within the pledged wait; verdicts as for the whole run.",
        frozenset({3, 4}),
    )


def lane_days_table(summary: Summary) -> Table | None:
    """Each lane group day by day: lane-hours (the staff cost), most lanes open at once and,
    with an emergency line, the emergencies begun that day and the time in emergency (None
    without days)."""
    rows: list[list[str]] = []
    raw: list[list[CsvValue]] = []
    for group in summary.scopes("group"):
        for day in summary.days:
            if not summary.has(group, LANE_HOURS, day=day.index):
                continue
            stats = [summary.find(group, c.metric, day=day.index) for c in _LANE_COLUMNS]
            label = f"{group.name}.{group.group}"
            cells = [stat_text(c.metric, s) for c, s in zip(_LANE_COLUMNS, stats, strict=True)]
            rows.append([label, day.words, day.type or "", *cells])
            raw.append([label, *_labels(day), *(v for s in stats for v in raw_cells(s))])
    if not rows:
        return None
    return Table(
        "lanes_daily",
        "Lanes day by day",
        ["lane group", "day", "type", *(c.title for c in _LANE_COLUMNS)],
        rows,
        [
            "lane group",
            "day",
            "date",
            "type",
            *(h for c in _LANE_COLUMNS for h in raw_headers(c.metric)),
        ],
        raw,
        "Staffed lane-hours each day (the staff cost by day: lanes open, and a closed lane "
        "finishing its traveller) and the most lanes open at once; "
        "the emergency plan's crossings that began that day and the time spent past the line "
        "that day (means over the replications).",
        frozenset(range(3, 7)),
    )
