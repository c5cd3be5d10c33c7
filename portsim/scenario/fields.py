"""Field types shared by the scenario schema: units are converted here, once, at load time."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints

from ..units import parse_duration, parse_rate

#: Configuration of every schema dataclass: unknown fields are errors.
STRICT = ConfigDict(extra="forbid")

#: the mark a field type leaves in pydantic's JSON Schema, so that :mod:`.schema` can
#: describe it as written in files (``"45s"`` as well as ``45``)
UNIT_KEY = "x-portsim-unit"

Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    Field(allow_inf_nan=False, json_schema_extra={UNIT_KEY: "duration"}),
]
"""Seconds; accepts ``45``, ``"45s"``, ``"2.5min"``, ``"8h"``, ``"1d"``."""

PositiveDuration = Annotated[Duration, Field(gt=0)]
NonNegativeDuration = Annotated[Duration, Field(ge=0)]

Rate = Annotated[
    float,
    BeforeValidator(parse_rate),
    Field(gt=0, allow_inf_nan=False, json_schema_extra={UNIT_KEY: "rate"}),
]
"""Events per second; accepts ``0.5`` or ``"1800/h"``."""

Name = Annotated[str, StringConstraints(strict=True, min_length=1, strip_whitespace=False)]
"""A name a planner gave: a flow, a stage, a lane group."""

Count = Annotated[int, Field(strict=True, ge=0)]
PositiveInt = Annotated[int, Field(strict=True, ge=1)]
NonNegativeInt = Annotated[int, Field(strict=True, ge=0)]
Probability = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
