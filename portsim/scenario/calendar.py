"""Days as ports live them: a calendar of day types, the port's opening hours, and values
that differ by day type.

A calendar is a list of consecutive days from 00:00 of day 1, each of a type the planner
names (``normal``, ``festival_eve``); ``repeat`` writes several days of one type at once.
Values that may differ by day type (a daily total, a profile, a lane schedule, the opening
hours) are written once for every day, or as a mapping from day types to values, where
``default`` covers the types not named.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from pydantic import BeforeValidator, Field

from ..units import DAY, HOUR, shown
from .fields import STRICT, Name, PositiveInt, TimeOfDay

__all__ = [
    "DAY_TYPE_TAGS",
    "DEFAULT",
    "Calendar",
    "CalendarDays",
    "OpeningHours",
    "day_type_kind",
    "for_day_type",
]

#: the key of a by-day-type mapping that covers the day types it does not name
DEFAULT = "default"
#: the tags pydantic puts in an error's location for a value given once or by day type
DAY_TYPE_TAGS = frozenset({"every_day", "by_day_type"})
#: the most days a calendar may list (the horizon is at most a year)
MAX_DAYS = 366

T = TypeVar("T")

_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _date(value: object) -> object:
    """Day 1's date, as a planner writes it: YYYY-MM-DD, a day that exists."""
    if isinstance(value, datetime.datetime):
        raise ValueError(f"{value} has a time of day: write the date alone, {value.date()}")
    if isinstance(value, datetime.date):
        return value
    text = value.strip() if isinstance(value, str) else ""
    match = _DATE.match(text)
    if match is None:
        raise ValueError(f"{shown(value)} is not a date: write YYYY-MM-DD, for example 2026-02-01")
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= len(_MONTHS):
        raise ValueError(f"{text} is not a date: there is no month {month}")
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    days = (following - datetime.timedelta(days=1)).day
    if not 1 <= day <= days:
        raise ValueError(f"{text} is not a date: {_MONTHS[month - 1]} {year} has {days} days")
    return datetime.date(year, month, day)


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarDays:
    """``repeat`` consecutive days of type ``type``."""

    __pydantic_config__ = STRICT
    type: Name
    repeat: Annotated[PositiveInt, Field(le=MAX_DAYS)] = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Calendar:
    """Consecutive days from 00:00 of day 1; ``start`` is day 1's date (labels only)."""

    __pydantic_config__ = STRICT
    start: Annotated[datetime.date, BeforeValidator(_date)] | None = None
    days: Annotated[tuple[CalendarDays, ...], Field(min_length=1)]

    def __post_init__(self) -> None:
        if len(self.day_types()) > MAX_DAYS:
            raise ValueError(f"the calendar lists more than {MAX_DAYS} days: run a year at a time")
        if DEFAULT in self.types():
            raise ValueError(f"{DEFAULT!r} is not a day type: it names the types not listed")

    def day_types(self) -> tuple[str, ...]:
        """The type of each day, day 1 first."""
        return tuple(entry.type for entry in self.days for _ in range(entry.repeat))

    def types(self) -> tuple[str, ...]:
        """The day types, each once, in the order they first come."""
        return tuple(dict.fromkeys(self.day_types()))

    @property
    def length(self) -> float:
        """Seconds from 00:00 of day 1 to the end of the last day."""
        return len(self.day_types()) * DAY

    def date(self, day: int) -> datetime.date | None:
        """The date of day ``day`` (0 for day 1), if the calendar has a start."""
        return None if self.start is None else self.start + datetime.timedelta(days=day)


@dataclass(frozen=True, slots=True, kw_only=True)
class OpeningHours:
    """The port opens at ``open`` and closes at ``close`` (times of day); a close at or before
    the opening is past midnight (``open: 06:30, close: 02:00`` closes at 02:00 the next
    day); ``open: 00:00, close: 24:00`` is round the clock."""

    __pydantic_config__ = STRICT
    open: TimeOfDay
    close: TimeOfDay

    def __post_init__(self) -> None:
        if self.open >= DAY:
            raise ValueError("'open' must be before 24:00")
        if self.open == self.close:
            raise ValueError(
                f"'open' and 'close' are both {self.open / HOUR:g}h: write open: 00:00, "
                "close: 24:00 for round the clock"
            )

    def interval(self, day: int) -> tuple[float, float]:
        """The open interval ``[open, close)`` of day ``day`` (0 for day 1), in seconds from
        00:00 of day 1."""
        start = day * DAY + self.open
        close = self.close if self.close > self.open else self.close + DAY
        return start, day * DAY + close


def day_type_kind(single_key: str = "") -> Any:
    """The discriminator of a value written once (``every_day``) or by day type
    (``by_day_type``): a mapping is by day type unless it has ``single_key``."""

    def kind(value: Any) -> str:
        if isinstance(value, Mapping) and not (single_key and single_key in value):
            return "by_day_type"
        return "every_day"

    return kind


def for_day_type(value: T | Mapping[str, T], day_type: str | None) -> T:
    """The value for ``day_type`` (``None``: no calendar; the value is the same every day)."""
    if not isinstance(value, Mapping):
        return value
    if day_type is not None and day_type in value:
        return value[day_type]
    return value[DEFAULT]
