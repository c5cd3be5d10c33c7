"""Priority in a queue, never pre-emptive: crew, diplomats, the elderly and disabled at the
same counters as everyone else are served first, but never take a lane from someone in
service; first come, first served within a level.

A lane group whose travellers are not all of one priority (the model's
:attr:`~portsim.model.model.CompiledGroup.priority`, a rank by subflow) is built as
:class:`PriorityShared` or :class:`PriorityPerLane` (with a rule, their ruled twins
below); every other group keeps its plain deques, on the plain path, and a run without
priorities never imports this module (:func:`~.control.lanes_class` does, when needed).
The only change is the queue: a :class:`LevelQueue`, one deque per rank, that the
groups' own code appends to and pops from as it does a deque.

What the priority changes beyond the order of service (and what it does not):

- the expected wait a traveller's choice of group reads counts only those ahead of it (its
  own rank and the ranks before it), not those it will overtake; it cannot foresee those who
  will overtake it;
- an opening rule reads the whole queue, as a newcomer of the last rank sees it;
- with a queue per lane, an arrival still joins the lane with the fewest travellers, all
  ranks counted (what a traveller sees), and a lane serves its own queue's first rank first;
  a closing lane's queue, and those who waited for a lane to open, rejoin rank by rank, in
  join order within a rank.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .entities import Entity
from .lanes import Lanes, PerLaneLanes, SharedLanes
from .staffed import GivesBack

if TYPE_CHECKING:
    from .control import LaneControl

__all__ = [
    "LevelQueue",
    "PriorityPerLane",
    "PriorityShared",
    "RuledPriorityPerLane",
    "RuledPriorityShared",
    "StaffedPriorityPerLane",
    "StaffedPriorityShared",
    "priority_class",
    "staffed_priority_class",
]


class LevelQueue:
    """A queue served rank by rank, first come first served within a rank: a deque per
    rank, used as one deque (``append``, ``popleft``, ``len``, iteration in the order of
    service)."""

    __slots__ = ("levels", "ranks", "size")

    def __init__(self, ranks: tuple[int, ...]) -> None:
        self.ranks = ranks  # the rank of each subflow
        self.levels: list[deque[Entity]] = [deque() for _ in range(max(ranks) + 1)]
        self.size = 0

    def append(self, t: Entity) -> None:
        self.levels[self.ranks[t.sub]].append(t)
        self.size += 1

    def popleft(self) -> Entity:
        """The first of the first rank that has anyone waiting."""
        for level in self.levels:
            if level:
                self.size -= 1
                return level.popleft()
        raise IndexError("pop from an empty queue")

    def clear(self) -> None:
        for level in self.levels:
            level.clear()
        self.size = 0

    def ahead(self, rank: int) -> int:
        """How many a newcomer of ``rank`` finds ahead of it (its rank and those before)."""
        return sum(len(level) for level in self.levels[: rank + 1])

    def __len__(self) -> int:
        return self.size

    def __bool__(self) -> bool:
        return self.size > 0

    def __iter__(self) -> Iterator[Entity]:
        for level in self.levels:
            yield from level


class PriorityShared(SharedLanes):
    """A shared queue served rank by rank."""

    __slots__ = ("levels", "ranks")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ranks = args[0].priority
        assert ranks is not None
        self.ranks: tuple[int, ...] = ranks
        self.queue = self.levels = LevelQueue(ranks)

    def expected_wait(self, flow: int) -> float:
        """Zero with a lane free, else (travellers ahead of it + 1) / open lanes × mean
        service (``flow``: the newcomer's subflow)."""
        if self.free:
            return 0.0
        return (self.levels.ahead(self.ranks[flow]) + 1) * self.means[flow] / self.open


class PriorityPerLane(PerLaneLanes):
    """Queues per lane, each served rank by rank."""

    __slots__ = ("levels", "ranks")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ranks = args[0].priority
        assert ranks is not None
        self.ranks: tuple[int, ...] = ranks
        self.levels = [LevelQueue(ranks) for _ in self.serving]
        self.lane_queues = list(self.levels)
        self.pending = LevelQueue(ranks)

    def expected_wait(self, flow: int) -> float:
        """At the shortest lane: (its traveller in service + those waiting ahead of the
        newcomer) × mean service."""
        lane, length = self.shortest_lane()
        if length == 0:
            return 0.0
        ahead = self.levels[lane].ahead(self.ranks[flow]) + (self.serving[lane] is not None)
        return ahead * self.means[flow]

    def rejoin_order(self, t: Entity) -> tuple[int, int]:
        """Rank first, then join order."""
        return self.ranks[t.sub], t.order


class RuledPriorityShared(PriorityShared):
    """A shared queue served by priority, whose rule looks at it after each join and end."""

    __slots__ = ("control",)
    control: LaneControl

    def join(self, t: Entity, now: float) -> None:
        SharedLanes.join(self, t, now)
        self.control.check(now)

    def complete(self, t: Entity) -> None:
        SharedLanes.complete(self, t)
        self.control.check(self.env._now)


class RuledPriorityPerLane(PriorityPerLane):
    """Queues per lane served by priority, whose rule looks at them after each join and
    end."""

    __slots__ = ("control",)
    control: LaneControl

    def join(self, t: Entity, now: float) -> None:
        PerLaneLanes.join(self, t, now)
        self.control.check(now)

    def complete(self, t: Entity) -> None:
        PerLaneLanes.complete(self, t)
        self.control.check(self.env._now)


def priority_class(per_lane: bool, ruled: bool) -> type[Lanes]:
    """The class of a lane group whose travellers differ in priority (``ruled``: with an
    opening rule)."""
    if ruled:
        return RuledPriorityPerLane if per_lane else RuledPriorityShared
    return PriorityPerLane if per_lane else PriorityShared


class StaffedPriorityShared(GivesBack, RuledPriorityShared):
    """A shared queue served by priority, of a staff pool."""

    __slots__ = ()


class StaffedPriorityPerLane(GivesBack, RuledPriorityPerLane):
    """Queues per lane served by priority, of a staff pool."""

    __slots__ = ()


def staffed_priority_class(per_lane: bool) -> type[Lanes]:
    """The class of a lane group of a staff pool whose travellers differ in priority."""
    return StaffedPriorityPerLane if per_lane else StaffedPriorityShared
