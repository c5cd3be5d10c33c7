"""From records to metric rows: the exact numbers of one replication.

Definitions (all over entities whose system arrival is at or after the warm-up, "counted"):

* ``served``: counted entities that completed their route having visited a stage (overall,
  per flow), or counted visits whose service ended (per stage), by the horizon;
* ``no_visit``: counted entities whose route skipped every stage (every step optional, none
  drawn): they pass no control, so they are neither served nor in any wait or pledge;
* ``unfinished``: counted entities (or stage visits) not completed at the horizon;
* waits: at a stage, service start − queue join over the visits whose service started; for an
  entity, the sum of its waits over its stages, over the entities served;
  ``mean``, percentiles ``p50 p90 p95 p99`` (linear interpolation) and ``max``;
* ``censored_wait_mean_s`` and ``censored_wait_max_s``: the waits the horizon cut short, as
  far as they went: for entities, the queue time of the unfinished ones so far (finished
  visits, and the time queued at the horizon); at a stage or lane group, the time the visits
  still queued at the horizon had waited. Lower bounds on waits the run does not see end,
  NaN when there are none;
* ``system_time_mean_s``: exit − arrival over the entities that completed their route;
* ``queue_mean``: time-weighted mean number waiting at the stage over [warm-up, horizon],
  from the engine's own queue counter; ``queue_max``: most waiting at once;
* ``utilization``: busy lane-time over open lane-time after the warm-up (a lane that closes
  while serving finishes its traveller and that time counts as busy);
* per lane group: the stage's visit metrics restricted to the group, its utilisation,
  ``queue_max`` and ``lanes_open_mean`` (open lane-time over the time after the warm-up);
* a stage with ``space``: ``time_over_space_s`` and ``first_over_space_s``;
* hourly (hour k from 00:00 of day 1): ``arrived`` and waits binned by queue-join time (for
  flows and overall: the arrival at the port; waits of the entities that completed),
  ``served`` by service end (flows and overall: exit), so each sums to its total;
* ``served_per_day`` (overall and per flow): served × one day / (horizon − warm-up);
* directions: the flows that share a ``direction`` label, as one block like a flow's;
* targets: per service pledge, the share within the limit (:mod:`.pledges`).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from ..engine.replication import EngineCounters
from ..metric_names import PERCENTILES
from ..model.model import Model
from ..units import DAY, HOUR
from .censored import censored
from .daily import DAY_PREFIX, daily_rows, group_rows, opening_stats, opening_waits
from .pledges import daily_shares, target_shares
from .records import Records
from .rows import MetricTable, TableWriter

__all__ = ["replication_table", "sorted_percentile", "utilization", "wait_stats"]


def wait_stats(waits: NDArray[np.float64], *, scratch: bool = False) -> dict[str, float]:
    """Mean, percentiles and maximum of some waits (NaN for none). With ``scratch`` the
    waits are a copy the caller no longer needs, which the percentiles may reorder."""
    if len(waits) == 0:
        stats = {"wait_mean_s": math.nan}
        stats.update({f"wait_p{q}_s": math.nan for q in PERCENTILES})
        stats["wait_max_s"] = math.nan
        return stats
    stats = {"wait_mean_s": float(waits.mean())}
    most = float(waits.max())
    values = np.percentile(waits, PERCENTILES, overwrite_input=scratch)
    stats.update({f"wait_p{q}_s": float(v) for q, v in zip(PERCENTILES, values, strict=True)})
    stats["wait_max_s"] = most
    return stats


def _mean(values: NDArray[np.float64]) -> float:
    return float(values.mean()) if len(values) else math.nan


def _hourly(
    out: TableWriter,
    hours: int,
    *,
    arrived: NDArray[np.integer],
    served: NDArray[np.integer],
    waits: NDArray[np.float64],
    waited: NDArray[np.integer],
) -> None:
    """Per hour: arrivals, completions and waits, from the hour of each arrival, completion
    and wait (the hour its queue was joined, or the entity arrived)."""
    arrived_count = np.bincount(arrived, minlength=hours)
    served_count = np.bincount(served, minlength=hours)
    counts = np.bincount(waited, minlength=hours)
    sums = np.bincount(waited, weights=waits, minlength=hours)
    sorted_waits = _sorted_by_hour(waits, waited, counts)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    p95 = sorted_percentile(sorted_waits, np.cumsum(counts) - counts, counts, 95)
    for hour in range(hours):
        out.update(
            {
                "arrived": arrived_count[hour],
                "served": served_count[hour],
                "wait_mean_s": means[hour],
                "wait_p95_s": p95[hour],
            },
            hour,
        )


def _sorted_by_hour(
    waits: NDArray[np.float64], hour: NDArray[np.integer], counts: NDArray[np.int64]
) -> NDArray[np.float64]:
    """The waits grouped by hour (a stable sort by hour, skipped when the hours already come
    in order, as they do for entities), then each hour's slice sorted in place."""
    if len(hour) > 1 and not bool(np.all(hour[1:] >= hour[:-1])):
        out = waits[np.argsort(hour, kind="stable")]
    else:
        out = waits.copy()
    at = 0
    for n in counts.tolist():
        if n > 1:
            out[at : at + n].sort()
        at += n
    return out


def hour_index(times: NDArray[np.float64], hours: int) -> NDArray[np.integer]:
    """The hour (from 00:00 of day 1) of each time, the last hour for the horizon itself and
    for NaN (a time that has not come)."""
    with np.errstate(invalid="ignore"):
        index = np.floor_divide(times, HOUR)
    np.nan_to_num(index, copy=False, nan=hours - 1)
    np.minimum(index, hours - 1, out=index)
    return index.astype(np.int16 if hours <= np.iinfo(np.int16).max else np.int32)


#: numpy's linear interpolation counts back from the upper value from this fraction on
_LERP_FROM_ABOVE = 0.5


def sorted_percentile(
    values: NDArray[np.float64], starts: NDArray[np.int64], counts: NDArray[np.int64], q: float
) -> NDArray[np.float64]:
    """The ``q`` percentile of each segment ``values[start : start + count]`` of sorted
    values (NaN for an empty one), with the arithmetic of ``np.percentile``'s linear method."""
    out = np.full(len(counts), np.nan)
    has = counts > 0
    n = counts[has]
    virtual = (n - 1) * (q / 100)
    below = np.floor(virtual)
    gamma = virtual - below
    first = starts[has] + below.astype(np.int64)
    after = starts[has] + np.minimum(below.astype(np.int64) + 1, n - 1)
    a, b = values[first], values[after]
    diff = b - a
    value = a + diff * gamma
    upper = gamma >= _LERP_FROM_ABOVE
    value[upper] = b[upper] - diff[upper] * (1 - gamma[upper])
    out[has] = value
    return out


class _Replication:
    """The columns of one replication's records that every block reads, and the hour of
    each arrival, exit, queue join and service end, computed once."""

    def __init__(self, model: Model, rec: Records) -> None:
        self.model = model
        self.rec = rec
        self.hours = hours = math.ceil(model.horizon / HOUR)
        self.counted = rec.entity_arrival >= model.warmup
        self.finished = ~np.isnan(rec.entity_exit)
        # stage visits of its own route (a passenger who alighted: of its sub-route)
        visited = np.bincount(rec.visit_entity, minlength=rec.entities)[: rec.entities] > 0
        self.served = self.counted & self.finished & visited
        #: counted entities whose route skipped every stage: neither served nor in a wait
        self.no_visit = self.counted & self.finished & ~visited
        self.started = ~np.isnan(rec.visit_start)
        self.ended = ~np.isnan(rec.visit_end)
        self.visit_counted = self.counted[rec.visit_entity]
        passenger = np.zeros(len(model.subflows), dtype=bool)
        passenger[[f.passengers for f in model.flows if f.passengers is not None]] = True
        #: entities of the flows themselves: all but the passengers who alight
        self.own = ~passenger[rec.entity_subflow]
        # one column of every visit's wait, reused in place (a Shenzhen-scale day has over a
        # million visits: each such column is 10 MB at the peak of the run)
        wait, queued = rec.visit_wait, ~self.started
        wait[queued] = 0.0
        self.entity_wait = (
            np.bincount(rec.visit_entity, weights=wait, minlength=rec.entities).astype(np.float64)
            + rec.entity_aboard_wait
        )
        # waits so far: started visits their wait, queued ones the time since they joined
        wait[queued] = model.horizon - rec.visit_join[queued]
        self.entity_elapsed = (
            np.bincount(rec.visit_entity, weights=wait, minlength=rec.entities)
            + rec.entity_aboard_wait
        )
        del wait, queued
        #: each entity's wait for the port to open (None: no opening hours)
        self.held = (
            opening_waits(model, rec.entity_arrival, rec.entity_stage_held) if model.holds else None
        )
        self.arrival_hour = hour_index(rec.entity_arrival, hours)
        self.exit_hour = hour_index(rec.entity_exit, hours)
        self.join_hour = hour_index(rec.visit_join, hours)
        self.end_hour = hour_index(rec.visit_end, hours)

    def entities(
        self, out: TableWriter, mask: NDArray[np.bool_], counted: NDArray[np.bool_]
    ) -> None:
        """The entity block of ``mask`` (served) among ``counted``."""
        rec = self.rec
        served = float(mask.sum())
        skipped = float((self.no_visit & counted).sum())
        out.put("served", served)
        out.put("unfinished", counted.sum() - served - skipped)
        out.put("no_visit", skipped)
        waits = self.entity_wait[mask]
        out.update(wait_stats(waits))
        out.update(censored(self.entity_elapsed[counted & ~self.finished]))
        out.put("system_time_mean_s", _mean(rec.entity_exit[mask] - rec.entity_arrival[mask]))
        out.put("served_per_day", served * DAY / (self.model.horizon - self.model.warmup))
        _hourly(
            out,
            self.hours,
            arrived=self.arrival_hour[counted],
            served=self.exit_hour[mask],
            waits=waits,
            waited=self.arrival_hour[mask],
        )
        held = None if self.held is None else self.held[mask]
        if held is not None:
            out.update(opening_stats(held))
        if self.model.multi_day:
            daily_rows(
                out,
                self.model,
                arrivals=rec.entity_arrival[counted],
                exits=rec.entity_exit[mask],
                served_arrivals=rec.entity_arrival[mask],
                waits=waits,
                held=held,
            )

    def visits(self, out: TableWriter, mask: NDArray[np.bool_]) -> None:
        out.put("served", (mask & self.ended).sum())
        out.put("unfinished", (mask & ~self.ended).sum())
        out.update(wait_stats(self.waits(mask & self.started), scratch=True))
        out.update(censored(self.model.horizon - self.rec.visit_join[mask & ~self.started]))

    def elapsed(self, mask: NDArray[np.bool_]) -> NDArray[np.float64]:
        """The waits so far of the visits in ``mask``: started visits their wait, queued ones
        the time since they joined."""
        rec, started = self.rec, self.started[mask]
        join = rec.visit_join[mask]
        return np.where(started, rec.visit_start[mask] - join, self.model.horizon - join)

    def waits(self, mask: NDArray[np.bool_]) -> NDArray[np.float64]:
        """The queue waits of the visits in ``mask`` (computed per mask: no column of every
        visit's wait is kept)."""
        rec = self.rec
        return rec.visit_start[mask] - rec.visit_join[mask]


def utilization(counters: EngineCounters, groups: tuple[int, ...]) -> float:
    """Busy lane-time over open lane-time of ``groups`` after the warm-up (NaN: never open)."""
    busy = sum(counters.group_busy_time[g] for g in groups)
    open_time = sum(counters.group_open_time[g] for g in groups)
    return float(busy / open_time) if open_time else math.nan


def _stages(r: _Replication, counters: EngineCounters, table: MetricTable) -> None:
    model, rec = r.model, r.rec
    observed = model.horizon - model.warmup
    for stage in model.stages:
        out = TableWriter(table, "stage", stage.name)
        at_stage = r.visit_counted & (rec.visit_stage == stage.index)
        r.visits(out, at_stage)
        out.put("utilization", utilization(counters, stage.groups))
        out.put("queue_mean", counters.stage_queue_mean[stage.index])
        out.put("queue_max", counters.stage_queue_max[stage.index])
        out.put("lane_hours", sum(counters.group_open_time[g] for g in stage.groups) / HOUR)
        if not math.isinf(stage.space):
            out.put("time_over_space_s", counters.stage_time_over_space[stage.index])
            out.put("first_over_space_s", counters.stage_first_over_space[stage.index])
        for g in stage.groups:
            group = TableWriter(table, "group", stage.name, model.groups[g].name)
            r.visits(group, at_stage & (rec.visit_group == g))
            group.put("utilization", utilization(counters, (g,)))
            group.put("queue_max", counters.group_queue_max[g])
            group.put("lanes_open_mean", counters.group_open_time[g] / observed)
            group_rows(group, model, counters, g)
        with_start = at_stage & r.started
        waits = r.waits(with_start)
        _hourly(
            out,
            r.hours,
            arrived=r.join_hour[at_stage],
            served=r.end_hour[at_stage & r.ended],
            waits=waits,
            waited=r.join_hour[with_start],
        )
        if model.multi_day:  # by queue join, as the hourly rows
            daily_rows(
                out,
                model,
                arrivals=rec.visit_join[at_stage],
                exits=rec.visit_end[at_stage & r.ended],
                served_arrivals=rec.visit_join[with_start],
                waits=waits,
                held=None,
            )


def _targets(r: _Replication, table: MetricTable) -> None:
    model, rec = r.model, r.rec
    entity_elapsed = r.entity_elapsed
    for target in model.targets:
        if target.stage is not None:
            at = r.visit_counted & (rec.visit_stage == target.stage)
            waits, times = r.elapsed(at), rec.visit_join[at]
            known = r.started[at] | (waits > target.wait_within)
        else:
            of = r.counted & ~r.no_visit  # who passed no control is in no pledge
            if target.subflow is not None:
                of &= rec.entity_subflow == target.subflow
            else:  # the flows' own entities, as in the overall and flow blocks
                of &= r.own
                if target.flow is not None:
                    of &= rec.entity_flow == target.flow
            waits, times = entity_elapsed[of], rec.entity_arrival[of]
            known = r.finished[of] | (waits > target.wait_within)
        out = TableWriter(table, "target", target.name)
        share, hourly, counts = target_shares(
            target, waits=waits, known=known, times=times, hours=r.hours
        )
        out.put("share", share)
        for hour, value in enumerate(hourly):
            out.put("share", value, hour)
        if model.multi_day:
            for day, value in enumerate(daily_shares(*counts, len(model.days or ()))):
                out.put(DAY_PREFIX + "share", value, day)


def _flows(r: _Replication, table: MetricTable) -> None:
    """Each flow's block (its own entities, not the passengers who alight from its
    vehicles), its classes' blocks, and its passengers' block, with the waits at the
    meeting point."""
    model, rec = r.model, r.rec
    for flow in model.flows:
        of_flow = (rec.entity_flow == flow.index) & r.own
        out = TableWriter(table, "flow", flow.name)
        r.entities(out, r.served & of_flow, r.counted & of_flow)
        if flow.passengers is not None:
            _meet(out, rec.entity_meet[r.served & of_flow], "vehicle_dwell")
        for sub in flow.subflows if model.subflows[flow.subflows[0]].cls else ():
            of_class = rec.entity_subflow == sub
            block = TableWriter(table, "class", model.subflows[sub].name)
            r.entities(block, r.served & of_class, r.counted & of_class)
        if flow.passengers is not None:
            of_passengers = rec.entity_subflow == flow.passengers
            block = TableWriter(table, "passengers", flow.name)
            r.entities(block, r.served & of_passengers, r.counted & of_passengers)
            _meet(block, rec.entity_meet[r.served & of_passengers], "wait_for_vehicle")


def _meet(out: TableWriter, times: NDArray[np.float64], name: str) -> None:
    """Mean and longest time at the meeting point (NaN where nobody met)."""
    times = times[~np.isnan(times)]
    out.put(f"{name}_mean_s", _mean(times))
    out.put(f"{name}_max_s", float(times.max()) if len(times) else math.nan)


def _counts(r: _Replication, table: MetricTable) -> None:
    """Persons and vehicles: every person once (on foot, or aboard a vehicle through its
    queues: a vehicle's occupants but those who alighted), every vehicle once."""
    model, rec = r.model, r.rec
    vehicle_flow = np.asarray([f.vehicle for f in model.flows], dtype=bool)
    vehicle = vehicle_flow[rec.entity_flow] & r.own
    alighted = np.bincount(rec.entity_parent[rec.entity_parent >= 0], minlength=rec.entities)
    persons = np.where(alighted[: rec.entities] > 0, 1, rec.entity_size).astype(np.int64)
    _weighted(r, TableWriter(table, "persons"), persons)
    if any(flow.vehicle for flow in model.flows):
        _weighted(r, TableWriter(table, "vehicles"), vehicle.astype(np.int64))


def _weighted(r: _Replication, out: TableWriter, weight: NDArray[np.int64]) -> None:
    served = int(weight[r.served].sum())
    skipped = int(weight[r.no_visit].sum())
    out.put("served", served)
    out.put("unfinished", int(weight[r.counted].sum()) - served - skipped)
    out.put("no_visit", skipped)
    waits, times = r.entity_wait[r.served], weight[r.served]
    if not bool(np.all(times == 1)):  # else each wait once: the same values, no copy
        waits = np.repeat(waits, times)
    out.update(wait_stats(waits, scratch=True))
    out.put("served_per_day", served * DAY / (r.model.horizon - r.model.warmup))


def replication_table(model: Model, counters: EngineCounters, rec: Records) -> MetricTable:
    """Every metric of one replication, from its records and the engine's counters."""
    table: MetricTable = {}
    r = _Replication(model, rec)
    r.entities(TableWriter(table, "overall"), r.served & r.own, r.counted & r.own)
    _stages(r, counters, table)
    _flows(r, table)
    for direction, indices in model.directions.items():
        of_direction = np.isin(rec.entity_flow, indices) & r.own
        r.entities(
            TableWriter(table, "direction", direction),
            r.served & of_direction,
            r.counted & of_direction,
        )
    _counts(r, table)
    _targets(r, table)
    return table
