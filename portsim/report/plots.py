"""The plots of one run, with fixed file names (``portsim run --plots DIR``):

=============================  ==========================================================
``queue_length.png``           travellers waiting at each stage over the horizon: the mean
                               over the replications and the band from the lowest to the
                               highest replication (the engine's own queue counter)
``demand_throughput.png``      arrivals and departures per hour, with 95 % intervals
``wait_distribution.png``      the share of travellers who waited at most so long, per
                               flow, with the pledges marked
``lanes_open.png``             lanes open over time per lane group: the plan (schedule)
                               and what the engine actually opened
``pledge_share_by_hour.png``   each pledge's share per hour with its 95 % interval (only
                               when the scenario has pledges)
``officers.png``               each staff pool: officers on duty (the ceiling) and officers
                               committed over time (only when the scenario has pools)
``days.png``                   day by day (a calendar, or a run over two days): travellers
                               who came, and the mean and p95 queue wait with their 95 %
                               intervals, the pledged waits marked
=============================  ==========================================================
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..model.model import Model
from ..model.timetable import Timetable
from ..results.catalog import ARRIVED, SERVED, WAIT_MEAN, WAIT_P95, Metric
from ..results.scopes import OVERALL, Scope
from ..results.summary import Summary
from ..run.simulate import SimulationResult
from ..units import HOUR, format_duration
from .charts import (
    FAIL_COLOUR,
    GREY,
    PALETTE,
    PASS_COLOUR,
    figures_once,
    interval_errors,
    legend,
    new_figure,
    no_ticks,
    percent_formatter,
    save_png,
    shade_warmup,
    time_axis,
    wait_unit,
    whole_numbers,
)
from .forecast import first_hour
from .observed import observed_figures
from .pledge_plots import day_labels, pledge_days_figure, pledge_share_figure
from .staff_plots import officers_figure
from .waits import WaitPanel, wait_panels

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "RUN_PLOTS",
    "days_figure",
    "demand_figure",
    "lanes_open_figure",
    "pledge_share_figure",
    "queue_length_figure",
    "run_figures",
    "wait_distribution_figure",
    "write_run_plots",
]


def queue_length_figure(result: SimulationResult) -> Figure:
    """Travellers waiting at each stage over the horizon, one panel per stage."""
    model, counters = result.model, result.counters
    figure, axes = new_figure(
        "How many travellers wait at each stage",
        result.scenario.name,
        len(model.stages),
        columns=2 if len(model.stages) > 3 else 1,  # noqa: PLR2004
    )
    step = counters[0].queue_trace_step
    for stage, ax in zip(model.stages, axes, strict=True):
        traces = np.array([c.stage_queue_trace[stage.index] for c in counters])
        hours = (np.arange(traces.shape[1] + 1) * step).clip(max=model.horizon) / HOUR
        shade_warmup(ax, model.warmup, forecast=model.initial is not None, start=_start(model))
        mean = np.append(traces.mean(axis=0), traces.mean(axis=0)[-1])
        if len(counters) > 1:
            low, high = traces.min(axis=0), traces.max(axis=0)
            ax.fill_between(
                hours,
                np.append(low, low[-1]),
                np.append(high, high[-1]),
                step="post",
                color=PALETTE[0],
                alpha=0.2,
                linewidth=0,
                label=f"lowest to highest of {len(counters)} replications",
            )
        ax.step(hours, mean, where="post", color=PALETTE[0], label="mean over replications")
        ax.set_title(f"stage {stage.name}", loc="left", fontsize=11)
        ax.set_ylabel(f"travellers waiting\n(mean per {format_duration(step)})")
        ax.set_ylim(bottom=0)
        time_axis(ax, model.horizon, start=_start(model))
        legend(ax, loc="upper left")
    return figure


def _hourly(summary: Summary, scope: Scope, m: Metric) -> tuple[np.ndarray, ...]:
    return interval_errors([summary.find(scope, m, hour=h) for h in range(summary.hours(scope))])


def _daily(summary: Summary, scope: Scope, m: Metric) -> tuple[np.ndarray, ...]:
    return interval_errors([summary.find(scope, m, day=d.index) for d in summary.days])


def _start(model: Model) -> float:
    """Where a plot's time axis starts: 00:00, or a forecast's first hour (its state's)."""
    return first_hour(model) * HOUR


def _facts(result: SimulationResult) -> tuple[str, float, float]:
    """The scenario's name, its warm-up and its horizon."""
    return result.scenario.name, result.model.warmup, result.model.horizon


def demand_figure(result: SimulationResult) -> Figure:
    """Arrivals per hour (demand) against departures per hour (throughput), all travellers."""
    s = result.summary
    name, warmup, horizon = _facts(result)
    figure, (ax,) = new_figure("Demand and throughput per hour", name)
    first = first_hour(result.model)  # a forecast: from its state's hour
    arrived, a_low, a_high = (a[first:] for a in _hourly(s, OVERALL, ARRIVED))
    served, s_low, s_high = (a[first:] for a in _hourly(s, OVERALL, SERVED))
    hours = np.arange(first, first + len(arrived)) + 0.5
    shade_warmup(ax, warmup, forecast=result.model.initial is not None, start=_start(result.model))
    ax.bar(hours, arrived, width=0.8, color=PALETTE[4], alpha=0.6, label="arrived (demand)")
    ax.errorbar(hours, arrived, yerr=[a_low, a_high], fmt="none", ecolor=GREY, capsize=2)
    ax.errorbar(
        hours,
        served,
        yerr=[s_low, s_high],
        color=PALETTE[5],
        marker="o",
        markersize=3,
        capsize=2,
        label="left the port (throughput)",
    )
    ax.set_ylabel("travellers per hour")
    ax.set_ylim(bottom=0)
    time_axis(ax, horizon, start=_start(result.model))
    ax.set_title(
        "bars: arrivals in each hour; line: travellers who finished in it; "
        "whiskers: 95 % intervals",
        loc="left",
        fontsize=9,
        color=GREY,
    )
    legend(ax, loc="upper left")
    return figure


#: the lowest share of the wait plot's log scale, in %
FLOOR_PERCENT = 0.01


def _pledge_marks(ax: Axes, panel: WaitPanel, unit: float) -> None:
    for pledge, colour in zip(panel.pledges, PALETTE[1:], strict=False):
        within = pledge.wait_within / unit
        longer = (1 - pledge.pledged) * 100
        verdict = pledge.verdict
        mark = PASS_COLOUR if verdict == "pass" else FAIL_COLOUR if verdict == "fail" else colour
        ax.axvline(within, color=mark, linestyle="--", linewidth=1)
        ax.plot(
            [within],
            [max(longer, FLOOR_PERCENT)],
            marker="D",
            markersize=8,
            color=mark,
            linestyle="none",
            label=f"pledge: at most {longer:.3g} % wait longer than "
            f"{format_duration(pledge.wait_within)} ({verdict})",
        )


def wait_distribution_figure(result: SimulationResult) -> Figure:
    """For each flow (and the stages a pledge names): the share of travellers who waited
    longer than each wait, on a log scale so the tail shows; a pledge is a point the curve
    must pass below."""
    panels = wait_panels(result)
    figure, axes = new_figure(
        "How long travellers wait: the share who waited longer than each wait",
        result.scenario.name,
        len(panels),
        columns=2 if len(panels) > 1 else 1,
    )
    for panel, ax in zip(panels, axes, strict=True):
        longest = max(
            [float(panel.waits.max()) if len(panel.waits) else 0.0]
            + [p.wait_within * 1.25 for p in panel.pledges]
        )
        unit, unit_name = wait_unit([longest])
        longer = (1 - panel.shares) * 100
        shown = longer >= FLOOR_PERCENT  # below the scale: the few longest waits
        if panel.from_percentiles:
            ax.plot(panel.waits[shown] / unit, longer[shown], marker="o", color=PALETTE[0])
        else:
            ax.step(panel.waits[shown] / unit, longer[shown], where="post", color=PALETTE[0])
        _pledge_marks(ax, panel, unit)
        ax.set_xlim(0, max(longest / unit, 1.0))
        ax.set_yscale("log")
        ax.set_ylim(FLOOR_PERCENT * 0.8, 120)
        ax.yaxis.set_major_formatter(percent_formatter())
        # no unlabelled minor ticks between the decades: they took half the figure's drawing
        ax.yaxis.set_minor_locator(no_ticks())
        ax.set_title(panel.title, loc="left", fontsize=10)
        ax.set_xlabel(f"wait in queues ({unit_name})")
        ax.set_ylabel("% who waited longer")
        legend(ax, loc="upper right")
    return figure


def _plan(timetable: Timetable, horizon: float) -> tuple[list[float], list[float]]:
    times = [0.0] + [t for t, _ in timetable.changes] + [horizon]
    counts = [timetable.initial] + [c for _, c in timetable.changes]
    return [t / HOUR for t in times], [*counts, counts[-1]]


def lanes_open_figure(result: SimulationResult) -> Figure:
    """Lanes open over time, one panel per stage, one line per lane group: the plan and
    what the engine opened (the mean over replications)."""
    model, run = result.model, result.summary.run
    logs_of = (run.lanes_open if run is not None else None) or {}
    figure, axes = new_figure(
        "Lanes open: the plan and what was actually open",
        result.scenario.name,
        len(model.stages),
        columns=2 if len(model.stages) > 3 else 1,  # noqa: PLR2004
    )
    grid = np.linspace(0, model.horizon, 2001)
    for stage, ax in zip(model.stages, axes, strict=True):
        if model.initial is not None:  # a forecast: before its state nothing is simulated
            shade_warmup(ax, model.warmup, forecast=True, start=_start(model))
        for g, colour in zip(stage.groups, PALETTE, strict=False):
            group = model.groups[g]
            times, counts = _plan(group.timetable, model.horizon)
            ax.step(times, counts, where="post", color=colour, linewidth=5, alpha=0.25)
            logs = logs_of.get((stage.name, group.name), ())
            actual = np.mean([_on_grid(log, grid) for log in logs], axis=0) if logs else None
            if actual is not None:
                ax.step(grid / HOUR, actual, where="post", color=colour, linewidth=1.5)
            ax.plot([], [], color=colour, linewidth=4, alpha=0.5, label=group.name)
        ax.plot([], [], color=GREY, linewidth=5, alpha=0.25, label="wide, pale: planned")
        ax.plot([], [], color=GREY, linewidth=1.5, label="thin: actually open")
        ax.set_title(f"stage {stage.name}", loc="left", fontsize=11)
        ax.set_ylabel("lanes open")
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(whole_numbers())
        time_axis(ax, model.horizon, start=_start(model))
        legend(ax, outside=True)
    return figure


def _on_grid(log: Sequence[tuple[float, int]], grid: np.ndarray) -> np.ndarray:
    times = np.array([t for t, _ in log])
    counts = np.array([n for _, n in log], dtype=float)
    return counts[np.searchsorted(times, grid, side="right") - 1]


def days_figure(result: SimulationResult) -> Figure | None:
    """Day by day: arrivals, and the mean and p95 queue wait with their intervals, against
    the pledged waits (None for a run without daily rows)."""
    s = result.summary
    if not s.days:
        return None
    figure, (top, bottom) = new_figure("Day by day", result.scenario.name, 2)
    days = np.array([d.number for d in s.days])
    arrived, a_low, a_high = _daily(s, OVERALL, ARRIVED)
    top.bar(days, arrived, color=PALETTE[4], alpha=0.6, label=ARRIVED.words)
    top.errorbar(days, arrived, yerr=[a_low, a_high], fmt="none", ecolor=GREY, capsize=2)
    top.set_ylabel("travellers a day")
    top.set_title("travellers who came each day (95 % intervals)", loc="left", fontsize=11)
    waits = {m: _daily(s, OVERALL, m) for m in (WAIT_MEAN, WAIT_P95)}
    unit, word = wait_unit([float(v) for value, _, high in waits.values() for v in value + high])
    for (m, (value, low, high)), colour in zip(waits.items(), (0, 1), strict=True):
        bottom.errorbar(
            days,
            value / unit,
            yerr=[low / unit, high / unit],
            color=PALETTE[colour],
            marker="o",
            capsize=3,
            label=m.words,
        )
    for pledge in s.pledges:
        bottom.axhline(
            pledge.wait_within / unit,
            color=FAIL_COLOUR,
            linestyle="--",
            label=f"pledge {pledge.name}: {format_duration(pledge.wait_within)}",
        )
    bottom.set_ylabel(f"queue wait ({word})")
    bottom.set_ylim(bottom=0)
    bottom.set_title("queue waits each day (95 % intervals)", loc="left", fontsize=11)
    for ax in (top, bottom):
        ax.set_xticks(days, day_labels(s), fontsize=8)
        ax.set_xlabel("day")
    legend(bottom, loc="upper left")
    return figure


#: file name → the function that draws it (None: nothing to draw for this run)
RUN_PLOTS: dict[str, Callable[[SimulationResult], Figure | None]] = {
    "queue_length.png": queue_length_figure,
    "demand_throughput.png": demand_figure,
    "wait_distribution.png": wait_distribution_figure,
    "lanes_open.png": lanes_open_figure,
    "officers.png": officers_figure,
    "pledge_share_by_hour.png": pledge_share_figure,
    "days.png": days_figure,
    "pledge_share_by_day.png": pledge_days_figure,
}


def run_figures(result: SimulationResult) -> dict[str, Figure]:
    """Every plot this run has, by file name."""
    return figures_once(_run_figures, result)


def _run_figures(result: SimulationResult) -> dict[str, Figure]:
    figures = {name: draw(result) for name, draw in RUN_PLOTS.items()}
    return {name: figure for name, figure in figures.items() if figure is not None}


def write_run_plots(result: SimulationResult, directory: str | Path) -> list[Path]:
    """Write the run's plots into ``directory`` (made if missing) under their fixed names;
    with observed waits, their chart too."""
    figures = {**run_figures(result), **observed_figures(result.observed)}
    return [save_png(f, Path(directory) / name) for name, f in figures.items()]
