"""A shuttle's fleet against its demand, before the run: a fleet of ``n`` buses of ``s``
seats, each away ``ride + back`` after leaving, carries at most ``n·s / (ride + back)``
travellers a second. Whoever reaches the stop faster than that waits longer and longer for
a bus: the planner is told, over the run or in its busiest hour, as the lanes' offered load
is (:mod:`.overload`). A bus always at the stop (no fleet) carries everyone."""

from __future__ import annotations

import math
from collections.abc import Callable

from ..units import HOUR, HOURS_PER_DAY
from .model import CompiledShuttle, Model

__all__ = ["fleet_warnings"]

#: each subflow's entities a second on average between two times
Rates = Callable[[float, float], tuple[float, ...]]


def _reaching(model: Model, rates: Rates, stage: int, start: float, end: float) -> float:
    """Travellers a second who visit ``stage`` (and so reach its stop, at most) between
    ``start`` and ``end``."""
    pairs = zip(rates(start, end), model.subflows, strict=True)
    return math.fsum(r * sub.visits[stage] for r, sub in pairs)


def _carried(shuttle: CompiledShuttle) -> float:
    assert shuttle.fleet is not None
    return shuttle.fleet * shuttle.seats / shuttle.away if shuttle.away > 0 else math.inf


def fleet_warnings(model: Model, rates: Rates) -> list[str]:
    """A warning for each shuttle whose fleet cannot carry those who reach its stop (with
    the subflows' ``rates``): over the run (the queue at the stop grows without bound),
    else in its busiest hour."""
    warnings = []
    for shuttle in model.shuttles:
        if shuttle.fleet is None:
            continue
        stage = model.stages[shuttle.stage].name
        most = _carried(shuttle)
        what = (
            f"the shuttle from stage {stage!r}: its {shuttle.fleet} bus"
            f"{'es' * (shuttle.fleet != 1)} carry at most {most * HOUR:,.0f} an hour"
        )
        whole = _reaching(model, rates, shuttle.stage, model.warmup, model.horizon)
        if whole >= most:
            warnings.append(
                f"{what}, fewer than the {whole * HOUR:,.0f} an hour who reach it over the "
                "run: the queue at the stop grows without bound"
            )
            continue
        hours = range(math.ceil(model.horizon / HOUR))
        peak, k = max(
            (_reaching(model, rates, shuttle.stage, h * HOUR, (h + 1) * HOUR), h) for h in hours
        )
        if peak >= most:
            warnings.append(
                f"{what}, fewer than the {peak * HOUR:,.0f} who reach it in hour "
                f"{k % HOURS_PER_DAY:02d}:00-{k % HOURS_PER_DAY + 1:02d}:00 of day "
                f"{k // HOURS_PER_DAY + 1}: a queue builds up at the stop"
            )
    return warnings
