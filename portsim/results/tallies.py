"""The tallies of streaming results: counts, sums, maxima and fixed-size histograms that a
chunk of rows is folded into with numpy, and read out as metrics (:mod:`.streaming`)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from ..model.model import CompiledTarget
from .catalog import (
    PERCENTILES,
    SHARE,
    WAIT_FOR_OPENING_MAX,
    WAIT_FOR_OPENING_MEAN,
    WAIT_MAX,
    WAIT_MEAN,
    WAIT_PERCENTILES,
    Metric,
)
from .censored import CensoredTally
from .fold import PLAIN, Sums
from .histograms import Bins, coarse_index, percentiles
from .pledges import daily_shares, share_of
from .rows import TableWriter

__all__ = [
    "Counts",
    "Entities",
    "HourlyWaits",
    "Meets",
    "OpeningWaits",
    "Targets",
    "Visits",
    "Waits",
]

#: one, as the hourly histograms count (int32: half the memory of the only tally that grows
#: with the horizon)
_ONE = np.int32(1)
Index = NDArray[np.intp]
Floats = NDArray[np.float64]


class Waits:
    """Waits by key (a flow, a lane group) over the whole run: how many, their sum, the
    largest and a histogram on the fine bins."""

    __slots__ = ("bins", "count", "hist", "top", "total")

    def __init__(self, keys: int, bins: Bins) -> None:
        self.bins = bins
        self.count = np.zeros(keys, dtype=np.int64)
        self.total = Sums(keys)
        self.top = np.full(keys, -math.inf)
        self.hist = np.zeros((keys, bins.size), dtype=np.int64)

    def add(
        self,
        key: Index,
        waits: Floats,
        fine: Index,
        weight: NDArray[np.int64] | None = None,
        source: int = PLAIN,
    ) -> None:
        """Add ``waits`` of ``key``, whose fine bins are ``fine``, each counted ``weight``
        times (persons aboard a vehicle: once each), from rows of ``source``."""
        keys = len(self.count)
        if weight is None:
            self.count += np.bincount(key, minlength=keys)
            self.total.fold(key, waits, source)
            np.maximum.at(self.top, key, waits)
            np.add.at(self.hist.reshape(-1), key * self.bins.size + fine, 1)
            return
        some = weight > 0
        self.count += np.bincount(key, weights=weight, minlength=keys).astype(np.int64)
        self.total.fold(key, waits * weight, source)
        np.maximum.at(self.top, key[some], waits[some])
        np.add.at(self.hist.reshape(-1), key * self.bins.size + fine, weight)

    def stats(self, keys: Sequence[int]) -> dict[Metric, float]:
        """Mean, percentiles and maximum of the waits of ``keys`` together (NaN for none)."""
        chosen = list(keys)
        n = int(self.count[chosen].sum())
        if not n:
            return {
                WAIT_MEAN: math.nan,
                **dict.fromkeys(WAIT_PERCENTILES, math.nan),
                WAIT_MAX: math.nan,
            }
        top = float(self.top[chosen].max())
        values = percentiles(
            self.bins, self.hist[chosen].sum(axis=0)[None, :], np.array([top]), PERCENTILES
        )[0]
        stats = {WAIT_MEAN: float(self.total.value[chosen].sum()) / n}
        stats.update({m: float(v) for m, v in zip(WAIT_PERCENTILES, values, strict=True)})
        stats[WAIT_MAX] = top
        return stats


class HourlyWaits:
    """Waits by hour and key (a flow, a stage): how many, their sum, the largest and a
    histogram on the coarse bins, as hours × keys (× bins)."""

    __slots__ = ("bins", "count", "hist", "top", "total")

    def __init__(self, hours: int, keys: int, bins: Bins) -> None:
        self.bins = bins
        self.count = np.zeros((hours, keys), dtype=np.int64)
        self.total = Sums(hours, keys)
        self.top = np.full((hours, keys), -math.inf)
        self.hist = np.zeros((hours, keys, bins.size), dtype=np.int32)

    def add(self, hour: Index, key: Index, waits: Floats, fine: Index, source: int = PLAIN) -> None:
        """Add ``waits`` of ``key`` binned by ``hour``, whose fine bins are ``fine``, from
        rows of ``source``."""
        cells = self.count.size
        cell = hour * self.count.shape[1] + key
        self.count += np.bincount(cell, minlength=cells).reshape(self.count.shape)
        self.total.fold(cell, waits, source)
        np.maximum.at(self.top.reshape(-1), cell, waits)
        np.add.at(self.hist.reshape(-1), cell * self.bins.size + coarse_index(fine), _ONE)

    def stats(self, keys: Sequence[int]) -> tuple[Floats, Floats]:
        """The mean and p95 of each hour's waits of ``keys`` together (NaN for none)."""
        chosen = list(keys)
        n = self.count[:, chosen].sum(axis=1)
        total = self.total.value[:, chosen].sum(axis=1)
        mean = np.full(len(n), math.nan)
        np.divide(total, n, out=mean, where=n > 0)
        top = self.top[:, chosen].max(axis=1)
        p95 = percentiles(self.bins, self.hist[:, chosen].sum(axis=1), top, (95,))[:, 0]
        return mean, p95


class Entities:
    """Per subflow: counted arrivals and completions by hour, time in port of the served
    and their waits (the hourly waits binned by arrival), the waits at meeting points, those
    whose route skipped every stage and let nobody alight, the waits of the unfinished in
    port so far, and how many were outside at the horizon, waiting for an opening."""

    __slots__ = ("arrived", "censored", "hourly", "meets", "no_visit", "outside", "served",
                 "system", "waits")  # fmt: skip

    def __init__(self, subflows: int, hours: int, fine: Bins, coarse: Bins) -> None:
        self.no_visit = np.zeros(subflows, dtype=np.int64)
        self.outside = np.zeros(subflows, dtype=np.int64)
        self.censored = CensoredTally(subflows)
        self.arrived = np.zeros((hours, subflows), dtype=np.int64)
        self.served = np.zeros((hours, subflows), dtype=np.int64)
        self.system = Sums(subflows)
        self.waits = Waits(subflows, fine)
        self.hourly = HourlyWaits(hours, subflows, coarse)
        self.meets = Meets(subflows)


class Counts:
    """Persons or vehicles: how many counted came in, and the waits of those served (each
    weighted: the persons a vehicle carried through its queues), and how many of those out
    passed no control and let nobody alight."""

    __slots__ = ("counted", "no_visit", "waits")

    def __init__(self, fine: Bins) -> None:
        self.counted = 0
        self.no_visit = 0
        self.waits = Waits(1, fine)


class Visits:
    """Per lane group: visits served, unfinished and their waits; per stage and hour:
    visits joined, ended and their waits (binned by queue join); per lane group, the waits
    of the visits still queued at the horizon."""

    __slots__ = ("arrived", "censored", "ended", "hourly", "served", "unfinished", "waits")

    def __init__(self, groups: int, stages: int, hours: int, fine: Bins, coarse: Bins) -> None:
        self.censored = CensoredTally(groups)
        self.served = np.zeros(groups, dtype=np.int64)
        self.unfinished = np.zeros(groups, dtype=np.int64)
        self.waits = Waits(groups, fine)
        self.arrived = np.zeros((hours, stages), dtype=np.int64)
        self.ended = np.zeros((hours, stages), dtype=np.int64)
        self.hourly = HourlyWaits(hours, stages, coarse)


class Targets:
    """Per pledge and hour: outcomes known, and known to be within the limit."""

    __slots__ = ("known", "targets", "within")

    def __init__(self, targets: tuple[CompiledTarget, ...], hours: int) -> None:
        self.targets = targets
        self.known = np.zeros((len(targets), hours), dtype=np.int64)
        self.within = np.zeros((len(targets), hours), dtype=np.int64)

    def entities(
        self,
        flow: Index,
        *,
        sub: Index,
        own: NDArray[np.bool_],
        hour: Index,
        waits: Floats,
        done: bool,
    ) -> None:
        """Counted entities (``own``: the flows' own, not passengers who alighted): served
        (``done``) with their waits, or still in port with their waits so far."""
        for t, target in enumerate(self.targets):
            if target.stage is not None:
                continue
            if target.subflow is not None:
                of = sub == target.subflow
            else:
                of = own if target.flow is None else own & (flow == target.flow)
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

    def rows(self, out: TableWriter, t: int, days: int) -> None:
        """Pledge ``t``'s share over the run, by hour and, with ``days``, by day."""
        within, known = self.within[t], self.known[t]
        out.put(SHARE, share_of(int(within.sum()), int(known.sum())))
        for hour in range(len(known)):
            out.put(SHARE, share_of(int(within[hour]), int(known[hour])), hour)
        for day, value in enumerate(daily_shares(within, known, days) if days else ()):
            out.put_day(SHARE, value, day)

    def _add(self, t: int, hour: Index, waits: Floats, done: bool | NDArray[np.bool_]) -> None:
        limit = self.targets[t].wait_within
        known = np.logical_or(done, waits > limit)
        hours = self.known.shape[1]
        self.known[t] += np.bincount(hour[known], minlength=hours)
        self.within[t] += np.bincount(hour[known & (waits <= limit)], minlength=hours)


class Meets:
    """Per key (a subflow): how many waited at a meeting point, for how long in all, and
    the longest wait."""

    __slots__ = ("count", "top", "total")

    def __init__(self, keys: int) -> None:
        self.count = np.zeros(keys, dtype=np.int64)
        self.total = Sums(keys)
        self.top = np.full(keys, -math.inf)

    def add(self, key: Index, times: Floats, source: int = PLAIN) -> None:
        met = ~np.isnan(times)
        key, times = key[met], times[met]
        self.count += np.bincount(key, minlength=len(self.count))
        self.total.fold(key, times, source)
        np.maximum.at(self.top, key, times)

    def stats(self, keys: Sequence[int], mean: Metric, most: Metric) -> dict[Metric, float]:
        """The ``mean`` and the longest (``most``) of the times of ``keys`` together."""
        chosen = list(keys)
        n = int(self.count[chosen].sum())
        if not n:
            return {mean: math.nan, most: math.nan}
        return {
            mean: float(self.total.value[chosen].sum()) / n,
            most: float(self.top[chosen].max()),
        }


class OpeningWaits:
    """Per subflow: the waits for the port to open of the entities served (their sum, how
    many, the longest), and by day of arrival (sum and how many), as days × subflows."""

    __slots__ = ("count", "day_count", "day_total", "top", "total")

    def __init__(self, subflows: int, days: int) -> None:
        self.count = np.zeros(subflows, dtype=np.int64)
        self.total = Sums(subflows)
        self.top = np.full(subflows, -math.inf)
        self.day_count = np.zeros((days, subflows), dtype=np.int64)
        self.day_total = Sums(days, subflows)

    def add(self, sub: Index, day: Index, held: Floats, source: int = PLAIN) -> None:
        keys = len(self.count)
        self.count += np.bincount(sub, minlength=keys)
        self.total.fold(sub, held, source)
        np.maximum.at(self.top, sub, held)
        cell = day * keys + sub
        cells = self.day_count.size
        self.day_count += np.bincount(cell, minlength=cells).reshape(self.day_count.shape)
        self.day_total.fold(cell, held, source)

    def stats(self, keys: Sequence[int]) -> dict[Metric, float]:
        chosen = list(keys)
        n = int(self.count[chosen].sum())
        if not n:
            return {WAIT_FOR_OPENING_MEAN: math.nan, WAIT_FOR_OPENING_MAX: math.nan}
        return {
            WAIT_FOR_OPENING_MEAN: float(self.total.value[chosen].sum()) / n,
            WAIT_FOR_OPENING_MAX: float(self.top[chosen].max()),
        }

    def by_day(self, keys: Sequence[int]) -> tuple[Floats, Floats]:
        chosen = list(keys)
        return self.day_total.value[:, chosen].sum(axis=1), self.day_count[:, chosen].sum(axis=1)
