"""From records to metric rows: the exact numbers of one replication.

Definitions (all over entities whose system arrival is at or after the warm-up, "counted"):

* ``served``: counted entities that completed their route having visited a stage or let
  passengers alight (overall, per flow), or counted visits whose service ended (per stage),
  by the horizon. A vehicle whose passengers alighted is served when it leaves, though no
  stage of its own route is drawn (a coach that drops its passengers at the hall and waits
  for them): its time in port and its dwell at the meeting point count, and its wait is
  the queue time of its own visits (0 if it queued nowhere), in every block it belongs to,
  and in the pledges, which count whom the waits count;
* ``no_visit``: counted entities whose route skipped every stage and let nobody alight
  (every step optional, none drawn; a vehicle with only its driver aboard at ``alight``):
  they pass no control and bring nobody to one, so they are neither served nor in any wait
  or pledge;
* ``unfinished``: counted entities (or stage visits) not completed at the horizon;
* waits: at a stage, service start − queue join over the visits whose service started; for an
  entity, the sum of its waits over its stages, over the entities served;
  ``mean``, percentiles ``p50 p90 p95 p99`` (linear interpolation) and ``max``;
* ``censored_wait_mean_s`` and ``censored_wait_max_s``: the waits the horizon cut short, as
  far as they went: for entities, the queue time of the unfinished ones so far (finished
  visits, and the time queued at the horizon), over those in port, not those waiting
  outside for an opening (their queue time is 0: averaged in, it would pull the mean
  towards 0 however long those inside had waited); at a stage or lane group, the time the
  visits still queued at the horizon had waited. Lower bounds on waits the run does not
  see end, NaN when there are none;
* ``waiting_outside`` (with opening hours): counted entities waiting at the horizon for the
  port to open (come while it was closed, its next opening at the horizon or later) or
  before a stage with hours of its own, closed when they reached it;
* ``system_time_mean_s``: exit − arrival over the entities served;
* ``queue_mean``: time-weighted mean number waiting at the stage over [warm-up, horizon],
  from the engine's own queue counter; ``queue_max``: most waiting at once;
* ``utilization``: busy lane-time over staffed lane-time after the warm-up, so at most 1.
  Staffed is open or in overtime: a lane that closes while serving finishes its traveller,
  busy and staffed, from the closing until the traveller leaves (or the lane reopens, or
  the horizon);
* ``lane_hours`` (stage and lane group): staffed lane-hours after the warm-up, the staff
  cost (:mod:`.daily`);
* per lane group: the stage's visit metrics restricted to the group, its utilisation,
  ``queue_max`` and ``lanes_open_mean`` (open lane-time over the time after the warm-up:
  lanes taking travellers, overtime left out);
* a stage with ``space``: ``time_over_space_s`` and ``first_over_space_s``;
* hourly (hour k from 00:00 of day 1): ``arrived`` and waits binned by queue-join time (for
  flows and overall: the arrival at the port; waits of the entities that completed),
  ``served`` by service end (flows and overall: exit), so each sums to its total;
* ``served_per_day`` (overall and per flow): served × one day / (horizon − warm-up);
* directions: the flows that share a ``direction`` label, as one block like a flow's;
* targets: per service pledge, the share within the limit (:mod:`.pledges`);
* staff pools: officer-hours committed and on duty, officers committed and on duty, over
  the run and by hour, from the engine's logs (:mod:`.pools`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

from ..engine.replication import EngineCounters
from ..model.model import Model
from ..units import DAY, HOUR
from .blocks import Grouped, Index, waits_so_far
from .catalog import (
    FIRST_OVER_SPACE,
    LANE_HOURS,
    LANES_OPEN_MEAN,
    NO_VISIT,
    QUEUE_MAX,
    QUEUE_MEAN,
    SERVED,
    SERVED_PER_DAY,
    SHARE,
    TIME_IN_PORT,
    TIME_OVER_SPACE,
    UNFINISHED,
    UTILIZATION,
    VEHICLE_DWELL_MAX,
    VEHICLE_DWELL_MEAN,
    WAIT_FOR_VEHICLE_MAX,
    WAIT_FOR_VEHICLE_MEAN,
    WAITING_OUTSIDE,
    Metric,
)
from .censored import censored
from .daily import (
    daily_rows,
    day_index,
    group_rows,
    opening_stats,
    opening_waits,
    staffed_hours,
    utilization,
)
from .pledges import daily_shares, target_shares
from .pools import pool_blocks
from .records import Records
from .rows import MetricTable, TableWriter
from .shuttles import shuttle_rows
from .waits import entity_waits, hour_index, hourly_rows, mean_of, per_hour, wait_stats

__all__ = ["replication_table", "utilization", "wait_stats"]


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
        #: the vehicles whose passengers alighted: served when they leave, visits or none
        self.dropped = np.zeros(rec.entities, dtype=bool)
        self.dropped[rec.entity_parent[rec.entity_parent >= 0]] = True
        self.served = self.counted & self.finished & (visited | self.dropped)
        #: counted entities whose route skipped every stage and let nobody alight: neither
        #: served nor in a wait
        self.no_visit = self.counted & self.finished & ~visited & ~self.dropped
        self.started = ~np.isnan(rec.visit_start)
        self.ended = ~np.isnan(rec.visit_end)
        passenger = np.zeros(len(model.subflows), dtype=bool)
        passenger[[f.passengers for f in model.flows if f.passengers is not None]] = True
        #: entities of the flows themselves: all but the passengers who alight
        self.own = ~passenger[rec.entity_subflow]
        self.own_subflows = [s for flow in model.flows for s in flow.subflows]
        self.entity_wait = entity_waits(rec, self.started)
        #: the few entities with a visit still queued at the horizon, and their waits so far
        self.queued_entities, self.queued_elapsed = waits_so_far(rec, self.started, model.horizon)
        #: each entity's wait for the port to open (None: no opening hours)
        self.held = (
            opening_waits(model, rec.entity_arrival, rec.entity_stage_held) if model.holds else None
        )
        #: the entities waiting for an opening at the horizon (none without opening hours)
        self.outside = (
            rec.entity_outside if rec.entity_outside is not None else np.zeros(rec.entities, bool)
        )
        self.arrival_hour = hour_index(rec.entity_arrival, hours)
        self.exit_hour = hour_index(rec.entity_exit, hours)
        if model.multi_day:  # the day of each arrival and exit (entities are in many blocks)
            self.days = len(model.days or ())
            self.arrival_day = day_index(rec.entity_arrival, self.days)
            self.exit_day = day_index(rec.entity_exit, self.days)
        # one shared sort of the counted entities by subflow, of the counted visits by lane
        # group: a block is a few slices of it, not a mask over every entity or visit (the
        # visits' sort is made when a visit block is first asked for: not alongside the
        # largest entity blocks, which come first)
        self._by_subflow = Grouped(rec.entity_subflow, self.counted, len(model.subflows))
        self._by_group: Grouped | None = None

    def entity_block(self, subflows: Iterable[int]) -> Index:
        """The counted entities of ``subflows``, in id order (the order a mask gives)."""
        return self._by_subflow.members(subflows)

    def visit_block(self, groups: Iterable[int]) -> Index:
        """The counted visits to ``groups``, in the order the records hold them."""
        if self._by_group is None:
            counted = self.counted[self.rec.visit_entity]
            self._by_group = Grouped(self.rec.visit_group, counted, len(self.model.groups))
        return self._by_group.members(groups)

    def entities(self, out: TableWriter, block: Index) -> None:
        """The entity block of the counted entities ``block`` (in id order)."""
        rec = self.rec
        served_ids = block[self.served[block]]
        served = float(len(served_ids))
        skipped = float(self.no_visit[block].sum())
        out.put(SERVED, served)
        out.put(UNFINISHED, len(block) - served - skipped)
        out.put(NO_VISIT, skipped)
        waits = self.entity_wait[served_ids]
        out.update(wait_stats(waits))
        unfinished = block[~self.finished[block]]
        outside = unfinished[self.outside[unfinished]]
        out.update(censored(self.entity_elapsed(unfinished[~self.outside[unfinished]])))
        in_port = rec.entity_exit[served_ids]
        in_port -= rec.entity_arrival[served_ids]  # in place: one temporary column fewer
        out.put(TIME_IN_PORT, mean_of(in_port))
        del in_port
        out.put(SERVED_PER_DAY, served * DAY / (self.model.horizon - self.model.warmup))
        hourly_rows(
            out,
            self.hours,
            arrived=np.bincount(self.arrival_hour[block], minlength=self.hours),
            served=np.bincount(self.exit_hour[served_ids], minlength=self.hours),
            waits=waits,
            waited=self.arrival_hour[served_ids],
        )
        held = None if self.held is None else self.held[served_ids]
        if held is not None:
            out.update(opening_stats(held))
            out.put(WAITING_OUTSIDE, len(outside))
        if self.model.multi_day:
            daily_rows(
                out,
                self.model,
                arrived_days=self.arrival_day[block],
                exit_days=self.exit_day[served_ids],
                served_days=self.arrival_day[served_ids],
                waits=waits,
                held=held,
            )

    def visits(self, out: TableWriter, block: Index) -> None:
        """The visit block of the counted visits ``block`` (in the records' order)."""
        ended = self.ended[block]
        out.put(SERVED, ended.sum())
        out.put(UNFINISHED, len(block) - ended.sum())
        started = self.started[block]
        out.update(wait_stats(self.waits(block[started]), scratch=True))
        out.update(censored(self.model.horizon - self.rec.visit_join[block[~started]]))

    def elapsed(self, visits: Index) -> NDArray[np.float64]:
        """The waits so far of ``visits``: started visits their wait, queued ones the time
        since they joined."""
        rec, started = self.rec, self.started[visits]
        join = rec.visit_join[visits]
        return np.where(started, rec.visit_start[visits] - join, self.model.horizon - join)

    def entity_elapsed(self, ids: Index) -> NDArray[np.float64]:
        """The waits so far of the entities ``ids`` (in id order): their waits, and for a
        visit still queued at the horizon the time since it joined (kept as a column of the
        few still queued, not of every entity)."""
        out = self.entity_wait[ids]
        queued = self.queued_entities
        if len(queued) and len(ids):
            at = np.minimum(np.searchsorted(ids, queued), len(ids) - 1)
            inside = ids[at] == queued
            out[at[inside]] = self.queued_elapsed[inside]
        return out

    def waits(self, visits: Index | NDArray[np.bool_]) -> NDArray[np.float64]:
        """The queue waits of ``visits`` (computed per block: no column of every visit's
        wait is kept)."""
        rec = self.rec
        out = rec.visit_start[visits]
        out -= rec.visit_join[visits]  # in place: one temporary column fewer at the peak
        return out


def _stages(r: _Replication, counters: EngineCounters, table: MetricTable) -> None:
    model, rec = r.model, r.rec
    observed = model.horizon - model.warmup
    for stage in model.stages:
        out = TableWriter(table, "stage", stage.name)
        at_stage = r.visit_block(stage.groups)
        visits: MetricTable = {}  # also the visit block of the stage's only lane group
        r.visits(TableWriter(visits, "stage"), at_stage)
        out.copy(visits)
        out.put(UTILIZATION, utilization(counters, stage.groups))
        out.put(QUEUE_MEAN, counters.stage_queue_mean[stage.index])
        out.put(QUEUE_MAX, counters.stage_queue_max[stage.index])
        out.put(LANE_HOURS, staffed_hours(counters, stage.groups))
        if not math.isinf(stage.space):
            out.put(TIME_OVER_SPACE, counters.stage_time_over_space[stage.index])
            out.put(FIRST_OVER_SPACE, counters.stage_first_over_space[stage.index])
        shuttle_rows(out, model, counters, stage.index)
        for g in stage.groups:
            group = TableWriter(table, "group", stage.name, model.groups[g].name)
            if len(stage.groups) == 1:
                group.copy(visits)
            else:
                r.visits(group, r.visit_block((g,)))
            group.put(UTILIZATION, utilization(counters, (g,)))
            group.put(QUEUE_MAX, counters.group_queue_max[g])
            group.put(LANES_OPEN_MEAN, counters.group_open_time[g] / observed)
            group_rows(group, model, counters, g)
        # each column gathered when it is needed and dropped once counted: a stage's
        # visits hold no more than one column of times at a time besides their waits
        with_start = at_stage[r.started[at_stage]]
        waits = r.waits(with_start)
        hourly_rows(
            out,
            r.hours,
            arrived=per_hour(rec.visit_join[at_stage], r.hours),
            served=per_hour(rec.visit_end[at_stage[r.ended[at_stage]]], r.hours),
            waits=waits,
            waited=hour_index(rec.visit_join[with_start], r.hours, scratch=True),
        )
        if model.multi_day:  # by queue join, as the hourly rows
            daily_rows(
                out,
                model,
                arrived_days=day_index(rec.visit_join[at_stage], r.days, scratch=True),
                exit_days=day_index(
                    rec.visit_end[at_stage[r.ended[at_stage]]], r.days, scratch=True
                ),
                served_days=day_index(rec.visit_join[with_start], r.days, scratch=True),
                waits=waits,
                held=None,
            )


def _targets(r: _Replication, table: MetricTable) -> None:
    model, rec = r.model, r.rec
    for target in model.targets:
        if target.stage is not None:
            at = r.visit_block(model.stages[target.stage].groups)
            waits, times = r.elapsed(at), rec.visit_join[at]
            known = r.started[at] | (waits > target.wait_within)
        else:
            # who passed no control and brought nobody to one is in no pledge; a vehicle
            # whose passengers alighted is, with its wait (as in the waits)
            if target.subflow is not None:
                of = r.entity_block((target.subflow,))
            elif target.flow is not None:  # the flows' own entities, as in their blocks
                of = r.entity_block(model.flows[target.flow].subflows)
            else:
                of = r.entity_block(r.own_subflows)
            of = of[~r.no_visit[of]]
            waits, times = r.entity_elapsed(of), rec.entity_arrival[of]
            known = r.finished[of] | (waits > target.wait_within)
        out = TableWriter(table, "target", target.name)
        share, hourly, counts = target_shares(
            target, waits=waits, known=known, times=times, hours=r.hours
        )
        out.put(SHARE, share)
        for hour, value in enumerate(hourly):
            out.put(SHARE, value, hour)
        if model.multi_day:
            for day, value in enumerate(daily_shares(*counts, len(model.days or ()))):
                out.put_day(SHARE, value, day)


def _flows(r: _Replication, table: MetricTable, overall: MetricTable) -> None:
    """Each flow's block (its own entities, not the passengers who alight from its
    vehicles: a port's only flow has the ``overall`` block), its classes' blocks, and its
    passengers' block, with the waits at the meeting point."""
    model, rec = r.model, r.rec
    for flow in model.flows:
        of_flow = r.entity_block(flow.subflows)
        out = TableWriter(table, "flow", flow.name)
        if len(model.flows) == 1:
            out.copy(overall)
        else:
            r.entities(out, of_flow)
        if flow.passengers is not None:
            served = of_flow[r.served[of_flow]]
            _meet(out, rec.entity_meet[served], VEHICLE_DWELL_MEAN, VEHICLE_DWELL_MAX)
        for sub in flow.subflows if model.subflows[flow.subflows[0]].cls else ():
            block = TableWriter(table, "class", model.subflows[sub].name)
            r.entities(block, r.entity_block((sub,)))
        if flow.passengers is not None:
            of_passengers = r.entity_block((flow.passengers,))
            block = TableWriter(table, "passengers", flow.name)
            r.entities(block, of_passengers)
            served = of_passengers[r.served[of_passengers]]
            _meet(block, rec.entity_meet[served], WAIT_FOR_VEHICLE_MEAN, WAIT_FOR_VEHICLE_MAX)


def _meet(out: TableWriter, times: NDArray[np.float64], mean: Metric, most: Metric) -> None:
    """Mean and longest time at the meeting point (NaN where nobody met)."""
    times = times[~np.isnan(times)]
    out.put(mean, mean_of(times))
    out.put(most, float(times.max()) if len(times) else math.nan)


def _counts(r: _Replication, table: MetricTable) -> None:
    """Persons and vehicles: every person once (on foot, or aboard a vehicle through its
    queues: a vehicle's occupants but those who alighted, so a vehicle that dropped its
    passengers counts its driver, served with it), every vehicle once."""
    model, rec = r.model, r.rec
    vehicle_flow = np.asarray([f.vehicle for f in model.flows], dtype=bool)
    vehicle = vehicle_flow[rec.entity_flow] & r.own
    persons = np.where(r.dropped, 1, rec.entity_size)  # a vehicle that dropped: its driver
    _weighted(r, TableWriter(table, "persons"), persons)
    if any(flow.vehicle for flow in model.flows):
        _weighted(r, TableWriter(table, "vehicles"), vehicle.astype(np.int32))


def _weighted(r: _Replication, out: TableWriter, weight: NDArray[np.integer]) -> None:
    served = int(weight[r.served].sum())
    skipped = int(weight[r.no_visit].sum())
    out.put(SERVED, served)
    out.put(UNFINISHED, int(weight[r.counted].sum()) - served - skipped)
    out.put(NO_VISIT, skipped)
    waits, times = r.entity_wait[r.served], weight[r.served]
    if not bool(np.all(times == 1)):  # else each wait once: the same values, no copy
        waits = np.repeat(waits, times)
    out.update(wait_stats(waits, scratch=True))
    out.put(SERVED_PER_DAY, served * DAY / (r.model.horizon - r.model.warmup))


def replication_table(model: Model, counters: EngineCounters, rec: Records) -> MetricTable:
    """Every metric of one replication, from its records and the engine's counters."""
    table: MetricTable = {}
    r = _Replication(model, rec)
    overall: MetricTable = {}  # also the block of a port's only flow, or of every flow
    r.entities(TableWriter(overall, "overall"), r.entity_block(r.own_subflows))
    TableWriter(table, "overall").copy(overall)
    _stages(r, counters, table)
    _flows(r, table, overall)
    every_flow = {flow.index for flow in model.flows}
    for direction, indices in model.directions.items():
        out = TableWriter(table, "direction", direction)
        if set(indices) == every_flow:
            out.copy(overall)
            continue
        subflows = [sub for i in indices for sub in model.flows[i].subflows]
        r.entities(out, r.entity_block(subflows))
    _counts(r, table)
    pool_blocks(table, model, counters)
    _targets(r, table)
    return table
