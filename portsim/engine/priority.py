"""Priority in a queue, never pre-emptive: crew, diplomats, the elderly and disabled at the
same counters as everyone else are served first, but never take a lane from someone in
service; first come, first served within a level.

A lane group whose travellers are not all of one priority (the model's
:attr:`~portsim.model.model.CompiledGroup.priority`, a level by subflow: the file's levels
numbered 0, 1, … in their order) is built as :class:`PriorityShared` or
:class:`PriorityPerLane` (with a rule, their ruled twins below); every other group keeps its
plain deques, on the plain path, and a run without priorities never imports this module
(:func:`~.control.lanes_class` does, when needed). The only change is the queue: a
:class:`LevelQueue`, one deque per level, that the groups' own code appends to and pops
from as it does a deque.

What the priority changes beyond the order of service (and what it does not):

- the expected wait a traveller's choice of group reads counts only those ahead of it (its
  own level and the levels before it), not those it will overtake; it cannot foresee those
  who will overtake it;
- an opening rule reads the whole queue, as a newcomer of the last level sees it;
- with a queue per lane, an arrival still joins the lane with the fewest travellers, all
  levels counted (what a traveller sees), and a lane serves its own queue's first level
  first; a closing lane's queue, and those who waited for a lane to open, rejoin level by
  level, in join order within a level.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

from ..model.model import CompiledGroup
from .control import Ruled
from .entities import Entity
from .lanes import Lanes, PerLaneLanes, SharedLanes
from .staffed import GivesBack

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
    """A queue served level by level, first come first served within a level: a deque per
    level, used as one deque (``append``, ``popleft``, ``len``, iteration in the order of
    service)."""

    __slots__ = ("level_of", "queues", "size")

    def __init__(self, level_of: tuple[int, ...]) -> None:
        self.level_of = level_of  # the level of each subflow
        self.queues: list[deque[Entity]] = [deque() for _ in range(max(level_of) + 1)]
        self.size = 0

    def append(self, t: Entity) -> None:
        self.queues[self.level_of[t.sub]].append(t)
        self.size += 1

    def popleft(self) -> Entity:
        """The first of the first level that has anyone waiting."""
        for queue in self.queues:
            if queue:
                self.size -= 1
                return queue.popleft()
        raise IndexError("pop from an empty queue")

    def clear(self) -> None:
        for queue in self.queues:
            queue.clear()
        self.size = 0

    def ahead(self, level: int) -> int:
        """How many a newcomer of ``level`` finds ahead of it (its level and those before)."""
        return sum(len(queue) for queue in self.queues[: level + 1])

    def __len__(self) -> int:
        return self.size

    def __bool__(self) -> bool:
        return self.size > 0

    def __iter__(self) -> Iterator[Entity]:
        for queue in self.queues:
            yield from queue


def _level_of(spec: CompiledGroup) -> tuple[int, ...]:
    """The level of each subflow at the group (it has one: the group is prioritised)."""
    assert spec.priority is not None
    return spec.priority


class PriorityShared(SharedLanes):
    """A shared queue served level by level."""

    __slots__ = ("level_of", "level_queue")

    def __init__(self, spec: CompiledGroup, *args: Any, **kwargs: Any) -> None:
        super().__init__(spec, *args, **kwargs)
        self.level_of = _level_of(spec)
        self.queue = self.level_queue = LevelQueue(self.level_of)

    def expected_wait(self, flow: int) -> float:
        """Zero with a lane free, else (travellers ahead of it + 1) / open lanes × mean
        service (``flow``: the newcomer's subflow)."""
        if self.free:
            return 0.0
        return (self.level_queue.ahead(self.level_of[flow]) + 1) * self.means[flow] / self.open


class PriorityPerLane(PerLaneLanes):
    """Queues per lane, each served level by level."""

    __slots__ = ("level_of", "level_queues")

    def __init__(self, spec: CompiledGroup, *args: Any, **kwargs: Any) -> None:
        super().__init__(spec, *args, **kwargs)
        self.level_of = _level_of(spec)
        self.level_queues = [LevelQueue(self.level_of) for _ in self.serving]
        self.lane_queues = list(self.level_queues)
        self.pending = LevelQueue(self.level_of)

    def expected_wait(self, flow: int) -> float:
        """At the shortest lane: (its traveller in service + those waiting ahead of the
        newcomer) × mean service."""
        lane, length = self.shortest_lane()
        if length == 0:
            return 0.0
        queue = self.level_queues[lane]
        ahead = queue.ahead(self.level_of[flow]) + (self.serving[lane] is not None)
        return ahead * self.means[flow]

    def rejoin_order(self, t: Entity) -> tuple[int, int]:
        """Level first, then join order."""
        return self.level_of[t.sub], t.order


class RuledPriorityShared(Ruled, PriorityShared):
    """A shared queue served by priority, whose rule looks at it after each join and end."""

    __slots__ = ("control",)


class RuledPriorityPerLane(Ruled, PriorityPerLane):
    """Queues per lane served by priority, whose rule looks at them after each join and
    end."""

    __slots__ = ("control",)


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
