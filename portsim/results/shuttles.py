"""Shuttles on demand in the metric rows: for the stage a bus leaves from, the departures
after the warm-up (``shuttle_departures``), how many left full (``shuttle_left_full``; the
others left after their wait), the passengers aboard a departing bus on average
(``shuttle_load_mean``) and the time a passenger spent at the stop until the bus left
(``shuttle_wait_mean_s``: in the time in port, not in the queue waits), and the stop's own
queue: its time-weighted mean and most at once (``shuttle_queue_mean``, ``shuttle_queue_max``:
in the queue or aboard the bus there), who is still there at the end of the run
(``shuttle_at_stop``) and how long they had waited so far (``shuttle_censored_wait_mean_s``,
``shuttle_censored_wait_max_s``: a lower bound, NaN when nobody is left, as the censored
queue waits). They come from the engine's own log of departures and count of the stop, the
same with or without per-entity records. A timetabled shuttle reports none of them."""

from __future__ import annotations

import math

from ..engine.replication import EngineCounters
from ..model.model import Model
from .catalog import (
    SHUTTLE_AT_STOP,
    SHUTTLE_CENSORED_WAIT_MAX,
    SHUTTLE_CENSORED_WAIT_MEAN,
    SHUTTLE_DEPARTURES,
    SHUTTLE_LEFT_FULL,
    SHUTTLE_LOAD_MEAN,
    SHUTTLE_QUEUE_MAX,
    SHUTTLE_QUEUE_MEAN,
    SHUTTLE_WAIT_MEAN,
)
from .rows import TableWriter

__all__ = ["shuttle_rows"]


def shuttle_rows(out: TableWriter, model: Model, counters: EngineCounters, stage: int) -> None:
    """The block of the stage ``stage``: its bus's departures, when a bus on demand leaves
    it (NaN load and wait when none left)."""
    for index, shuttle in enumerate(model.shuttles):
        if shuttle.stage != stage or not shuttle.on_demand:
            continue
        log = counters.shuttle_departures[index] if counters.shuttle_departures else ()
        counted = [d for d in log if d.time >= model.warmup]
        aboard = sum(d.aboard for d in counted)
        out.put(SHUTTLE_DEPARTURES, len(counted))
        out.put(SHUTTLE_LEFT_FULL, sum(1 for d in counted if d.full))
        out.put(SHUTTLE_LOAD_MEAN, aboard / len(counted) if counted else math.nan)
        waited = math.fsum(d.waited for d in counted)
        out.put(SHUTTLE_WAIT_MEAN, waited / aboard if aboard else math.nan)
        stop = counters.shuttle_stops[index] if counters.shuttle_stops else None
        if stop is None:
            continue
        out.put(SHUTTLE_QUEUE_MEAN, stop.queue_mean)
        out.put(SHUTTLE_QUEUE_MAX, stop.queue_max)
        so_far = stop.waited_so_far
        out.put(SHUTTLE_AT_STOP, len(so_far))
        out.put(SHUTTLE_CENSORED_WAIT_MEAN, math.fsum(so_far) / len(so_far) if so_far else math.nan)
        out.put(SHUTTLE_CENSORED_WAIT_MAX, max(so_far, default=math.nan))
