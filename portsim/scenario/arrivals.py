"""Arrivals: how a flow's travellers or vehicles come to the port.

=====================================  ===================================================
``{rate: 1800/h}``                     a Poisson process at a constant rate
``{daily_total: N, profile: [24]}``    a Poisson process whose rate is constant within each
                                       hour and follows the profile's weights, every day
                                       (either may differ by day type of the calendar)
``{every: 4min, from: 6h, to: 23h}``   one arrival every ``every`` from ``from`` (default 0)
                                       until before ``to`` (default: the horizon); no
                                       randomness: a timetable
``{times: [0s, 3s, 3s, 90s]}``         arrivals at exactly these times (from 00:00 of day 1;
                                       clock times such as ``06:30`` are on day 1)
``{times: [{at: 06:02, load: 612}]}``  a timetable with loads: each arrival brings exactly
                                       its load (:mod:`.loads`)
=====================================  ===================================================

Any of them but the last may add ``group: {dist: …}``: each arrival brings a party of that
many entities at once (a train emptying into the hall, a tour); each member has its own
service times.
The rate as a function of time is built in :mod:`portsim.model.rates`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, Discriminator, Field, Tag

from ..units import HOURS_PER_DAY
from .calendar import day_type_kind
from .counts import CountDistribution
from .fields import STRICT, Name, Number, PositiveDuration, Rate, TimeOnDayOne
from .loads import LoadedArrivals

__all__ = [
    "MAX_WEIGHT",
    "Arrivals",
    "DailyProfileArrivals",
    "PoissonArrivals",
    "RegularArrivals",
    "TimedArrivals",
]

#: weights are relative; a bound keeps their sum finite
MAX_WEIGHT = 1e12
Weight = Annotated[Number, Field(ge=0, le=MAX_WEIGHT)]


def _some_weight(profile: tuple[float, ...]) -> tuple[float, ...]:
    if not any(w > 0 for w in profile):
        raise ValueError("every weight of the profile is zero: nobody would arrive")
    return profile


@dataclass(frozen=True, slots=True, kw_only=True)
class PoissonArrivals:
    """Arrivals at a constant rate (per second), with exponential gaps."""

    __pydantic_config__ = STRICT
    rate: Rate
    group: CountDistribution | None = None


Profile = Annotated[
    tuple[Weight, ...],
    Field(min_length=HOURS_PER_DAY, max_length=HOURS_PER_DAY),
    AfterValidator(_some_weight),
]
DailyTotal = Annotated[Number, Field(gt=0)]


@dataclass(frozen=True, slots=True, kw_only=True)
class DailyProfileArrivals:
    """A non-homogeneous Poisson process: ``daily_total`` expected arrivals a day, spread over
    the hours 0..23 in proportion to ``profile``; the rate is constant within an hour and the
    profile repeats every day. With a calendar, either may be given per day type (a mapping
    from day types, ``default`` for the others)."""

    __pydantic_config__ = STRICT
    daily_total: Annotated[
        Annotated[DailyTotal, Tag("every_day")]
        | Annotated[dict[Name, DailyTotal], Tag("by_day_type"), Field(min_length=1)],
        Discriminator(day_type_kind()),
    ]
    profile: Annotated[
        Annotated[Profile, Tag("every_day")]
        | Annotated[dict[Name, Profile], Tag("by_day_type"), Field(min_length=1)],
        Discriminator(day_type_kind()),
    ]
    group: CountDistribution | None = None

    def __post_init__(self) -> None:
        for profile in self.profile.values() if isinstance(self.profile, dict) else [self.profile]:
            _some_weight(profile)

    def day_types(self) -> set[str]:
        """The day types (and ``default``) its mappings name."""
        named: set[str] = set()
        for value in (self.daily_total, self.profile):
            if isinstance(value, dict):
                named |= set(value)
        return named


@dataclass(frozen=True, slots=True, kw_only=True)
class RegularArrivals:
    """One arrival every ``every`` seconds from ``start`` (``from`` in a file) until before
    ``end`` (``to``; default: the horizon). ``from`` and ``to`` count from 00:00 of day 1:
    durations (``6h``, ``30h``) or clock times on day 1 (``06:30``)."""

    __pydantic_config__ = STRICT
    aliases: ClassVar[dict[str, str]] = {"start": "from", "end": "to"}
    every: PositiveDuration
    start: Annotated[TimeOnDayOne, Field(alias="from")] = 0.0
    end: Annotated[Annotated[TimeOnDayOne, Field(gt=0)] | None, Field(alias="to")] = None
    group: CountDistribution | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end <= self.start:
            raise ValueError(f"'to' ({self.end:g} s) must be after 'from' ({self.start:g} s)")


def _ordered(times: tuple[float, ...]) -> tuple[float, ...]:
    for before, after in pairwise(times):
        if after < before:
            raise ValueError(f"must not decrease ({after:g} s comes after {before:g} s)")
    return times


@dataclass(frozen=True, slots=True, kw_only=True)
class TimedArrivals:
    """Arrivals at the given times, in order (several may share a time)."""

    __pydantic_config__ = STRICT
    times: Annotated[tuple[TimeOnDayOne, ...], Field(min_length=1), AfterValidator(_ordered)]
    group: CountDistribution | None = None

    def __post_init__(self) -> None:
        _ordered(self.times)  # also for objects made in Python, where validators do not run


_KINDS: tuple[tuple[str, type, str], ...] = (
    ("rate", PoissonArrivals, "constant-rate"),
    ("every", RegularArrivals, "regular"),
    ("times", TimedArrivals, "timed"),
)


def _with_loads(value: Any) -> bool:
    """Timed arrivals whose times carry their loads (or that give a list of loads)."""
    if isinstance(value, LoadedArrivals):
        return True
    if not isinstance(value, Mapping) or "times" not in value:
        return False
    times = value["times"]
    return "loads" in value or (
        isinstance(times, list | tuple) and any(isinstance(t, Mapping) for t in times)
    )


def _arrivals_kind(value: Any) -> str | None:
    if _with_loads(value):
        return "loaded"
    for key, kind, tag in _KINDS:
        if isinstance(value, kind) or (isinstance(value, Mapping) and key in value):
            return tag
    if isinstance(value, DailyProfileArrivals | Mapping):
        return "daily-profile"
    return None


Arrivals = Annotated[
    Annotated[PoissonArrivals, Tag("constant-rate")]
    | Annotated[DailyProfileArrivals, Tag("daily-profile")]
    | Annotated[RegularArrivals, Tag("regular")]
    | Annotated[TimedArrivals, Tag("timed")]
    | Annotated[LoadedArrivals, Tag("loaded")],
    Discriminator(
        _arrivals_kind,
        custom_error_type="arrivals",
        custom_error_message="arrivals must be a mapping with 'rate', with 'daily_total' "
        "and 'profile', with 'every', or with 'times'",
    ),
]
"""Any kind of arrivals, told apart by their fields."""
