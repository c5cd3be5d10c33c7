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
were its waits independent; a percentile's from exact binomial ranks, open above when the
sample cannot bound it): a sample of 400 waits knows its 95th percentile to a minute or so,
one of 10 only from below. The verdict says where each observed value lies: inside, above or
below the interval, whether the two intervals are apart, and whether some replication gave
as much. A rare selection (fewer than :data:`MIN_PER_REPLICATION` waits a replication on
average) is compared with the percentiles of every replication's waits together; a forecast
from a state, with the waits from the state's time on (``since``).
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
    "MIN_PER_REPLICATION",
    "ObservedRow",
    "ObservedWaits",
    "binomial_ranks",
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
#: the fewest waits a replication holds on average for its own percentiles to be compared:
#: with fewer than 20, a replication's top 5 % holds less than one wait, so its "95th
#: percentile" is an interpolation between its two longest waits (of one wait: that wait),
#: biased low; then the simulated percentiles are of every replication's waits together,
#: as ``portsim fit waits`` gives them
MIN_PER_REPLICATION = 20
#: each tail of a two-sided 95 % interval
_TAIL = 0.025


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


def binomial_ranks(n: int, p: float) -> tuple[int | None, int | None]:
    """The ranks (1-based) of the order statistics X(r) ≤ X(s) of ``n`` independent values
    between which their ``p``-quantile lies with probability 95 % or more, none the sample
    cannot give: the distribution-free interval (Conover, *Practical Nonparametric
    Statistics*, 1999), exact, each tail at most 2.5 %: r the largest with
    P(Binom(n, p) ≤ r − 1) ≤ 0.025, s the smallest with P(Binom(n, p) ≥ s) ≤ 0.025. A side
    the sample cannot bound is None: with P(Binom(n, p) = n) = pⁿ > 0.025 (a 95th
    percentile from fewer than 72 values) the quantile lies above the sample's largest value
    too often to call it a bound, and the interval is open above. Computed with numpy and
    math (log-space binomial terms), so that a run never imports scipy."""
    k = np.arange(n + 1, dtype=np.float64)
    steps = np.log(np.maximum(n - k[:-1], 1.0)) - np.log(k[1:])
    logs = n * math.log1p(-p) + np.concatenate(([0.0], np.cumsum(steps)))
    terms = np.exp(logs + k * (math.log(p) - math.log1p(-p)))
    below = np.cumsum(terms)  # P(B ≤ k)
    above = np.cumsum(terms[::-1])[::-1]  # P(B ≥ k)
    tail = _TAIL * (1 + 1e-9)  # a rounding error never moves a rank
    lows = np.flatnonzero(below <= tail)  # P(B ≤ r − 1) ≤ 2.5 %: r − 1 among these
    highs = np.flatnonzero(above[1:] <= tail) + 1  # P(B ≥ s) ≤ 2.5 %, s ≥ 1
    low = int(lows[-1]) + 1 if len(lows) else None
    high = int(highs[0]) if len(highs) else None
    return low, high


def observed_interval(metric: Metric, waits: Floats) -> tuple[float, float] | None:
    """The 95 % interval of ``metric`` of the observed ``waits`` (sorted), were they
    independent: for the mean, Student's t; for a percentile, the order statistics of the
    exact binomial ranks (:func:`binomial_ranks`), its lower end 0 (waits are never negative)
    and its upper end infinite (open above) where the sample cannot bound that side. None for
    fewer than two waits. Waits in one queue are correlated, so the true interval is wider,
    if anything."""
    n = len(waits)
    if n < 2:  # noqa: PLR2004 - an interval needs two values
        return None
    if metric is WAIT_MEAN:
        mean = float(np.mean(waits))
        half = student_t_quantile(0.975, n - 1) * float(np.std(waits, ddof=1)) / math.sqrt(n)
        return max(mean - half, 0.0), mean + half
    low, high = binomial_ranks(n, _PERCENT[metric] / 100)
    return (
        0.0 if low is None else float(waits[low - 1]),
        math.inf if high is None else float(waits[high - 1]),
    )


def position(value: float, stat: Stat) -> str:
    """Where ``value`` lies against the simulated ``stat``: ``inside``, ``above`` or
    ``below`` its interval (without one: ``at``, ``above`` or ``below`` its mean)."""
    if stat.interval is None and math.isclose(value, stat.mean, rel_tol=1e-9, abs_tol=1e-9):
        return "at"  # the same value, but for the last bits of the interpolation
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
    #: the observed value's own 95 % interval (:func:`observed_interval`; None: too few;
    #: its upper end infinite: open above)
    observed_interval: tuple[float, float] | None = None
    #: whether the simulated value is of every replication's waits together (a rare
    #: selection: :attr:`ObservedWaits.pooled`), a value without interval, as ``portsim fit
    #: waits`` gives it, and no replication's value (``lowest``, ``highest``: NaN)
    pooled: bool = False

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
        shown = {
            "observed": self.observed,
            "observed_ci95": _ends(own),
            "simulated": self.simulated.json(),
            "replications_range": [self.lowest, self.highest],
            "position": self.position,
        }
        if self.pooled:
            shown |= {"replications_range": None, "simulated_pooled": True}
        return shown


def _ends(interval: tuple[float, float] | None) -> list[float | None] | None:
    """An interval as the JSON gives it: an open end (infinite) is null."""
    if interval is None:
        return None
    return [None if math.isinf(end) else end for end in interval]


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
    #: the state's time (seconds) when the run is a forecast from one: the simulated waits
    #: count from it (None: a whole run, after its warm-up)
    since: float | None = None
    #: the fewest simulated waits a replication holds on average for the percentiles to be
    #: each replication's (:data:`MIN_PER_REPLICATION`)
    min_per_replication: int = field(default=MIN_PER_REPLICATION, repr=False)

    @property
    def pooled(self) -> bool:
        """Whether the replications hold fewer than ``min_per_replication`` waits each on
        average: then the simulated percentiles are of all their waits together."""
        total = sum(map(len, self.replications))
        return total < self.min_per_replication * len(self.replications)

    @property
    def simulated(self) -> Floats:
        """Every replication's simulated waits together, sorted."""
        return np.sort(np.concatenate(self.replications))

    def rows(self) -> tuple[ObservedRow, ...]:
        """Each statistic of :data:`COMPARED`, observed beside simulated."""
        rows = []
        for metric in COMPARED:
            mine = statistic(metric, self.observed), observed_interval(metric, self.observed)
            if self.pooled and metric is not WAIT_MEAN:
                stat = Stat(statistic(metric, self.simulated), n=len(self.replications))
                rows.append(ObservedRow(metric, mine[0], stat, math.nan, math.nan, mine[1],
                                        pooled=True))  # fmt: skip
                continue
            values = [statistic(metric, waits) for waits in self.replications]
            known = [v for v in values if not math.isnan(v)]
            rows.append(
                ObservedRow(
                    metric,
                    mine[0],
                    estimate(values, _BOUNDS),
                    min(known, default=math.nan),
                    max(known, default=math.nan),
                    mine[1],
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
            **({} if self.since is None else {"since_s": self.since}),
            **({"simulated_pooled": True} if self.pooled else {}),
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
    since: float | None = None,
    min_per_replication: int = MIN_PER_REPLICATION,
) -> ObservedWaits:
    """The :class:`ObservedWaits` of ``observed`` waits against each replication's
    simulated ones (seconds; neither empty altogether); ``since``: the state's time of a
    forecast; ``min_per_replication``: below it on average, the simulated percentiles are
    pooled (:attr:`ObservedWaits.pooled`)."""
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
        since,
        min_per_replication,
    )
