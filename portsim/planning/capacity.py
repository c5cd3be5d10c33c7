"""Design capacity: the largest demand that still meets the conditions.

Demand is scaled by a factor on one or several fields (``flows.visitors.arrivals.daily_total``,
``flows.residents.arrivals.rate``: any number of the scenario), all by the same factor,
taken from a grid of factors (``0.5:3:0.01`` by default). More demand never shortens the
expected waits, so the factors that meet the conditions are the ones up to some largest; it is
found by bisection over the grid: the smallest and largest factors first (is there an
answer within the grid at all?), then halving the bracket between a factor that meets the
conditions and one that does not — about log2(factors) + 2 judgements instead of one per
factor. Each judgement is the statistical confirmation of :mod:`.confirm`, and every factor
runs the same replications (common random numbers: with more demand, the same travellers
come, closer together).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from ..errors import UsageError
from ..model.days import Days
from ..units import shown
from .confirm import Evidence, Judge
from .demand import Demand
from .shown import Shown
from .vary import Configuration, parse_values

__all__ = [
    "DEFAULT_FACTORS",
    "CapacityResult",
    "check_scalable",
    "check_scale",
    "scale_configuration",
    "search_capacity",
]

DEFAULT_FACTORS = "0.5:3:0.01"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class CapacityResult(Shown):
    """The largest factor meeting the conditions, the evidence, and the runs used."""

    paths: tuple[str, ...]
    factors: tuple[float, ...]
    #: the largest factor meeting the conditions (None: not even the smallest)
    factor: float | None
    #: each scaled field's value at that factor
    values: dict[str, float]
    chosen: Evidence | None
    #: the next factor up, which does not meet them (None: the largest factor meets them)
    next_up: Evidence | None
    judged: tuple[Evidence, ...]
    simulated: int
    reused: int
    replications: int
    max_replications: int
    method: str
    seed: int | None = None
    #: the days of the run (types and dates from the calendar): what an hour is labelled by
    days: Days | None = None
    #: the demand at each factor judged, in travellers (or vehicles) a day and in the
    #: busiest hour (none where no ``--scale`` path is a flow's)
    demand: dict[float, Demand] = field(default_factory=dict)
    #: the demand of the scenario as given (factor 1)
    base_demand: Demand | None = None

    def demand_at(self, factor: float | None) -> Demand | None:
        """The demand at a factor judged (None: not known there)."""
        return None if factor is None else self.demand.get(factor)

    @property
    def grid_runs(self) -> int:
        """The fewest runs judging every factor would take."""
        return len(self.factors) * self.replications

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "scale": list(self.paths),
            "factor": self.factor,
            "values": self.values,
            "chosen": self.chosen.to_dict() if self.chosen else None,
            "next_up": self.next_up.to_dict() if self.next_up else None,
            "judged": [e.to_dict() for e in self.judged],
            "runs": {"simulated": self.simulated, "reused": self.reused},
            "grid": {"factors": len(self.factors), "runs": self.grid_runs},
            "replications": [self.replications, self.max_replications],
            "method": self.method,
            "demand": (d.to_dict() if (d := self.demand_at(self.factor)) else None),
        }


def _lookup(data: Mapping[str, Any], path: str) -> Any:
    def step(node: Any, part: str) -> Any:
        if isinstance(node, Mapping) and part in node:
            return node[part]
        if isinstance(node, list):
            for item in node:
                if isinstance(item, Mapping) and item.get("name") == part:
                    return item
            if part.isdigit() and int(part) < len(node):
                return node[int(part)]
        raise UsageError(f"--scale {path}: no field {part!r} there")

    return reduce(step, path.split("."), data)


def scale_configuration(
    base: Mapping[str, Any], paths: Sequence[str], factor: float
) -> Configuration:
    """The configuration that multiplies each path's number by ``factor``."""
    assignments = []
    for path in paths:
        value = _lookup(base, path)
        check_scalable(path, value)
        assignments.append((path, value * factor))
    return Configuration((("scale", f"{factor:g}"),), tuple(assignments))


def check_scale(base: Mapping[str, Any], paths: Sequence[str]) -> None:
    """Before anything runs: each path names a demand factors can scale
    (:func:`check_scalable`)."""
    for path in paths:
        check_scalable(path, _lookup(base, path))


def check_scalable(path: str, value: Any) -> None:
    """A demand that factors such as 1.37 can scale: a number that may have decimals (the
    base's plain data writes a field of whole numbers as an int), or a
    :class:`UsageError` saying what to scale instead."""
    if isinstance(value, Mapping):
        each = " ".join(f"--scale {path}.{key}" for key in value)
        raise UsageError(f"--scale {path}: it is given by day type: scale each, {each}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UsageError(f"--scale {path}: the value there is not a number ({shown(value)})")
    if isinstance(value, int):
        raise UsageError(
            f"--scale {path}: a whole number ({value}), which a factor such as 1.37 would make "
            f"{value * 1.37:g}: scale a demand that takes any number (a daily_total, a rate), "
            f"or try whole numbers with portsim sweep --vary {path}=LOW:HIGH"
        )


def parse_factors(text: str | Sequence[float]) -> tuple[float, ...]:
    """Factors from ``LO:HI:STEP`` or a list, in increasing order, all positive."""
    try:
        values = parse_values(text) if isinstance(text, str) else list(text)
    except ValueError as error:
        raise UsageError(f"--factors: {error}") from None
    if not values or not all(isinstance(v, int | float) and v > 0 for v in values):
        raise UsageError("--factors: give positive numbers, e.g. 0.5:3:0.01")
    factors = tuple(float(v) for v in values)
    if list(factors) != sorted(set(factors)):
        raise UsageError("--factors: give them in increasing order")
    return factors


def search_capacity(
    base: Mapping[str, Any],
    paths: Sequence[str],
    factors: Sequence[float],
    judge: Judge,
    *,
    exhaustive: bool = False,
) -> tuple[int | None, list[Evidence]]:
    """The index of the largest factor meeting the conditions (None if none does), and the
    evidence at it and the factor above."""
    configurations = [scale_configuration(base, paths, f) for f in factors]

    def meets(i: int) -> bool:
        (evidence,) = judge.evaluate([configurations[i]], f"capacity: {factors[i]:g} × demand")
        return evidence.meets

    if exhaustive:
        judged = judge.evaluate(configurations, "capacity: every factor")
        met = [i for i, e in enumerate(judged) if e.meets]
        found = max(met) if met else None
    else:
        found = _bisect(meets, len(factors))
    shown = [i for i in (found, (found + 1) if found is not None else 0) if i is not None]
    shown = [i for i in shown if i < len(factors)]
    return found, judge.evaluate([configurations[i] for i in shown], "capacity: evidence")


def _bisect(meets: Any, count: int) -> int | None:
    """The largest index that meets, for a predicate true up to some index."""
    if not meets(0):
        return None
    if meets(count - 1):
        return count - 1
    lo, hi = 0, count - 1  # meets at lo, not at hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if meets(mid):
            lo = mid
        else:
            hi = mid
    return lo


def demand_note(values: Mapping[str, float]) -> str:
    """``flows.visitors.arrivals.daily_total = 31,200`` lines for a report."""
    return "; ".join(f"{p} = {v:,.6g}" if math.isfinite(v) else p for p, v in values.items())
