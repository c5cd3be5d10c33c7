"""From records to the numbers a planner reads: per replication, then across replications.

Definitions (all over entities whose system arrival is at or after the warm-up, "counted"):

* ``served``: counted entities that completed their route (overall, per flow), or counted
  visits whose service ended (per stage), by the horizon;
* ``unfinished``: counted entities (or stage visits) not completed at the horizon;
* waits: at a stage, service start − queue join over the visits whose service started; for an
  entity, the sum of its waits over its stages, over the entities that completed their route;
  ``mean``, percentiles ``p50 p90 p95 p99`` (linear interpolation) and ``max``;
* ``system_time_mean_s``: exit − arrival over the entities that completed their route;
* ``queue_mean``: time-weighted mean number waiting at the stage over [warm-up, horizon],
  from the engine's own queue counter; ``queue_max``: most waiting at once;
* ``utilization``: busy lane-time over open lane-time after the warm-up (open lane-time
  follows the lane schedule; a lane that closes while serving finishes its traveller and that
  time counts as busy);
* per lane group (``stages.<stage>.groups.<group>``): the stage's visit metrics restricted to
  the group, its utilisation, ``queue_max`` and ``lanes_open_mean`` (open lane-time over the
  time after the warm-up);
* a stage with ``space``: ``time_over_space_s`` (seconds with more travellers waiting than
  fit) and ``first_over_space_s`` (when that first happened; ``null`` if never);
* ``hourly``: per hour k from 00:00 of day 1, ``arrived`` and waits binned by queue-join
  time (for flows and overall: the arrival at the port; waits of the entities that
  completed), ``served`` by service end (flows and overall: exit), so each sums over the
  hours to its total;
* ``served_per_day`` (overall and per flow): served × 86,400 / (horizon − warm-up);
* ``directions``: the flows that share a ``direction`` label, as one block like a flow's;
* ``targets``: per service pledge, the share within the limit (see :mod:`portsim.targets`).

Across replications each metric becomes ``{"mean": x, "ci95": [lo, hi]}``: the mean over the
replications and its Student-t 95 % interval (``null`` with fewer than two replications).
A metric with no value in a replication (no entity served, say) is left out of that
replication's contribution; with no value at all it is ``null``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._metric_names import PERCENTILES
from .engine import ReplicationResult
from .model import Model
from .scenario import SECONDS_PER_HOUR
from .targets import target_shares

__all__ = ["PERCENTILES", "aggregate", "replication_metrics", "t_interval"]

Metrics = dict[str, Any]


def _wait_stats(waits: NDArray[np.float64]) -> dict[str, float]:
    if len(waits) == 0:
        stats = {"wait_mean_s": math.nan}
        stats.update({f"wait_p{q}_s": math.nan for q in PERCENTILES})
        stats["wait_max_s"] = math.nan
        return stats
    values = np.percentile(waits, PERCENTILES)
    stats = {"wait_mean_s": float(waits.mean())}
    stats.update({f"wait_p{q}_s": float(v) for q, v in zip(PERCENTILES, values, strict=True)})
    stats["wait_max_s"] = float(waits.max())
    return stats


def _mean(values: NDArray[np.float64]) -> float:
    return float(values.mean()) if len(values) else math.nan


def _hourly(
    hours: int,
    arrived_at: NDArray[np.float64],
    served_at: NDArray[np.float64],
    waits: NDArray[np.float64],
    waited_at: NDArray[np.float64],
) -> list[Metrics]:
    """Per hour k (from 00:00 of day 1): arrivals, completions and the waits binned by the
    time given for each."""

    def hour_of(times: NDArray[np.float64]) -> NDArray[np.int64]:
        return np.minimum((times // SECONDS_PER_HOUR).astype(np.int64), hours - 1)

    arrived = np.bincount(hour_of(arrived_at), minlength=hours)
    served = np.bincount(hour_of(served_at), minlength=hours)
    wait_hour = hour_of(waited_at)
    counts = np.bincount(wait_hour, minlength=hours)
    sums = np.bincount(wait_hour, weights=waits, minlength=hours)
    order = np.lexsort((waits, wait_hour))
    sorted_waits = waits[order]
    ends = np.cumsum(counts)
    rows: list[Metrics] = []
    for hour in range(hours):
        n = int(counts[hour])
        if n:
            segment = sorted_waits[ends[hour] - n : ends[hour]]
            mean, p95 = float(sums[hour] / n), float(np.percentile(segment, 95))
        else:
            mean = p95 = math.nan
        rows.append(
            {
                "hour": hour,
                "arrived": float(arrived[hour]),
                "served": float(served[hour]),
                "wait_mean_s": mean,
                "wait_p95_s": p95,
            }
        )
    return rows


def replication_metrics(model: Model, result: ReplicationResult) -> Metrics:
    """The summary of one replication, as nested dicts of plain floats (``hour`` numbers
    are ints)."""
    rec = result.records
    warmup = model.warmup
    hours = math.ceil(model.horizon / SECONDS_PER_HOUR)
    counted = rec.entity_arrival >= warmup
    finished = ~np.isnan(rec.entity_exit)
    served = counted & finished
    entity = rec.visit_entity
    wait = rec.visit_wait
    started = ~np.isnan(rec.visit_start)
    ended = ~np.isnan(rec.visit_end)
    visit_counted = counted[entity]
    entity_wait = np.bincount(
        entity[started], weights=wait[started], minlength=rec.entities
    ).astype(np.float64)
    system_time = rec.entity_exit - rec.entity_arrival

    def entity_block(mask: NDArray[np.bool_], counted_mask: NDArray[np.bool_]) -> Metrics:
        block: Metrics = {
            "served": float(mask.sum()),
            "unfinished": float(counted_mask.sum() - mask.sum()),
        }
        block.update(_wait_stats(entity_wait[mask]))
        block["system_time_mean_s"] = _mean(system_time[mask])
        block["served_per_day"] = block["served"] * 86_400 / (model.horizon - warmup)
        block["hourly"] = _hourly(
            hours,
            arrived_at=rec.entity_arrival[counted_mask],
            served_at=rec.entity_exit[mask],
            waits=entity_wait[mask],
            waited_at=rec.entity_arrival[mask],
        )
        return block

    def visit_block(mask: NDArray[np.bool_]) -> Metrics:
        block: Metrics = {
            "served": float((mask & ended).sum()),
            "unfinished": float((mask & ~ended).sum()),
        }
        block.update(_wait_stats(wait[mask & started]))
        return block

    def utilization(groups: tuple[int, ...]) -> float:
        busy = sum(result.group_busy_time[g] for g in groups)
        open_time = sum(result.group_open_time[g] for g in groups)
        return float(busy / open_time) if open_time else math.nan

    overall = entity_block(served, counted)

    stages: Metrics = {}
    for stage in model.stages:
        at_stage = visit_counted & (rec.visit_stage == stage.index)
        block = visit_block(at_stage)
        block["utilization"] = utilization(stage.groups)
        block["queue_mean"] = float(result.stage_queue_mean[stage.index])
        block["queue_max"] = float(result.stage_queue_max[stage.index])
        if not math.isinf(stage.space):
            block["time_over_space_s"] = float(result.stage_time_over_space[stage.index])
            block["first_over_space_s"] = float(result.stage_first_over_space[stage.index])
        groups: Metrics = {}
        for g in stage.groups:
            group = visit_block(at_stage & (rec.visit_group == g))
            group["utilization"] = utilization((g,))
            group["queue_max"] = float(result.group_queue_max[g])
            group["lanes_open_mean"] = float(result.group_open_time[g] / (model.horizon - warmup))
            groups[model.groups[g].name] = group
        block["groups"] = groups
        with_start = at_stage & started
        block["hourly"] = _hourly(
            hours,
            arrived_at=rec.visit_join[at_stage],
            served_at=rec.visit_end[at_stage & ended],
            waits=wait[with_start],
            waited_at=rec.visit_join[with_start],
        )
        stages[stage.name] = block

    flows: Metrics = {}
    for flow in model.flows:
        of_flow = rec.entity_flow == flow.index
        flows[flow.name] = entity_block(served & of_flow, counted & of_flow)

    metrics: Metrics = {"overall": overall, "stages": stages, "flows": flows}
    directions = sorted({f.direction for f in model.flows if f.direction is not None})
    if directions:
        by_direction: Metrics = {}
        metrics["directions"] = by_direction
        for direction in directions:
            indices = [f.index for f in model.flows if f.direction == direction]
            of_direction = np.isin(rec.entity_flow, indices)
            by_direction[direction] = entity_block(served & of_direction, counted & of_direction)
    targets = model.scenario.targets
    if targets:
        # waits so far: finished visits their wait, unstarted ones the time since they joined
        elapsed = np.where(started, wait, model.horizon - rec.visit_join)
        entity_elapsed = np.bincount(entity, weights=elapsed, minlength=rec.entities)
        stage_index = {s.name: s.index for s in model.stages}
        flow_index = {f.name: f.index for f in model.flows}
        rows = []
        for target in targets:
            if target.stage is not None:
                at = visit_counted & (rec.visit_stage == stage_index[target.stage])
                waits, times = elapsed[at], rec.visit_join[at]
                known = started[at] | (waits > target.wait_within)
            else:
                of = counted.copy()
                if target.flow is not None:
                    of &= rec.entity_flow == flow_index[target.flow]
                waits, times = entity_elapsed[of], rec.entity_arrival[of]
                known = finished[of] | (waits > target.wait_within)
            shares = target_shares(target, waits=waits, known=known, times=times, hours=hours)
            rows.append({"name": target.name, **shares})
        metrics["targets"] = rows
    return metrics


@cache
def _t975(df: int) -> float:
    """The 97.5 % quantile of Student's t with ``df`` degrees of freedom."""
    from scipy.special import stdtrit  # noqa: PLC0415 - kept out of the simulation path

    return float(stdtrit(df, 0.975))


def t_interval(values: Sequence[float]) -> tuple[float, list[float] | None]:
    """Mean and Student-t 95 % confidence interval of replication values (NaNs left out)."""
    data = [v for v in values if not math.isnan(v)]
    n = len(data)
    if n == 0:
        return math.nan, None
    mean = math.fsum(data) / n
    if n < 2:
        return mean, None
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in data) / (n - 1))
    half = _t975(n - 1) * sd / math.sqrt(n)
    return mean, [mean - half, mean + half]


def aggregate(per_replication: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Combine replications' nested metrics leaf by leaf into ``{"mean", "ci95"}``; lists
    (hourly rows) element by element; int labels (``hour``) stay as they are."""
    first = per_replication[0]
    out: dict[str, Any] = {}
    for key, value in first.items():
        if isinstance(value, Mapping):
            out[key] = aggregate([m[key] for m in per_replication])
        elif isinstance(value, list):
            out[key] = [aggregate([m[key][i] for m in per_replication]) for i in range(len(value))]
        elif isinstance(value, int | str):
            out[key] = value
        else:
            mean, ci = t_interval([float(m[key]) for m in per_replication])
            out[key] = {"mean": mean, "ci95": ci}
    return out
