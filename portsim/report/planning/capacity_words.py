"""A capacity search's answer in travellers: how many a day (or, when the days differ, on the
one day every factor is measured on, by its date: ``on 2008-02-05``) and in the busiest
hour, as a clock interval, the demand factor a secondary detail — "Every target is met up
to 24,000 travellers a day of residents (0.6 × the scenario's 40,000), 1,920 in its busiest
hour, 09:00–10:00; visitors as given (8,000 a day)". Vehicle flows count their vehicles
(coaches, cars, trucks). Only a ``--scale`` path under a flow's arrivals is demand; for any
other (a routing share, a service time) the factor is all there is to say: ``0.8 × the
scenario's value of walkers (route, 1, p)``."""

from __future__ import annotations

from ...planning.capacity import CapacityResult
from ...planning.demand import Demand, demand_flow
from .words import count_words, demand_hour, path_words

__all__ = ["capacity_sentence", "demand_at", "demand_day", "factor_words", "others_sentence"]


def factor_words(factor: float) -> str:
    """``0.6 ×``: a factor on the scenario's demand."""
    return f"{factor:g} ×"


def _per_day(demand: Demand) -> str:
    """``a day``, or ``on 2008-02-05`` (``on day 2``) when the days differ: the one day
    every factor is measured on."""
    day = demand.day_words
    return "a day" if day is None else f"on {day}"


def _valued(factor: float, paths: list[str]) -> str:
    """``0.8 × the scenario's value of walkers (route, 1, p)``."""
    said = ", ".join(path_words(p) for p in paths)
    return f"{factor_words(factor)} the scenario's value of {said}"


def demand_day(result: CapacityResult) -> str:
    """``a day``, or ``on 2008-02-05``: the day a capacity search's demand is measured on."""
    return "a day" if result.base_demand is None else _per_day(result.base_demand)


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
        return _valued(factor, list(result.paths))
    besides = [p for p in result.paths if demand_flow(p) is None]  # scaled too, not demand
    also = f", and {_valued(factor, besides)}" if besides else ""
    base = result.base_demand
    of_base = f" {count_words(base.per_day, kinds=False)}" if base is not None else " demand"
    return (
        f"{count_words(demand.per_day)} {_per_day(demand)}{_whose(demand)} "
        f"({factor_words(factor)} the scenario's{of_base}), "
        f"{demand_hour(demand, result.days)}{also}{_others(demand) if others else ''}"
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
        what = "demand" if result.base_demand is not None else "factor"  # a share: no demand
        return f"Not even the smallest {what} tried meets every target: {said}"
    return f"Every target is met up to {demand_at(result, result.factor, others=others)}"
