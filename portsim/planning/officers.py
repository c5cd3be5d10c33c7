"""Officers in planning: a staff pool's size, or the officers of one shift of its schedule,
as a parameter a plan varies and costs, said in a planner's words; and the officer-hours of
the configuration a plan chose.

* A parameter that sets ``staff.POOL.count`` is the pool's size; a configuration says it as
  ``52 officers (officers pool)``.
* A parameter that sets ``staff.POOL.schedule.K.count`` (or, with a schedule per day type,
  ``staff.POOL.schedule.TYPE.K.count``) is the officers of one shift. Unless named with
  ``--vary NAME:PATH=…``, it is named after the shift's hours, ``officers 06:00–14:00``, and
  a configuration says ``30 officers 06:00–14:00 (officers pool)``.
* ``--cost officers=1``: a key naming a pool prices every varied count of it, per officer
  on duty all the run (the unit of a pool's ``count``). A shift's officers cost in
  proportion to the officer-hours they are on duty over the run: an 8-hour shift every day
  a third; a weekday shift in a week of 6 weekdays and 1 weekend day six times a weekend
  one of the same hours. The cost of a schedule is thus the officers on duty on average
  over the run (officer-hours on duty over the run ÷ the run's hours; ÷ 24 for a one-day
  run). Without ``--cost`` each officer counts so too.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..results.catalog import OFFICER_HOURS, OFFICER_HOURS_ON_DUTY
from ..results.scopes import Scope
from ..results.statistics import Stat, aggregate
from ..scenario.calendar import DEFAULT
from ..scenario.spec import Scenario
from ..units import DAY, MINUTE
from .confirm import Evidence
from .runner import Runner
from .vary import Parameter

__all__ = [
    "COST_WORDS",
    "PoolHours",
    "costs_shifts",
    "day_shares",
    "level_parts",
    "level_words",
    "named_shifts",
    "pool_hours",
    "pool_of",
    "shift_words",
]


@dataclass(frozen=True, slots=True)
class Shift:
    """What a staff parameter sets: the pool, and for a shift its day type (None: every
    day's schedule) and its entry's index."""

    pool: str
    day_type: str | None = None
    entry: int | None = None


def pool_of(path: str | None) -> Shift | None:
    """The pool (and shift) whose count ``path`` sets, or None for any other field."""
    match (path or "").split("."):
        case ["staff", pool, "count"]:
            return Shift(pool)
        case ["staff", pool, "schedule", entry, "count"] if entry.isdigit():
            return Shift(pool, None, int(entry))
        case ["staff", pool, "schedule", day_type, entry, "count"] if entry.isdigit():
            return Shift(pool, day_type, int(entry))
    return None


def _clock(seconds: float) -> str:
    minutes = round(seconds / MINUTE)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _span(scenario: Scenario, shift: Shift) -> tuple[float, float] | None:
    """The hours of a shift's entry, from 00:00 (None: no such pool or entry)."""
    pools = {p.name: p for p in scenario.staff}
    pool = pools.get(shift.pool)
    if pool is None or pool.schedule is None or shift.entry is None:
        return None
    schedule: Any = pool.schedule
    if isinstance(schedule, dict):
        schedule = schedule.get(shift.day_type or "default")
    elif shift.day_type is not None:
        return None
    if schedule is None or shift.entry >= len(schedule):
        return None
    entry = schedule[shift.entry]
    return float(entry.start), float(entry.end)


def shift_words(scenario: Scenario, path: str) -> str | None:
    """A shift's hours, ``06:00–14:00`` (``on weekday`` added for a day type's), or None."""
    shift = pool_of(path)
    span = _span(scenario, shift) if shift is not None else None
    if shift is None or span is None:
        return None
    on = f" on {shift.day_type}" if shift.day_type else ""
    return f"{_clock(span[0])}–{_clock(span[1])}{on}"


def named_shifts(scenario: Scenario, parameters: Sequence[Parameter]) -> list[Parameter]:
    """The parameters, each that varies a shift's officers and has no name of its own named
    after the pool and the shift's hours (``officers 06:00–14:00``)."""
    out = []
    for p in parameters:
        shift = pool_of(p.path)
        hours = shift_words(scenario, p.path or "") if shift is not None else None
        if shift is None or hours is None or p.name != p.path:
            out.append(p)
        else:
            out.append(dataclasses.replace(p, name=f"{shift.pool} {hours}"))
    return out


def _days_of(scenario: Scenario, shift: Shift) -> list[int]:
    """The days of the run (0 for day 1) on which ``shift``'s entry is the schedule: every
    day for a schedule every day; for one by day type, the days of its type (``default``:
    those whose type has no schedule of its own)."""
    days = max(1, math.ceil(scenario.horizon / DAY))
    pool = next(p for p in scenario.staff if p.name == shift.pool)
    if not isinstance(pool.schedule, dict):
        return list(range(days))
    calendar = scenario.calendar
    types = calendar.day_types()[:days] if calendar is not None else (None,) * days
    wanted = shift.day_type or DEFAULT
    return [
        d
        for d, day_type in enumerate(types)
        if (day_type if day_type is not None and day_type in pool.schedule else DEFAULT) == wanted
    ]


def day_shares(scenario: Scenario | None, parameters: Sequence[Parameter]) -> dict[str, float]:
    """Each parameter that varies a shift's officers: the officer-hours one of its officers
    is on duty over the run, against the run's hours (what one of them costs against an
    officer on duty all the run). A shift of a day type counts the days of its type in the
    run's calendar: on 6 weekdays and 1 weekend day, a weekday 06:00–14:00 officer is on duty
    48 of the run's 168 hours (2/7), a weekend one 8 (1/21)."""
    shares = {}
    for p in parameters:
        shift = pool_of(p.path)
        span = _span(scenario, shift) if shift is not None and scenario is not None else None
        if span is None or shift is None or scenario is None:
            continue
        horizon = scenario.horizon
        hours = sum(
            max(0.0, min(d * DAY + span[1], horizon) - (d * DAY + span[0]))
            for d in _days_of(scenario, shift)
        )
        shares[p.name] = hours / horizon
    return shares


#: what a plan's cost means when it prices a shift's officers
COST_WORDS = (
    "officers on duty on average over the run (a shift's officer-hours on duty over the run "
    "÷ the run's hours), each at its --cost"
)


def costs_shifts(parameters: Sequence[Parameter]) -> bool:
    """Whether some parameter varies a shift's officers (its cost is then
    :data:`COST_WORDS`)."""
    return any((s := pool_of(p.path)) is not None and s.entry is not None for p in parameters)


def level_parts(parameter: Parameter, label: str) -> tuple[str, str] | None:
    """A staff parameter's level in words and its pool: ``("52 officers", "officers")``,
    ``("30 officers 06:00–14:00", "officers")``; None for another parameter."""
    shift = pool_of(parameter.path)
    if shift is None:
        return None
    if shift.entry is None:
        return f"{label} officers", shift.pool
    named = parameter.name != parameter.path
    when = parameter.name.removeprefix(f"{shift.pool} ") if named else f"shift {shift.entry + 1}"
    return f"{label} officers {when}", shift.pool


def level_words(parameter: Parameter, label: str) -> str | None:
    """A staff parameter's level in words: ``52 officers (officers pool)``, ``30 officers
    06:00–14:00 (officers pool)``; None for another parameter."""
    parts = level_parts(parameter, label)
    return None if parts is None else f"{parts[0]} ({parts[1]} pool)"


@dataclass(frozen=True, slots=True)
class PoolHours:
    """A pool's officer-hours in a configuration: committed (on a lane, finishing a
    traveller, moving between groups) and on duty, each over its replications."""

    pool: str
    committed: Stat
    on_duty: Stat

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "pool": self.pool,
            OFFICER_HOURS.name: self.committed.json(),
            OFFICER_HOURS_ON_DUTY.name: self.on_duty.json(),
        }


def pool_hours(runner: Runner, evidence: Evidence | None) -> tuple[PoolHours, ...]:
    """Each pool's officer-hours in the configuration of ``evidence``, from the replications
    it was judged on (none without pools, or without a configuration)."""
    if evidence is None:
        return ()
    model = runner.model(evidence.configuration)
    if not model.pools:
        return ()
    (tables,) = runner.tables([(evidence.configuration, evidence.replications)], "officers")
    stats = aggregate(tables)
    out = []
    for pool in model.pools:
        scope = Scope.pool(pool.name)
        committed, on_duty = (
            stats.get(scope.key(m)) for m in (OFFICER_HOURS, OFFICER_HOURS_ON_DUTY)
        )
        if committed is not None and on_duty is not None:
            out.append(PoolHours(pool.name, committed, on_duty))
    return tuple(out)
