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
``days.png``                   day by day (a calendar, or a run over two days): travellers
                               who came, and the mean and p95 queue wait with their 95 %
                               intervals, the pledged waits marked
=============================  ==========================================================
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..run.simulate import SimulationResult
from ..units import HOUR, format_duration
from .charts import (
    FAIL_COLOUR,
    GREY,
    PALETTE,
    PASS_COLOUR,
    figures_once,
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
        shade_warmup(ax, model.warmup)
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
        time_axis(ax, model.horizon)
        legend(ax, loc="upper left")
    return figure


def _hourly(block: dict[str, Any], metric: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each hour's mean and the half-widths below and above it (zero without interval)."""
    means, lows, highs = [], [], []
    for hour in block["hourly"]:
        stat = hour[metric]
        mean = stat["mean"]
        means.append(mean)
        ci = stat["ci95"]
        lows.append(mean - ci[0] if ci else 0.0)
        highs.append(ci[1] - mean if ci else 0.0)
    return np.array(means, dtype=float), np.array(lows, dtype=float), np.array(highs, dtype=float)


def demand_figure(result: SimulationResult) -> Figure:
    """Arrivals per hour (demand) against departures per hour (throughput), all flows."""
    s = result.summary
    figure, (ax,) = new_figure("Demand and throughput per hour", s["scenario"])
    arrived, a_low, a_high = _hourly(s["overall"], "arrived")
    served, s_low, s_high = _hourly(s["overall"], "served")
    hours = np.arange(len(arrived)) + 0.5
    shade_warmup(ax, s["warmup_s"])
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
    time_axis(ax, s["horizon_s"])
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
    for target, colour in zip(panel.targets, PALETTE[1:], strict=False):
        within = target["wait_within_s"] / unit
        longer = (1 - target["target"]) * 100
        verdict = target["verdict"]
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
            f"{format_duration(target['wait_within_s'])} ({verdict})",
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
            + [t["wait_within_s"] * 1.25 for t in panel.targets]
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


def _plan(timetable: Any, horizon: float) -> tuple[list[float], list[float]]:
    times = [0.0] + [t for t, _ in timetable.changes] + [horizon]
    counts = [timetable.initial] + [c for _, c in timetable.changes]
    return [t / HOUR for t in times], [*counts, counts[-1]]


def lanes_open_figure(result: SimulationResult) -> Figure:
    """Lanes open over time, one panel per stage, one line per lane group: the plan and
    what the engine opened (the mean over replications)."""
    model, s = result.model, result.summary
    figure, axes = new_figure(
        "Lanes open: the plan and what was actually open",
        s["scenario"],
        len(model.stages),
        columns=2 if len(model.stages) > 3 else 1,  # noqa: PLR2004
    )
    grid = np.linspace(0, model.horizon, 2001)
    for stage, ax in zip(model.stages, axes, strict=True):
        for g, colour in zip(stage.groups, PALETTE, strict=False):
            group = model.groups[g]
            times, counts = _plan(group.timetable, model.horizon)
            ax.step(times, counts, where="post", color=colour, linewidth=5, alpha=0.25)
            logs = s["stages"][stage.name]["groups"][group.name].get("lanes_open", [])
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
        time_axis(ax, model.horizon)
        legend(ax, outside=True)
    return figure


def _on_grid(log: list[list[float]], grid: np.ndarray) -> np.ndarray:
    times = np.array([t for t, _ in log])
    counts = np.array([n for _, n in log], dtype=float)
    return counts[np.searchsorted(times, grid, side="right") - 1]


def pledge_share_figure(result: SimulationResult) -> Figure | None:
    """Each pledge's share within its wait, hour by hour, against the pledged share (None
    when the scenario has no pledges)."""
    s = result.summary
    targets = s.get("targets", [])
    if not targets:
        return None
    figure, axes = new_figure("Do the pledges hold, hour by hour?", s["scenario"], len(targets))
    for target, ax in zip(targets, axes, strict=True):
        hours = np.array([h["hour"] for h in target["hourly"]]) + 0.5
        block = {"hourly": target["hourly"]}
        share, low, high = _hourly(block, "share")
        shade_warmup(ax, s["warmup_s"])
        ax.errorbar(
            hours,
            share * 100,
            yerr=[low * 100, high * 100],
            color=PALETTE[0],
            marker="o",
            markersize=3,
            capsize=2,
            label="share within the wait (95 % interval)",
        )
        ax.axhline(target["target"] * 100, color=FAIL_COLOUR, linestyle="--", label="pledged")
        ax.set_title(
            f"{target['name']}: {target['target']:.0%} within "
            f"{format_duration(target['wait_within_s'])} — overall {target['verdict']}",
            loc="left",
            fontsize=11,
        )
        ax.set_ylabel("% within the wait")
        lowest = np.nanmin(np.append(share - low, target["target"])) * 100
        ax.set_ylim(max(0.0, lowest - 5), 100.5)
        time_axis(ax, s["horizon_s"], "hour of arrival")
        legend(ax, loc="lower left")
    return figure


def days_figure(result: SimulationResult) -> Figure | None:
    """Day by day: arrivals, and the mean and p95 queue wait with their intervals, against
    the pledged waits (None for a run without daily rows)."""
    s = result.summary
    daily = s["overall"].get("daily")
    if not daily:
        return None
    figure, (top, bottom) = new_figure("Day by day", s["scenario"], 2)
    days = np.array([d["day"] for d in daily])
    labels = [f"{d['day']}\n{d['date'] or d['type']}" for d in daily]
    block = {"hourly": daily}  # the same statistics, one per day
    arrived, a_low, a_high = _hourly(block, "arrived")
    top.bar(days, arrived, color=PALETTE[4], alpha=0.6, label="arrived")
    top.errorbar(days, arrived, yerr=[a_low, a_high], fmt="none", ecolor=GREY, capsize=2)
    top.set_ylabel("travellers a day")
    top.set_title("travellers who came each day (95 % intervals)", loc="left", fontsize=11)
    waits = {m: _hourly(block, m) for m in ("wait_mean_s", "wait_p95_s")}
    unit, word = wait_unit([float(v) for value, _, high in waits.values() for v in value + high])
    for (metric, (value, low, high)), colour in zip(waits.items(), (0, 1), strict=True):
        bottom.errorbar(
            days,
            value / unit,
            yerr=[low / unit, high / unit],
            color=PALETTE[colour],
            marker="o",
            capsize=3,
            label=f"{metric.removeprefix('wait_').removesuffix('_s')} queue wait",
        )
    for target in s.get("targets", []):
        bottom.axhline(
            target["wait_within_s"] / unit,
            color=FAIL_COLOUR,
            linestyle="--",
            label=f"pledge {target['name']}: {format_duration(target['wait_within_s'])}",
        )
    bottom.set_ylabel(f"queue wait ({word})")
    bottom.set_ylim(bottom=0)
    bottom.set_title("queue waits each day (95 % intervals)", loc="left", fontsize=11)
    for ax in (top, bottom):
        ax.set_xticks(days, labels, fontsize=8)
        ax.set_xlabel("day")
    legend(bottom, loc="upper left")
    return figure


def pledge_days_figure(result: SimulationResult) -> Figure | None:
    """Each pledge's share within its wait, day by day, against the pledged share (None
    without days or pledges)."""
    s = result.summary
    targets = [t for t in s.get("targets", []) if t.get("daily")]
    if not targets:
        return None
    figure, axes = new_figure("Do the pledges hold, day by day?", s["scenario"], len(targets))
    for target, ax in zip(targets, axes, strict=True):
        daily = target["daily"]
        days = np.array([d["day"] for d in daily])
        share, low, high = _hourly({"hourly": daily}, "share")
        ax.errorbar(
            days,
            share * 100,
            yerr=[low * 100, high * 100],
            color=PALETTE[0],
            marker="o",
            capsize=3,
            label="share within the wait (95 % interval)",
        )
        ax.axhline(target["target"] * 100, color=FAIL_COLOUR, linestyle="--", label="pledged")
        failed = [d["day"] for d in daily if d["verdict"] == "fail"]
        ax.set_title(
            f"{target['name']}: {target['target']:.0%} within "
            f"{format_duration(target['wait_within_s'])} — "
            + (f"missed on day {', '.join(map(str, failed))}" if failed else "no day missed"),
            loc="left",
            fontsize=11,
        )
        ax.set_ylabel("% within the wait")
        lowest = np.nanmin(np.append(share - low, target["target"])) * 100
        ax.set_ylim(max(0.0, lowest - 5), 100.5)
        ax.set_xticks(days, [f"{d['day']}\n{d['date'] or d['type'] or ''}" for d in daily])
        ax.set_xlabel("day of arrival")
        legend(ax, loc="lower left")
    return figure


#: file name → the function that draws it (None: nothing to draw for this run)
RUN_PLOTS: dict[str, Callable[[SimulationResult], Figure | None]] = {
    "queue_length.png": queue_length_figure,
    "demand_throughput.png": demand_figure,
    "wait_distribution.png": wait_distribution_figure,
    "lanes_open.png": lanes_open_figure,
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
    """Write the run's plots into ``directory`` (made if missing) under their fixed names."""
    return [save_png(f, Path(directory) / name) for name, f in run_figures(result).items()]
