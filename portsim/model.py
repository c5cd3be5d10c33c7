"""The compiled model: a scenario turned into indexed stages, lane groups and routes.

Compiling resolves every name once, so the engine works with small integers and tuples. It
also works out each stage's offered load, the basis of the overload warnings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .distributions import Constant, TimeDistribution
from .scenario import DailyProfileArrivals, PoissonArrivals, Scenario

__all__ = ["CompiledFlow", "CompiledGroup", "CompiledStage", "Model", "compile_scenario"]


@dataclass(frozen=True, slots=True)
class CompiledGroup:
    """A lane group: ``index`` is its position in :attr:`Model.groups`."""

    index: int
    name: str
    stage: int
    lanes: int
    #: service distribution for each flow (by flow index), None where the flow is not served
    service: tuple[TimeDistribution | None, ...]


@dataclass(frozen=True, slots=True)
class CompiledStage:
    index: int
    name: str
    groups: tuple[int, ...]
    transfer: TimeDistribution | None

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

    def offered_load(self, stage: int, rates: tuple[float, ...]) -> float:
        """Σ λ·p·E[S] over the stage's flows, divided by its open lanes, for flow rates
        ``rates`` (per second, by flow index).

        A flow that may use several lane groups is counted at its fastest group's mean
        service, so the figure is a lower bound on the work: a load of 1 or more means the
        stage cannot keep up, whatever the travellers choose.
        """
        compiled = self.stages[stage]
        lanes = sum(self.groups[g].lanes for g in compiled.groups)
        work = 0.0
        for flow, rate in zip(self.flows, rates, strict=True):
            means = [
                dist.mean
                for g in flow.eligible[stage]
                if (dist := self.groups[g].service[flow.index]) is not None
            ]
            if means and flow.visits[stage] > 0:
                work += rate * flow.visits[stage] * min(means)
        return work / lanes if lanes else math.inf

    def overload_warnings(self) -> list[str]:
        """Warnings for stages whose offered load reaches 1: over the whole run (queues grow
        without bound) or in their busiest hour of the day (queues build up during the peak)."""
        warnings: list[str] = []
        span = (self.warmup, self.horizon)
        mean_rates = tuple(f.arrivals.mean_rate(*span) for f in self.flows)
        hourly = [f.arrivals.hourly_rates() for f in self.flows]
        for stage in self.stages:
            load = self.offered_load(stage.index, mean_rates)
            if load >= 1:
                warnings.append(
                    f"stage {stage.name!r}: offered load {load:.2f} >= 1 over the run: "
                    "its queue grows without bound and waits depend on the horizon"
                )
                continue
            peak, hour = max(
                (self.offered_load(stage.index, tuple(r[h] for r in hourly)), h) for h in range(24)
            )
            if peak >= 1:
                warnings.append(
                    f"stage {stage.name!r}: offered load {peak:.2f} >= 1 in hour "
                    f"{hour:02d}:00-{hour + 1:02d}:00: queues build up during that peak"
                )
        return warnings


def compile_scenario(scenario: Scenario) -> Model:
    """Resolve names to indices; the scenario has already been validated."""
    stage_index = {s.name: i for i, s in enumerate(scenario.stages)}
    flow_names = [f.name for f in scenario.flows]
    groups: list[CompiledGroup] = []
    stages: list[CompiledStage] = []
    for s_index, stage in enumerate(scenario.stages):
        members: list[int] = []
        for group in stage.lanes:
            service = tuple(
                group.service if group.serves_flow(name) else None for name in flow_names
            )
            members.append(len(groups))
            groups.append(CompiledGroup(len(groups), group.name, s_index, group.count, service))
        stages.append(CompiledStage(s_index, stage.name, tuple(members), stage.transfer))

    flows: list[CompiledFlow] = []
    for f_index, flow in enumerate(scenario.flows):
        route = tuple(stage_index[step.stage] for step in flow.route)
        choices: list[RouteChoice] = []
        occurrences: dict[str, int] = {}
        visits = [0.0] * len(stages)
        for position, step in enumerate(flow.route):
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
