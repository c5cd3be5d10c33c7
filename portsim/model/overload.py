"""Offered load: the work a stage's flows bring against its open lanes, the basis of the
overload warnings a planner sees before and after a run."""

from __future__ import annotations

import math

from ..units import HOUR, HOURS_PER_DAY
from .model import Model

__all__ = ["offered_load", "open_lanes", "overload_warnings", "subflow_rates"]


def subflow_rates(model: Model, flow_rates: tuple[float, ...]) -> tuple[float, ...]:
    """Entities per second of each subflow, from each flow's entities per second: a class
    takes its share; passengers who alight come from vehicles, all occupants but the driver."""
    out = []
    for sub in model.subflows:
        flow = model.flows[sub.flow]
        rate = flow_rates[sub.flow]
        out.append(
            rate * (flow.mean_occupants - 1) if sub.index == flow.passengers else rate * sub.share
        )
    return tuple(out)


def _mean_service(model: Model, group: int, sub: int) -> float:
    spec = model.groups[group]
    dist, extra = spec.service[sub], spec.per_occupant[sub] if spec.per_occupant else None
    assert dist is not None
    if extra is None:
        return dist.mean
    return dist.mean + extra.mean * model.flows[model.subflows[sub].flow].mean_occupants


def offered_load(model: Model, stage: int, rates: tuple[float, ...], lanes: float) -> float:
    """Σ λ·p·E[S] over the stage's subflows, divided by ``lanes`` open lanes, for flow rates
    ``rates`` (entities per second, by flow index).

    A subflow that may use several lane groups is counted at its fastest group's mean
    service, so the figure is a lower bound on the work: a load of 1 or more means the stage
    cannot keep up, whatever the travellers choose.
    """
    work = 0.0
    for sub, rate in zip(model.subflows, subflow_rates(model, rates), strict=True):
        means = [_mean_service(model, g, sub.index) for g in sub.eligible[stage]]
        if means and sub.visits[stage] > 0:
            work += rate * sub.visits[stage] * min(means)
    if work == 0:
        return 0.0
    return work / lanes if lanes > 0 else math.inf


def open_lanes(model: Model, stage: int, start: float, end: float) -> float:
    """Mean number of lanes planned open at the stage over ``[start, end)``."""
    total = sum(model.groups[g].timetable.lane_time(start, end) for g in model.stages[stage].groups)
    return total / (end - start)


def _hour(k: int) -> str:
    return (
        f"{k % HOURS_PER_DAY:02d}:00-{k % HOURS_PER_DAY + 1:02d}:00 of day {k // HOURS_PER_DAY + 1}"
    )


def overload_warnings(model: Model) -> list[str]:
    """Warnings for stages whose offered load reaches 1: over the whole run (queues grow
    without bound) or in their busiest hour (queues build up during the peak)."""
    warnings: list[str] = []
    span = (model.warmup, model.horizon)
    mean_rates = tuple(f.entity_rate.mean(*span) for f in model.flows)
    hours = math.ceil(model.horizon / HOUR)
    for stage in model.stages:
        load = offered_load(model, stage.index, mean_rates, open_lanes(model, stage.index, *span))
        if load >= 1:
            warnings.append(
                f"stage {stage.name!r}: offered load {load:.2f} >= 1 over the run: "
                "its queue grows without bound and waits depend on the horizon"
            )
            continue
        peak, hour = 0.0, 0
        for k in range(hours):
            start = k * HOUR
            end = min(model.horizon, start + HOUR)
            lanes = open_lanes(model, stage.index, start, end)
            rates = tuple(f.entity_rate.mean(start, start + HOUR) for f in model.flows)
            hour_load = offered_load(model, stage.index, rates, lanes)
            if hour_load > peak:
                peak, hour = hour_load, k
        if math.isinf(peak):
            warnings.append(
                f"stage {stage.name!r}: no lane open in hour {_hour(hour)} while travellers "
                "arrive: they wait for the next opening"
            )
        elif peak >= 1:
            warnings.append(
                f"stage {stage.name!r}: offered load {peak:.2f} >= 1 in hour {_hour(hour)}: "
                "queues build up during that peak"
            )
    return warnings
