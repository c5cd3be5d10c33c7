"""The compiled model: a scenario turned into indexed stages, lane groups and routes.

Compiling resolves every name once, so the engine works with small integers and tuples. It
also works out each stage's offered load, the basis of the overload warnings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .clearance import Shuttle, ShuttleCrossing
from .distributions import Constant, TimeDistribution
from .scenario import SECONDS_PER_HOUR, DailyProfileArrivals, PoissonArrivals, Scenario
from .schedule import Timetable

__all__ = ["CompiledFlow", "CompiledGroup", "CompiledStage", "Model", "compile_scenario"]


@dataclass(frozen=True, slots=True)
class CompiledGroup:
    """A lane group: ``index`` is its position in :attr:`Model.groups`."""

    index: int
    name: str
    stage: int
    #: open lanes over the horizon
    timetable: Timetable
    per_lane: bool
    #: service distribution for each flow (by flow index), None where the flow is not served
    service: tuple[TimeDistribution | None, ...]

    @property
    def lanes(self) -> int:
        """The most lanes ever open: lane indices run from 0 to ``lanes - 1``."""
        return self.timetable.most


@dataclass(frozen=True, slots=True)
class CompiledStage:
    index: int
    name: str
    groups: tuple[int, ...]
    #: the time to the next stage: a distribution, a timetabled shuttle, or nothing
    transfer: TimeDistribution | Shuttle | None
    #: travellers who fit in the queueing area (inf: not declared)
    space: float

    @property
    def transfer_is_constant(self) -> bool:
        return self.transfer is None or isinstance(self.transfer, Constant)


@dataclass(frozen=True, slots=True)
class RouteChoice:
    """An optional route step: visit ``stage`` with probability ``p``; ``key`` names its stream."""

    position: int
    stage: int
    p: float
    key: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CompiledFlow:
    index: int
    name: str
    kind: str
    direction: str | None
    arrivals: PoissonArrivals | DailyProfileArrivals
    #: stage index of every route step, in order
    route: tuple[int, ...]
    #: the steps with p < 1 (drawn per entity); the others are always visited
    choices: tuple[RouteChoice, ...]
    #: expected visits to each stage per entity (sum of the steps' p), by stage index
    visits: tuple[float, ...]
    #: lane groups open to this flow at each stage (by stage index), in declaration order
    eligible: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True)
class Model:
    """Everything one replication needs, indexed; built by :func:`compile_scenario`."""

    scenario: Scenario
    horizon: float
    warmup: float
    flows: tuple[CompiledFlow, ...]
    stages: tuple[CompiledStage, ...]
    groups: tuple[CompiledGroup, ...]

    def offered_load(self, stage: int, rates: tuple[float, ...], lanes: float) -> float:
        """Σ λ·p·E[S] over the stage's flows, divided by ``lanes`` open lanes, for flow rates
        ``rates`` (per second, by flow index).

        A flow that may use several lane groups is counted at its fastest group's mean
        service, so the figure is a lower bound on the work: a load of 1 or more means the
        stage cannot keep up, whatever the travellers choose.
        """
        work = 0.0
        for flow, rate in zip(self.flows, rates, strict=True):
            means = [
                dist.mean
                for g in flow.eligible[stage]
                if (dist := self.groups[g].service[flow.index]) is not None
            ]
            if means and flow.visits[stage] > 0:
                work += rate * flow.visits[stage] * min(means)
        if work == 0:
            return 0.0
        return work / lanes if lanes > 0 else math.inf

    def open_lanes(self, stage: int, start: float, end: float) -> float:
        """Mean number of lanes open at the stage over ``[start, end)``."""
        total = sum(
            self.groups[g].timetable.lane_time(start, end) for g in self.stages[stage].groups
        )
        return total / (end - start)

    def overload_warnings(self) -> list[str]:
        """Warnings for stages whose offered load reaches 1: over the whole run (queues grow
        without bound) or in their busiest hour (queues build up during the peak)."""
        warnings: list[str] = []
        span = (self.warmup, self.horizon)
        mean_rates = tuple(f.arrivals.mean_rate(*span) for f in self.flows)
        hourly = [f.arrivals.hourly_rates() for f in self.flows]
        hours = math.ceil(self.horizon / SECONDS_PER_HOUR)
        for stage in self.stages:
            load = self.offered_load(stage.index, mean_rates, self.open_lanes(stage.index, *span))
            if load >= 1:
                warnings.append(
                    f"stage {stage.name!r}: offered load {load:.2f} >= 1 over the run: "
                    "its queue grows without bound and waits depend on the horizon"
                )
                continue
            peak, hour = 0.0, 0
            for k in range(hours):
                start = k * SECONDS_PER_HOUR
                end = min(self.horizon, start + SECONDS_PER_HOUR)
                lanes = self.open_lanes(stage.index, start, end)
                rates = tuple(r[k % 24] for r in hourly)
                hour_load = self.offered_load(stage.index, rates, lanes)
                if hour_load > peak:
                    peak, hour = hour_load, k
            if math.isinf(peak):
                warnings.append(
                    f"stage {stage.name!r}: no lane open in hour {hour % 24:02d}:00-"
                    f"{hour % 24 + 1:02d}:00 of day {hour // 24 + 1} while travellers arrive: "
                    "they wait for the next opening"
                )
            elif peak >= 1:
                warnings.append(
                    f"stage {stage.name!r}: offered load {peak:.2f} >= 1 in hour "
                    f"{hour % 24:02d}:00-{hour % 24 + 1:02d}:00 of day {hour // 24 + 1}: "
                    "queues build up during that peak"
                )
        return warnings


def compile_scenario(scenario: Scenario) -> Model:
    """Resolve names to indices; the scenario has already been validated."""
    all_stages = scenario.all_stages()
    stage_index = {s.name: i for i, s in enumerate(all_stages)}
    flow_names = [f.name for f in scenario.flows]
    groups: list[CompiledGroup] = []
    stages: list[CompiledStage] = []
    for s_index, stage in enumerate(all_stages):
        members: list[int] = []
        for group in stage.lanes:
            service = tuple(
                group.service_for(name) if group.serves_flow(name) else None for name in flow_names
            )
            members.append(len(groups))
            groups.append(
                CompiledGroup(
                    index=len(groups),
                    name=group.name,
                    stage=s_index,
                    timetable=group.timetable(scenario.horizon),
                    per_lane=group.queue == "per_lane",
                    service=service,
                )
            )
        space = math.inf if stage.space is None else float(stage.space)
        transfer: TimeDistribution | Shuttle | None = (
            stage.transfer.shuttle
            if isinstance(stage.transfer, ShuttleCrossing)
            else stage.transfer
        )
        stages.append(CompiledStage(s_index, stage.name, tuple(members), transfer, space))

    flows: list[CompiledFlow] = []
    for f_index, flow in enumerate(scenario.flows):
        steps = scenario.route(flow)
        route = tuple(stage_index[step.stage] for step in steps)
        choices: list[RouteChoice] = []
        occurrences: dict[str, int] = {}
        visits = [0.0] * len(stages)
        for position, step in enumerate(steps):
            occurrence = occurrences.get(step.stage, 0)
            occurrences[step.stage] = occurrence + 1
            visits[stage_index[step.stage]] += step.p
            if step.p < 1:
                key: tuple[str, ...] = ("route", flow.name, step.stage)
                if occurrence:
                    key += (str(occurrence),)
                choices.append(RouteChoice(position, stage_index[step.stage], step.p, key))
        eligible = tuple(
            tuple(
                g
                for g in st.groups
                if groups[g].service[f_index] is not None and groups[g].lanes > 0
            )
            for st in stages
        )
        flows.append(
            CompiledFlow(
                f_index,
                flow.name,
                flow.kind,
                flow.direction,
                flow.arrivals,
                route,
                tuple(choices),
                tuple(visits),
                eligible,
            )
        )
    return Model(
        scenario=scenario,
        horizon=scenario.horizon,
        warmup=scenario.warmup,
        flows=tuple(flows),
        stages=tuple(stages),
        groups=tuple(groups),
    )
