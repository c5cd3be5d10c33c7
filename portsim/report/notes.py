"""What a reader should be warned of: overloaded stages, intervals too wide for the
replications run, waits cut off by the horizon (censored), pledges the run cannot decide,
halls fuller than their space."""

from __future__ import annotations

import math
from typing import Any

from ..run.simulate import SimulationResult
from ..units import format_duration
from .tables import clock

__all__ = ["WIDE", "run_warnings"]

#: an interval whose half-width exceeds this share of its mean is called wide
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
    stat = result.summary["overall"]["wait_mean_s"]
    mean, ci = stat["mean"], stat["ci95"]
    if not ci or mean is None or mean <= 0:
        return []
    relative = (ci[1] - ci[0]) / 2 / mean
    if relative <= WIDE:
        return []
    needed = math.ceil(n * (relative / WIDE) ** 2)
    return [
        f"The mean wait is known only to ±{relative:.0%} ({format_duration(ci[0])} – "
        f"{format_duration(ci[1])}) with {n} replications; about {needed} would narrow it to "
        f"±{WIDE:.0%}."
    ]


def _censored(summary: dict[str, Any]) -> list[str]:
    overall = summary["overall"]
    served, unfinished = overall["served"]["mean"], overall["unfinished"]["mean"]
    if not served or not unfinished or unfinished / (served + unfinished) <= CENSORED:
        return []
    share = unfinished / (served + unfinished)
    return [
        f"{unfinished:,.0f} travellers a replication ({share:.1%}) were still in port at the "
        f"end of the run: their waits are censored — left out of the wait statistics, which "
        f"therefore understate the waits. Lengthen the horizon past the last arrivals."
    ]


def _undecided(summary: dict[str, Any]) -> list[str]:
    return [
        f"Pledge {t['name']!r} cannot be judged yet: the 95 % interval of its share straddles "
        f"the pledged {t['target']:.0%}. More replications may decide it."
        for t in summary.get("targets", [])
        if t["verdict"] == "inconclusive"
    ]


def _space(summary: dict[str, Any]) -> list[str]:
    out = []
    for name, m in summary["stages"].items():
        if "space" not in m:
            continue
        first = m["first_over_space_s"]["mean"]
        if first is None or math.isnan(first):
            continue
        out.append(
            f"Stage {name} held more than its space of {m['space']:,} waiting for "
            f"{format_duration(m['time_over_space_s']['mean'])} on average, first at about "
            f"{clock(first)}; the peak was {m['queue_max']['mean']:,.0f}."
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
