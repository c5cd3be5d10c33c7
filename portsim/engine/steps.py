"""Running route programs: :meth:`Router.advance` moves an entity through the steps of its
flow's program (:mod:`portsim.model.routes`) until it must wait for something: a queue, a
move, a shuttle, or the exit. Timetabled shuttles live here too: :class:`ShuttleService`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from heapq import heappush
from typing import Any

from ..model.model import CompiledShuttle, Model
from ..model.routes import Board, Branch, Move, Program, Visit
from .core import NORMAL, URGENT, Clock, Event
from .entities import Entity
from .stages import StageQueue
from .streams import BLOCK_MASK, BLOCK_SHIFT, IndexedDraws, key, make_generator

__all__ = ["Router", "ShuttleService"]

# step opcodes of the run-time programs: tuples (opcode, ...), cheap to dispatch
VISIT, MOVE, BOARD, BRANCH, EXIT = range(5)


def _uniform(rng: Any, n: int) -> Any:
    return rng.uniform(0.0, 1.0, n)


class ShuttleService:
    """A timetabled shuttle: whoever is boarding when it leaves rides, first come first
    served, as many as it has seats; the rest wait for the next one. Departures are URGENT:
    a shuttle that leaves at t takes nobody who reaches the stop at t."""

    __slots__ = ("boarding", "clock", "departs", "horizon", "rides", "riding", "router", "spec")

    def __init__(self, spec: CompiledShuttle, clock: Clock, horizon: float) -> None:
        self.spec = spec
        self.clock = clock
        self.horizon = horizon
        self.boarding: deque[Entity] = deque()
        self.riding: deque[list[Entity]] = deque()  # the rides under way, oldest first
        self.departs = [self.depart]
        self.rides = [self.arrive]
        self.router: Router | None = None

    def schedule_first(self) -> None:
        if self.spec.first < self.horizon:
            self.clock.schedule(Event(self.departs), self.spec.first, URGENT)

    def depart(self, event: Event) -> None:
        now = self.clock.now
        spec = self.spec
        boarding = self.boarding
        riders = [boarding.popleft() for _ in range(min(spec.seats, len(boarding)))]
        if riders:
            if spec.ride > 0:
                self.riding.append(riders)
                self.clock.schedule(Event(self.rides, riders), spec.ride)
            else:
                self._alight(riders, now)
        if now + spec.every < self.horizon:
            self.clock.schedule(Event(self.departs), spec.every, URGENT)

    def arrive(self, event: Event) -> None:
        self.riding.popleft()  # rides take the same time: the oldest arrives first
        self._alight(event.item, self.clock.now)

    def _alight(self, riders: list[Entity], now: float) -> None:
        assert self.router is not None
        for t in riders:
            self.router.advance(t, now)


class Router:
    """The route programs of every flow, bound to this replication's stages, shuttles and
    random streams."""

    __slots__ = ("clock", "exit", "moved", "programs", "streams")

    def __init__(
        self,
        clock: Clock,
        *,
        streams: Callable[[tuple[str, ...], Any], IndexedDraws],
        exit: Callable[[tuple[float, ...]], object],
    ) -> None:
        self.clock = clock
        self.exit = exit
        self.streams = streams
        self.moved: list[Any] = [self._moved]
        self.programs: list[list[tuple[Any, ...]]] = []

    def bind(self, model: Model, stages: list[StageQueue], shuttles: list[ShuttleService]) -> None:
        """Bind the flows' programs to this replication's stages (their lane groups must be
        known) and shuttles."""
        self.programs = [
            self._bind(flow.index, flow.program, stages, shuttles, self.streams)
            for flow in model.flows
        ]

    @staticmethod
    def _bind(
        flow: int,
        program: Program,
        stages: list[StageQueue],
        shuttles: list[ShuttleService],
        streams: Callable[[tuple[str, ...], Any], IndexedDraws],
    ) -> list[tuple[Any, ...]]:
        bound: list[tuple[Any, ...]] = []
        for step in program:
            if isinstance(step, Visit):
                stage = stages[step.stage]
                bound.append((VISIT, stage.options[flow], step.next, stage))
            elif isinstance(step, Move):
                draws = (
                    None
                    if step.constant is not None
                    else streams(key("transfer", *step.names), step.travel.sample)
                )
                bound.append((MOVE, step.constant, draws, step.next))
            elif isinstance(step, Board):
                bound.append((BOARD, shuttles[step.shuttle], step.next))
            elif isinstance(step, Branch):
                bound.append(
                    (
                        BRANCH,
                        step.p,
                        streams(key("route", *step.names), _uniform),
                        step.yes,
                        step.no,
                    )
                )
            else:
                bound.append((EXIT,))
        return bound

    def advance(self, t: Entity, now: float) -> None:
        """Run ``t``'s program from its current step until it waits or leaves."""
        program = self.programs[t.flow]
        while True:
            step = program[t.pc]
            op = step[0]
            if op == VISIT:  # join the lane group with the shortest expected wait
                t.pc = step[2]
                options = step[1]
                group = options[0] if len(options) == 1 else step[3].choose(options, t.flow, now)
                t.join = now
                group.join(t, now)
                return
            if op == BRANCH:
                draws = step[2]
                k = t.k
                try:
                    u = draws.blocks[k >> BLOCK_SHIFT][k & BLOCK_MASK]
                except (IndexError, TypeError):
                    u = draws.fill(k)
                t.pc = step[3] if u < step[1] else step[4]
                continue
            if op == MOVE:
                t.pc = step[3]
                travel = step[1]
                if travel is None:
                    draws = step[2]
                    k = t.k
                    try:
                        travel = draws.blocks[k >> BLOCK_SHIFT][k & BLOCK_MASK]
                    except (IndexError, TypeError):
                        travel = draws.fill(k)
                if travel > 0:
                    t.callbacks = self.moved
                    clock = self.clock
                    heappush(clock.queue, (now + travel, NORMAL, next(clock.ids), t))
                    return
                continue
            if op == BOARD:
                t.pc = step[2]
                step[1].boarding.append(t)
                return
            self.exit((t.tid, t.flow, t.arrival, now, t.wait, t.visits))
            return

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
