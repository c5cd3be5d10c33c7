"""A staff pool's metric rows, from the engine's two logs of it: officers committed and
officers on duty, each ``(time, officers from then)`` from time 0, in time order.

* ``officer_hours``: the integral of the officers committed over ``[warm-up, horizon]``, in
  hours. Committed is on an open lane, finishing a traveller on a closing lane, or moving
  between lane groups (the engine decides; this module only integrates its log).
* ``officer_hours_on_duty``: the same integral of the officers on duty (the roster).
* ``officers_busy_mean``: the officers committed, time-weighted, over ``[warm-up,
  horizon]``; by hour (hour k from 00:00 of day 1, warm-up hours included, the last hour cut
  at the horizon), over that hour.
* ``officers_busy_max`` and ``officers_on_duty``: the most committed, and the most on duty,
  at once in the same spans. A state that lasted no time (replaced at the same instant) does
  not count.
* In a run with days, ``day_officer_hours`` and ``day_officer_hours_on_duty``: the same
  integrals over each day after the warm-up (they add up to the whole run's).

The committed metrics (``officers_busy_*``) are bounded by those on duty (the catalog's
``ceiling``), so no interval reaches past what the pool could commit. A scenario without
pools has no pool rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise

from ..engine.replication import EngineCounters
from ..model.model import Model
from ..units import DAY, HOUR
from .catalog import (
    OFFICER_HOURS,
    OFFICER_HOURS_ON_DUTY,
    OFFICERS_BUSY_MAX,
    OFFICERS_BUSY_MEAN,
    OFFICERS_ON_DUTY,
)
from .rows import MetricTable, TableWriter

__all__ = ["Log", "log_integral", "log_most", "pool_blocks", "pool_rows"]

#: a pool's log: ``(time, officers from then)``, from time 0, in time order
Log = Sequence[tuple[float, int]]


def _spells(log: Log, start: float, end: float) -> list[tuple[float, int]]:
    """How long each state of ``log`` lasted within ``[start, end]``, and its officers
    (states that lasted no time within it left out)."""
    out = []
    for (t0, n), (t1, _) in pairwise([*log, (math.inf, 0)]):
        lasted = min(t1, end) - max(t0, start)
        if lasted > 0:
            out.append((lasted, n))
    return out


def log_integral(log: Log, start: float, end: float) -> float:
    """Officer-seconds of ``log`` within ``[start, end]``."""
    return math.fsum(lasted * n for lasted, n in _spells(log, start, end))


def log_most(log: Log, start: float, end: float) -> int:
    """The most officers at once in ``log`` within ``[start, end]`` (0: no time in it)."""
    return max((n for _, n in _spells(log, start, end)), default=0)


def pool_rows(
    out: TableWriter,
    in_use: Log,
    on_duty: Log,
    *,
    warmup: float,
    horizon: float,
    days: Sequence[tuple[float, float]] = (),
) -> None:
    """A pool's rows over the run after the warm-up, then by hour, then (``days``: each
    day's counted ``(start, end)``, a run with days) its officer-hours day by day."""
    observed = horizon - warmup
    out.put(OFFICER_HOURS, log_integral(in_use, warmup, horizon) / HOUR)
    out.put(OFFICER_HOURS_ON_DUTY, log_integral(on_duty, warmup, horizon) / HOUR)
    out.put(OFFICERS_ON_DUTY, log_most(on_duty, warmup, horizon))
    busy = log_integral(in_use, warmup, horizon) / observed if observed > 0 else math.nan
    out.put(OFFICERS_BUSY_MEAN, busy)
    out.put(OFFICERS_BUSY_MAX, log_most(in_use, warmup, horizon))
    for hour in range(math.ceil(horizon / HOUR)):
        start, end = hour * HOUR, min((hour + 1) * HOUR, horizon)
        out.put(OFFICERS_ON_DUTY, log_most(on_duty, start, end), hour)
        out.put(OFFICERS_BUSY_MEAN, log_integral(in_use, start, end) / (end - start), hour)
        out.put(OFFICERS_BUSY_MAX, log_most(in_use, start, end), hour)
    for day, (start, end) in enumerate(days):
        out.put_day(OFFICER_HOURS, log_integral(in_use, start, end) / HOUR, day)
        out.put_day(OFFICER_HOURS_ON_DUTY, log_integral(on_duty, start, end) / HOUR, day)


def pool_blocks(table: MetricTable, model: Model, counters: EngineCounters) -> None:
    """Each staff pool's rows, from the engine's logs (nothing without pools); the same
    with or without per-entity records."""
    warmup, horizon = model.warmup, model.horizon
    days = [
        (max(d * DAY, warmup), max(min((d + 1) * DAY, horizon), warmup))
        for d in range(len(model.days or ()) if model.multi_day else 0)
    ]  # each day after the warm-up, as a lane group's lane-hours by day (.daily)
    for pool in model.pools:
        pool_rows(
            TableWriter(table, "pool", pool.name),
            counters.officers_in_use[pool.index],
            counters.officers_on_duty[pool.index],
            warmup=warmup,
            horizon=horizon,
            days=days,
        )
