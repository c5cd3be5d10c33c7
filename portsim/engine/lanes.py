"""Lane groups at run time: lanes of one kind at a stage, serving travellers from one shared
first-come-first-served queue (:class:`SharedLanes`) or from a queue per lane, joined at the
shortest (:class:`PerLaneLanes`). A group whose travellers differ in priority serves its
queues level by level (:mod:`.priority`, the same code with another queue).

A group starts the next service from the completion callback of the previous one; no
traveller is a process. It counts its own busy lane-time and logs every change of its open
lanes, whoever makes it (the timetable, the port's hours, an opening rule: :mod:`.control`).

A lane that closes while it serves finishes its traveller, still staffed: it logs that
overtime, ``(start, end)`` from the closing to whichever comes first of the traveller
leaving, the lane reopening and the horizon. The bookkeeping is in :meth:`Lanes.log_open`
and in a service end on a closed lane, never in an ordinary service.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterator
from heapq import heapify, heappop, heappush
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from ..model.model import CompiledGroup
from ..model.timetable import Timetable
from .core import NORMAL, Clock
from .entities import Entity
from .stages import StageQueue
from .streams import BLOCK_MASK, BLOCK_SHIFT, IndexedDraws

if TYPE_CHECKING:
    from .priority import LevelQueue

__all__ = ["Lanes", "PerLaneLanes", "SharedLanes"]


class Lanes:
    """What every lane group has: lanes 0 .. ``open``-1 open, who is in service in each, the
    service draws and means by flow, and the accounting of lanes and busy time."""

    __slots__ = (
        "advance",
        "busy",
        "clock",
        "closed_at",
        "done",
        "draws",
        "env",
        "heap",
        "ids",
        "index",
        "lanes_open",
        "means",
        "open",
        "overtime",
        "per_occupant",
        "qmax",
        "record",
        "serving",
        "stage",
        "timetable",
        "waiting",
    )

    def __init__(
        self,
        spec: CompiledGroup,
        stage: StageQueue,
        clock: Clock,
        *,
        draws: list[IndexedDraws | None],
        per_occupant: list[IndexedDraws | None] | None,
        record: Callable[[tuple[float, ...]], object],
        advance: Callable[[Entity, float], None],
        occupants: list[float],
        initial: int | None = None,
    ) -> None:
        self.index = spec.index
        self.stage = stage
        self.clock = clock
        self.env = clock.env  # the clock's own environment, heap and event ids (hot paths)
        self.heap = clock.queue
        self.ids = clock.ids
        self.timetable: Timetable = spec.timetable
        # lanes 0 .. open-1 are open
        self.open = spec.timetable.initial if initial is None else initial
        self.serving: list[Entity | None] = [None] * spec.lanes
        self.waiting = 0
        self.qmax = 0
        self.draws = draws  # service requirement, by subflow index
        # added per occupant, by subflow index (None: no group of this model has it)
        self.per_occupant = per_occupant
        self.means = [math.nan if d is None else d.mean for d in spec.service]
        for sub, extra in enumerate(spec.per_occupant):
            if extra is not None:
                self.means[sub] += extra.mean * occupants[sub]
        self.record = record
        self.advance = advance
        self.busy = 0.0  # busy lane-seconds since the warm-up (see start_counting)
        self.lanes_open: list[tuple[float, int]] = [(0.0, self.open)]
        #: ``(start, end)`` of each overtime, a closed lane finishing its traveller, in the
        #: order they end (none of zero length), from time 0
        self.overtime: list[tuple[float, float]] = []
        self.closed_at = [0.0] * spec.lanes  # when each lane last closed (its overtime start)
        self.done: list[Any] = [self.complete]

    # -- behaviour each kind of group gives
    def expected_wait(self, flow: int) -> float:
        raise NotImplementedError

    def rule_wait(self, mean: float) -> float:
        """A newcomer's expected wait, with ``mean`` service, as an opening rule reads it."""
        raise NotImplementedError

    def join(self, t: Entity, now: float) -> None:
        raise NotImplementedError

    def complete(self, t: Entity) -> None:
        raise NotImplementedError

    def set_open(self, count: int, now: float) -> None:
        raise NotImplementedError

    def queued(self) -> Iterator[Entity]:
        raise NotImplementedError

    # -- shared behaviour
    def start(self, t: Entity, lane: int, now: float) -> None:
        """Serve ``t`` in ``lane`` from ``now``; its service ends after its requirement."""
        draws: Any = self.draws[t.sub]
        k = t.k
        try:
            service = draws.blocks[k >> BLOCK_SHIFT][k & BLOCK_MASK]
        except (IndexError, TypeError):
            service = draws.fill(k)
        if self.per_occupant is not None and (extra := self.per_occupant[t.sub]) is not None:
            service += extra.total(t.occupant, t.size)
        t.start = now
        t.lane = lane
        t.wait += now - t.join
        self.serving[lane] = t
        t.callbacks = self.done
        heappush(self.heap, (now + service, NORMAL, next(self.ids), t))

    def log_open(self, count: int, now: float) -> None:
        """Lanes 0 .. ``count``-1 open from ``now``: a busy lane that closes starts its
        overtime; one that reopens before its traveller left ends it."""
        old = self.open
        self.open = count
        self.lanes_open.append((now, count))
        serving = self.serving
        for lane in range(count, old):
            if serving[lane] is not None:
                self.closed_at[lane] = now
        for lane in range(old, count):
            if serving[lane] is not None:
                self.end_overtime(lane, now)

    def end_overtime(self, lane: int, now: float) -> None:
        """The overtime of closed ``lane`` ends at ``now`` (its traveller leaves, the lane
        reopens, or the horizon)."""
        start = self.closed_at[lane]
        if now > start:
            self.overtime.append((start, now))

    def closed_done(self, lane: int, now: float) -> None:
        """Closed ``lane``'s traveller leaves at ``now``: its overtime ends (a group that
        draws on a staff pool also gives the lane's officers back: :mod:`.staffed`)."""
        self.end_overtime(lane, now)

    def start_counting(self, now: float) -> None:
        """The warm-up ends: count busy time from now (services under way count from now)."""
        self.qmax = self.waiting
        self.busy = -sum(now - t.start for t in self.serving if t is not None)

    def close(self, horizon: float) -> None:
        """The horizon: services under way count as busy up to it, and closed lanes still
        serving are in overtime up to it."""
        self.busy += sum(horizon - t.start for t in self.serving if t is not None)
        for lane in range(self.open, len(self.serving)):
            if self.serving[lane] is not None:
                self.end_overtime(lane, horizon)

    def open_time(self, start: float, end: float, horizon: float) -> float:
        """Open lane-seconds within ``[start, end)``, from the log of open lanes."""
        total = 0.0
        for (t0, count), (t1, _) in pairwise([*self.lanes_open, (horizon, 0)]):
            lo, hi = max(t0, start), min(t1, end)
            if hi > lo:
                total += count * (hi - lo)
        return total

    def overtime_time(self, start: float, end: float) -> float:
        """Overtime lane-seconds within ``[start, end)``, from the log of overtime (call
        after :meth:`close`)."""
        return math.fsum(max(min(t1, end) - max(t0, start), 0.0) for t0, t1 in self.overtime)


class SharedLanes(Lanes):
    """One first-come-first-served queue for all the group's lanes."""

    __slots__ = ("free", "queue")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.free = list(range(self.open))  # a heap of idle open lanes
        self.queue: deque[Entity] | LevelQueue = deque()  # by level: a LevelQueue

    def expected_wait(self, flow: int) -> float:
        """Zero with a lane free, else (travellers ahead + 1) / open lanes × mean service."""
        if self.free:
            return 0.0
        return (len(self.queue) + 1) * self.means[flow] / self.open

    def rule_wait(self, mean: float) -> float:
        if self.free:
            return 0.0
        return (len(self.queue) + 1) * mean / self.open if self.open else math.inf

    def join(self, t: Entity, now: float) -> None:
        if self.free:
            self.start(t, heappop(self.free), now)
        else:
            self.stage.changed(self, 1, now)
            self.queue.append(t)

    def complete(self, t: Entity) -> None:
        """The callback that ends ``t``'s service: the lane takes the next traveller."""
        now = self.env._now
        lane = t.lane
        self.serving[lane] = None
        self.busy += now - t.start
        self.record((t.tid, t.visits, self.index, lane, t.join, t.start, now, t.arrival))
        if lane < self.open:  # a lane that has closed takes nobody new
            if self.queue:
                self.stage.changed(self, -1, now)
                self.start(self.queue.popleft(), lane, now)
            else:
                heappush(self.free, lane)
        else:
            self.closed_done(lane, now)
        t.visits += 1
        self.advance(t, now)

    def set_open(self, count: int, now: float) -> None:
        """Open or close lanes (the highest close first; a busy one finishes its traveller,
        in overtime)."""
        old = self.open
        self.log_open(count, now)
        if count < old:
            self.free[:] = [lane for lane in self.free if lane < count]
            heapify(self.free)
            return
        for lane in range(old, count):  # one still finishing stays busy
            if self.serving[lane] is not None:
                continue
            if self.queue:
                self.stage.changed(self, -1, now)
                self.start(self.queue.popleft(), lane, now)
            else:
                heappush(self.free, lane)

    def queued(self) -> Iterator[Entity]:
        yield from self.queue


class PerLaneLanes(Lanes):
    """A queue per lane; an arrival joins the open lane with the fewest travellers."""

    __slots__ = ("joins", "lane_queues", "pending")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lane_queues: list[deque[Entity] | LevelQueue] = [deque() for _ in self.serving]
        self.pending: deque[Entity] | LevelQueue = deque()  # waiting while no lane is open
        self.joins = 0  # travellers who joined so far: the next one's place in join order

    def shortest_lane(self) -> tuple[int, int]:
        """The open lane with the fewest travellers (in service and waiting), lowest index
        first on a tie, and that number."""
        best, best_length = -1, 1 << 62
        serving = self.serving
        for lane, queue in enumerate(self.lane_queues[: self.open]):
            length = len(queue) + (serving[lane] is not None)
            if length < best_length:
                best, best_length = lane, length
                if length == 0:
                    break
        return best, best_length

    def expected_wait(self, flow: int) -> float:
        """The shortest lane's travellers × mean service."""
        _, length = self.shortest_lane()
        return 0.0 if length == 0 else length * self.means[flow]

    def rule_wait(self, mean: float) -> float:
        if not self.open:
            return math.inf
        _, length = self.shortest_lane()
        return length * mean

    def join(self, t: Entity, now: float) -> None:
        """Take the shortest open lane, or wait for one to open."""
        t.order = self.joins
        self.joins += 1
        self._take(t, now)

    def _take(self, t: Entity, now: float) -> None:
        if not self.open:
            self.stage.changed(self, 1, now)
            self.pending.append(t)
            return
        lane, length = self.shortest_lane()
        if length == 0:
            self.start(t, lane, now)
        else:
            self.stage.changed(self, 1, now)
            self.lane_queues[lane].append(t)

    def complete(self, t: Entity) -> None:
        now = self.env._now
        lane = t.lane
        self.serving[lane] = None
        self.busy += now - t.start
        self.record((t.tid, t.visits, self.index, lane, t.join, t.start, now, t.arrival))
        if lane < self.open:
            queue = self.lane_queues[lane]
            if queue:
                self.stage.changed(self, -1, now)
                self.start(queue.popleft(), lane, now)
        else:
            self.closed_done(lane, now)
        t.visits += 1
        self.advance(t, now)

    def set_open(self, count: int, now: float) -> None:
        """Closing lanes send their queues, in join order, to the shortest open lanes;
        opening lanes take whoever waited for any lane to open."""
        old = self.open
        self.log_open(count, now)
        if count < old:
            movers = [t for queue in self.lane_queues[count:old] for t in queue]
            for queue in self.lane_queues[count:old]:
                queue.clear()
            self._rejoin(sorted(movers, key=self.rejoin_order), now)
        elif self.pending:
            movers = list(self.pending)
            self.pending.clear()
            self._rejoin(movers, now)

    def rejoin_order(self, t: Entity) -> Any:
        """The order in which a closing lane's travellers rejoin: their join order."""
        return t.order

    def _rejoin(self, movers: list[Entity], now: float) -> None:
        for t in movers:
            self.stage.changed(self, -1, now)
            self._take(t, now)

    def queued(self) -> Iterator[Entity]:
        yield from self.pending
        for queue in self.lane_queues:
            yield from queue
