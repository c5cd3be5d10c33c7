"""The plots of a comparison, with fixed file names (``portsim compare --plots DIR``):

==========================  =============================================================
``compare_waits.png``       each variant's mean and 95th-percentile wait, for all
                            travellers and per flow, side by side with 95 % intervals
``compare_differences.png`` each variant minus the first, paired by replication (common
                            random numbers), with 95 % intervals: left of zero is shorter
``compare_pledges.png``     each pledge's share within its wait, per variant, against the
                            pledged share (only when the scenarios have pledges)
``VARIANT/…``               each variant's own run plots (see :mod:`.plots`)
==========================  =============================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..results.figures import resolve_metric
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
from .plots import write_run_plots

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "COMPARE_PLOTS",
    "comparison_figures",
    "differences_figure",
    "pledges_figure",
    "variant_folder",
    "variant_folders",
    "waits_figure",
    "write_comparison_plots",
]

_METRICS = (("wait_mean_s", "mean wait"), ("wait_p95_s", "95th-percentile wait"))


def _scopes(comparison: Comparison) -> list[tuple[str, str]]:
    """(path in the run JSON, label): all travellers, then the first variant's flows."""
    first = comparison.results[comparison.variants[0]].summary
    return [("overall", "all travellers"), *((f"flows.{f}", f) for f in first["flows"])]


def _errors(stats: list[dict[str, Any] | None]) -> tuple[np.ndarray, np.ndarray]:
    """Means (NaN where missing) and [below, above] half-widths of 95 % intervals."""
    means, below, above = [], [], []
    for stat in stats:
        mean = np.nan if stat is None or stat["mean"] is None else stat["mean"]
        ci = stat.get("ci95") if stat else None
        means.append(mean)
        below.append(mean - ci[0] if ci else 0.0)
        above.append(ci[1] - mean if ci else 0.0)
    return np.array(means, dtype=float), np.array([below, above], dtype=float)


def _category_axis(ax: Axes, labels: list[str]) -> None:
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.grid(False, axis="y")


def waits_figure(comparison: Comparison) -> Figure:
    """Each variant's mean and 95th-percentile wait per flow, with 95 % intervals."""
    scopes = _scopes(comparison)
    names = comparison.variants
    figure, axes = new_figure(
        "Waits by variant", _subtitle(comparison), len(_METRICS), columns=len(_METRICS)
    )
    height = 0.8 / len(names)
    for (metric, label), ax in zip(_METRICS, axes, strict=True):
        blocks = [comparison.results[name].summary for name in names]
        rows = [_errors([_stat(b, path, metric) for path, _ in scopes]) for b in blocks]
        unit, unit_name = wait_unit([float(np.nanmax(m + e[1])) for m, e in rows])
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
        _category_axis(ax, [lab for _, lab in scopes])
        ax.set_xlabel(f"{label} ({unit_name})")
        ax.set_title(label, loc="left", fontsize=11)
        ax.set_xlim(left=0)
    legend(axes[-1], outside=True)
    return figure


def _stat(block: dict[str, Any], path: str, metric: str) -> dict[str, Any] | None:
    node = resolve_metric(block, path)
    return node.get(metric) if isinstance(node, dict) else None


def _subtitle(comparison: Comparison) -> str:
    return (
        f"{', '.join(comparison.variants)}: {comparison.replications} replications, "
        f"seed {comparison.seed}, common random numbers"
    )


def differences_figure(comparison: Comparison) -> Figure:
    """Each variant minus the first: mean and 95th-percentile wait, paired by replication,
    with 95 % intervals (an interval clear of zero is a difference the run can tell)."""
    scopes = _scopes(comparison)
    base, others = comparison.variants[0], comparison.variants[1:]
    figure, axes = new_figure(
        f"How much each variant changes the waits, against {base}",
        "paired by replication; whiskers: 95 % intervals; left of zero: shorter waits",
        len(_METRICS),
        columns=len(_METRICS),
    )
    height = 0.8 / len(others)
    for (metric, label), ax in zip(_METRICS, axes, strict=True):
        blocks = [comparison.differences[f"{name} - {base}"] for name in others]
        rows = [_errors([_stat(b, path, metric) for path, _ in scopes]) for b in blocks]
        unit, unit_name = wait_unit([float(np.nanmax(np.abs(m) + e.max())) for m, e in rows])
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
        _category_axis(ax, [lab for _, lab in scopes])
        ax.set_xlabel(f"change in {label} ({unit_name})")
        ax.set_title(label, loc="left", fontsize=11)
    legend(axes[-1], outside=True)
    return figure


def pledges_figure(comparison: Comparison) -> Figure | None:
    """Each pledge's share per variant, with 95 % intervals, against the pledged share."""
    first = comparison.results[comparison.variants[0]].summary
    targets = [t["name"] for t in first.get("targets", [])]
    if not targets:
        return None
    figure, axes = new_figure(
        "Do the pledges hold in each variant?",
        _subtitle(comparison),
        len(targets),
        panel_height=0.9 + 0.45 * len(comparison.variants),
    )
    for target, ax in zip(targets, axes, strict=True):
        rows = [_target(comparison.results[n].summary, target) for n in comparison.variants]
        means, errors = _errors([r["share"] if r else None for r in rows])
        colours = [PALETTE[v % len(PALETTE)] for v in range(len(rows))]
        positions = np.arange(len(rows))
        ax.barh(positions, means * 100, color=colours, height=0.6)
        ax.errorbar(means * 100, positions, xerr=errors * 100, fmt="none", ecolor=GREY, capsize=3)
        pledged = next(r for r in rows if r)
        ax.axvline(pledged["target"] * 100, color=FAIL_COLOUR, linestyle="--", label="pledged")
        _category_axis(ax, [f"{n} ({r['verdict'] if r else '-'})" for n, r in zip(
            comparison.variants, rows, strict=True)])  # fmt: skip
        lowest = np.nanmin(np.append(means - errors[0], pledged["target"])) * 100
        ax.set_xlim(max(0.0, lowest - 3), 100.5)
        ax.set_xlabel(f"% within {format_duration(pledged['wait_within_s'])}")
        ax.set_title(target, loc="left", fontsize=11)
        legend(ax, outside=True)
    return figure


def _target(summary: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((t for t in summary.get("targets", []) if t["name"] == name), None)


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
    for name, folder in variant_folders(comparison.variants).items():
        paths += write_run_plots(comparison.results[name], directory / folder)
    return paths
