"""The plots of a sweep, a plan and a capacity search (``--plots DIR``), one per condition, in
the order the conditions were given, with fixed file names:

======================  ====================================================================
``sweep_N.png``         the N-th condition's metric over the grid: a line chart with 95 %
                        intervals for one numeric parameter, else a heat map (the last
                        parameter across, the others down); the bound marked, and each
                        configuration whose whole interval meets it filled or outlined. A
                        sweep without conditions or pledges: the overall 95th-percentile wait
``plan_N.png``          the same over the configurations the plan judged (the others, not
                        simulated, are blank)
``capacity_N.png``      the N-th condition's metric against the demand, in travellers (or
                        vehicles) a day with the factor on top, the bound and the most
                        demand that meets every condition marked
``staffing.png``        ``plan --per-hour``: lanes open by hour against the best fixed count
                        (none when no schedule meets the conditions), the hours as clock
                        times
======================  ====================================================================

The figures are drawn by :mod:`.sweep_plots` from plain numbers; this module turns the
results of :mod:`portsim.run` into them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ...planning.capacity import CapacityResult
from ...planning.conditions import Condition
from ...planning.confirm import MET
from ...planning.labels import scaled_words
from ...planning.plan import PlanResult
from ...planning.requests import PlanningResult
from ...planning.staffing import StaffingResult
from ...planning.sweep import SweepResult
from ...planning.vary import Parameter
from ...results.catalog import WAIT_P95
from ...results.scopes import OVERALL, Scope
from ...units import HOUR, HOURS_PER_DAY
from ..charts import (
    FAIL_COLOUR,
    GREY,
    figures_once,
    legend,
    new_figure,
    save_png,
    time_axis,
    wait_unit,
)
from .capacity_words import factor_words
from .sweep_plots import CHOSEN, CHOSEN_COLOUR, Better, sweep_heatmap, sweep_lines
from .view import Cell, chosen_point, judged_rows, planning_conditions, sweep_cell
from .words import (
    KIND_WORDS,
    condition_words,
    configuration_words,
    parameter_words,
    path_words,
    share_words,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "PLANNING_CAPTIONS",
    "RINGED",
    "planning_caption",
    "planning_figures",
    "write_planning_plots",
]

#: what each kind of plot shows, in the planner's words, by the start of its file name
#: (:func:`planning_caption` adds :data:`RINGED` when the answer chose something)
PLANNING_CAPTIONS = {
    "sweep": "The target's metric for every configuration of the sweep (the mean over the "
    "replications). Filled points or outlined cells meet the target beyond sampling noise: "
    "their whole 95 % interval lies on the right side of the bound.",
    "plan": "The target's metric for each configuration the plan judged; blank cells were "
    "not simulated (the search knew their verdict from a configuration below or above them). "
    "Filled points or outlined cells meet the target: their whole 95 % interval lies on the "
    "right side of the bound.",
    "capacity": "The target's metric as demand grows, at the factors the search judged, with "
    "95 % intervals; filled points meet the target beyond sampling noise. Demand is the "
    "scaled flows' expected travellers (or vehicles) a day, the factor on the scenario's "
    "demand on top.",
    "staffing": "The fewest lanes open in each hour that meet the target in that hour (the "
    "chosen schedule, in blue), against the fewest lanes open all day that do.",
}

#: the caption of ``staffing.png`` when a staff pool's size was varied
OFFICERS_CAPTION = (
    "The fewest officers on duty in each hour that meet the target in that hour (the chosen "
    "schedule, in blue), against the fewest officers on duty all day that do."
)

#: what the blue ring marks, by kind of plot: said only when something is ringed
RINGED = {
    "sweep": "Ringed in blue: the chosen configuration, the smallest that meets every target.",
    "plan": "Ringed in blue: the chosen configuration, the cheapest that meets every target.",
    "capacity": "Ringed in blue, on the dotted line: the most demand that meets every target.",
}

#: the overall 95th-percentile wait: what a sweep without conditions shows
_DEFAULT = Condition(
    OVERALL.metric_path(WAIT_P95), "overall", "", "", WAIT_P95.name, "<=", math.nan
)


def _subject(condition: Condition) -> str:
    """Who the condition is about, as the tables say it: ``all travellers``, ``flow
    visitors``, ``stage hall``, ``hall egates``, ``pledge NAME``."""
    return Scope(condition.level, condition.name, condition.group).words


def _scale(condition: Condition, values: Sequence[float]) -> tuple[float, str]:
    """Divide by this to plot; the unit's name."""
    if condition.measure.duration:
        return wait_unit([*values, condition.value])
    if condition.measure.fraction:
        return 0.01, "%"
    return 1.0, ""


def _labels(condition: Condition, unit: str, by: str = "configuration") -> tuple[str, str, str]:
    """The metric's axis label, the title (``… by demand``: ``by``) and the subtitle."""
    worst = " in the worst hour" if condition.hourly else ""
    if condition.pledge is not None:  # share_within: the share it measures, in words
        words = share_words(condition.pledge) + worst
        title_words = words
    else:
        words = condition.measure.words + worst
        title_words = f"{_subject(condition)}: {words}"
    metric = f"{words} ({unit})" if unit else words
    title = f"{title_words} by {by}"
    bound = "" if math.isnan(condition.value) else f"target: {condition_words(condition)}"
    return metric, title, bound or "no target: give one (--target, or targets= in Python)"


def _parameter_label(parameter: Parameter) -> str:
    """``egates at hall (lanes)`` for a lane group's count not named, else the name."""
    return parameter_words(parameter)


def _chosen_words(parameters: Sequence[Parameter], point: tuple[int, ...] | None) -> str:
    """``chosen: egates at hall (lanes) 9, counters at hall (lanes) 8``."""
    if point is None:
        return CHOSEN
    values = [(p.name, p.levels[i].label) for p, i in zip(parameters, point, strict=True)]
    return f"{CHOSEN}: {configuration_words(parameters, values)}"


def _better(condition: Condition) -> Better:
    return "lower" if condition.op == "<=" else "higher"


def _bound(condition: Condition, scale: float) -> float | None:
    return None if math.isnan(condition.value) else condition.value / scale


def _band(cell: Cell, scale: float) -> tuple[float, float] | None:
    return (cell.ci[0] / scale, cell.ci[1] / scale) if cell.ci else None


def _grid_figure(
    kind: str,
    parameters: Sequence[Parameter],
    cells: dict[tuple[int, ...], Cell],
    condition: Condition,
    chosen: tuple[int, ...] | None = None,
) -> Figure:
    scale, unit = _scale(condition, [c.mean for c in cells.values()])
    label = _chosen_words(parameters, chosen)
    metric, title, subtitle = _labels(condition, unit)
    bound, better = _bound(condition, scale), _better(condition)
    if len(parameters) == 1 and parameters[0].numeric:
        (parameter,) = parameters
        points = sorted(cells)
        x = [parameter.levels[i].value or 0.0 for (i,) in points]
        values = [cells[p].mean / scale for p in points]
        bands = [_band(cells[p], scale) for p in points]
        return sweep_lines(
            x,
            {metric: values},
            x_label=_parameter_label(parameter),
            metric_label=metric,
            title=title,
            subtitle=subtitle,
            intervals={metric: bands},
            bound=bound,
            better=better,
            meets={metric: [cells[p].status == MET for p in points]},
            chosen=points.index(chosen) if chosen in points else None,
            chosen_label=label,
        )
    *rest, last = parameters
    rows = list(itertools.product(*(range(len(p.levels)) for p in rest)))
    data = [[math.nan] * len(last.levels) for _ in rows]
    marked = [[False] * len(last.levels) for _ in rows]
    for point, cell in cells.items():
        i, j = rows.index(point[:-1]), point[-1]
        data[i][j], marked[i][j] = cell.mean / scale, cell.status == MET
    y = [", ".join(p.levels[k].label for p, k in zip(rest, row, strict=True)) for row in rows]
    return sweep_heatmap(
        data,
        [level.label for level in last.levels],
        y or [""],
        x_label=_parameter_label(last),
        y_label=", ".join(_parameter_label(p) for p in rest) or metric,
        metric_label=metric,
        title=title,
        subtitle=subtitle,
        bound=bound,
        better=better,
        meets=marked,
        chosen=(rows.index(chosen[:-1]), chosen[-1]) if chosen is not None else None,
        chosen_label=label,
    )


def _grid_figures(result: SweepResult | PlanResult) -> dict[str, Figure]:
    kind = "sweep" if isinstance(result, SweepResult) else "plan"
    rows = judged_rows(result)
    conditions = planning_conditions(result)
    chosen = chosen_point(result)
    if not conditions and isinstance(result, SweepResult):  # neither conditions nor pledges
        pairs = zip(rows, result.rows, strict=True)
        cells = {r.point: sweep_cell(result, row, _DEFAULT) for r, row in pairs}
        return {f"{kind}_1.png": _grid_figure(kind, result.parameters, cells, _DEFAULT)}
    return {
        f"{kind}_{n}.png": _grid_figure(
            kind, result.parameters, {r.point: r.cells[n - 1] for r in rows}, condition, chosen
        )
        for n, condition in enumerate(conditions, start=1)
    }


def _axis_kind(result: CapacityResult) -> str | None:
    """The kind of flow the capacity chart's x axis counts: travellers when any scaled flow
    brings them, else the one kind of vehicle (never travellers and vehicles added)."""
    demand = result.base_demand
    kinds = [kind for kind, _ in demand.per_day] if demand is not None else []
    return "passenger" if "passenger" in kinds else next(iter(kinds), None)


def _travellers(result: CapacityResult, factor: float, kind: str | None) -> float | None:
    """The scaled flows' expected arrivals of one kind a day (on the one day every factor
    is measured on, when the days differ) at a factor."""
    demand = result.demand_at(factor)
    return None if demand is None or kind is None else dict(demand.per_day).get(kind)


def _capacity_figure(result: CapacityResult, n: int, condition: Condition) -> Figure:
    rows = sorted(judged_rows(result), key=lambda r: r.point)
    cells = [r.cells[n] for r in rows]
    factors = [result.factors[r.point[0]] for r in rows]
    scale, unit = _scale(condition, [c.mean for c in cells])
    metric, title, subtitle = _labels(condition, unit, scaled_words(result.paths))
    kind = _axis_kind(result)
    travellers = [_travellers(result, f, kind) for f in factors]
    known = all(t is not None for t in travellers)
    demand = result.demand_at(factors[0])
    if known and demand is not None and kind is not None:  # in travellers, the factor on top
        x = [float(t or 0.0) for t in travellers]
        whose = f" of {', '.join(demand.flows)}" if demand.others else ""
        day = "a day" if demand.day_words is None else f"on {demand.day_words}"
        besides = [KIND_WORDS.get(k, k) for k, _ in demand.per_day if k != kind]
        also = f"; {' and '.join(besides)} in proportion" if besides else ""
        x_label = f"{KIND_WORDS.get(kind, kind)} {day}{whose} (expected{also})"
    else:
        scaled = scaled_words(result.paths)  # a routing share, a service time: no demand
        x = list(factors)
        x_label = (
            f"{scaled}, as a factor on the scenario's"
            if scaled == "demand"
            else (f"factor on the scenario's value of {scaled}")
        )
    chosen = factors.index(result.factor) if result.factor in factors else None
    label = CHOSEN
    if result.factor is not None:
        label = f"{CHOSEN}: the most that meets every target ({factor_words(result.factor)})"
    figure = sweep_lines(
        x,
        {metric: [c.mean / scale for c in cells]},
        x_label=x_label,
        metric_label=metric,
        title=title,
        subtitle=subtitle,
        intervals={metric: [_band(c, scale) for c in cells]},
        bound=_bound(condition, scale),
        better=_better(condition),
        meets={metric: [c.status == MET for c in cells]},
        chosen=chosen,
        chosen_label=label,
    )
    ax = figure.axes[0]
    if chosen is not None:
        ax.axvline(x[chosen], color=GREY, linestyle=":")
    if x != list(factors):
        ax.xaxis.set_major_formatter(_thousands())
        top = ax.secondary_xaxis(
            "top", functions=(_ratio(x[0] / factors[0]), _ratio(factors[0] / x[0]))
        )
        top.set_xlabel(f"× the scenario's {scaled_words(result.paths)}", fontsize=9)
    legend(ax, outside=True)
    return figure


def _ratio(per: float) -> Any:
    def convert(values: Any) -> Any:
        return np.asarray(values, dtype=float) / per

    return convert


def _thousands() -> Any:
    from matplotlib.ticker import FuncFormatter  # noqa: PLC0415

    return FuncFormatter(lambda v, _: f"{v:,.0f}")


def _staffing_figure(result: StaffingResult) -> Figure:
    unit, hours_words = result.unit, result.unit_hours
    what = "Lanes open" if unit == "lanes" else "Officers on duty"
    figure, (ax,) = new_figure(
        f"{what} by hour: the fewest that meet the target", path_words(result.group)
    )
    counts = list(result.counts or ())
    if counts:
        hours = np.arange(len(counts) + 1)
        ax.step(
            hours, [*counts, counts[-1]], where="post", color=CHOSEN_COLOUR, linewidth=2.5,
            label=f"{CHOSEN}: the fewest by hour ({result.lane_hours} {hours_words})",
        )  # fmt: skip
    if result.fixed is not None:
        ax.axhline(
            result.fixed, color=FAIL_COLOUR, linestyle="--",
            label=f"best fixed count ({result.fixed} {unit}, {result.fixed_lane_hours} "
            f"{hours_words})",
        )  # fmt: skip
    ax.set_ylabel("lanes open" if unit == "lanes" else "officers on duty")
    ax.set_ylim(bottom=0)
    time_axis(ax, (len(counts) or HOURS_PER_DAY) * HOUR)
    legend(ax, outside=True)
    return figure


def planning_caption(result: PlanningResult, name: str) -> str:
    """The caption of the plot called ``name`` (``sweep_1.png``): what it shows, and what
    its blue ring marks when the answer chose a configuration (none is drawn, nor said,
    when nothing meets every target)."""
    kind = name.split("_", maxsplit=1)[0].split(".", maxsplit=1)[0]
    ringed = RINGED.get(kind) if chosen_point(result) is not None else None
    shows = PLANNING_CAPTIONS[kind]
    if isinstance(result, StaffingResult) and result.unit == "officers":
        shows = OFFICERS_CAPTION
    return f"{shows} {ringed}" if ringed else shows


def planning_figures(result: PlanningResult) -> dict[str, Figure]:
    """Every plot of a planning result, by file name."""
    return figures_once(_planning_figures, result)


def _planning_figures(result: PlanningResult) -> dict[str, Figure]:
    if isinstance(result, SweepResult | PlanResult):
        return _grid_figures(result)
    if isinstance(result, CapacityResult):
        conditions = planning_conditions(result)
        return {
            f"capacity_{n + 1}.png": _capacity_figure(result, n, t)
            for n, t in enumerate(conditions)
        }
    if isinstance(result, StaffingResult):
        return {"staffing.png": _staffing_figure(result)} if result.counts is not None else {}
    raise TypeError(f"not a planning result: {type(result).__name__}")


def write_planning_plots(result: PlanningResult, directory: str | Path) -> list[Path]:
    """Write a planning result's plots into ``directory`` (made if missing)."""
    return [save_png(f, Path(directory) / n) for n, f in planning_figures(result).items()]
