"""The entities the engine moves: travellers and vehicles, one object each while in port.

An entity is its own SimPy event: while it is being served, moving or riding, it sits in the
event queue with the callbacks of what ends (a service, a move). It is never scheduled twice
at once, so no event object is made per service. A vehicle whose passengers alight shares a
:class:`Carload` with them until they meet again.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["Carload", "Entity", "Member", "Passenger", "Vehicle"]


class Entity:
    """One traveller or vehicle in port."""

    __slots__ = (
        "arrival",
        "callbacks",
        "flow",
        "join",
        "k",
        "lane",
        "order",
        "pc",
        "start",
        "sub",
        "tid",
        "visits",
        "wait",
    )
    _ok = True  # read by SimPy's event loop
    callbacks: list[Any] | None  # set when it is scheduled (read by SimPy's loop)
    join: float  # when it joined its current queue (set on joining)
    start: float  # when its current service started (set on starting)
    lane: int  # the lane serving it (set on starting)
    order: int  # its place in the join order of its current per-lane group (set on joining)

    def __init__(self, tid: int, flow: int, sub: int, k: int, arrival: float) -> None:
        self.tid = tid  # entity id: order of entering the simulation within the replication
        self.flow = flow
        self.sub = sub  # its subflow: the flow, its class, or its passengers
        self.k = k  # number within its flow (passengers: occupant number): its stream index
        self.arrival = arrival
        self.pc = 0  # the step of its route program it is at
        self.visits = 0  # stage visits completed
        self.wait = 0.0  # queue time so far, over its visits

    #: persons it carries: one on foot (a vehicle: its occupants, driver included)
    size = 1
    #: the number of its first occupant within its flow (vehicles)
    occupant = 0
    #: a vehicle and the passengers who alighted from it (vehicles and passengers)
    carload: Carload | None = None
    #: queue time aboard a vehicle before alighting (passengers), added to ``wait`` last,
    #: in the order the records add it
    aboard = 0.0


class Member(Entity):
    """A traveller of one of its flow's classes (only the kind differs: records tell it
    apart from a traveller of no class)."""

    __slots__ = ()


class Vehicle(Entity):
    """A vehicle: it carries its occupants, and may let its passengers alight."""

    __slots__ = ("carload", "occupant", "size")

    def __init__(
        self, tid: int, flow: int, sub: int, k: int, arrival: float, *, size: int, occupant: int
    ) -> None:
        super().__init__(tid, flow, sub, k, arrival)
        self.size = size
        self.occupant = occupant
        self.carload = None


class Passenger(Entity):
    """A passenger who alighted from a vehicle: one person, of the vehicle's carload."""

    __slots__ = ("aboard", "carload")

    def __init__(
        self,
        tid: int,
        flow: int,
        sub: int,
        k: int,
        arrival: float,
        *,
        carload: Carload,
        aboard: float,
    ) -> None:
        super().__init__(tid, flow, sub, k, arrival)
        self.carload = carload
        self.aboard = aboard


class Carload:
    """A vehicle and the passengers who alighted from it, until they meet again: the
    vehicle leaves the meeting point when the last passenger is back; passengers who are
    back first wait for the vehicle. (Not a party: the entities one arrival brings.)"""

    __slots__ = ("arrived", "back", "dwell", "meets", "out", "vehicle")

    def __init__(self, vehicle: Entity, passengers: int, meets: bool) -> None:
        self.vehicle = vehicle
        self.meets = meets  # whether the vehicle's route has a meeting point
        self.out = passengers  # passengers still on their sub-route
        self.back: list[tuple[Entity, float]] = []  # passengers back, with when
        self.arrived = math.nan  # when the vehicle reached the meeting point
        self.dwell = math.nan  # how long the vehicle waited there for its passengers
