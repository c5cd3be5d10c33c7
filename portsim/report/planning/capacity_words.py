"""A capacity search's answer in travellers: how many a day (or on the busiest day, with its
date) and in the busiest hour, as a clock interval, the demand factor a secondary detail —
"Every target is met up to 24,000 travellers a day of residents (0.6 × the scenario's
40,000), 1,920 in its busiest hour, 09:00–10:00; visitors as given (8,000 a day)". Vehicle
flows count their vehicles (coaches, cars, trucks). Where no ``--scale`` path is a flow's
(a service time, say), the factor is all there is to say."""

from __future__ import annotations

from ...planning.capacity import CapacityResult
from ...planning.demand import Demand
from .words import count_words, demand_hour, path_words

__all__ = ["capacity_sentence", "demand_at", "factor_words", "others_sentence"]


def factor_words(factor: float) -> str:
    """``0.6 ×``: a factor on the scenario's demand."""
    return f"{factor:g} ×"


def _per_day(demand: Demand) -> str:
    """``a day``, or ``on its busiest day, 2008-02-04`` when the days differ."""
    if demand.day is None:
        return "a day"
    return f"on its busiest day, {demand.date or f'day {demand.day + 1}'}"


def _whose(demand: Demand) -> str:
    return f" of {', '.join(demand.flows)}" if demand.others else ""


def _others(demand: Demand) -> str:
    if not demand.others:
        return ""
    return (
        f"; {', '.join(demand.others)} as given ({count_words(demand.others_per_day)} "
        f"{_per_day(demand)})"
    )


def demand_at(result: CapacityResult, factor: float, *, others: bool = True) -> str:
    """The demand at a factor judged: ``24,000 travellers a day of residents (0.6 × the
    scenario's 40,000), 1,920 in its busiest hour, 09:00–10:00; visitors as given (8,000 a
    day)``; or ``0.6 × the scenario's value of …`` where the factor scales no flow."""
    demand = result.demand_at(factor)
    if demand is None:
        said = ", ".join(path_words(p) for p in result.paths)
        return f"{factor_words(factor)} the scenario's value of {said}"
    base = result.base_demand
    of_base = f" {count_words(base.per_day, kinds=False)}" if base is not None else " demand"
    return (
        f"{count_words(demand.per_day)} {_per_day(demand)}{_whose(demand)} "
        f"({factor_words(factor)} the scenario's{of_base}), "
        f"{demand_hour(demand, result.days)}{_others(demand) if others else ''}"
    )


def others_sentence(result: CapacityResult) -> str | None:
    """``residents as given (14,400 travellers a day)``: the flows not scaled, if any."""
    demand = result.demand_at(result.factor if result.factor is not None else result.factors[0])
    return _others(demand).removeprefix("; ") or None if demand is not None else None


def capacity_sentence(result: CapacityResult, *, others: bool = True) -> str:
    """The answer: ``Every target is met up to …`` (:func:`demand_at`), or that not even
    the smallest demand tried meets them (``others``: with the flows not scaled)."""
    if result.factor is None:
        said = demand_at(result, result.factors[0], others=others)
        return f"Not even the smallest demand tried meets every target: {said}"
    return f"Every target is met up to {demand_at(result, result.factor, others=others)}"
