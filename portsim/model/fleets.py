"""A shuttle's fleet against its demand, before the run: a fleet of ``n`` buses of ``s``
seats, each away ``ride + back`` after leaving, carries at most ``n·s / (ride + back)``
travellers a second. Whoever reaches the stop faster than that waits longer and longer for
a bus: the planner is told, over the run or in its busiest hour, as the lanes' offered load
is (:mod:`.overload`). A bus always at the stop (no fleet) carries everyone."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

from ..units import HOUR, HOURS_PER_DAY
from .model import CompiledShuttle, Model
from .routes import Alight, Board, Branch, Choose, Meet, Move, Program, Visit

__all__ = ["boardings", "fleet_warnings"]

#: each subflow's entities a second on average between two times
Rates = Callable[[float, float], tuple[float, ...]]


def boardings(program: Program, shuttle: int) -> float:
    """How many times an entity of ``program`` boards ``shuttle`` on average: the chance of
    each of its ``Board`` steps for that shuttle, by the route's branches and choices."""

    @cache
    def after(index: int) -> float:
        """Expected boardings from step ``index`` on (the program's steps lead forward)."""
        step = program[index]
        if isinstance(step, Board):
            return (step.shuttle == shuttle) + after(step.next)
        if isinstance(step, Visit | Move | Alight | Meet):
            return after(step.next)
        if isinstance(step, Branch):
            return step.p * after(step.yes) + (1 - step.p) * after(step.no)
        if isinstance(step, Choose):
            chosen = math.fsum(p for p, _ in step.options)
            rest = (1 - chosen) * after(step.no) if chosen < 1 else 0.0
            return math.fsum(p * after(to) for p, to in step.options) + rest
        return 0.0  # the exit

    return after(0)


def _reaching(model: Model, rates: Rates, shuttle: int, start: float, end: float) -> float:
    """Travellers a second who board ``shuttle`` (and so reach its stop) between ``start``
    and ``end``."""
    rides = [boardings(sub.program, shuttle) for sub in model.subflows]
    pairs = zip(rates(start, end), rides, strict=True)
    return math.fsum(r * n for r, n in pairs if n > 0)


def _carried(shuttle: CompiledShuttle) -> float:
    assert shuttle.fleet is not None
    return shuttle.fleet * shuttle.seats / shuttle.away if shuttle.away > 0 else math.inf


def fleet_warnings(model: Model, rates: Rates) -> list[str]:
    """A warning for each shuttle whose fleet cannot carry those who reach its stop (with
    the subflows' ``rates``): over the run (the queue at the stop grows without bound),
    else in its busiest hour."""
    warnings = []
    for index, shuttle in enumerate(model.shuttles):
        if shuttle.fleet is None:
            continue
        stage = model.stages[shuttle.stage].name
        most = _carried(shuttle)
        buses = "bus carries" if shuttle.fleet == 1 else "buses carry"
        what = (
            f"the shuttle from stage {stage!r}: its {shuttle.fleet} {buses} at most "
            f"{most * HOUR:,.0f} an hour"
        )
        whole = _reaching(model, rates, index, model.warmup, model.horizon)
        if whole >= most:
            warnings.append(
                f"{what}, {_than(most, whole)} {whole * HOUR:,.0f} an hour who reach it over "
                "the run: the queue at the stop grows without bound"
            )
            continue
        hours = range(math.ceil(model.horizon / HOUR))
        peak, k = max((_reaching(model, rates, index, h * HOUR, (h + 1) * HOUR), h) for h in hours)
        if peak >= most:
            warnings.append(
                f"{what}, {_than(most, peak)} {peak * HOUR:,.0f} who reach it in hour "
                f"{k % HOURS_PER_DAY:02d}:00-{k % HOURS_PER_DAY + 1:02d}:00 of day "
                f"{k // HOURS_PER_DAY + 1}: a queue builds up at the stop"
            )
    return warnings


def _than(carried: float, reaching: float) -> str:
    """``fewer than the`` (those who reach the stop, per hour), or ``no more than the``
    where the two read alike (a fleet that only just carries everyone cannot catch up: its
    queue grows as at a load of 1)."""
    alike = f"{carried * HOUR:,.0f}" == f"{reaching * HOUR:,.0f}"
    return "no more than the" if alike else "fewer than the"
