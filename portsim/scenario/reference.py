"""Documented figures as a scenario states them: what the port authorities published.

A figure names the metric of the run JSON it corresponds to (``compare_to``: a path such as
``overall.served_per_day`` or ``stages.exit.wait_mean_s``). A figure of demand (served,
arrivals) is a calibration check: the scenario was built to match it. A figure of an outcome
(a wait, a clearance time) is a validation. The comparison is in
:mod:`portsim.results.figures`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field

from ..metric_names import DEMAND_METRICS
from .fields import STRICT, Number

__all__ = ["ReferenceFigure"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReferenceFigure:
    """A published figure and the metric it corresponds to."""

    __pydantic_config__ = STRICT
    figure: Annotated[str, Field(min_length=1)]
    value: Number
    unit: str = ""
    source: Annotated[str, Field(min_length=1)]
    #: a metric path of the run JSON, or a list of them whose means add up to the figure
    compare_to: (
        Annotated[str, Field(min_length=1)]
        | Annotated[tuple[Annotated[str, Field(min_length=1)], ...], Field(min_length=1)]
    )
    check: Literal["calibration", "validation"] | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.compare_to,) if isinstance(self.compare_to, str) else self.compare_to

    @property
    def kind(self) -> str:
        """``calibration`` for a figure of demand, ``validation`` for an outcome."""
        if self.check is not None:
            return self.check
        metrics = {path.rsplit(".", 1)[-1] for path in self.paths}
        return "calibration" if metrics <= DEMAND_METRICS else "validation"
