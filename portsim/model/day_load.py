"""Offered load by the day: the overload warnings of a run with a calendar, opening hours or
opening rules.

Arrivals while the port is closed come to the lanes at its next opening, and those who reach
a stage with hours of its own while it is closed at the stage's; lanes count only while the
port (or the stage, with hours of its own) is open; a warning names the day type of its
hour, and says whether a group's opening rule may cover the gap (the load with every built
lane open while the plan staffs the group).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

from ..units import HOUR, HOURS_PER_DAY
from .days import PortHours
from .model import Model

__all__ = ["day_warnings", "forecast_hour"]

Load = Callable[[tuple[float, ...], float], float]


def _pieces(
    hours: PortHours | None, start: float, end: float
) -> Iterator[tuple[float, float, bool]]:
    """``[start, end)`` cut where the port opens or closes: ``(a, b, open)``."""
    if hours is None:
        yield start, end, True
        return
    t = start
    for a, b in hours.intervals:
        if b <= t:
            continue
        if a >= end:
            break
        if a > t:
            yield t, a, False
        yield max(a, t), min(b, end), True
        t = min(b, end)
        if t >= end:
            return
    if t < end:
        yield t, end, False


def hour_rates(model: Model, stage: PortHours | None = None) -> list[tuple[float, ...]]:
    """Per hour from 00:00 of day 1, each flow's entities per second coming to the lanes:
    those who come while the port is closed count in the hour it opens; with ``stage`` (a
    stage's own hours), those who come while the stage is closed count in the hour it opens
    (reckoned as if they reached it when they came in)."""
    count = math.ceil(model.horizon / HOUR)
    expected = [[0.0] * len(model.flows) for _ in range(count)]

    def add(at: float, flow: int, amount: float) -> None:
        if at < count * HOUR:
            expected[int(at // HOUR)][flow] += amount

    for flow in model.flows:
        rate = flow.entity_rate
        for k in range(count):
            for a, b, is_open in _pieces(model.hours, k * HOUR, (k + 1) * HOUR):
                if not is_open:
                    assert model.hours is not None
                    opening = model.hours.entry(b)
                    amount = rate.mean(a, b) * (b - a) if b > a else 0.0
                    add(opening if stage is None else stage.entry(opening), flow.index, amount)
                    continue
                for c, d, stage_open in _pieces(stage, a, b):
                    amount = rate.mean(c, d) * (d - c) if d > c else 0.0
                    at = c if stage_open or stage is None else stage.entry(d)
                    add(at, flow.index, amount)
    return [tuple(x / HOUR for x in row) for row in expected]


def _lanes(
    model: Model,
    groups: tuple[int, ...],
    start: float,
    end: float,
    built: bool,
    *,
    hours: PortHours | None,
) -> float:
    """Mean lanes open over ``[start, end)`` while open (``hours``: the port's, or the
    stage's own): the plan, or (``built``) every built lane of a group with an opening rule
    while its plan staffs it."""
    total = 0.0
    for a, b, is_open in _pieces(hours, start, end):
        if not is_open:
            continue
        for g in groups:
            spec = model.groups[g]
            rule = spec.rule
            if built and rule is not None and min(rule.open_queue, rule.open_wait) < math.inf:
                total += rule.built * spec.timetable.staffed_time(a, b)
            else:
                total += spec.timetable.lane_time(a, b)
    return total / (end - start)


def _hour(model: Model, k: int) -> str:
    day = k // HOURS_PER_DAY
    label = f"{k % HOURS_PER_DAY:02d}:00-{k % HOURS_PER_DAY + 1:02d}:00 of day {day + 1}"
    day_type = model.days.type_of(day) if model.days is not None else None
    return label + (f" ({day_type})" if day_type else "")


def _rule(model: Model, groups: tuple[int, ...], load: float) -> str:
    """What an opening rule may do about a load of 1 or more (``load``: with every lane
    built open)."""
    if not any(model.groups[g].rule is not None for g in groups):
        return ""
    if load < 1:
        return f"; an opening rule may cover it (with every built lane open: load {load:.2f})"
    return f"; even every built lane open would not (load {load:.2f})"


def forecast_hour(model: Model) -> int:
    """The first hour a forecast from a state runs (the one the state's time falls in); 0
    for a run from 00:00."""
    return 0 if model.initial is None else int(model.initial.at // HOUR)


def day_warnings(model: Model, what: str, groups: tuple[int, ...], load: Load) -> list[str]:
    """The warnings for ``what`` (served by ``groups``): over the whole run, else in the
    busiest hour of each day type (of the run, without a calendar)."""
    stage = model.stages[model.groups[groups[0]].stage].hours  # its own hours, if any
    hours = model.hours if stage is None else stage

    def lanes(start: float, end: float, built: bool) -> float:
        return _lanes(model, groups, start, end, built, hours=hours)

    span = (model.warmup, model.horizon)
    mean_rates = tuple(f.entity_rate.mean(*span) for f in model.flows)
    whole = load(mean_rates, lanes(*span, built=False))
    if whole >= 1:
        built = load(mean_rates, lanes(*span, built=True))
        return [
            f"{what}: offered load {whole:.2f} >= 1 over the run: its queue grows without "
            f"bound and waits depend on the horizon{_rule(model, groups, built)}"
        ]
    peaks: dict[str | None, tuple[float, int]] = {}
    by_hour = hour_rates(model, stage)
    for k, rates in enumerate(by_hour):
        if k < forecast_hour(model):
            continue  # before the state a forecast starts from: nothing of it is run
        start, end = k * HOUR, min(model.horizon, (k + 1) * HOUR)
        day_type = model.days.type_of(k // HOURS_PER_DAY) if model.days is not None else None
        hour_load = load(rates, lanes(start, end, built=False))
        if hour_load > peaks.get(day_type, (0.0, 0))[0]:
            peaks[day_type] = (hour_load, k)
    out = []
    for peak, k in peaks.values():
        rates = by_hour[k]
        start, end = k * HOUR, min(model.horizon, (k + 1) * HOUR)
        built = load(rates, lanes(start, end, built=True))
        if math.isinf(peak):
            out.append(
                f"{what}: no lane open in hour {_hour(model, k)} while travellers come to "
                f"the lanes: they wait for the next opening{_rule(model, groups, built)}"
            )
        elif peak >= 1:
            out.append(
                f"{what}: offered load {peak:.2f} >= 1 in hour {_hour(model, k)}: queues "
                f"build up during that peak{_rule(model, groups, built)}"
            )
    return out
