"""Statistical confirmation: does a configuration meet its conditions, beyond sampling noise?

The rule. A condition's value is estimated by the mean over replications, with its Student-t
interval at the chosen confidence (95 % by default, two-sided, as the pledges' verdicts).
The condition is **met** when the whole interval lies on the right side of the bound
(``hi <= bound`` for ``<=``, ``lo >= bound`` for ``>=``), **failed** when the whole interval
lies on the wrong side, and **unsure** when the interval straddles it (or there is no
interval yet: one replication). A configuration meets its conditions when every one is met,
fails when any one fails. An unsure configuration runs again with twice the replications
(indices n..2n-1 added to the ones it has, so nothing is wasted), up to a cap
(``max_replications``); still unsure at the cap, it is **inconclusive** and counts as not
meeting the conditions: an answer is only given where the evidence supports it.

An ``each hour`` condition is judged in every hour that has a value: failed if any hour fails,
met if every hour is met, else unsure; the deciding hour is reported, with the other hours
that tie with it (100 % in every hour: no one hour decided it). Hours may be limited
to some hours of the day (:attr:`Judge.hours`), as the staffing search does.

Replications are shared between configurations (common random numbers): every
configuration's replication r uses the same seed and index r.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import UsageError
from ..results.rows import MetricTable
from ..results.statistics import estimate
from ..units import HOUR, HOURS_PER_DAY, counted, hour_interval
from .conditions import Condition
from .runner import Runner
from .vary import Configuration

__all__ = ["Check", "Evidence", "Judge", "deciding_hours"]

MET, FAILED, UNSURE, INCONCLUSIVE = "met", "failed", "unsure", "inconclusive"


@dataclass(frozen=True, slots=True)
class Check:
    """One condition judged: the estimate, its interval, the status, and the hour that decided
    it (None for a whole-run condition); for an ``each hour`` condition, how many other
    hours of the same status tie with it (``alike``) and how many hours were judged."""

    condition: Condition
    status: str
    mean: float
    ci: tuple[float, float] | None
    hour: int | None = None
    #: the other hours, of the same status, whose value ties with the deciding hour's
    alike: int = 0
    #: the hours judged (an ``each hour`` condition; 0 for a whole-run one)
    hours: int = 0

    def where(self, label: Callable[[int], str] = hour_interval) -> str:
        """`` in 09:00–10:00`` (the hour as ``label`` says it), or where hours tie, `` in
        09:00–10:00 and 2 other hours`` or `` in each of the 14 hours``; ``""`` for a
        whole-run condition."""
        return deciding_hours(self.hour, self.alike, self.hours, label)

    def describe(self) -> str:
        """``visitors.wait_p95<=30min: 34.2 min [31.0 min, 37.4 min] in 09:00–10:00 failed``:
        the interval in the mean's unit, the deciding hour as a clock interval."""
        t = self.condition
        ci = (
            f" [{t.show(self.ci[0], self.mean)}, {t.show(self.ci[1], self.mean)}]"
            if self.ci
            else ""
        )
        return f"{t.text}: {t.show(self.mean)}{ci}{self.where()} {self.status}"


def deciding_hours(
    hour: int | None, alike: int, hours: int, label: Callable[[int], str] = hour_interval
) -> str:
    """Where an ``each hour`` condition was decided: `` in 09:00–10:00``; when other hours
    tie with it, `` in 09:00–10:00 and 2 other hours``, or `` in each of the 14 hours`` when
    every hour judged does (no one hour decided it); ``""`` without an hour."""
    if hour is None:
        return ""
    if alike and alike + 1 >= hours:
        return f" in each of the {counted(hours, 'hour')}"
    return f" in {label(hour)}" + (f" and {counted(alike, 'other hour')}" if alike else "")


def judge_values(condition: Condition, values: Sequence[float], confidence: float) -> Check:
    """One condition against its replication values (NaN: no traveller measured), with the
    interval at ``confidence`` within what the metric can take."""
    stat = estimate(values, condition.measure.bounds, confidence)
    mean, interval = stat.mean, stat.interval
    if math.isnan(mean):
        return Check(condition, FAILED, mean, None)
    if interval is None:
        return Check(condition, UNSURE, mean, None)
    lo, hi = interval
    if condition.op == "<=":
        status = MET if hi <= condition.value else FAILED if lo > condition.value else UNSURE
    else:
        status = MET if lo >= condition.value else FAILED if hi < condition.value else UNSURE
    return Check(condition, status, mean, (lo, hi))


def judge(
    condition: Condition,
    tables: Sequence[MetricTable],
    confidence: float,
    hours: Callable[[int], bool] | None = None,
) -> Check:
    """A condition against a configuration's replications (``hours``: which hours count)."""
    if not condition.hourly:
        key = condition.key()
        if key not in tables[0]:
            raise UsageError(f"target {condition.text!r}: the run has no such metric")
        return judge_values(condition, [t[key] for t in tables], confidence)
    checks = []
    for hour in _hours(condition, tables[0]):
        if hours is not None and not hours(hour):
            continue
        values = [t.get(condition.key(hour), math.nan) for t in tables]
        if all(math.isnan(v) for v in values):
            continue  # nobody measured in this hour
        check = judge_values(condition, values, confidence)
        checks.append(Check(condition, check.status, check.mean, check.ci, hour))
    if not checks:
        return Check(condition, MET, math.nan, None)
    # the failed hours decide, else the unsure ones, else every hour (all met)
    found = next(f for s in (FAILED, UNSURE, MET) if (f := [c for c in checks if c.status == s]))
    worst = _worst(found)
    alike = sum(c is not worst and _ties(c.mean, worst.mean) for c in found)
    return Check(condition, worst.status, worst.mean, worst.ci, worst.hour, alike, len(checks))


def _hours(condition: Condition, table: MetricTable) -> list[int]:
    level, name, group, _, metric = condition.key()
    return sorted(
        k[3] for k in table if k[:3] == (level, name, group) and k[4] == metric and k[3] >= 0
    )


def _ties(a: float, b: float) -> bool:
    """Two hours' values the same (to rounding): 100 % and 100 %."""
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def _worst(checks: list[Check]) -> Check:
    """The check nearest to breaking its bound (the largest value for ``<=``)."""
    sign = 1.0 if checks[0].condition.op == "<=" else -1.0
    return max(checks, key=lambda c: sign * c.mean)


@dataclass(frozen=True, slots=True)
class Evidence:
    """A configuration judged: its replications and each condition's check."""

    configuration: Configuration
    replications: int
    checks: tuple[Check, ...]
    status: str

    @property
    def meets(self) -> bool:
        return self.status == MET

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: the configuration, replications, status and each check."""
        return {
            "configuration": dict(self.configuration.values),
            "assignments": dict(self.configuration.assignments),
            "replications": self.replications,
            "status": self.status,
            "checks": [
                {
                    "target": c.condition.text,
                    "status": c.status,
                    "mean": None if math.isnan(c.mean) else c.mean,
                    "ci": list(c.ci) if c.ci else None,
                    "hour": c.hour,
                }
                for c in self.checks
            ],
        }

    def reasons(self) -> list[str]:
        """The checks that keep it from meeting the conditions."""
        return [c.describe() for c in self.checks if c.status != MET]


def hour_of_day(hour_of_day: int) -> Callable[[int], bool]:
    """Hours (from 00:00 of day 1) at the given hour of any day."""
    return lambda hour: hour % HOURS_PER_DAY == hour_of_day


class Judge:
    """Judges configurations against conditions with the rule above, adding replications to
    unsure ones up to ``max_replications``; remembers every verdict."""

    def __init__(
        self,
        runner: Runner,
        conditions: Sequence[Condition],
        *,
        replications: int,
        max_replications: int,
        confidence: float = 0.95,
        warmup: float = 0.0,
    ) -> None:
        if not 0 < confidence < 1:
            raise UsageError("the confidence must be between 0 and 1")
        if replications < 1 or max_replications < replications:
            raise UsageError("need 1 <= replications <= max_replications")
        self.runner = runner
        self.conditions = tuple(conditions)
        self.replications = replications
        self.max_replications = max_replications
        self.confidence = confidence
        self.first_hour = int(warmup // HOUR)
        #: which hours count for hourly conditions (None: every hour from the warm-up on)
        self.hours: Callable[[int], bool] | None = None
        self.verdicts: dict[str, Evidence] = {}
        #: configurations in the order they were first judged
        self.order: list[str] = []

    def evaluate(
        self, configurations: Sequence[Configuration], what: str = "judging"
    ) -> list[Evidence]:
        """Each configuration's evidence, running all of them together (in parallel), then
        again with more replications for those that are unsure."""
        todo = list({c.key: c for c in configurations if c.key not in self.verdicts}.values())
        n = self.replications
        while todo:
            tables = self.runner.tables([(c, n) for c in todo], what)
            unsure = []
            for configuration, reps in zip(todo, tables, strict=True):
                evidence = self._evidence(configuration, reps, final=n >= self.max_replications)
                if evidence.status == UNSURE:
                    unsure.append(configuration)
                else:
                    self.verdicts[configuration.key] = evidence
                    self.order.append(configuration.key)
            todo, n = unsure, min(2 * n, self.max_replications)
        return [self.verdicts[c.key] for c in configurations]

    def _evidence(
        self, configuration: Configuration, tables: list[MetricTable], *, final: bool
    ) -> Evidence:
        hours = self.hours or (lambda hour: hour >= self.first_hour)
        checks = tuple(judge(t, tables, self.confidence, hours) for t in self.conditions)
        statuses = {c.status for c in checks}
        status = FAILED if FAILED in statuses else UNSURE if UNSURE in statuses else MET
        if status == UNSURE and final:
            status = INCONCLUSIVE
        return Evidence(configuration, len(tables), checks, status)

    def forget(self) -> None:
        """Drop the remembered verdicts (after changing :attr:`hours`)."""
        self.verdicts.clear()
