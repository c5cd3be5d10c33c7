"""Documented figures beside the simulated ones, with a verdict computed for each.

``ratio`` = simulated / documented. The verdict compares two intervals:

- the published one, ``P``: ``[low, high]`` when the figure states either (a missing side is
  unbounded: "within the pledged 25 minutes" is ``high: 25min``), else the point ``value``;
- the simulated one, ``C``: the 95 % Student-t interval over the replications of the
  figure's metric (of the sum, replication by replication, when it names several).

A **validation** figure (an outcome the scenario must reproduce) is ``reproduced`` when
``C`` lies within ``P`` (for a point: when ``C`` holds it), ``not reproduced`` when ``C`` and
``P`` are disjoint, and ``cannot tell`` otherwise: the interval straddles a published bound,
and more replications or a longer run may decide. A **calibration** figure (an input the
scenario was built from) is ``reproduced`` when ``C`` meets ``P``: the scenario's demand
is the published one within sampling error. Either is ``cannot tell`` with one replication
(no interval) or no value. This is the rule of the pledges' verdict (pass, fail,
inconclusive), applied to a published interval instead of a pledged share.

The scenario's verdict (:func:`validation_verdict`) is ``reproduced`` when every validation
figure is, ``not reproduced`` when one is not, ``cannot tell`` otherwise, and ``nothing to
validate`` when the scenario states no outcome (``nothing to check`` for calibration).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, replace
from typing import Any

from ..errors import ScenarioError
from ..model.compile import compile_scenario
from ..model.model import CompiledFigure, Model
from ..scenario.reference import is_time_unit
from ..scenario.spec import Scenario
from .catalog import ARRIVED, SERVED_PER_DAY, SHARE, WAIT_P95, row_metric
from .rows import MetricKey, MetricTable, key_of_path
from .scopes import scenario_paths
from .statistics import Stat, estimate

__all__ = [
    "CANNOT_TELL",
    "NOTHING_TO_CHECK",
    "NOTHING_TO_VALIDATE",
    "NOT_REPRODUCED",
    "REPRODUCED",
    "FigureResult",
    "Validation",
    "check_units",
    "compare_figures",
    "figure_verdict",
    "resolve_metric",
    "validation_verdict",
]

REPRODUCED = "reproduced"
NOT_REPRODUCED = "not reproduced"
CANNOT_TELL = "cannot tell"
NOTHING_TO_VALIDATE = "nothing to validate"
NOTHING_TO_CHECK = "nothing to check"
_VERDICTS = (REPRODUCED, NOT_REPRODUCED, CANNOT_TELL)


def resolve_metric(summary: dict[str, Any], path: str) -> Any:
    """The node at a dotted path of the run JSON, or ``None`` if there is none."""
    node: Any = summary
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def figure_verdict(
    check: str,
    documented: float,
    low: float | None,
    high: float | None,
    ci: Sequence[float] | None,
) -> str:
    """The verdict of one figure (see the module's rule) from the simulated interval ``ci``."""
    if ci is None or any(math.isnan(v) for v in ci):
        return CANNOT_TELL
    if low is None and high is None:
        lo = hi = documented
    else:
        lo = -math.inf if low is None else low
        hi = math.inf if high is None else high
    a, b = ci
    if b < lo or a > hi:
        return NOT_REPRODUCED
    if check == "calibration" or lo == hi or lo <= a <= b <= hi:
        return REPRODUCED
    return CANNOT_TELL


@dataclass(frozen=True, slots=True)
class FigureResult:
    """A documented figure beside the simulated value (the sum of the means of the metrics
    it names), the 95 % interval of the simulated value and the figure's verdict."""

    figure: str
    source: str
    unit: str
    compare_to: str | tuple[str, ...]
    check: str
    documented: float
    simulated: Stat
    low: float | None = None
    high: float | None = None
    confidence: str | None = None
    note: str | None = None

    @property
    def ratio(self) -> float:
        """Simulated over documented (NaN for a documented zero)."""
        return self.simulated.mean / self.documented if self.documented else math.nan

    @property
    def verdict(self) -> str:
        return figure_verdict(
            self.check, self.documented, self.low, self.high, self.simulated.interval
        )

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.compare_to,) if isinstance(self.compare_to, str) else self.compare_to

    def json(self) -> dict[str, Any]:
        ci = self.simulated.interval
        return {
            "figure": self.figure,
            "source": self.source,
            "unit": self.unit,
            "compare_to": self.compare_to
            if isinstance(self.compare_to, str)
            else list(self.compare_to),
            "check": self.check,
            "documented": self.documented,
            "simulated": self.simulated.mean,
            "ratio": self.ratio,
            "simulated_ci95": None if ci is None else list(ci),
            "low": self.low,
            "high": self.high,
            "confidence": self.confidence,
            "note": self.note,
            "verdict": self.verdict,
        }


@dataclass(frozen=True, slots=True)
class Validation:
    """The scenario's verdict over its validation figures and over its calibration
    figures, with how many figures had each verdict."""

    verdict: str
    figures: Mapping[str, int]
    calibration: str
    calibration_figures: Mapping[str, int]

    def json(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "figures": dict(self.figures),
            "calibration": self.calibration,
            "calibration_figures": dict(self.calibration_figures),
        }


def _simulated(
    figure: CompiledFigure, stats: Mapping[MetricKey, Stat], tables: Sequence[MetricTable]
) -> Stat:
    """The sum of the means of the metrics the figure names (NaN where one has no value),
    with the 95 % interval of the sum over the replications, within the sum of what the
    metrics can take."""
    keys = [key_of_path(path) for path in figure.paths]
    simulated = 0.0
    for key in keys:
        stat = stats.get(key) if key is not None else None
        simulated += math.nan if stat is None else stat.mean
    if tables:
        sums = [
            math.fsum(table.get(key, math.nan) if key is not None else math.nan for key in keys)
            for table in tables
        ]
        bounds = [row_metric(key[4])[0].bounds for key in keys if key is not None]
        low = math.fsum(b[0] for b in bounds) if len(bounds) == len(keys) else -math.inf
        high = math.fsum(b[1] for b in bounds) if len(bounds) == len(keys) else math.inf
        interval = estimate(sums, (low, high))
        return replace(interval, mean=simulated)
    if len(keys) == 1 and keys[0] is not None and keys[0] in stats:
        return replace(stats[keys[0]], mean=simulated)
    return Stat(simulated)


def check_of(figure: CompiledFigure) -> str:
    """The figure's check: as the file says, or ``calibration`` for a figure of demand
    (every metric it names counts demand, by the catalog), ``validation`` for an outcome."""
    if figure.check is not None:
        return figure.check
    keys = [key_of_path(path) for path in figure.paths]
    demand = all(key is not None and row_metric(key[4])[0].demand for key in keys)
    return "calibration" if demand else "validation"


def check_paths(figures: Sequence[CompiledFigure], paths: Set[str]) -> None:
    """Every path a figure names is one of ``paths`` (the run JSON's: see
    :func:`~.scopes.metric_paths`), or a :class:`ScenarioError` naming the figure."""
    for index, figure in enumerate(figures):
        for path in figure.paths:
            if path not in paths:
                raise ScenarioError(
                    f"reference.{index}.compare_to",
                    f"{path!r} names no metric of the run JSON (for example "
                    f"overall.{SERVED_PER_DAY.name}, flows.NAME.{SERVED_PER_DAY.name}, "
                    f"stages.NAME.{WAIT_P95.name}, targets.NAME.{SHARE.name}; with days: "
                    f"overall.daily.3.{ARRIVED.name})",
                )


#: what a metric's unit measures, as a message says it
_MEASURES = {
    "seconds": "a duration",
    "clock": "a time of the run",
    "count": "a count",
    "per_day": "a count a day",
    "fraction": "a share",
    "people": "a count of people waiting",
    "lanes": "a count of lanes",
    "lane-hours": "lane-hours",
    "officers": "a count of officers",
    "officer-hours": "officer-hours",
}


def check_units(figures: Sequence[CompiledFigure]) -> None:
    """A figure of time is compared with metrics in seconds and any other figure with
    metrics that are not (the catalog's units say which); metrics added up are of one kind.
    Else a :class:`ScenarioError` naming the figure."""
    for index, figure in enumerate(figures):
        where = f"reference.{index}"
        metrics = [(p, row_metric(k[4])[0]) for p in figure.paths if (k := key_of_path(p))]
        timed = [path for path, m in metrics if m.duration]
        other = [(path, _MEASURES[m.unit]) for path, m in metrics if not m.duration]
        if timed and other:
            raise ScenarioError(
                f"{where}.compare_to",
                f"adds a duration ({timed[0]}) to {other[0][1]} ({other[0][0]}): give "
                "metrics of one kind",
            )
        if other and is_time_unit(figure.unit):
            raise ScenarioError(
                f"{where}.value",
                f"the figure is a duration (unit {figure.unit!r}), but {other[0][0]} is "
                f"{other[0][1]}: compare it with a metric in seconds (a wait, a time in "
                "port), or give the figure as a number",
            )
        if timed and figure.unit and not is_time_unit(figure.unit):
            raise ScenarioError(
                f"{where}.unit",
                f"{figure.unit!r} is not a unit of time, but {timed[0]} is a duration: write "
                "the figure as one (25min), or compare it with a count",
            )


def check_figures(scenario: Scenario, model: Model | None = None) -> None:
    """Every metric a documented figure names is one a run of ``scenario`` reports, in some
    clearance mode (``model``: the scenario compiled, if at hand), of the figure's kind (a
    duration or not: :func:`check_units`), or a :class:`ScenarioError` naming the figure."""
    if not scenario.reference:
        return
    compiled = model if model is not None else compile_scenario(scenario)
    check_paths(compiled.figures, scenario_paths(scenario, compiled))
    check_units(compiled.figures)


def compare_figures(
    figures: tuple[CompiledFigure, ...],
    stats: Mapping[MetricKey, Stat],
    tables: Sequence[MetricTable] = (),
) -> tuple[FigureResult, ...]:
    """Each documented figure beside the simulated one (the sum of the means of the metrics
    it names), with the interval of the simulated value and the figure's verdict.
    ``tables`` (each replication's metric rows) give the interval of a sum of metrics."""
    return tuple(
        FigureResult(
            figure=figure.figure,
            source=figure.source,
            unit=figure.unit,
            compare_to=figure.compare_to,
            check=check_of(figure),
            documented=figure.value,
            simulated=_simulated(figure, stats, tables),
            low=figure.low,
            high=figure.high,
            confidence=figure.confidence,
            note=figure.note,
        )
        for figure in figures
    )


def _tally(rows: Sequence[FigureResult], check: str, empty: str) -> tuple[str, dict[str, int]]:
    verdicts = [r.verdict for r in rows if r.check == check]
    counts = {v.replace(" ", "_"): verdicts.count(v) for v in _VERDICTS}
    if not verdicts:
        return empty, counts
    if NOT_REPRODUCED in verdicts:
        return NOT_REPRODUCED, counts
    if all(v == REPRODUCED for v in verdicts):
        return REPRODUCED, counts
    return CANNOT_TELL, counts


def validation_verdict(rows: Sequence[FigureResult]) -> Validation:
    """The scenario's verdict over its validation figures, and over its calibration
    figures, with how many figures had each verdict."""
    verdict, counts = _tally(rows, "validation", NOTHING_TO_VALIDATE)
    calibration, calibration_counts = _tally(rows, "calibration", NOTHING_TO_CHECK)
    return Validation(verdict, counts, calibration, calibration_counts)
