"""Shuttles on demand in the metric rows: for the stage a bus leaves from, the departures
after the warm-up (``shuttle_departures``), how many left full (``shuttle_left_full``; the
others left after their wait), the passengers aboard a departing bus on average
(``shuttle_load_mean``) and the time a passenger spent at the stop until the bus left
(``shuttle_wait_mean_s``: in the time in port, not in the queue waits). They come from the
engine's own log of departures, the same with or without per-entity records. A timetabled
shuttle reports none of them."""

from __future__ import annotations

import math

from ..engine.replication import EngineCounters
from ..model.model import Model
from .catalog import SHUTTLE_DEPARTURES, SHUTTLE_LEFT_FULL, SHUTTLE_LOAD_MEAN, SHUTTLE_WAIT_MEAN
from .rows import TableWriter

__all__ = ["shuttle_rows"]


def shuttle_rows(out: TableWriter, model: Model, counters: EngineCounters, stage: int) -> None:
    """The block of the stage ``stage``: its bus's departures, when a bus on demand leaves
    it (NaN load and wait when none left)."""
    for index, shuttle in enumerate(model.shuttles):
        if shuttle.stage != stage or not shuttle.on_demand:
            continue
        log = counters.shuttle_departures[index] if counters.shuttle_departures else ()
        counted = [d for d in log if d[0] >= model.warmup]
        aboard = sum(d[1] for d in counted)
        out.put(SHUTTLE_DEPARTURES, len(counted))
        out.put(SHUTTLE_LEFT_FULL, sum(1 for d in counted if d[2]))
        out.put(SHUTTLE_LOAD_MEAN, aboard / len(counted) if counted else math.nan)
        waited = math.fsum(d[4] for d in counted)
        out.put(SHUTTLE_WAIT_MEAN, waited / aboard if aboard else math.nan)
