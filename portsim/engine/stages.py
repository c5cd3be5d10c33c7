"""A stage at run time: its lane groups, the choice among them, and the count of travellers
waiting there (the queue length over time, the most at once, the time over its space)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .entities import Entity

if TYPE_CHECKING:
    from .lanes import Lanes

__all__ = ["StageQueue"]


class StageQueue:
    """The travellers waiting at one stage, over all its lane groups."""

    __slots__ = (
        "area",
        "first_over",
        "index",
        "last",
        "options",
        "over",
        "qmax",
        "space",
        "waiting",
        "warmup",
    )

    def __init__(self, index: int, space: float, warmup: float) -> None:
        self.index = index
        self.space = space
        self.warmup = warmup
        self.waiting = 0  # travellers in the queues of all the stage's groups
        self.area = 0.0  # ∫ waiting dt since the warm-up
        self.last = 0.0  # time of the last change of ``waiting``
        self.qmax = 0
        self.over = 0.0  # time with waiting > space since the warm-up
        self.first_over = math.inf
        #: the lane groups each subflow may use here (by subflow index), in declaration order
        self.options: list[tuple[Lanes, ...]] = []

    def changed(self, group: Lanes, delta: int, now: float) -> None:
        """Travellers join (+1) or leave (-1) a queue of ``group``: keep the counters."""
        elapsed = now - self.last
        waiting = self.waiting
        if waiting > self.space:
            self.over += elapsed
        self.area += waiting * elapsed
        self.last = now
        waiting += delta
        self.waiting = waiting
        if waiting > self.qmax:
            self.qmax = waiting
        if waiting > self.space and self.first_over == math.inf and now >= self.warmup:
            self.first_over = now
        group.waiting += delta
        if group.waiting > group.qmax:
            group.qmax = group.waiting

    def join(self, t: Entity, now: float) -> None:
        """``t`` joins the lane group with the shortest expected wait (see :meth:`choose`)."""
        options = self.options[t.sub]
        group = options[0] if len(options) == 1 else self.choose(options, t.sub, now)
        t.join = now
        group.join(t, now)

    @staticmethod
    def choose(options: tuple[Lanes, ...], sub: int, now: float) -> Lanes:
        """The open group with the shortest expected wait: zero where a lane is free,
        otherwise :meth:`Lanes.expected_wait`; ties go to the group declared first. When no
        group is open, the one that opens first."""
        best: Lanes | None = None
        best_wait = math.inf
        for group in options:
            if not group.open:
                continue
            wait = group.expected_wait(sub)
            if wait == 0.0:
                return group
            if wait < best_wait:
                best, best_wait = group, wait
        if best is None:
            return min(options, key=lambda g: g.timetable.next_opening(now))
        return best

    def start_counting(self, now: float) -> None:
        """The warm-up ends: count from now."""
        self.area = 0.0
        self.over = 0.0
        self.last = now
        self.qmax = self.waiting
        if self.waiting > self.space:
            self.first_over = now

    def close(self, horizon: float) -> None:
        """The horizon: add the last stretch to the time integrals."""
        if self.waiting > self.space:
            self.over += horizon - self.last
        self.area += self.waiting * (horizon - self.last)
