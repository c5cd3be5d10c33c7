"""The plots of a run's pledges: each pledge's share within its wait, hour by hour
(``pledge_share_by_hour.png``) and day by day (``pledge_share_by_day.png``), against the
pledged share, with 95 % intervals."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..results.summary import PledgeResult, Summary
from ..run.simulate import SimulationResult
from ..units import HOUR, format_duration
from .charts import (
    FAIL_COLOUR,
    PALETTE,
    interval_errors,
    legend,
    new_figure,
    shade_warmup,
    time_axis,
)
from .forecast import first_hour

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["day_labels", "pledge_days_figure", "pledge_share_figure"]


def day_labels(summary: Summary) -> list[str]:
    """Each day's tick label: its number, and its date or type."""
    return [f"{d.number}\n{d.date or d.type or ''}" for d in summary.days]


def _pledge_title(pledge: PledgeResult, outcome: str) -> str:
    return (
        f"{pledge.name}: {pledge.pledged:.0%} within {format_duration(pledge.wait_within)} "
        f"— {outcome}"
    )


def pledge_share_figure(result: SimulationResult) -> Figure | None:
    """Each pledge's share within its wait, hour by hour, against the pledged share (None
    when the scenario has no pledges)."""
    s = result.summary
    name, warmup, horizon = result.scenario.name, result.model.warmup, result.model.horizon
    if not s.pledges:
        return None
    figure, axes = new_figure("Do the pledges hold, hour by hour?", name, len(s.pledges))
    for pledge, ax in zip(s.pledges, axes, strict=True):
        hours = np.arange(len(pledge.hourly)) + 0.5
        share, low, high = interval_errors(pledge.hourly)
        start = first_hour(result.model) * HOUR
        shade_warmup(ax, warmup, forecast=result.model.initial is not None, start=start)
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
        ax.axhline(pledge.pledged * 100, color=FAIL_COLOUR, linestyle="--", label="pledged")
        ax.set_title(_pledge_title(pledge, f"overall {pledge.verdict}"), loc="left", fontsize=11)
        ax.set_ylabel("% within the wait")
        lowest = np.nanmin(np.append(share - low, pledge.pledged)) * 100
        ax.set_ylim(max(0.0, lowest - 5), 100.5)
        time_axis(ax, horizon, "hour of arrival", start)
        legend(ax, loc="lower left")
    return figure


def pledge_days_figure(result: SimulationResult) -> Figure | None:
    """Each pledge's share within its wait, day by day, against the pledged share (None
    without days or pledges)."""
    s = result.summary
    pledges = [p for p in s.pledges if p.daily]
    if not pledges:
        return None
    figure, axes = new_figure(
        "Do the pledges hold, day by day?", result.scenario.name, len(pledges)
    )
    for pledge, ax in zip(pledges, axes, strict=True):
        days = np.array([d.number for d in s.days[: len(pledge.daily)]])
        share, low, high = interval_errors([stat for stat, _ in pledge.daily])
        ax.errorbar(
            days,
            share * 100,
            yerr=[low * 100, high * 100],
            color=PALETTE[0],
            marker="o",
            capsize=3,
            label="share within the wait (95 % interval)",
        )
        ax.axhline(pledge.pledged * 100, color=FAIL_COLOUR, linestyle="--", label="pledged")
        failed = [str(n) for n, (_, v) in zip(days, pledge.daily, strict=True) if v == "fail"]
        outcome = f"missed on day {', '.join(failed)}" if failed else "no day missed"
        ax.set_title(_pledge_title(pledge, outcome), loc="left", fontsize=11)
        ax.set_ylabel("% within the wait")
        lowest = np.nanmin(np.append(share - low, pledge.pledged)) * 100
        ax.set_ylim(max(0.0, lowest - 5), 100.5)
        ax.set_xticks(days, day_labels(s)[: len(days)])
        ax.set_xlabel("day of arrival")
        legend(ax, loc="lower left")
    return figure
