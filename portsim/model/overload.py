"""Offered load: the work a stage's flows bring against its open lanes, the basis of the
overload warnings a planner sees before a run (and in its results).

Load is checked per stage (every flow against every lane) and per lane group, with the
flows only that group can serve at its stage: a group loaded to 1.5 by its own flows
is overloaded even when the stage's other groups stand idle.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ..units import HOUR, HOURS_PER_DAY
from .model import Model

__all__ = ["group_load", "offered_load", "open_lanes", "overload_warnings"]

#: a load from flow rates (per second, by flow index) and a mean number of open lanes
Load = Callable[[tuple[float, ...], float], float]


def offered_load(model: Model, stage: int, rates: tuple[float, ...], lanes: float) -> float:
    """Σ λ·p·E[S] over the stage's flows, divided by ``lanes`` open lanes, for flow rates
    ``rates`` (per second, by flow index).

    A flow that may use several lane groups is counted at its fastest group's mean service,
    so the figure is a lower bound on the work: a load of 1 or more means the stage cannot
    keep up, whatever the travellers choose.
    """
    work = 0.0
    for flow, rate in zip(model.flows, rates, strict=True):
        means = [
            dist.mean
            for g in flow.eligible[stage]
            if (dist := model.groups[g].service[flow.index]) is not None
        ]
        if means and flow.visits[stage] > 0:
            work += rate * flow.visits[stage] * min(means)
    return _per_lane(work, lanes)


def group_load(model: Model, group: int, rates: tuple[float, ...], lanes: float) -> float:
    """The load on lane group ``group`` from the flows that no other group of its stage can
    serve, over ``lanes`` open lanes of the group: 1 or more and the group cannot keep up,
    whatever the stage's other groups do."""
    spec = model.groups[group]
    work = 0.0
    for flow, rate in zip(model.flows, rates, strict=True):
        dist = spec.service[flow.index]
        if flow.eligible[spec.stage] == (group,) and dist is not None:
            work += rate * flow.visits[spec.stage] * dist.mean
    return _per_lane(work, lanes)


def _per_lane(work: float, lanes: float) -> float:
    if work == 0:
        return 0.0
    return work / lanes if lanes > 0 else math.inf


def open_lanes(model: Model, stage: int, start: float, end: float) -> float:
    """Mean number of lanes planned open at the stage over ``[start, end)``."""
    return _group_lanes(model, model.stages[stage].groups, start, end)


def _group_lanes(model: Model, groups: tuple[int, ...], start: float, end: float) -> float:
    total = sum(model.groups[g].timetable.lane_time(start, end) for g in groups)
    return total / (end - start)


def _hour(k: int) -> str:
    return (
        f"{k % HOURS_PER_DAY:02d}:00-{k % HOURS_PER_DAY + 1:02d}:00 of day {k // HOURS_PER_DAY + 1}"
    )


def _check(model: Model, what: str, groups: tuple[int, ...], load: Load) -> str | None:
    """The warning for ``what`` (served by ``groups``) if its load reaches 1: over the whole
    run, else in its busiest hour."""
    span = (model.warmup, model.horizon)
    mean_rates = tuple(f.arrivals.rate.mean(*span) for f in model.flows)
    whole = load(mean_rates, _group_lanes(model, groups, *span))
    if whole >= 1:
        return (
            f"{what}: offered load {whole:.2f} >= 1 over the run: its queue grows without "
            "bound and waits depend on the horizon"
        )
    peak, hour = 0.0, 0
    for k in range(math.ceil(model.horizon / HOUR)):
        start = k * HOUR
        end = min(model.horizon, start + HOUR)
        rates = tuple(f.arrivals.rate.mean(start, start + HOUR) for f in model.flows)
        hour_load = load(rates, _group_lanes(model, groups, start, end))
        if hour_load > peak:
            peak, hour = hour_load, k
    if math.isinf(peak):
        return (
            f"{what}: no lane open in hour {_hour(hour)} while travellers arrive: they wait "
            "for the next opening"
        )
    if peak >= 1:
        return (
            f"{what}: offered load {peak:.2f} >= 1 in hour {_hour(hour)}: queues build up "
            "during that peak"
        )
    return None


def overload_warnings(model: Model) -> list[str]:
    """Warnings for stages, and lane groups with flows of their own, whose offered load
    reaches 1: over the whole run (queues grow without bound) or in their busiest hour
    (queues build up during the peak). A group is checked when its stage has other groups
    and is not overloaded as a whole."""
    warnings: list[str] = []
    for stage in model.stages:
        index = stage.index
        warning = _check(
            model,
            f"stage {stage.name!r}",
            stage.groups,
            lambda rates, lanes, s=index: offered_load(model, s, rates, lanes),  # type: ignore[misc]
        )
        if warning is not None:
            warnings.append(warning)
            continue
        for g in stage.groups if len(stage.groups) > 1 else ():
            alone = [f.name for f in model.flows if f.eligible[index] == (g,) and f.visits[index]]
            if not alone:
                continue
            warning = _check(
                model,
                f"lane group {stage.name}.{model.groups[g].name} (the only one for "
                f"{', '.join(alone)})",
                (g,),
                lambda rates, lanes, g=g: group_load(model, g, rates, lanes),  # type: ignore[misc]
            )
            if warning is not None:
                warnings.append(warning)
    return warnings
