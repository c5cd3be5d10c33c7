"""Plots of a sweep: one metric over the varied parameters, with a condition's bound marked.

These take plain data (numbers and labels), not result objects, so that any command that
varies a scenario (a sweep, a plan, a capacity search) can draw them:

* :func:`sweep_heatmap`: two varied parameters, one cell per combination;
* :func:`sweep_lines`: one varied parameter on the x axis, a line per value of another (or
  a single line), with 95 % intervals as a band.

A cell or point that meets the bound is marked (``better`` says which way is good), or,
given ``meets``, each one the caller judged to meet it (a whole interval on the right side
of the bound, say). The configuration the answer chose (``chosen``) is ringed, with a legend
entry that says so (its label starts with :data:`CHOSEN`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np

from ..charts import FAIL_COLOUR, GREY, PALETTE, legend, new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

__all__ = ["CHOSEN", "sweep_heatmap", "sweep_lines"]

Better = Literal["lower", "higher"]
#: the legend entry of the configuration the answer chose
CHOSEN = "chosen"
#: its ring's colour: apart from the colour scale and the bound's red
CHOSEN_COLOUR = "#1d4ed8"
#: cells past this fraction of the colour scale (towards red) get white text
DARK_FROM = 0.6


def _meets(value: float, bound: float | None, better: Better) -> bool:
    if bound is None or math.isnan(value):
        return False
    return value <= bound if better == "lower" else value >= bound


def sweep_heatmap(
    values: Sequence[Sequence[float]],
    x: Sequence[object],
    y: Sequence[object],
    *,
    x_label: str,
    y_label: str,
    metric_label: str,
    title: str,
    subtitle: str = "",
    bound: float | None = None,
    better: Better = "lower",
    meets: Sequence[Sequence[bool]] | None = None,
    chosen: tuple[int, int] | None = None,
    chosen_label: str = CHOSEN,
) -> Figure:
    """A heat map of ``values[i][j]`` (the metric at ``y[i]``, ``x[j]``; NaN: not run), each
    cell labelled with its value; cells that meet ``bound`` (or those ``meets`` marks) are
    outlined and ticked; the ``chosen`` cell ``(i, j)`` ringed, labelled ``chosen_label``."""
    data = np.array(values, dtype=float)
    if data.shape != (len(y), len(x)):
        raise ValueError(f"values must be {len(y)} rows of {len(x)}, not {data.shape}")
    marked = (
        np.array(meets, dtype=bool).reshape(data.shape)
        if meets is not None
        else np.array([[_meets(v, bound, better) for v in row] for row in data], dtype=bool)
    )
    figure, (ax,) = new_figure(title, subtitle, panel_height=max(3.0, 0.5 * len(y) + 1.5))
    colours = "YlOrRd" if better == "lower" else "YlOrRd_r"  # red: the bad end
    image = ax.imshow(np.ma.masked_invalid(data), cmap=colours, aspect="auto", origin="lower")
    bar = figure.colorbar(image, ax=ax)
    bar.set_label(metric_label)
    finite = data[np.isfinite(data)]
    low, high = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    for i in range(len(y)):
        for j in range(len(x)):
            value = data[i, j]
            meets_it = bool(marked[i, j])
            text = "-" if math.isnan(value) else f"{value:.3g}" + (" ✓" if meets_it else "")
            place = (value - low) / (high - low) if high > low else 0.0
            dark = place > DARK_FROM if better == "lower" else place < 1 - DARK_FROM
            ax.text(j, i, text, ha="center", va="center", fontsize=9,
                    color="white" if dark else "black")  # fmt: skip
            if meets_it:
                ax.add_patch(_outline(j, i))
    ax.set_xticks(range(len(x)), [str(v) for v in x])
    ax.set_yticks(range(len(y)), [str(v) for v in y])
    ax.grid(False)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    if bound is not None:
        sign = "≤" if better == "lower" else "≥"
        judged = "its whole 95 % interval meets" if meets is not None else "meets"
        label = f"✓ outlined: {judged} the target ({sign} {bound:g})"
        ax.plot([], [], color="black", linewidth=2.5, label=label)
    if chosen is not None:
        ax.add_patch(_ring(chosen[1], chosen[0], chosen_label))
    legend(ax, loc="upper left", anchor=(0.0, -0.16))
    return figure


def _ring(j: int, i: int, label: str) -> Patch:
    from matplotlib.patches import Ellipse  # noqa: PLC0415

    return Ellipse(
        (j, i), 0.98, 0.9, fill=False, ec=CHOSEN_COLOUR, lw=3, ls="-", label=label, zorder=4
    )


def _outline(j: int, i: int) -> Patch:
    from matplotlib.patches import Rectangle  # noqa: PLC0415

    return Rectangle((j - 0.46, i - 0.46), 0.92, 0.92, fill=False, ec="black", lw=2.5)


def sweep_lines(
    x: Sequence[float],
    series: Mapping[str, Sequence[float]],
    *,
    x_label: str,
    metric_label: str,
    title: str,
    subtitle: str = "",
    intervals: Mapping[str, Sequence[tuple[float, float] | None]] | None = None,
    bound: float | None = None,
    better: Better = "lower",
    meets: Mapping[str, Sequence[bool]] | None = None,
    chosen: int | None = None,
    chosen_label: str = CHOSEN,
) -> Figure:
    """The metric against ``x``, one line per entry of ``series`` (its label → a value per
    ``x``), with the 95 % ``intervals`` as bands; the bound as a dashed line, points that
    meet it (or those ``meets`` marks) filled, the others hollow; the ``chosen`` point (an
    index into ``x``, on every line) ringed, labelled ``chosen_label``."""
    figure, (ax,) = new_figure(title, subtitle)
    xs = np.array(x, dtype=float)
    for (label, ys), colour in zip(series.items(), PALETTE * 4, strict=False):
        values = np.array(ys, dtype=float)
        if len(values) != len(xs):
            raise ValueError(f"series {label!r} has {len(values)} values for {len(xs)} x")
        ax.plot(xs, values, color=colour, label=label)
        bands = (intervals or {}).get(label)
        if bands is not None:
            low = np.array([b[0] if b else np.nan for b in bands], dtype=float)
            high = np.array([b[1] if b else np.nan for b in bands], dtype=float)
            ax.fill_between(xs, low, high, color=colour, alpha=0.2, linewidth=0)
        given = (meets or {}).get(label)
        filled = np.array(
            given if given is not None else [_meets(v, bound, better) for v in values],
            dtype=bool,
        )
        ax.scatter(xs[filled], values[filled], color=colour, zorder=3)
        ax.scatter(xs[~filled], values[~filled], facecolor="white", edgecolor=colour, zorder=3)
    if bound is not None:
        ax.axhline(bound, color=FAIL_COLOUR, linestyle="--", label=f"target {bound:g}")
    ax.set_xlabel(x_label)
    ax.set_ylabel(metric_label)
    if intervals:
        ax.plot([], [], color=GREY, alpha=0.3, linewidth=8, label="95 % interval")
    judged = "its whole 95 % interval meets" if meets is not None else "meets"
    ax.plot([], [], "o", color=GREY, label=f"filled: {judged} the target")
    if chosen is not None:
        ys = [float(values[chosen]) for values in series.values()]
        ax.scatter(
            [xs[chosen]] * len(ys), ys, s=260, facecolor="none", edgecolor=CHOSEN_COLOUR,
            linewidth=2.5, zorder=4, label=chosen_label,
        )  # fmt: skip
    legend(ax, outside=True)
    return figure
