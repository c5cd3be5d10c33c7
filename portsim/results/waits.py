"""The waits of a block of the metric rows: their statistics (mean, percentiles, maximum),
their hourly rows, the hour of a time, and each entity's waits added up, computed with as
few columns of every visit alive at once as the results allow (a Shenzhen-scale day has a
million visits)."""

from __future__ import annotations

import itertools
import math

import numpy as np
from numpy.typing import NDArray

from ..units import HOUR
from .catalog import (
    ARRIVED,
    PERCENTILES,
    SERVED,
    WAIT_MAX,
    WAIT_MEAN,
    WAIT_P95,
    WAIT_PERCENTILES,
    Metric,
)
from .records import Records
from .rows import TableWriter

__all__ = [
    "entity_waits",
    "grouped",
    "hour_index",
    "hourly_rows",
    "mean_of",
    "per_hour",
    "sorted_percentile",
    "wait_stats",
]


def wait_stats(waits: NDArray[np.float64], *, scratch: bool = False) -> dict[Metric, float]:
    """Mean, percentiles and maximum of some waits (NaN for none). With ``scratch`` the
    waits are a copy the caller no longer needs, which the percentiles may reorder."""
    if len(waits) == 0:
        stats = {WAIT_MEAN: math.nan}
        stats.update(dict.fromkeys(WAIT_PERCENTILES, math.nan))
        stats[WAIT_MAX] = math.nan
        return stats
    stats = {WAIT_MEAN: float(waits.mean())}
    most = float(waits.max())
    values = np.percentile(waits, PERCENTILES, overwrite_input=scratch)
    stats.update({m: float(v) for m, v in zip(WAIT_PERCENTILES, values, strict=True)})
    stats[WAIT_MAX] = most
    return stats


def mean_of(values: NDArray[np.float64]) -> float:
    return float(values.mean()) if len(values) else math.nan


def hourly_rows(
    out: TableWriter,
    hours: int,
    *,
    arrived: NDArray[np.integer],
    served: NDArray[np.integer],
    waits: NDArray[np.float64],
    waited: NDArray[np.integer],
) -> None:
    """Per hour: arrivals and completions (``arrived``, ``served``: counts by hour, see
    :func:`per_hour`) and waits, from the hour of each wait (the hour its queue was joined,
    or the entity arrived)."""
    counts = np.bincount(waited, minlength=hours)
    sums = np.bincount(waited, weights=waits, minlength=hours)
    sorted_waits = _sorted_by_hour(waits, waited, counts)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    p95 = sorted_percentile(sorted_waits, np.cumsum(counts) - counts, counts, 95)
    for hour in range(hours):
        out.update(
            {
                ARRIVED: arrived[hour],
                SERVED: served[hour],
                WAIT_MEAN: means[hour],
                WAIT_P95: p95[hour],
            },
            hour,
        )


def grouped(values: NDArray[np.float64], keys: NDArray[np.integer]) -> NDArray[np.float64]:
    """``values`` grouped by their keys (an hour, a day), in their order within a key: a
    stable sort by key, skipped when the keys already come in order (as they do for
    entities, in order of arrival). A copy either way."""
    if len(keys) > 1 and not bool(np.all(keys[1:] >= keys[:-1])):
        return values[np.argsort(keys, kind="stable")]
    return values.copy()


def _sorted_by_hour(
    waits: NDArray[np.float64], hour: NDArray[np.integer], counts: NDArray[np.int64]
) -> NDArray[np.float64]:
    """The waits grouped by hour, then each hour's slice sorted in place."""
    out = grouped(waits, hour)
    at = 0
    for n in counts.tolist():
        if n > 1:
            out[at : at + n].sort()
        at += n
    return out


def per_hour(times: NDArray[np.float64], hours: int) -> NDArray[np.int64]:
    """How many of ``times`` fall in each hour (a temporary copy of them is taken, and its
    hours dropped once counted)."""
    return np.bincount(hour_index(times, hours, scratch=True), minlength=hours)


#: values a :func:`floor_quotient` works through at a time (its temporaries stay small)
_QUOTIENT_CHUNK = 1 << 16


def floor_quotient(
    times: NDArray[np.float64], unit: float, *, scratch: bool = False
) -> NDArray[np.float64]:
    """``floor(times / unit)`` exactly, as ``np.floor_divide`` gives it, in a fifth of its
    time: the rounded quotient's floor is the true one or one above it (only where the true
    quotient falls just short of a whole number), and ``q * unit`` is exact for the whole
    numbers of a run's hours and days, so one comparison mends it
    (``tests/test_floor_quotient.py`` holds it to ``floor_divide`` at and beside every
    boundary). ``unit``: a whole number of seconds (an hour, a day): with another the
    product is rounded and the mending fails, so it is refused. NaN stays NaN, an infinity
    infinite (where ``floor_divide`` gives NaN: both end in the last hour). ``scratch``:
    ``times`` is a temporary copy, overwritten with the result; either way the work goes a
    chunk at a time, so its temporaries are small."""
    if not (unit >= 1 and float(unit).is_integer()):
        raise ValueError(f"floor_quotient needs a whole number of seconds, not {unit!r}")
    out = times if scratch else np.empty_like(times)
    for start in range(0, len(times), _QUOTIENT_CHUNK):
        part = times[start : start + _QUOTIENT_CHUNK]
        quotient = part / unit
        np.floor(quotient, out=quotient)
        with np.errstate(invalid="ignore"):
            quotient -= quotient * unit > part
        out[start : start + _QUOTIENT_CHUNK] = quotient
    return out


def hour_index(
    times: NDArray[np.float64], hours: int, *, scratch: bool = False
) -> NDArray[np.integer]:
    """The hour (from 00:00 of day 1) of each time, the last hour for the horizon itself and
    for NaN (a time that has not come). ``scratch``: ``times`` is a temporary copy, which
    may be overwritten (one column fewer at the peak)."""
    index = floor_quotient(times, HOUR, scratch=scratch)
    np.fmin(index, hours - 1, out=index)  # fmin takes the number over NaN: one pass for both
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


#: visits whose waits are summed at a time (a Shenzhen-scale day has a million visits: a
#: column of all their waits would be 8 MB at the peak of the run)
WAIT_CHUNK = 1 << 17


def entity_waits(rec: Records, started: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Each entity's queue waits added up (visits not started count 0), plus its wait aboard
    a vehicle. Visits are taken a chunk at a time, each chunk ending where an entity's
    visits end, so that every entity's sum is the one a single ``np.bincount`` gives (the
    same additions in the same order) without a column of every visit's wait."""
    total = np.zeros(rec.entities)
    entity, start, join = rec.visit_entity, rec.visit_start, rec.visit_join
    n = len(entity)
    cuts = np.arange(WAIT_CHUNK, n, WAIT_CHUNK)
    if n and not bool(np.all(entity[1:] >= entity[:-1])):  # not by entity: in one go
        cuts = np.zeros(0, dtype=np.int64)
    bounds = [0, *np.unique(np.searchsorted(entity, entity[cuts], side="left")).tolist(), n]
    for a, b in itertools.pairwise(bounds):
        if b <= a:
            continue
        wait = start[a:b] - join[a:b]
        wait[~started[a:b]] = 0.0
        first = int(entity[a:b].min())
        sums = np.bincount(entity[a:b] - first, weights=wait)
        total[first : first + len(sums)] += sums
    total += rec.entity_aboard_wait
    return total
