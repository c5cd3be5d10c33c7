"""Documented figures: what the port authorities published, beside what the model gives.

A figure names the metric of the run JSON it corresponds to (``compare_to``: a path such as
``overall.served_per_day`` or ``stages.exit.wait_mean_s``); the report gives the simulated
mean and ``ratio`` = simulated / documented. A figure of demand (served, arrivals) is a
calibration check: the scenario was built to match it. A figure of an outcome (a wait, a
clearance time) is a validation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field

from ._metric_names import DEMAND_METRICS
from ._schema import STRICT

__all__ = ["ReferenceFigure", "compare_figures", "resolve_metric"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReferenceFigure:
    """A published figure and the metric it corresponds to."""

    __pydantic_config__ = STRICT
    figure: Annotated[str, Field(min_length=1)]
    value: float
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


def resolve_metric(summary: dict[str, Any], path: str) -> Any:
    """The node at a dotted path of the run JSON, or ``None`` if there is none."""
    node: Any = summary
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def compare_figures(
    figures: tuple[ReferenceFigure, ...], summary: dict[str, Any]
) -> list[dict[str, Any]]:
    """Each documented figure beside the simulated one."""
    rows = []
    for figure in figures:
        simulated = 0.0
        for path in figure.paths:
            metric = resolve_metric(summary, path)
            value = metric.get("mean") if isinstance(metric, dict) else None
            simulated += math.nan if value is None else value
        ratio = simulated / figure.value if figure.value else math.nan
        rows.append(
            {
                "figure": figure.figure,
                "source": figure.source,
                "unit": figure.unit,
                "compare_to": figure.compare_to
                if isinstance(figure.compare_to, str)
                else list(figure.compare_to),
                "check": figure.kind,
                "documented": figure.value,
                "simulated": simulated,
                "ratio": ratio,
            }
        )
    return rows
