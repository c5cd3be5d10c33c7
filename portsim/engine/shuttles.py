"""Timetabled shuttles: whoever is boarding when one leaves rides it, first come first
served, as many as it has seats; the rest wait for the next one."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator

from ..model.model import CompiledShuttle
from .core import URGENT, Clock, Event
from .entities import Entity

__all__ = ["ShuttleService"]


class ShuttleService:
    """A timetabled shuttle: whoever is boarding when it leaves rides, first come first
    served, as many as it has seats; the rest wait for the next one. Departures are URGENT:
    a shuttle that leaves at t takes nobody who reaches the stop at t."""

    __slots__ = ("advance", "boarding", "clock", "departs", "horizon", "rides", "riding", "spec")

    def __init__(self, spec: CompiledShuttle, clock: Clock, horizon: float) -> None:
        self.spec = spec
        self.clock = clock
        self.horizon = horizon
        self.boarding: deque[Entity] = deque()
        self.riding: deque[list[Entity]] = deque()  # the rides under way, oldest first
        self.departs = [self.depart]
        self.rides = [self.arrive]
        #: moves riders on once they arrive (the router's ``advance``, set when wired)
        self.advance: Callable[[Entity, float], None] | None = None

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
            if spec.ride > 0:
                self.riding.append(riders)
                self.clock.schedule(Event(self.rides, riders), spec.ride)
            else:
                self._alight(riders, now)
        if now + spec.every < self.horizon:
            self.clock.schedule(Event(self.departs), spec.every, URGENT)

    def arrive(self, event: Event) -> None:
        self.riding.popleft()  # rides take the same time: the oldest arrives first
        self._alight(event.item, self.clock.now)

    def _alight(self, riders: list[Entity], now: float) -> None:
        assert self.advance is not None
        for t in riders:
            self.advance(t, now)
