"""One replication: the engine's parts wired together and run to the horizon.

SimPy's environment is the clock and the event queue (:mod:`.core`); sources bring entities
(:mod:`.sources`), route programs move them (:mod:`.steps`), lane groups serve them
(:mod:`.lanes`; beyond their plan: :mod:`.control`; drawing on staff pools:
:mod:`.staff`), stages count who waits (:mod:`.stages`), and a recorder writes down what
happens (:mod:`.recorders`). A replication is a pure function of (model, seed, replication
index): all randomness comes from the keyed streams of :mod:`.streams`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..model.initial import StartState
from ..model.model import Model
from ..model.routes import Visit
from .carloads import Carloads
from .control import LaneControl, build_controls
from .core import URGENT, Clock, Event
from .counters import EngineCounters
from .initial import Start, first_numbers
from .initial_doors import all_doors
from .initial_vehicles import ObservedOccupants, StartVehicles, observed_occupants
from .lanes import Lanes
from .on_demand import OnDemandService
from .recorders import FullRecorder, Recorder, VisitLog
from .shuttles import ShuttleService
from .sources import Source
from .staff import start as start_pools
from .staffed import group_class, initial_lanes, pool_controls
from .stage_gates import Holds, StageGate, stage_gates
from .stages import StageQueue, trace_step
from .steps import Router, WalkOut, stream_factory
from .streams import IndexedDraws, key, make_generator
from .unfinished import InPort, unfinished

__all__ = ["EngineCounters", "ReplicationResult", "default_subflows", "run_replication"]


@dataclass(frozen=True, slots=True, eq=False)
class ReplicationResult:
    """The outcome of one replication: the engine's counters, and the log of a
    :class:`~.recorders.FullRecorder` (None with another recorder)."""

    replication: int
    counters: EngineCounters
    log: VisitLog | None


class _Replication:
    """The parts of one replication, wired."""

    def __init__(self, model: Model, seed: int, replication: int, recorder: Recorder) -> None:
        self.model = model
        self.recorder = recorder
        self.clock = clock = Clock()
        horizon, warmup = model.horizon, model.warmup
        step = trace_step(horizon)
        self.stages = [StageQueue(s.index, s.space, warmup, step) for s in model.stages]
        self.shuttles: list[ShuttleService | OnDemandService] = [
            OnDemandService(s, clock) if s.on_demand else ShuttleService(s, clock, horizon)
            for s in model.shuttles
        ]
        # opening hours, rules and staff pools (none of it on the plain path)
        self.pools, staffed = pool_controls(model, clock) if model.pools else ([], None)
        self.controls, gate = build_controls(model, clock, staffed)
        self.gate = gate
        self.holds = Holds(getattr(recorder, "held", None)) if model.stage_hours else None
        self.router = router = self._router(seed, replication)
        self.groups = self._groups(seed, replication)
        self.stage_gates = self._wire_gates()
        if self.pools:  # the officers go to the groups as at any instant
            start_pools(self.pools)
        ids = itertools.count()
        self.carloads = Carloads(
            ids=ids,
            record=recorder.arrival_detail if gate is None else gate.counting_in(recorder),
            exit=router.leave,
            advance=router.advance,
        )
        router.bind(model, self.stages, self.shuttles, self.carloads, self.stage_gates)
        for shuttle in self.shuttles:
            shuttle.advance = router.advance
        initial = model.initial
        numbers = first_numbers(model) if initial is not None else [0] * len(model.flows)
        occupants = (
            None if initial is None else observed_occupants(model, initial, seed, replication)
        )
        self.sources = [
            Source(
                flow,
                model,
                _flow_streams(seed, replication, flow.name),
                clock,
                horizon=horizon,
                ids=ids,
                record=recorder.arrival,
                detail=recorder.arrival_detail,
                advance=router.advance if gate is None else gate.enter,
                start=0.0 if initial is None else initial.at,
                first_k=numbers[flow.index],
                first_occupant=0 if occupants is None else occupants.first[flow.index],
            )
            for flow in model.flows
        ]
        # a forecast from a state observed at a clock time (none of it on the plain path)
        self.start = None if initial is None else self._start(initial, occupants, ids)
        if gate is not None:
            gate.advance = router.advance

    def _start(
        self, initial: StartState, occupants: ObservedOccupants | None, ids: Iterator[int]
    ) -> Start:
        """The state observed, to place at its time."""
        recorder = self.recorder
        return Start(
            self.model,
            initial,
            self.clock,
            groups=self.groups,
            controls=self.controls,
            ids=ids,
            arrival=recorder.arrival,
            detail=recorder.arrival_detail,
            router=self.router,
            shuttles=self.shuttles,
            vehicles=None
            if occupants is None
            else StartVehicles(
                self.model,
                initial,
                occupants,
                self.carloads,
                ids=ids,
                detail=recorder.arrival_detail,
            ),
            doors=all_doors(self.gate, self.stage_gates),
            pools=self.pools,
        )

    def _router(self, seed: int, replication: int) -> Router:
        """The router, with the exit recorders: each counts the entity out of the port's
        gate (under the port's hours) and reports its holds before closed stages (with stages
        of their own hours); after a walk out under the port's hours, it was counted out as
        the walk began (:class:`~.steps.WalkOut`)."""
        gate, holds, recorder = self.gate, self.holds, self.recorder
        exit, exit_detail = recorder.exit, recorder.exit_detail
        if holds is not None:
            exit, exit_detail = holds.counting(exit), holds.counting(exit_detail)
        walk_out = None
        if gate is not None:
            walk_out = WalkOut(gate.left, exit, exit_detail)
            exit, exit_detail = gate.counting(exit), gate.counting(exit_detail)
        return Router(
            self.clock,
            streams=stream_factory(seed, replication),
            exit=exit,
            exit_detail=exit_detail,
            walk_out=walk_out,
        )

    def _groups(self, seed: int, replication: int) -> list[Lanes]:
        """The lane groups, of the class their rule, priorities and staff pool need (see
        :func:`~.staffed.group_class`), bound to their controls."""
        model, recorder = self.model, self.recorder
        occupants = [model.flows[sub.flow].mean_occupants for sub in model.subflows]
        groups: list[Lanes] = [
            group_class(spec)(
                spec,
                self.stages[spec.stage],
                self.clock,
                draws=self._service_draws(seed, replication, spec.index, spec.service, "service"),
                per_occupant=(
                    self._service_draws(
                        seed, replication, spec.index, spec.per_occupant, "service_per_occupant"
                    )
                    if any(spec.per_occupant)
                    else None
                ),
                record=recorder.visit,
                advance=self.router.advance,
                occupants=occupants,
                initial=initial_lanes(spec, self.controls.get(spec.index)),
            )
            for spec in model.groups
        ]
        for index, control in self.controls.items():
            control.group = group = groups[index]
            spec = model.groups[index]
            if spec.rule is not None or spec.staffing is not None:  # see group_class
                ruled: Any = group
                ruled.control = control
        for stage in self.stages:
            stage.options = [
                tuple(groups[g] for g in sub.eligible[stage.index]) for sub in model.subflows
            ]
        return groups

    def _wire_gates(self) -> dict[int, StageGate]:
        """The gates of the stages with hours of their own: their groups' travellers go on
        through them."""
        model, holds = self.model, self.holds
        if holds is None:
            return {}
        gates = stage_gates(model, self.stages, self.controls, holds, self.clock)
        for index, stage_gate in gates.items():
            stage_gate.port, stage_gate.advance = self.gate, self.router.advance
            for g in model.stages[index].groups:
                self.groups[g].advance = stage_gate.served
        return gates

    def _service_draws(
        self,
        seed: int,
        replication: int,
        group: int,
        dists: tuple[Any, ...],
        role: str,
    ) -> list[IndexedDraws | None]:
        """A lane group's streams of service requirements (or of the time per occupant), by
        subflow: named after the subflow (the flow, ``flow.class``, ``flow.passengers``)."""
        spec = self.model.groups[group]
        stage = self.model.stages[spec.stage].name
        return [
            None
            if dist is None
            else IndexedDraws(
                dist.sample,
                make_generator(seed, replication, key(role, sub.name, stage, spec.name)),
            )
            for sub, dist in zip(self.model.subflows, dists, strict=True)
        ]

    def schedule(self) -> None:
        """The first events, in an order that fixes how ties at equal times resolve: at any
        instant, lane changes, the warm-up's end and shuttle departures (URGENT, in that
        order: later departures are scheduled after all of these) come before arrivals,
        service ends, moves and rides (NORMAL, in the order they were scheduled)."""
        clock = self.clock
        set_open = [self._set_open]
        if self.start is not None:  # the observed state, first of everything due at its time
            self.start.schedule()
        if self.gate is not None:  # the doors first: at a closing, lanes stay for those inside
            self.gate.schedule(self.model.horizon)
        for stage_gate in self.stage_gates.values():
            stage_gate.schedule(self.model.horizon)
        for group, spec in zip(self.groups, self.model.groups, strict=True):
            control = self.controls.get(spec.index)
            for time, count in spec.timetable.changes:
                # URGENT: a lane that closes at t serves nobody who comes at t; one that opens
                # at t serves whoever comes at t
                item = (group, count) if control is None else (control, count)
                clock.schedule(Event(set_open, item), time, URGENT)
        for pool in self.pools:  # after the groups' changes: those come first at an instant
            pool.schedule()
        if self.model.warmup > 0:
            clock.schedule(Event([self._start_counting]), self.model.warmup, URGENT)
        for shuttle in self.shuttles:
            shuttle.schedule_first()
        for source in self.sources:
            source.schedule_first()

    def _set_open(self, event: Event) -> None:
        target, count = event.item  # a lane group, or the control that decides for it
        if isinstance(target, LaneControl):
            target.plan(count, self.clock.now)
        else:
            target.set_open(count, self.clock.now)

    def _start_counting(self, event: Event) -> None:
        now = self.clock.now
        for stage in self.stages:
            stage.start_counting(now)
        for group in self.groups:
            group.start_counting(now)
        for shuttle in self.shuttles:
            if isinstance(shuttle, OnDemandService):
                shuttle.start_counting(now)

    def run(self) -> EngineCounters:
        self.schedule()
        model = self.model
        horizon, warmup = model.horizon, model.warmup
        self.clock.run(horizon)
        for stage in self.stages:
            stage.close(horizon)
        for group in self.groups:
            group.close(horizon)
        for control in self.controls.values():
            control.close(horizon)
        if self.holds is not None:
            self.holds.flush()
        parts = InPort(
            self.groups,
            self.shuttles,
            self.gate,
            self.clock,
            self.router,
            self.carloads,
            self.stage_gates,
        )
        self.recorder.close(unfinished(parts, horizon))
        observed = horizon - warmup
        return EngineCounters(
            stage_queue_mean=np.array([s.area / observed for s in self.stages]),
            stage_queue_max=np.array([s.qmax for s in self.stages], dtype=np.int64),
            stage_time_over_space=np.array([s.over for s in self.stages]),
            stage_first_over_space=np.array(
                [s.first_over if s.first_over < math.inf else math.nan for s in self.stages]
            ),
            group_queue_max=np.array([g.qmax for g in self.groups], dtype=np.int64),
            group_busy_time=np.array([g.busy for g in self.groups]),
            group_open_time=np.array([g.open_time(warmup, horizon, horizon) for g in self.groups]),
            group_overtime_time=np.array([g.overtime_time(warmup, horizon) for g in self.groups]),
            lanes_open=tuple(tuple(g.lanes_open) for g in self.groups),
            stage_queue_trace=np.array(
                [s.queue_trace(horizon) for s in self.stages], dtype=np.float64
            ).reshape(len(self.stages), -1),
            queue_trace_step=trace_step(horizon),
            emergencies=tuple(
                tuple(c.emergencies) if (c := self.controls.get(g.index)) else ()
                for g in model.groups
            ),
            overtime=tuple(tuple(g.overtime) for g in self.groups),
            shuttle_departures=tuple(
                tuple(s.departures) if isinstance(s, OnDemandService) else () for s in self.shuttles
            ),
            officers_in_use=tuple(tuple(p.in_use) for p in self.pools),
            officers_on_duty=tuple(tuple(p.on_duty_log) for p in self.pools),
            shuttle_stops=tuple(
                s.stop(horizon) if isinstance(s, OnDemandService) else None for s in self.shuttles
            ),
        )


def _flow_streams(seed: int, replication: int, flow: str) -> Callable[[str], np.random.Generator]:
    """The generator of a flow's source of each role (``arrivals``; ``group``, the size of
    each party; ``occupants``; ``class``)."""

    def streams(role: str) -> np.random.Generator:
        return make_generator(seed, replication, key(role, flow))

    return streams


def default_subflows(model: Model) -> tuple[int, ...]:
    """The subflow of each flow's entities of no class (what a recorder fills in for them)."""
    return tuple(flow.subflows[0] for flow in model.flows)


def _index_type(model: Model) -> type[np.integer]:
    """int16 for visit steps, lane groups and lanes when every one of them fits."""
    visits = max(sum(1 for step in s.program if isinstance(step, Visit)) for s in model.subflows)
    most = max(visits, len(model.groups), max((g.lanes for g in model.groups), default=0))
    return np.int16 if most < np.iinfo(np.int16).max else np.int32


def run_replication(
    model: Model, seed: int, replication: int, recorder: Recorder | None = None
) -> ReplicationResult:
    """Simulate one replication from 00:00 of day 1 to the horizon. With no recorder given,
    a :class:`~.recorders.FullRecorder` keeps every visit (its log is in the result)."""
    chosen: Recorder = (
        FullRecorder(default_subflows(model), _index_type(model)) if recorder is None else recorder
    )
    counters = _Replication(model, seed, replication, chosen).run()
    log = chosen.log if isinstance(chosen, FullRecorder) else None
    return ReplicationResult(replication, counters, log)
