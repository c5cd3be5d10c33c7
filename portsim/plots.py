"""The charts, as a public API: each function takes a result and returns matplotlib
figures, the same ones ``--plots DIR`` writes and the HTML reports embed.

A single chart is a :class:`Chart` (a matplotlib :class:`~matplotlib.figure.Figure` that
shows itself in a notebook, no ``%matplotlib inline`` needed); several are a
:class:`Figures` (a dict of charts by file name that a notebook shows one after the other,
and :meth:`Figures.save` writes as PNG files). A function whose chart a result has no data
for (a run without pledges, or without days) returns None. The results' own ``.plot()``
methods give the same charts::

    import portsim
    from portsim import plots

    result = portsim.simulate(scenario, replications=5)
    plots.demand_figure(result)          # one chart
    plots.run_figures(result)            # all of them, as result.plot() does
    plots.run_figures(result).save("plots")

Run: :func:`queue_length_figure`, :func:`demand_figure`, :func:`wait_distribution_figure`,
:func:`lanes_open_figure`, :func:`pledge_share_figure`, :func:`days_figure`,
:func:`pledge_days_figure`, :func:`run_figures`. Comparison: :func:`waits_figure`,
:func:`differences_figure`, :func:`pledges_figure`, :func:`comparison_figures`. Sweep,
plan, capacity search and staffing by hour: :func:`planning_figures`. Sensitivity:
:func:`sensitivity_figure`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .report.compare_plots import differences_figure, pledges_figure, waits_figure
from .report.inline import Chart, Figures
from .report.planning.sensitivity_plot import sensitivity_figure
from .report.pledge_plots import pledge_days_figure, pledge_share_figure
from .report.plots import (
    days_figure,
    demand_figure,
    lanes_open_figure,
    queue_length_figure,
    wait_distribution_figure,
)

if TYPE_CHECKING:
    from .planning.requests import PlanningResult
    from .run.compare import Comparison
    from .run.simulate import SimulationResult

__all__ = [
    "Chart",
    "Figures",
    "comparison_figures",
    "days_figure",
    "demand_figure",
    "differences_figure",
    "lanes_open_figure",
    "planning_figures",
    "pledge_days_figure",
    "pledge_share_figure",
    "pledges_figure",
    "queue_length_figure",
    "run_figures",
    "sensitivity_figure",
    "wait_distribution_figure",
    "waits_figure",
]


def run_figures(result: SimulationResult) -> Figures:
    """Every chart of a run, by file name: the queues at each stage over time, demand
    against throughput, the distribution of waits, the lanes open, and (when the run has
    them) the pledges hour by hour, the days, and the pledges day by day."""
    from .report.plots import run_figures as draw  # noqa: PLC0415

    return Figures(draw(result))


def comparison_figures(comparison: Comparison) -> Figures:
    """Every chart of a comparison, by file name: the variants' waits side by side, their
    paired differences from the first variant with 95 % intervals, and the pledges."""
    from .report.compare_plots import comparison_figures as draw  # noqa: PLC0415

    return Figures(draw(comparison))


def planning_figures(result: PlanningResult) -> Figures:
    """Every chart of a sweep, a plan, a capacity search or staffing by hour, by file name:
    each condition's metric over the grid (a line with 95 % intervals for one numeric
    parameter, else a heat map; the bound marked and the configurations that meet it
    filled or outlined), against the demand factor (a capacity search), or the lanes open
    by hour against the best fixed count (staffing)."""
    from .report.planning.plots import planning_figures as draw  # noqa: PLC0415

    return Figures(draw(result))
