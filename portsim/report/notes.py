"""What a reader should be warned of: overloaded stages, intervals too wide for the
replications run, waits cut off by the horizon (censored), pledges the run cannot decide,
halls fuller than their space."""

from __future__ import annotations

import math

from ..results.catalog import (
    FIRST_OVER_SPACE,
    QUEUE_MAX,
    SERVED,
    TIME_OVER_SPACE,
    UNFINISHED,
    WAIT_MEAN,
    WAITING_OUTSIDE,
)
from ..results.scopes import OVERALL, Scope
from ..results.summary import Summary
from ..run.simulate import SimulationResult
from .cells import clock, interval_text, stat_text

__all__ = ["WIDE", "run_warnings"]

#: an interval whose half-width exceeds this share of its mean is called wide (when the
#: half-width also exceeds the metric's floor in the catalog: a 0.2 s wait known to ±47 %
#: is known well enough)
WIDE = 0.10
#: unfinished travellers above this share of the counted ones get a warning
CENSORED = 0.005


def _replications(result: SimulationResult) -> list[str]:
    n = result.replications
    if n == 1:
        return [
            "One replication: there are no confidence intervals and no verdict is more "
            "than a guess. Run 5 or more (--replications)."
        ]
    stat = result.summary.find(OVERALL, WAIT_MEAN)
    if stat is None or stat.interval is None or not stat.mean > 0:
        return []
    half = stat.half_width
    relative = half / stat.mean
    if relative <= WIDE or half <= WAIT_MEAN.floor:  # precise enough for a planner
        return []
    needed = math.ceil(n * (relative / WIDE) ** 2)
    return [
        f"The mean wait is known only to ±{relative:.0%} "
        f"({interval_text(WAIT_MEAN, stat)}) with {n} replications; about {needed} would "
        f"narrow it to ±{WIDE:.0%}."
    ]


def _censored(summary: Summary) -> list[str]:
    """Travellers in port at the end of the run, whose waits are cut short, and apart from
    them those waiting outside for an opening, who have not queued yet."""
    served, unfinished = summary.mean(OVERALL, SERVED), summary.mean(OVERALL, UNFINISHED)
    if not served or not unfinished:
        return []
    counted = served + unfinished
    outside = summary.mean(OVERALL, WAITING_OUTSIDE)
    outside = 0.0 if math.isnan(outside) else outside
    inside = unfinished - outside
    out = []
    if inside / counted > CENSORED:
        where = "still in port" if outside else "not through the port"
        out.append(
            f"{inside:,.0f} travellers a replication ({inside / counted:.1%}) were {where} "
            f"at the end of the run: their waits are censored — left out of the wait "
            f"statistics, which therefore understate the waits. Lengthen the horizon past the "
            f"last arrivals."
        )
    if outside / counted > CENSORED:
        out.append(
            f"{outside:,.0f} travellers a replication ({outside / counted:.1%}) were waiting "
            f"outside for the port (or a stage) to open at the end of the run: they have not "
            f"queued yet, so neither the waits nor the waits for the opening (over those "
            f"served) count them. Lengthen the horizon past the next opening to see them through."
        )
    return out


def _undecided(summary: Summary) -> list[str]:
    return [
        f"Pledge {p.name!r} cannot be judged yet: the 95 % interval of its share straddles "
        f"the pledged {p.pledged:.0%}. More replications may decide it."
        for p in summary.pledges
        if p.verdict == "inconclusive"
    ]


def _space(summary: Summary) -> list[str]:
    out = []
    spaces = summary.run.space if summary.run is not None and summary.run.space else {}
    for name, space in spaces.items():
        stage = Scope.stage(name)
        first = summary.mean(stage, FIRST_OVER_SPACE)
        if math.isnan(first):
            continue
        out.append(
            f"Stage {name} held more than its space of {space:,} waiting for "
            f"{stat_text(TIME_OVER_SPACE, summary.find(stage, TIME_OVER_SPACE))} on average, "
            f"first at about {clock(first)}; the peak was "
            f"{stat_text(QUEUE_MAX, summary.find(stage, QUEUE_MAX))}."
        )
    return out


def run_warnings(result: SimulationResult) -> list[str]:
    """Every warning for one run, the model's own (overloads) first."""
    summary = result.summary
    return [
        *(w[0].upper() + w[1:] for w in result.warnings),
        *_replications(result),
        *_censored(summary),
        *_undecided(summary),
        *_space(summary),
    ]
