"""What the plots and the HTML report of a sweep, a plan and a capacity search show, as plain
data: each configuration judged, with each condition's estimate, interval and status, and the
answer in sentences (the cheapest configuration and its runner-up; the most the hall takes).

A sweep's configurations are judged by the plan's rule (:mod:`portsim.planning.confirm`) on the
intervals of its table: a condition is met when its whole 95 % interval lies on the right side
of the bound, failed when it lies wholly on the wrong side, else inconclusive (a sweep adds
no replications).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from ...model.days import Days
from ...planning.capacity import CapacityResult, demand_note
from ...planning.conditions import Condition
from ...planning.confirm import FAILED, INCONCLUSIVE, MET, Evidence, deciding_hours
from ...planning.officers import COST_WORDS, PoolHours, costs_shifts, pool_of
from ...planning.plan import PlanResult, parse_costs, point_of
from ...planning.requests import PlanningResult
from ...planning.staffing import StaffingResult
from ...planning.sweep import SweepResult, column_of
from ...planning.vary import Configuration
from ...results.catalog import OFFICER_HOURS, OFFICER_HOURS_ON_DUTY
from ...units import HOURS_PER_DAY, counted
from ..answer import Answer
from ..cells import stat_text
from .capacity_words import capacity_sentence, demand_at, factor_words, others_sentence
from .words import (
    ColumnUnit,
    check_words,
    condition_words,
    configuration_words,
    hour_label,
    path_words,
)

__all__ = [
    "GIVE_TARGETS",
    "Cell",
    "Judged",
    "cell_text",
    "chosen_point",
    "judged_rows",
    "planning_answer",
    "planning_conditions",
    "schedule_span_words",
    "sweep_cell",
]


@dataclass(frozen=True, slots=True)
class Cell:
    """One condition at one configuration: the estimate, its interval and the status."""

    mean: float
    ci: tuple[float, float] | None
    status: str
    #: the hour that decided an ``each hour`` condition (from 00:00 of day 1)
    hour: int | None = None
    #: the other hours that tie with it, and the hours judged
    #: (:class:`~portsim.planning.confirm.Check`)
    alike: int = 0
    hours: int = 0


@dataclass(frozen=True, slots=True)
class Judged:
    """A configuration judged: its levels (``point``: the index of each parameter's
    level; a capacity search's factor index), each condition's cell, the status over all
    conditions, the replications and the cost (a plan's; a sweep's at 1 a unit)."""

    configuration: Configuration
    point: tuple[int, ...]
    cells: tuple[Cell, ...]
    status: str
    replications: int
    cost: float | None = None


def planning_conditions(result: PlanningResult) -> tuple[Condition, ...]:
    """The conditions a planning result is judged by, in the order given."""
    if isinstance(result, SweepResult):
        return result.targets
    judged = result.judged if isinstance(result, PlanResult | CapacityResult) else ()
    return tuple(c.condition for c in judged[0].checks) if judged else ()


def _status(statuses: Sequence[str]) -> str:
    if FAILED in statuses:
        return FAILED
    return INCONCLUSIVE if any(s != MET for s in statuses) else MET


def sweep_cell(result: SweepResult, row: Sequence[object], condition: Condition) -> Cell:
    """A condition at one row of a sweep's table, judged on the row's interval."""
    stat = result.stat(row, column_of(condition.key()))
    if stat is None:
        return Cell(math.nan, None, FAILED)
    mean, ci = stat.mean, stat.interval
    if math.isnan(mean):
        return Cell(mean, None, FAILED)
    if ci is None:
        return Cell(mean, None, INCONCLUSIVE)
    low, high = ci
    right = condition.meets(low) and condition.meets(high)
    wrong = not condition.meets(low) and not condition.meets(high)
    return Cell(mean, ci, MET if right else FAILED if wrong else INCONCLUSIVE)


def _evidence_cells(evidence: Evidence) -> tuple[Cell, ...]:
    return tuple(Cell(c.mean, c.ci, c.status, c.hour, c.alike, c.hours) for c in evidence.checks)


def judged_rows(result: SweepResult | PlanResult | CapacityResult) -> list[Judged]:
    """Every configuration judged: a sweep's whole grid (in its order, with the cost of 1 a
    unit of each varied number, as a plan without ``--cost``), a plan's and a capacity
    search's in the order they were judged."""
    if isinstance(result, SweepResult):
        points = itertools.product(*(range(len(p.levels)) for p in result.parameters))
        costs = parse_costs(None, result.parameters)
        rows = []
        for configuration, row, point in zip(
            result.configurations, result.rows, points, strict=True
        ):
            cells = tuple(sweep_cell(result, row, t) for t in result.targets)
            status = _status([c.status for c in cells])
            cost = costs.of(result.parameters, point)
            rows.append(Judged(configuration, point, cells, status, result.replications, cost))
        return rows
    if isinstance(result, PlanResult):
        costs_of = result.judged_costs or (None,) * len(result.judged)
        return [
            Judged(
                e.configuration,
                point_of(result.parameters, e.configuration),
                _evidence_cells(e),
                e.status,
                e.replications,
                cost,
            )
            for e, cost in zip(result.judged, costs_of, strict=True)
        ]
    labels = [f"{f:g}" for f in result.factors]
    return [
        Judged(
            e.configuration,
            (labels.index(dict(e.configuration.values)["scale"]),),
            _evidence_cells(e),
            e.status,
            e.replications,
        )
        for e in result.judged
    ]


def chosen_point(result: PlanningResult) -> tuple[int, ...] | None:
    """The point of the configuration the answer chooses, as :class:`Judged` has it: a
    plan's cheapest meeting every condition, a sweep's smallest (as the answer says), a
    capacity search's largest factor (its index); None when there is none."""
    if isinstance(result, PlanResult):
        chosen = result.chosen
        return None if chosen is None else point_of(result.parameters, chosen.configuration)
    if isinstance(result, CapacityResult):
        return None if result.factor is None else (result.factors.index(result.factor),)
    if isinstance(result, SweepResult) and result.targets:
        meeting = [r for r in judged_rows(result) if r.status == MET]
        best = min(meeting, key=lambda r: (r.cost or 0.0, r.point), default=None)
        return None if best is None else best.point
    return None


def cell_text(
    condition: Condition, cell: Cell, unit: ColumnUnit | None = None, days: Days | None = None
) -> str:
    """``12.3 min [11.0 min, 13.5 min] met``; in a column's ``unit`` (its header names it),
    ``12.3 (11.0 – 13.5) met``; an ``each hour`` condition's deciding hour as
    ``in 09:00–10:00`` (``in each of the 14 hours`` when every hour ties)."""
    ci = cell.ci
    hour = deciding_hours(cell.hour, cell.alike, cell.hours, lambda h: hour_label(h, days))
    if unit is not None:
        return f"{unit.interval(cell.mean, ci)}{hour} {cell.status}"
    shown = (
        f" [{condition.show(ci[0], cell.mean)}, {condition.show(ci[1], cell.mean)}]" if ci else ""
    )
    return f"{condition.show(cell.mean)}{shown}{hour} {cell.status}"


def _checks(conditions: Sequence[Condition], judged: Judged, days: Days | None = None) -> str:
    return "; ".join(
        f"{condition_words(t)}: {cell_text(t, c, days=days)}"
        for t, c in zip(conditions, judged.cells, strict=True)
    )


def _said(result: SweepResult | PlanResult, judged: Judged | Evidence) -> str:
    """A configuration in words (``egates at hall (lanes) 9, counters at hall (lanes) 8``)."""
    return configuration_words(result.parameters, judged.configuration.values)


def _reasons(evidence: Evidence, days: Days | None) -> str:
    return "; ".join(check_words(c, days) for c in evidence.checks if c.status != MET)


#: how to give targets, by where the result was asked for: the command line, Python, or
#: either (a result does not know)
GIVE_TARGETS = {
    "command": "give --target",
    "python": "give targets=",
    "either": "give targets (--target on the command line, targets= in Python)",
}


def _sweep_answer(result: SweepResult, asked: str) -> Answer:
    rows = judged_rows(result)
    n = len(rows)
    if not result.targets:
        return Answer(
            f"{counted(n, 'configuration')}, {counted(result.replications, 'replication')} each",
            "info",
            [f"No targets: {GIVE_TARGETS[asked]} or pledges in the scenario to judge them."],
        )
    meeting = sorted((r for r in rows if r.status == MET), key=lambda r: (r.cost, r.point))
    meet = "meets" if len(meeting) == 1 else "meet"
    said = f"{len(meeting)} of {counted(n, 'configuration')} {meet} every target"
    if not meeting:
        closest = min(rows, key=lambda r: sum(c.status != MET for c in r.cells))
        points = [f"Closest: {_said(result, closest)}: {_checks(result.targets, closest)}."]
        return Answer(f"No configuration meets every target ({said})", "fail", points)
    numeric = [p for p in result.parameters if p.numeric]
    counts = numeric and all((p.path or "").endswith(".count") for p in numeric)
    staff = {pool_of(p.path) is not None for p in numeric}
    counted_as = (
        "officers" if staff == {True} else "lanes" if staff == {False} else "lanes and officers"
    )
    by = f"fewest {counted_as} in total" if counts else "smallest sum of the varied numbers"
    best, *others = meeting
    points = [
        f"The smallest ({by}, as plan counts without --cost): "
        f"{_said(result, best)}: {_checks(result.targets, best)}."
    ]
    if others:
        points.append(
            f"Runner-up: {_said(result, others[0])}: {_checks(result.targets, others[0])}."
        )
    tone = "pass" if len(meeting) == n else "mixed"
    return Answer(f"{said}: the smallest is {_said(result, best)}", tone, points)


def _runs(result: PlanResult | CapacityResult, grid: str) -> str:
    used = result.simulated + result.reused
    what = "configuration" if isinstance(result, PlanResult) else "factor"
    return (
        f"{counted(len(result.judged), what)} judged with {counted(used, 'run')} "
        f"({result.reused} from the store), against at least {result.grid_runs} for {grid}."
    )


def _plan_answer(result: PlanResult) -> Answer:
    conditions = planning_conditions(result)
    if result.chosen is None:
        points = [_runs(result, "the whole grid")]
        return Answer("No configuration of the grid meets every target", "fail", points)
    chosen = result.chosen
    days = result.days
    points = [f"{check_words(c, days)}." for c in chosen.checks]
    others = [
        r
        for r in judged_rows(result)
        if r.status == MET and r.configuration != chosen.configuration
    ]
    if others:
        runner = min(others, key=lambda r: (math.inf if r.cost is None else r.cost, r.point))
        cost = f" (cost {runner.cost:g})" if runner.cost is not None else ""
        points.append(
            f"Runner-up: {_said(result, runner)}{cost}: {_checks(conditions, runner, days)}."
        )
    else:
        points.append(
            "Runner-up: none other judged; every configuration with at least as much of "
            "each parameter meets the targets too."
        )
    for e in result.cheaper:
        points.append(f"One step cheaper, {_said(result, e)}, is {e.status}: {_reasons(e, days)}.")
    points += _officers(result.officers)
    if costs_shifts(result.parameters):
        points.append(f"Cost: {COST_WORDS}.")
    points.append(_runs(result, "the whole grid"))
    cost = f" (cost {result.cost:g})" if result.cost is not None else ""
    headline = f"Cheapest configuration meeting every target: {_said(result, chosen)}{cost}"
    return Answer(headline, "pass", points)


def _officers(pools: Sequence[PoolHours]) -> list[str]:
    """Each staff pool's officer-hours in the answer, with the interval of those committed."""
    return [
        f"{p.pool} pool: {stat_text(OFFICER_HOURS, p.committed, interval=True)} officer-hours "
        f"committed of {stat_text(OFFICER_HOURS_ON_DUTY, p.on_duty)} on duty after the warm-up."
        for p in pools
    ]


def _capacity_answer(result: CapacityResult) -> Answer:
    hi = result.factors[-1]
    days = result.days
    points = []
    headline = capacity_sentence(result, others=False)
    others = others_sentence(result)
    points += [f"{others[0].upper()}{others[1:]}."] if others else []
    if result.chosen is None or result.factor is None:
        tone = "fail"
    else:
        tone = "pass"
        points.append(
            f"In the scenario file, at {factor_words(result.factor)}: {demand_note(result.values)}."
        )
        points += [f"{check_words(c, days)}." for c in result.chosen.checks]
        if result.factor == hi:
            points.append(
                f"{factor_words(hi)} is the largest factor tried: the hall may take more."
            )
    if result.next_up is not None:
        e = result.next_up
        factor = float(dict(e.configuration.values)["scale"])
        reasons = _reasons(e, days) or "every target met"
        if result.factor is None:  # the smallest factor: the headline has its demand
            points.append(
                f"At the smallest factor, {factor_words(factor)}, {e.status} because: {reasons}."
            )
        else:
            points.append(
                f"The next factor up, {demand_at(result, factor, others=False)}, is "
                f"{e.status}: {reasons}."
            )
    points.append(
        "Travellers a day and in the busiest hour are the expected arrivals of the scenario's "
        "arrivals at each factor, not counts from the runs."
    )
    points.append(_runs(result, "every factor"))
    return Answer(headline, tone, points)


def schedule_span_words(hours: int) -> tuple[str, str]:
    """How long a schedule of ``hours`` runs, and a fixed count all that time: ``a day``
    and ``all day`` for a whole day, else ``over the 11 hours`` and ``all along``."""
    if hours == HOURS_PER_DAY:
        return "a day", "all day"
    return f"over the {counted(hours, 'hour')}", "all along"


def _staffing_answer(result: StaffingResult) -> Answer:
    if result.counts is None or result.chosen is None:
        return Answer(f"No hourly schedule of {result.group} meets every target", "fail", [])
    points = [f"{check_words(c, result.days)}." for c in result.chosen.checks]
    over, along = schedule_span_words(len(result.counts))
    unit, hours = result.unit, result.unit_hours
    points.append(
        f"{result.lane_hours} planned {hours} {over} against {result.fixed_lane_hours} for "
        f"the best fixed count ({result.fixed} {unit} {along}; a closing lane's overtime comes "
        "on top of both)."
    )
    points += _officers(result.officers)
    headline = (
        f"The fewest {unit} by hour for {path_words(result.group)}: {result.lane_hours} "
        f"planned {hours}"
    )
    return Answer(headline, "pass", points)


def planning_answer(result: PlanningResult, asked: str = "either") -> Answer:
    """The answer first: a plan's cheapest configuration and its runner-up, a sweep's
    smallest configuration meeting every condition and the next, a capacity search's largest
    demand and the factor above it; each with its intervals. ``asked``: where the result was
    asked for (``command``, ``python`` or ``either``), for how a sweep without targets is
    told to give them (:data:`GIVE_TARGETS`)."""
    if isinstance(result, SweepResult):
        return _sweep_answer(result, asked)
    if isinstance(result, PlanResult):
        return _plan_answer(result)
    if isinstance(result, CapacityResult):
        return _capacity_answer(result)
    if isinstance(result, StaffingResult):
        return _staffing_answer(result)
    raise TypeError(f"not a planning result: {type(result).__name__}")
