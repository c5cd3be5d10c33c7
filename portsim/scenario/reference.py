"""Documented figures as a scenario states them: what the port authorities published.

A figure names the metric of the run JSON it corresponds to (``compare_to``: a path such as
``overall.served_per_day``, ``stages.exit.wait_mean_s`` or ``targets.NAME.share``). A figure
of demand (served, arrivals) is a calibration check: the scenario was built to match it. A
figure of an outcome (a wait, a pledge met, a longest wait) is a validation: the scenario
must reproduce it. ``low`` and ``high`` state what the publication allows ("within the
pledged 25 minutes": ``high: 25min``; "20-30 s": both); without them the figure is the
point ``value``. The comparison and its verdict are in :mod:`portsim.results.figures`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from ..units import parse_duration
from .fields import STRICT, UNIT_KEY, plain_number

__all__ = ["TIME_UNITS", "FigureValue", "ReferenceFigure", "is_time_unit"]

#: the units of a figure that say it is a duration (how a publication or a planner writes
#: them); a figure with one of them is compared with a metric in seconds
TIME_UNITS = frozenset(
    {"s", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes", "h", "hr",
     "hrs", "hour", "hours", "d", "day", "days"}
)  # fmt: skip


def is_time_unit(unit: str) -> bool:
    """Whether a figure's ``unit`` is one of time (``min``, ``hours``)."""
    return unit.strip().lower() in TIME_UNITS


def _written_unit(value: object) -> str | None:
    """The unit a duration is written with (``min`` of ``25min``), if it is one."""
    if not isinstance(value, str):
        return None
    try:
        parse_duration(value)
    except ValueError:
        return None
    return value.strip().lstrip("+-0123456789.eE").strip()


def _figure_value(value: object) -> object:
    """A number as published, or a duration with a unit (``25min``) for a figure of time,
    which the run JSON gives in seconds."""
    value = plain_number(value)
    if not isinstance(value, str):
        return value
    try:
        return parse_duration(value)
    except ValueError:
        raise ValueError(
            f"{value!r} is not a figure: write a number (489000, 0.95) or a duration with a "
            "unit (25min, 37.2min, 90s)"
        ) from None


FigureValue = Annotated[
    float,
    BeforeValidator(_figure_value),
    Field(allow_inf_nan=False, json_schema_extra={UNIT_KEY: "figure"}),
]
"""A published figure: a number, or a duration with a unit (seconds, as the run JSON's
waits are)."""

Confidence = Literal["H", "M", "L"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReferenceFigure:
    """A published figure, the metric it corresponds to and what the publication allows."""

    __pydantic_config__ = STRICT
    figure: Annotated[str, Field(min_length=1)]
    value: FigureValue
    unit: str = ""
    source: Annotated[str, Field(min_length=1)]
    #: a metric path of the run JSON, or a list of them whose means add up to the figure
    compare_to: (
        Annotated[str, Field(min_length=1)]
        | Annotated[tuple[Annotated[str, Field(min_length=1)], ...], Field(min_length=1)]
    )
    check: Literal["calibration", "validation"] | None = None
    #: the published interval: the figure allows no less than ``low`` ...
    low: FigureValue | None = None
    #: ... and no more than ``high`` (either may be left out: a bound)
    high: FigureValue | None = None
    #: H (government or peer-reviewed), M (reputable news), L (secondary or derived)
    confidence: Confidence | None = None
    #: what the reader should know beside the verdict: how the figure was read, what would
    #: have to be true for it to be reproduced
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _unit_of_a_duration(cls, data: Any) -> Any:
        """A figure written as a duration (``value: 25min``) and no ``unit`` is in that
        unit: a duration, compared with a metric in seconds (the check of the metric's unit
        is :func:`portsim.results.figures.check_figures`)."""
        if not isinstance(data, Mapping) or data.get("unit"):
            return data
        written = [_written_unit(data.get(key)) for key in ("value", "low", "high")]
        unit = next((u for u in written if u), None)
        return {**data, "unit": unit} if unit else data

    def __post_init__(self) -> None:
        for path in self.paths:
            if self.paths.count(path) > 1:
                raise ValueError(f"compare_to names {path} twice: its value would be added twice")
        if self.low is not None and self.value < self.low:
            raise ValueError(f"value ({self.value:g}) is below low ({self.low:g})")
        if self.high is not None and self.value > self.high:
            raise ValueError(f"value ({self.value:g}) is above high ({self.high:g})")

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.compare_to,) if isinstance(self.compare_to, str) else self.compare_to
