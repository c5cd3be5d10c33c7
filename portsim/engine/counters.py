"""What the engine measures itself in one replication, over ``[warmup, horizon]``: queues
by stage and lane group, lane time and overtime, the queue trace, emergencies and the stops
of the buses on demand (:class:`EngineCounters`, made by :mod:`.replication`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .on_demand import BusStop, Departure

__all__ = ["EngineCounters"]


@dataclass(frozen=True, slots=True, eq=False)
class EngineCounters:
    """What the engine measures itself, over ``[warmup, horizon]``, by stage and by lane
    group (arrays indexed like the model's stages and groups)."""

    #: time-weighted mean number waiting (not in service) at each stage
    stage_queue_mean: NDArray[np.float64]
    #: most travellers waiting at each stage at once, over all its groups
    stage_queue_max: NDArray[np.int64]
    #: seconds during which more travellers waited at each stage than its ``space``
    stage_time_over_space: NDArray[np.float64]
    #: first time more waited than ``space`` (NaN: never, or no space declared)
    stage_first_over_space: NDArray[np.float64]
    #: most travellers waiting in each lane group at once
    group_queue_max: NDArray[np.int64]
    #: busy lane-seconds of each lane group
    group_busy_time: NDArray[np.float64]
    #: open lane-seconds of each lane group (lanes that take travellers)
    group_open_time: NDArray[np.float64]
    #: overtime lane-seconds of each lane group: lanes closed while serving, staffed until
    #: their traveller left (or the lane reopened, or the horizon)
    group_overtime_time: NDArray[np.float64]
    #: every change of each group's open lanes: ``(time, lanes open from then)``, from 0
    lanes_open: tuple[tuple[tuple[float, int], ...], ...]
    #: the queue trace: mean number waiting at each stage (rows) in each step of
    #: ``queue_trace_step`` seconds from 00:00 of day 1, warm-up included (columns; the last
    #: step ends at the horizon)
    stage_queue_trace: NDArray[np.float64]
    #: seconds per column of ``stage_queue_trace``
    queue_trace_step: float
    #: each lane group's emergencies: ``(start, duration)`` of each time the expected wait
    #: passed its rule's emergency line (empty without one)
    emergencies: tuple[tuple[tuple[float, float], ...], ...] = ()
    #: each lane group's overtime: ``(start, end)`` of each time a closed lane finished its
    #: traveller, from 0, in the order they ended (see :mod:`.lanes`)
    overtime: tuple[tuple[tuple[float, float], ...], ...] = ()
    #: each shuttle's departures, from 0, for a shuttle on demand (empty for a timetabled
    #: one; see :mod:`.on_demand`)
    shuttle_departures: tuple[tuple[Departure, ...], ...] = ()
    #: who was at each shuttle's stop after the warm-up, and who still is at the horizon,
    #: for a shuttle on demand (None for a timetabled one)
    shuttle_stops: tuple[BusStop | None, ...] = ()
    #: each staff pool's committed officers (on an open lane, finishing a traveller on a
    #: closed lane, or moving between groups): ``(time, officers from then)``, from 0, one
    #: entry per instant (see :mod:`.staff`); empty without pools
    officers_in_use: tuple[tuple[tuple[float, int], ...], ...] = ()
    #: each staff pool's officers on duty: ``(time, officers from then)``, from 0
    officers_on_duty: tuple[tuple[tuple[float, int], ...], ...] = ()

    @property
    def group_staffed_time(self) -> NDArray[np.float64]:
        """Staffed lane-seconds of each lane group: open lane-time plus overtime (the staff
        cost, and what utilisation divides busy time by)."""
        staffed: NDArray[np.float64] = self.group_open_time + self.group_overtime_time
        return staffed
