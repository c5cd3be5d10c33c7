"""Service pledges measured: the share of travellers who wait no longer than a limit.

Per replication, the share is the fraction of counted entities (or stage visits) whose wait
is known to be within the limit, among those whose outcome is known at the horizon: served
ones, and unfinished ones that have already waited longer than the limit (they fail whatever
happens next). Unfinished ones still within the limit are censored and left out. The
entities are those the waits count (:mod:`.metrics`): never the ``no_visit`` ones, who
passed no control; a vehicle served for the passengers it let off counts with its own wait
(0 if it queued nowhere), as in its flow's waits.

The verdict compares the 95 % interval of the share over the replications with the pledged
share: ``pass`` (entirely above), ``fail`` (entirely below), ``inconclusive`` (straddles).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from ..model.model import CompiledTarget
from ..units import HOUR, HOURS_PER_DAY

__all__ = ["daily_shares", "share_of", "target_shares", "verdict"]


def verdict(share: float, ci: Sequence[float] | None, target: float) -> str:
    """``pass``, ``fail`` or ``inconclusive`` for a share's interval against the target."""
    if ci is None:
        if math.isnan(share):
            return "inconclusive"
        lo = hi = share
    else:
        lo, hi = ci
    if lo > target:
        return "pass"
    if hi < target:
        return "fail"
    return "inconclusive"


def target_shares(
    target: CompiledTarget,
    *,
    waits: NDArray[np.float64],
    known: NDArray[np.bool_],
    times: NDArray[np.float64],
    hours: int,
) -> tuple[float, list[float], tuple[NDArray[np.int64], NDArray[np.int64]]]:
    """The share within the limit overall and per hour (by ``times``, the queue-join or
    arrival time) for one replication, from each counted item's wait so far and whether its
    outcome is ``known``; and the hourly counts (within, known) the shares come from."""
    within = known & (waits <= target.wait_within)
    hour = np.minimum((times // HOUR).astype(np.int64), hours - 1)
    within_by_hour = np.bincount(hour[within], minlength=hours)
    known_by_hour = np.bincount(hour[known], minlength=hours)
    return (
        share_of(int(within.sum()), int(known.sum())),
        [share_of(int(w), int(k)) for w, k in zip(within_by_hour, known_by_hour, strict=True)],
        (within_by_hour, known_by_hour),
    )


def daily_shares(
    within_by_hour: NDArray[np.integer], known_by_hour: NDArray[np.integer], days: int
) -> list[float]:
    """Each day's share within the limit, from the hourly counts (day 1 first; hours past the
    last day count in it, as the hourly rows count the horizon in the last hour)."""
    day = np.minimum(np.arange(len(known_by_hour)) // HOURS_PER_DAY, days - 1)
    within = np.bincount(day, weights=within_by_hour, minlength=days)
    known = np.bincount(day, weights=known_by_hour, minlength=days)
    return [share_of(int(w), int(k)) for w, k in zip(within, known, strict=True)]


def share_of(within: int, known: int) -> float:
    """``within / known``, NaN when nothing is known."""
    return within / known if known else math.nan
