"""Which assumption moves the answer most: a one-at-a-time sensitivity table.

Each assumption a scenario makes is set, in turn, to a low and a high value (each a set of
``--set`` assignments: an assumption may move several fields together, such as two shares
that add up to one), all else as in the file. Every variant runs the same seed and
replications as the file itself (common random numbers, through the planning runner of
:mod:`portsim.planning.sweep`), so that each change of the answer is measured against the file's
own run, replication by replication: its paired difference and 95 % interval. The rows are
ranked by the larger of the two changes, in absolute value: the first row is the
assumption the answer depends on most.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import UsageError
from ..results.catalog import row_metric
from ..results.rows import MetricTable, key_of_path
from ..results.scopes import scenario_paths
from ..results.statistics import estimate
from ..scenario.spec import Scenario
from .cluster import DASK_TIMEOUT
from .requests import Setup
from .shown import Shown
from .vary import Level, grid, variants_parameter

__all__ = ["Assumption", "SensitivityResult", "SensitivityRow", "sensitivity"]

#: the label of the file's own configuration
AS_GIVEN = "as in the file"

Estimate = tuple[float, list[float] | None]


@dataclass(frozen=True, slots=True)
class Assumption:
    """An assumption, its low and high settings (path → value), and how to say them."""

    name: str
    low: Mapping[str, Any]
    high: Mapping[str, Any]
    low_label: str = ""
    high_label: str = ""

    def label(self, side: str) -> str:
        """The setting in words (``label`` given) or as assignments."""
        given = self.low_label if side == "low" else self.high_label
        sets = self.low if side == "low" else self.high
        return given or "; ".join(f"{path}={value}" for path, value in sets.items())


@dataclass(frozen=True, slots=True)
class SensitivityRow:
    """One assumption: the answer at its low and high setting, and each one's change from
    the file's answer (paired by replication), with their 95 % intervals."""

    assumption: Assumption
    low: Estimate
    high: Estimate
    low_change: Estimate
    high_change: Estimate

    @property
    def swing(self) -> float:
        """The larger change, in absolute value (NaN changes count as none)."""
        changes = [abs(c[0]) for c in (self.low_change, self.high_change) if not math.isnan(c[0])]
        return max(changes, default=0.0)


@dataclass(frozen=True, slots=True, repr=False)
class SensitivityResult(Shown):
    """The answer as in the file, and one row per assumption, the largest swing first."""

    metric: tuple[str, ...]
    base: Estimate
    rows: tuple[SensitivityRow, ...]
    replications: int
    seed: int


def _answer(tables: Sequence[MetricTable], paths: Sequence[str]) -> list[float]:
    keys = [key_of_path(p) for p in paths]
    return [math.fsum(t.get(k, math.nan) if k else math.nan for k in keys) for t in tables]


def _bounds(paths: Sequence[str]) -> tuple[float, float]:
    """What the sum of the metrics at ``paths`` can take (the sum of their bounds)."""
    bounds = [row_metric(key[4])[0].bounds for p in paths if (key := key_of_path(p))]
    return math.fsum(b[0] for b in bounds), math.fsum(b[1] for b in bounds)


def _estimate(values: Sequence[float], bounds: tuple[float, float]) -> Estimate:
    """The mean and 95 % interval of ``values``, within ``bounds``."""
    stat = estimate(values, bounds)
    return stat.mean, None if stat.interval is None else list(stat.interval)


def _assumptions(given: Sequence[Assumption] | Mapping[str, Any]) -> list[Assumption]:
    if isinstance(given, Mapping):
        return [
            Assumption(
                name,
                sides["low"],
                sides["high"],
                sides.get("low_label", ""),
                sides.get("high_label", ""),
            )
            for name, sides in given.items()
        ]
    return list(given)


def sensitivity(
    scenario: Scenario,
    assumptions: Sequence[Assumption] | Mapping[str, Mapping[str, Any]],
    metric: str | Sequence[str],
    *,
    replications: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    dask: Any = None,
    store: Any = None,
    resume: bool = False,
    dask_timeout: float = DASK_TIMEOUT,
) -> SensitivityResult:
    """Each assumption at its low and high setting against the file's run, ranked by how
    far it moves ``metric`` (a metric path of the run JSON, or a list of them to add up).
    ``assumptions`` maps a name to ``{"low": {path: value}, "high": {path: value}}``
    (optionally ``low_label``, ``high_label``), or is a list of :class:`Assumption`."""
    listed = _assumptions(assumptions)
    paths = (metric,) if isinstance(metric, str) else tuple(metric)
    known = {p for p in scenario_paths(scenario) if ".daily." not in p}
    unknown = [p for p in paths if p not in known or key_of_path(p) is None]
    if unknown or not paths:
        raise UsageError(f"{', '.join(unknown) or 'no metric'}: not a metric path of the run JSON")
    levels = [Level(AS_GIVEN, None, ())]
    for a in listed:
        levels += [
            Level(f"{a.name}: low", None, tuple(a.low.items())),
            Level(f"{a.name}: high", None, tuple(a.high.items())),
        ]
    configurations = grid([variants_parameter(levels)])
    n = scenario.replications if replications is None else replications
    setup = Setup(seed, store, resume, workers, dask, dask_timeout=dask_timeout)
    with setup.runner(scenario) as runner:
        tables = runner.tables([(c, n) for c in configurations], "sensitivity")
        used_seed = runner.seed
    answers = [_answer(reps, paths) for reps in tables]
    base = answers[0]
    bounds = _bounds(paths)
    change = (bounds[0] - bounds[1], bounds[1] - bounds[0])  # a change keeps its sign
    rows = []
    for i, a in enumerate(listed):
        low, high = answers[1 + 2 * i], answers[2 + 2 * i]
        rows.append(
            SensitivityRow(
                a,
                _estimate(low, bounds),
                _estimate(high, bounds),
                _estimate([x - b for x, b in zip(low, base, strict=True)], change),
                _estimate([x - b for x, b in zip(high, base, strict=True)], change),
            )
        )
    rows.sort(key=lambda r: -r.swing)
    return SensitivityResult(paths, _estimate(base, bounds), tuple(rows), n, used_seed)
