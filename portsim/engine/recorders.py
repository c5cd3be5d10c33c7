"""Recorders: what the engine writes down as entities arrive, finish visits and leave.

The engine hands a recorder a tuple at each arrival (``arrival``: the :data:`ARRIVAL_COLUMNS`
of an entity of no class, on foot), or ``arrival_detail`` (:data:`DETAIL_COLUMNS`) for one
of a class, a vehicle or a passenger who alighted; at the end of each service (``visit``: the
:data:`VISIT_COLUMNS`); at each exit (``exit``: :data:`EXIT_COLUMNS`, or ``exit_detail``:
:data:`EXIT_DETAIL_COLUMNS`), after ``held`` (:data:`HELD_COLUMNS`) for an entity that waited
before a stage closed when it came (a recorder without ``held`` is not told); and at the
horizon calls :meth:`~Recorder.close` with whoever is still in port. They are plain
callables taking one tuple, so a recorder that keeps rows can give the engine a list's own
``extend`` and cost no Python call (a list takes a row in a tenth of the time an
``array('d')`` does; the recorder packs its lists into arrays now and then); and a scenario
without classes or vehicles writes rows as short as before they existed. Two recorders:

* :class:`FullRecorder` keeps one row per stage visit and the entity columns: the per-entity
  records (:mod:`portsim.results.records`), from which every metric is computed exactly;
* :class:`~.chunks.ChunkRecorder` keeps rows only until a chunk is full, then hands the chunk
  to a sink (the streaming tallies of :mod:`portsim.results.streaming`) and forgets it:
  memory does not grow with the horizon.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from .columns import Columns

__all__ = [
    "ARRIVAL_COLUMNS",
    "DETAIL_COLUMNS",
    "EXIT_COLUMNS",
    "EXIT_DETAIL_COLUMNS",
    "HELD_COLUMNS",
    "LOG_COLUMNS",
    "VISIT_COLUMNS",
    "FullRecorder",
    "Recorder",
    "Unfinished",
    "VisitLog",
    "log_columns",
    "take_rows",
]

#: A visit row: entity id, visits before this one, lane group, lane (-1: not started), queue
#: join, service start and end (NaN: not yet), and the entity's arrival.
VISIT_COLUMNS = ("entity", "step", "group", "lane", "join", "start", "end", "arrival")
#: An entity of no class, on foot, coming in: its flow and arrival (its id is its place).
ARRIVAL_COLUMNS = ("flow", "arrival")
#: Any other entity coming in: its id, flow, arrival, subflow (its class), parent (the
#: vehicle a passenger alighted from; -1: none), size (persons it carries), and the queue
#: time it spent aboard before alighting.
DETAIL_COLUMNS = ("entity", "flow", "arrival", "subflow", "parent", "size", "aboard_wait")
#: An entity that waited before stages closed when it reached them (stages with hours of
#: their own), just before its exit row: its id and the seconds it waited (``held``).
HELD_COLUMNS = ("entity", "held")
#: An entity of no class, on foot, leaving: id, exit, flow, arrival, queue time, stage
#: visits (0: its route skipped every stage; a passenger: the visits of its own route).
EXIT_COLUMNS = ("entity", "exit", "flow", "arrival", "wait", "visits")
#: Any other entity leaving: the same, its subflow, the persons it brings out through its
#: own queues, whether passengers alighted from it (``dropped``: 1 for a vehicle that let
#: them off, else 0), and the time it waited at a meeting point (a vehicle for its
#: passengers, a passenger for its vehicle; NaN: none).
EXIT_DETAIL_COLUMNS = (*EXIT_COLUMNS, "subflow", "persons", "dropped", "meet")

_WIDTH = len(VISIT_COLUMNS)
#: values of visit rows and exit pairs staged before packing (a thousand visits, or fewer
#: with exits among them), small enough to stay in the allocator's heap (never raising its
#: threshold for handing large blocks back). Arrivals are packed at the same time: they grow
#: past this only while many come and nobody leaves (a hall closed for the night), by two
#: values an arrival.
_STAGED = 1024 * _WIDTH


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
#: an entity's one value (its exit, its time at a meeting point, its time held)
_PAIR_TYPES: tuple[tuple[str, type[np.generic]], ...] = (
    ("entity", np.int64),
    ("value", np.float64),
)
_DETAIL_TYPES: tuple[tuple[str, type[np.generic]], ...] = (
    ("entity", np.int32),
    ("flow", np.int32),
    ("arrival", np.float64),
    ("subflow", np.int32),
    ("parent", np.int32),
    ("size", np.int32),
    ("aboard_wait", np.float64),
)


@dataclass(frozen=True, slots=True)
class Unfinished:
    """Who is still in port at the horizon: visits queued or in service (rows with ``end``
    NaN, and ``start`` NaN if still queued) and every entity not out, with its flow, arrival
    and queue time so far (``waited``: finished visits plus the current queue), and whether
    it is outside, waiting for the port (or a stage with hours of its own) to open."""

    visits: NDArray[np.float64]
    entity: NDArray[np.int64]
    flow: NDArray[np.int32]
    arrival: NDArray[np.float64]
    waited: NDArray[np.float64]
    #: each entity's subflow, and the persons it would bring out through its own queues
    subflow: NDArray[np.int32]
    persons: NDArray[np.int32]
    #: whether each entity waits for the port to open (come while it was closed) or for a
    #: stage with hours of its own (reached while it was closed): in none of its queues
    outside: NDArray[np.bool_]


class Recorder(Protocol):
    """What the engine writes to: callables taking one tuple each, and ``close``."""

    @property
    def arrival(self) -> Callable[[tuple[float, ...]], object]: ...
    @property
    def arrival_detail(self) -> Callable[[tuple[float, ...]], object]: ...
    @property
    def visit(self) -> Callable[[tuple[float, ...]], object]: ...
    @property
    def exit(self) -> Callable[[tuple[float, ...]], object]: ...
    @property
    def exit_detail(self) -> Callable[[tuple[float, ...]], object]: ...

    def close(self, unfinished: Unfinished) -> None: ...


def take_rows(staged: list[float], width: int) -> NDArray[np.float64]:
    """The values staged in a list as rows of ``width`` doubles; the list is emptied in place
    (whoever extends it goes on extending the same list)."""
    rows = np.empty(len(staged))
    # struct converts a list of ints and floats to doubles in half the time np.fromiter takes
    struct.pack_into(f"{len(staged)}d", rows.data, 0, *staged)
    staged.clear()
    return rows.reshape(-1, width)


class VisitLog:
    """Everything a :class:`FullRecorder` wrote: visit columns (:data:`LOG_COLUMNS`), one
    row per visit in the order services ended, then the unfinished ones; and the entity
    columns (``flow``, ``arrival``, ``subflow``, ``parent``, ``size``, ``aboard_wait``,
    ``exit``, ``meet``; NaN: not out, not met; ``outside``: waiting for an opening at the
    horizon) indexed by entity id. :meth:`take` hands a
    visit column over, so that whoever reorders the columns can free each as it goes."""

    __slots__ = ("_columns", "entities", "visits")

    def __init__(self, columns: dict[str, NDArray[np.generic]], entities: dict[str, Any]) -> None:
        self._columns = columns
        self.visits = len(columns["entity"])
        self.entities = entities

    def column(self, name: str) -> NDArray[np.generic]:
        return self._columns[name]

    def take(self, name: str) -> NDArray[np.generic]:
        """The column, which the log no longer holds."""
        return self._columns.pop(name)


class FullRecorder:
    """Keeps every visit and every entity, packed into typed columns as it goes (a visit
    costs its columns' bytes, not a Python object or a row of doubles)."""

    __slots__ = ("_detail", "_detail_columns", "_exits", "_held", "_meets", "_outside", "_pairs",
                 "_plain", "_plain_columns", "_rows", "_visit_columns", "arrival", "arrival_detail",
                 "default_subflow", "exit", "exit_detail", "held", "log", "visit")  # fmt: skip

    def __init__(
        self, default_subflow: tuple[int, ...] = (), small: type[np.integer] = np.int32
    ) -> None:
        #: the subflow of each flow's entities of no class
        self.default_subflow = default_subflow
        self._rows: list[float] = []  # staged visit rows (VISIT_COLUMNS)
        self._plain: list[float] = []  # staged ARRIVAL_COLUMNS rows
        self._detail: list[float] = []  # staged DETAIL_COLUMNS rows
        self._exits: list[float] = []  # staged (entity, exit) pairs
        self._meets: list[float] = []  # staged (entity, time at a meeting point) pairs
        #: staged (entity, time held before stages closed when it reached them) pairs
        self._held: list[float] = []
        #: the entities outside at the horizon, waiting for an opening (known at the close)
        self._outside = np.zeros(0, dtype=np.int64)
        self._visit_columns = Columns(log_columns(small))
        self._plain_columns = Columns((("flow", np.int32), ("arrival", np.float64)))
        self._detail_columns = Columns(_DETAIL_TYPES)
        self._pairs = {name: Columns(_PAIR_TYPES) for name in ("exit", "meet", "stage_held")}
        # the engine calls these lists' own extend: the lists are emptied, never replaced
        self.arrival = self._plain.extend
        self.arrival_detail = self._detail.extend
        self.visit = self._rows.extend
        self.exit = self._exit
        self.exit_detail = self._exit_detail
        self.held = self._held.extend
        self.log: VisitLog | None = None

    def _exit(self, row: tuple[float, ...]) -> None:
        exits = self._exits
        exits.extend(row[:2])  # entity, exit
        if len(self._rows) + len(exits) >= _STAGED:
            self._pack()

    def _exit_detail(self, row: tuple[float, ...]) -> None:
        self._meets.extend((row[0], row[-1]))  # entity, meet
        self._exit(row)

    def _pack(self) -> None:
        """Move the staged rows into the typed columns."""
        self._visit_columns.append(take_rows(self._rows, _WIDTH))
        self._plain_columns.append(take_rows(self._plain, len(ARRIVAL_COLUMNS)))
        self._detail_columns.append(take_rows(self._detail, len(DETAIL_COLUMNS)))
        for name, staged in (("exit", self._exits), ("meet", self._meets),
                             ("stage_held", self._held)):  # fmt: skip
            if staged:
                self._pairs[name].append(take_rows(staged, 2))

    def close(self, unfinished: Unfinished) -> None:
        self._pack()
        self._visit_columns.append(unfinished.visits)  # after every finished visit
        self._outside = unfinished.entity[unfinished.outside]
        self.log = VisitLog(self._visit_columns.concatenate(), self._entities())

    def _entities(self) -> dict[str, Any]:
        """The entity columns by id: plain entities take the places that detailed ones
        leave, in order (both came in id order)."""
        plain = self._plain_columns.concatenate()
        detail = self._detail_columns.concatenate()
        ids = detail["entity"].astype(np.int64)
        total = len(plain["flow"]) + len(ids)
        others = np.ones(total, dtype=bool)
        others[ids] = False
        default = np.asarray(self.default_subflow or (0,), dtype=np.int32)
        out: dict[str, Any] = {
            "flow": np.empty(total, dtype=np.int32),
            "arrival": np.empty(total),
            "subflow": np.empty(total, dtype=np.int32),
            "parent": np.full(total, -1, dtype=np.int32),
            "size": np.ones(total, dtype=np.int32),
            "aboard_wait": np.zeros(total),
        }
        out["flow"][others] = plain["flow"]
        out["arrival"][others] = plain["arrival"]
        out["subflow"][others] = default[plain["flow"]]
        for name, column in out.items():
            column[ids] = detail[name]
        for name in ("exit", "meet"):
            pairs = self._pairs[name].concatenate()
            out[name] = np.full(total, np.nan)
            out[name][pairs["entity"]] = pairs["value"]
        out["outside"] = np.zeros(total, dtype=bool)
        out["outside"][self._outside] = True
        held = self._pairs["stage_held"].concatenate()
        if len(held["entity"]):  # only a run with stages that have hours of their own
            out["stage_held"] = np.zeros(total)
            out["stage_held"][held["entity"]] = held["value"]
        return out
