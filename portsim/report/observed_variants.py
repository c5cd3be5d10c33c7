"""Observed waits beside each variant of a comparison (``portsim compare --observed
waits.csv``): each variant's mean and 95th-percentile wait with their intervals, where the
observed 95th percentile lies against each, the distances, and the ECDFs in one chart; in
the text, the HTML report and the notebook."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..results.catalog import WAIT_MEAN
from ..results.observed import LEAD, ObservedWaits
from ..run.compare import Comparison
from ..units import counted, format_duration
from .cells import stat_text, value_text
from .observed import aligned, or_none, value_and_ends, where_words
from .tables import Table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["variants_figure", "variants_lines", "variants_section", "variants_table"]

#: the line styles of the variants' curves, one for each round of the palette's colours
_STYLES = ("-", "--", "-.", ":")


def _each(comparison: Comparison) -> dict[str, ObservedWaits]:
    results = comparison.results
    return {n: o for n in comparison.variants if (o := results[n].observed) is not None}


def variants_table(comparison: Comparison) -> Table | None:
    """Each variant's mean and 95th-percentile wait beside the observed ones, where the
    observed p95 lies, and the distances (None without observed waits)."""
    each = _each(comparison)
    if not each:
        return None
    first = next(iter(each.values()))
    rows, csv_rows = [], []
    for name, observed in each.items():
        mean, lead = observed.rows()[0], observed.lead()
        rows.append(
            [
                name,
                stat_text(WAIT_MEAN, mean.simulated, interval=True),
                value_and_ends(LEAD, lead.simulated),
                where_words(lead),
                f"{observed.ks:.3f}",
                format_duration(observed.wasserstein),
            ]
        )
        csv_rows.append(
            [
                name,
                mean.simulated.mean,
                lead.simulated.mean,
                or_none(lead.simulated.low),
                or_none(lead.simulated.high),
                lead.position,
                observed.ks,
                observed.wasserstein,
            ]
        )
    lead = first.lead()
    return Table(
        name="observed_by_variant",
        title=f"Observed waits beside each variant: {first.compared or 'every visit'}",
        headers=[
            "variant",
            WAIT_MEAN.words,
            LEAD.words,
            f"the observed {LEAD.words}",
            "KS",
            "Wasserstein",
        ],
        rows=rows,
        csv_headers=[
            "variant",
            "simulated_mean_s",
            "simulated_p95_s",
            "simulated_p95_ci95_low_s",
            "simulated_p95_ci95_high_s",
            "observed_p95_position",
            "ks",
            "wasserstein_s",
        ],
        csv_rows=csv_rows,  # type: ignore[arg-type]
        note=f"Observed: {WAIT_MEAN.words} {value_text(WAIT_MEAN, first.rows()[0].observed)}, "
        f"{LEAD.words} {value_text(LEAD, lead.observed)} ({_sizes_observed(first)}). Each "
        "variant's: the mean over the replications with its 95 % confidence interval.",
        numeric=frozenset({1, 2, 4, 5}),
    )


def _sizes_observed(observed: ObservedWaits) -> str:
    return f"{counted(len(observed.observed), 'wait')} from {observed.source}"


def variants_lines(comparison: Comparison) -> list[str]:
    """The comparison's text section (nothing without observed waits)."""
    table = variants_table(comparison)
    if table is None:
        return []
    return ["", table.title, table.note, *aligned(table)]


def variants_figure(comparison: Comparison) -> Figure:
    """The observed ECDF and each variant's, one chart."""
    from .charts import PALETTE, legend, new_figure, wait_unit  # noqa: PLC0415 - matplotlib

    each = _each(comparison)
    first = next(iter(each.values()))
    top = max(float(o.simulated[-1]) for o in each.values())
    per, unit = wait_unit([float(first.observed[-1]), top])
    figure, (ax,) = new_figure(
        "Observed waits and each variant's", first.compared or "every visit", panel_height=4.5
    )
    # every variant drawn: the colours cycle, each round of them in the next line style
    curves = [
        (name, PALETTE[i % len(PALETTE)], _STYLES[i // len(PALETTE) % len(_STYLES)], o.simulated)
        for i, (name, o) in enumerate(each.items())
    ]
    for label, colour, style, values in [*curves, ("observed", "#1f2933", "-", first.observed)]:
        ax.step(
            np.concatenate(([0.0], values)) / per,
            np.arange(len(values) + 1) / len(values),
            where="post",
            color=colour,
            linestyle=style,
            linewidth=1.8 if label == "observed" else 1.4,
            label=label,
        )
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.set_xlabel(f"wait ({unit})")
    ax.set_ylabel("share who waited at most so long")
    legend(ax, loc="lower right")
    return figure


def variants_section(comparison: Comparison) -> str | None:
    """The comparison's HTML section: the table and the ECDFs (None without observed
    waits)."""
    table = variants_table(comparison)
    if table is None:
        return None
    from .html import figure_block, section, table_block  # noqa: PLC0415 - matplotlib

    caption = (
        "The share of travellers who waited at most so long: observed (dark) and each "
        "variant's (all its replications together)."
    )
    return section(
        "Observed waits",
        table_block(table),
        figure_block(variants_figure(comparison), caption),
        anchor="observed",
    )
