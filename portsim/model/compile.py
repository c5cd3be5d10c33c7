"""Compiling a scenario into a :class:`~.model.Model`: names to indices, routes to programs,
arrivals to rate functions, lane plans to timetables. The scenario has been validated."""

from __future__ import annotations

import math

from ..scenario.arrivals import (
    Arrivals,
    DailyProfileArrivals,
    PoissonArrivals,
    RegularArrivals,
    TimedArrivals,
)
from ..scenario.clearance import ShuttleCrossing
from ..scenario.distributions import Constant, TimeDistribution
from ..scenario.spec import Flow, Scenario, Stage
from .model import (
    ArrivalPlan,
    CompiledFigure,
    CompiledFlow,
    CompiledGroup,
    CompiledShuttle,
    CompiledStage,
    CompiledTarget,
    Model,
)
from .rates import rate_function
from .routes import Program, RouteStop, compile_route
from .timetable import Timetable

__all__ = ["compile_scenario"]


def compile_scenario(scenario: Scenario) -> Model:
    """Resolve names to indices and routes to programs."""
    all_stages = scenario.all_stages()
    flow_names = [f.name for f in scenario.flows]
    groups: list[CompiledGroup] = []
    stages: list[CompiledStage] = []
    shuttles: list[CompiledShuttle] = []
    for s_index, stage in enumerate(all_stages):
        members: list[int] = []
        for group in stage.lanes:
            members.append(len(groups))
            groups.append(
                CompiledGroup(
                    index=len(groups),
                    name=group.name,
                    stage=s_index,
                    timetable=Timetable.of_group(group.count, group.schedule, scenario.horizon),
                    per_lane=group.queue == "per_lane",
                    service=tuple(
                        group.service_for(name) if group.serves_flow(name) else None
                        for name in flow_names
                    ),
                )
            )
        if isinstance(stage.transfer, ShuttleCrossing):
            s = stage.transfer.shuttle
            shuttles.append(CompiledShuttle(s_index, s.every, s.seats, s.ride, s.first))
        space = math.inf if stage.space is None else float(stage.space)
        stages.append(CompiledStage(s_index, stage.name, tuple(members), space))

    flows = tuple(
        _compile_flow(
            scenario, index, flow=flow, all_stages=all_stages, groups=groups, shuttles=shuttles
        )
        for index, flow in enumerate(scenario.flows)
    )
    stage_index = {s.name: s.index for s in stages}
    flow_index = {f.name: f.index for f in flows}
    targets = tuple(
        CompiledTarget(
            name=t.name,
            flow=None if t.flow is None else flow_index[t.flow],
            stage=None if t.stage is None else stage_index[t.stage],
            wait_within=t.wait_within,
            share=t.share,
            flow_name=t.flow,
            stage_name=t.stage,
        )
        for t in scenario.targets
    )
    figures = tuple(
        CompiledFigure(r.figure, r.value, r.unit, r.source, r.paths, r.compare_to, r.kind)
        for r in scenario.reference
    )
    return Model(
        name=scenario.name,
        horizon=scenario.horizon,
        warmup=scenario.warmup,
        flows=flows,
        stages=tuple(stages),
        groups=tuple(groups),
        shuttles=tuple(shuttles),
        targets=targets,
        figures=figures,
    )


def _compile_flow(
    scenario: Scenario,
    index: int,
    *,
    flow: Flow,
    all_stages: tuple[Stage, ...],
    groups: list[CompiledGroup],
    shuttles: list[CompiledShuttle],
) -> CompiledFlow:
    stage_index = {s.name: i for i, s in enumerate(all_stages)}
    visits = [0.0] * len(all_stages)
    for step in scenario.route(flow):
        visits[stage_index[step.stage]] += step.p
    eligible = tuple(
        tuple(
            g.index for g in groups if g.stage == s and g.service[index] is not None and g.lanes > 0
        )
        for s in range(len(all_stages))
    )
    return CompiledFlow(
        index=index,
        name=flow.name,
        kind=flow.kind,
        direction=flow.direction,
        arrivals=_arrival_plan(flow.arrivals, scenario.horizon),
        program=_program(scenario, flow, all_stages, shuttles),
        visits=tuple(visits),
        eligible=eligible,
    )


def _program(
    scenario: Scenario,
    flow: Flow,
    all_stages: tuple[Stage, ...],
    shuttles: list[CompiledShuttle],
) -> Program:
    """The flow's route as stops: each with its probability, its stream key and the way to
    the next stop (the stage's transfer, or its shuttle)."""
    stage_index = {s.name: i for i, s in enumerate(all_stages)}
    shuttle_of = {s.stage: i for i, s in enumerate(shuttles)}
    stops: list[RouteStop] = []
    occurrences: dict[str, int] = {}
    for step in scenario.route(flow):
        occurrence = occurrences.get(step.stage, 0)
        occurrences[step.stage] = occurrence + 1
        names: tuple[str, ...] = (flow.name, step.stage)
        if occurrence:
            names += (str(occurrence),)
        s = stage_index[step.stage]
        transfer = all_stages[s].transfer
        way: TimeDistribution | int | None = None
        constant: float | None = None
        if isinstance(transfer, ShuttleCrossing):
            way = shuttle_of[s]
        elif transfer is not None and not (isinstance(transfer, Constant) and transfer.value == 0):
            way = transfer
            constant = transfer.value if isinstance(transfer, Constant) else None
        stops.append(RouteStop(s, step.p, names, way, constant, (flow.name, step.stage)))
    return compile_route(tuple(stops))


def _arrival_plan(arrivals: Arrivals, horizon: float) -> ArrivalPlan:
    rate = rate_function(arrivals, horizon)
    if isinstance(arrivals, PoissonArrivals):
        return ArrivalPlan("poisson", rate)
    if isinstance(arrivals, DailyProfileArrivals):
        return ArrivalPlan("profile", rate)
    if isinstance(arrivals, RegularArrivals):
        end = min(horizon, arrivals.end or horizon)
        return ArrivalPlan("regular", rate, first=arrivals.start, every=arrivals.every, end=end)
    assert isinstance(arrivals, TimedArrivals)
    return ArrivalPlan("timed", rate, times=arrivals.times)
