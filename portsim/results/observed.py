"""Observed waits beside a run's own: the comparison a run's reports show with ``--observed``
(``portsim run FILE --observed waits.csv``; in Python,
:func:`portsim.with_observed_waits`), and the distances ``portsim fit waits`` gives too.

Computed with numpy alone, so that a run never imports scipy:

- the **Kolmogorov–Smirnov distance**: the largest gap between the two ECDFs (the shares who
  waited at most so long), 0 (the same) to 1 (no overlap);
- the **Wasserstein distance**: the area between the two ECDFs, in seconds: how far the
  observed waits would have to move, on average, to become the simulated ones.

The mean wait and the 50th, 90th and 95th percentiles (numpy's linear interpolation, as
the run's own) are put side by side: the observed value, and the simulated one as every
metric of a run is given, the mean over the replications of each replication's value with
its 95 % Student-t interval (:func:`~.statistics.estimate`), and the lowest and highest
replication's (the spread of one simulated day: an observed sample is one such day, not
a mean of many). The observed value has its own 95 % interval (:func:`observed_interval`,
were its waits independent): a sample of 400 waits knows its 95th percentile to a minute or
so. The verdict says where each observed value lies: inside, above or below the interval,
whether the two intervals are apart, and whether some replication gave as much.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import UsageError
from .catalog import WAIT_MEAN, WAIT_P50, WAIT_P90, WAIT_P95, Metric
from .statistics import Stat, estimate, student_t_quantile

__all__ = [
    "COMPARED",
    "LEAD",
    "ObservedRow",
    "ObservedWaits",
    "ks_distance",
    "observed_interval",
    "observed_waits",
    "position",
    "statistic",
    "wasserstein_distance",
]

Floats = NDArray[np.float64]

#: the statistics put side by side, each the catalog's metric (its words and unit)
COMPARED: tuple[Metric, ...] = (WAIT_MEAN, WAIT_P50, WAIT_P90, WAIT_P95)
#: the statistic the verdict leads with: what a planner's pledge is about
LEAD = WAIT_P95
_PERCENT = {WAIT_P50: 50.0, WAIT_P90: 90.0, WAIT_P95: 95.0}
#: waits are never negative: no interval below zero
_BOUNDS = (0.0, math.inf)
#: the standard normal's 97.5th percentile: a two-sided 95 % interval
_Z = 1.959963984540054


def _sorted(values: ArrayLike) -> Floats:
    return np.sort(np.asarray(values, dtype=np.float64).ravel())


def ks_distance(first: ArrayLike, second: ArrayLike) -> float:
    """The two-sample Kolmogorov–Smirnov distance: the largest gap between the ECDFs of
    ``first`` and ``second`` (each non-empty), taken at every value of either."""
    a, b = _sorted(first), _sorted(second)
    points = np.concatenate((a, b))
    gaps = np.searchsorted(a, points, side="right") / len(a) - np.searchsorted(
        b, points, side="right"
    ) / len(b)
    return float(np.max(np.abs(gaps)))


def wasserstein_distance(first: ArrayLike, second: ArrayLike) -> float:
    """The first Wasserstein distance between the samples ``first`` and ``second`` (each
    non-empty): the integral of |F − G| over the line, F and G their ECDFs, summed exactly
    between the sorted values of both."""
    a, b = _sorted(first), _sorted(second)
    points = np.sort(np.concatenate((a, b)))
    widths = np.diff(points)
    f = np.searchsorted(a, points[:-1], side="right") / len(a)
    g = np.searchsorted(b, points[:-1], side="right") / len(b)
    return float(np.sum(np.abs(f - g) * widths))


def statistic(metric: Metric, waits: Floats) -> float:
    """``metric`` (the mean wait or a percentile of :data:`COMPARED`) of ``waits``, in
    seconds; NaN for no waits."""
    if len(waits) == 0:
        return math.nan
    if metric is WAIT_MEAN:
        return float(np.mean(waits))
    return float(np.percentile(waits, _PERCENT[metric]))


def observed_interval(metric: Metric, waits: Floats) -> tuple[float, float] | None:
    """The 95 % interval of ``metric`` of the observed ``waits`` (sorted), were they
    independent: for the mean, Student's t; for a percentile p of n waits, the
    distribution-free interval between the order statistics of ranks ⌈np − z√(np(1 − p))⌉ and
    ⌈np + z√(np(1 − p))⌉ (1-based, within 1 to n; Conover, *Practical Nonparametric
    Statistics*, 1999). None for fewer than two waits. Waits in one queue are correlated, so
    the true interval is wider, if anything."""
    n = len(waits)
    if n < 2:  # noqa: PLR2004 - an interval needs two values
        return None
    if metric is WAIT_MEAN:
        mean = float(np.mean(waits))
        half = student_t_quantile(0.975, n - 1) * float(np.std(waits, ddof=1)) / math.sqrt(n)
        return max(mean - half, 0.0), mean + half
    p = _PERCENT[metric] / 100
    spread = _Z * math.sqrt(n * p * (1 - p))
    low = min(max(math.ceil(n * p - spread), 1), n)
    high = min(max(math.ceil(n * p + spread), 1), n)
    return float(waits[low - 1]), float(waits[high - 1])


def position(value: float, stat: Stat) -> str:
    """Where ``value`` lies against the simulated ``stat``: ``inside``, ``above`` or
    ``below`` its interval (without one: ``at``, ``above`` or ``below`` its mean)."""
    low, high = stat.interval or (stat.mean, stat.mean)
    if value > high:
        return "above"
    if value < low:
        return "below"
    return "inside" if stat.interval else "at"


@dataclass(frozen=True, slots=True)
class ObservedRow:
    """One statistic side by side: the observed value, the simulated one over the
    replications (mean and 95 % interval), the lowest and highest replication's, and where
    the observed value lies (:func:`position`); seconds."""

    metric: Metric
    observed: float
    simulated: Stat
    lowest: float
    highest: float
    #: the observed value's own 95 % interval (:func:`observed_interval`; None: too few)
    observed_interval: tuple[float, float] | None = None

    @property
    def apart(self) -> bool:
        """Whether the observed value's interval and the simulated one do not overlap: the
        sample tells them apart (without an observed interval: the value is outside)."""
        low, high = self.simulated.interval or (self.simulated.mean, self.simulated.mean)
        own_low, own_high = self.observed_interval or (self.observed, self.observed)
        return own_high < low or own_low > high

    @property
    def position(self) -> str:
        """``inside``, ``above`` or ``below`` the simulated interval (``at`` its mean)."""
        return position(self.observed, self.simulated)

    @property
    def within_replications(self) -> bool:
        """Whether some replication gave as little and some as much as was observed."""
        return self.lowest <= self.observed <= self.highest

    def json(self) -> dict[str, Any]:
        """The row as the run JSON's ``observed_waits`` block gives it."""
        own = self.observed_interval
        return {
            "observed": self.observed,
            "observed_ci95": None if own is None else list(own),
            "simulated": self.simulated.json(),
            "replications_range": [self.lowest, self.highest],
            "position": self.position,
        }


@dataclass(frozen=True, slots=True)
class ObservedWaits:
    """Observed waits and the run's simulated ones (seconds, each sorted), whose waits they
    are in words (``compared``, empty: every visit), and the distances between them."""

    source: str
    observed: Floats = field(repr=False)
    #: each replication's simulated waits
    replications: tuple[Floats, ...] = field(repr=False)
    ks: float
    wasserstein: float
    compared: str = ""
    flow: str = ""
    stage: str = ""
    #: simulated visits not served by the horizon, left out
    unserved: int = 0

    @property
    def simulated(self) -> Floats:
        """Every replication's simulated waits together, sorted."""
        return np.sort(np.concatenate(self.replications))

    def rows(self) -> tuple[ObservedRow, ...]:
        """Each statistic of :data:`COMPARED`, observed beside simulated."""
        rows = []
        for metric in COMPARED:
            values = [statistic(metric, waits) for waits in self.replications]
            known = [v for v in values if not math.isnan(v)]
            rows.append(
                ObservedRow(
                    metric,
                    statistic(metric, self.observed),
                    estimate(values, _BOUNDS),
                    min(known, default=math.nan),
                    max(known, default=math.nan),
                    observed_interval(metric, self.observed),
                )
            )
        return tuple(rows)

    def lead(self) -> ObservedRow:
        """The row the verdict leads with: the 95th-percentile wait."""
        return next(row for row in self.rows() if row.metric is LEAD)

    def json(self) -> dict[str, Any]:
        """The run JSON's ``observed_waits`` block (``docs/output.md``)."""
        return {
            "source": self.source,
            "flow": self.flow or None,
            "stage": self.stage or None,
            "compared": self.compared or "every visit",
            "observed_n": len(self.observed),
            "simulated_n": int(sum(len(r) for r in self.replications)),
            "unserved": self.unserved,
            "statistics": {row.metric.name: row.json() for row in self.rows()},
            "ks": self.ks,
            "wasserstein_s": self.wasserstein,
        }


def observed_waits(
    observed: ArrayLike,
    replications: tuple[Floats, ...] | list[Floats],
    *,
    source: str = "observed",
    compared: str = "",
    flow: str = "",
    stage: str = "",
    unserved: int = 0,
) -> ObservedWaits:
    """The :class:`ObservedWaits` of ``observed`` waits against each replication's
    simulated ones (seconds; neither empty altogether)."""
    ours = _sorted(observed)
    theirs = tuple(_sorted(r) for r in replications)
    pooled = np.concatenate(theirs) if theirs else np.empty(0)
    if len(ours) == 0 or len(pooled) == 0:
        raise UsageError(f"{source}: no {'observed' if len(ours) == 0 else 'simulated'} waits")
    return ObservedWaits(
        source,
        ours,
        theirs,
        ks_distance(ours, pooled),
        wasserstein_distance(ours, pooled),
        compared,
        flow,
        stage,
        unserved,
    )
