"""The plots of a comparison, with fixed file names (``portsim compare --plots DIR``):

==============================  =============================================================
``compare_waits.png``           each variant's time in port, mean and 95th-percentile wait
                                (in the order the comparison is judged on), for all
                                travellers and per flow, side by side with 95 % intervals
``compare_differences.png``     each variant minus the first, paired by replication (common
                                random numbers), with 95 % intervals: left of zero is shorter
``compare_pledges.png``         each pledge's share within its wait, per variant, against the
                                pledged share (only when the scenarios have pledges)
``compare_observed_waits.png``  the observed waits' ECDF and each variant's (``--observed``)
``VARIANT/…``                   each variant's own run plots (see :mod:`.plots`)
==============================  =============================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..results.catalog import Metric
from ..results.scopes import Scope
from ..results.statistics import Stat
from ..results.summary import PledgeResult, Summary
from ..run.compare import Comparison
from ..units import format_duration
from .charts import (
    FAIL_COLOUR,
    GREY,
    PALETTE,
    figures_once,
    legend,
    new_figure,
    save_png,
    wait_unit,
)
from .observed_variants import variants_figure
from .plots import write_run_plots
from .versus import compared_scopes

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "COMPARE_PLOTS",
    "OBSERVED_VARIANTS_PLOT",
    "comparison_figures",
    "differences_figure",
    "pledges_figure",
    "variant_folder",
    "variant_folders",
    "waits_figure",
    "write_comparison_plots",
]


def _scopes(comparison: Comparison) -> list[Scope]:
    """All travellers, then the first variant's flows."""
    return [scope for _, scope in compared_scopes(comparison)]


def _label(scope: Scope) -> str:
    return scope.words if scope.level == "overall" else scope.name


def _metrics(comparison: Comparison) -> tuple[Metric, ...]:
    """What the comparison is judged on, in its order (time in port beside the waits)."""
    return comparison.judged_on


def _errors(stats: Sequence[Stat | None]) -> tuple[np.ndarray, np.ndarray]:
    """Means (NaN where missing) and [below, above] distances to the 95 % interval's ends."""
    means, below, above = [], [], []
    for stat in stats:
        mean = np.nan if stat is None else stat.mean
        ci = None if stat is None else stat.interval
        means.append(mean)
        below.append(mean - ci[0] if ci else 0.0)
        above.append(ci[1] - mean if ci else 0.0)
    return np.array(means, dtype=float), np.array([below, above], dtype=float)


def _category_axis(ax: Axes, labels: list[str]) -> None:
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.grid(False, axis="y")


def _scale(m: Metric, values: Sequence[float]) -> tuple[float, str]:
    """Seconds per unit of the axis and its name (a duration's unit, or a share's %)."""
    if m.duration:
        return wait_unit(values)
    return (0.01, "%") if m.fraction else (1.0, m.unit.replace("_", " "))


def waits_figure(comparison: Comparison) -> Figure:
    """Each variant's metrics that the comparison is judged on (time in port, mean and
    95th-percentile wait), for all travellers and per flow, with 95 % intervals."""
    scopes = _scopes(comparison)
    names = comparison.variants
    metrics = _metrics(comparison)
    figure, axes = new_figure(
        "Time in port and waits by variant",
        _subtitle(comparison),
        len(metrics),
        columns=len(metrics),
    )
    height = 0.8 / len(names)
    for m, ax in zip(metrics, axes, strict=True):
        summaries = [comparison.results[name].summary for name in names]
        rows = [_errors([s.find(scope, m) for scope in scopes]) for s in summaries]
        unit, unit_name = _scale(m, [float(np.nanmax(v + e[1])) for v, e in rows])
        for v, (name, (means, errors)) in enumerate(zip(names, rows, strict=True)):
            ax.barh(
                np.arange(len(scopes)) + (v - (len(names) - 1) / 2) * height,
                means / unit,
                height=height * 0.9,
                xerr=errors / unit,
                color=PALETTE[v % len(PALETTE)],
                ecolor=GREY,
                capsize=2,
                label=name,
            )
        _category_axis(ax, [_label(scope) for scope in scopes])
        ax.set_xlabel(f"{m.words} ({unit_name})")
        ax.set_title(m.words, loc="left", fontsize=11)
        ax.set_xlim(left=0)
    legend(axes[-1], outside=True)
    return figure


def _subtitle(comparison: Comparison) -> str:
    return (
        f"{', '.join(comparison.variants)}: {comparison.replications} replications, "
        f"seed {comparison.seed}, common random numbers"
    )


def differences_figure(comparison: Comparison) -> Figure:
    """Each variant minus the first, on what the comparison is judged on, paired by
    replication, with 95 % intervals (an interval clear of zero is a difference the run
    can tell)."""
    scopes = _scopes(comparison)
    base, others = comparison.variants[0], comparison.variants[1:]
    metrics = _metrics(comparison)
    figure, axes = new_figure(
        f"How much each variant changes time in port and waits, against {base}",
        "paired by replication; whiskers: 95 % intervals; left of zero: shorter",
        len(metrics),
        columns=len(metrics),
    )
    height = 0.8 / len(others)
    for m, ax in zip(metrics, axes, strict=True):
        summaries = [comparison.differences[f"{name} - {base}"] for name in others]
        rows = [_errors([s.find(scope, m) for scope in scopes]) for s in summaries]
        unit, unit_name = _scale(m, [float(np.nanmax(np.abs(v) + e.max())) for v, e in rows])
        for v, (name, (means, errors)) in enumerate(zip(others, rows, strict=True), start=1):
            ax.errorbar(
                means / unit,
                np.arange(len(scopes)) + (v - 1 - (len(others) - 1) / 2) * height,
                xerr=errors / unit,
                fmt="o",
                color=PALETTE[v % len(PALETTE)],
                capsize=3,
                label=f"{name} − {base}",
            )
        ax.axvline(0, color=GREY, linewidth=1)
        _category_axis(ax, [_label(scope) for scope in scopes])
        ax.set_xlabel(f"change in {m.words} ({unit_name})")
        ax.set_title(m.words, loc="left", fontsize=11)
    legend(axes[-1], outside=True)
    return figure


def pledges_figure(comparison: Comparison) -> Figure | None:
    """Each pledge's share per variant, with 95 % intervals, against the pledged share."""
    first = comparison.results[comparison.variants[0]].summary
    names = [p.name for p in first.pledges]
    if not names:
        return None
    figure, axes = new_figure(
        "Do the pledges hold in each variant?",
        _subtitle(comparison),
        len(names),
        panel_height=0.9 + 0.45 * len(comparison.variants),
    )
    for name, ax in zip(names, axes, strict=True):
        rows = [_pledge(comparison.results[n].summary, name) for n in comparison.variants]
        means, errors = _errors([r.share if r else None for r in rows])
        colours = [PALETTE[v % len(PALETTE)] for v in range(len(rows))]
        positions = np.arange(len(rows))
        ax.barh(positions, means * 100, color=colours, height=0.6)
        ax.errorbar(means * 100, positions, xerr=errors * 100, fmt="none", ecolor=GREY, capsize=3)
        pledged = next(r for r in rows if r)
        ax.axvline(pledged.pledged * 100, color=FAIL_COLOUR, linestyle="--", label="pledged")
        _category_axis(ax, [f"{n} ({r.verdict if r else '-'})" for n, r in zip(
            comparison.variants, rows, strict=True)])  # fmt: skip
        lowest = np.nanmin(np.append(means - errors[0], pledged.pledged)) * 100
        ax.set_xlim(max(0.0, lowest - 3), 100.5)
        ax.set_xlabel(f"% within {format_duration(pledged.wait_within)}")
        ax.set_title(name, loc="left", fontsize=11)
        legend(ax, outside=True)
    return figure


def _pledge(summary: Summary, name: str) -> PledgeResult | None:
    return next((p for p in summary.pledges if p.name == name), None)


#: the observed waits beside each variant's (``compare --observed --plots``)
OBSERVED_VARIANTS_PLOT = "compare_observed_waits.png"

#: file name → the function that draws it (None: nothing to draw for this comparison)
COMPARE_PLOTS: dict[str, Callable[[Comparison], Figure | None]] = {
    "compare_waits.png": waits_figure,
    "compare_differences.png": differences_figure,
    "compare_pledges.png": pledges_figure,
}


def comparison_figures(comparison: Comparison) -> dict[str, Figure]:
    """Every comparison plot this comparison has, by file name."""
    return figures_once(_comparison_figures, comparison)


def _comparison_figures(comparison: Comparison) -> dict[str, Figure]:
    figures = {name: draw(comparison) for name, draw in COMPARE_PLOTS.items()}
    return {name: figure for name, figure in figures.items() if figure is not None}


def variant_folder(name: str) -> str:
    """A folder name for a variant: its name with anything but letters, digits, ``-``,
    ``_`` and ``.`` as ``_``."""
    return re.sub(r"[^\w.-]", "_", name) or "_"


def variant_folders(names: Sequence[str]) -> dict[str, str]:
    """Each variant's folder, one per variant: names that would share one (``a/b`` and
    ``a_b``) take ``-2``, ``-3``, … after the first, in the order given."""
    folders: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = folder = variant_folder(name)
        n = 1
        while folder in taken:
            n += 1
            folder = f"{base}-{n}"
        taken.add(folder)
        folders[name] = folder
    return folders


def write_comparison_plots(comparison: Comparison, directory: str | Path) -> list[Path]:
    """Write the comparison plots into ``directory`` and each variant's run plots into a
    folder named after it."""
    directory = Path(directory)
    paths = [save_png(f, directory / n) for n, f in comparison_figures(comparison).items()]
    if any(comparison.results[n].observed is not None for n in comparison.variants):
        figure = variants_figure(comparison)  # the HTML shows it in its own section
        paths.append(save_png(figure, directory / OBSERVED_VARIANTS_PLOT))
    for name, folder in variant_folders(comparison.variants).items():
        paths += write_run_plots(comparison.results[name], directory / folder)
    return paths
