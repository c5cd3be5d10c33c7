"""The charts of a fit: the Q–Q plot of a sample of times against the families fitted to it
(``portsim fit times --qq FILE.png``), and the observed and simulated waits' ECDFs overlaid
(``portsim fit waits --ecdf FILE.png``). Drawn without pyplot, as every portsim chart."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..fit.families import frozen
from ..fit.times import TimesFit
from ..fit.waits import QUANTILES, WaitsComparison
from ..units import MINUTE
from .charts import GREY, PALETTE, legend, new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["ecdf_figure", "qq_figure"]

#: the families a Q–Q plot draws, best first
QQ_FAMILIES = 3


def _unit(largest: float) -> tuple[float, str]:
    return (MINUTE, "min") if largest >= 10 * MINUTE else (1.0, "s")


def qq_figure(fit: TimesFit) -> Figure:
    """The sample's quantiles (y) against each of the best families' (x) at the plotting
    positions (i − ½)/n: a family that fits lies on the diagonal."""
    per, unit = _unit(float(fit.sample[-1]))
    n = fit.size
    positions = (np.arange(1, n + 1) - 0.5) / n
    figure, (ax,) = new_figure(
        "Q–Q plot: observed times against the fitted families",
        f"{fit.source}: {n:,} times; chosen: {fit.chosen}",
        panel_height=5.0,
    )
    top = 0.0
    for colour, family in zip(PALETTE, fit.ranking[:QQ_FAMILIES], strict=False):
        fitted = frozen(family.family, family.params).ppf(positions) / per
        top = max(top, float(fitted[-1]))
        p = fit.p_values[family.family]
        label = f"{family.family} (AIC {family.aic:,.1f}, bootstrap p = {p:.3f})"
        ax.plot(fitted, fit.sample / per, "o", markersize=3, alpha=0.7, color=colour, label=label)
    top = max(top, float(fit.sample[-1]) / per)
    ax.plot([0, top], [0, top], color=GREY, linewidth=1, label="a perfect fit")
    ax.set_xlim(0, top * 1.02)
    ax.set_ylim(0, top * 1.02)
    ax.set_xlabel(f"fitted quantile ({unit})")
    ax.set_ylabel(f"observed time ({unit})")
    legend(ax, loc="upper left")
    return figure


def ecdf_figure(comparison: WaitsComparison) -> Figure:
    """The share of observed and of simulated waits at most so long, with their 95th
    percentiles marked and the distances in the subtitle."""
    per, unit = _unit(float(max(comparison.observed[-1], comparison.simulated[-1])))
    where = " at ".join(part for part in (comparison.flow, comparison.stage) if part)
    figure, (ax,) = new_figure(
        "Observed and simulated waits",
        f"{where or 'every visit'}: KS {comparison.ks:.3f}, "
        f"Wasserstein {comparison.wasserstein:.1f} s",
        panel_height=4.5,
    )
    quantiles = comparison.quantiles()
    for colour, (label, values, pick) in zip(
        PALETTE,
        (("observed", comparison.observed, 0), ("simulated", comparison.simulated, 1)),
        strict=False,
    ):
        shares = np.arange(len(values) + 1) / len(values)  # from nobody, before the least
        waits = np.concatenate(([0.0], values)) / per
        ax.step(waits, shares, where="post", color=colour, linewidth=1.6,
                label=f"{label} ({len(values):,} waits)")  # fmt: skip
        p95 = quantiles[QUANTILES[-1]][pick] / per
        ax.axvline(p95, color=colour, linestyle=":", linewidth=1)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.set_xlabel(f"wait ({unit}); dotted: each one's 95th percentile")
    ax.set_ylabel("share who waited at most so long")
    legend(ax, loc="lower right")
    return figure
