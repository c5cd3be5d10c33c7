"""Lane schedules: how many lanes of a group are open at each time of day.

A schedule is a list of entries ``{from, to, count}`` within one day; it repeats every day
and hours no entry covers have no lane open. Internally it becomes a :class:`Timetable`: the
times over a horizon at which the number of open lanes changes, from which the engine takes
its events and the summary its open lane-time. A group with a fixed ``count`` has a
timetable with no change.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Annotated, ClassVar

from pydantic import AfterValidator, Field

from ._schema import STRICT, Count, Duration

__all__ = ["DAY", "ScheduleEntry", "Timetable"]

DAY = 86_400.0

DayTime = Annotated[Duration, Field(ge=0, le=DAY)]


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduleEntry:
    """``count`` lanes open from ``from`` to ``to`` (times of day, ``to`` excluded)."""

    __pydantic_config__ = STRICT
    #: names in scenario files of the fields whose Python names differ
    aliases: ClassVar[dict[str, str]] = {"start": "from", "end": "to"}
    start: Annotated[DayTime, Field(alias="from")]
    end: Annotated[DayTime, Field(alias="to")]
    count: Count

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(
                f"'from' ({self.start / 3600:g}h) must be before 'to' ({self.end / 3600:g}h)"
            )


def _no_overlap(entries: tuple[ScheduleEntry, ...]) -> tuple[ScheduleEntry, ...]:
    ordered = sorted(entries, key=lambda e: e.start)
    for before, after in pairwise(ordered):
        if after.start < before.end:
            raise ValueError(
                f"entries {before.start / 3600:g}h-{before.end / 3600:g}h and "
                f"{after.start / 3600:g}h-{after.end / 3600:g}h overlap"
            )
    return entries


Schedule = Annotated[tuple[ScheduleEntry, ...], Field(min_length=1), AfterValidator(_no_overlap)]


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
        day: list[tuple[float, int]] = []  # (time of day, count from then on)
        position = 0.0
        for entry in sorted(entries, key=lambda e: e.start):
            if entry.start > position:
                day.append((position, 0))
            day.append((entry.start, entry.count))
            position = entry.end
        if position < DAY:
            day.append((position, 0))
        points: list[tuple[float, int]] = []
        days = math.ceil(horizon / DAY)
        for d in range(days):
            for time, count in day:
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

    def lane_time(self, start: float, end: float) -> float:
        """Open lane-seconds within ``[start, end)``."""
        total = 0.0
        points = [(0.0, self.initial), *self.changes, (self.horizon, 0)]
        for (t0, count), (t1, _) in pairwise(points):
            lo, hi = max(t0, start), min(t1, end)
            if hi > lo:
                total += count * (hi - lo)
        return total
