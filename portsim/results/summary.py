"""The run JSON as a view of the metric rows: each ``(level, name, group, hour, metric)``
statistic placed in the nested blocks a planner reads (``overall``, ``stages`` with their
``groups``, ``flows``, ``directions``, ``hourly`` lists). The same view shows paired
differences in ``compare``."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..model.days import Days
from ..model.model import Model
from .daily import DAY_PREFIX
from .figures import compare_figures, validation_verdict
from .pledges import verdict
from .rows import ALL_HOURS, MetricKey, MetricTable
from .statistics import Stat

__all__ = ["ENTITY_LEVELS", "block_path", "nested_view", "run_summary"]

_PLURAL = {"stage": "stages", "flow": "flows", "direction": "directions"}
#: the levels of the run JSON's blocks (targets have their own list)
ENTITY_LEVELS = frozenset(
    {"overall", "stage", "group", "flow", "class", "passengers", "direction", "persons", "vehicles"}
)


def _child(node: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The block at ``keys`` below ``node``, made on the way where missing."""
    for key in keys:
        node = node.setdefault(key, {})
    return node


def block_path(level: str, name: str, group: str) -> tuple[str, ...]:
    """Where the block of a metric row is in the run JSON (a target: by its name)."""
    if level == "target":
        return ("targets", name)
    if level == "group":
        return ("stages", name, "groups", group)
    if level == "class":  # flows.FLOW.classes.CLASS
        flow, _, cls = name.partition(".")
        return ("flows", flow, "classes", cls)
    if level == "passengers":  # flows.FLOW.passengers
        return ("flows", name, "passengers")
    if level in {"overall", "persons", "vehicles"}:
        return (level,)
    return (_PLURAL[level], name)


def _node(out: dict[str, Any], level: str, name: str, group: str) -> dict[str, Any]:
    if level == "target":  # a list, in the order of the pledges
        targets: list[dict[str, Any]] = out.setdefault("targets", [])
        if not targets or targets[-1]["name"] != name:
            targets.append({"name": name})
        return targets[-1]
    return _child(out, *block_path(level, name, group))


def nested_view(
    stats: Mapping[MetricKey, Any], levels: frozenset[str], days: Days | None = None
) -> dict[str, Any]:
    """The statistics of ``levels`` as nested blocks, in row order; hourly rows become the
    block's ``hourly`` list of ``{"hour": k, metric: …}``, daily rows (``day_`` metrics) its
    ``daily`` list of ``{"day": d, "date", "type", metric: …}`` (``days`` labels them)."""
    out: dict[str, Any] = {}
    for (level, name, group, hour, metric), stat in stats.items():
        if level not in levels:
            continue
        node = _node(out, level, name, group)
        if hour == ALL_HOURS:
            node[metric] = stat
            continue
        if metric.startswith(DAY_PREFIX):
            daily = node.setdefault("daily", [])
            while len(daily) <= hour:
                daily.append(_day_entry(len(daily), days))
            daily[hour][metric.removeprefix(DAY_PREFIX)] = stat
            continue
        hourly = node.setdefault("hourly", [])
        while len(hourly) <= hour:
            hourly.append({"hour": len(hourly)})
        hourly[hour][metric] = stat
    return out


def _day_entry(day: int, days: Days | None) -> dict[str, Any]:
    known = days is not None and day < len(days)
    return {
        "day": day + 1,
        "date": days.dates[day] if known else None,  # type: ignore[union-attr]
        "type": days.types[day] if known else None,  # type: ignore[union-attr]
    }


def _share(stat: Stat) -> Stat:
    """A share's statistic with its interval within [0, 1] (a t interval on a share near 0
    or 1 can pass the bound; no share lies beyond it)."""
    ci = stat["ci95"]
    if ci is None or (ci[0] >= 0 and ci[1] <= 1):
        return stat
    return {**stat, "ci95": [max(ci[0], 0.0), min(ci[1], 1.0)]}


def _targets(model: Model, stats: dict[MetricKey, Stat]) -> list[dict[str, Any]]:
    rows = []
    for target in model.targets:
        share = _share(stats[("target", target.name, "", ALL_HOURS, "share")])
        hours = sorted(
            h for (lv, n, _, h, m) in stats if lv == "target" and n == target.name and m == "share"
        )
        daily = [
            (h, stat)
            for (lv, n, _, h, m), stat in stats.items()
            if lv == "target" and n == target.name and m == DAY_PREFIX + "share"
        ]
        rows.append(
            {
                "name": target.name,
                "flow": target.flow_name,
                "stage": target.stage_name,
                "wait_within_s": target.wait_within,
                "target": target.share,
                "share": share,
                "verdict": verdict(share["mean"], share["ci95"], target.share),
                "hourly": [
                    {"hour": h, "share": _share(stats[("target", target.name, "", h, "share")])}
                    for h in hours
                    if h != ALL_HOURS
                ],
            }
        )
        if daily:  # each day's share and its verdict against the pledge
            rows[-1]["daily"] = [
                {
                    **_day_entry(day, model.days),
                    "share": share_stat,
                    "verdict": verdict(share_stat["mean"], share_stat["ci95"], target.share),
                }
                for day, share_stat in ((d, _share(stat)) for d, stat in sorted(daily))
            ]
    return rows


def run_summary(
    model: Model,
    stats: dict[MetricKey, Stat],
    *,
    seed: int,
    replications: int,
    warnings: list[str],
    lanes_open: Sequence[Sequence[Sequence[tuple[float, int]]]] = (),
    emergencies: Sequence[Sequence[Sequence[tuple[float, float]]]] = (),
    tables: Sequence[MetricTable] = (),
) -> dict[str, Any]:
    """The run JSON (see the README's Output section). ``lanes_open`` holds, per replication
    and per lane group, the engine's log of open lanes (``[time, lanes]`` from time 0);
    ``emergencies`` the ``(start, duration)`` of each emergency of a group with an
    emergency line; ``tables``, each replication's metric rows, give the documented
    figures' intervals."""
    blocks = nested_view(stats, ENTITY_LEVELS, model.days)
    for stage in model.stages:  # the declared space is a plain number, not a metric
        if not math.isinf(stage.space):
            blocks["stages"][stage.name]["space"] = int(stage.space)
    for group in model.groups:  # facts of each replication, not statistics
        if lanes_open:
            block = blocks["stages"][model.stages[group.stage].name]["groups"][group.name]
            block["lanes_open"] = [
                [[t, n] for t, n in replication[group.index]] for replication in lanes_open
            ]
        rule = group.rule
        if emergencies and rule is not None and not math.isinf(rule.emergency):
            block = blocks["stages"][model.stages[group.stage].name]["groups"][group.name]
            block["emergency_log"] = [
                [[start, length] for start, length in replication[group.index]]
                for replication in emergencies
            ]
    summary: dict[str, Any] = {
        "scenario": model.name,
        "replications": replications,
        "seed": seed,
        "horizon_s": model.horizon,
        "warmup_s": model.warmup,
        "warnings": list(warnings),
        "overall": blocks["overall"],
        "stages": blocks["stages"],
        "flows": blocks["flows"],
    }
    if "directions" in blocks:
        summary["directions"] = blocks["directions"]
    summary["persons"] = blocks["persons"]
    if any(flow.vehicle for flow in model.flows):
        summary["vehicles"] = blocks["vehicles"]
    if model.targets:
        summary["targets"] = _targets(model, stats)
    if model.figures:
        summary["reference"] = compare_figures(model.figures, stats, tables)
        summary["validation"] = validation_verdict(summary["reference"])
    return summary
