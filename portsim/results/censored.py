"""Censored waits: the waits the horizon cut short, as far as they went.

Whoever is still queued (a stage visit) or still in port (an entity) at the horizon has a
wait the run does not see end; their time waited so far is a lower bound on it. An
overloaded run's wait figures are over the finished only, so these are reported beside
them: ``censored_wait_mean_s`` and ``censored_wait_max_s`` (NaN when nobody was cut short).
:func:`censored` computes them from the records, :class:`CensoredTally` from the streaming
tallies, with the same definitions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .catalog import CENSORED_WAIT_MAX, CENSORED_WAIT_MEAN, Metric

__all__ = ["CensoredTally", "censored"]


def censored(waited: NDArray[np.float64]) -> dict[Metric, float]:
    """The mean and the largest of the waits cut short by the horizon (NaN for none)."""
    if len(waited) == 0:
        return {CENSORED_WAIT_MEAN: math.nan, CENSORED_WAIT_MAX: math.nan}
    return {
        CENSORED_WAIT_MEAN: float(waited.mean()),
        CENSORED_WAIT_MAX: float(waited.max()),
    }


class CensoredTally:
    """Waits cut short by key (a flow, a lane group): how many, their sum and the largest."""

    __slots__ = ("count", "top", "total")

    def __init__(self, keys: int) -> None:
        self.count = np.zeros(keys, dtype=np.int64)
        self.total = np.zeros(keys)
        self.top = np.full(keys, -math.inf)

    def add(self, key: NDArray[np.intp], waited: NDArray[np.float64]) -> None:
        self.count += np.bincount(key, minlength=len(self.count))
        self.total += np.bincount(key, weights=waited, minlength=len(self.count))
        np.maximum.at(self.top, key, waited)

    def stats(self, keys: Sequence[int]) -> dict[Metric, float]:
        """:func:`censored` of the waits of ``keys`` together."""
        chosen = list(keys)
        n = int(self.count[chosen].sum())
        if not n:
            return censored(np.empty(0))
        return {
            CENSORED_WAIT_MEAN: float(self.total[chosen].sum()) / n,
            CENSORED_WAIT_MAX: float(self.top[chosen].max()),
        }
