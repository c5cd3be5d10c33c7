"""The chart of a sensitivity table (:func:`portsim.sensitivity`): a tornado chart, each
assumption a row with the largest swing at the top, a bar from the file's answer to the
answer at the assumption's low setting and one to its high setting, each with the 95 %
interval of the change (paired by replication)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...planning.sensitivity import Estimate, SensitivityResult
from ...results.catalog import row_metric
from ...results.rows import key_of_path
from ...results.scopes import Scope
from ..charts import PALETTE, legend, new_figure, percent_formatter, wait_unit
from ..validation import figure_text, metric_kind

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["answer_words", "base_text", "sensitivity_figure"]

#: inches a row of the chart takes
ROW_HEIGHT = 0.55


def answer_words(paths: Sequence[str]) -> str:
    """What the answer is, in the catalog's words: ``all travellers 95th-percentile wait``
    (several metrics added up: joined by ``+``; a path the catalog does not know: as is)."""
    words = []
    for path in paths:
        key = key_of_path(path)
        if key is None:
            words.append(path)
            continue
        level, name, group, _, metric = key
        words.append(f"{Scope(level, name, group).words} {row_metric(metric)[0].words}")
    return " + ".join(words)


def base_text(result: SensitivityResult) -> str:
    """The answer as in the file, in its unit: ``49.6 min``."""
    return figure_text(result.base[0], metric_kind(result.metric))


def _scale(kind: str, values: list[float]) -> tuple[float, str]:
    """(per unit, the axis's words) for the chart's values."""
    if kind == "duration":
        per, unit = wait_unit(values)
        return per, f"change from the file's answer ({unit})"
    if kind == "fraction":
        return 0.01, "change from the file's answer (percentage points)"
    return 1.0, "change from the file's answer"


def _bar(change: Estimate, per: float) -> tuple[float, tuple[float, float]]:
    mean, ci = change
    if math.isnan(mean):
        return 0.0, (0.0, 0.0)
    value = mean / per
    if not ci:
        return value, (0.0, 0.0)
    return value, (value - ci[0] / per, ci[1] / per - value)


def sensitivity_figure(result: SensitivityResult) -> Figure:
    """A tornado chart of a sensitivity table: how far each assumption's low and high
    setting moves the answer from the file's own, with 95 % intervals, the assumption the
    answer depends on most at the top."""
    kind = metric_kind(result.metric)
    changes = [c[0] for r in result.rows for c in (r.low_change, r.high_change)]
    per, axis = _scale(kind, [abs(v) for v in changes if not math.isnan(v)])
    subtitle = (
        f"{' + '.join(result.metric)}; {result.replications} replications, seed {result.seed}"
    )
    height = max(1.5, ROW_HEIGHT * len(result.rows))
    figure, (ax,) = new_figure(
        "Which assumption moves the answer most", subtitle, panel_height=height
    )
    names = [r.assumption.name for r in result.rows][::-1]
    for side, colour, offset in (("low", PALETTE[0], 0.18), ("high", PALETTE[1], -0.18)):
        bars = [_bar(r.low_change if side == "low" else r.high_change, per) for r in result.rows]
        values = [b[0] for b in bars][::-1]
        errors = [[b[1][0] for b in bars][::-1], [b[1][1] for b in bars][::-1]]
        y = [i + offset for i in range(len(names))]
        ax.barh(y, values, height=0.34, color=colour, label=f"{side} setting")
        ax.errorbar(values, y, xerr=errors, fmt="none", ecolor="#374151", capsize=3, lw=1)
    ax.axvline(0, color="#111827", linewidth=1)
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel(axis)
    if kind == "fraction":
        ax.xaxis.set_major_formatter(percent_formatter())
    legend(ax, outside=True)
    return figure
