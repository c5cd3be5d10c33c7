"""Lane schedules: how many lanes of a group are open at each time of day.

A schedule is a list of entries ``{from, to, count}`` within one day; it repeats every day
and hours no entry covers have no lane open. The model turns it into a timetable over the
horizon (:mod:`portsim.model.timetable`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Annotated, ClassVar, TypeAlias

from pydantic import AfterValidator, Discriminator, Field, Tag

from ..units import HOUR
from .calendar import day_type_kind
from .fields import STRICT, LaneCount, Name, TimeOfDay

__all__ = [
    "Schedule",
    "ScheduleByDayType",
    "ScheduleEntry",
    "check_count_or_schedule",
    "most_at_once",
    "schedules_by_day_type",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduleEntry:
    """``count`` lanes open from ``from`` to ``to`` (times of day, ``to`` excluded): clock
    times (``06:30``, ``24:00``) or durations from midnight (``6.5h``)."""

    __pydantic_config__ = STRICT
    #: names in scenario files of the fields whose Python names differ
    aliases: ClassVar[dict[str, str]] = {"start": "from", "end": "to"}
    start: Annotated[TimeOfDay, Field(alias="from")]
    end: Annotated[TimeOfDay, Field(alias="to")]
    count: LaneCount

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(
                f"'from' ({self.start / HOUR:g}h) must be before 'to' ({self.end / HOUR:g}h)"
            )


def _no_overlap(entries: tuple[ScheduleEntry, ...]) -> tuple[ScheduleEntry, ...]:
    ordered = sorted(entries, key=lambda e: e.start)
    for before, after in pairwise(ordered):
        if after.start < before.end:
            raise ValueError(
                f"entries {before.start / HOUR:g}h-{before.end / HOUR:g}h and "
                f"{after.start / HOUR:g}h-{after.end / HOUR:g}h overlap"
            )
    return entries


Schedule = Annotated[tuple[ScheduleEntry, ...], Field(min_length=1), AfterValidator(_no_overlap)]

ScheduleByDayType = Annotated[
    Annotated[Schedule, Tag("every_day")]
    | Annotated[dict[Name, Schedule], Tag("by_day_type"), Field(min_length=1)],
    Discriminator(day_type_kind()),
]
"""One schedule every day, or one per day type of the calendar (``default``: the others)."""


#: a field given as one schedule every day, or one per day type (as parsed)
ScheduleValue: TypeAlias = tuple[ScheduleEntry, ...] | Mapping[str, tuple[ScheduleEntry, ...]]


def check_count_or_schedule(
    count: int | None, schedule: ScheduleValue | None, *, how_many: str, always: str
) -> None:
    """A count or a schedule, exactly one: ``how_many`` says what they count (``how many
    lanes are open``), ``always`` what a count means (``lanes always open``)."""
    if count is None and schedule is None:
        raise ValueError(f"say {how_many}: give 'count' ({always}) or 'schedule'")
    if count is not None and schedule is not None:
        raise ValueError(f"give either 'count' ({always}) or 'schedule', not both")


def schedules_by_day_type(
    schedule: ScheduleValue | None,
) -> dict[str, tuple[ScheduleEntry, ...]]:
    """The schedule of each day type (``default`` for one schedule every day; none for a
    count)."""
    if schedule is None:
        return {}
    if isinstance(schedule, Mapping):
        return dict(schedule)
    return {"default": schedule}


def most_at_once(count: int | None, schedule: ScheduleValue | None) -> int:
    """The most a count or a schedule (any day type) ever gives at once."""
    if schedule is None:
        return count or 0
    return max(e.count for entries in schedules_by_day_type(schedule).values() for e in entries)
