"""Arrival sources: each flow's entities come into the port at the times its clock gives.

Clocks: a Poisson process at a constant rate (exponential gaps), a Poisson process with a
piecewise-constant rate (inversion of the integrated rate: exact), a regular timetable, and
explicit times. The Poisson clocks read their stream in order; the others draw nothing.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from heapq import heappush
from typing import Any

import numpy as np

from ..model.model import ArrivalPlan, CompiledFlow, Model
from .core import NORMAL, Clock
from .entities import Entity, Member, Vehicle
from .streams import BLOCK, Sampler

__all__ = ["Source", "arrival_times"]


def _poisson(plan: ArrivalPlan, rng: np.random.Generator, start: float) -> Iterator[float]:
    """Exponential gaps, drawn a block at a time."""
    mean = 1.0 / (plan.rate.constant or math.inf)
    t = start
    while True:
        for gap in rng.exponential(mean, BLOCK).tolist():
            t += gap
            yield t


def _profile(plan: ArrivalPlan, rng: np.random.Generator, start: float) -> Iterator[float]:
    """Unit exponential steps of the integrated rate, piece by piece."""
    rates, ends = plan.rate.rates, plan.rate.ends
    t = start
    piece = bisect_right(ends, start)
    while True:
        for step in rng.exponential(1.0, BLOCK).tolist():
            e = step  # the integrated rate still to cover
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


def _regular(plan: ArrivalPlan, rng: np.random.Generator, start: float) -> Iterator[float]:
    n = max(0, math.ceil((start - plan.first) / plan.every)) if start > plan.first else 0
    while (t := plan.first + n * plan.every) < plan.end:
        yield t
        n += 1


def _timed(plan: ArrivalPlan, rng: np.random.Generator, start: float) -> Iterator[float]:
    yield from plan.times[bisect_left(plan.times, start) :]


_CLOCKS: dict[str, Callable[[ArrivalPlan, np.random.Generator, float], Iterator[float]]] = {
    "poisson": _poisson,
    "profile": _profile,
    "regular": _regular,
    "timed": _timed,
}


def arrival_times(
    plan: ArrivalPlan, rng: np.random.Generator, start: float = 0.0
) -> Iterator[float]:
    """The arrival times of a plan from ``start`` on, in order (unbounded for Poisson
    clocks). A run that starts from a state observed at ``start`` reads the same streams
    from there: the profile's rate from ``start``, a timetable's arrivals at or after it."""
    return _CLOCKS[plan.kind](plan, rng, start)


class Source:
    """The arrivals of one flow: it is its own event, rescheduled for each next arrival.
    Each arrival brings one entity, or a party (of a size drawn, or a timetable's load);
    each entity gets its class and, for a vehicle, its occupants, from streams of their own
    read in arrival order; then it is recorded and started on its route."""

    __slots__ = (
        "advance",
        "arrive_callbacks",
        "callbacks",
        "classes",
        "clock",
        "detail",
        "flow",
        "horizon",
        "ids",
        "k",
        "occupant",
        "occupants",
        "party_sizes",
        "record",
        "sub",
        "times",
    )
    _ok = True

    def __init__(
        self,
        flow: CompiledFlow,
        model: Model,
        streams: Callable[[str], np.random.Generator],
        clock: Clock,
        *,
        horizon: float,
        ids: Iterator[int],
        record: Callable[[tuple[float, ...]], Any],
        detail: Callable[[tuple[float, ...]], Any],
        advance: Callable[[Entity, float], None],
        start: float = 0.0,
        first_k: int = 0,
        first_occupant: int = 0,
    ) -> None:
        self.flow = flow.index
        self.times = arrival_times(flow.arrivals, streams("arrivals"), start)
        self.clock = clock
        self.horizon = horizon
        self.ids = ids  # entity ids, shared by every source: the order of arrival
        self.record = record  # takes the ARRIVAL_COLUMNS of an entity of no class, on foot
        self.detail = detail  # the DETAIL_COLUMNS of any other
        self.advance = advance
        self.k = first_k  # travellers observed at the start took the numbers before it
        self.occupant = first_occupant  # the next occupant's number (vehicles), after those
        # of the vehicles observed at the start
        self.sub = flow.subflows[0]
        party = flow.arrivals.party
        # the stream keeps the format's word ("group"): its name seeds its random numbers
        self.party_sizes = None if party is None else _counts(party.sample, streams("group"))
        if flow.arrivals.loads:  # a timetable's loads, exactly: from the first time it gives
            self.party_sizes = _loads(flow.arrivals, start)
        self.occupants = (
            None if flow.occupants is None else _counts(flow.occupants.sample, streams("occupants"))
        )
        shares = [model.subflows[s].share for s in flow.subflows]
        self.classes = (
            None if len(flow.subflows) == 1 else _classes(flow.subflows, shares, streams("class"))
        )
        plain = self.party_sizes is None and self.occupants is None and self.classes is None
        self.arrive_callbacks: list[Any] = [self.arrive_one if plain else self.arrive]
        self.callbacks: list[Any] | None = None

    def schedule_first(self) -> None:
        first = next(self.times, math.inf)
        if first < self.horizon:
            self.callbacks = self.arrive_callbacks
            self.clock.schedule(self, first)

    def arrive(self, event: Any) -> None:
        clock = self.clock
        now = clock.env._now
        for _ in range(1 if self.party_sizes is None else next(self.party_sizes)):
            self.enter(now)
        following = next(self.times, math.inf)
        if following < self.horizon:
            self.callbacks = self.arrive_callbacks
            heappush(clock.queue, (now + (following - now), NORMAL, next(clock.ids), self))

    def arrive_one(self, event: Any) -> None:
        """An arrival of one entity with no class or occupants to draw: the common case,
        kept short."""
        clock = self.clock
        now = clock.env._now
        flow = self.flow
        sub = self.sub
        t = Entity(next(self.ids), flow, sub, self.k, now)
        self.k += 1
        self.record((flow, now))
        self.advance(t, now)
        following = next(self.times, math.inf)
        if following < self.horizon:
            self.callbacks = self.arrive_callbacks
            heappush(clock.queue, (now + (following - now), NORMAL, next(clock.ids), self))

    def enter(self, now: float) -> None:
        """One entity comes into the port."""
        flow = self.flow
        sub = self.sub if self.classes is None else next(self.classes)
        t: Entity
        if self.occupants is not None:
            size = next(self.occupants)
            t = Vehicle(next(self.ids), flow, sub, self.k, now, size=size, occupant=self.occupant)
            self.occupant += size
        elif self.classes is not None:
            t = Member(next(self.ids), flow, sub, self.k, now)
        else:
            t = Entity(next(self.ids), flow, sub, self.k, now)
        self.k += 1
        if t.__class__ is Entity:
            self.record((flow, now))
        else:
            self.detail((t.tid, flow, now, sub, -1, t.size, 0.0))
        self.advance(t, now)


def _loads(plan: ArrivalPlan, start: float) -> Iterator[int]:
    """The loads of a timetable's arrivals at or after ``start``, in the order of their
    times (as :func:`_timed` gives them): no random number is drawn."""
    return iter(plan.loads[bisect_left(plan.times, start) :])


def _counts(sample: Sampler, rng: np.random.Generator) -> Iterator[int]:
    """Counts drawn a block at a time, in order."""
    while True:
        yield from sample(rng, BLOCK).tolist()


def _classes(
    subflows: tuple[int, ...], shares: list[float], rng: np.random.Generator
) -> Iterator[int]:
    """Each entity's class (its subflow), from one uniform draw in arrival order."""
    edges = np.cumsum(shares)
    edges[-1] = np.inf  # the shares add up to 1 within rounding: the last class takes the rest
    chosen = np.asarray(subflows)
    while True:
        draws = rng.uniform(0.0, 1.0, BLOCK)
        yield from chosen[np.searchsorted(edges, draws, side="right")].tolist()
