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
from ..scenario.clearance import OnDemandShuttle, Shuttle, ShuttleCrossing
from ..scenario.lanes import LaneGroup
from ..scenario.loads import LoadedArrivals
from ..scenario.spec import PASSENGERS, Flow, Scenario
from .days import Days, compile_days, compile_hours
from .model import (
    ArrivalPlan,
    CompiledFigure,
    CompiledFlow,
    CompiledGroup,
    CompiledShuttle,
    CompiledStage,
    CompiledTarget,
    Model,
    Subflow,
)
from .rates import rate_function
from .rules import with_rules
from .staff import with_staff
from .subflows import subflow_names, subflows_of
from .timetable import Timetable

__all__ = ["compile_scenario"]


def compile_scenario(scenario: Scenario) -> Model:
    """Resolve names to indices and routes to programs."""
    all_stages = scenario.all_stages()
    named = subflow_names(scenario)
    days = compile_days(scenario)
    groups: list[CompiledGroup] = []
    stages: list[CompiledStage] = []
    shuttles: list[CompiledShuttle] = []
    for s_index, stage in enumerate(all_stages):
        members: list[int] = []
        for group in stage.lanes:
            members.append(len(groups))
            groups.append(
                _compile_group(scenario, group, len(groups), s_index, named=named, days=days)
            )
        if isinstance(stage.transfer, ShuttleCrossing):
            shuttles.append(_shuttle(s_index, stage.transfer.shuttle))
        space = math.inf if stage.space is None else float(stage.space)
        hours = None if stage.hours is None else compile_hours(scenario, days, stage.hours)
        stages.append(CompiledStage(s_index, stage.name, tuple(members), space, hours))
    subflows = subflows_of(scenario, all_stages, groups, shuttles)
    flows = tuple(
        CompiledFlow(
            index=index,
            name=flow.name,
            kind=flow.kind,
            direction=flow.direction,
            arrivals=_arrival_plan(flow.arrivals, scenario.horizon, days.types),
            occupants=flow.occupants,
            vehicle=flow.is_vehicle,
            subflows=tuple(s.index for s in subflows if s.flow == index and s.cls != PASSENGERS),
            passengers=next(
                (s.index for s in subflows if s.flow == index and s.cls == PASSENGERS), None
            ),
        )
        for index, flow in enumerate(scenario.flows)
    )
    rules = [(g.opening, g.built) for stage in all_stages for g in stage.lanes]
    groups = with_rules(groups, rules, flows, subflows, scenario.horizon)
    specs = [g for stage in all_stages for g in stage.lanes]
    groups, pools = with_staff(
        scenario, groups=groups, specs=specs, flows=flows, subflows=subflows, day_types=days.types
    )
    return Model(
        name=scenario.name,
        horizon=scenario.horizon,
        warmup=scenario.warmup,
        flows=flows,
        stages=tuple(stages),
        groups=tuple(groups),
        shuttles=tuple(shuttles),
        subflows=subflows,
        targets=_targets(scenario, stages, flows, subflows),
        figures=tuple(
            CompiledFigure(
                r.figure,
                r.value,
                r.unit,
                r.source,
                r.paths,
                r.compare_to,
                r.check,
                low=r.low,
                high=r.high,
                confidence=r.confidence,
                note=r.note,
            )
            for r in scenario.reference
        ),
        days=days,
        hours=compile_hours(scenario, days),
        calendar=scenario.calendar is not None,
        pools=pools,
    )


def _shuttle(stage: int, s: Shuttle | OnDemandShuttle) -> CompiledShuttle:
    if isinstance(s, Shuttle):
        return CompiledShuttle(stage, s.every, s.seats, s.ride, s.first)
    return CompiledShuttle(stage, math.inf, s.seats, s.ride, 0.0, s.max_wait, s.fleet, s.away)


def _compile_group(
    scenario: Scenario,
    group: LaneGroup,
    index: int,
    stage: int,
    *,
    named: list[tuple[Flow, str | None]],
    days: Days,
) -> CompiledGroup:
    return CompiledGroup(
        index=index,
        name=group.name,
        stage=stage,
        timetable=Timetable.of_group(group.count, group.schedule, scenario.horizon, days.types),
        per_lane=group.queue == "per_lane",
        service=tuple(
            group.service_for(flow.name, cls) if group.serves_flow(flow.name, cls) else None
            for flow, cls in named
        ),
        per_occupant=tuple(
            group.service_per_occupant
            if flow.is_vehicle and cls != PASSENGERS and group.serves_flow(flow.name, cls)
            else None
            for flow, cls in named
        ),
        priority=_priority_levels(group, named),
    )


def _priority_levels(
    group: LaneGroup, named: list[tuple[Flow, str | None]]
) -> tuple[int, ...] | None:
    """The queue level of each subflow at ``group`` (by subflow index; the file's levels
    numbered 0, 1, … in their order): 0 is served first; those with no priority come after
    every level. The group's own ``priority`` overrides
    the classes' and flows'. None when everyone the group serves has the same priority (or
    none): its queue is first come, first served."""
    levels = [group.priority_for(flow.name, cls, flow.priority_of(cls)) for flow, cls in named]
    served = {
        level
        for (flow, cls), level in zip(named, levels, strict=True)
        if group.serves_flow(flow.name, cls)
    }
    if len(served) <= 1:
        return None
    order = sorted(level for level in served if level is not None)
    return tuple(len(order) if level not in order else order.index(level) for level in levels)


def _targets(
    scenario: Scenario,
    stages: list[CompiledStage],
    flows: tuple[CompiledFlow, ...],
    subflows: tuple[Subflow, ...],
) -> tuple[CompiledTarget, ...]:
    stage_index = {s.name: s.index for s in stages}
    flow_index = {f.name: f.index for f in flows}
    subflow_index = {s.name: s.index for s in subflows}
    out = []
    for t in scenario.targets:
        flow: int | None = None
        subflow: int | None = None
        if t.flow is not None:
            flow = flow_index[t.flow.partition(".")[0]]
            subflow = subflow_index[t.flow] if "." in t.flow else None
        out.append(
            CompiledTarget(
                name=t.name,
                flow=flow,
                stage=None if t.stage is None else stage_index[t.stage],
                wait_within=t.wait_within,
                share=t.share,
                flow_name=t.flow,
                stage_name=t.stage,
                subflow=subflow,
            )
        )
    return tuple(out)


def _arrival_plan(
    arrivals: Arrivals, horizon: float, day_types: tuple[str | None, ...]
) -> ArrivalPlan:
    rate = rate_function(arrivals, horizon, day_types)
    if isinstance(arrivals, LoadedArrivals):  # each time brings its load: nothing drawn
        return ArrivalPlan("timed", rate, times=arrivals.at, loads=arrivals.loads)
    party = arrivals.group  # the format's word for a party of arrivals
    if isinstance(arrivals, PoissonArrivals):
        return ArrivalPlan("poisson", rate, party)
    if isinstance(arrivals, DailyProfileArrivals):
        return ArrivalPlan("profile", rate, party)
    if isinstance(arrivals, RegularArrivals):
        end = min(horizon, arrivals.end or horizon)
        return ArrivalPlan(
            "regular", rate, party, first=arrivals.start, every=arrivals.every, end=end
        )
    assert isinstance(arrivals, TimedArrivals)
    return ArrivalPlan("timed", rate, party, times=arrivals.times)
