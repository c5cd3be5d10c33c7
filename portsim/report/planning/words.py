"""A planning result's labels in a planner's words: parameters (their ``--vary`` name, or
words from the path: ``egates at hall (lanes)``), metric columns from the catalog's words
and unit (``all travellers: 95th-percentile wait (min)``), conditions
(``all travellers: 95th-percentile wait ≤ 15 min``), hours as clock intervals with the
day's date where the scenario has a calendar (``17:00–18:00 on 2008-02-04``), demand in
travellers (or vehicles) a day and in the busiest hour, and one unit for a whole column.

The code a planner typed (a path, a target) stays available: as a footnote legend under a
text table (:func:`legend_lines`), and as the hover ``title`` of an HTML header."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ...model.days import Days
from ...planning.capacity import CapacityResult
from ...planning.conditions import Condition, limit_text
from ...planning.confirm import Check
from ...planning.demand import Demand
from ...planning.labels import (
    KIND_WORDS,
    configuration_words,
    hour_label,
    parameter_words,
    path_words,
)
from ...planning.plan import PlanResult
from ...planning.sweep import SweepResult
from ...results.catalog import Metric, row_metric
from ...results.rows import key_of_path
from ...results.scopes import Scope
from ...scenario.spec import PASSENGERS
from ...scenario.targets import Target as Pledge
from ...units import HOUR, counted, duration_unit

__all__ = [
    "KIND_WORDS",
    "ColumnUnit",
    "check_words",
    "column_words",
    "condition_words",
    "configuration_words",
    "count_words",
    "demand_hour",
    "hour_label",
    "legend_lines",
    "parameter_words",
    "path_words",
    "share_words",
    "size_words",
    "sweep_warnings",
]


def count_words(counts: Iterable[tuple[str, float]], *, kinds: bool = True) -> str:
    """``24,000 travellers``, ``24,000 travellers and 300 coaches``; without ``kinds`` (one
    kind, already said), ``24,000``."""
    counts = list(counts)
    if not kinds and len(counts) == 1:
        return f"{counts[0][1]:,.0f}"
    parts = [f"{n:,.0f} {KIND_WORDS.get(kind, kind)}" for kind, n in counts]
    return " and ".join(parts) or "none"


def demand_hour(demand: Demand, days: Days | None = None) -> str:
    """``1,920 in the busiest hour, 09:00–10:00``; ``300 an hour`` when every counted hour
    brings the same."""
    count = count_words(demand.in_hour, kinds=len(demand.per_day) > 1)
    if demand.even:
        return f"{count} an hour"
    return f"{count} in the busiest hour, {hour_label(demand.hour, days)}"


def _bound(condition: Condition) -> str:
    sign = "≤" if condition.op == "<=" else "≥"
    value = condition.value
    if condition.measure.duration:
        return f"{sign} {_limit(value)}"
    if condition.measure.fraction:
        return f"{sign} {value * 100:.4g}%"
    return f"{sign} {value:,.4g}"


def _limit(seconds: float) -> str:
    """``30 min``, ``90 s``, ``1.5 h``."""
    text = limit_text(seconds) if seconds > 0 else "0s"
    for unit in ("min", "h", "s"):
        if text.endswith(unit):
            return f"{text.removesuffix(unit)} {unit}"
    return text


def share_words(pledge: Pledge) -> str:
    """``share of all travellers within 30 min``, ``share of flow visitors within 15 min``."""
    if pledge.flow:
        flow, _, cls = pledge.flow.partition(".")
        kind = Scope("passengers", flow) if cls == PASSENGERS else Scope("class", pledge.flow)
        who = kind.words if cls else f"flow {pledge.flow}"
    else:
        who = f"stage {pledge.stage}" if pledge.stage else "all travellers"
    return f"share of {who} within {_limit(pledge.wait_within)}"


def condition_words(condition: Condition) -> str:
    """``all travellers: 95th-percentile wait ≤ 15 min``, ``share of all travellers within
    30 min ≥ 95% in every hour``, ``pledge 95 % within 30 min: share ≥ 95%``."""
    each = " in every hour" if condition.hourly else ""
    if condition.pledge is not None:  # share_within(LIMIT): a pledge the condition adds
        return f"{share_words(condition.pledge)} {_bound(condition)}{each}"
    if condition.level == "target":  # a pledge of the scenario
        return f"pledge {condition.name}: share {_bound(condition)}{each}"
    scope = Scope(condition.level, condition.name, condition.group)
    return f"{scope.words}: {condition.measure.words} {_bound(condition)}{each}"


def check_words(check: Check, days: Days | None = None) -> str:
    """A condition judged, in words: ``all travellers: 95th-percentile wait ≤ 15 min:
    59.7 s [20.5 s, 98.9 s] met``, with the deciding hour as ``in 09:00–10:00`` (``in each
    of the 14 hours`` when every hour ties: :meth:`~portsim.planning.confirm.Check.where`)."""
    t = check.condition
    low_high = check.ci
    ci = (
        f" [{t.show(low_high[0], check.mean)}, {t.show(low_high[1], check.mean)}]"
        if low_high
        else ""
    )
    hour = check.where(lambda h: hour_label(h, days))
    return f"{condition_words(t)}: {t.show(check.mean)}{ci}{hour} {check.status}"


def column_words(column: str) -> tuple[str, Metric] | None:
    """A sweep column's words (``all travellers: 95th-percentile wait``) and its metric, for
    a metric path of the run JSON (None for any other column)."""
    key = key_of_path(column)
    if key is None:
        return None
    level, name, group, _, metric_name = key
    try:
        metric, _ = row_metric(metric_name)
    except KeyError:
        return None
    return f"{Scope(level, name, group).words}: {metric.words}", metric


#: the most decimals a small duration gets in its column's unit
MOST_DECIMALS = 3
#: the unit a metric's column names after its words, by the catalog's unit (a duration
#: chooses from its values; counts need none)
_UNIT_NAMES = {
    "fraction": "%",
    "people": "people",
    "lanes": "lanes",
    "lane-hours": "lane-hours",
    "officers": "officers",
    "officer-hours": "officer-hours",
}


@dataclass(frozen=True, slots=True)
class ColumnUnit:
    """One unit for a whole column of a metric, chosen from its values: divide by ``per``,
    print ``digits`` decimals; ``name`` goes in the header (``""``: none)."""

    per: float
    name: str
    digits: int

    @classmethod
    def of(cls, metric: Metric, values: Iterable[float]) -> ColumnUnit:
        """The unit that reads the column's largest value best (a duration: s, min or h;
        a small value in it gets the decimals it needs: :meth:`interval`)."""
        finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
        if metric.unit == "seconds":
            return cls(*duration_unit(max(finite, default=0.0)))
        if metric.unit == "clock":  # a time of the run
            return cls(HOUR, "hours from 00:00 of day 1", 2)
        if metric.fraction:
            return cls(0.01, "%", 1)
        return cls(1.0, _UNIT_NAMES.get(metric.unit, ""), metric.digits)

    def header(self, words: str) -> str:
        """``words (min)``."""
        return f"{words} ({self.name})" if self.name else words

    def decimals(self, value: float) -> int:
        """The decimals ``value`` needs in this unit: the unit's, or two significant digits
        of a small duration (``0.99``, ``0.036`` min), at most :data:`MOST_DECIMALS`."""
        shown = abs(value) / self.per
        if self.name not in {"s", "min", "h"} or not math.isfinite(shown) or shown == 0:
            return self.digits
        needed = 1 - math.floor(math.log10(shown))
        return max(self.digits, min(MOST_DECIMALS, needed))

    def text(self, value: float | None, digits: int | None = None) -> str:
        """A value in this unit, without the unit's name (the header has it)."""
        if value is None or math.isnan(value):
            return "-"
        digits = self.decimals(value) if digits is None else digits
        shown = value / self.per
        if abs(shown) < 0.5 * 10**-digits:
            shown = 0.0  # a rounding error is no wait, nor a negative one
        return f"{shown:,.{digits}f}"

    def interval(self, mean: float, ci: tuple[float, float] | None) -> str:
        """``23.6 (22.1 – 25.1)``: the bounds with the mean's decimals."""
        if ci is None or math.isnan(mean):
            return self.text(mean)
        digits = self.decimals(mean)
        low, high = (self.text(v, digits) for v in ci)
        return f"{self.text(mean, digits)} ({low} – {high})"


def legend_lines(pairs: Sequence[tuple[str, str]], title: str) -> list[str]:
    """A footnote under a text table: each header's words and the code it stands for
    (a path for ``--vary``, a metric path, a target as typed), where they differ."""
    shown = [(words, code) for words, code in dict(pairs).items() if words != code]
    if not shown:
        return []
    width = max(len(words) for words, _ in shown)
    return ["", title, *(f"  {words.ljust(width)}  {code}" for words, code in shown)]


#: an hour as the model's warnings write it, ``09:00-10:00`` (a hyphen)
_HOURS = re.compile(r"\b(\d\d:\d\d)-(\d\d:\d\d)\b")
_EN_DASH = r"\1–\2"


def sweep_warnings(result: SweepResult) -> list[str]:
    """A sweep's warnings, each after its configuration in words (``egates at hall (lanes)
    8: …``, not ``egates=8``), with hours as clock intervals (``09:00–10:00``)."""
    said = {
        c.label(): configuration_words(result.parameters, c.values) for c in result.configurations
    }
    return [
        f"{said.get(label, label)}: {_HOURS.sub(_EN_DASH, w)}"
        for label, found in result.warnings.items()
        for w in found
    ]


def size_words(result: SweepResult | PlanResult | CapacityResult) -> str:
    """How much a sweep, plan or capacity search ran, in words, for the lines that say what a
    result is (the HTML report's subtitle, a notebook's title): ``8 configurations x 3
    replications, seed 11``; ``6 of 20 configurations judged (search), 2 to 4 replications
    each, seed 3``; a capacity search's ``demand factors`` likewise."""
    if isinstance(result, SweepResult):
        return (
            f"{counted(len(result.rows), 'configuration')} x "
            f"{counted(result.replications, 'replication')}, seed {result.seed}"
        )
    what, of = (
        ("configuration", result.grid_configurations)
        if isinstance(result, PlanResult)
        else ("demand factor", len(result.factors))
    )
    return (
        f"{len(result.judged)} of {counted(of, what)} judged ({result.method}), "
        f"{result.replications} to {result.max_replications} replications each, "
        f"seed {result.seed}"
    )
