"""Vehicles in a state observed now, compiled against a model (:mod:`.initial`).

A vehicle observed at a lane group is where its route has it:

* before its passengers alight (or on a route where none do), it carries its occupants,
  driver included: given (``occupants``) or drawn as the flow draws them, in the engine;
* after they alight, its driver only; if its route meets them again (``{meet:
  passengers}``), ``passengers`` says how many of them are still out;
* after the meeting point, its driver only (its passengers left the port as they boarded
  again, as in a run from 00:00).

The vehicles at their meeting point are the state's ``meeting``. The passengers the state
gives at their stages (``flow.passengers``) belong to the flow's vehicles that wait for
them, in order: the first vehicle's passengers are the first observed (stages in the
state's order, in service before waiting), and so on; the numbers must add up. Passengers
of a route with no meeting point need no vehicle (it does not wait for them).

What the state may not say, in one line each: passengers back from their sub-route waiting
for a vehicle not yet at the meeting point (a vehicle with no passenger out), a meeting
point reached on more than one way (a branch before it: which way the vehicle came is not
in a state), vehicles moving between stages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..scenario.state_vehicles import Vehicles
from ..units import counted
from .initial import StartCarload, StartGroup, StartTraveller, StateError, _resume, _subflow
from .model import Model
from .routes import Alight, Board, Branch, Choose, Meet, Move, Program, Visit

__all__ = ["VehicleState"]

_BEFORE, _ALIGHTED, _MET = range(3)


def _phases(program: Program) -> list[int]:
    """For each step, where the vehicle is on its route as it reaches the step: before its
    passengers alight, after, or after meeting them again (the same on every way there:
    alighting and meeting are no branch's)."""
    phase = [-1] * len(program)
    todo = [(0, _BEFORE)]
    while todo:
        index, now = todo.pop()
        if phase[index] >= 0:
            continue
        phase[index] = now
        step = program[index]
        if isinstance(step, Alight):
            todo.append((step.next, _ALIGHTED))
        elif isinstance(step, Meet):
            todo.append((step.next, _MET))
        elif isinstance(step, Visit | Move | Board):
            todo.append((step.next, now))
        elif isinstance(step, Branch):
            todo += [(step.yes, now), (step.no, now)]
        elif isinstance(step, Choose):
            todo += [(to, now) for _, to in step.options] + [(step.no, now)]
    return phase


def _some_out(passengers: int, where: str, name: str) -> None:
    """A vehicle that waits for its passengers waits for one at least."""
    if passengers == 0:
        raise StateError(
            where,
            f"one of {name} has none of its passengers out: those back from their sub-route, "
            "waiting for their vehicle, are not in a state yet (give the vehicle's passengers "
            "still out, at least 1)",
        )


class VehicleState:
    """Collects the vehicles and passengers of a state as its lane groups are compiled,
    then shares the passengers among their vehicles (:meth:`finish`)."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.carloads: list[StartCarload] = []
        self.passengers_at: dict[int, str] = {}  # flow → where its first passengers are

    def takes(self, sub: int) -> bool:
        """Whether ``sub`` is a vehicle flow's, or its passengers'."""
        flow = self.model.flows[self.model.subflows[sub].flow]
        return flow.vehicle or sub == flow.passengers

    def travellers(
        self,
        sub: int,
        group: int,
        given: int | tuple[float, ...] | Vehicles,
        where: str,
        *,
        serving: bool,
    ) -> list[StartTraveller]:
        """The observed vehicles (or passengers) of ``sub`` at ``group``, in order."""
        model = self.model
        subflow = model.subflows[sub]
        flow = model.flows[subflow.flow]
        if not flow.vehicle and sub != flow.passengers:
            raise StateError(
                where, f"{subflow.name} travel on foot: give a count, not vehicles' details"
            )
        pc, visits = _resume(model, sub, group, where)
        if sub == flow.passengers:
            if isinstance(given, Vehicles):
                raise StateError(
                    where, f"{subflow.name} are persons: give a count or their remaining times"
                )
            self.passengers_at.setdefault(flow.index, where)
            times = [None] * given if isinstance(given, int) else list(given)
            return [StartTraveller(sub, pc, visits, r) for r in times]
        vehicles = given if isinstance(given, Vehicles) else None
        if vehicles is not None and vehicles.remaining is not None and not serving:
            raise StateError(f"{where}.remaining", "remaining is for vehicles in service")
        remaining: list[float | None]
        if isinstance(given, Vehicles):
            remaining = list(given.each("remaining"))
        else:
            remaining = [None] * given if isinstance(given, int) else list(given)
        phase = _phases(subflow.program)[pc]
        meets = any(isinstance(step, Meet) for step in subflow.program)
        stage = model.stages[model.groups[group].stage].name
        if phase == _ALIGHTED and meets:
            return self._out(
                sub, pc, visits, vehicles=vehicles, remaining=remaining, where=where, stage=stage
            )
        if phase == _BEFORE:
            if vehicles is not None and vehicles.passengers is not None:
                raise StateError(
                    f"{where}.passengers",
                    f"the passengers of {subflow.name} are still aboard at {stage} (they "
                    "alight later on its route): give occupants, driver included"
                    if flow.passengers is not None
                    else f"no passengers alight from {subflow.name} on its route: give "
                    "occupants, driver included",
                )
            occupants = (
                vehicles.each("occupants") if vehicles is not None else (None,) * len(remaining)
            )
            return [
                StartTraveller(sub, pc, visits, r, occupants=o)
                for r, o in zip(remaining, occupants, strict=True)
            ]
        if vehicles is not None and (
            vehicles.occupants is not None or vehicles.passengers is not None
        ):
            why = "they met it again" if phase == _MET else "they do not meet it again"
            raise StateError(
                where,
                f"at {stage} only the driver is aboard {subflow.name} (its passengers "
                f"alighted before, and {why}): give a count, or remaining times",
            )
        return [StartTraveller(sub, pc, visits, r, occupants=1) for r in remaining]

    def _out(
        self,
        sub: int,
        pc: int,
        visits: int,
        *,
        vehicles: Vehicles | None,
        remaining: list[float | None],
        where: str,
        stage: str,
    ) -> list[StartTraveller]:
        """Vehicles whose passengers are out: each one a carload."""
        name = self.model.subflows[sub].name
        if vehicles is None or vehicles.passengers is None:
            raise StateError(
                where,
                f"{name} at {stage} have let their passengers alight: give each one's "
                f"passengers still out, {{{name}: {{passengers: [30, 25]}}}}",
            )
        flow = self.model.subflows[sub].flow
        out = []
        for r, passengers in zip(remaining, vehicles.each("passengers"), strict=True):
            _some_out(passengers, f"{where}.passengers", name)
            vehicle = StartTraveller(sub, pc, visits, r, occupants=1, carload=len(self.carloads))
            self.carloads.append(StartCarload(flow, vehicle, False, passengers))
            out.append(vehicle)
        return out

    def finish(
        self, groups: list[StartGroup], meeting: dict[str, tuple[int, ...]]
    ) -> tuple[StartCarload, ...]:
        """The carloads (the vehicles at their meeting point last), each passenger of
        ``groups`` given its carload in place."""
        for name, waiting_for in meeting.items():
            self._meeting(name, waiting_for, f"meeting.{name}")
        by_flow: dict[int, list[int]] = {}
        for index, carload in enumerate(self.carloads):
            by_flow.setdefault(carload.flow, []).append(index)
        for flow in self.model.flows:
            if flow.passengers is None:
                continue
            observed = sum(
                1 for g in groups for t in (*g.serving, *g.waiting) if t.sub == flow.passengers
            )
            carloads = by_flow.get(flow.index, [])
            if not observed and not carloads:
                continue
            meets = any(isinstance(s, Meet) for s in self.model.subflows[flow.subflows[0]].program)
            if not meets:  # nobody waits for them: one carload with no vehicle
                carloads = [len(self.carloads)]
                self.carloads.append(StartCarload(flow.index, None, False, observed))
            self._share(groups, flow.passengers, carloads, observed)
        return tuple(self.carloads)

    def _meeting(self, name: str, waiting_for: tuple[int, ...], where: str) -> None:
        """The vehicles of ``name`` at their meeting point, each waiting for its passengers."""
        sub = _subflow(self.model, name, where)
        subflow = self.model.subflows[sub]
        if not self.model.flows[subflow.flow].vehicle:
            raise StateError(where, f"{name} travel on foot: only vehicles wait at a meeting point")
        meets = [i for i, step in enumerate(subflow.program) if isinstance(step, Meet)]
        if not meets:
            raise StateError(where, f"the route of {name} has no meeting point ({{meet: ...}})")
        if len(meets) > 1:
            raise StateError(
                where,
                f"the route of {name} reaches its meeting point on more than one way (a "
                "branch or choice before it): a state cannot say which way a vehicle came",
            )
        meet = subflow.program[meets[0]]
        assert isinstance(meet, Meet)
        visits = sum(1 for step in subflow.program[: meets[0]] if isinstance(step, Visit))
        for passengers in waiting_for:
            _some_out(passengers, where, name)
            vehicle = StartTraveller(
                sub, meet.next, visits, occupants=1, carload=len(self.carloads)
            )
            self.carloads.append(StartCarload(subflow.flow, vehicle, True, passengers))

    def _share(
        self, groups: list[StartGroup], sub: int, carloads: Sequence[int], observed: int
    ) -> None:
        """Give each observed passenger of ``sub`` its carload, in order."""
        flow = self.model.flows[self.model.subflows[sub].flow]
        expected = sum(self.carloads[c].passengers for c in carloads)
        if observed != expected:
            where = self.passengers_at.get(flow.index, f"meeting.{flow.name}")
            seen = counted(observed, "passenger") if observed else "no passenger"
            if not carloads:
                raise StateError(
                    where,
                    f"{seen} of {flow.name} at their stages, but no vehicle of {flow.name} "
                    "waits for them: give theirs, at a stage after they alight (with "
                    "passengers) or at meeting",
                )
            vehicles = "vehicle waiting for them (at a stage after they alight, or at meeting) has"
            if len(carloads) > 1:
                vehicles = f"{len(carloads)} {vehicles.replace('vehicle', 'vehicles')[:-3]}have"
            raise StateError(
                where,
                f"{seen} of {flow.name} at their stages, but the "
                f"{'1 ' if len(carloads) == 1 else ''}{vehicles} {expected} out: the numbers "
                "must agree",
            )
        owners = iter([c for c in carloads for _ in range(self.carloads[c].passengers)])
        for i, g in enumerate(groups):
            serving, waiting = (
                tuple(t if t.sub != sub else replace(t, carload=next(owners)) for t in ts)
                for ts in (g.serving, g.waiting)
            )
            groups[i] = replace(g, serving=serving, waiting=waiting)
