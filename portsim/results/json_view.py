"""The run JSON as a view of the summary: each ``(level, name, group, hour, metric)``
statistic placed in the nested blocks a planner reads (``overall``, ``stages`` with their
``groups``, ``flows``, ``directions``, ``hourly`` and ``daily`` lists), the pledges as
``targets``, the documented figures as ``reference`` and ``validation``. A comparison's
paired differences render as the same blocks. This module and :mod:`.catalog` are the only
ones that spell the JSON's names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model.days import Days
from .catalog import DAY_PREFIX
from .rows import ALL_HOURS, MetricKey
from .scopes import Scope
from .statistics import Stat
from .summary import Day, PledgeResult, RunFacts, Summary

__all__ = ["BLOCK_LEVELS", "nested_view", "summary_json"]

#: the levels of the run JSON's blocks (pledges have their own list, ``targets``)
BLOCK_LEVELS = frozenset(
    {
        "overall",
        "stage",
        "group",
        "flow",
        "class",
        "passengers",
        "direction",
        "persons",
        "vehicles",
        "pool",
    }
)


def _child(node: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The block at ``keys`` below ``node``, made on the way where missing."""
    for key in keys:
        node = node.setdefault(key, {})
    return node


def _day(day: int, days: Days | None) -> dict[str, Any]:
    known = days is not None and day < len(days)
    return {
        "day": day + 1,
        "date": days.dates[day] if known else None,  # type: ignore[union-attr]
        "type": days.types[day] if known else None,  # type: ignore[union-attr]
    }


def _value(value: Stat | float) -> Any:
    return value.json() if isinstance(value, Stat) else value


def nested_view(
    stats: Mapping[MetricKey, Stat | float], levels: frozenset[str], days: Days | None = None
) -> dict[str, Any]:
    """The statistics (or one replication's plain values) of ``levels`` as nested blocks,
    in row order; hourly rows become the block's ``hourly`` list of ``{"hour": k, metric:
    …}``, daily rows (``day_`` metrics) its ``daily`` list of ``{"day": d, "date", "type",
    metric: …}`` (``days`` labels them)."""
    out: dict[str, Any] = {}
    for (level, name, group, hour, metric), stat in stats.items():
        if level not in levels:
            continue
        if level == "target":  # a list, in the order of the pledges
            targets: list[dict[str, Any]] = out.setdefault("targets", [])
            if not targets or targets[-1]["name"] != name:
                targets.append({"name": name})
            node = targets[-1]
        else:
            node = _child(out, *Scope(level, name, group).path)
        value = _value(stat)
        if hour == ALL_HOURS:
            node[metric] = value
        elif metric.startswith(DAY_PREFIX):
            daily = node.setdefault("daily", [])
            while len(daily) <= hour:
                daily.append(_day(len(daily), days))
            daily[hour][metric.removeprefix(DAY_PREFIX)] = value
        else:
            hourly = node.setdefault("hourly", [])
            while len(hourly) <= hour:
                hourly.append({"hour": len(hourly)})
            hourly[hour][metric] = value
    return out


def _day_entry(day: Day) -> dict[str, Any]:
    return {"day": day.number, "date": day.date, "type": day.type}


def _pledge(p: PledgeResult, days: tuple[Day, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": p.name,
        "flow": p.flow,
        "stage": p.stage,
        "wait_within_s": p.wait_within,
        "target": p.pledged,
        "share": p.share.json(),
        "verdict": p.verdict,
        "hourly": [{"hour": h, "share": s.json()} for h, s in enumerate(p.hourly)],
    }
    if p.daily:  # each day's share and its verdict against the pledge
        out["daily"] = [
            {**_day_entry(day), "share": share.json(), "verdict": verdict}
            for day, (share, verdict) in zip(days, p.daily, strict=False)
        ]
    return out


def _facts(blocks: dict[str, Any], run: RunFacts) -> None:
    """The run's facts, not statistics, in their blocks: each stage's declared space, each
    lane group's log of open lanes and of emergencies, each staff pool's logs of officers
    committed (``in_use``) and on duty (``on_duty``)."""
    for stage, space in (run.space or {}).items():  # a plain number, not a metric
        blocks["stages"][stage]["space"] = space
    for (stage, group), logs in (run.lanes_open or {}).items():
        blocks["stages"][stage]["groups"][group]["lanes_open"] = [
            [[t, n] for t, n in log] for log in logs
        ]
    for (stage, group), spells in (run.emergency_log or {}).items():
        blocks["stages"][stage]["groups"][group]["emergency_log"] = [
            [[start, length] for start, length in spell] for spell in spells
        ]
    for name, logs in (run.officers_in_use or {}).items():
        blocks["staff"][name]["in_use"] = [[[t, n] for t, n in log] for log in logs]
    for name, logs in (run.officers_on_duty or {}).items():
        blocks["staff"][name]["on_duty"] = [[[t, n] for t, n in log] for log in logs]


def summary_json(summary: Summary) -> dict[str, Any]:
    """The run JSON of a run's summary (``docs/output.md``), or the blocks of
    a comparison's differences."""
    labels = Days(
        tuple(d.type for d in summary.days), tuple(d.date for d in summary.days)
    )  # the days as the summary labels them
    blocks = nested_view(summary.stats, BLOCK_LEVELS, labels)
    run = summary.run
    if run is None:  # differences: their blocks only
        out = {"overall": blocks.get("overall", {}), "stages": blocks.get("stages", {})}
        out["flows"] = blocks.get("flows", {})
        for level in ("directions", "persons", "vehicles", "staff"):
            if level in blocks:
                out[level] = blocks[level]
        return out
    _facts(blocks, run)
    out = {
        "scenario": run.scenario,
        "replications": run.replications,
        "seed": run.seed,
        "horizon_s": run.horizon,
        "warmup_s": run.warmup,
        "warnings": list(run.warnings),
        "overall": blocks["overall"],
        "stages": blocks["stages"],
        "flows": blocks["flows"],
    }
    if "directions" in blocks:
        out["directions"] = blocks["directions"]
    out["persons"] = blocks["persons"]
    if "vehicles" in blocks:
        out["vehicles"] = blocks["vehicles"]
    if "staff" in blocks:  # staff pools: officer-hours, officers on duty and busy
        out["staff"] = blocks["staff"]
    if run.pledges:
        out["targets"] = [_pledge(p, summary.days) for p in run.pledges]
    if run.validation is not None:
        out["reference"] = [figure.json() for figure in run.figures]
        out["validation"] = run.validation.json()
    return out
