"""Planning results as pandas DataFrames (``to_pandas()``), labelled from the metric
catalog; pandas is imported only here and only when asked for (``pip install
'portsim[notebook]'``).

* a **sweep**: a tidy long table, one row per configuration and metric: ``configuration``
  (in words, ``egates 10`` or ``egates at hall (lanes) 10``), one column per varied
  parameter (its value: a number, or a variant's label), ``replications``, the metric's
  place (``path`` in the run JSON, ``level``, ``name``, ``group``, ``hour``: empty, a
  sweep's table is of whole runs), ``metric`` and its ``words``, ``unit`` and ``scope``
  (who it is about, in words), the ``mean`` and its 95 % interval (``low``, ``high``), and
  a pledge share's ``verdict``;
* a **plan** or a **capacity search**: one row per configuration (or demand factor) judged
  and condition (a capacity search's with its demand, a column per kind of flow scaled,
  never travellers and vehicles added together: ``travellers_per_day``,
  ``coaches_per_day``, ``travellers_in_busiest_hour``, …, the day measured as
  ``demand_day`` when the days differ, and the busiest hour as ``busiest_hour``,
  ``09:00–10:00 on 2008-02-05``): the estimate, its interval, the hour that decided it (an
  hourly condition: ``hour`` from 00:00 of day 1, and ``time`` in words, as the reports
  say it), its status, the configuration's status over every condition, and whether it is
  the answer (``chosen``);
* **staffing by hour**: one row per hour of the day (``hour``, ``time`` as
  ``05:00–06:00``; the schedule repeats every day), the lanes the schedule opens and the
  best fixed count;
* a **sensitivity** table: the file's own answer, then each assumption at its low and high
  setting (the largest swing first), with the answer and its change from the file's (paired
  by replication), each with its 95 % interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ..model.days import Days
from ..results.catalog import row_metric
from ..results.frames import pandas_module
from ..results.rows import ALL_HOURS, key_of_path
from ..results.scopes import Scope
from .capacity import CapacityResult
from .confirm import Check, Evidence, deciding_hours
from .demand import Demand
from .labels import KIND_WORDS, configuration_words, hour_label
from .plan import PlanResult
from .sensitivity import AS_GIVEN, SensitivityResult
from .staffing import StaffingResult
from .sweep import SweepResult
from .vary import Configuration, Parameter

__all__ = [
    "SWEEP_COLUMNS",
    "judged_frame",
    "planning_frame",
    "sensitivity_frame",
    "staffing_frame",
    "sweep_frame",
]

#: a sweep's long table's columns, after ``configuration`` and the varied parameters
SWEEP_COLUMNS = [
    "replications",
    "path",
    "level",
    "name",
    "group",
    "hour",
    "metric",
    "words",
    "unit",
    "scope",
    "mean",
    "low",
    "high",
    "verdict",
]


def _values(parameters: Sequence[Parameter], configuration: Configuration) -> list[Any]:
    """Each parameter's value in a configuration: its number, or its label (a variant)."""
    labels = dict(configuration.values)
    out: list[Any] = []
    for p in parameters:
        level = next(lv for lv in p.levels if lv.label == labels[p.name])
        value = level.value if p.numeric else level.label
        out.append(int(value) if isinstance(value, float) and value.is_integer() else value)
    return out


def _hours(frame: Any, column: str = "hour") -> Any:
    frame[column] = frame[column].astype("Int64")  # whole numbers, or empty
    return frame


def sweep_frame(result: SweepResult) -> Any:
    """A sweep as a tidy long table (see the module's description)."""
    pd = pandas_module()
    names = [p.name for p in result.parameters]
    metrics = [c for c in result.columns if f"{c}.ci_low" in result.columns]
    data = []
    for configuration, row in zip(result.configurations, result.rows, strict=True):
        said = configuration_words(result.parameters, configuration.values)
        first = [said, *_values(result.parameters, configuration)]
        first.append(result.replications)
        for path in metrics:
            key = key_of_path(path)
            if key is None:  # pragma: no cover - every column is a metric path
                continue
            level, name, group, hour, metric = key
            m = row_metric(metric)[0]
            at = result.columns.index(path)
            mean, low, high = (float(v) for v in row[at : at + 3])
            verdict_at = path.removesuffix(f".{metric}") + ".verdict"
            verdict = (
                row[result.columns.index(verdict_at)] if verdict_at in result.columns else None
            )
            scope = Scope(level, name, group).words
            hour_of = None if hour == ALL_HOURS else hour
            data.append(
                [
                    *first,
                    path,
                    level,
                    name,
                    group,
                    hour_of,
                    metric,
                    m.words,
                    m.unit,
                    scope,
                    mean,
                    low,
                    high,
                    verdict,
                ]
            )
    frame = pd.DataFrame(data, columns=["configuration", *names, *SWEEP_COLUMNS])
    return _hours(frame)


def _evidence_rows(
    evidence: Evidence, first: list[Any], chosen: Evidence | None, days: Days | None
) -> list[list[Any]]:
    rows = []
    for check in evidence.checks:
        low, high = check.ci or (math.nan, math.nan)
        m = check.condition.measure
        rows.append(
            [
                *first,
                evidence.replications,
                check.condition.text,
                check.condition.metric,
                m.words,
                m.unit,
                check.mean,
                low,
                high,
                check.hour,
                _time(check, days),
                check.status,
                evidence.status,
                evidence is chosen,
            ]
        )
    return rows


def _time(check: Check, days: Days | None) -> str | None:
    """Where an hourly condition was decided, in words: ``09:00–10:00``, ``09:00–10:00 and
    2 other hours`` when others tie with it, ``each of the 14 hours`` when every one does."""
    words = deciding_hours(check.hour, check.alike, check.hours, lambda h: hour_label(h, days))
    return words.removeprefix(" in ") or None


_JUDGED = [
    "replications",
    "target",
    "metric",
    "words",
    "unit",
    "mean",
    "low",
    "high",
    "hour",
    "time",
    "status",
    "every_target",
    "chosen",
]


def _kinds(result: CapacityResult) -> list[str]:
    """The kinds of flow the search scales (``passenger``, ``coach``, …), in order."""
    demands = [d for d in (result.base_demand, *result.demand.values()) if d is not None]
    return list(dict.fromkeys(kind for d in demands for kind, _ in d.per_day))


def _demand_columns(kinds: Sequence[str]) -> list[str]:
    """``demand_day``, ``travellers_per_day``, ``coaches_per_day``, …,
    ``travellers_in_busiest_hour``, …, ``busiest_hour``."""
    said = [KIND_WORDS.get(kind, kind) for kind in kinds]
    return [
        "demand_day",
        *(f"{w}_per_day" for w in said),
        *(f"{w}_in_busiest_hour" for w in said),
        "busiest_hour",
    ]


def _demand(demand: Demand | None, kinds: Sequence[str], days: Days | None) -> list[Any]:
    """A factor's demand, kind by kind (each kind its own column: travellers and vehicles
    are never added together)."""
    if demand is None:  # no --scale path is a flow's demand
        return [None, *[math.nan] * (2 * len(kinds)), None]
    per_day, in_hour = dict(demand.per_day), dict(demand.in_hour)
    return [
        demand.day_words,
        *(per_day.get(kind, 0.0) for kind in kinds),
        *(in_hour.get(kind, 0.0) for kind in kinds),
        hour_label(demand.hour, days),
    ]


def judged_frame(result: PlanResult | CapacityResult) -> Any:
    """A plan's configurations (or a capacity search's demand factors) judged, one row per
    configuration and condition, in the order they were judged."""
    pd = pandas_module()
    data = []
    if isinstance(result, PlanResult):
        names = [p.name for p in result.parameters]
        costs = result.judged_costs or (math.nan,) * len(result.judged)
        for evidence, cost in zip(result.judged, costs, strict=True):
            c = evidence.configuration
            said = configuration_words(result.parameters, c.values)
            first = [said, *_values(result.parameters, c), cost]
            data += _evidence_rows(evidence, first, result.chosen, result.days)
        columns = ["configuration", *names, "cost", *_JUDGED]
    else:
        kinds = _kinds(result)
        for evidence in result.judged:
            factor = float(dict(evidence.configuration.values)["scale"])
            said = configuration_words((), evidence.configuration.values, result.paths)
            demand = _demand(result.demand_at(factor), kinds, result.days)
            data += _evidence_rows(evidence, [said, factor, *demand], result.chosen, result.days)
        columns = ["configuration", "factor", *_demand_columns(kinds), *_JUDGED]
    return _hours(pd.DataFrame(data, columns=columns))


def staffing_frame(result: StaffingResult) -> Any:
    """Staffing by hour: each hour of the day (the schedule repeats every day, so an hour
    is said without a date), its lanes (a staff pool's: its officers) and the best fixed
    count."""
    pd = pandas_module()
    counts = list(result.counts or ())
    data = [[h, hour_label(h), n, result.fixed] for h, n in enumerate(counts)]
    unit = result.unit
    frame = pd.DataFrame(data, columns=["hour", "time", unit, f"fixed_{unit}"])
    frame.insert(0, "group", result.group)
    return frame


def sensitivity_frame(result: SensitivityResult) -> Any:
    """A sensitivity table: the file's answer, then each assumption's low and high setting."""
    pd = pandas_module()
    metric = " + ".join(result.metric)
    base, ci = result.base
    data = [[0, AS_GIVEN, "", "", base, *(ci or (math.nan, math.nan)), 0.0, 0.0, 0.0]]
    for rank, row in enumerate(result.rows, 1):
        a = row.assumption
        for side, answer, change in (
            ("low", row.low, row.low_change),
            ("high", row.high, row.high_change),
        ):
            interval = answer[1] or (math.nan, math.nan)
            change_ci = change[1] or (math.nan, math.nan)
            data.append(
                [rank, a.name, side, a.label(side), answer[0], *interval, change[0], *change_ci]
            )
    columns = ["rank", "assumption", "side", "setting", "mean", "low", "high"]
    columns += ["change", "change_low", "change_high"]
    frame = pd.DataFrame(data, columns=columns)
    frame.insert(0, "metric", metric)
    return frame


def planning_frame(result: object) -> Any:
    """Any planning result as its DataFrame (see the module's description)."""
    if isinstance(result, SweepResult):
        return sweep_frame(result)
    if isinstance(result, PlanResult | CapacityResult):
        return judged_frame(result)
    if isinstance(result, StaffingResult):
        return staffing_frame(result)
    if isinstance(result, SensitivityResult):
        return sensitivity_frame(result)
    raise TypeError(f"not a planning result: {type(result).__name__}")
