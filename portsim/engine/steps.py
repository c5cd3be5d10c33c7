"""Running route programs: :meth:`Router.advance` moves an entity through the steps of its
subflow's program (:mod:`portsim.model.routes`) until it must wait for something: a queue, a
move, a shuttle, its passengers, or the exit.

Under the port's hours, a walk out (a flow's ``exit_transfer``) needs no officer: whoever
starts it is counted out of the port's gate then (its lanes need not stay open at a closing
for someone walking away), and its exit row, at the walk's end, counts nobody out again
(:class:`WalkOut`). Without hours, the walk is an ordinary move.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from heapq import heappush
from itertools import accumulate
from typing import Any

from ..model.model import Model, Subflow
from ..model.routes import Alight, Board, Branch, Choose, Meet, Move, Visit
from .carloads import Carloads
from .core import NORMAL, Clock
from .entities import Entity
from .on_demand import OnDemandService
from .shuttles import ShuttleService
from .stage_gates import StageGate
from .stages import StageQueue
from .streams import BLOCK_MASK, BLOCK_SHIFT, IndexedDraws, key, make_generator

__all__ = ["Router", "WalkOut", "stream_factory"]

# step opcodes of the run-time programs: tuples (opcode, ...), cheap to dispatch
VISIT, EXIT, MOVE, BRANCH, CHOOSE, BOARD, ALIGHT, MEET, GATED, CALL = range(10)
# under the port's hours only: the walk out, and the exit after it
WALK_OUT, WALKED_EXIT = 10, 11


@dataclass(frozen=True, slots=True)
class WalkOut:
    """What a walk out under the port's hours needs: ``left`` counts the walker out of the
    port's gate as the walk starts; ``exit`` and ``exit_detail`` record the exit row at its
    end without counting anyone out again."""

    left: Callable[[], None]
    exit: Callable[[tuple[float, ...]], object]
    exit_detail: Callable[[tuple[float, ...]], object]


def _uniform(rng: Any, n: int) -> Any:
    return rng.uniform(0.0, 1.0, n)


def _draw(draws: Any, k: int) -> float:
    try:
        return draws.blocks[k >> BLOCK_SHIFT][k & BLOCK_MASK]  # type: ignore[no-any-return]
    except (IndexError, TypeError):
        return draws.fill(k)  # type: ignore[no-any-return]


class Router:
    """The route programs of every subflow, bound to this replication's stages, shuttles and
    random streams."""

    __slots__ = (
        "carloads",
        "clock",
        "exit",
        "exit_detail",
        "moved",
        "programs",
        "streams",
        "walk_out",
    )

    def __init__(
        self,
        clock: Clock,
        *,
        streams: Callable[[tuple[str, ...], Any], IndexedDraws],
        exit: Callable[[tuple[float, ...]], object],
        exit_detail: Callable[[tuple[float, ...]], object],
        walk_out: WalkOut | None = None,
    ) -> None:
        self.clock = clock
        self.walk_out = walk_out  # None: no port hours (a walk out is an ordinary move)
        self.exit = exit  # takes the EXIT_COLUMNS of an entity of no class, on foot
        self.exit_detail = exit_detail  # the EXIT_DETAIL_COLUMNS of any other
        self.streams = streams
        self.moved: list[Any] = [self._moved]
        self.programs: list[list[tuple[Any, ...]]] = []
        self.carloads: Carloads | None = None

    def bind(
        self,
        model: Model,
        stages: list[StageQueue],
        shuttles: Sequence[ShuttleService | OnDemandService],
        carloads: Carloads,
        gates: Mapping[int, StageGate] | None = None,
    ) -> None:
        """Bind the subflows' programs to this replication's stages (their lane groups must
        be known), shuttles and carloads; a stage with a gate (hours of its own) is reached
        through it."""
        self.carloads = carloads
        self.programs = [
            self._bind(sub, model, stages, shuttles, gates or {}) for sub in model.subflows
        ]

    def _bind(
        self,
        sub: Subflow,
        model: Model,
        stages: list[StageQueue],
        shuttles: Sequence[ShuttleService | OnDemandService],
        gates: Mapping[int, StageGate],
    ) -> list[tuple[Any, ...]]:
        streams = self.streams
        bound: list[tuple[Any, ...]] = []
        walked = self._walked(sub)
        for index, step in enumerate(sub.program):
            if index in walked:  # the exit after a walk out, under the port's hours
                bound.append((WALKED_EXIT,))
            elif isinstance(step, Visit) and step.stage in gates:
                bound.append((GATED, gates[step.stage].reach, step.next))
            elif isinstance(step, Visit):
                stage = stages[step.stage]
                bound.append((VISIT, stage.options[sub.index], step.next, stage))
            elif isinstance(step, Move):
                draws = (
                    None
                    if step.constant is not None
                    else streams(key(step.role, *step.names), step.travel.sample)
                )
                op = WALK_OUT if walked and step.role == "exit_transfer" else MOVE
                bound.append((op, step.constant, draws, step.next))
            elif isinstance(step, Board):
                shuttle = shuttles[step.shuttle]
                # a bus on demand is called by whoever reaches its stop
                op = CALL if isinstance(shuttle, OnDemandService) else BOARD
                bound.append((op, shuttle, step.next))
            elif isinstance(step, Branch):
                draws = streams(key("route", *step.names), _uniform)
                bound.append((BRANCH, step.p, draws, step.yes, step.no))
            elif isinstance(step, Choose):
                edges = tuple(accumulate(p for p, _ in step.options))
                targets = tuple(target for _, target in step.options)
                draws = streams(key("choose", *step.names), _uniform)
                bound.append((CHOOSE, edges, targets, step.no, draws))
            elif isinstance(step, Alight):
                meets = any(isinstance(s, Meet) for s in sub.program)
                bound.append((ALIGHT, step.subflow, meets, step.next))
            elif isinstance(step, Meet):
                bound.append((MEET, step.next))
            else:
                passengers = sub.index == model.flows[sub.flow].passengers
                bound.append((EXIT, passengers))
        return bound

    def _walked(self, sub: Subflow) -> set[int]:
        """The exit steps that follow a walk out, when the port has hours (else none)."""
        if self.walk_out is None:
            return set()
        return {
            step.next
            for step in sub.program
            if isinstance(step, Move) and step.role == "exit_transfer"
        }

    def advance(self, t: Entity, now: float) -> None:
        """Run ``t``'s program from its current step until it waits or leaves."""
        program = self.programs[t.sub]
        while True:
            step = program[t.pc]
            op = step[0]
            if op == VISIT:  # join the lane group with the shortest expected wait
                t.pc = step[2]
                options = step[1]
                group = options[0] if len(options) == 1 else step[3].choose(options, t.sub, now)
                t.join = now
                group.join(t, now)
                return
            if op == EXIT:
                if t.__class__ is Entity:  # of no class, on foot: the common case
                    self.exit((t.tid, now, t.flow, t.arrival, t.wait, t.visits))
                elif step[1]:  # a passenger back from the sub-route
                    assert self.carloads is not None
                    self.carloads.back(t, now)
                else:
                    self.leave(t, now, math.nan if t.carload is None else t.carload.dwell)
                return
            if op == MOVE:
                t.pc = step[3]
                travel = step[1]
                if travel is None:
                    travel = _draw(step[2], t.k)
                if travel > 0:
                    t.callbacks = self.moved
                    clock = self.clock
                    heappush(clock.queue, (now + travel, NORMAL, next(clock.ids), t))
                    return
                continue
            if op == BRANCH:
                t.pc = step[3] if _draw(step[2], t.k) < step[1] else step[4]
                continue
            if not self._step(t, step, op, now):
                return

    def _step(self, t: Entity, step: tuple[Any, ...], op: int, now: float) -> bool:
        """The less common steps; whether ``t`` goes on at once."""
        if op == CHOOSE:
            u = _draw(step[4], t.k)
            edges, targets = step[1], step[2]
            t.pc = next((to for edge, to in zip(edges, targets, strict=True) if u < edge), step[3])
            return True
        if op == BOARD:
            t.pc = step[2]
            step[1].boarding.append(t)
            return False
        if op == CALL:
            t.pc = step[2]
            step[1].board(t, now)
            return False
        if op >= WALK_OUT:  # WALK_OUT, WALKED_EXIT
            return self._walk_out(t, step, op, now)
        if op == GATED:  # a stage with hours of its own: its gate lets it in, or holds it
            t.pc = step[2]
            step[1](t, now)
            return False
        assert self.carloads is not None
        if op == ALIGHT:
            t.pc = step[3]
            self.carloads.alight(t, step[1], step[2], now)
            return True
        t.pc = step[1]  # MEET
        return self.carloads.meet(t, now)

    def _walk_out(self, t: Entity, step: tuple[Any, ...], op: int, now: float) -> bool:
        """The walk out under the port's hours: its start counts ``t`` out of the gate; the
        exit after it records the row only. Whether ``t`` goes on at once."""
        walk_out = self.walk_out
        assert walk_out is not None
        if op == WALKED_EXIT:
            if t.__class__ is Entity:
                walk_out.exit((t.tid, now, t.flow, t.arrival, t.wait, t.visits))
            else:  # a vehicle's passengers left with it at the meeting point
                self.leave(t, now, math.nan if t.carload is None else t.carload.dwell, walk_out)
            return False
        walk_out.left()
        t.pc = step[3]
        travel = step[1]
        if travel is None:
            travel = _draw(step[2], t.k)
        if travel > 0:
            t.callbacks = self.moved
            clock = self.clock
            heappush(clock.queue, (now + travel, NORMAL, next(clock.ids), t))
            return False
        return True

    def leave(self, t: Entity, now: float, meet: float, walked: WalkOut | None = None) -> None:
        """``t`` (of a class, a vehicle or a passenger) leaves the port: the persons it
        brings out through its own queues are its occupants aboard (the driver only, once
        passengers alighted: it ``dropped`` them); ``walked``: after a walk out under the
        port's hours (counted out when it began)."""
        dropped = t.carload is not None and t.carload.vehicle is t
        persons = 1 if dropped else t.size
        row = (t.tid, now, t.flow, t.arrival, t.wait + t.aboard, t.visits, t.sub)
        record = self.exit_detail if walked is None else walked.exit_detail
        record((*row, persons, dropped, meet))

    def _moved(self, t: Entity) -> None:
        self.advance(t, self.clock.env._now)


def stream_factory(seed: int, replication: int) -> Callable[[tuple[str, ...], Any], IndexedDraws]:
    """Indexed draws for a source key, one per key in this replication (so two steps that
    name the same key read the same draws)."""
    made: dict[tuple[str, ...], IndexedDraws] = {}

    def streams(source: tuple[str, ...], sample: Any) -> IndexedDraws:
        if source not in made:
            made[source] = IndexedDraws(sample, make_generator(seed, replication, source))
        return made[source]

    return streams
