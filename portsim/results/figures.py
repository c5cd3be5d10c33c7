"""Documented figures beside the simulated ones: ``ratio`` = simulated / documented."""

from __future__ import annotations

import math
from typing import Any

from ..model.model import CompiledFigure
from .rows import MetricKey, key_of_path
from .statistics import Stat

__all__ = ["compare_figures", "resolve_metric"]


def resolve_metric(summary: dict[str, Any], path: str) -> Any:
    """The node at a dotted path of the run JSON, or ``None`` if there is none."""
    node: Any = summary
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def compare_figures(
    figures: tuple[CompiledFigure, ...], stats: dict[MetricKey, Stat]
) -> list[dict[str, Any]]:
    """Each documented figure beside the simulated one: the sum of the means of the metrics
    it names (NaN where one has no value)."""
    rows = []
    for figure in figures:
        simulated = 0.0
        for path in figure.paths:
            key = key_of_path(path)
            stat = stats.get(key) if key is not None else None
            value = stat["mean"] if stat is not None else None
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
                "check": figure.check,
                "documented": figure.value,
                "simulated": simulated,
                "ratio": ratio,
            }
        )
    return rows
