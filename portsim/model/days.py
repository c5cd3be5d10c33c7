"""The days of a run, compiled: each day's type and date, and the open intervals of the port
(and of each stage with hours of its own).

:class:`Days` labels the days of the horizon (from a calendar, or plain numbered days);
:class:`PortHours` is the port's opening hours over the horizon, as sorted, merged
intervals ``[open, close)``: who comes outside them waits for the next opening.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from ..scenario.calendar import for_day_type
from ..units import DAY

if TYPE_CHECKING:  # a worker process unpickles Days and PortHours, and needs neither
    from ..scenario.calendar import OpeningHours
    from ..scenario.spec import Scenario

__all__ = ["Days", "PortHours", "compile_days", "compile_hours"]


@dataclass(frozen=True, slots=True)
class Days:
    """The days of the horizon, day 1 first: each one's type (None without a calendar) and
    date (``YYYY-MM-DD``, None without a calendar start)."""

    types: tuple[str | None, ...]
    dates: tuple[str | None, ...]

    def __len__(self) -> int:
        return len(self.types)

    def type_of(self, day: int) -> str | None:
        return self.types[min(day, len(self.types) - 1)]

    def distinct_types(self) -> tuple[str, ...]:
        """The day types, each once, in the order they first come."""
        return tuple(dict.fromkeys(t for t in self.types if t is not None))

    def label(self, day: int) -> str:
        """``day 3``, or ``day 3 (2008-02-04, festival_eve)``."""
        extra = [x for x in (self.dates[day], self.types[day]) if x is not None]
        return f"day {day + 1}" + (f" ({', '.join(extra)})" if extra else "")


def compile_days(scenario: Scenario) -> Days:
    """The days the horizon touches, labelled from the calendar when there is one."""
    count = max(1, math.ceil(scenario.horizon / DAY))
    calendar = scenario.calendar
    if calendar is None:
        return Days((None,) * count, (None,) * count)
    types = calendar.day_types()[:count]
    dates = tuple(
        None if (date := calendar.date(day)) is None else date.isoformat() for day in range(count)
    )
    return Days(tuple(types), dates)


@dataclass(frozen=True, slots=True)
class PortHours:
    """The port's open intervals ``[open, close)`` over the horizon, sorted and merged."""

    intervals: tuple[tuple[float, float], ...]

    def entry(self, t: float) -> float:
        """When someone who comes at ``t`` may enter: ``t`` while open, else the next
        opening (``inf``: none before the end of the calendar)."""
        index = bisect.bisect_right(self.intervals, (t, math.inf))
        if index and t < self.intervals[index - 1][1]:
            return t
        return self.intervals[index][0] if index < len(self.intervals) else math.inf

    def entries(self, times: NDArray[np.float64]) -> NDArray[np.float64]:
        """:meth:`entry` of each time (NaN stays NaN)."""
        starts = np.array([a for a, _ in self.intervals] + [math.inf])
        ends = np.array([b for _, b in self.intervals] + [math.inf])
        index = np.searchsorted(starts, times, side="right")  # intervals starting at or before
        before = np.maximum(index - 1, 0)
        inside = (index > 0) & (times < ends[before])
        return np.where(inside, times, starts[index])

    def is_open(self, t: float) -> bool:
        return self.entry(t) == t

    def open_time(self, start: float, end: float) -> float:
        """Seconds open within ``[start, end)``."""
        return sum(max(0.0, min(b, end) - max(a, start)) for a, b in self.intervals)


def compile_hours(
    scenario: Scenario,
    days: Days,
    hours: OpeningHours | Mapping[str, OpeningHours] | None = None,
) -> PortHours | None:
    """The port's open intervals over the horizon (None: open round the clock), or those of
    ``hours`` (a stage's) when given."""
    if hours is None:
        hours = scenario.hours
    if hours is None:
        return None
    merged: list[tuple[float, float]] = []
    for day, day_type in enumerate(days.types):
        start, end = _day_hours(hours, day_type).interval(day)
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return PortHours(tuple(merged))


def _day_hours(
    hours: OpeningHours | Mapping[str, OpeningHours], day_type: str | None
) -> OpeningHours:
    return for_day_type(hours, day_type)
