"""A stage at run time: its lane groups, the choice among them, and the count of travellers
waiting there (the queue length over time, the most at once, the time over its space).

The queue length over time is kept as a trace: the time-weighted mean number waiting in
each step of :func:`trace_step` seconds from 00:00 of day 1 (the plots draw it). It reads
the same integral as ``queue_mean`` at each step's end, at the cost of one comparison per
change of the queue, and changes no other number."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .entities import Entity

if TYPE_CHECKING:
    from .lanes import Lanes

__all__ = ["TRACE_STEPS", "StageQueue", "trace_step"]

#: the steps of the queue trace, shortest first: the shortest that keeps a trace within
#: :data:`TRACE_MOST` points is used
TRACE_STEPS = (300.0, 900.0, 3600.0, 4 * 3600.0, 86_400.0)
TRACE_MOST = 2100


def trace_step(horizon: float) -> float:
    """Seconds per point of the queue trace: 5 min up to a week, longer beyond."""
    for step in TRACE_STEPS:
        if horizon / step <= TRACE_MOST:
            return step
    return math.ceil(horizon / TRACE_MOST / TRACE_STEPS[-1]) * TRACE_STEPS[-1]


class StageQueue:
    """The travellers waiting at one stage, over all its lane groups."""

    __slots__ = (
        "area",
        "before",
        "first_over",
        "index",
        "last",
        "next_edge",
        "options",
        "over",
        "qmax",
        "space",
        "step",
        "trace",
        "waiting",
        "warmup",
    )

    def __init__(self, index: int, space: float, warmup: float, step: float = math.inf) -> None:
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
        self.step = step  # seconds per point of the trace (inf: keep none)
        self.next_edge = step
        self.before = 0.0  # ∫ waiting dt before the warm-up
        #: ∫ waiting dt from 0 to each step's end (the trace, as a running integral)
        self.trace: list[float] = []

    def changed(self, group: Lanes, delta: int, now: float) -> None:
        """Travellers join (+1) or leave (-1) a queue of ``group``: keep the counters."""
        if now >= self.next_edge:
            self.trace_until(now)
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

    def trace_until(self, now: float) -> None:
        """Note the running integral at every step's end up to ``now`` (the queue has not
        changed since :attr:`last`)."""
        total = self.before + self.area
        while self.next_edge <= now:
            self.trace.append(total + self.waiting * (self.next_edge - self.last))
            self.next_edge += self.step

    def start_counting(self, now: float) -> None:
        """The warm-up ends: count from now."""
        self.trace_until(now)
        self.before += self.area + self.waiting * (now - self.last)
        self.area = 0.0
        self.over = 0.0
        self.last = now
        self.qmax = self.waiting
        if self.waiting > self.space:
            self.first_over = now

    def close(self, horizon: float) -> None:
        """The horizon: add the last stretch to the time integrals."""
        self.trace_until(horizon)
        if self.waiting > self.space:
            self.over += horizon - self.last
        self.area += self.waiting * (horizon - self.last)
        if self.step < math.inf and (not self.trace or self.next_edge - self.step < horizon):
            self.trace.append(self.before + self.area)  # the last, shorter step

    def queue_trace(self, horizon: float) -> list[float]:
        """The time-weighted mean number waiting in each step from 00:00 of day 1 (the last
        step ends at the horizon); call after :meth:`close`."""
        out, previous, start = [], 0.0, 0.0
        for total in self.trace:
            end = min(start + self.step, horizon)
            out.append((total - previous) / (end - start) if end > start else 0.0)
            previous, start = total, end
        return out
