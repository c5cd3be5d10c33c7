"""Recorders: what the engine writes down as entities arrive, finish visits and leave.

The engine hands a recorder a tuple at each arrival (``arrival``: flow, time), at the end of
each service (``visit``: the :data:`VISIT_COLUMNS`) and at each exit (``exit``: the
:data:`EXIT_COLUMNS`), and at the horizon calls :meth:`~Recorder.close` with whoever is still
in port. The three are plain callables taking one tuple, so a recorder that keeps rows can
give the engine an array's own ``extend`` and cost no Python call. Two recorders:

* :class:`FullRecorder` keeps one row per stage visit and the entity columns: the per-entity
  records (:mod:`portsim.results.records`), from which every metric is computed exactly;
* :class:`ChunkRecorder` keeps the same rows only until a chunk is full, then hands the chunk
  to a sink (the streaming tallies of :mod:`portsim.results.streaming`) and forgets it:
  memory does not grow with the horizon.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "EXIT_COLUMNS",
    "LOG_COLUMNS",
    "VISIT_COLUMNS",
    "ChunkRecorder",
    "FullRecorder",
    "Recorder",
    "Unfinished",
    "VisitLog",
]

#: The columns of a visit row, in order: entity id, visits before this one, lane group,
#: lane (-1: not started), queue join, service start and end (NaN: not yet), and the
#: entity's arrival.
VISIT_COLUMNS = ("entity", "step", "group", "lane", "join", "start", "end", "arrival")
#: The columns of an exit row: entity id, flow, arrival, exit, queue time over its visits,
#: stage visits (0: its route skipped every stage).
EXIT_COLUMNS = ("entity", "flow", "arrival", "exit", "wait", "visits")
_WIDTH = len(VISIT_COLUMNS)
_EXIT_WIDTH = len(EXIT_COLUMNS)
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
    """What the engine writes to: three callables taking one tuple each, and ``close``."""

    @property
    def arrival(self) -> Callable[[tuple[float, float]], object]: ...
    @property
    def visit(self) -> Callable[[tuple[float, ...]], object]: ...
    @property
    def exit(self) -> Callable[[tuple[float, ...]], object]: ...

    def close(self, unfinished: Unfinished) -> None: ...


def _rows(data: array[float], width: int = _WIDTH) -> NDArray[np.float64]:
    return np.frombuffer(data, dtype=np.float64).reshape(-1, width)


def log_columns(small: type[np.integer]) -> tuple[tuple[str, type[np.generic]], ...]:
    """The visit columns a :class:`FullRecorder` keeps, with their types: ``small`` for the
    step, lane group and lane (int16 when the model's sizes fit, to save memory)."""
    return (
        ("entity", np.int32),  # 2**31 entities a replication are beyond any port's year
        ("step", small),
        ("group", small),
        ("lane", small),
        ("join", np.float64),
        ("start", np.float64),
        ("end", np.float64),
    )


#: The visit columns' names, in order.
LOG_COLUMNS = tuple(name for name, _ in log_columns(np.int32))
#: Rows a :class:`FullRecorder` stages before it packs them into typed columns: small, so
#: that the staging buffer lives in the allocator's heap and never raises its threshold for
#: handing large blocks back to the system.
STAGED_ROWS = 1 << 10
#: Rows per block of a :class:`Columns` (blocks are large: the system maps and unmaps them).
BLOCK_ROWS = 1 << 17


class Columns:
    """Typed columns that grow by whole blocks: appending never copies what is stored, and
    :meth:`concatenate` hands each column over as one array, freeing its blocks as it goes."""

    __slots__ = ("_blocks", "_kinds", "_length")

    def __init__(self, kinds: tuple[tuple[str, type[np.generic]], ...]) -> None:
        self._kinds = kinds
        self._blocks: list[list[NDArray[np.generic]]] = []
        self._length = 0

    def append(self, rows: NDArray[np.float64]) -> None:
        """Append rows given as a 2-D array of doubles, one column per kind."""
        done = 0
        while done < len(rows):
            at = self._length % BLOCK_ROWS
            if at == 0:
                self._blocks.append([np.empty(BLOCK_ROWS, dtype=k) for _, k in self._kinds])
            n = min(BLOCK_ROWS - at, len(rows) - done)
            for column, block in enumerate(self._blocks[-1]):
                block[at : at + n] = rows[done : done + n, column]
            done += n
            self._length += n

    def concatenate(self) -> dict[str, NDArray[np.generic]]:
        """Every column as one array; the blocks are freed."""
        out: dict[str, NDArray[np.generic]] = {}
        for column, (name, kind) in enumerate(self._kinds):
            out[name] = np.empty(self._length, dtype=kind)
            at = 0
            for blocks in self._blocks:
                n = min(BLOCK_ROWS, self._length - at)
                out[name][at : at + n] = blocks[column][:n]
                blocks[column] = np.empty(0, dtype=kind)  # free it now
                at += n
        self._blocks.clear()
        return out


class VisitLog:
    """Everything a :class:`FullRecorder` wrote: visit columns (:data:`LOG_COLUMNS`), one
    row per visit in the order services ended, then the unfinished ones; and the entity
    columns indexed by entity id (exit NaN: still in port). :meth:`take` hands a column
    over, so that whoever reorders the columns can free each as it goes."""

    __slots__ = ("_columns", "entity_arrival", "entity_exit", "entity_flow", "visits")

    def __init__(
        self,
        columns: dict[str, NDArray[np.generic]],
        entity_flow: NDArray[np.int32],
        entity_arrival: NDArray[np.float64],
        entity_exit: NDArray[np.float64],
    ) -> None:
        self._columns = columns
        self.visits = len(columns["entity"])
        self.entity_flow = entity_flow
        self.entity_arrival = entity_arrival
        self.entity_exit = entity_exit

    def column(self, name: str) -> NDArray[np.generic]:
        return self._columns[name]

    def take(self, name: str) -> NDArray[np.generic]:
        """The column, which the log no longer holds."""
        return self._columns.pop(name)


class FullRecorder:
    """Keeps every visit and every entity, packed into typed columns as it goes (a visit
    costs its columns' bytes, not a Python object or a row of doubles)."""

    __slots__ = ("_entities", "_entity_columns", "_exits", "_rows", "_visit_columns", "arrival",
                 "exit", "log", "visit")  # fmt: skip

    def __init__(self, small: type[np.integer] = np.int32) -> None:
        self._rows: array[float] = array("d")  # staged visit rows (VISIT_COLUMNS)
        self._entities: array[float] = array("d")  # staged (flow, arrival) pairs
        self._exits: array[float] = array("d")  # (entity, exit) pairs
        self._visit_columns = Columns(log_columns(small))
        self._entity_columns = Columns((("flow", np.int32), ("arrival", np.float64)))
        # the engine calls these arrays' own extend: the arrays are emptied, never replaced
        self.arrival = self._entities.extend
        self.visit = self._rows.extend
        self.exit = self._exit
        self.log: VisitLog | None = None

    def _exit(self, row: tuple[float, ...]) -> None:
        self._exits.extend(row[0:4:3])  # entity, exit
        if len(self._rows) >= STAGED_ROWS * _WIDTH:
            self._pack()

    def _pack(self) -> None:
        """Move the staged rows into the typed columns."""
        self._visit_columns.append(_rows(self._rows))
        del self._rows[:]
        self._entity_columns.append(_rows(self._entities, 2))
        del self._entities[:]

    def close(self, unfinished: Unfinished) -> None:
        self._rows.extend(unfinished.visits.ravel().tolist())
        self._pack()
        entities = self._entity_columns.concatenate()
        exits = _rows(self._exits, 2)
        entity_exit = np.full(len(entities["flow"]), np.nan)
        entity_exit[exits[:, 0].astype(np.int64)] = exits[:, 1]
        self.log = VisitLog(
            self._visit_columns.concatenate(),
            entity_flow=entities["flow"],  # type: ignore[arg-type]
            entity_arrival=entities["arrival"],  # type: ignore[arg-type]
            entity_exit=entity_exit,
        )


class Sink(Protocol):
    """Where a :class:`ChunkRecorder` sends its chunks."""

    def arrivals(self, flow: NDArray[np.int32], time: NDArray[np.float64]) -> None: ...
    def visits(self, rows: NDArray[np.float64]) -> None: ...
    def exits(self, rows: NDArray[np.float64]) -> None: ...  # the EXIT_COLUMNS
    def close(self, unfinished: Unfinished) -> None: ...


class ChunkRecorder:
    """Hands rows to ``sink`` a chunk at a time and keeps nothing else."""

    __slots__ = ("_arrivals", "_exits", "_rows", "arrival", "chunk", "exit", "sink", "visit")

    def __init__(self, sink: Sink, chunk: int = CHUNK) -> None:
        self.sink = sink
        self.chunk = chunk
        self._arrivals: array[float] = array("d")  # (flow, time) pairs
        self._rows: array[float] = array("d")
        self._exits: array[float] = array("d")
        self.arrival = self._arrival
        self.visit = self._visit
        self.exit = self._exit

    def _arrival(self, row: tuple[float, float]) -> None:
        self._arrivals.extend(row)
        if len(self._arrivals) >= self.chunk * 2:
            self._flush_arrivals()

    def _visit(self, row: tuple[float, ...]) -> None:
        self._rows.extend(row)
        if len(self._rows) >= self.chunk * _WIDTH:
            self._flush_visits()

    def _exit(self, row: tuple[float, ...]) -> None:
        self._exits.extend(row)
        if len(self._exits) >= self.chunk * _EXIT_WIDTH:
            self._flush_exits()

    def close(self, unfinished: Unfinished) -> None:
        self._flush_arrivals()
        self._flush_visits()
        self._flush_exits()
        self.sink.close(unfinished)

    def _flush_arrivals(self) -> None:
        if self._arrivals:
            pairs = _rows(self._arrivals, 2)
            self.sink.arrivals(pairs[:, 0].astype(np.int32), pairs[:, 1].copy())
            self._arrivals = array("d")

    def _flush_visits(self) -> None:
        if self._rows:
            self.sink.visits(_rows(self._rows).copy())
            self._rows = array("d")

    def _flush_exits(self) -> None:
        if self._exits:
            self.sink.exits(_rows(self._exits, _EXIT_WIDTH).copy())
            self._exits = array("d")
