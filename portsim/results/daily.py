"""Days, opening hours, staff and emergencies in the metric rows.

* Daily rows (a run with a calendar, or longer than two days), for the overall, flow and
  direction blocks: the metrics ``day_arrived`` (counted arrivals), ``day_served``
  (completions, by exit), ``day_wait_mean_s``, ``day_wait_p95_s``, ``day_wait_max_s`` (the
  waits of the served, by arrival) and, with opening hours, ``day_wait_for_opening_mean_s``,
  in the row's ``hour`` field the day from day 1 (0). The run JSON shows them as each block's
  ``daily`` list.
* ``wait_for_opening_mean_s`` and ``wait_for_opening_max_s`` (with opening hours): the time
  a served entity waited outside for the port to open, apart from its queue waits (known
  from its arrival time and the hours alone), and before stages with hours of their own
  that were closed when it reached them (the engine reports it).
* ``utilization`` of each lane group and stage: busy over staffed lane-time after the
  warm-up (:func:`utilization`).
* ``lane_hours`` of each lane group and stage: staffed lane-hours after the warm-up (the
  staff cost): the integral of ``lanes_open`` (lanes open, taking travellers) plus the
  overtime, the time a lane closed while serving spent finishing its traveller (from the
  closing until the traveller left, the lane reopened or the horizon, whichever came
  first). ``lanes_open_mean`` and ``lanes_open_max`` count open lanes only.
* ``emergencies`` and ``emergency_time_s`` of each lane group with an emergency line: how
  many times the expected wait passed it (starting after the warm-up), and for how long.
* Each lane group's days (with daily rows): ``day_lane_hours`` (the day's share of
  ``lane_hours``, the staff cost by day: the open lane-time and the overtime that fell on
  that day), ``day_lanes_open_max`` (most lanes open at once that day) and, with an
  emergency line, ``day_emergencies`` (crossings that started that day) and
  ``day_emergency_time_s`` (the time in emergency that fell on that day). They come from
  the engine's own logs of open lanes, overtime and emergencies, the same with or without
  per-entity records; each sums over the days to the whole run's figure.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..engine.replication import EngineCounters
from ..model.model import Model
from ..units import DAY, HOUR, HOURS_PER_DAY
from .catalog import (
    ARRIVED,
    EMERGENCIES,
    EMERGENCY_TIME,
    LANE_HOURS,
    LANES_OPEN_MAX,
    SERVED,
    WAIT_FOR_OPENING_MAX,
    WAIT_FOR_OPENING_MEAN,
    WAIT_MAX,
    WAIT_MEAN,
    WAIT_P95,
    Metric,
)
from .histograms import Bins, percentiles
from .rows import TableWriter
from .waits import floor_quotient, grouped

__all__ = [
    "daily_rows",
    "daily_rows_from_hours",
    "day_index",
    "group_rows",
    "opening_stats",
    "opening_waits",
    "staffed_hours",
    "utilization",
]

Floats = NDArray[np.float64]


def opening_waits(model: Model, arrival: Floats, stages: Floats | None = None) -> Floats:
    """The time each entity arriving at ``arrival`` waited for the port to open (zeros
    without opening hours; an arrival after the last opening waited to the horizon), plus
    ``stages``, its waits before stages closed when it reached them (stages with hours of
    their own), when given."""
    if model.hours is None:
        held = np.zeros(len(arrival))
    else:
        entry = np.minimum(model.hours.entries(arrival), model.horizon)
        held = np.maximum(entry - arrival, 0.0)
    return held if stages is None else held + stages


def opening_stats(held: Floats) -> dict[Metric, float]:
    """Mean and longest wait for the opening (NaN for none)."""
    if not len(held):
        return {WAIT_FOR_OPENING_MEAN: math.nan, WAIT_FOR_OPENING_MAX: math.nan}
    return {
        WAIT_FOR_OPENING_MEAN: float(held.mean()),
        WAIT_FOR_OPENING_MAX: float(held.max()),
    }


def day_index(times: Floats, days: int, *, scratch: bool = False) -> NDArray[np.integer]:
    """The day (from 0) of each time, the last day for NaN (a time that has not come) and
    for times past it; two bytes a time (a column of every visit's day is kept).
    ``scratch``: ``times`` is a temporary copy, which may be overwritten."""
    index = floor_quotient(times, DAY, scratch=scratch)
    np.fmin(index, days - 1, out=index)  # fmin takes the number over NaN: one pass for both
    return index.astype(np.int16 if days <= np.iinfo(np.int16).max else np.int32)


def daily_rows(
    out: TableWriter,
    model: Model,
    *,
    arrived_days: NDArray[np.integer],
    exit_days: NDArray[np.integer],
    served_days: NDArray[np.integer],
    waits: Floats,
    held: Floats | None,
) -> None:
    """A block's daily rows, from the day (:func:`day_index`) of each counted arrival, of
    each exit of the served and of their arrivals, and their waits (and their waits for
    the opening)."""
    days = len(model.days or ())
    arrived = np.bincount(arrived_days, minlength=days)
    served = np.bincount(exit_days, minlength=days)
    day = served_days
    by_day = grouped(waits, day)
    counts = np.bincount(day, minlength=days)
    starts = np.cumsum(counts) - counts
    for d in range(days):
        chunk = by_day[starts[d] : starts[d] + counts[d]]
        values = {
            ARRIVED: arrived[d],
            SERVED: served[d],
            WAIT_MEAN: float(chunk.mean()) if len(chunk) else math.nan,
            WAIT_P95: float(np.percentile(chunk, 95)) if len(chunk) else math.nan,
            WAIT_MAX: float(chunk.max()) if len(chunk) else math.nan,
        }
        if held is not None:
            mine = held[day == d]
            values[WAIT_FOR_OPENING_MEAN] = float(mine.mean()) if len(mine) else math.nan
        for metric, value in values.items():
            out.put_day(metric, value, d)


def daily_rows_from_hours(
    out: TableWriter,
    *,
    arrived: NDArray[np.int64],
    served: NDArray[np.int64],
    count: NDArray[np.int64],
    total: Floats,
    top: Floats,
    hist: NDArray[np.integer],
    bins: Bins,
    held: tuple[Floats, Floats] | None,
) -> None:
    """An entity block's daily rows from its hourly tallies (streaming results): each of
    ``arrived``, ``served``, ``count``, ``total``, ``top`` by hour, ``hist`` hours × bins;
    ``held``: the sum of the waits for the opening and their count, by day."""
    hours = len(arrived)
    days = math.ceil(hours / HOURS_PER_DAY)

    def by_day(values: NDArray[Any], how: str = "sum") -> NDArray[Any]:
        padded = np.resize(values, (days * HOURS_PER_DAY, *values.shape[1:]))
        padded[hours:] = 0 if how == "sum" else -math.inf
        shaped = padded.reshape(days, HOURS_PER_DAY, *values.shape[1:])
        out: NDArray[Any] = shaped.sum(axis=1) if how == "sum" else shaped.max(axis=1)
        return out

    n, sums, tops = by_day(count), by_day(total), by_day(top, "max")
    p95 = percentiles(bins, by_day(hist), tops, (95,))[:, 0]
    arrived_days, served_days = by_day(arrived), by_day(served)
    for d in range(days):
        values = {
            ARRIVED: arrived_days[d],
            SERVED: served_days[d],
            WAIT_MEAN: sums[d] / n[d] if n[d] else math.nan,
            WAIT_P95: p95[d],
            WAIT_MAX: tops[d] if n[d] else math.nan,
        }
        if held is not None:
            total_held, counted = held
            values[WAIT_FOR_OPENING_MEAN] = total_held[d] / counted[d] if counted[d] else math.nan
        for metric, value in values.items():
            out.put_day(metric, value, d)


#: how far above 1 a utilisation is a rounding error: busy and staffed lane-time are each
#: summed from many service and opening spells, so a lane busy whenever staffed can come
#: out a few units in the last place over 1
_ROUNDING = 1e-9


def utilization(counters: EngineCounters, groups: tuple[int, ...]) -> float:
    """Busy lane-time over staffed lane-time (open, or in overtime) of ``groups`` after the
    warm-up: at most 1, a rounding error above it taken as 1 (NaN: never staffed)."""
    busy = sum(counters.group_busy_time[g] for g in groups)
    staffed = sum(counters.group_staffed_time[g] for g in groups)
    if not staffed:
        return math.nan
    share = float(busy / staffed)
    return 1.0 if 1.0 < share <= 1.0 + _ROUNDING else share


def staffed_hours(counters: EngineCounters, groups: tuple[int, ...]) -> float:
    """``lane_hours`` of ``groups``: their open lane-time plus overtime after the warm-up, in
    hours (the same counters, so the same number, with or without records)."""
    return float(sum(counters.group_staffed_time[g] for g in groups) / HOUR)


def group_rows(out: TableWriter, model: Model, counters: EngineCounters, group: int) -> None:
    """A lane group's lane-hours, and its emergencies when it has an emergency line (and
    both by day, in a run with days)."""
    out.put(LANE_HOURS, staffed_hours(counters, (group,)))
    if model.multi_day:
        overtime = counters.overtime[group] if counters.overtime else ()
        _lane_days(out, model, counters.lanes_open[group], overtime)
    rule = model.groups[group].rule
    if rule is None or math.isinf(rule.emergency):
        return
    crossings = counters.emergencies[group] if counters.emergencies else ()
    counted = [(start, length) for start, length in crossings if start >= model.warmup]
    out.put(EMERGENCIES, len(counted))
    out.put(EMERGENCY_TIME, math.fsum(length for _, length in counted))
    if model.multi_day:
        _emergency_days(out, model, counted)


def _windows(model: Model) -> list[tuple[float, float]]:
    """Each day of the run after the warm-up: ``(start, end)`` (empty before the warm-up)."""
    days = len(model.days or ())
    return [
        (max(d * DAY, model.warmup), max(min((d + 1) * DAY, model.horizon), model.warmup))
        for d in range(days)
    ]


def _lane_days(
    out: TableWriter,
    model: Model,
    log: tuple[tuple[float, int], ...],
    overtime: tuple[tuple[float, float], ...],
) -> None:
    """A lane group's lane-hours and most lanes open, day by day, from its log of open
    lanes (``(time, lanes open from then)``, from 0) and its overtime (``(start, end)``):
    an overtime that runs past midnight counts on each day for its part."""
    times = np.array([t for t, _ in log])
    lanes = np.array([n for _, n in log], dtype=np.int64)
    until = np.append(times[1:], model.horizon)
    for d, (start, end) in enumerate(_windows(model)):
        lasted = np.minimum(until, end) - np.maximum(times, start)
        held = lasted > 0  # a state that lasted (not one replaced at the same instant)
        seconds = math.fsum((lanes[held] * lasted[held]).tolist())
        seconds += math.fsum(max(min(e, end) - max(s, start), 0.0) for s, e in overtime)
        out.put_day(LANE_HOURS, seconds / HOUR, d)
        out.put_day(LANES_OPEN_MAX, int(lanes[held].max()) if held.any() else 0, d)


def _emergency_days(out: TableWriter, model: Model, counted: list[tuple[float, float]]) -> None:
    """Emergencies that started on each day, and the time in emergency on each day."""
    for d, (start, end) in enumerate(_windows(model)):
        began = sum(1 for s, _ in counted if start <= s < end)
        inside = math.fsum(max(min(s + n, end) - max(s, start), 0.0) for s, n in counted)
        out.put_day(EMERGENCIES, began, d)
        out.put_day(EMERGENCY_TIME, inside, d)
