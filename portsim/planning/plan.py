"""The cheapest configuration that meets every condition, found without running the whole grid.

**Why a search works.** Adding lanes to a first-come-first-served group never makes the
expected waits longer, and under common random numbers (every configuration's replication r
sees the same travellers and the same service draws) the estimates move together. So the
configurations that meet the conditions form an *up-set* of the grid: if one meets them, so
does every configuration with at least as many of each kind of lane. The search assumes
this of every numeric varied parameter (a larger value adds capacity) and uses it twice:

* **inference** — a configuration above one that meets the conditions meets them, and one
  below a configuration that fails them fails; neither is simulated;
* **bisection** — along the last parameter, the fewest lanes that meet the conditions is
  found by bisection; along the others, the levels are walked upwards from the fewest that
  can meet the conditions at all (itself a bisection with the other parameters at their
  largest), and the walk stops when even the cheapest completion of a level costs more than
  the best configuration found (costs are non-negative, so larger levels cost no less).

Named variants and words (a clearance mode) are not ordered: the search runs once per
combination of them. Every simulated configuration is confirmed statistically
(:mod:`.confirm`): it meets the conditions only if every interval clears its bound, with
replications added while an interval straddles it, up to a cap. Ties in cost go to the
configuration with the lower levels, in the order the parameters were given.

The answer comes with its evidence: the chosen configuration's checks, the configurations
one step cheaper along each parameter and why they fail, and the runs used against the full
grid's.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import UsageError
from ..model.days import Days
from ..scenario.spec import Scenario
from .confirm import Evidence, Judge
from .officers import PoolHours, day_shares, pool_of
from .shown import Shown
from .vary import Configuration, Parameter, configuration_of, grid

__all__ = ["Costs", "PlanResult", "parse_costs", "point_of", "scenario_costs", "search_cheapest"]

Point = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Costs:
    """A cost per unit of each numeric parameter, and per level of the others."""

    weights: dict[str, float]
    levels: dict[tuple[str, str], float] = field(default_factory=dict)

    def of(self, parameters: Sequence[Parameter], point: Point) -> float:
        total = 0.0
        for parameter, index in zip(parameters, point, strict=True):
            level = parameter.levels[index]
            if level.value is not None and parameter.numeric:
                total += self.weights.get(parameter.name, 0.0) * level.value
            else:
                total += self.levels.get((parameter.name, level.label), 0.0)
        return total


def point_of(parameters: Sequence[Parameter], configuration: Configuration) -> Point:
    """The level of each parameter a configuration of the grid takes."""
    labels = dict(configuration.values)
    return tuple([level.label for level in p.levels].index(labels[p.name]) for p in parameters)


def _matches(key: str, parameters: Sequence[Parameter]) -> list[Parameter]:
    """The parameters ``key`` names: one by its name or a part of its path, or every varied
    count of the staff pool it names (its size, or its shifts' officers)."""
    exact = [p for p in parameters if p.name == key]
    if exact:
        return exact[:1]
    found = [p for p in parameters if key in (p.path or p.name).split(".")]
    shifts = [pool_of(p.path) for p in found]
    one_pool = all(s is not None and s.pool == key for s in shifts)
    if len(found) > 1 and not one_pool:
        raise UsageError(f"--cost {key}: matches {', '.join(p.name for p in found)}: name one")
    return found


def parse_costs(
    text: str | Mapping[str, float] | None,
    parameters: Sequence[Parameter],
    *,
    shares: Mapping[str, float] | None = None,
    pools: Sequence[str] = (),
) -> Costs:
    """``"counters=1,egates=0.3"`` (or a mapping): a key names a parameter (its name, or a
    part of its path such as the lane group's name, or a staff pool: every varied count of
    it); ``NAME.LABEL=COST`` prices a level of a named variant or word. Without costs, each
    numeric parameter costs 1 a unit (the number of lanes, of officers). ``shares``: the
    share of the run's hours a parameter's unit is on duty (a shift's officers:
    :mod:`.officers`), by which its cost is multiplied; ``pools``: the scenario's staff
    pools, for the problem of a cost naming one that no parameter varies."""
    share = shares or {}
    numeric = [p for p in parameters if p.numeric]
    if text is None:
        return Costs({p.name: share.get(p.name, 1.0) for p in numeric})
    items = text.items() if isinstance(text, Mapping) else _cost_items(text)
    weights: dict[str, float] = {}
    levels: dict[tuple[str, str], float] = {}
    for key, value in items:
        if value < 0 or not math.isfinite(value):
            raise UsageError(f"--cost {key}: a cost must be a non-negative number")
        found = [p for p in _matches(key, parameters) if p.numeric]
        if found:
            weights |= {p.name: value * share.get(p.name, 1.0) for p in found}
            continue
        name, _, label = key.rpartition(".")
        owner = next(iter(_matches(name, parameters)), None) if name else None
        if owner is None or label not in {lv.label for lv in owner.levels}:
            raise UsageError(_no_parameter(key, pools))
        levels[(owner.name, label)] = value
    missing = [p.name for p in numeric if p.name not in weights]
    if missing:
        raise UsageError(f"--cost: give a cost for {', '.join(missing)}")
    return Costs(weights, levels)


def scenario_costs(
    text: str | Mapping[str, float] | None, parameters: Sequence[Parameter], scenario: Scenario
) -> Costs:
    """:func:`parse_costs` for a plan of ``scenario``: a shift's officers priced by their
    share of the run's hours on duty, a cost naming one of its pools that no parameter
    varies told so."""
    pools = [p.name for p in scenario.staff]
    return parse_costs(text, parameters, shares=day_shares(scenario, parameters), pools=pools)


def _no_parameter(key: str, pools: Sequence[str]) -> str:
    if key in pools:
        return (
            f"--cost {key}: the {key} pool is not varied: vary its size "
            f"(staff.{key}.count=…) or a shift's officers (staff.{key}.schedule.0.count=…)"
        )
    known = f" (staff pools: {', '.join(pools)})" if pools else ""
    return f"--cost {key}: no varied parameter, level or staff pool of that name{known}"


def _cost_items(text: str) -> list[tuple[str, float]]:
    items = []
    for part in text.split(","):
        key, sep, value = part.partition("=")
        try:
            items.append((key.strip(), float(value)))
        except ValueError:
            sep = ""
        if not sep or not key.strip():
            raise UsageError(f"--cost: expected NAME=COST[,NAME=COST], got {part.strip()!r}")
    return items


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class PlanResult(Shown):
    """The cheapest configuration meeting the conditions, and the evidence for it."""

    parameters: tuple[Parameter, ...]
    chosen: Evidence | None
    cost: float | None
    #: one step cheaper along each numeric parameter: why each is not enough
    cheaper: tuple[Evidence, ...]
    #: every configuration judged, in the order it was judged
    judged: tuple[Evidence, ...]
    simulated: int
    reused: int
    grid_configurations: int
    replications: int
    max_replications: int
    method: str
    #: the cost of each configuration judged, in the order of ``judged``
    judged_costs: tuple[float, ...] = ()
    seed: int | None = None
    #: the days of the run (types and dates from the calendar): what an hour is labelled by
    days: Days | None = None
    #: each staff pool's officer-hours in the chosen configuration (none without pools)
    officers: tuple[PoolHours, ...] = ()

    @property
    def grid_runs(self) -> int:
        """The fewest runs the whole grid would take (every configuration at the starting
        replications)."""
        return self.grid_configurations * self.replications

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "chosen": self.chosen.to_dict() if self.chosen else None,
            "cost": self.cost,
            "cheaper": [e.to_dict() for e in self.cheaper],
            "judged": [e.to_dict() for e in self.judged],
            "runs": {"simulated": self.simulated, "reused": self.reused},
            "grid": {"configurations": self.grid_configurations, "runs": self.grid_runs},
            "replications": [self.replications, self.max_replications],
            "method": self.method,
        } | ({"officers": [p.to_dict() for p in self.officers]} if self.officers else {})


class _Search:
    """The monotone search of one combination of the unordered parameters."""

    def __init__(
        self,
        parameters: Sequence[Parameter],
        judge: Judge,
        cost: Callable[[Point], float],
        fixed: Mapping[int, int],
    ) -> None:
        self.parameters = parameters
        self.judge = judge
        self.cost = cost
        self.fixed = fixed  # index of an unordered parameter → its level
        self.free = [i for i in range(len(parameters)) if i not in fixed]
        self.met: list[Point] = []
        self.failed: list[Point] = []
        self.best: tuple[float, Point] | None = None

    def point(self, free: Sequence[int]) -> Point:
        values = dict(zip(self.free, free, strict=True)) | dict(self.fixed)
        return tuple(values[i] for i in range(len(self.parameters)))

    def meets(self, free: Sequence[int]) -> bool:
        point = self.point(free)
        if any(all(m <= p for m, p in zip(met, point, strict=True)) for met in self.met):
            return True
        if any(all(p <= f for p, f in zip(point, fail, strict=True)) for fail in self.failed):
            return False
        configuration = configuration_of(self.parameters, point)
        (evidence,) = self.judge.evaluate([configuration], f"plan: {configuration.label()}")
        (self.met if evidence.meets else self.failed).append(point)
        return evidence.meets

    def top(self, d: int) -> int:
        return len(self.parameters[self.free[d]].levels) - 1

    def first_met(self, prefix: list[int], lo: int, hi: int) -> int | None:
        """The lowest level of free dimension ``len(prefix)`` in [lo, hi] that meets the
        conditions with the later dimensions at their largest, or None."""
        rest = [self.top(d) for d in range(len(prefix) + 1, len(self.free))]
        if lo > hi or not self.meets([*prefix, hi, *rest]):
            return None
        while lo < hi:
            mid = (lo + hi) // 2
            if self.meets([*prefix, mid, *rest]):
                hi = mid
            else:
                lo = mid + 1
        return hi

    def floor_cost(self, prefix: list[int]) -> float:
        return self.cost(self.point([*prefix, *([0] * (len(self.free) - len(prefix)))]))

    def run(self, prefix: list[int], bound: tuple[float, Point] | None) -> None:
        """Find the cheapest configuration below ``prefix``, better than ``bound``."""
        d = len(prefix)
        start = self.first_met(prefix, 0, self.top(d))
        if start is None:
            return
        if d == len(self.free) - 1:
            candidate = (self.cost(self.point([*prefix, start])), self.point([*prefix, start]))
            if self.best is None or candidate < self.best:
                self.best = candidate
            return
        for level in range(start, self.top(d) + 1):
            best = min(filter(None, (self.best, bound)), default=None)
            if best is not None and self.floor_cost([*prefix, level]) > best[0]:
                break
            self.run([*prefix, level], best)


def search_cheapest(
    parameters: Sequence[Parameter], judge: Judge, costs: Costs, *, exhaustive: bool = False
) -> tuple[Evidence | None, float | None, list[Evidence]]:
    """The cheapest configuration meeting the judge's conditions (None if none does), its cost,
    and the configurations one step cheaper along each numeric parameter."""
    if not parameters:
        raise UsageError("plan: vary at least one parameter")
    for p in parameters:
        if p.numeric and [lv.value for lv in p.levels] != sorted(lv.value or 0 for lv in p.levels):
            raise UsageError(f"{p.name}: give its values in increasing order")

    def cost(point: Point) -> float:
        return costs.of(parameters, point)

    if exhaustive:
        best = _exhaustive(parameters, judge, cost)
    else:
        best = None
        unordered = [i for i, p in enumerate(parameters) if not p.numeric]
        for levels in itertools.product(*(range(len(parameters[i].levels)) for i in unordered)):
            search = _Search(parameters, judge, cost, dict(zip(unordered, levels, strict=True)))
            if search.free:
                search.run([], best)
            elif search.meets([]):
                search.best = (cost(search.point([])), search.point([]))
            if search.best is not None and (best is None or search.best < best):
                best = search.best
    if best is None:
        return None, None, []
    chosen_cost, point = best
    (chosen,) = judge.evaluate([configuration_of(parameters, point)], "plan: the answer")
    steps = [
        (*point[:i], point[i] - 1, *point[i + 1 :])
        for i, p in enumerate(parameters)
        if p.numeric and point[i] > 0
    ]
    cheaper = judge.evaluate([configuration_of(parameters, s) for s in steps], "plan: evidence")
    return chosen, chosen_cost, cheaper


def _exhaustive(
    parameters: Sequence[Parameter], judge: Judge, cost: Callable[[Point], float]
) -> tuple[float, Point] | None:
    """The reference answer: every configuration of the grid judged."""
    configurations = grid(parameters)
    evidence = judge.evaluate(configurations, "plan: the whole grid")
    points = list(itertools.product(*(range(len(p.levels)) for p in parameters)))
    met = [(cost(p), p) for p, e in zip(points, evidence, strict=True) if e.meets]
    return min(met) if met else None
