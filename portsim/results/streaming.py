"""Streaming tallies: one replication's metric rows without per-entity records.

:func:`stream_replication` runs a replication with a
:class:`~portsim.engine.chunks.ChunkRecorder` whose sink, a :class:`StreamingSink`, folds
each chunk of arrivals, ended visits and exits into fixed-size tallies (numpy, a chunk at a
time) and forgets it. At the horizon the tallies become the same metric rows as
:func:`.metrics.replication_table` gives from the records, with the same keys in the same
order, under the same definitions (:mod:`.metrics`):

* equal to the exact values: every count (``served``, ``unfinished``, hourly ``arrived``
  and ``served``), ``served_per_day``, ``wait_max_s``, utilisation, ``lane_hours`` (with
  overtime), the queue and space metrics, ``lanes_open_mean`` and the pledges' shares
  (they count known and within-limit outcomes, :mod:`.pledges`);
* equal but for the order of floating-point additions: every mean (``wait_mean_s``,
  ``system_time_mean_s``, hourly means);
* to the histograms' resolution: the percentiles.

Streaming percentiles. Each flow, lane group and stage keeps a histogram of its waits
(:mod:`.histograms`): a bin for waits of exactly zero, one for waits up to 0.01 s, then
log-spaced bins. A percentile is read as :func:`numpy.percentile` (linear interpolation)
defines it, from the two order statistics around it, each placed inside its bin; the
largest wait is kept exactly. The guarantee, for an exact percentile ``P`` of the same
waits: ``|P̂ − P| ≤ relative·P + 0.01 s``, where ``relative`` is 1 % for the whole-run
percentiles (p50, p90, p95, p99) and 1.01⁵ − 1 ≈ 5.1 % for the hourly p95 (coarser bins, as
there is one histogram per hour). ``tests/test_streaming.py`` holds every percentile of
every level to it.

Memory: per flow and lane group, a whole-run histogram of about 1,600 bins (one-day
horizon) to 1,800 (a week), eight bytes each; per hour, for each flow and stage, an hourly
histogram of 325 to 365 bins, four bytes each, and a few counts; per pledge two counts an
hour. Nothing depends on the number of entities (a chunk is folded in and dropped), so
memory grows with the horizon only by the hourly tallies, about 1.5 kB an hour for each
flow and stage.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from ..engine.chunks import ChunkRecorder
from ..engine.recorders import DETAIL_COLUMNS, EXIT_DETAIL_COLUMNS, VISIT_COLUMNS, Unfinished
from ..engine.replication import EngineCounters, default_subflows, run_replication
from ..model.model import Model
from ..units import DAY, HOUR
from .catalog import (
    ARRIVED,
    FIRST_OVER_SPACE,
    LANE_HOURS,
    LANES_OPEN_MEAN,
    NO_VISIT,
    QUEUE_MAX,
    QUEUE_MEAN,
    SERVED,
    SERVED_PER_DAY,
    TIME_IN_PORT,
    TIME_OVER_SPACE,
    UNFINISHED,
    UTILIZATION,
    VEHICLE_DWELL_MAX,
    VEHICLE_DWELL_MEAN,
    WAIT_FOR_VEHICLE_MAX,
    WAIT_FOR_VEHICLE_MEAN,
    WAIT_MEAN,
    WAIT_P95,
    WAITING_OUTSIDE,
)
from .daily import daily_rows_from_hours, group_rows, opening_waits, staffed_hours, utilization
from .histograms import coarse_bins, fine_bins
from .pools import pool_blocks
from .rows import MetricTable, TableWriter
from .shuttles import shuttle_rows
from .tallies import Counts, Entities, Floats, Index, OpeningWaits, Targets, Visits

__all__ = ["StreamingSink", "stream_replication"]

#: column positions of the engine's exit and visit rows
_EXIT = {name: i for i, name in enumerate(EXIT_DETAIL_COLUMNS)}
_ENTITY = {name: i for i, name in enumerate(DETAIL_COLUMNS)}
_VISIT = {name: i for i, name in enumerate(VISIT_COLUMNS)}


class StreamingSink:
    """The :class:`~portsim.engine.chunks.Sink` of one replication: every chunk folded
    into the tallies, then :meth:`table` gives the metric rows."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.hours = math.ceil(model.horizon / HOUR)
        self.fine = fine_bins(model.horizon)
        coarse = coarse_bins(self.fine)
        self.group_stage = np.array([g.stage for g in model.groups], dtype=np.intp)
        self.sub_flow = np.array([s.flow for s in model.subflows], dtype=np.intp)
        #: whether each subflow is a flow's own (not the passengers who alight)
        self.own = np.ones(len(model.subflows), dtype=bool)
        self.own[[f.passengers for f in model.flows if f.passengers is not None]] = False
        self.vehicle = np.array([model.flows[s.flow].vehicle for s in model.subflows]) & self.own
        self.entities = Entities(len(model.subflows), self.hours, self.fine, coarse)
        self.visit = Visits(len(model.groups), len(model.stages), self.hours, self.fine, coarse)
        self.targets = Targets(model.targets, self.hours)
        self.persons = Counts(self.fine)
        self.vehicles = Counts(self.fine)
        days = len(model.days or ())
        self.opening = OpeningWaits(len(model.subflows), days) if model.holds else None
        #: the waits before closed stages of entities not out yet, by entity id
        self.stage_held: dict[int, float] = {}

    def _hour(self, times: Floats) -> Index:
        return np.minimum((times // HOUR).astype(np.intp), self.hours - 1)

    def _count(self, into: NDArray[np.int64], hour: Index, key: Index) -> None:
        """Add one to ``into[hour, key]`` for each pair."""
        cell = hour * into.shape[1] + key
        into += np.bincount(cell, minlength=into.size).reshape(into.shape)

    def arrivals(self, rows: Floats) -> None:
        """Entities coming in: the :data:`~portsim.engine.recorders.DETAIL_COLUMNS` of each.
        A vehicle's counted persons are its occupants (a passenger who alights is one of
        them, counted apart once out, and the vehicle then counts its driver only)."""
        rows = rows[rows[:, _ENTITY["arrival"]] >= self.model.warmup]
        sub = rows[:, _ENTITY["subflow"]].astype(np.intp)
        self._count(self.entities.arrived, self._hour(rows[:, _ENTITY["arrival"]]), sub)
        own = self.own[sub]
        self.persons.counted += int(rows[own, _ENTITY["size"]].sum())
        self.vehicles.counted += int(self.vehicle[sub].sum())

    def held(self, rows: Floats) -> None:
        """Waits before closed stages: the :data:`~portsim.engine.recorders.HELD_COLUMNS`
        of entities about to leave."""
        entity, held = rows[:, 0].astype(np.int64).tolist(), rows[:, 1].tolist()
        self.stage_held.update(zip(entity, held, strict=True))

    def _stage_holds(self, rows: Floats) -> Floats | None:
        """Each exit row's waits before closed stages, taken out of :attr:`stage_held`
        (None: no stage has hours of its own)."""
        if not self.model.stage_hours:
            return None
        pop = self.stage_held.pop
        entity = rows[:, _EXIT["entity"]].astype(np.int64).tolist()
        return np.array([pop(e, 0.0) for e in entity], dtype=np.float64)

    def exits(self, rows: Floats, source: int) -> None:
        """Exits: the :data:`~portsim.engine.recorders.EXIT_DETAIL_COLUMNS` of each entity
        out, all from one kind of row (``source``: :data:`~.fold.PLAIN` or
        :data:`~.fold.DETAIL`), whose sums are folded apart (:mod:`.fold`)."""
        stages = self._stage_holds(rows)
        counted = rows[:, _EXIT["arrival"]] >= self.model.warmup
        rows = rows[counted]
        # passed no control and let nobody alight to pass one: counted apart
        skipped = (rows[:, _EXIT["visits"]] == 0) & (rows[:, _EXIT["dropped"]] == 0)
        if skipped.any():
            self._skipped(rows[skipped])
            rows = rows[~skipped]
        if stages is not None:
            stages = stages[counted][~skipped]
        sub = rows[:, _EXIT["subflow"]].astype(np.intp)
        arrival, leave = rows[:, _EXIT["arrival"]], rows[:, _EXIT["exit"]]
        wait = rows[:, _EXIT["wait"]]
        tally = self.entities
        self._count(tally.served, self._hour(leave), sub)
        tally.system.fold(sub, leave - arrival, source)
        fine = self.fine.index(wait)
        tally.waits.add(sub, wait, fine, source=source)
        hour = self._hour(arrival)
        tally.hourly.add(hour, sub, wait, fine, source)
        if self.opening is not None:
            days = self.opening.day_count.shape[0]
            day = np.minimum((arrival // DAY).astype(np.intp), days - 1)
            self.opening.add(sub, day, opening_waits(self.model, arrival, stages), source)
        tally.meets.add(sub, rows[:, _EXIT["meet"]], source)
        nobody = np.zeros(len(sub), dtype=np.intp)
        persons = rows[:, _EXIT["persons"]].astype(np.int64)
        self.persons.waits.add(nobody, wait, fine, persons, source)
        vehicles = self.vehicle[sub].astype(np.int64)
        self.vehicles.waits.add(nobody, wait, fine, vehicles, source)
        self.targets.entities(
            self.sub_flow[sub], sub=sub, own=self.own[sub], hour=hour, waits=wait, done=True
        )

    def _skipped(self, rows: Floats) -> None:
        """Counted entities out whose route skipped every stage and let nobody alight:
        neither served nor waited."""
        sub = rows[:, _EXIT["subflow"]].astype(np.intp)
        self.entities.no_visit += np.bincount(sub, minlength=len(self.entities.no_visit))
        self.persons.no_visit += int(rows[:, _EXIT["persons"]].sum())
        self.vehicles.no_visit += int(self.vehicle[sub].sum())

    def visits(self, rows: Floats) -> None:
        """Ended visits, with the columns of :data:`~portsim.engine.recorders.VISIT_COLUMNS`."""
        rows = rows[rows[:, _VISIT["arrival"]] >= self.model.warmup]
        group = rows[:, _VISIT["group"]].astype(np.intp)
        self.visit.served += np.bincount(group, minlength=len(self.visit.served))
        self._started(rows, group)
        self._count(self.visit.ended, self._hour(rows[:, _VISIT["end"]]), self.group_stage[group])

    def _started(self, rows: Floats, group: Index) -> None:
        """Counted visits whose service started (``rows``, at ``group``): joined, waited."""
        stage = self.group_stage[group]
        join = rows[:, _VISIT["join"]]
        wait = rows[:, _VISIT["start"]] - join
        hour = self._hour(join)
        tally = self.visit
        self._count(tally.arrived, hour, stage)
        fine = self.fine.index(wait)
        tally.waits.add(group, wait, fine)
        tally.hourly.add(hour, stage, wait, fine)
        self.targets.visits(stage, hour, wait, done=True)

    def close(self, unfinished: Unfinished) -> None:
        """Who is still in port: counted visits not ended, entities not out."""
        warmup, horizon = self.model.warmup, self.model.horizon
        rows = unfinished.visits[unfinished.visits[:, _VISIT["arrival"]] >= warmup]
        group = rows[:, _VISIT["group"]].astype(np.intp)
        self.visit.unfinished += np.bincount(group, minlength=len(self.visit.unfinished))
        started = ~np.isnan(rows[:, _VISIT["start"]])
        self._started(rows[started], group[started])
        queued = rows[~started]
        stage, join = (
            self.group_stage[queued[:, _VISIT["group"]].astype(np.intp)],
            queued[:, _VISIT["join"]],
        )
        hour = self._hour(join)
        self._count(self.visit.arrived, hour, stage)
        self.targets.visits(stage, hour, horizon - join, done=False)
        self.visit.censored.add(queued[:, _VISIT["group"]].astype(np.intp), horizon - join)
        counted = unfinished.arrival >= warmup
        sub = unfinished.subflow[counted].astype(np.intp)
        # those waiting outside for an opening have queued nowhere yet: counted apart
        outside = unfinished.outside[counted]
        self.entities.outside += np.bincount(sub[outside], minlength=len(self.entities.outside))
        self.entities.censored.add(sub[~outside], unfinished.waited[counted][~outside])
        self.targets.entities(
            self.sub_flow[sub],
            sub=sub,
            own=self.own[sub],
            hour=self._hour(unfinished.arrival[counted]),
            waits=unfinished.waited[counted],
            done=False,
        )

    def table(self, counters: EngineCounters) -> MetricTable:
        """The metric rows, keyed and ordered as :func:`.metrics.replication_table`'s."""
        model = self.model
        table: MetricTable = {}
        own = [s.index for s in model.subflows if self.own[s.index]]
        self._entity_rows(TableWriter(table, "overall"), own)
        for stage in model.stages:
            self._stage_rows(table, stage.index, counters)
        for flow in model.flows:
            self._flow_rows(table, flow.index)
        for direction, indices in model.directions.items():
            subs = [s for i in indices for s in model.flows[i].subflows]
            self._entity_rows(TableWriter(table, "direction", direction), subs)
        self._count_rows(TableWriter(table, "persons"), self.persons)
        if any(flow.vehicle for flow in model.flows):
            self._count_rows(TableWriter(table, "vehicles"), self.vehicles)
        pool_blocks(table, model, counters)
        days = len(model.days or ()) if model.multi_day else 0
        for t, target in enumerate(model.targets):
            self.targets.rows(TableWriter(table, "target", target.name), t, days)
        return table

    def _flow_rows(self, table: MetricTable, index: int) -> None:
        """A flow's block, its classes' and its passengers' (as :func:`.metrics._flows`)."""
        model, meets = self.model, self.entities.meets
        flow = model.flows[index]
        out = TableWriter(table, "flow", flow.name)
        self._entity_rows(out, flow.subflows)
        if flow.passengers is not None:
            out.update(meets.stats(flow.subflows, VEHICLE_DWELL_MEAN, VEHICLE_DWELL_MAX))
        for sub in flow.subflows if model.subflows[flow.subflows[0]].cls else ():
            self._entity_rows(TableWriter(table, "class", model.subflows[sub].name), (sub,))
        if flow.passengers is not None:
            block = TableWriter(table, "passengers", flow.name)
            self._entity_rows(block, (flow.passengers,))
            block.update(
                meets.stats((flow.passengers,), WAIT_FOR_VEHICLE_MEAN, WAIT_FOR_VEHICLE_MAX)
            )

    def _entity_rows(self, out: TableWriter, subflows: Sequence[int]) -> None:
        """The entity block of ``subflows`` together."""
        model, tally = self.model, self.entities
        chosen = list(subflows)
        served = float(tally.waits.count[chosen].sum())
        skipped = float(tally.no_visit[chosen].sum())
        out.put(SERVED, served)
        out.put(UNFINISHED, tally.arrived[:, chosen].sum() - served - skipped)
        out.put(NO_VISIT, skipped)
        out.update(tally.waits.stats(chosen))
        out.update(tally.censored.stats(chosen))
        out.put(
            TIME_IN_PORT, float(tally.system.value[chosen].sum()) / served if served else math.nan
        )
        out.put(SERVED_PER_DAY, served * DAY / (model.horizon - model.warmup))
        _hourly_rows(
            out,
            arrived=tally.arrived[:, chosen].sum(axis=1),
            served=tally.served[:, chosen].sum(axis=1),
            waits=tally.hourly.stats(chosen),
        )
        if self.opening is not None:
            out.update(self.opening.stats(chosen))
            out.put(WAITING_OUTSIDE, tally.outside[chosen].sum())
        if model.multi_day:
            hourly = tally.hourly
            daily_rows_from_hours(
                out,
                arrived=tally.arrived[:, chosen].sum(axis=1),
                served=tally.served[:, chosen].sum(axis=1),
                count=hourly.count[:, chosen].sum(axis=1),
                total=hourly.total.value[:, chosen].sum(axis=1),
                top=hourly.top[:, chosen].max(axis=1),
                hist=hourly.hist[:, chosen].sum(axis=1),
                bins=hourly.bins,
                held=None if self.opening is None else self.opening.by_day(chosen),
            )

    def _count_rows(self, out: TableWriter, counts: Counts) -> None:
        """Persons or vehicles: served, unfinished, waits, served a day."""
        model = self.model
        served = int(counts.waits.count.sum())
        out.put(SERVED, served)
        out.put(UNFINISHED, counts.counted - served - counts.no_visit)
        out.put(NO_VISIT, counts.no_visit)
        out.update(counts.waits.stats((0,)))
        out.put(SERVED_PER_DAY, served * DAY / (model.horizon - model.warmup))

    def _stage_rows(self, table: MetricTable, index: int, counters: EngineCounters) -> None:
        """A stage's block, its lane groups' blocks, then its hourly rows."""
        model, tally = self.model, self.visit
        stage = model.stages[index]
        out = TableWriter(table, "stage", stage.name)
        _visit_rows(out, tally, stage.groups)
        out.put(UTILIZATION, utilization(counters, stage.groups))
        out.put(QUEUE_MEAN, counters.stage_queue_mean[index])
        out.put(QUEUE_MAX, counters.stage_queue_max[index])
        out.put(LANE_HOURS, staffed_hours(counters, stage.groups))
        if not math.isinf(stage.space):
            out.put(TIME_OVER_SPACE, counters.stage_time_over_space[index])
            out.put(FIRST_OVER_SPACE, counters.stage_first_over_space[index])
        shuttle_rows(out, model, counters, index)
        observed = model.horizon - model.warmup
        for g in stage.groups:
            group = TableWriter(table, "group", stage.name, model.groups[g].name)
            _visit_rows(group, tally, (g,))
            group.put(UTILIZATION, utilization(counters, (g,)))
            group.put(QUEUE_MAX, counters.group_queue_max[g])
            group.put(LANES_OPEN_MEAN, counters.group_open_time[g] / observed)
            group_rows(group, model, counters, g)
        _hourly_rows(
            out,
            arrived=tally.arrived[:, index],
            served=tally.ended[:, index],
            waits=tally.hourly.stats((index,)),
        )
        if model.multi_day:  # by queue join, as the hourly rows
            hourly = tally.hourly
            daily_rows_from_hours(
                out,
                arrived=tally.arrived[:, index],
                served=tally.ended[:, index],
                count=hourly.count[:, index],
                total=hourly.total.value[:, index],
                top=hourly.top[:, index],
                hist=hourly.hist[:, index],
                bins=hourly.bins,
                held=None,
            )


def _visit_rows(out: TableWriter, tally: Visits, groups: Sequence[int]) -> None:
    chosen = list(groups)
    out.put(SERVED, tally.served[chosen].sum())
    out.put(UNFINISHED, tally.unfinished[chosen].sum())
    out.update(tally.waits.stats(chosen))
    out.update(tally.censored.stats(chosen))


def _hourly_rows(
    out: TableWriter,
    *,
    arrived: NDArray[np.int64],
    served: NDArray[np.int64],
    waits: tuple[Floats, Floats],
) -> None:
    mean, p95 = waits
    for hour in range(len(arrived)):
        out.update(
            {
                ARRIVED: arrived[hour],
                SERVED: served[hour],
                WAIT_MEAN: mean[hour],
                WAIT_P95: p95[hour],
            },
            hour,
        )


def stream_replication(
    model: Model, seed: int, replication: int
) -> tuple[MetricTable, EngineCounters]:
    """Run one replication keeping no records: its metric rows (as
    :func:`.metrics.replication_table` gives them, percentiles from histograms) and the
    engine's counters."""
    sink = StreamingSink(model)
    recorder = ChunkRecorder(sink, default_subflows(model))
    result = run_replication(model, seed, replication, recorder=recorder)
    return sink.table(result.counters), result.counters
