"""Wait histograms of fixed size, and the percentiles read from them.

A wait is never negative and never longer than the horizon. Its histogram has

* bin 0 for waits of exactly zero (very common: a lane was free);
* bin 1 for waits in ``(0, floor]``;
* log-spaced bins ``(floor·r^(k-2), floor·r^(k-1)]`` for k ≥ 2, with ``r = 1 + relative``,
  up to the first edge at or above the horizon;
* one last bin above that (empty in practice: no wait is longer than the horizon).

:func:`fine_bins` makes the whole-run bins (1 % wide above 0.01 s); :func:`coarse_bins`
merges every :data:`COARSE_FACTOR` of them into the bins of the hourly histograms
(1.01⁵ − 1 ≈ 5.1 % wide above the same floor), so one bin index per wait serves both
(:func:`coarse_index`).

:func:`percentiles` reads a percentile as :func:`numpy.percentile` defines it (linear
interpolation between the order statistics of rank ⌊h⌋ and ⌊h⌋ + 1, h = (n − 1)·q/100),
estimating each of the two order statistics inside its bin: the *i*-th of the *c* values
in a bin ``(lo, hi]`` is put at ``lo + (hi − lo)·(i + ½)/c``, ``hi`` capped at the largest
wait (known exactly), and the largest wait itself is exact. An order statistic ``x`` and its
estimate share a bin, so they differ by less than the bin's width: less than
``relative·x`` in a log bin, at most ``floor`` in bin 1, nothing in bin 0. Interpolating
with the same weights keeps the bound: the estimate ``P̂`` of an exact percentile ``P``
satisfies ``|P̂ − P| ≤ relative·P + floor`` (:meth:`Bins.tolerance`), up to floating-point
rounding (about 1e-15 relative).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "COARSE_FACTOR",
    "FLOOR_S",
    "RELATIVE",
    "Bins",
    "coarse_bins",
    "coarse_index",
    "fine_bins",
    "percentiles",
]

#: Waits up to this many seconds (above zero) share one bin.
FLOOR_S = 0.01
#: Relative width of a whole-run bin above the floor.
RELATIVE = 0.01
#: Whole-run bins merged into one hourly bin.
COARSE_FACTOR = 5


@dataclass(frozen=True, slots=True, eq=False)
class Bins:
    """Histogram bins: bin 0 holds zeros, bin k (1 ≤ k < len(edges)) holds
    ``(edges[k-1], edges[k]]``, bin ``len(edges)`` what lies above the last edge."""

    #: ``0, floor, floor·r, floor·r², …``
    edges: NDArray[np.float64]
    floor: float
    relative: float

    @property
    def size(self) -> int:
        """Number of bins."""
        return len(self.edges) + 1

    def index(self, waits: NDArray[np.float64]) -> NDArray[np.intp]:
        """The bin of each wait."""
        return np.searchsorted(self.edges, waits, side="left")

    def tolerance(self, value: float) -> float:
        """The most a streaming percentile may differ from the exact one, ``value``."""
        return self.relative * abs(value) + self.floor


def fine_bins(top: float, floor: float = FLOOR_S, relative: float = RELATIVE) -> Bins:
    """Whole-run bins for waits up to ``top`` (the horizon); their number of log bins is a
    multiple of :data:`COARSE_FACTOR`, so that :func:`coarse_bins` covers the same range."""
    ratio = 1.0 + relative
    steps = max(1, math.ceil(math.log(max(top, floor) / floor) / math.log(ratio)))
    steps = -(-steps // COARSE_FACTOR) * COARSE_FACTOR
    log_edges = floor * np.power(ratio, np.arange(steps + 1, dtype=np.float64))
    return Bins(np.concatenate(([0.0], log_edges)), floor, relative)


def coarse_bins(fine: Bins) -> Bins:
    """The hourly bins: every :data:`COARSE_FACTOR` log bins of ``fine`` merged."""
    edges = np.concatenate(([0.0], fine.edges[1::COARSE_FACTOR]))
    relative = (1.0 + fine.relative) ** COARSE_FACTOR - 1.0
    return Bins(edges, fine.floor, relative)


#: bins before the log-spaced ones: exact zeros, and waits in (0, floor]
_SPECIAL = 2


def coarse_index(fine: NDArray[np.intp]) -> NDArray[np.intp]:
    """The :func:`coarse_bins` bin of each wait from its :func:`fine_bins` bin."""
    # the zero bin and the tiny-wait bin are the same in both; the log bins merge
    return np.where(fine < _SPECIAL, fine, _SPECIAL + (fine - _SPECIAL) // COARSE_FACTOR)


def percentiles(
    bins: Bins, counts: NDArray[np.integer], tops: NDArray[np.float64], qs: Sequence[float]
) -> NDArray[np.float64]:
    """The percentiles ``qs`` (0–100) of each row of ``counts`` (rows × bins), whose largest
    waits are ``tops``, as rows × len(qs); NaN for a row with no waits."""
    hist = np.asarray(counts, dtype=np.int64)
    n = hist.sum(axis=1)
    tops = np.where(n > 0, tops, 0.0)
    cum = np.cumsum(hist, axis=1)
    last = np.maximum(n - 1, 0)[:, None]
    virtual = last * (np.asarray(qs, dtype=np.float64)[None, :] / 100.0)
    below = np.floor(virtual)
    fraction = virtual - below
    rank = below.astype(np.int64)
    low = _order_statistics(bins, hist, cum, tops=tops, rank=rank, last=last)
    high = _order_statistics(bins, hist, cum, tops=tops, rank=np.minimum(rank + 1, last), last=last)
    out: NDArray[np.float64] = low + fraction * (high - low)
    out[n == 0] = math.nan
    return out


def _order_statistics(
    bins: Bins,
    counts: NDArray[np.int64],
    cum: NDArray[np.int64],
    *,
    tops: NDArray[np.float64],
    rank: NDArray[np.int64],
    last: NDArray[np.int64],
) -> NDArray[np.float64]:
    """The estimated value of rank ``rank`` (0-based, rows × q) of each row."""
    holding = np.minimum((cum[:, None, :] <= rank[:, :, None]).sum(axis=2), bins.size - 1)
    in_bin = np.take_along_axis(counts, holding, axis=1)
    before = np.take_along_axis(cum, holding, axis=1) - in_bin
    lower = np.concatenate(([0.0], bins.edges))[holding]
    upper = np.minimum(np.concatenate((bins.edges, [math.inf]))[holding], tops[:, None])
    inside = (rank - before + 0.5) / np.maximum(in_bin, 1)
    estimate = lower + (upper - lower) * inside
    return np.where(rank == last, tops[:, None], estimate)
