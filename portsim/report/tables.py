"""The report's tables: what a planner reads (rounded, with units and intervals: :mod:`.cells`)
and, for each, the CSV a planner downloads (plain numbers in seconds and shares, one column
per bound of an interval). Columns are metrics of the catalog; rows are scopes of the
summary."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..results.catalog import (
    ARRIVED,
    LANES_OPEN_MEAN,
    NO_VISIT,
    QUEUE_MAX,
    QUEUE_MEAN,
    SERVED,
    SHARE,
    SHUTTLE_AT_STOP,
    SHUTTLE_CENSORED_WAIT_MEAN,
    SHUTTLE_DEPARTURES,
    SHUTTLE_LEFT_FULL,
    SHUTTLE_LOAD_MEAN,
    SHUTTLE_QUEUE_MAX,
    SHUTTLE_QUEUE_MEAN,
    SHUTTLE_WAIT_MEAN,
    TIME_IN_PORT,
    UNFINISHED,
    UTILIZATION,
    VEHICLE_DWELL_MAX,
    VEHICLE_DWELL_MEAN,
    WAIT_FOR_VEHICLE_MAX,
    WAIT_FOR_VEHICLE_MEAN,
    WAIT_MAX,
    WAIT_MEAN,
    WAIT_P95,
    WAITING_OUTSIDE,
    Metric,
)
from ..results.scopes import OVERALL, PERSONS, VEHICLES, Scope
from ..results.summary import Summary
from ..units import format_duration
from .cells import Cell, clock, hour_span, interval_text, raw_cells, raw_headers, stat_text

__all__ = [
    "Column",
    "CsvValue",
    "Table",
    "clock",
    "flows_table",
    "hourly_table",
    "meetings_table",
    "pledges_table",
    "shuttles_table",
    "stages_table",
    "traveller_scopes",
]

CsvValue = Cell | str | int


@dataclass(frozen=True, slots=True)
class Table:
    """A table to show (``rows`` of text under ``headers``) and its CSV (``csv_rows`` of
    numbers under ``csv_headers``), saved as ``name``.csv."""

    name: str
    title: str
    headers: list[str]
    rows: list[list[str]]
    csv_headers: list[str]
    csv_rows: list[list[CsvValue]]
    note: str = ""
    #: columns (by index) that hold numbers: shown right-aligned
    numeric: frozenset[int] = field(default_factory=frozenset)
    #: what each header stands for, where it is words for code (a path, a target as typed):
    #: the header's hover title in HTML and a footnote under the table (``""``: nothing)
    hints: tuple[str, ...] = ()
    #: rows (by index) that are the answer (the chosen configuration): marked "chosen"
    chosen: frozenset[int] = field(default_factory=frozenset)

    def csv(self) -> str:
        """The CSV text: numbers as Python writes them, empty cells for missing values."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.csv_headers)
        writer.writerows([[_cell(v) for v in row] for row in self.csv_rows])
        return buffer.getvalue()


def _cell(value: CsvValue) -> CsvValue:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value


@dataclass(frozen=True, slots=True)
class Column:
    """A metric as a column: its header (the catalog's words unless given) and whether the
    cell holds the 95 % interval."""

    metric: Metric
    interval: bool = False
    header: str = ""

    @property
    def title(self) -> str:
        words = self.header or self.metric.words
        return f"{words} (95 % interval)" if self.interval else words


def metric_table(
    name: str,
    title: str,
    summary: Summary,
    *,
    rows: Sequence[tuple[str, Scope]],
    columns: Sequence[Column],
    note: str,
) -> Table:
    """A row per ``(label, scope)``, a column per metric (``-`` where a scope lacks it)."""
    shown: list[list[str]] = []
    raw: list[list[CsvValue]] = []
    for label, scope in rows:
        stats = [summary.find(scope, c.metric) for c in columns]
        shown.append(
            [
                label,
                *(
                    stat_text(c.metric, s, interval=c.interval)
                    for c, s in zip(columns, stats, strict=True)
                ),
            ]
        )
        raw.append([label.strip(), *(v for s in stats for v in raw_cells(s))])
    return Table(
        name,
        title,
        ["", *(c.title for c in columns)],
        shown,
        ["who", *(h for c in columns for h in raw_headers(c.metric))],
        raw,
        note,
        frozenset(range(1, len(columns) + 1)),
    )


def traveller_scopes(summary: Summary) -> list[tuple[str, Scope]]:
    """All travellers, each direction, each flow with its classes and its passengers who
    alight (indented), then persons and vehicles where there are vehicles."""
    out = [("all travellers", OVERALL)]
    out += [(f"direction {s.name}", s) for s in summary.scopes("direction")]
    for flow in summary.scopes("flow"):
        out.append((f"flow {flow.name}", flow))
        out += [
            (f"  class {c.name.partition('.')[2]}", c)
            for c in summary.scopes("class")
            if c.name.partition(".")[0] == flow.name
        ]
        out += [("  passengers", p) for p in summary.scopes("passengers", flow.name)]
    if summary.scopes("vehicles"):
        out += [("persons", PERSONS), ("vehicles", VEHICLES)]
    return out


def flows_table(summary: Summary) -> Table:
    """Every traveller scope: served, unfinished (and of them, where a port closes, those
    waiting outside for an opening), waits, time in port."""
    scopes = traveller_scopes(summary)
    skipped = any(summary.mean(s, NO_VISIT) > 0 for _, s in scopes)
    outside = any(summary.mean(s, WAITING_OUTSIDE) > 0 for _, s in scopes)
    columns = [
        Column(SERVED),
        Column(UNFINISHED),
        *([Column(WAITING_OUTSIDE, header="of them waiting outside")] if outside else []),
        *([Column(NO_VISIT)] if skipped else []),
        Column(WAIT_MEAN, interval=True),
        Column(WAIT_P95),
        Column(WAIT_MAX),
        Column(TIME_IN_PORT),
    ]
    return metric_table(
        "flows",
        "Travellers",
        summary,
        rows=scopes,
        columns=columns,
        note="Waits are queue times summed over the stages of a route, for the travellers who "
        "finished it; time in port adds the checks, walks and rides, and any wait outside "
        "for an opening.",
    )


_MEETING = (VEHICLE_DWELL_MEAN, VEHICLE_DWELL_MAX, WAIT_FOR_VEHICLE_MEAN, WAIT_FOR_VEHICLE_MAX)


def meetings_table(summary: Summary) -> Table | None:
    """Vehicles that wait for their passengers, and passengers who wait for their vehicle
    (None when no vehicle lets passengers alight): what coach bays are sized on."""
    rows: list[list[str]] = []
    raw: list[list[CsvValue]] = []
    for passengers in summary.scopes("passengers"):
        flow = Scope.flow(passengers.name)
        stats = [summary.find(flow if m.exists("flow") else passengers, m) for m in _MEETING]
        cells = [
            stat_text(m, stat, interval=m in {VEHICLE_DWELL_MEAN, WAIT_FOR_VEHICLE_MEAN})
            for m, stat in zip(_MEETING, stats, strict=True)
        ]
        rows.append([f"flow {flow.name}", *cells])
        raw.append([flow.name, *(v for stat in stats for v in raw_cells(stat))])
    if not rows:
        return None
    return Table(
        "meetings",
        "Meeting points",
        ["", *(m.words for m in _MEETING)],
        rows,
        ["flow", *(h for m in _MEETING for h in raw_headers(m))],
        raw,
        f"Vehicle dwell: {VEHICLE_DWELL_MEAN.meaning} (coach bays are sized on it). Wait for "
        f"the vehicle: {WAIT_FOR_VEHICLE_MEAN.meaning}.",
        frozenset(range(1, 5)),
    )


def shuttles_table(summary: Summary) -> Table | None:
    """Each stage a shuttle on demand leaves: its departures, how many left full, the load
    and the passengers' wait for the bus to leave (None without such a shuttle)."""
    rows = [(f"from {sc.name}", sc) for sc in summary.scopes("stage")]
    rows = [(label, sc) for label, sc in rows if summary.has(sc, SHUTTLE_DEPARTURES)]
    if not rows:
        return None
    return metric_table(
        "shuttles",
        "Shuttles on demand",
        summary,
        rows=rows,
        columns=[
            Column(SHUTTLE_DEPARTURES),
            Column(SHUTTLE_LEFT_FULL),
            Column(SHUTTLE_LOAD_MEAN),
            Column(SHUTTLE_WAIT_MEAN, interval=True),
            Column(SHUTTLE_QUEUE_MEAN),
            Column(SHUTTLE_QUEUE_MAX),
            Column(SHUTTLE_AT_STOP),
            Column(SHUTTLE_CENSORED_WAIT_MEAN),
        ],
        note="Buses that leave when full or after their wait: a departure not full left after "
        f"its wait. Wait for the bus: {SHUTTLE_WAIT_MEAN.meaning}. At the stop: "
        f"{SHUTTLE_QUEUE_MEAN.meaning}. Still at the stop: {SHUTTLE_AT_STOP.meaning}; "
        f"{SHUTTLE_CENSORED_WAIT_MEAN.meaning}.",
    )


def stages_table(summary: Summary) -> Table:
    """Each stage and, below it, its lane groups."""
    rows: list[tuple[str, Scope]] = []
    for stage in summary.scopes("stage"):
        rows.append((f"stage {stage.name}", stage))
        groups = summary.scopes("group", stage.name)
        rows += [(f"  {g.group}", g) for g in groups] if len(groups) > 1 else []
    columns = [
        Column(SERVED),
        Column(WAIT_MEAN, interval=True),
        Column(WAIT_P95),
        Column(UTILIZATION),
        Column(LANES_OPEN_MEAN),
        Column(QUEUE_MEAN),
        Column(QUEUE_MAX),
    ]
    table = metric_table(
        "stages",
        "Stages and lane groups",
        summary,
        rows=rows,
        columns=columns,
        note="Busy: busy lane-time over staffed lane-time after the warm-up (open, or a closed "
        "lane finishing its traveller). Lanes open: the mean over the counted time (a stage's: "
        "the sum over its groups).",
    )
    at = columns.index(Column(LANES_OPEN_MEAN))
    for (_, scope), row, raw in zip(rows, table.rows, table.csv_rows, strict=True):
        if scope.level == "stage":  # a stage's open lanes: its groups' together
            lanes = sum(
                summary.mean(g, LANES_OPEN_MEAN) for g in summary.scopes("group", scope.name)
            )
            row[1 + at] = f"{lanes:.1f}"
            raw[1 + 3 * at] = lanes
    return table


def hourly_table(summary: Summary, start: int = 0) -> Table:
    """Hour by hour, all travellers: arrivals, departures and waits (from the hour ``start``:
    a forecast's first, the hour its state's time falls in)."""
    columns = [Column(ARRIVED), Column(SERVED, header="left"), Column(WAIT_MEAN), Column(WAIT_P95)]
    rows: list[list[str]] = []
    raw: list[list[CsvValue]] = []
    for hour in range(start, summary.hours(OVERALL)):
        stats = [summary.find(OVERALL, c.metric, hour=hour) for c in columns]
        rows.append(
            [
                hour_span(hour),
                *(stat_text(c.metric, s) for c, s in zip(columns, stats, strict=True)),
            ]
        )
        raw.append([hour, *(v for s in stats for v in raw_cells(s))])
    return Table(
        "hourly",
        "Hour by hour",
        ["hour", *(c.title for c in columns)],
        rows,
        ["hour", *(h for c in columns for h in raw_headers(c.metric))],
        raw,
        "Arrivals and waits by the hour travellers arrived; departures by the hour they left.",
        frozenset(range(1, 5)),
    )


def pledges_table(summary: Summary) -> Table | None:
    """Each pledge: for whom, what it promises, the share achieved and the verdict."""
    pledges = summary.pledges
    if not pledges:
        return None
    rows = [
        [
            p.name,
            p.for_whom,
            f"{p.pledged:.0%} within {format_duration(p.wait_within)}",
            stat_text(SHARE, p.share),
            interval_text(SHARE, p.share),
            p.verdict,
        ]
        for p in pledges
    ]
    raw: list[list[CsvValue]] = [
        [p.name, p.for_whom, p.wait_within, p.pledged, *raw_cells(p.share), p.verdict]
        for p in pledges
    ]
    return Table(
        "pledges",
        "Service pledges",
        ["pledge", "for", "promise", "share achieved", "95 % interval", "verdict"],
        rows,
        ["pledge", "for", "wait_within_s", "share_pledged", *raw_headers(SHARE), "verdict"],
        raw,
        "pass: the whole interval is above the "
        "pledged share; fail: below it; inconclusive: it straddles the pledge.",
        frozenset({3, 4}),
    )
