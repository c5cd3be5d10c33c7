"""Vehicles and their passengers: who alights, who waits for whom at the meeting point.

At ``Alight`` every occupant of a vehicle but the driver becomes an entity of the flow's
passengers, numbered by occupant (so each keeps its own random numbers), with the vehicle's
queue time so far; the vehicle goes on at once, with its driver only aboard (a lane's
service per occupant counts one from then on). At ``Meet`` the vehicle waits until its last
passenger has finished the sub-route; passengers back first wait for the vehicle, and leave
the port with it (their exit is when they board again). Without a ``Meet`` on the vehicle's
route, passengers leave the port when their sub-route ends.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from .entities import Carload, Entity, Passenger, Vehicle

__all__ = ["Carloads"]


class Carloads:
    """The carloads under way in one replication."""

    __slots__ = ("advance", "carloads", "exit", "ids", "record")

    def __init__(
        self,
        *,
        ids: Iterator[int],
        record: Callable[[tuple[float, ...]], Any],
        exit: Callable[[Entity, float, float], None],
        advance: Callable[[Entity, float], None],
    ) -> None:
        self.ids = ids  # entity ids, shared with the sources
        self.record = record  # takes the DETAIL_COLUMNS of an entity
        self.exit = exit  # (entity, time, time waited at the meeting point)
        self.advance = advance
        self.carloads: set[Carload] = set()

    def alight(self, vehicle: Entity, sub: int, meets: bool, now: float) -> None:
        """Every occupant but the driver leaves ``vehicle`` and starts program ``sub``."""
        passengers = vehicle.size - 1
        if passengers <= 0:
            return
        assert isinstance(vehicle, Vehicle)  # the only kind with occupants to alight
        carload = Carload(vehicle, passengers, meets)
        vehicle.carload = carload
        vehicle.size = 1  # the driver: its services per occupant count only who is aboard
        self.carloads.add(carload)
        flow = vehicle.flow
        for n in range(passengers):
            p = Passenger(
                next(self.ids),
                flow,
                sub,
                vehicle.occupant + 1 + n,
                vehicle.arrival,
                carload=carload,
                aboard=vehicle.wait,  # the queue time they spent aboard
            )
            self.record((p.tid, flow, vehicle.arrival, sub, vehicle.tid, 1, vehicle.wait))
            self.advance(p, now)

    def meet(self, vehicle: Entity, now: float) -> bool:
        """The vehicle reaches the meeting point; whether it goes on at once."""
        carload = vehicle.carload
        if carload is None:  # nobody alighted
            return True
        carload.arrived = now
        for p, back in carload.back:
            self.exit(p, now, now - back)
        carload.back.clear()
        if carload.out:
            return False
        carload.dwell = 0.0
        self.carloads.discard(carload)
        return True

    def back(self, p: Entity, now: float) -> None:
        """Passenger ``p`` has finished the sub-route."""
        carload = p.carload
        assert carload is not None
        carload.out -= 1
        if not carload.meets:
            self.exit(p, now, math.nan)
            if not carload.out:
                self.carloads.discard(carload)
            return
        if math.isnan(carload.arrived):  # the vehicle is not there yet
            carload.back.append((p, now))
            return
        self.exit(p, now, 0.0)
        if not carload.out:  # the last one: the vehicle goes on
            carload.dwell = now - carload.arrived
            self.carloads.discard(carload)
            self.advance(carload.vehicle, now)

    def in_port(self) -> Iterator[Entity]:
        """Vehicles waiting at the meeting point and passengers waiting for their vehicle."""
        for carload in self.carloads:
            if not math.isnan(carload.arrived) and carload.out:
                yield carload.vehicle
            for p, _ in carload.back:
                yield p
