"""Offered load: the work a stage's flows bring against its open lanes, the basis of the
overload warnings a planner sees before a run (and in its results).

Load is checked per stage (every flow against every lane) and per lane group, with the
flows only that group can serve at its stage: a group loaded to 1.5 by its own flows
is overloaded even when the stage's other groups stand idle.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ..units import DAY, HOUR, HOURS_PER_DAY, MINUTE
from .day_load import day_warnings, forecast_hour
from .fleets import fleet_warnings
from .model import Model

__all__ = [
    "closing_warnings",
    "group_load",
    "offered_load",
    "open_lanes",
    "overload_warnings",
    "subflow_rates",
]

#: a load from flow rates (per second, by flow index) and a mean number of open lanes
Load = Callable[[tuple[float, ...], float], float]


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
    return _per_lane(work, lanes)


def group_load(model: Model, group: int, rates: tuple[float, ...], lanes: float) -> float:
    """The load on lane group ``group`` from the subflows that no other group of its stage
    can serve, over ``lanes`` open lanes of the group: 1 or more and the group cannot keep
    up, whatever the stage's other groups do."""
    spec = model.groups[group]
    work = 0.0
    for sub, rate in zip(model.subflows, subflow_rates(model, rates), strict=True):
        if sub.eligible[spec.stage] == (group,) and spec.service[sub.index] is not None:
            work += rate * sub.visits[spec.stage] * _mean_service(model, group, sub.index)
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


def _check(model: Model, what: str, groups: tuple[int, ...], load: Load) -> list[str]:
    """The warning for ``what`` (served by ``groups``) if its load reaches 1: over the whole
    run, else in its busiest hour (a run without days, hours or rules: see
    :func:`~.day_load.day_warnings` for those)."""
    span = (model.warmup, model.horizon)
    mean_rates = tuple(f.entity_rate.mean(*span) for f in model.flows)
    whole = load(mean_rates, _group_lanes(model, groups, *span))
    if whole >= 1:
        return [
            f"{what}: offered load {whole:.2f} >= 1 over the run: its queue grows without "
            "bound and waits depend on the horizon"
        ]
    peak, hour = 0.0, 0
    for k in range(forecast_hour(model), math.ceil(model.horizon / HOUR)):
        start = k * HOUR
        end = min(model.horizon, start + HOUR)
        rates = tuple(f.entity_rate.mean(start, start + HOUR) for f in model.flows)
        hour_load = load(rates, _group_lanes(model, groups, start, end))
        if hour_load > peak:
            peak, hour = hour_load, k
    if math.isinf(peak):
        return [
            f"{what}: no lane open in hour {_hour(hour)} while travellers arrive: they wait "
            "for the next opening"
        ]
    if peak >= 1:
        return [
            f"{what}: offered load {peak:.2f} >= 1 in hour {_hour(hour)}: queues build up "
            "during that peak"
        ]
    return []


def overload_warnings(model: Model) -> list[str]:
    """Warnings for stages, and lane groups with flows of their own, whose offered load
    reaches 1: over the whole run (queues grow without bound) or in their busiest hour
    (queues build up during the peak). A group is checked when its stage has other groups
    and is not overloaded as a whole."""
    warnings: list[str] = []
    check = day_warnings if model.calendar or model.controlled else _check
    for stage in model.stages:
        index = stage.index
        warning = check(
            model,
            f"stage {stage.name!r}",
            stage.groups,
            lambda rates, lanes, s=index: offered_load(model, s, rates, lanes),  # type: ignore[misc]
        )
        if warning:
            warnings += warning
            continue
        for g in stage.groups if len(stage.groups) > 1 else ():
            alone = [
                s.name for s in model.subflows if s.eligible[index] == (g,) and s.visits[index]
            ]
            if not alone:
                continue
            warning = check(
                model,
                f"lane group {stage.name}.{model.groups[g].name} (the only one for "
                f"{', '.join(alone)})",
                (g,),
                lambda rates, lanes, g=g: group_load(model, g, rates, lanes),  # type: ignore[misc]
            )
            warnings += warning
    return warnings + closing_warnings(model) + fleet_warnings(model, _subflow_rates(model))


def _subflow_rates(model: Model) -> Callable[[float, float], tuple[float, ...]]:
    """Each subflow's entities a second on average between two times."""
    return lambda start, end: subflow_rates(
        model, tuple(f.entity_rate.mean(start, end) for f in model.flows)
    )


#: how long before a closing arrivals count as still inside when the doors close
INSIDE_AT_CLOSING = HOUR


def closing_warnings(model: Model) -> list[str]:
    """Lane groups with no lane planned at their stage's closing (the port's, or the
    stage's own) while travellers whom no other group of the stage can serve came in the
    hour before it: those inside when the doors close wait for the group's next opening,
    and the lanes stay open (as at the closing) until the port or the stage is empty. One
    warning per group and day type."""
    out: dict[tuple[tuple[int, ...], str | None], str] = {}
    for stage in model.stages:
        hours = stage.hours or model.hours
        whose = "the stage's" if stage.hours is not None else "the port's"
        for opened, close in hours.intervals if hours is not None else ():
            if not model.warmup < close < model.horizon:
                continue
            came = tuple(f.entity_rate.mean(close - INSIDE_AT_CLOSING, close) for f in model.flows)
            day_type = model.days.type_of(int(opened // DAY)) if model.days is not None else None
            for sub, rate in zip(model.subflows, subflow_rates(model, came), strict=True):
                groups = sub.eligible[stage.index]
                if not (rate > 0 and groups and sub.visits[stage.index] > 0):
                    continue
                if any(model.groups[g].timetable.count_at(close - EPSILON) for g in groups):
                    continue
                names = ", ".join(f"{stage.name}.{model.groups[g].name}" for g in groups)
                out.setdefault(
                    (groups, day_type),
                    f"lane group {names}: no lane planned at {whose} closing "
                    f"({_clock(close)}{f', {day_type}' if day_type else ''}) while "
                    f"{sub.name} still come to it: those inside at the closing wait for its "
                    "next opening, and the lanes stay open (as at the closing) until they "
                    "are cleared; plan a lane up to the closing",
                )
    return list(out.values())


#: a closing's "just before" (the plan at the closing instant may already be the night's)
EPSILON = 1e-6


def _clock(seconds: float) -> str:
    """A closing's time of day: 24:00 of the day it ends, not 00:00 of the next."""
    day = int((seconds - EPSILON) // DAY)
    rest = seconds - day * DAY
    return f"{int(rest // HOUR):02d}:{int(rest % HOUR // MINUTE):02d} of day {day + 1}"
