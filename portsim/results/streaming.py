"""Streaming tallies: one replication's metric rows without per-entity records.

:func:`stream_replication` runs a replication with a :class:`~portsim.engine.recorders.
ChunkRecorder` whose sink, a :class:`StreamingSink`, folds each chunk of arrivals, ended
visits and exits into fixed-size tallies (numpy, a chunk at a time) and forgets it. At the
horizon the tallies become the same metric rows as :func:`.metrics.replication_table` gives
from the records, with the same keys in the same order, under the same definitions
(:mod:`.metrics`):

* equal to the exact values: every count (``served``, ``unfinished``, hourly ``arrived``
  and ``served``), ``served_per_day``, ``wait_max_s``, utilisation, the queue and space
  metrics, ``lanes_open_mean`` and the pledges' shares (they count known and within-limit
  outcomes, :mod:`.pledges`);
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

from ..engine.recorders import EXIT_COLUMNS, VISIT_COLUMNS, ChunkRecorder, Unfinished
from ..engine.replication import EngineCounters, run_replication
from ..metric_names import PERCENTILES
from ..model.model import CompiledTarget, Model
from ..units import DAY, HOUR
from .censored import CensoredTally
from .histograms import Bins, coarse_bins, coarse_index, fine_bins, percentiles
from .metrics import utilization
from .pledges import share_of
from .rows import MetricTable, TableWriter

__all__ = ["StreamingSink", "stream_replication"]

#: one, as the hourly histograms count (int32: half the memory of the only tally that grows
#: with the horizon)
_ONE = np.int32(1)
#: column positions of the engine's exit and visit rows
_EXIT = {name: i for i, name in enumerate(EXIT_COLUMNS)}
_VISIT = {name: i for i, name in enumerate(VISIT_COLUMNS)}
Index = NDArray[np.intp]
Floats = NDArray[np.float64]


class _Waits:
    """Waits by key (a flow, a lane group) over the whole run: how many, their sum, the
    largest and a histogram on the fine bins."""

    __slots__ = ("bins", "count", "hist", "top", "total")

    def __init__(self, keys: int, bins: Bins) -> None:
        self.bins = bins
        self.count = np.zeros(keys, dtype=np.int64)
        self.total = np.zeros(keys)
        self.top = np.full(keys, -math.inf)
        self.hist = np.zeros((keys, bins.size), dtype=np.int64)

    def add(self, key: Index, waits: Floats, fine: Index) -> None:
        """Add ``waits`` of ``key``, whose fine bins are ``fine``."""
        keys = len(self.count)
        self.count += np.bincount(key, minlength=keys)
        self.total += np.bincount(key, weights=waits, minlength=keys)
        np.maximum.at(self.top, key, waits)
        np.add.at(self.hist.reshape(-1), key * self.bins.size + fine, 1)

    def stats(self, keys: Sequence[int]) -> dict[str, float]:
        """Mean, percentiles and maximum of the waits of ``keys`` together (NaN for none)."""
        chosen = list(keys)
        n = int(self.count[chosen].sum())
        names = [f"wait_p{q}_s" for q in PERCENTILES]
        if not n:
            return {
                "wait_mean_s": math.nan,
                **dict.fromkeys(names, math.nan),
                "wait_max_s": math.nan,
            }
        top = float(self.top[chosen].max())
        values = percentiles(
            self.bins, self.hist[chosen].sum(axis=0)[None, :], np.array([top]), PERCENTILES
        )[0]
        stats = {"wait_mean_s": float(self.total[chosen].sum()) / n}
        stats.update({name: float(v) for name, v in zip(names, values, strict=True)})
        stats["wait_max_s"] = top
        return stats


class _HourlyWaits:
    """Waits by hour and key (a flow, a stage): how many, their sum, the largest and a
    histogram on the coarse bins, as hours × keys (× bins)."""

    __slots__ = ("bins", "count", "hist", "top", "total")

    def __init__(self, hours: int, keys: int, bins: Bins) -> None:
        self.bins = bins
        self.count = np.zeros((hours, keys), dtype=np.int64)
        self.total = np.zeros((hours, keys))
        self.top = np.full((hours, keys), -math.inf)
        self.hist = np.zeros((hours, keys, bins.size), dtype=np.int32)

    def add(self, hour: Index, key: Index, waits: Floats, fine: Index) -> None:
        """Add ``waits`` of ``key`` binned by ``hour``, whose fine bins are ``fine``."""
        cells = self.count.size
        cell = hour * self.count.shape[1] + key
        self.count += np.bincount(cell, minlength=cells).reshape(self.count.shape)
        self.total += np.bincount(cell, weights=waits, minlength=cells).reshape(self.count.shape)
        np.maximum.at(self.top.reshape(-1), cell, waits)
        np.add.at(self.hist.reshape(-1), cell * self.bins.size + coarse_index(fine), _ONE)

    def stats(self, keys: Sequence[int]) -> tuple[Floats, Floats]:
        """The mean and p95 of each hour's waits of ``keys`` together (NaN for none)."""
        chosen = list(keys)
        n = self.count[:, chosen].sum(axis=1)
        total = self.total[:, chosen].sum(axis=1)
        mean = np.full(len(n), math.nan)
        np.divide(total, n, out=mean, where=n > 0)
        top = self.top[:, chosen].max(axis=1)
        p95 = percentiles(self.bins, self.hist[:, chosen].sum(axis=1), top, (95,))[:, 0]
        return mean, p95


class _Entities:
    """Per flow: counted arrivals and completions by hour, time in port of the served and
    their waits (the hourly waits binned by arrival), those who visited no stage, and the
    waits of the unfinished so far."""

    __slots__ = ("arrived", "censored", "hourly", "no_visit", "served", "system", "waits")

    def __init__(self, flows: int, hours: int, fine: Bins, coarse: Bins) -> None:
        self.no_visit = np.zeros(flows, dtype=np.int64)
        self.censored = CensoredTally(flows)
        self.arrived = np.zeros((hours, flows), dtype=np.int64)
        self.served = np.zeros((hours, flows), dtype=np.int64)
        self.system = np.zeros(flows)
        self.waits = _Waits(flows, fine)
        self.hourly = _HourlyWaits(hours, flows, coarse)


class _Visits:
    """Per lane group: visits served, unfinished and their waits; per stage and hour:
    visits joined, ended and their waits (binned by queue join); per lane group, the waits
    of the visits still queued at the horizon."""

    __slots__ = ("arrived", "censored", "ended", "hourly", "served", "unfinished", "waits")

    def __init__(self, groups: int, stages: int, hours: int, fine: Bins, coarse: Bins) -> None:
        self.censored = CensoredTally(groups)
        self.served = np.zeros(groups, dtype=np.int64)
        self.unfinished = np.zeros(groups, dtype=np.int64)
        self.waits = _Waits(groups, fine)
        self.arrived = np.zeros((hours, stages), dtype=np.int64)
        self.ended = np.zeros((hours, stages), dtype=np.int64)
        self.hourly = _HourlyWaits(hours, stages, coarse)


class _Targets:
    """Per pledge and hour: outcomes known, and known to be within the limit."""

    __slots__ = ("known", "targets", "within")

    def __init__(self, targets: tuple[CompiledTarget, ...], hours: int) -> None:
        self.targets = targets
        self.known = np.zeros((len(targets), hours), dtype=np.int64)
        self.within = np.zeros((len(targets), hours), dtype=np.int64)

    def entities(self, flow: Index, hour: Index, waits: Floats, done: bool) -> None:
        """Counted entities: served (``done``) with their waits, or still in port with
        their waits so far."""
        for t, target in enumerate(self.targets):
            if target.stage is None:
                of = slice(None) if target.flow is None else flow == target.flow
                self._add(t, hour[of], waits[of], done)

    def visits(
        self, stage: Index, hour: Index, waits: Floats, done: bool | NDArray[np.bool_]
    ) -> None:
        """Counted stage visits: started (``done``) with their waits, or queued with the
        time since they joined."""
        for t, target in enumerate(self.targets):
            if target.stage is not None:
                at = stage == target.stage
                self._add(t, hour[at], waits[at], done if isinstance(done, bool) else done[at])

    def _add(self, t: int, hour: Index, waits: Floats, done: bool | NDArray[np.bool_]) -> None:
        limit = self.targets[t].wait_within
        known = np.logical_or(done, waits > limit)
        hours = self.known.shape[1]
        self.known[t] += np.bincount(hour[known], minlength=hours)
        self.within[t] += np.bincount(hour[known & (waits <= limit)], minlength=hours)


class StreamingSink:
    """The :class:`~portsim.engine.recorders.Sink` of one replication: every chunk folded
    into the tallies, then :meth:`table` gives the metric rows."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.hours = math.ceil(model.horizon / HOUR)
        self.fine = fine_bins(model.horizon)
        coarse = coarse_bins(self.fine)
        self.group_stage = np.array([g.stage for g in model.groups], dtype=np.intp)
        self.entities = _Entities(len(model.flows), self.hours, self.fine, coarse)
        self.visit = _Visits(len(model.groups), len(model.stages), self.hours, self.fine, coarse)
        self.targets = _Targets(model.targets, self.hours)

    def _hour(self, times: Floats) -> Index:
        return np.minimum((times // HOUR).astype(np.intp), self.hours - 1)

    def _count(self, into: NDArray[np.int64], hour: Index, key: Index) -> None:
        """Add one to ``into[hour, key]`` for each pair."""
        cell = hour * into.shape[1] + key
        into += np.bincount(cell, minlength=into.size).reshape(into.shape)

    def arrivals(self, flow: NDArray[np.int32], time: Floats) -> None:
        """Arrivals at the port: the flow and time of each."""
        counted = time >= self.model.warmup
        self._count(self.entities.arrived, self._hour(time[counted]), flow[counted].astype(np.intp))

    def exits(self, rows: Floats) -> None:
        """Exits: the :data:`~portsim.engine.recorders.EXIT_COLUMNS` of each entity out."""
        rows = rows[rows[:, _EXIT["arrival"]] >= self.model.warmup]
        skipped = rows[:, _EXIT["visits"]] == 0  # passed no control: counted apart
        self.entities.no_visit += np.bincount(
            rows[skipped, _EXIT["flow"]].astype(np.intp), minlength=len(self.entities.no_visit)
        )
        rows = rows[~skipped]
        flow = rows[:, _EXIT["flow"]].astype(np.intp)
        arrival, leave, wait = (
            rows[:, _EXIT["arrival"]],
            rows[:, _EXIT["exit"]],
            rows[:, _EXIT["wait"]],
        )
        tally = self.entities
        self._count(tally.served, self._hour(leave), flow)
        tally.system += np.bincount(flow, weights=leave - arrival, minlength=len(tally.system))
        fine = self.fine.index(wait)
        tally.waits.add(flow, wait, fine)
        hour = self._hour(arrival)
        tally.hourly.add(hour, flow, wait, fine)
        self.targets.entities(flow, hour, wait, done=True)

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
        flow = unfinished.flow[counted].astype(np.intp)
        self.targets.entities(
            flow, self._hour(unfinished.arrival[counted]), unfinished.waited[counted], done=False
        )
        self.entities.censored.add(flow, unfinished.waited[counted])

    def table(self, counters: EngineCounters) -> MetricTable:
        """The metric rows, keyed and ordered as :func:`.metrics.replication_table`'s."""
        model = self.model
        table: MetricTable = {}
        every = tuple(range(len(model.flows)))
        self._entity_rows(TableWriter(table, "overall"), every)
        for stage in model.stages:
            self._stage_rows(table, stage.index, counters)
        for flow in model.flows:
            self._entity_rows(TableWriter(table, "flow", flow.name), (flow.index,))
        for direction, indices in model.directions.items():
            self._entity_rows(TableWriter(table, "direction", direction), indices)
        for t, target in enumerate(model.targets):
            out = TableWriter(table, "target", target.name)
            out.put(
                "share",
                share_of(int(self.targets.within[t].sum()), int(self.targets.known[t].sum())),
            )
            for hour in range(self.hours):
                out.put(
                    "share",
                    share_of(int(self.targets.within[t, hour]), int(self.targets.known[t, hour])),
                    hour,
                )
        return table

    def _entity_rows(self, out: TableWriter, flows: Sequence[int]) -> None:
        """The entity block of ``flows`` together."""
        model, tally = self.model, self.entities
        chosen = list(flows)
        served = float(tally.waits.count[chosen].sum())
        skipped = float(tally.no_visit[chosen].sum())
        out.put("served", served)
        out.put("unfinished", tally.arrived[:, chosen].sum() - served - skipped)
        out.put("no_visit", skipped)
        out.update(tally.waits.stats(chosen))
        out.update(tally.censored.stats(chosen))
        out.put(
            "system_time_mean_s", float(tally.system[chosen].sum()) / served if served else math.nan
        )
        out.put("served_per_day", served * DAY / (model.horizon - model.warmup))
        _hourly_rows(
            out,
            arrived=tally.arrived[:, chosen].sum(axis=1),
            served=tally.served[:, chosen].sum(axis=1),
            waits=tally.hourly.stats(chosen),
        )

    def _stage_rows(self, table: MetricTable, index: int, counters: EngineCounters) -> None:
        """A stage's block, its lane groups' blocks, then its hourly rows."""
        model, tally = self.model, self.visit
        stage = model.stages[index]
        out = TableWriter(table, "stage", stage.name)
        _visit_rows(out, tally, stage.groups)
        out.put("utilization", utilization(counters, stage.groups))
        out.put("queue_mean", counters.stage_queue_mean[index])
        out.put("queue_max", counters.stage_queue_max[index])
        if not math.isinf(stage.space):
            out.put("time_over_space_s", counters.stage_time_over_space[index])
            out.put("first_over_space_s", counters.stage_first_over_space[index])
        observed = model.horizon - model.warmup
        for g in stage.groups:
            group = TableWriter(table, "group", stage.name, model.groups[g].name)
            _visit_rows(group, tally, (g,))
            group.put("utilization", utilization(counters, (g,)))
            group.put("queue_max", counters.group_queue_max[g])
            group.put("lanes_open_mean", counters.group_open_time[g] / observed)
        _hourly_rows(
            out,
            arrived=tally.arrived[:, index],
            served=tally.ended[:, index],
            waits=tally.hourly.stats((index,)),
        )


def _visit_rows(out: TableWriter, tally: _Visits, groups: Sequence[int]) -> None:
    chosen = list(groups)
    out.put("served", tally.served[chosen].sum())
    out.put("unfinished", tally.unfinished[chosen].sum())
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
                "arrived": arrived[hour],
                "served": served[hour],
                "wait_mean_s": mean[hour],
                "wait_p95_s": p95[hour],
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
    result = run_replication(model, seed, replication, recorder=ChunkRecorder(sink))
    return sink.table(result.counters), result.counters
