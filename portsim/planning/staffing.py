"""Staffing by hour: the fewest lanes open in each hour of the day that meet an hourly
condition, as a lane group ``schedule`` to paste into the scenario.

**Hours interact through the queue.** Lanes short in one hour leave a queue that the next
hours inherit, and travellers who join late in an hour are served in the next one, so an
hour's waits depend on the hours before it and a little on the hour after. The search
therefore never judges an hour alone; it always simulates the whole day:

1. **The best fixed configuration**: the fewest lanes, open all day, that meet the condition in
   every hour (bisection). It is the benchmark, and the starting schedule.
2. **A forward pass**, hour by hour from the first: with the hours before at the levels
   already chosen and the hours after still at the fixed level, the fewest lanes in this
   hour that meet the condition *in this hour* (bisection, each candidate a whole-day
   simulation). An hour's backlog is thus always the one the chosen earlier hours leave.
   An hour in which not even the most lanes tried can be confirmed alone (its waits too
   near the line for the replications allowed, or lanes not what limits it) keeps the
   fixed level, which met the condition in every hour: the repair pass raises it if the
   day then fails. (It used to go to the most lanes tried, so a count at the top of the
   range meant "no fewer confirmed", not "needed".)
3. **A repair pass**: the whole schedule is judged in every hour; cutting a later hour can
   spoil an earlier one (its late joiners are served later), so while an hour fails, one
   lane is added to it (or, if it is at the most lanes tried, to the hour before) and the
   whole day is judged again.

Hours whose travellers are all in the warm-up (not counted) keep the level of the first
counted hour, so that the warm-up starts the day as it will go on; other hours without any
traveller measured get the fewest lanes tried. Every judgement is the statistical
confirmation of :mod:`.confirm`. The schedule repeats daily, as a scenario's does; over
several days, each hour of the day is judged on all its days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import UsageError
from ..model.days import Days
from ..units import HOUR, HOURS_PER_DAY
from .conditions import Condition
from .confirm import Evidence, Judge, hour_of_day
from .officers import PoolHours, pool_of
from .runner import Runner
from .shown import Shown
from .vary import Configuration, Parameter

__all__ = [
    "StaffingResult",
    "group_path",
    "schedule_configuration",
    "schedule_entries",
    "search_staffing",
]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class StaffingResult(Shown):
    """The hourly schedule found, the best fixed count, and the evidence."""

    group: str
    #: lanes open in each hour of the day (None: no schedule meets the conditions)
    counts: tuple[int, ...] | None
    fixed: int | None
    chosen: Evidence | None
    fixed_evidence: Evidence | None
    simulated: int
    reused: int
    judgements: int
    seed: int | None = None
    #: the days of the run (types and dates from the calendar): what an hour is labelled by
    days: Days | None = None
    #: each staff pool's officer-hours under the schedule found (none without pools)
    officers: tuple[PoolHours, ...] = ()

    @property
    def pool(self) -> str | None:
        """The staff pool whose officers by hour were found (None: a lane group's lanes)."""
        shift = pool_of(f"{self.group}.count")
        return shift.pool if shift is not None else None

    @property
    def unit(self) -> str:
        """What the counts count: ``officers`` of a pool, else ``lanes``."""
        return "lanes" if self.pool is None else "officers"

    @property
    def unit_hours(self) -> str:
        """What the planned hours are: ``officer-hours`` of a pool, else ``lane-hours``."""
        return "lane-hours" if self.pool is None else "officer-hours"

    @property
    def lane_hours(self) -> int | None:
        """The schedule's planned lane-hours a day: the sum of its hourly counts (not the
        simulated, staffed ``lane_hours`` metric, which adds a closing lane's overtime)."""
        return sum(self.counts) if self.counts is not None else None

    @property
    def fixed_lane_hours(self) -> int | None:
        """The best fixed count's planned lane-hours over the same hours."""
        return self.fixed * len(self.counts or ()) if self.fixed is not None else None

    def entries(self) -> list[dict[str, object]]:
        """The schedule's entries (``from``, ``to``, ``count``), equal hours merged."""
        return schedule_entries(self.counts or ())

    def to_dict(self) -> dict[str, object]:
        """Plain data for ``--json``."""
        return {
            "group": self.group,
            "counts": list(self.counts) if self.counts is not None else None,
            "schedule": self.entries() if self.counts is not None else None,
            "lane_hours": self.lane_hours,  # planned: see the property
            "fixed": self.fixed,
            "fixed_lane_hours": self.fixed_lane_hours,
            "chosen": self.chosen.to_dict() if self.chosen else None,
            "fixed_evidence": self.fixed_evidence.to_dict() if self.fixed_evidence else None,
            "runs": {"simulated": self.simulated, "reused": self.reused},
            "judgements": self.judgements,
        } | ({"officers": [p.to_dict() for p in self.officers]} if self.officers else {})


def schedule_entries(counts: Sequence[int]) -> list[dict[str, object]]:
    """Hourly counts as schedule entries, consecutive equal hours merged."""
    entries: list[dict[str, object]] = []
    for hour, count in enumerate(counts):
        if entries and entries[-1]["count"] == count:
            entries[-1]["to"] = f"{hour + 1}h"
        else:
            entries.append({"from": f"{hour}h", "to": f"{hour + 1}h", "count": count})
    return entries


def group_path(parameter: Parameter) -> str:
    """The path of the lane group whose count ``parameter`` varies, or of the staff pool
    whose size it varies (for ``--per-hour``: the fewest officers by hour)."""
    path = parameter.path
    parts = (path or "").split(".")
    shift = pool_of(path)
    pool = shift is not None and shift.entry is None
    if (
        path is None
        or not parameter.numeric
        or parts[-1] != "count"
        or not ("lanes" in parts or pool)
    ):
        raise UsageError(
            "--per-hour: vary one lane group's count, e.g. stages.hall.lanes.egates.count=0:20, "
            "or one staff pool's size, e.g. staff.officers.count=10:60"
        )
    return ".".join(parts[:-1])


def schedule_configuration(group: str, counts: Sequence[int]) -> Configuration:
    """The configuration that gives lane group ``group`` (its path) these hourly counts."""
    entries = schedule_entries(counts)
    return Configuration(
        (("schedule", ",".join(map(str, counts))),),
        ((f"{group}.count", None), (f"{group}.schedule", entries)),
    )


class _Staffing:
    def __init__(self, runner: Runner, group: str, levels: list[int], judges: list[Judge]) -> None:
        self.runner, self.group, self.levels, self.judges = runner, group, levels, judges
        self.judgements = 0

    def judge(self, counts: Sequence[int], hour: int | None) -> Evidence:
        """The schedule judged in one hour of the day (None: every hour)."""
        self.judgements += 1
        judge = self.judges[HOURS_PER_DAY if hour is None else hour]
        configuration = schedule_configuration(self.group, counts)
        (evidence,) = judge.evaluate([configuration], f"per hour: {configuration.values[0][1]}")
        return evidence

    def lowest(self, counts: list[int], hour: int) -> int | None:
        """The fewest lanes (an index into the levels) meeting the condition in ``hour``."""

        def meets(i: int) -> bool:
            return self.judge([*counts[:hour], self.levels[i], *counts[hour + 1 :]], hour).meets

        lo, hi = 0, len(self.levels) - 1
        if not meets(hi):
            return None
        while lo < hi:
            mid = (lo + hi) // 2
            if meets(mid):
                hi = mid
            else:
                lo = mid + 1
        return hi


def search_staffing(
    runner: Runner,
    parameter: Parameter,
    conditions: Sequence[Condition],
    *,
    replications: int,
    max_replications: int,
    confidence: float,
    fixed: Evidence | None,
    fixed_level: int | None,
) -> tuple[tuple[int, ...] | None, Evidence | None, int]:
    """The hourly counts, the evidence for them, and the judgements made; ``fixed`` is the
    best fixed configuration's evidence (its level index ``fixed_level``)."""
    group = group_path(parameter)
    levels = [int(lv.value or 0) for lv in parameter.levels]
    base = runner.scenario_of(Configuration((), ()))
    hours = min(HOURS_PER_DAY, math.ceil(base.horizon / HOUR))
    judges = []
    for hour in [*range(HOURS_PER_DAY), None]:
        judge = Judge(
            runner,
            conditions,
            replications=replications,
            max_replications=max_replications,
            confidence=confidence,
            warmup=base.warmup,
        )
        judge.hours = None if hour is None else hour_of_day(hour)
        judges.append(judge)
    staffing = _Staffing(runner, group, levels, judges)
    if fixed is None or fixed_level is None:
        return None, None, staffing.judgements
    counts = [levels[fixed_level]] * hours
    measured = _measured_hours(runner, fixed, conditions, hours, base.warmup)
    for hour in range(hours):
        if hour in measured:
            index = staffing.lowest(counts, hour)
            if index is not None:  # none confirmed in the hour alone: the fixed level stays
                counts[hour] = levels[index]
    warm = [h for h in range(hours) if (h + 1) * HOUR <= base.warmup and h not in measured]
    after = [h for h in sorted(measured) if h * HOUR >= base.warmup]
    for hour in range(hours):
        if hour not in measured:
            counts[hour] = counts[after[0]] if hour in warm and after else levels[0]
    evidence = _repair(staffing, counts)
    return (tuple(counts) if evidence.meets else None), evidence, staffing.judgements


def _measured_hours(
    runner: Runner, evidence: Evidence, conditions: Sequence[Condition], hours: int, warmup: float
) -> set[int]:
    """Hours of the day in which the fixed configuration's conditions had a value after the
    warm-up in some replication."""
    (tables,) = runner.tables([(evidence.configuration, evidence.replications)], "per hour")
    wanted = {(*t.key()[:3], t.key()[4]) for t in conditions}
    return {
        hour % HOURS_PER_DAY
        for table in tables
        for (level, name, group, hour, metric), value in table.items()
        if hour >= 0
        and (level, name, group, metric) in wanted
        and not math.isnan(value)
        and (hour + 1) * HOUR > warmup
    } & set(range(hours))


def _repair(staffing: _Staffing, counts: list[int]) -> Evidence:
    levels = staffing.levels
    for _ in range(len(counts) * len(levels) + 1):
        evidence = staffing.judge(counts, None)
        failing = [c.hour for c in evidence.checks if c.status != "met" and c.hour is not None]
        if evidence.meets or not failing:
            return evidence
        hour = min(failing) % HOURS_PER_DAY
        while hour >= 0 and counts[hour] == levels[-1]:
            hour -= 1
        if hour < 0:
            return evidence
        counts[hour] = levels[levels.index(counts[hour]) + 1]
    return evidence
