"""Service pledges: the share of travellers who wait no longer than a limit.

A target names a flow (its travellers' total wait over the route), a stage (the wait at that
control point) or neither (every counted entity, total wait). Per replication, the share is
the fraction of counted entities (or stage visits) whose wait is known to be within the
limit, among those whose outcome is known at the horizon: served ones, and unfinished ones
that have already waited longer than the limit (they fail whatever happens next). Unfinished
ones still within the limit are censored and left out.

The verdict compares the 95 % interval of the share over the replications with the pledged
share: ``pass`` (entirely above), ``fail`` (entirely below), ``inconclusive`` (straddles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._schema import STRICT, Name, PositiveDuration, Probability

__all__ = ["Target", "target_shares", "verdict"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """``share`` of travellers wait at most ``wait_within`` (of ``flow``, or at ``stage``)."""

    __pydantic_config__ = STRICT
    name: Name
    flow: Name | None = None
    stage: Name | None = None
    wait_within: PositiveDuration
    share: Probability
    source: str | None = None

    def __post_init__(self) -> None:
        if self.flow is not None and self.stage is not None:
            raise ValueError("a target names a flow or a stage, not both")


def verdict(share: float, ci: list[float] | None, target: float) -> str:
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
    target: Target,
    *,
    waits: NDArray[np.float64],
    known: NDArray[np.bool_],
    times: NDArray[np.float64],
    hours: int,
) -> dict[str, Any]:
    """The share within the limit overall and per hour (by ``times``, the queue-join or
    arrival time) for one replication, from each counted item's wait (``NaN`` where not
    ended) and whether its outcome is ``known``."""
    within = known & (waits <= target.wait_within)
    hour = np.minimum((times // 3600).astype(np.int64), hours - 1)
    known_by_hour = np.bincount(hour[known], minlength=hours)
    within_by_hour = np.bincount(hour[within], minlength=hours)
    total = int(known.sum())
    return {
        "share": float(within.sum() / total) if total else math.nan,
        "hourly": [
            {
                "hour": h,
                "share": float(within_by_hour[h] / known_by_hour[h])
                if known_by_hour[h]
                else math.nan,
            }
            for h in range(hours)
        ],
    }
