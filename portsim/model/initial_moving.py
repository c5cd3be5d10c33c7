"""Travellers on the move in a state observed now, compiled against a model: walking to a
stage, at a shuttle's stop, aboard a bus on the road (the state's ``walking_to`` and
``shuttles``, :mod:`portsim.scenario.state_moving`). The engine places them
(:mod:`portsim.engine.initial_moving`).

A walker goes on at the visit its walk leads to; a traveller at a stop or aboard a bus, at
the visit the shuttle's ride leads to. What may not be said, in one line: a walk to a stage
the route reaches without one, a count of walkers whose route has walks of different
lengths to the stage (from different stages before it: give the walk left of each), a walk
to a stage the route reaches twice after a walk, or a shuttle whose riders go on to
different stages; more aboard a bus than its seats, a bus arriving later than a whole ride,
buses away beyond a fleet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..scenario.distributions import Constant, Triangular, Uniform
from ..units import counted
from .initial import MOST_WAITING, StartTraveller, StateError, _subflow
from .routes import Board, Move, Visit

if TYPE_CHECKING:
    from ..scenario.state import State
    from ..scenario.state_moving import StopState
    from .model import CompiledShuttle, Model, Subflow

__all__ = ["StartBus", "StartMoving", "StartStop", "StartWalker", "start_moving"]


@dataclass(frozen=True, slots=True)
class StartWalker:
    """One traveller walking: its subflow, the visit its walk leads to (``pc``), the
    visits it has completed, and its walk left (None: a fraction, uniform, of the walk of
    step ``walk`` drawn afresh), to the stage ``stage`` (for the walk's stream)."""

    sub: int
    pc: int
    visits: int
    remaining: float | None
    walk: int
    stage: str


@dataclass(frozen=True, slots=True)
class StartBus:
    """A bus on the road: its riders, in the order they boarded, arriving in ``arrives_in``."""

    riders: tuple[StartTraveller, ...]
    arrives_in: float


@dataclass(frozen=True, slots=True)
class StartStop:
    """A shuttle's stop observed: the shuttle (index into the model's), the buses on the
    road (soonest first), those waiting at the stop, the empty buses due back, and how long
    the bus on demand at the stop has waited since its first boarded (None: from now)."""

    shuttle: int
    buses: tuple[StartBus, ...]
    waiting: tuple[StartTraveller, ...]
    returning: tuple[float, ...]
    bus_waited: float | None = None


@dataclass(frozen=True, slots=True)
class StartMoving:
    """The travellers on the move at the state's time."""

    walkers: tuple[StartWalker, ...]
    stops: tuple[StartStop, ...]

    def travellers(self) -> tuple[int, ...]:
        """The subflow of each, in the order they are placed: walkers, then per stop the
        riders of each bus, then those waiting."""
        subs = [w.sub for w in self.walkers]
        for stop in self.stops:
            subs += [t.sub for bus in stop.buses for t in bus.riders]
            subs += [t.sub for t in stop.waiting]
        return tuple(subs)


def start_moving(model: Model, state: State) -> StartMoving | None:
    """The travellers on the move of ``state`` (None: none), checked against ``model``."""
    if not state.walking_to and not state.shuttles:
        return None
    walkers: list[StartWalker] = []
    for stage_name, by_flow in state.walking_to.items():
        stage = _stage(model, stage_name, f"walking_to.{stage_name}")
        total = sum(v if isinstance(v, int) else len(v) for v in by_flow.values())
        _plausible(total, f"walking_to.{stage_name}")
        for name, given in by_flow.items():
            where = f"walking_to.{stage_name}.{name}"
            sub = _on_foot(model, name, where)
            pc, walk = _walk(model, model.subflows[sub], stage, where, drawn=isinstance(given, int))
            visits = _visits_before(model.subflows[sub], pc)
            remaining: list[float | None] = (
                [None] * given if isinstance(given, int) else list(given)
            )
            _within_walk(model.subflows[sub].program[walk], remaining, where)
            walkers += [StartWalker(sub, pc, visits, r, walk, stage_name) for r in remaining]
    stops = [_stop(model, name, stop) for name, stop in state.shuttles.items()]
    return StartMoving(tuple(walkers), tuple(stops))


def _within_walk(move: object, remaining: list[float | None], where: str) -> None:
    """The walk left of each walker is at most the longest the walk can be (a constant
    walk, or the top of a uniform or triangular one; other walks have no top)."""
    assert isinstance(move, Move)  # :func:`_walk` gives a walk's step
    travel = move.travel
    longest = (
        travel.value
        if isinstance(travel, Constant)
        else travel.high
        if isinstance(travel, Uniform | Triangular)
        else None
    )
    given = [r for r in remaining if r is not None]
    if longest is not None and given and max(given) > longest:
        raise StateError(
            where, f"{max(given):g} s of walk left, longer than the whole walk ({longest:g} s)"
        )


def _stage(model: Model, name: str, where: str) -> int:
    stage = next((s.index for s in model.stages if s.name == name), None)
    if stage is None:
        known = ", ".join(s.name for s in model.stages)
        raise StateError(where, f"no such stage (stages: {known})")
    return stage


def _plausible(total: int, where: str) -> None:
    if total > MOST_WAITING:
        raise StateError(
            where, f"{total:,} travellers: more than {MOST_WAITING:,} in one place is implausible"
        )


def _visits_before(subflow: Subflow, pc: int) -> int:
    """The visits completed by one about to make the visit at step ``pc`` (as
    :func:`~.initial.start_from` counts them: the visits the program lists before it)."""
    return sum(1 for step in subflow.program[:pc] if isinstance(step, Visit))


def _walk(
    model: Model, subflow: Subflow, stage: int, where: str, *, drawn: bool
) -> tuple[int, int]:
    """The visit a walker to ``stage`` makes next, and the walk (its step) it is on."""
    program = subflow.program
    walks = {
        i: step
        for i, step in enumerate(program)
        if isinstance(step, Move)
        and step.role == "transfer"
        and isinstance(target := program[step.next], Visit)
        and target.stage == stage
    }
    name = model.stages[stage].name
    if not walks:
        raise StateError(where, f"the route of {subflow.name} does not walk to {name}")
    visits = {step.next for step in walks.values()}
    if len(visits) > 1:
        raise StateError(
            where,
            f"the route of {subflow.name} walks to {name} more than once: a state "
            "cannot say which walk yet",
        )
    if drawn and len({(step.travel, step.constant) for step in walks.values()}) > 1:
        raise StateError(
            where,
            f"the route of {subflow.name} reaches {name} by walks of different "
            "lengths: give the walk left of each (a list of times)",
        )
    return visits.pop(), next(iter(walks))


def _stop(model: Model, stage_name: str, observed: StopState) -> StartStop:
    where = f"shuttles.{stage_name}"
    stage = _stage(model, stage_name, where)
    index = next((i for i, s in enumerate(model.shuttles) if s.stage == stage), None)
    if index is None:
        raise StateError(where, f"no shuttle leaves {stage_name}")
    spec = model.shuttles[index]
    _plausible(observed.travellers(), where)
    buses = []
    for n, bus in enumerate(observed.buses):
        here = f"{where}.buses.{n}"
        aboard = sum(bus.aboard.values())
        if aboard > spec.seats:
            raise StateError(
                f"{here}.aboard", f"{aboard} aboard, but the bus has {counted(spec.seats, 'seat')}"
            )
        if bus.arrives_in > spec.ride:
            raise StateError(
                f"{here}.arrives_in",
                f"{bus.arrives_in:g} s, longer than the whole ride ({spec.ride:g} s)",
            )
        riders = _travellers(model, index, bus.aboard, f"{here}.aboard")
        buses.append(StartBus(riders, bus.arrives_in))
    _returning(spec, observed, where)
    _bus_waited(spec, observed, where)
    waiting = _travellers(model, index, observed.waiting, f"{where}.waiting")
    buses.sort(key=lambda b: b.arrives_in)  # rides end in the order they began
    return StartStop(index, tuple(buses), waiting, tuple(observed.returning), observed.bus_waited)


def _returning(spec: CompiledShuttle, observed: StopState, where: str) -> None:
    """Empty buses due back only for a fleet of buses on demand, and no more away than it has."""
    if not observed.returning:
        return
    if not spec.on_demand or spec.fleet is None:
        kind = (
            "runs by its timetable"
            if not spec.on_demand
            else "has no fleet (a bus is always there)"
        )
        raise StateError(f"{where}.returning", f"the shuttle {kind}: no bus returns empty")
    away = len(observed.buses) + len(observed.returning)
    if away > spec.fleet:
        raise StateError(
            f"{where}.returning",
            f"{counted(away, 'bus', 'buses')} away (on the road and returning), but the fleet "
            f"has {spec.fleet}",
        )


def _bus_waited(spec: CompiledShuttle, observed: StopState, where: str) -> None:
    """A bus on demand waiting at the stop with some aboard (fewer than its seats: a full
    one leaves at once), less than its ``max_wait`` so far, and (a fleet) one at the stop."""
    waited = observed.bus_waited
    if waited is None:
        return
    here = f"{where}.bus_waited"
    if spec.max_wait is None:
        raise StateError(here, "a timetabled shuttle leaves by its timetable, not after a wait")
    aboard = sum(observed.waiting.values())
    if not 0 < aboard < spec.seats:
        raise StateError(
            here,
            f"a bus waits with some aboard, fewer than its {spec.seats} seats: give 1 to "
            f"{spec.seats - 1} waiting (now {aboard})",
        )
    if waited >= spec.max_wait:
        raise StateError(
            here, f"{waited:g} s: a bus leaves after {spec.max_wait:g} s at most (max_wait)"
        )
    if spec.fleet is not None and len(observed.buses) + len(observed.returning) >= spec.fleet:
        raise StateError(here, f"no bus at the stop: all {spec.fleet} are away")


def _travellers(
    model: Model, shuttle: int, by_flow: dict[str, int], where: str
) -> tuple[StartTraveller, ...]:
    """Travellers at the shuttle's stop or aboard its bus: they go on at the visit its ride
    leads to."""
    travellers: list[StartTraveller] = []
    stage = model.stages[model.shuttles[shuttle].stage].name
    for name, count in by_flow.items():
        here = f"{where}.{name}"
        sub = _on_foot(model, name, here)
        subflow = model.subflows[sub]
        program = subflow.program
        targets = {s.next for s in program if isinstance(s, Board) and s.shuttle == shuttle}
        if not targets:
            raise StateError(
                here, f"the route of {subflow.name} does not ride the shuttle from {stage}"
            )
        if len(targets) > 1:
            raise StateError(
                here,
                f"the route of {subflow.name} rides the shuttle from {stage} to different "
                "stages: a state cannot say which yet",
            )
        pc = targets.pop()
        travellers += [StartTraveller(sub, pc, _visits_before(subflow, pc))] * count
    return tuple(travellers)


def _on_foot(model: Model, name: str, where: str) -> int:
    """The subflow of travellers on the move: not a vehicle flow nor its passengers (a
    vehicle or a passenger between stages is not in a state yet: what it carries, and
    whose coach waits, would have to be said)."""
    sub = _subflow(model, name, where)
    flow = model.flows[model.subflows[sub].flow]
    if flow.vehicle or sub == flow.passengers:
        raise StateError(
            where,
            f"{name} is a vehicle flow or its passengers: a state holds them at lane groups "
            "(and coaches at their meeting point), not on the move yet",
        )
    return sub
