"""Shuttles on demand: a bus at the stop takes whoever is waiting, first come first served,
and leaves when full or ``max_wait`` after its first passenger boarded, whichever comes
first.

Without a fleet a bus is always at the stop: when one leaves, the next takes the travellers
it left behind at once. With a fleet of ``n`` buses, a bus that left is away for its ride
and the way back (``away``); while every bus is away travellers queue at the stop, and the
next bus back takes them. A bus's wait starts when it takes its first passenger: the later
of its return and that passenger reaching the stop.

Ties at one instant (see :mod:`.replication`): a bus's wait ends and a bus comes back
URGENT, before arrivals: a bus whose wait ends at t takes nobody who reaches the stop at
t (as a timetabled shuttle leaving at t), and one back at t takes whoever reaches it at t.
A bus that fills leaves at the instant its last seat is taken.

The stop keeps its own count of who is at it (in the queue, or aboard the bus there, both
waiting for a bus to leave) over the time after the warm-up: its time-weighted mean, the
most at once (after the buses at the stop took whom they could), and at the horizon who is
still there and since when (:class:`BusStop`). The wait for the bus is in the time in port,
not in the queues, so it is counted here.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from ..model.model import CompiledShuttle
from .core import URGENT, Clock, Event
from .entities import Entity
from .shuttles import Rides

__all__ = ["BusStop", "Departure", "OnDemandService"]


class Departure(NamedTuple):
    """One bus leaving the stop (a named tuple: one is made per departure)."""

    #: when it left
    time: float
    #: passengers aboard
    aboard: int
    #: whether it left full (else after its wait)
    full: bool
    #: when it took its first passenger
    first: float
    #: the time its passengers waited at the stop, added up
    waited: float


@dataclass(frozen=True, slots=True)
class BusStop:
    """Who was at a stop of buses on demand after the warm-up (in its queue or aboard the
    bus there): the time-weighted mean, the most at once, and at the horizon how long each
    one still there had waited so far (a lower bound on their wait)."""

    queue_mean: float
    queue_max: int
    waited_so_far: tuple[float, ...]


class OnDemandService(Rides):
    """A stop of buses that leave when full or after their wait (see the module)."""

    __slots__ = (
        "area",
        "boarding",
        "bus",
        "departures",
        "last",
        "most",
        "ready",
        "returns",
        "since",
        "start",
        "timeouts",
        "trip",
    )

    def __init__(self, spec: CompiledShuttle, clock: Clock) -> None:
        assert spec.max_wait is not None
        super().__init__(spec, clock)
        self.boarding: deque[Entity] = deque()  # at the stop, no bus to take them yet
        self.bus: list[Entity] = []  # aboard the bus at the stop
        #: buses at the stop (-1: always one, no fleet)
        self.ready = -1 if spec.fleet is None else spec.fleet
        self.trip = 0  # the number of the bus that is taking passengers (its wait names it)
        self.since = 0.0  # when it took its first
        self.departures: list[Departure] = []
        self.timeouts = [self.timeout]
        self.returns = [self.back]
        # who is at the stop: person-seconds since ``start`` up to ``last``, the most at once
        self.start = self.last = self.area = 0.0
        self.most = 0

    def schedule_first(self) -> None:
        """Nothing runs before the first traveller reaches the stop."""

    def waiting(self) -> Iterator[Entity]:
        """Everyone at the stop: aboard the bus there, then in the queue."""
        yield from self.bus
        yield from self.boarding

    def board(self, t: Entity, now: float) -> None:
        """``t`` reaches the stop (when, kept as it would be at a queue: its next visit sets
        it again)."""
        self._count(now)
        t.join = now
        self.boarding.append(t)
        self._load(now)
        self.most = max(self.most, len(self.boarding) + len(self.bus))

    def _count(self, now: float) -> None:
        """Add the person-seconds at the stop since the last change (before a change)."""
        self.area += (len(self.boarding) + len(self.bus)) * (now - self.last)
        self.last = now

    def start_counting(self, now: float) -> None:
        """The warm-up ends: count from now."""
        self.start = self.last = now
        self.area = 0.0
        self.most = len(self.boarding) + len(self.bus)

    def stop(self, horizon: float) -> BusStop:
        """The horizon: who was at the stop, and who still is (see :class:`BusStop`)."""
        self._count(horizon)
        observed = horizon - self.start
        return BusStop(
            queue_mean=self.area / observed if observed > 0 else 0.0,
            queue_max=self.most,
            waited_so_far=tuple(horizon - t.join for t in self.waiting()),
        )

    def _load(self, now: float) -> None:
        """Seat whoever waits, in the order they came, while a bus is at the stop."""
        spec, boarding = self.spec, self.boarding
        while boarding:
            if not self.bus:
                if self.ready == 0:
                    return  # every bus is away
                self.trip += 1
                self.since = now
                assert spec.max_wait is not None
                self.clock.schedule(Event(self.timeouts, self.trip), spec.max_wait, URGENT)
            take = min(spec.seats - len(self.bus), len(boarding))
            self.bus.extend(boarding.popleft() for _ in range(take))
            if len(self.bus) == spec.seats:
                self._depart(now, full=True)

    def _depart(self, now: float, *, full: bool) -> None:
        self._count(now)
        riders, self.bus = self.bus, []
        waited = math.fsum(now - t.join for t in riders)
        self.departures.append(Departure(now, len(riders), full, self.since, waited))
        if self.ready > 0:
            self.ready -= 1
            self.clock.schedule(Event(self.returns), self.spec.away, URGENT)
        self.ride(riders, now)

    def timeout(self, event: Event) -> None:
        """A bus's wait ends: it leaves with whoever is aboard (unless it left full)."""
        if self.bus and event.item == self.trip:
            self._depart(self.clock.now, full=False)

    def back(self, event: Event) -> None:
        """A bus of the fleet is back at the stop."""
        self.ready += 1
        self._load(self.clock.now)
