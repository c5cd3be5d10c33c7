"""Recorders: what the engine writes down as entities arrive, finish visits and leave.

The engine calls a recorder's :meth:`~Recorder.arrival`, :meth:`~Recorder.visit` (a service
ended) and :meth:`~Recorder.exit`, and at the horizon :meth:`~Recorder.close` with whoever is
still in port. Two recorders:

* :class:`FullRecorder` keeps one row per stage visit and the entity columns: the per-entity
  records (:mod:`portsim.results.records`), from which every metric is computed exactly;
* :class:`ChunkRecorder` keeps the same rows only until a chunk is full, then hands the chunk
  to a sink (the streaming tallies of :mod:`portsim.results.streaming`) and forgets it:
  memory does not grow with the horizon.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from .entities import Entity

__all__ = [
    "VISIT_COLUMNS",
    "ChunkRecorder",
    "FullRecorder",
    "Recorder",
    "Unfinished",
    "VisitLog",
]

#: The columns of a visit row, in order: entity id, visits before this one, lane group,
#: lane (-1: not started), queue join, service start and end (NaN: not yet), and the
#: entity's arrival. The :class:`FullRecorder` keeps all but the last (the entity columns
#: have it).
VISIT_COLUMNS = ("entity", "step", "group", "lane", "join", "start", "end", "arrival")
_WIDTH = len(VISIT_COLUMNS)
_FULL_WIDTH = _WIDTH - 1
#: Rows in a chunk of the :class:`ChunkRecorder`.
CHUNK = 1 << 15


@dataclass(frozen=True, slots=True)
class Unfinished:
    """Who is still in port at the horizon: visits queued or in service (rows with ``end``
    NaN, and ``start`` NaN if still queued) and every entity not out, with its flow, arrival
    and queue time so far (``waited``: finished visits plus the current queue)."""

    visits: NDArray[np.float64]
    entity: NDArray[np.int64]
    flow: NDArray[np.int32]
    arrival: NDArray[np.float64]
    waited: NDArray[np.float64]


class Recorder(Protocol):
    def arrival(self, t: Entity) -> None: ...
    def visit(self, t: Entity, group: int, now: float) -> None: ...
    def exit(self, t: Entity, now: float) -> None: ...
    def close(self, unfinished: Unfinished) -> None: ...


def _rows(data: array[float], width: int = _WIDTH) -> NDArray[np.float64]:
    return np.frombuffer(data, dtype=np.float64).reshape(-1, width)


@dataclass(eq=False)
class VisitLog:
    """Everything a :class:`FullRecorder` wrote: visit rows (the first seven
    :data:`VISIT_COLUMNS`) in the order services ended, then the unfinished ones; and the
    entity columns indexed by entity id."""

    rows: NDArray[np.float64]
    entity_flow: NDArray[np.int32]
    entity_arrival: NDArray[np.float64]
    entity_exit: NDArray[np.float64]


class FullRecorder:
    """Keeps every visit and every entity."""

    __slots__ = ("arrivals", "exits", "flows", "log", "rows")

    def __init__(self) -> None:
        self.rows: array[float] = array("d")
        self.flows: array[int] = array("i")
        self.arrivals: array[float] = array("d")
        self.exits: array[float] = array("d")
        self.log: VisitLog | None = None

    def arrival(self, t: Entity) -> None:
        self.flows.append(t.flow)
        self.arrivals.append(t.arrival)
        self.exits.append(math.nan)

    def visit(self, t: Entity, group: int, now: float) -> None:
        self.rows.extend((t.tid, t.visits, group, t.lane, t.join, t.start, now))

    def exit(self, t: Entity, now: float) -> None:
        self.exits[t.tid] = now

    def close(self, unfinished: Unfinished) -> None:
        self.rows.extend(unfinished.visits[:, :_FULL_WIDTH].ravel().tolist())
        self.log = VisitLog(
            rows=_rows(self.rows, _FULL_WIDTH),
            entity_flow=np.frombuffer(self.flows, dtype=np.int32),
            entity_arrival=np.frombuffer(self.arrivals, dtype=np.float64),
            entity_exit=np.frombuffer(self.exits, dtype=np.float64),
        )


class Sink(Protocol):
    """Where a :class:`ChunkRecorder` sends its chunks."""

    def arrivals(self, flow: NDArray[np.int32], time: NDArray[np.float64]) -> None: ...
    def visits(self, rows: NDArray[np.float64]) -> None: ...
    def exits(self, rows: NDArray[np.float64]) -> None: ...
    def close(self, unfinished: Unfinished) -> None: ...


@dataclass(eq=False)
class ChunkRecorder:
    """Hands rows to ``sink`` a chunk at a time and keeps nothing else."""

    sink: Sink
    chunk: int = CHUNK
    _rows: array[float] = field(default_factory=lambda: array("d"))
    _arrival_flows: array[int] = field(default_factory=lambda: array("i"))
    _arrival_times: array[float] = field(default_factory=lambda: array("d"))
    #: exits: flow, arrival, exit, total queue time
    _exits: array[float] = field(default_factory=lambda: array("d"))

    def arrival(self, t: Entity) -> None:
        self._arrival_flows.append(t.flow)
        self._arrival_times.append(t.arrival)
        if len(self._arrival_times) >= self.chunk:
            self._flush_arrivals()

    def visit(self, t: Entity, group: int, now: float) -> None:
        self._rows.extend((t.tid, t.visits, group, t.lane, t.join, t.start, now, t.arrival))
        if len(self._rows) >= self.chunk * _WIDTH:
            self._flush_visits()

    def exit(self, t: Entity, now: float) -> None:
        self._exits.extend((t.flow, t.arrival, now, t.wait))
        if len(self._exits) >= self.chunk * 4:
            self._flush_exits()

    def close(self, unfinished: Unfinished) -> None:
        self._flush_arrivals()
        self._flush_visits()
        self._flush_exits()
        self.sink.close(unfinished)

    def _flush_arrivals(self) -> None:
        if self._arrival_times:
            self.sink.arrivals(
                np.array(self._arrival_flows, dtype=np.int32),
                np.array(self._arrival_times, dtype=np.float64),
            )
            self._arrival_flows = array("i")
            self._arrival_times = array("d")

    def _flush_visits(self) -> None:
        if self._rows:
            self.sink.visits(_rows(self._rows).copy())
            self._rows = array("d")

    def _flush_exits(self) -> None:
        if self._exits:
            self.sink.exits(np.frombuffer(self._exits, dtype=np.float64).reshape(-1, 4).copy())
            self._exits = array("d")


RecorderFactory = Callable[[], Recorder]
