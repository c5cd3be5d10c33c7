"""The plot of a run's staff pools (``officers.png``): one panel per pool, the officers on
duty as the ceiling (wide, pale) and the officers committed as the line (the mean over the
replications, with the band from the lowest to the highest replication), and dashed, the
officers on each lane group's open lanes (both directions of a port: where the officers
were), from the engine's logs as :func:`~portsim.report.plots.lanes_open_figure` draws the
lanes. None for a run without pools."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..run.simulate import SimulationResult
from ..units import HOUR
from .charts import GREY, PALETTE, legend, new_figure, shade_warmup, time_axis, whole_numbers
from .forecast import first_hour

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["officers_figure", "on_grid"]

#: points of the time grid the replications' logs are averaged on
_GRID = 2001


def on_grid(log: Sequence[tuple[float, int]], grid: np.ndarray) -> np.ndarray:
    """A log ``(time, count from then)`` read at each time of ``grid`` (the last change at
    or before it)."""
    times = np.array([t for t, _ in log])
    counts = np.array([n for _, n in log], dtype=float)
    return counts[np.searchsorted(times, grid, side="right") - 1]


def officers_figure(result: SimulationResult) -> Figure | None:
    """Officers on duty and committed over time, one panel per staff pool (None without
    pools)."""
    run, model = result.summary.run, result.model
    in_use = (run.officers_in_use if run is not None else None) or {}
    on_duty = (run.officers_on_duty if run is not None else None) or {}
    if not in_use:
        return None
    figure, axes = new_figure("Officers: on duty and committed", result.scenario.name, len(in_use))
    start = first_hour(model) * HOUR  # a forecast: from its state's hour
    grid = np.linspace(0, model.horizon, _GRID)
    hours = grid / HOUR
    for (name, logs), ax in zip(in_use.items(), axes, strict=True):
        shade_warmup(ax, model.warmup, forecast=model.initial is not None, start=start)
        duty = on_duty.get(name, ())
        if duty:
            ceiling = np.max([on_grid(log, grid) for log in duty], axis=0)
            ax.step(hours, ceiling, where="post", color=GREY, linewidth=5, alpha=0.35,
                    label="on duty")  # fmt: skip
        busy = np.array([on_grid(log, grid) for log in logs])
        if len(busy) > 1:
            ax.fill_between(hours, busy.min(axis=0), busy.max(axis=0), step="post",
                            color=PALETTE[0], alpha=0.2, linewidth=0,
                            label=f"lowest to highest of {len(busy)} replications")  # fmt: skip
        ax.step(hours, busy.mean(axis=0), where="post", color=PALETTE[0], linewidth=1.5,
                label="committed (mean over replications)")  # fmt: skip
        _groups(ax, result, name, grid)
        ax.set_title(f"{name} pool", loc="left", fontsize=11)
        ax.set_ylabel("officers")
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(whole_numbers())
        time_axis(ax, model.horizon, start=start)
        legend(ax, outside=True)
    return figure


def _groups(ax: Axes, result: SimulationResult, pool: str, grid: np.ndarray) -> None:
    """Each lane group of the pool: the officers on its open lanes (the mean over the
    replications; a lane finishing its traveller after it closed, and officers moving
    between groups, are committed but on no open lane)."""
    model, run = result.model, result.summary.run
    logs_of = (run.lanes_open if run is not None else None) or {}
    (spec,) = [p for p in model.pools if p.name == pool]
    for g, colour in zip(spec.groups, PALETTE[1:], strict=False):
        group = model.groups[g]
        staffing = group.staffing
        logs = logs_of.get((model.stages[group.stage].name, group.name), ())
        if staffing is None or not logs:
            continue
        each = staffing.takes(spec.index)
        officers = np.mean([on_grid(log, grid) for log in logs], axis=0) * each
        label = f"on {model.stages[group.stage].name} {group.name}"
        ax.step(grid / HOUR, officers, where="post", color=colour, linewidth=1, alpha=0.9,
                linestyle="--", label=label)  # fmt: skip
