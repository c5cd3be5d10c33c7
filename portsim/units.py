"""Time units: durations and rates are converted to seconds once, when a scenario is loaded.

A duration is a number of seconds or a string with a unit: ``90s``, ``2.5min``, ``8h``, ``1d``.
A rate is a number per second or a string ``N/s``, ``N/min``, ``N/h`` or ``N/d``.
Everything inside portsim is in seconds and per second.
"""

from __future__ import annotations

import math
import re

__all__ = [
    "DAY",
    "DURATION_PATTERN",
    "HOUR",
    "HOURS_PER_DAY",
    "MINUTE",
    "RATE_PATTERN",
    "SECONDS_PER",
    "format_duration",
    "parse_duration",
    "parse_rate",
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
_UNITS = "s, min, h or d"
#: the text patterns of a duration and a rate with a unit (for the scenario JSON Schema)
DURATION_PATTERN = _DURATION.pattern
RATE_PATTERN = _RATE.pattern


def _number(value: object) -> float | None:
    """The value as a float if it is a real number (not a bool), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def parse_duration(value: object) -> float:
    """Seconds in a duration given as a number of seconds or a string such as ``2.5min``.

    Raises ``ValueError`` with a message a planner can act on.
    """
    number = _number(value)
    if number is not None:
        return number
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match:
            return float(match.group(1)) * SECONDS_PER[match.group(2)]
        raise ValueError(
            f"{value!r} is not a duration: write a number of seconds or a number "
            f"with a unit ({_UNITS}), for example 45s, 2.5min, 8h"
        )
    raise ValueError(
        f"a duration must be a number of seconds or a string like '45s', not {value!r}"
    )


def parse_rate(value: object) -> float:
    """Events per second in a rate given as a number per second or a string such as ``1800/h``."""
    number = _number(value)
    if number is not None:
        return number
    if isinstance(value, str):
        match = _RATE.match(value)
        if match:
            return float(match.group(1)) / SECONDS_PER[match.group(2)]
        raise ValueError(
            f"{value!r} is not a rate: write a number per second or N/s, N/min, N/h or N/d, "
            f"for example 1800/h"
        )
    raise ValueError(f"a rate must be a number per second or a string like '1800/h', not {value!r}")


def format_duration(seconds: float) -> str:
    """A short human-readable duration: ``45 s``, ``12.5 min``, ``3.2 h``."""
    if math.isnan(seconds):
        return "-"
    if abs(seconds) < 2 * MINUTE:
        return f"{seconds:.1f} s"
    if abs(seconds) < 2 * HOUR:
        return f"{seconds / MINUTE:.1f} min"
    return f"{seconds / HOUR:.2f} h"
