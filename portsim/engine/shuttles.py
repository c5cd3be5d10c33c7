"""Timetabled shuttles: whoever is boarding when one leaves rides it, first come first
served, as many as it has seats; the rest wait for the next one. What a timetabled shuttle
and a bus on demand (:mod:`.on_demand`) share, the ride and the alighting, is
:class:`Rides`."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator

from ..model.model import CompiledShuttle
from .core import URGENT, Clock, Event
from .entities import Entity

__all__ = ["Rides", "ShuttleService"]


class Rides:
    """The rides under way from one stop: riders leave together, ride ``spec.ride`` and
    go on their routes where they alight, in the order they boarded."""

    __slots__ = ("advance", "clock", "rides", "riding", "spec")

    def __init__(self, spec: CompiledShuttle, clock: Clock) -> None:
        self.spec = spec
        self.clock = clock
        self.riding: deque[list[Entity]] = deque()  # the rides under way, oldest first
        self.rides = [self.arrive]
        #: moves riders on once they arrive (the router's ``advance``, set when wired)
        self.advance: Callable[[Entity, float], None] | None = None

    def ride(self, riders: list[Entity], now: float) -> None:
        """``riders`` leave the stop: they alight after the ride (at once without one)."""
        if self.spec.ride > 0:
            self.riding.append(riders)
            self.clock.schedule(Event(self.rides, riders), self.spec.ride)
        else:
            self._alight(riders, now)

    def arrive(self, event: Event) -> None:
        self.riding.popleft()  # rides take the same time: the oldest arrives first
        self._alight(event.item, self.clock.now)

    def _alight(self, riders: list[Entity], now: float) -> None:
        assert self.advance is not None
        for t in riders:
            self.advance(t, now)


class ShuttleService(Rides):
    """A timetabled shuttle: whoever is boarding when it leaves rides, first come first
    served, as many as it has seats; the rest wait for the next one. Departures are URGENT:
    a shuttle that leaves at t takes nobody who reaches the stop at t."""

    __slots__ = ("boarding", "departs", "horizon")

    def __init__(self, spec: CompiledShuttle, clock: Clock, horizon: float) -> None:
        super().__init__(spec, clock)
        self.horizon = horizon
        self.boarding: deque[Entity] = deque()
        self.departs = [self.depart]

    def waiting(self) -> Iterator[Entity]:
        """Everyone at the stop."""
        return iter(self.boarding)

    def schedule_first(self) -> None:
        if self.spec.first < self.horizon:
            self.clock.schedule(Event(self.departs), self.spec.first, URGENT)

    def depart(self, event: Event) -> None:
        now = self.clock.now
        spec = self.spec
        boarding = self.boarding
        riders = [boarding.popleft() for _ in range(min(spec.seats, len(boarding)))]
        if riders:
            self.ride(riders, now)
        if now + spec.every < self.horizon:
            self.clock.schedule(Event(self.departs), spec.every, URGENT)
