"""The "Observed waits" section of a run's reports (``portsim run FILE --observed
waits.csv``): the observed mean wait and percentiles beside the simulated ones with their
intervals over the replications, where each observed value lies, the Kolmogorov–Smirnov and
Wasserstein distances, and the two ECDFs in one chart; the verdict first, in words a
planner reads. The text, the HTML report and the notebook show the same table and verdict.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

import numpy as np

from ..results.catalog import Metric
from ..results.observed import LEAD, MIN_PER_REPLICATION, ObservedRow, ObservedWaits
from ..results.statistics import Stat
from ..units import counted, format_duration
from .cells import clock, interval_text, stat_text, value_text
from .tables import Table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "ECDF_CAPTION",
    "OBSERVED_PLOT",
    "Verdict",
    "aligned",
    "ends_text",
    "observed_figure",
    "observed_figures",
    "observed_lines",
    "observed_section",
    "observed_table",
    "open_above",
    "or_none",
    "value_and_ends",
    "verdict",
    "where_words",
]

#: the chart's file name with ``--plots`` (and its name for ``result.plot()``)
OBSERVED_PLOT = "observed_waits.png"
ECDF_CAPTION = (
    "The share of travellers who waited at most so long: observed (dark) and simulated (all "
    "replications together; the band spans the lowest to the highest replication). Dotted: "
    "each one's 95th percentile."
)
#: what the headers of the table mean
TABLE_NOTE = (
    "Observed: the value, with its 95 % interval were the waits independent (they are not: "
    "it is wider, if anything); a percentile's interval lies between two of the observed "
    "waits (exact binomial ranks), and ≥ X says it is open above: too few waits to bound "
    "it (a 95th percentile needs 72). Simulated: the mean over the replications of each "
    "replication's value, with its 95 % confidence interval. Replications: the lowest and the "
    "highest replication's value (one simulated day's spread, as the observed sample is one "
    "such day or a few)."
)
#: the note's words on simulated percentiles of every replication's waits together
POOLED_NOTE = (
    " Here the simulated percentiles are of every replication's waits together, without an "
    "interval (too few waits a replication), as portsim fit waits gives them."
)
CSV_HEADERS = [
    "statistic",
    "observed_s",
    "observed_ci95_low_s",
    "observed_ci95_high_s",
    "simulated_s",
    "simulated_ci95_low_s",
    "simulated_ci95_high_s",
    "lowest_replication_s",
    "highest_replication_s",
    "position",
]
_KS_WORDS = "the largest gap between the two shares who waited at most so long; 0: the same"
_W_WORDS = "how far the waits would have to move, on average, to match"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The verdict: a headline, the sentences that back it, and its tone (``pass``: every
    observed value inside its interval; ``fail``: the lead one beyond every replication's;
    ``mixed`` otherwise)."""

    headline: str
    points: tuple[str, ...]
    tone: str


def open_above(stat: Stat | tuple[float, float] | None) -> bool:
    """Whether an interval (of a :class:`Stat`, or its ends) has no upper end."""
    ends = stat.interval if isinstance(stat, Stat) else stat
    return ends is not None and math.isinf(ends[1])


def ends_text(metric: Metric, stat: Stat) -> str:
    """The interval alone, ``2.9 – 3.5 min``, or ``≥ 2.9 min`` when it is open above."""
    if open_above(stat):
        return f"≥ {value_text(metric, stat.low)}"
    return interval_text(metric, stat)


def value_and_ends(metric: Metric, stat: Stat) -> str:
    """The value with its interval, ``3.2 min (2.9 – 3.5)``, or ``3.2 min (≥ 2.9 min)``."""
    if open_above(stat):
        return f"{value_text(metric, stat.mean)} ({ends_text(metric, stat)})"
    return stat_text(metric, stat, interval=True)


def _range(row: ObservedRow) -> str:
    return interval_text(row.metric, Stat(row.simulated.mean, row.lowest, row.highest))


def _telling(row: ObservedRow) -> str:
    """How far the sample tells the observed value from the simulated one: ``""`` (the
    value lies inside), ``overlap`` (the two intervals overlap), ``a day`` (apart, but
    some replication gave as much), ``apart`` (apart from every replication too)."""
    if row.position in {"inside", "at"}:
        return ""
    if not row.apart:
        return "overlap"
    return "a day" if row.within_replications else "apart"


def where_words(row: ObservedRow) -> str:
    """Where the observed value lies, in words: ``above the interval and every
    replication``."""
    if row.position in {"inside", "at"}:
        return "inside the interval" if row.position == "inside" else "at the simulated value"
    side = f"{row.position} the {'simulated value' if row.pooled else 'interval'}"
    return {
        "overlap": f"{side}; its own interval holds it"
        if row.pooled
        else f"{side}; the intervals overlap",
        "a day": f"{side}, within the replications",
        "apart": f"{side}, beyond its own interval"
        if row.pooled
        else f"{side} and every replication",
    }[_telling(row)]


def _sentence(row: ObservedRow, size: int) -> str:
    """``The observed 95th-percentile wait (16.9 min) lies above the simulated interval
    (13.1 – 14.6 min) and above every replication's (13.5 – 14.2 min): the simulated waits
    are too short``."""
    observed = value_text(row.metric, row.observed)
    stat = row.simulated
    if stat.interval is None:
        why = "of every replication's waits together" if row.pooled else (
            "one replication gives no interval")  # fmt: skip
        where = f"{row.position} the simulated value ({value_text(row.metric, stat.mean)}; {why})"
    else:
        where = f"{row.position} the simulated interval ({ends_text(row.metric, stat)})"
    text = f"The observed {row.metric.words} ({observed}) lies {where}"
    telling = _telling(row)
    if telling == "overlap" and open_above(row.observed_interval) and row.position == "below":
        own = ends_text(row.metric, Stat(row.observed, *row.observed_interval))  # type: ignore[misc]
        text += f", but its own 95 % interval is open above ({own}): {size:,} observed waits "
        text += f"are too few to bound a {row.metric.words} from above, or to tell them apart"
    elif telling == "overlap" and row.observed_interval is not None:
        own = ends_text(row.metric, Stat(row.observed, *row.observed_interval))
        text += f", but its own 95 % interval ({own}) overlaps it: {size:,} observed waits "
        text += "cannot tell them apart"
    elif telling == "a day" and stat.interval is not None:
        text += f", but within the replications' range ({_range(row)}): a simulated day "
        text += "can give it"
    elif telling == "apart":
        if stat.interval is not None:
            text += f" and {row.position} every replication's ({_range(row)})"
        text += ": the simulated waits are too " + ("short" if row.position == "above" else "long")
    return text


def verdict(observed: ObservedWaits) -> Verdict:
    """The verdict on the lead statistic (the 95th-percentile wait), backed by the
    distances and the sizes (the table gives the others); its tone: ``pass`` when no
    statistic's sample tells it from the simulated one, ``fail`` when the lead one is
    apart from every replication, ``mixed`` otherwise."""
    rows = observed.rows()
    lead = next(row for row in rows if row.metric is LEAD)
    headline = _sentence(lead, len(observed.observed))
    points = [
        f"Kolmogorov–Smirnov distance: {observed.ks:.3f} ({_KS_WORDS})",
        f"Wasserstein distance: {format_duration(observed.wasserstein)} ({_W_WORDS})",
        _sizes(observed),
    ]
    if observed.unserved:
        points.append(
            f"{counted(observed.unserved, 'simulated visit')} not served by the horizon, left out"
        )
    points += _caveats(observed)
    told = [_telling(row) for row in rows]
    tone = (
        "fail"
        if _telling(lead) == "apart"
        else "mixed"
        if {"a day", "apart"} & set(told)
        else "pass"
    )
    return Verdict(headline, tuple(points), tone)


def _caveats(observed: ObservedWaits) -> list[str]:
    """The sentences on a forecast's start and on a rare selection's pooled percentiles."""
    said = []
    if observed.since is not None:
        said.append(
            f"A forecast from the state at {clock(observed.since)}: the simulated waits count "
            "from then (an observed traveller's wait before it is unknown), so the observed "
            f"waits compare best if taken of those who arrived after {clock(observed.since)}"
        )
    if observed.pooled:
        each = sum(map(len, observed.replications)) / len(observed.replications)
        said.append(
            f"{each:,.1f} simulated waits a replication on average, fewer than "
            f"{MIN_PER_REPLICATION}: a replication's top 5 % would hold less than one wait, "
            "so the simulated percentiles are of every replication's waits together (as "
            "portsim fit waits gives them), each a value without an interval: run more "
            "replications to make it surer"
        )
    return said


def _sizes(observed: ObservedWaits) -> str:
    simulated = sum(len(r) for r in observed.replications)
    return (
        f"{counted(len(observed.observed), 'observed wait')} ({observed.source}) against "
        f"{counted(simulated, 'simulated wait')} over "
        f"{counted(len(observed.replications), 'replication')}: "
        f"{observed.compared or 'every visit'}"
    )


def observed_table(observed: ObservedWaits) -> Table:
    """The statistics side by side, as the HTML report, the notebook and the CSV show them."""
    rows, csv_rows = [], []
    for row in observed.rows():
        m, stat = row.metric, row.simulated
        own = Stat(row.observed, *(row.observed_interval or (math.nan, math.nan)))
        rows.append(
            [
                m.words,
                value_and_ends(m, own),
                value_and_ends(m, stat),
                _range(row),
                where_words(row),
            ]
        )
        csv_rows.append(
            [
                m.name,
                row.observed,
                or_none(own.low),
                or_none(own.high),
                stat.mean,
                or_none(stat.low),
                or_none(stat.high),
                row.lowest,
                row.highest,
                row.position,
            ]
        )
    return Table(
        name="observed_waits",
        title=f"Observed and simulated waits: {observed.compared or 'every visit'}",
        headers=[
            "",
            "observed (95 % CI)",
            "simulated (95 % CI)",
            "replications",
            "the observed value",
        ],
        rows=rows,
        csv_headers=CSV_HEADERS,
        csv_rows=csv_rows,  # type: ignore[arg-type]
        note=TABLE_NOTE + (POOLED_NOTE if observed.pooled else ""),
        numeric=frozenset({1, 2, 3}),
    )


def or_none(value: float) -> float | None:
    """A number for a CSV cell: none for NaN (no value) or infinity (an open end)."""
    return None if not np.isfinite(value) else value


def aligned(table: Table) -> list[str]:
    """The table as aligned text lines (numbers to the right), under a rule."""
    widths = [max(len(h), *(len(r[i]) for r in table.rows)) for i, h in enumerate(table.headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in table.numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(table.headers), "  ".join("-" * w for w in widths), *map(line, table.rows)]


def observed_lines(observed: ObservedWaits | None) -> list[str]:
    """The section of the text report (nothing without observed waits)."""
    if observed is None:
        return []
    said = verdict(observed)
    return [
        "",
        f"Observed waits: {observed.compared or 'every visit'}",
        f"{said.headline}.",
        *aligned(observed_table(observed)),
        *(f"- {point}" for point in said.points),
    ]


def observed_figure(observed: ObservedWaits) -> Figure:
    """The observed and simulated ECDFs overlaid, the replications' spread as a band, each
    one's 95th percentile dotted."""
    from .charts import PALETTE, legend, new_figure, wait_unit  # noqa: PLC0415 - matplotlib

    simulated = observed.simulated
    per, unit = wait_unit([float(observed.observed[-1]), float(simulated[-1])])
    figure, (ax,) = new_figure(
        "Observed and simulated waits",
        f"{observed.compared or 'every visit'}: KS {observed.ks:.3f}, Wasserstein "
        f"{format_duration(observed.wasserstein)}",
        panel_height=4.5,
    )
    grid = np.linspace(0.0, float(max(observed.observed[-1], simulated[-1])), 400)
    shares = [
        np.searchsorted(r, grid, side="right") / len(r) for r in observed.replications if len(r)
    ]
    simulated_colour, observed_colour = PALETTE[0], "#1f2933"
    if len(shares) > 1:
        ax.fill_between(
            grid / per,
            np.min(shares, axis=0),
            np.max(shares, axis=0),
            step="post",
            color=simulated_colour,
            alpha=0.18,
            linewidth=0,
            label="simulated: lowest to highest replication",
        )
    for colour, label, values in (
        (simulated_colour, "simulated", simulated),
        (observed_colour, "observed", observed.observed),
    ):
        ax.step(
            np.concatenate(([0.0], values)) / per,
            np.arange(len(values) + 1) / len(values),
            where="post",
            color=colour,
            linewidth=1.8,
            label=f"{label} ({len(values):,} waits)",
        )
        ax.axvline(
            float(np.percentile(values, 95)) / per, color=colour, linestyle=":", linewidth=1.2
        )
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.set_xlabel(f"wait ({unit}); dotted: each one's 95th percentile")
    ax.set_ylabel("share who waited at most so long")
    legend(ax, loc="lower right")
    return figure


def observed_figures(observed: ObservedWaits | None) -> dict[str, Figure]:
    """The chart by its file name (none without observed waits)."""
    return {} if observed is None else {OBSERVED_PLOT: observed_figure(observed)}


def observed_section(observed: ObservedWaits) -> str:
    """The HTML section: the verdict, the table with its CSV, the ECDF chart."""
    from .html import figure_block, section, table_block  # noqa: PLC0415 - matplotlib

    said = verdict(observed)
    items = "".join(f"<li>{escape(p)}</li>" for p in said.points)
    box = (
        f'<div class="answer {escape(said.tone)}" data-name="observed-verdict">'
        f"<h3>{escape(said.headline)}.</h3><ul>{items}</ul></div>"
    )
    return section(
        "Observed waits",
        box,
        table_block(observed_table(observed)),
        figure_block(observed_figure(observed), ECDF_CAPTION, OBSERVED_PLOT),
        anchor="observed",
    )
