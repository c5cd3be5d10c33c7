"""Timed arrivals with loads: a timetable of trains, coaches or ferries, each bringing exactly
its load at its time.

A planner's timetable lists each train with its time and how many it brings, so the file does
too, one train a line::

    arrivals:
      times:
        - {at: "06:02", load: 612}
        - {at: "06:10", load: 540}

(each time beside its load, rather than a list of times and a list of loads that must stay
aligned: a train added, removed or moved in one list and not the other would shift every load
after it). A load is exact: nothing is drawn for it, so no other random number changes. Every
time of the list has its load, or none has (then ``times`` lists plain times, each bringing
one, or a ``group`` drawn at random: :class:`~portsim.scenario.arrivals.TimedArrivals`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from .fields import STRICT, PositiveInt, TimeOnDayOne

__all__ = ["MAX_LOAD", "LoadedArrivals", "TimedLoad"]

#: the most one arrival may bring: the longest trains carry a few thousand, a ship several
#: thousand; a hundred thousand is far beyond any
MAX_LOAD = 100_000
#: how a time with its load is written, for the messages
_EXAMPLE = '{at: "06:02", load: 612}'


def _a_load(value: Any) -> Any:
    """A plain time among times with loads: say how to write its load."""
    if isinstance(value, Mapping | TimedLoad):
        return value
    raise ValueError(
        f"every time needs its load when one has it: write {_EXAMPLE} "
        "(or leave out every load: plain times bring one each)"
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class TimedLoad:
    """One arrival of a timetable: at ``at`` (from 00:00 of day 1; a clock time such as
    ``06:02`` is on day 1) it brings exactly ``load`` travellers (or vehicles) at once."""

    __pydantic_config__ = STRICT
    at: TimeOnDayOne
    load: Annotated[PositiveInt, Field(le=MAX_LOAD)]


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadedArrivals:
    """Arrivals at the given times, in order (several may share a time), each bringing its
    own load exactly."""

    __pydantic_config__ = STRICT
    times: Annotated[
        tuple[Annotated[TimedLoad, BeforeValidator(_a_load)], ...], Field(min_length=1)
    ]

    @model_validator(mode="before")
    @classmethod
    def _one_way(cls, data: Any) -> Any:
        """A load from the timetable and a group drawn at random cannot both hold; nor is a
        list of loads beside the times read (it could be shifted against them)."""
        if isinstance(data, Mapping) and "group" in data:
            raise ValueError(
                "each time brings exactly its load: a group would draw another size; "
                "leave out group (or the loads)"
            )
        if isinstance(data, Mapping) and "loads" in data:
            raise ValueError(
                f"write each time beside its load, times: [{_EXAMPLE}, …], not a list "
                "of loads beside the list of times"
            )
        return data

    def __post_init__(self) -> None:
        for before, after in pairwise(self.times):
            if after.at < before.at:
                raise ValueError(
                    f"times must not decrease ({after.at:g} s comes after {before.at:g} s)"
                )

    @property
    def at(self) -> tuple[float, ...]:
        """The arrivals' times, in seconds from 00:00 of day 1."""
        return tuple(t.at for t in self.times)

    @property
    def loads(self) -> tuple[int, ...]:
        """What each arrival brings."""
        return tuple(t.load for t in self.times)

    @property
    def total(self) -> int:
        """Everyone the arrivals bring."""
        return sum(t.load for t in self.times)
