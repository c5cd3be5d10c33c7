"""The chunk recorder: rows handed to a sink a chunk at a time, nothing kept after.

Plain rows (an entity of no class, on foot) are widened to the detail rows' columns per
chunk, with numpy, so the sink sees one shape and the engine's common path stays short.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from .recorders import (
    ARRIVAL_COLUMNS,
    DETAIL_COLUMNS,
    EXIT_COLUMNS,
    EXIT_DETAIL_COLUMNS,
    HELD_COLUMNS,
    VISIT_COLUMNS,
    Unfinished,
    take_rows,
)

__all__ = ["CHUNK", "ChunkRecorder", "Sink"]

#: Rows in a chunk.
CHUNK = 1 << 15


class Sink(Protocol):
    """Where a :class:`ChunkRecorder` sends its chunks."""

    def arrivals(self, rows: NDArray[np.float64]) -> None: ...  # DETAIL_COLUMNS
    def visits(self, rows: NDArray[np.float64]) -> None: ...  # VISIT_COLUMNS
    def held(self, rows: NDArray[np.float64]) -> None: ...  # HELD_COLUMNS
    # EXIT_DETAIL_COLUMNS, from one kind of row: 0 those of ``exit``, 1 of ``exit_detail``
    def exits(self, rows: NDArray[np.float64], source: int) -> None: ...
    def close(self, unfinished: Unfinished) -> None: ...


class _Buffer:
    """Rows of one kind until a chunk is full."""

    __slots__ = ("data", "width")

    def __init__(self, width: int) -> None:
        self.width = width
        self.data: list[float] = []

    def take(self) -> NDArray[np.float64]:
        """The rows so far; the buffer is emptied in place (the same list goes on)."""
        return take_rows(self.data, self.width)


class ChunkRecorder:
    """Hands rows to ``sink`` a chunk at a time and keeps nothing else."""

    __slots__ = ("_buffers", "arrival", "arrival_detail", "chunk", "default_subflow", "exit",
                 "exit_detail", "held", "next_entity", "sink", "visit")  # fmt: skip

    def __init__(
        self, sink: Sink, default_subflow: tuple[int, ...] = (), chunk: int = CHUNK
    ) -> None:
        self.sink = sink
        self.chunk = chunk
        #: the subflow of each flow's entities of no class
        self.default_subflow = np.asarray(default_subflow or (0,), dtype=np.float64)
        self._buffers = {
            name: _Buffer(len(columns))
            for name, columns in (
                ("arrival", ARRIVAL_COLUMNS),
                ("arrival_detail", DETAIL_COLUMNS),
                ("visit", VISIT_COLUMNS),
                ("exit", EXIT_COLUMNS),
                ("exit_detail", EXIT_DETAIL_COLUMNS),
                ("held", HELD_COLUMNS),
            )
        }
        # the engine calls the buffers' own extend (the lists are emptied, never replaced);
        # only an exit, which every entity makes once, checks whether a chunk is full: the
        # rows of arrivals and visits between two exits are bounded by the entities in port
        self.arrival = self._buffers["arrival"].data.extend
        self.arrival_detail = self._buffers["arrival_detail"].data.extend
        self.visit = self._buffers["visit"].data.extend
        self.held = self._buffers["held"].data.extend
        self.exit = self._adder("exit")
        self.exit_detail = self._adder("exit_detail")

    def _adder(self, name: str) -> Callable[[tuple[float, ...]], None]:
        """An exit's row, then a flush when any kind of row has filled a chunk."""
        buffer = self._buffers[name]
        data, limit = buffer.data, self.chunk * buffer.width

        def add(row: tuple[float, ...]) -> None:
            data.extend(row)
            if len(data) >= limit:
                self._flush()

        return add

    def close(self, unfinished: Unfinished) -> None:
        self._flush()
        self.sink.close(unfinished)

    def _flush(self) -> None:
        """Send every buffer (arrivals first: a visit's entity has arrived before it)."""
        b = self._buffers
        self.sink.arrivals(self._wide_arrivals(b["arrival"].take(), b["arrival_detail"].take()))
        self.sink.visits(b["visit"].take())
        held = b["held"].take()
        if len(held):  # before the exits: an entity's holds come just before its exit row
            self.sink.held(held)
        # each kind apart: its rows come in order, however the two kinds interleave
        self.sink.exits(self._wide_exits(b["exit"].take()), 0)
        detail = b["exit_detail"].take()
        if len(detail):
            self.sink.exits(detail, 1)

    def _wide_arrivals(
        self, plain: NDArray[np.float64], detail: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        wide = np.empty((len(plain), len(DETAIL_COLUMNS)))
        wide[:, 0] = -1  # their ids are not needed downstream
        wide[:, 1:3] = plain
        wide[:, 3] = self.default_subflow[plain[:, 0].astype(np.intp)]
        wide[:, 4:] = (-1.0, 1.0, 0.0)  # parent, size, aboard_wait
        return np.concatenate([wide, detail])

    def _wide_exits(self, plain: NDArray[np.float64]) -> NDArray[np.float64]:
        wide = np.empty((len(plain), len(EXIT_DETAIL_COLUMNS)))
        wide[:, : len(EXIT_COLUMNS)] = plain
        n = len(EXIT_COLUMNS)
        wide[:, n] = self.default_subflow[plain[:, 2].astype(np.intp)]
        wide[:, n + 1 :] = (1.0, 0.0, np.nan)  # persons, dropped, meet
        return wide
