"""Timetables: the number of open lanes of a group over the horizon.

A group with a fixed ``count`` has a timetable with no change; a daily ``schedule`` repeats
its day over the horizon. The timetable is the plan: the engine takes its events from it and
logs the lanes actually open; the overload warnings read it.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from ..scenario.calendar import for_day_type
from ..units import DAY

if TYPE_CHECKING:  # a worker process unpickles timetables, and needs no schedule entry
    from ..scenario.schedules import ScheduleEntry

__all__ = ["Timetable"]


@dataclass(frozen=True, slots=True)
class Timetable:
    """Open lanes over ``[0, horizon)``: ``initial`` at time 0, then ``changes``, a sorted
    tuple of ``(time, count)``."""

    initial: int
    changes: tuple[tuple[float, int], ...]
    horizon: float

    @classmethod
    def constant(cls, count: int, horizon: float) -> Timetable:
        return cls(count, (), horizon)

    @classmethod
    def daily(cls, entries: Sequence[ScheduleEntry], horizon: float) -> Timetable:
        """Repeat a day's entries over the horizon."""
        return cls.of_days([entries] * math.ceil(horizon / DAY), horizon)

    @classmethod
    def of_days(cls, days: Sequence[Sequence[ScheduleEntry]], horizon: float) -> Timetable:
        """Each day's entries in turn (``days[d]`` for day ``d + 1``) over the horizon."""
        points: list[tuple[float, int]] = []
        for d, entries in enumerate(days):
            for time, count in _day_points(entries):
                t = d * DAY + time
                if t < horizon:
                    points.append((t, count))
        initial = points[0][1] if points and points[0][0] == 0 else 0
        changes: list[tuple[float, int]] = []
        current = initial
        for t, count in points:
            if t > 0 and count != current:
                changes.append((t, count))
                current = count
        return cls(initial, tuple(changes), horizon)

    @classmethod
    def of_group(
        cls,
        count: int | None,
        schedule: Sequence[ScheduleEntry] | Mapping[str, Sequence[ScheduleEntry]] | None,
        horizon: float,
        day_types: Sequence[str | None] = (),
    ) -> Timetable:
        """A lane group's plan: ``count`` lanes all the time, or its daily ``schedule`` (one
        for every day, or one by day type: ``day_types`` gives each day's)."""
        if schedule is None:
            return cls.constant(count or 0, horizon)
        if not isinstance(schedule, Mapping):
            return cls.daily(schedule, horizon)
        return cls.of_days([for_day_type(schedule, t) for t in day_types], horizon)

    @property
    def most(self) -> int:
        """The most lanes ever open."""
        return max([self.initial, *(c for _, c in self.changes)])

    def count_at(self, t: float) -> int:
        """Lanes open at time ``t``."""
        index = bisect.bisect_right(self.changes, (t, math.inf))
        return self.changes[index - 1][1] if index else self.initial

    def next_opening(self, t: float) -> float:
        """The first time at or after ``t`` with a lane open (``inf`` if none)."""
        if self.count_at(t) > 0:
            return t
        index = bisect.bisect_right(self.changes, (t, math.inf))
        for time, count in self.changes[index:]:
            if count > 0:
                return time
        return math.inf

    def staffed_time(self, start: float, end: float) -> float:
        """Seconds within ``[start, end)`` with at least one lane open."""
        total = 0.0
        points = [(0.0, self.initial), *self.changes, (self.horizon, 0)]
        for (t0, count), (t1, _) in pairwise(points):
            lo, hi = max(t0, start), min(t1, end)
            if hi > lo and count > 0:
                total += hi - lo
        return total

    def lane_time(self, start: float, end: float) -> float:
        """Open lane-seconds within ``[start, end)``."""
        total = 0.0
        points = [(0.0, self.initial), *self.changes, (self.horizon, 0)]
        for (t0, count), (t1, _) in pairwise(points):
            lo, hi = max(t0, start), min(t1, end)
            if hi > lo:
                total += count * (hi - lo)
        return total


def _day_points(entries: Sequence[ScheduleEntry]) -> list[tuple[float, int]]:
    """A day's ``(time of day, count from then on)``, hours no entry covers at 0."""
    day: list[tuple[float, int]] = []
    position = 0.0
    for entry in sorted(entries, key=lambda e: e.start):
        if entry.start > position:
            day.append((position, 0))
        day.append((entry.start, entry.count))
        position = entry.end
    if position < DAY:
        day.append((position, 0))
    return day
