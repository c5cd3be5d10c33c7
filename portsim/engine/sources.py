"""Arrival sources: each flow's entities come into the port at the times its clock gives.

Clocks: a Poisson process at a constant rate (exponential gaps), a Poisson process with a
piecewise-constant rate (inversion of the integrated rate: exact), a regular timetable, and
explicit times. The Poisson clocks read their stream in order; the others draw nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from ..model.model import ArrivalPlan, CompiledFlow
from .core import Clock
from .streams import SequentialDraws

__all__ = ["Source", "arrival_times"]


def _poisson(plan: ArrivalPlan, rng: np.random.Generator) -> Iterator[float]:
    mean_gap = 1.0 / (plan.rate.constant or math.inf)
    draws = SequentialDraws(lambda r, n: r.exponential(mean_gap, n), rng)
    t = 0.0
    while True:
        t += draws.next()
        yield t


def _profile(plan: ArrivalPlan, rng: np.random.Generator) -> Iterator[float]:
    """Unit exponential steps of the integrated rate, piece by piece."""
    draws = SequentialDraws(lambda r, n: r.exponential(1.0, n), rng)
    rates, ends = plan.rate.rates, plan.rate.ends
    t = 0.0
    piece = 0
    while True:
        e = draws.next()
        while True:
            if piece == len(rates):
                return
            rate, end = rates[piece], ends[piece]
            if rate > 0:
                room = rate * (end - t)
                if e < room:
                    t += e / rate
                    break
                e -= room
            t = end
            piece += 1
        yield t


def _regular(plan: ArrivalPlan, rng: np.random.Generator) -> Iterator[float]:
    n = 0
    while (t := plan.first + n * plan.every) < plan.end:
        yield t
        n += 1


def _timed(plan: ArrivalPlan, rng: np.random.Generator) -> Iterator[float]:
    yield from plan.times


_CLOCKS: dict[str, Callable[[ArrivalPlan, np.random.Generator], Iterator[float]]] = {
    "poisson": _poisson,
    "profile": _profile,
    "regular": _regular,
    "timed": _timed,
}


def arrival_times(plan: ArrivalPlan, rng: np.random.Generator) -> Iterator[float]:
    """The arrival times of a plan, in order (unbounded for Poisson clocks)."""
    return _CLOCKS[plan.kind](plan, rng)


class Source:
    """The arrivals of one flow: it is its own event, rescheduled for each next arrival."""

    __slots__ = ("arrive_callbacks", "callbacks", "clock", "flow", "horizon", "k", "new", "times")
    _ok = True

    def __init__(
        self,
        flow: CompiledFlow,
        rng: np.random.Generator,
        clock: Clock,
        horizon: float,
        new: Callable[[int, int, float], Any],
    ) -> None:
        self.flow = flow.index
        self.times = arrival_times(flow.arrivals, rng)
        self.clock = clock
        self.horizon = horizon
        self.new = new  # makes and starts an entity: (flow, k, now)
        self.k = 0
        self.arrive_callbacks: list[Any] = [self.arrive]
        self.callbacks: list[Any] | None = None

    def schedule_first(self) -> None:
        first = next(self.times, math.inf)
        if first < self.horizon:
            self.callbacks = self.arrive_callbacks
            self.clock.schedule(self, first)

    def arrive(self, event: Any) -> None:
        now = self.clock.env._now
        self.new(self.flow, self.k, now)
        self.k += 1
        following = next(self.times, math.inf)
        if following < self.horizon:
            self.callbacks = self.arrive_callbacks
            self.clock.schedule(self, following - now)
