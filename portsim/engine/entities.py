"""The entities the engine moves: travellers and vehicles, one object each while in port.

An entity is its own SimPy event: while it is being served, moving or riding, it sits in the
event queue with the callbacks of what ends (a service, a move). It is never scheduled twice
at once, so no event object is made per service. A vehicle whose passengers alight shares a
:class:`Party` with them until they meet again.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["Entity", "Party"]


class Entity:
    """One traveller or vehicle in port."""

    __slots__ = (
        "aboard",
        "arrival",
        "callbacks",
        "flow",
        "join",
        "k",
        "lane",
        "occupant",
        "order",
        "party",
        "pc",
        "size",
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
        # queue time aboard a vehicle before alighting (passengers), added to ``wait`` last,
        # in the order the records add it
        self.aboard = 0.0
        self.size = 1  # persons it carries (a vehicle: its occupants, driver included)
        self.occupant = 0  # the number of its first occupant within its flow (vehicles)
        self.party: Party | None = None  # a vehicle and the passengers who alighted from it


class Party:
    """A vehicle and the passengers who alighted from it, until they meet again: the
    vehicle leaves the meeting point when the last passenger is back; passengers who are
    back first wait for the vehicle."""

    __slots__ = ("arrived", "back", "dwell", "meets", "out", "vehicle")

    def __init__(self, vehicle: Entity, passengers: int, meets: bool) -> None:
        self.vehicle = vehicle
        self.meets = meets  # whether the vehicle's route has a meeting point
        self.out = passengers  # passengers still on their sub-route
        self.back: list[tuple[Entity, float]] = []  # passengers back, with when
        self.arrived = math.nan  # when the vehicle reached the meeting point
        self.dwell = math.nan  # how long the vehicle waited there for its passengers
