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
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterator

from ..model.model import CompiledShuttle
from .core import URGENT, Clock, Event
from .entities import Entity

__all__ = ["Departure", "OnDemandService"]

#: one departure: (time, passengers aboard, whether it left full, when it took its first,
#: the time its passengers waited at the stop, added up)
Departure = tuple[float, int, bool, float, float]


class OnDemandService:
    """A stop of buses that leave when full or after their wait (see the module)."""

    __slots__ = (
        "advance",
        "boarding",
        "bus",
        "clock",
        "departures",
        "ready",
        "returns",
        "rides",
        "riding",
        "since",
        "spec",
        "timeouts",
        "trip",
    )

    def __init__(self, spec: CompiledShuttle, clock: Clock) -> None:
        assert spec.max_wait is not None
        self.spec = spec
        self.clock = clock
        self.boarding: deque[Entity] = deque()  # at the stop, no bus to take them yet
        self.bus: list[Entity] = []  # aboard the bus at the stop
        #: buses at the stop (-1: always one, no fleet)
        self.ready = -1 if spec.fleet is None else spec.fleet
        self.trip = 0  # the number of the bus that is taking passengers (its wait names it)
        self.since = 0.0  # when it took its first
        self.riding: deque[list[Entity]] = deque()  # the rides under way, oldest first
        self.departures: list[Departure] = []
        self.rides = [self.arrive]
        self.timeouts = [self.timeout]
        self.returns = [self.back]
        #: moves riders on once they arrive (the router's ``advance``, set when wired)
        self.advance: Callable[[Entity, float], None] | None = None

    def schedule_first(self) -> None:
        """Nothing runs before the first traveller reaches the stop."""

    def waiting(self) -> Iterator[Entity]:
        """Everyone at the stop: aboard the bus there, then in the queue."""
        yield from self.bus
        yield from self.boarding

    def board(self, t: Entity, now: float) -> None:
        """``t`` reaches the stop (when, kept as it would be at a queue: its next visit sets
        it again)."""
        t.join = now
        self.boarding.append(t)
        self._load(now)

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
        riders, self.bus = self.bus, []
        spec = self.spec
        waited = math.fsum(now - t.join for t in riders)
        self.departures.append((now, len(riders), full, self.since, waited))
        if self.ready > 0:
            self.ready -= 1
            self.clock.schedule(Event(self.returns), spec.away, URGENT)
        if spec.ride > 0:
            self.riding.append(riders)
            self.clock.schedule(Event(self.rides, riders), spec.ride)
        else:
            self._alight(riders, now)

    def timeout(self, event: Event) -> None:
        """A bus's wait ends: it leaves with whoever is aboard (unless it left full)."""
        if self.bus and event.item == self.trip:
            self._depart(self.clock.now, full=False)

    def back(self, event: Event) -> None:
        """A bus of the fleet is back at the stop."""
        self.ready += 1
        self._load(self.clock.now)

    def arrive(self, event: Event) -> None:
        self.riding.popleft()  # rides take the same time: the oldest arrives first
        self._alight(event.item, self.clock.now)

    def _alight(self, riders: list[Entity], now: float) -> None:
        assert self.advance is not None
        for t in riders:
            self.advance(t, now)
