"""Placing the vehicles of a state observed now (:mod:`portsim.model.initial_vehicles`) at
the start of a replication, for :class:`~.initial.Start`.

First of all, at the state's time, the vehicles whose passengers are out are made (the
entity ids and numbers within their flow come first), with their carloads: those at their
meeting point stand there from ``at`` (their wait for their passengers counts from then).
Then, as :class:`~.initial.Start` places each lane group, each vehicle and passenger
enters as an arrival at ``at``.

Occupants: a vehicle's persons are numbered within its flow (a passenger's random numbers
are drawn by that number, as a service per occupant is): the observed vehicles take the
first numbers, each carload's passengers those after its driver, and the flow's source
numbers its own occupants after them (:func:`observed_occupants`). The occupants of an
observed vehicle not given in the state are drawn from a stream of its own
(``observed_occupants``, named after the flow), in the order the state gives the vehicles:
the source's stream of occupants is read as in a run without a state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..model.initial import StartState, StartTraveller
from ..model.model import Model
from .carloads import Carloads
from .entities import Carload, Entity, Passenger, Vehicle
from .streams import key, make_generator

__all__ = ["ObservedOccupants", "StartVehicles", "observed_occupants"]


@dataclass(frozen=True, slots=True)
class ObservedOccupants:
    """The occupants of a replication's observed vehicles: those drawn, by flow, in the
    state's order; and each flow's first occupant number for its source."""

    drawn: tuple[tuple[int, ...], ...]
    first: tuple[int, ...]


def _vehicles(model: Model, state: StartState) -> Iterator[StartTraveller]:
    """The observed vehicles at lane groups that carry their own occupants (not a carload's)."""
    for group in state.groups:
        for t in (*group.serving, *group.waiting):
            flow = model.flows[model.subflows[t.sub].flow]
            if flow.vehicle and t.carload is None:
                yield t


def observed_occupants(
    model: Model, state: StartState, seed: int, replication: int
) -> ObservedOccupants | None:
    """The occupants of the state's vehicles (None: the state has no vehicle, nor
    passengers: nothing is drawn)."""
    vehicles = list(_vehicles(model, state))
    if not vehicles and not state.carloads:
        return None
    first = [0] * len(model.flows)
    to_draw = [0] * len(model.flows)
    for t in vehicles:
        index = model.subflows[t.sub].flow
        if t.occupants is None:
            to_draw[index] += 1
        else:
            first[index] += t.occupants
    for carload in state.carloads:
        first[carload.flow] += carload.passengers + (carload.vehicle is not None)
    drawn: list[tuple[int, ...]] = []
    for flow in model.flows:
        n = to_draw[flow.index]
        if n == 0 or flow.occupants is None:
            drawn.append((1,) * n)
        else:
            rng = make_generator(seed, replication, key("observed_occupants", flow.name))
            drawn.append(tuple(int(v) for v in flow.occupants.sample(rng, n).tolist()))
        first[flow.index] += sum(drawn[-1])
    return ObservedOccupants(tuple(drawn), tuple(first))


class StartVehicles:
    """The observed vehicles and passengers of one replication, made as they are placed."""

    __slots__ = ("carloads", "detail", "drawn", "ids", "made", "model", "occupant", "state")

    def __init__(
        self,
        model: Model,
        state: StartState,
        occupants: ObservedOccupants,
        carloads: Carloads,
        *,
        ids: Iterator[int],
        detail: Callable[[tuple[float, ...]], Any],
    ) -> None:
        self.model = model
        self.state = state
        self.carloads = carloads
        self.ids = ids
        self.detail = detail  # the DETAIL_COLUMNS of an entity
        self.drawn = [iter(d) for d in occupants.drawn]
        self.occupant = [0] * len(model.flows)  # each flow's next occupant number
        #: each carload, made: its vehicle (None: none waits) and its passengers so far
        self.made: list[tuple[Carload, Entity | None, list[int]]] = []

    def begin(self, numbers: list[int], now: float) -> None:
        """The vehicles whose passengers are out, with their carloads, before anyone else."""
        for c in self.state.carloads:
            first = self.occupant[c.flow]
            self.occupant[c.flow] += c.passengers + (c.vehicle is not None)
            if c.vehicle is None:  # the passengers' vehicle does not wait for them
                absent = Entity(-1, c.flow, -1, -1, now)
                carload = Carload(absent, c.passengers, False)
                self.made.append((carload, None, [first - 1]))
            else:
                s = c.vehicle
                vehicle = Vehicle(
                    next(self.ids), c.flow, s.sub, numbers[c.flow], now, size=1, occupant=first
                )
                numbers[c.flow] += 1
                self.detail((vehicle.tid, c.flow, now, s.sub, -1, 1 + c.passengers, 0.0))
                vehicle.pc, vehicle.visits, vehicle.join = s.pc, s.visits, now
                carload = Carload(vehicle, c.passengers, True)
                vehicle.carload = carload
                if c.meeting:
                    carload.arrived = now
                self.made.append((carload, vehicle, [first]))
            self.carloads.carloads.add(carload)

    def enter(self, s: StartTraveller, numbers: list[int], now: float) -> Entity | None:
        """The vehicle or passenger ``s`` at its lane group (None: a traveller on foot)."""
        subflow = self.model.subflows[s.sub]
        flow = subflow.flow
        if s.carload is not None:
            carload, vehicle, last = self.made[s.carload]
            if s.sub != self.model.flows[flow].passengers:
                assert vehicle is not None  # a carload's own vehicle, made first
                return vehicle
            last[0] += 1
            p = Passenger(next(self.ids), flow, s.sub, last[0], now, carload=carload, aboard=0.0)
            parent = -1 if vehicle is None else vehicle.tid
            self.detail((p.tid, flow, now, s.sub, parent, 1, 0.0))
            return p
        if not self.model.flows[flow].vehicle:
            return None
        size = s.occupants if s.occupants is not None else next(self.drawn[flow])
        t = Vehicle(
            next(self.ids), flow, s.sub, numbers[flow], now, size=size, occupant=self.occupant[flow]
        )
        numbers[flow] += 1
        self.occupant[flow] += size
        self.detail((t.tid, flow, now, s.sub, -1, size, 0.0))
        return t
