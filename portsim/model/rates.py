"""Arrival rates as functions of absolute time, from 00:00 of day 1.

A flow's arrivals compile to a :class:`RateFunction`: a constant rate, or a rate that is
constant on each of a sequence of pieces (hours, today) covering the horizon. The engine's
arrival clock inverts its integral; the overload warnings read its mean over an interval.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..scenario.calendar import for_day_type
from ..units import HOUR, HOURS_PER_DAY

if TYPE_CHECKING:  # a worker process unpickles rate functions, and compiles none
    from ..scenario.arrivals import Arrivals, DailyProfileArrivals

__all__ = ["RateFunction", "rate_function"]


@dataclass(frozen=True, slots=True)
class RateFunction:
    """Arrivals per second over time: ``constant`` if not None, else ``rates[i]`` on
    ``[ends[i-1], ends[i])`` (``ends[-1]`` reaches at least the horizon)."""

    constant: float | None
    rates: tuple[float, ...] = ()
    ends: tuple[float, ...] = ()

    def scaled(self, factor: float) -> RateFunction:
        """The same shape, every rate times ``factor``."""
        if self.constant is not None:
            return RateFunction(self.constant * factor)
        return RateFunction(None, tuple(r * factor for r in self.rates), self.ends)

    def at(self, t: float) -> float:
        """The rate at time ``t``."""
        if self.constant is not None:
            return self.constant
        index = bisect.bisect_right(self.ends, t)
        return self.rates[min(index, len(self.rates) - 1)]

    def expected(self, start: float, end: float) -> float:
        """Expected arrivals in ``[start, end)``: the integral of the rate."""
        if self.constant is not None:
            return self.constant * (end - start)
        total = 0.0
        lo = 0.0
        for rate, hi in zip(self.rates, self.ends, strict=True):
            a, b = max(lo, start), min(hi, end)
            if b > a:
                total += rate * (b - a)
            lo = hi
        return total

    def mean(self, start: float, end: float) -> float:
        """The mean rate over ``[start, end)`` (exactly the piece's rate within one piece)."""
        if self.constant is not None:
            return self.constant
        index = bisect.bisect_right(self.ends, start)
        if index < len(self.ends) and end <= self.ends[index]:
            return self.rates[index]
        return self.expected(start, end) / (end - start)


def hourly_rates(arrivals: DailyProfileArrivals, day_type: str | None = None) -> tuple[float, ...]:
    """Arrivals per second in each hour 0..23 of a day (of type ``day_type``)."""
    daily_total = for_day_type(arrivals.daily_total, day_type)
    profile = for_day_type(arrivals.profile, day_type)
    total = math.fsum(profile)
    return tuple(daily_total * w / total / HOUR for w in profile)


def rate_function(
    arrivals: Arrivals, horizon: float, day_types: tuple[str | None, ...] = ()
) -> RateFunction:
    """The rate of ``arrivals`` over ``[0, horizon)``: hour by hour for a daily profile (each
    day's from its type in ``day_types``) and for timed arrivals (their count in the hour;
    with loads, what they bring: travellers per second), piecewise for regular ones."""
    from ..scenario.arrivals import (  # noqa: PLC0415 - when compiling (see above)
        DailyProfileArrivals,
        PoissonArrivals,
        RegularArrivals,
        TimedArrivals,
    )
    from ..scenario.loads import LoadedArrivals  # noqa: PLC0415 - as above

    if isinstance(arrivals, PoissonArrivals):
        return RateFunction(arrivals.rate)
    hours = max(1, math.ceil(horizon / HOUR))
    ends = tuple((h + 1) * HOUR for h in range(hours))
    if isinstance(arrivals, DailyProfileArrivals):
        by_type: dict[str | None, tuple[float, ...]] = {}
        rates = []
        for h in range(hours):
            day = h // HOURS_PER_DAY
            day_type = day_types[min(day, len(day_types) - 1)] if day_types else None
            if day_type not in by_type:
                by_type[day_type] = hourly_rates(arrivals, day_type)
            rates.append(by_type[day_type][h % HOURS_PER_DAY])
        return RateFunction(None, tuple(rates), ends)
    if isinstance(arrivals, TimedArrivals | LoadedArrivals):
        counts = [0] * hours
        brought: Iterable[tuple[float, int]] = (
            zip(arrivals.at, arrivals.loads, strict=True)
            if isinstance(arrivals, LoadedArrivals)
            else ((t, 1) for t in arrivals.times)
        )
        for t, n in brought:
            if t < horizon:
                counts[int(t // HOUR)] += n
        return RateFunction(None, tuple(c / HOUR for c in counts), ends)
    assert isinstance(arrivals, RegularArrivals)
    end = min(horizon, arrivals.end or horizon)
    if arrivals.start >= end:
        return RateFunction(0.0)
    return RateFunction(None, (0.0, 1.0 / arrivals.every, 0.0), (arrivals.start, end, math.inf))
