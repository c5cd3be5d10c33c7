"""Time units: durations and rates are converted to seconds once, when a scenario is loaded.

A duration is a number of seconds or a string with a unit: ``90s``, ``2.5min``, ``8h``, ``1d``.
A rate is a number per second or a string ``N/s``, ``N/min``, ``N/h`` or ``N/d``.
A time of day may also be a clock time, ``06:30``, ``6:30`` or ``24:00``
(:func:`parse_time_of_day`); a clock time is never taken as a duration.
Everything inside portsim is in seconds and per second.
"""

from __future__ import annotations

import math
import re
import reprlib

__all__ = [
    "DAY",
    "DURATION_PATTERN",
    "HOUR",
    "HOURS_PER_DAY",
    "MINUTE",
    "RATE_PATTERN",
    "SECONDS_PER",
    "TIME_PATTERN",
    "counted",
    "duration_unit",
    "format_duration",
    "format_in_unit",
    "hour_interval",
    "is_clock_time",
    "parse_duration",
    "parse_rate",
    "parse_time_of_day",
    "shown",
]

#: Seconds in a minute, an hour and a day: the one home of these constants.
MINUTE = 60.0
HOUR = 3600.0
DAY = 86_400.0
HOURS_PER_DAY = 24

SECONDS_PER: dict[str, float] = {"s": 1.0, "min": MINUTE, "h": HOUR, "d": DAY}

_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_DURATION = re.compile(rf"^\s*({_NUMBER})\s*(s|min|h|d)\s*$")
_RATE = re.compile(rf"^\s*({_NUMBER})\s*/\s*(s|min|h|d)\s*$")
#: a number written as text (``"90"``; YAML reads ``1e5``, with no decimal point, as text):
#: refused, since its unit is a guess (1800 travellers a second, or the 1800/h meant?)
_PLAIN = re.compile(rf"^\s*{_NUMBER}\s*$")
_UNITS = "s, min, h or d"
#: the text patterns of a duration and a rate with a unit (for the scenario JSON Schema)
DURATION_PATTERN = _DURATION.pattern
RATE_PATTERN = _RATE.pattern
#: anything written like a clock time: ``6:30``, ``06:30:15``, ``99:99``
_CLOCK_LIKE = re.compile(r"^\s*\d+:\d+(?::\d+(?:\.\d*)?)?\s*$")
#: the text pattern of a time: a duration from 00:00 or a clock time
TIME_PATTERN = f"{_DURATION.pattern}|{_CLOCK_LIKE.pattern}"
_CLOCK = re.compile(r"^\s*(\d{1,2}):([0-5]\d)(?::([0-5]\d(?:\.\d*)?))?\s*$")

_REPR = reprlib.Repr()
_REPR.maxstring = 40
_REPR.maxother = 40
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = 4
_REPR.maxlevel = 2


def shown(value: object) -> str:
    """A short repr of a value for a message: long strings and lists are cut, so that a
    message stays one short line whatever the file held."""
    return _REPR.repr(value)


def is_clock_time(value: object) -> bool:
    """Whether ``value`` is text written like a clock time (``6:30``, ``24:00``)."""
    return isinstance(value, str) and _CLOCK_LIKE.match(value) is not None


def parse_time_of_day(value: object) -> float:
    """Seconds after 00:00 for a clock time (``"06:30"``, ``"6:30"``, ``"24:00"``,
    ``"06:30:15"``), or a duration from 00:00 given as :func:`parse_duration` takes it."""
    if not is_clock_time(value):
        return parse_duration(value)
    assert isinstance(value, str)
    match = _CLOCK.match(value)
    if match is None:
        raise ValueError(f"{shown(value)} is not a clock time: write HH:MM, for example 06:30")
    hours, minutes = int(match.group(1)), int(match.group(2))
    seconds = float(match.group(3) or 0)
    total = hours * HOUR + minutes * MINUTE + seconds
    if total > DAY:
        raise ValueError(f"{shown(value)} is not a clock time: the day runs from 00:00 to 24:00")
    return total


def _number(value: object) -> float | None:
    """The value as a float if it is a real number (not a bool), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def parse_duration(value: object) -> float:
    """Seconds in a duration given as a number of seconds or a string such as ``2.5min``.

    Raises ``ValueError`` with a message a planner can act on.
    """
    if isinstance(value, bool):
        raise ValueError(f"{str(value).lower()} is not a duration: write 45s, 2.5min, 8h")
    number = _number(value)
    if number is not None:
        return number
    if is_clock_time(value):
        raise ValueError(
            f"{shown(value)} is a clock time, not a duration: write a number with a unit, "
            "for example 1.5h or 90min"
        )
    if isinstance(value, str):
        if _PLAIN.match(value):
            v = value.strip()
            raise ValueError(
                f"{shown(value)} has no unit: write the duration as {v}s, {v}min or {v}h"
            )
        match = _DURATION.match(value)
        if match:
            return float(match.group(1)) * SECONDS_PER[match.group(2)]
        raise ValueError(
            f"{shown(value)} is not a duration: write a number of seconds or a number "
            f"with a unit ({_UNITS}), for example 45s, 2.5min, 8h"
        )
    raise ValueError(
        f"a duration must be a number of seconds or a string like '45s', not {shown(value)}"
    )


def parse_rate(value: object) -> float:
    """Events per second in a rate given as a number per second or a string such as ``1800/h``."""
    if isinstance(value, bool):
        raise ValueError(f"{str(value).lower()} is not a rate: write a number, e.g. 1800/h")
    number = _number(value)
    if number is not None:
        return number
    if isinstance(value, str):
        if _PLAIN.match(value):
            v = value.strip()
            raise ValueError(
                f"{shown(value)} has no unit: write the rate as {v}/h, {v}/min or {v}/s"
            )
        match = _RATE.match(value)
        if match:
            return float(match.group(1)) / SECONDS_PER[match.group(2)]
        raise ValueError(
            f"{shown(value)} is not a rate: write a number per second or N/s, N/min, N/h or "
            "N/d, for example 1800/h"
        )
    raise ValueError(
        f"a rate must be a number per second or a string like '1800/h', not {shown(value)}"
    )


def duration_unit(seconds: float) -> tuple[float, str, int]:
    """The unit a duration reads best in: (seconds per unit, unit, decimals)."""
    if abs(seconds) < 2 * MINUTE:
        return 1.0, "s", 1
    if abs(seconds) < 2 * HOUR:
        return MINUTE, "min", 1
    return HOUR, "h", 2


def format_in_unit(seconds: float, unit: tuple[float, str, int]) -> str:
    """``seconds`` in the given :func:`duration_unit`: ``112.4 s`` as ``1.9 min``."""
    if math.isnan(seconds):
        return "-"
    per, name, digits = unit
    return f"{seconds / per:.{digits}f} {name}"


def format_duration(seconds: float) -> str:
    """A short human-readable duration: ``45 s``, ``12.5 min``, ``3.2 h``."""
    if math.isnan(seconds):
        return "-"
    return format_in_unit(seconds, duration_unit(seconds))


def counted(n: int, noun: str, nouns: str | None = None) -> str:
    """A count and its noun, singular for one: ``1 configuration``, ``6 configurations``,
    ``1,200 replications`` (``nouns``: the plural where adding ``s`` is wrong)."""
    return f"{n:,} {noun if n == 1 else nouns or noun + 's'}"


def hour_interval(hour: int) -> str:
    """An hour from 00:00 of day 1 as a clock interval: ``05:00–06:00``; after the first
    day, ``day 2 05:00–06:00``."""
    day, of_day = divmod(hour, HOURS_PER_DAY)
    span = f"{of_day:02d}:00–{of_day + 1:02d}:00"
    return f"day {day + 1} {span}" if day else span
