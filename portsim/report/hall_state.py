"""What the hall looks like at each frame of an animation, from one replication's records:
each lane group's queue, and each of its lanes busy, idle or closed.

At time t, for a lane group:

* its **queue** is the visits that joined it at or before t and had not started service
  (:attr:`~portsim.Records.visit_join` ≤ t < ``visit_start``; a visit never started waits
  to the horizon);
* its **open lanes** are lanes 0 … n−1, n from the engine's own log of lanes open
  (``lanes_open`` in the run JSON: the last change at or before t);
* a lane is **busy** when a visit served in it had started and not ended
  (``visit_start`` ≤ t < ``visit_end``; a service not ended by the horizon lasts to it).

A lane is then *busy* (open and serving), *idle* (open, nobody in it), *closed*, or
*finishing* (closed, still serving the traveller it had when it closed: the engine's
overtime). Nothing here draws: :mod:`.animate` draws what :meth:`HallFrames.state` says,
so a test of the state is a test of the picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..errors import UsageError
from ..run.simulate import SimulationResult

__all__ = [
    "BUSY",
    "CLOSED",
    "FINISHING",
    "IDLE",
    "LANE_STATES",
    "GroupFrames",
    "GroupState",
    "HallFrames",
    "frame_count",
    "hall_frames",
]

#: a lane's states, as the legend names them
BUSY, IDLE, CLOSED, FINISHING = "busy", "idle", "closed", "finishing"
LANE_STATES = (BUSY, IDLE, CLOSED, FINISHING)


def frame_count(horizon: float, step: float) -> int:
    """Frames of a run of ``horizon`` seconds, one every ``step`` from 0 to the horizon."""
    if not step > 0:
        raise UsageError("the step between frames must be positive")
    return math.floor(horizon / step + 0.5) + 1


@dataclass(frozen=True, slots=True)
class GroupState:
    """One lane group at one frame: the travellers (or vehicles) waiting, and each lane's
    state (:data:`LANE_STATES`), lane 0 first."""

    stage: str
    group: str
    waiting: int
    lanes: tuple[str, ...]

    def count(self, state: str) -> int:
        """How many of its lanes are in ``state``."""
        return self.lanes.count(state)

    @property
    def open(self) -> int:
        """Lanes open (busy or idle)."""
        return self.count(BUSY) + self.count(IDLE)


@dataclass(frozen=True, slots=True)
class GroupFrames:
    """One lane group over the frames: waiting and lanes open per frame, and whether each
    lane is serving (frames × lanes)."""

    stage: str
    name: str
    waiting: NDArray[np.int64]
    open: NDArray[np.int64]
    busy: NDArray[np.bool_]

    @property
    def lanes(self) -> int:
        """The lanes drawn: the most ever open or built."""
        return int(self.busy.shape[1])

    def state(self, frame: int) -> GroupState:
        """The group at frame ``frame``."""
        open_, busy = int(self.open[frame]), self.busy[frame]
        lanes = tuple(
            (BUSY if busy[lane] else IDLE)
            if lane < open_
            else (FINISHING if busy[lane] else CLOSED)
            for lane in range(self.lanes)
        )
        return GroupState(self.stage, self.name, int(self.waiting[frame]), lanes)


@dataclass(frozen=True, slots=True)
class HallFrames:
    """What each frame shows: its time, and every lane group (in the model's order)."""

    times: NDArray[np.float64]
    groups: tuple[GroupFrames, ...]

    def state(self, frame: int) -> tuple[GroupState, ...]:
        """Every lane group at frame ``frame``."""
        return tuple(group.state(frame) for group in self.groups)

    def most_waiting(self) -> NDArray[np.int64]:
        """Each group's longest queue over the frames."""
        return np.array([int(g.waiting.max(initial=0)) for g in self.groups], dtype=np.int64)


def _at(times: NDArray[np.float64], events: NDArray[np.float64]) -> NDArray[np.int64]:
    """How many of ``events`` (NaN: never) happened at or before each of ``times``."""
    happened = np.sort(np.nan_to_num(events, nan=np.inf))
    return np.searchsorted(happened, times, side="right").astype(np.int64)


def _open_at(log: Sequence[Sequence[float]], times: NDArray[np.float64]) -> NDArray[np.int64]:
    at = np.array([t for t, _ in log], dtype=float)
    counts = np.array([n for _, n in log], dtype=np.int64)
    index = np.searchsorted(at, times, side="right") - 1
    return np.where(index >= 0, counts[np.clip(index, 0, None)], 0)


def _planned(result: SimulationResult, group: int) -> list[tuple[float, int]]:
    """The plan's lanes open, where the run kept no log of them."""
    timetable = result.model.groups[group].timetable
    return [(0.0, timetable.initial), *timetable.changes]


def hall_frames(result: SimulationResult, replication: int = 0, step: float = 600.0) -> HallFrames:
    """The frames of one replication (it must have been run with records), a frame every
    ``step`` seconds from 0 to the horizon."""
    if not result.records:
        raise UsageError("an animation needs the per-entity records: run without --no-records")
    if not 0 <= replication < len(result.records):
        raise UsageError(f"replication {replication}: the run has {len(result.records)}")
    records, model = result.records[replication], result.model
    times = step * np.arange(frame_count(model.horizon, step), dtype=float)
    run = result.summary.run
    logs = (run.lanes_open if run is not None else None) or {}
    groups = []
    for group in model.groups:
        stage = model.stages[group.stage].name
        mine = records.visit_group == group.index
        start, end = records.visit_start[mine], records.visit_end[mine]
        lane = records.visit_lane[mine]
        waiting = _at(times, records.visit_join[mine]) - _at(times, start)
        log = logs.get((stage, group.name))
        open_ = _open_at(log[replication] if log else _planned(result, group.index), times)
        lanes = max(group.lanes, int(lane.max(initial=-1)) + 1, int(open_.max(initial=0)))
        busy = np.zeros((len(times), lanes), dtype=bool)
        order = np.argsort(lane, kind="stable")  # the visits lane by lane
        bounds = np.searchsorted(lane[order], np.arange(lanes + 1))
        for index in range(lanes):
            served = order[bounds[index] : bounds[index + 1]]
            if len(served):
                busy[:, index] = _at(times, start[served]) > _at(times, end[served])
        groups.append(GroupFrames(stage, group.name, waiting, open_, busy))
    return HallFrames(times, tuple(groups))
