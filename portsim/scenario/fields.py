"""Field types shared by the scenario schema: units are converted here, once, at load time.

Every number a planner writes is checked for what it can mean: ``true`` and ``false`` are
never numbers, a clock time (``6:30``) is a time of day only where one is meant, and counts,
durations and the like have the plausible bounds below, each with its reason.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, StringConstraints

from ..units import DAY, is_clock_time, parse_duration, parse_rate, parse_time_of_day

__all__ = [
    "MAX_DURATION",
    "MAX_LANES",
    "MAX_PRIORITY",
    "MAX_REPLICATIONS",
    "STRICT",
    "UNIT_KEY",
    "Count",
    "Duration",
    "LaneCount",
    "Name",
    "NonNegativeDuration",
    "NonNegativeInt",
    "Number",
    "PositiveDuration",
    "PositiveInt",
    "Priority",
    "Probability",
    "Rate",
    "Replications",
    "TimeOfDay",
    "TimeOnDayOne",
    "plain_number",
]

#: Configuration of every schema dataclass: unknown fields are errors.
STRICT = ConfigDict(extra="forbid")

#: the mark a field type leaves in pydantic's JSON Schema, so that :mod:`.schema` can
#: describe it as written in files (``"45s"`` as well as ``45``)
UNIT_KEY = "x-portsim-unit"

#: the longest duration a file may give: ten years (no service, walk or horizon is longer)
MAX_DURATION = 3650 * DAY
#: the most lanes of one lane group: the largest ports have a few hundred channels in all;
#: a large count may stand in for "always a free lane", ten thousand is plenty for that
MAX_LANES = 10_000
#: the most replications of one run: 5 to 100 are usual, a thousand is a lot
MAX_REPLICATIONS = 10_000


_LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+$")


def plain_number(value: Any) -> Any:
    """Refuse ``true``/``false`` and clock times where a number is meant (pydantic would
    take ``true`` as 1)."""
    if isinstance(value, bool):
        raise ValueError(f"{str(value).lower()} is not a number: write a number here")
    if is_clock_time(value):
        raise ValueError(f"{value!r} is a clock time: a number is meant here")
    if isinstance(value, str) and _LEADING_ZERO.match(value):
        raise ValueError(
            f"{value!r} starts with a zero (YAML 1.1 would read it in octal): "
            f"write {value.lstrip('+-0') or '0'}"
        )
    return value


def _plausible(seconds: float) -> float:
    if seconds > MAX_DURATION:
        raise ValueError(
            f"{seconds:g} s is more than ten years ({MAX_DURATION:g} s): not a plausible time"
        )
    return seconds


_NUMBER = BeforeValidator(plain_number)

Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    Field(allow_inf_nan=False, json_schema_extra={UNIT_KEY: "duration"}),
    AfterValidator(_plausible),
]
"""Seconds; accepts ``45``, ``"45s"``, ``"2.5min"``, ``"8h"``, ``"1d"``."""

PositiveDuration = Annotated[Duration, Field(gt=0)]
NonNegativeDuration = Annotated[Duration, Field(ge=0)]

TimeOnDayOne = Annotated[
    float,
    BeforeValidator(parse_time_of_day),
    Field(ge=0, allow_inf_nan=False, json_schema_extra={UNIT_KEY: "time"}),
    AfterValidator(_plausible),
]
"""Seconds from 00:00 of day 1; accepts a clock time (``"06:30"``, ``6:30``, ``"24:00"``:
that time on day 1) or a duration (``6.5h``, ``23400``)."""

TimeOfDay = Annotated[TimeOnDayOne, Field(le=DAY)]
"""A time of day, 00:00 to 24:00, in seconds; a clock time or a duration from midnight."""

Rate = Annotated[
    float,
    BeforeValidator(parse_rate),
    Field(gt=0, allow_inf_nan=False, json_schema_extra={UNIT_KEY: "rate"}),
]
"""Events per second; accepts ``0.5`` or ``"1800/h"``."""

Name = Annotated[str, StringConstraints(strict=True, min_length=1, strip_whitespace=False)]
"""A name a planner gave: a flow, a stage, a lane group."""

Number = Annotated[float, _NUMBER, Field(allow_inf_nan=False)]
"""A finite number (not ``true``, not a clock time)."""

Count = Annotated[int, _NUMBER, Field(strict=True, ge=0)]
PositiveInt = Annotated[int, _NUMBER, Field(strict=True, ge=1)]
NonNegativeInt = Annotated[int, _NUMBER, Field(strict=True, ge=0)]
LaneCount = Annotated[Count, Field(le=MAX_LANES)]
"""Lanes of a lane group, 0 to :data:`MAX_LANES`."""
Replications = Annotated[PositiveInt, Field(le=MAX_REPLICATIONS)]
#: the most priority levels a file may number: a port has a handful (crew, diplomats, the
#: elderly and disabled, everyone else); a thousand leaves room for any numbering
MAX_PRIORITY = 1000
Priority = Annotated[NonNegativeInt, Field(le=MAX_PRIORITY)]
"""A priority level: 0 is served first, then 1, …; who has none is served after them."""
Probability = Annotated[float, _NUMBER, Field(ge=0, le=1, allow_inf_nan=False)]
