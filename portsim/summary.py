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
* ``utilization``: busy lane-time over open lane-time after the warm-up.

Across replications each metric becomes ``{"mean": x, "ci95": [lo, hi]}``: the mean over the
replications and its Student-t 95 % interval (``null`` with fewer than two replications).
A metric with no value in a replication (no entity served, say) is left out of that
replication's contribution; with no value at all it is ``null``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .engine import ReplicationResult
from .model import Model

__all__ = ["PERCENTILES", "aggregate", "replication_metrics", "t_interval"]

PERCENTILES: tuple[int, ...] = (50, 90, 95, 99)

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


def replication_metrics(model: Model, result: ReplicationResult) -> Metrics:
    """The summary of one replication, as nested dicts of plain floats."""
    rec = result.records
    warmup = model.warmup
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
        return block

    overall = entity_block(served, counted)

    stages: Metrics = {}
    for stage in model.stages:
        at_stage = visit_counted & (rec.visit_stage == stage.index)
        block = {
            "served": float((at_stage & ended).sum()),
            "unfinished": float((at_stage & ~ended).sum()),
        }
        block.update(_wait_stats(wait[at_stage & started]))
        busy = sum(result.group_busy_time[g] for g in stage.groups)
        open_time = sum(result.group_open_time[g] for g in stage.groups)
        block["utilization"] = float(busy / open_time) if open_time else math.nan
        block["queue_mean"] = float(result.stage_queue_mean[stage.index])
        block["queue_max"] = float(result.stage_queue_max[stage.index])
        stages[stage.name] = block

    flows: Metrics = {}
    for flow in model.flows:
        of_flow = rec.entity_flow == flow.index
        flows[flow.name] = entity_block(served & of_flow, counted & of_flow)

    return {"overall": overall, "stages": stages, "flows": flows}


def t_interval(values: Sequence[float]) -> tuple[float, list[float] | None]:
    """Mean and Student-t 95 % confidence interval of replication values (NaNs left out)."""
    data = np.asarray([v for v in values if not math.isnan(v)], dtype=np.float64)
    if len(data) == 0:
        return math.nan, None
    mean = float(data.mean())
    if len(data) < 2:
        return mean, None
    from scipy.special import stdtrit  # noqa: PLC0415 - kept out of the simulation path

    half = float(stdtrit(len(data) - 1, 0.975)) * float(data.std(ddof=1)) / math.sqrt(len(data))
    return mean, [mean - half, mean + half]


def aggregate(per_replication: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Combine replications' nested metrics leaf by leaf into ``{"mean", "ci95"}``."""
    first = per_replication[0]
    out: dict[str, Any] = {}
    for key, value in first.items():
        if isinstance(value, Mapping):
            out[key] = aggregate([m[key] for m in per_replication])
        else:
            mean, ci = t_interval([float(m[key]) for m in per_replication])
            out[key] = {"mean": mean, "ci95": ci}
    return out
