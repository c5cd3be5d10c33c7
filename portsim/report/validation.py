"""Documented figures and their verdicts as a planner reads them: the published figure (a
point, a range or a bound), the simulated value with its 95 % interval, the verdict, and the
scenario's validation verdict (:mod:`portsim.results.figures` computes them).

A figure of a duration (a metric in seconds, by the catalog) is written as a duration, of a
share (a pledge's share, a utilization) as a percentage, anything else as a number with the
unit the figure was published in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from ..results.catalog import row_metric
from ..results.figures import FigureResult
from ..results.rows import key_of_path
from ..results.summary import Summary
from ..units import duration_unit, format_duration, format_in_unit
from .cells import ROUNDS_TO_ZERO, raw_cells
from .tables import CsvValue, Table

__all__ = [
    "REFERENCE_HEADERS",
    "estimate_text",
    "figure_text",
    "metric_kind",
    "published_text",
    "reference_rows",
    "reference_table",
    "simulated_text",
    "validation_sentence",
]

THOUSAND = 1000


def metric_kind(paths: Sequence[str]) -> str:
    """``duration``, ``fraction`` or ``number``: how values of these metric paths read (from
    the catalog's units of the metrics they name)."""
    metrics = [row_metric(key[4])[0] for path in paths if (key := key_of_path(path))]
    if metrics and all(m.duration for m in metrics):
        return "duration"
    if metrics and all(m.fraction for m in metrics):
        return "fraction"
    return "number"


def _kind(row: FigureResult) -> str:
    return metric_kind(row.paths)


def _missing(value: float | None) -> bool:
    return value is None or math.isnan(value)


def figure_text(value: float | None, kind: str) -> str:
    """One value of a figure: ``25 min``, ``95.0%``, ``489,000`` or ``0.4``."""
    if value is None or math.isnan(value):
        return "-"
    if kind == "duration":
        # a rounding error around zero is no wait, not a negative one
        return format_duration(0.0 if abs(value) < ROUNDS_TO_ZERO else value)
    if kind == "fraction":
        return f"{value:.1%}"
    return f"{value:,.0f}" if abs(value) >= THOUSAND else f"{value:.4g}"


def published_text(row: FigureResult) -> str:
    """The published figure as the publication allows it: ``489,000 per day``, ``≤ 25 min``,
    ``25 s (20 s – 30 s)``."""
    kind = _kind(row)
    unit = f" {row.unit}" if row.unit and kind == "number" else ""
    value, low, high = row.documented, row.low, row.high
    point = figure_text(value, kind) + unit
    if low is None and high is None:
        return point
    if low is not None and high is not None:
        texts = [figure_text(v, kind) for v in (value, low, high)]
        if kind == "duration" and len(set(texts)) < len({value, low, high}):
            # a range finer than the usual rounding (6.25-6.35 min): one more decimal
            per, name, digits = duration_unit(value)
            texts = [format_in_unit(v, (per, name, digits + 1)) for v in (value, low, high)]
        return f"{texts[0]}{unit} ({texts[1]} – {texts[2]})"
    bound = f"≤ {figure_text(high, kind)}" if high is not None else f"≥ {figure_text(low, kind)}"
    return f"{bound}{unit}" if value in (low, high) else f"{point} ({bound})"


def estimate_text(mean: float, ci: Sequence[float] | None, kind: str) -> str:
    """A value and its 95 % interval: ``23 min (19 min – 27 min)``; the value alone when
    there is no interval (one replication) or no value."""
    text = figure_text(mean, kind)
    if ci and text != "-" and not any(_missing(v) for v in ci):
        text += f" ({figure_text(ci[0], kind)} – {figure_text(ci[1], kind)})"
    return text


def simulated_text(row: FigureResult) -> str:
    """The simulated value and its 95 % interval: ``23 min (19 min – 27 min)``."""
    return estimate_text(row.simulated.mean, row.simulated.interval, _kind(row))


def _counted(counts: Mapping[str, int]) -> str:
    parts = [f"{n} {name.replace('_', ' ')}" for name, n in counts.items() if n]
    return ", ".join(parts)


def validation_sentence(summary: Summary) -> str | None:
    """``Validation: reproduced (2 reproduced); calibration: reproduced (2 reproduced).``"""
    validation = summary.run.validation if summary.run is not None else None
    if validation is None:
        return None
    counts = _counted(validation.figures)
    calibration_counts = _counted(validation.calibration_figures)
    return (
        f"Validation against the published outcomes: {validation.verdict}"
        + (f" ({counts})" if counts else "")
        + f"; calibration against the published inputs: {validation.calibration}"
        + (f" ({calibration_counts})." if calibration_counts else ".")
    )


NOTE = (
    "A calibration figure is an input the scenario was built from: reproduced when the "
    "simulated 95 % interval meets the published figure (within sampling error). A "
    "validation figure is an outcome the scenario must reproduce: reproduced when the "
    "simulated interval lies within what the publication allows (for a point: holds it), "
    "not reproduced when the two are disjoint, cannot tell when the interval straddles a "
    "published bound. Confidence of the source: H government or peer-reviewed, M reputable "
    "news, L secondary or derived. Ratio = simulated / documented."
)


REFERENCE_HEADERS = [
    "figure",
    "check",
    "published",
    "simulated (95 % interval)",
    "ratio",
    "verdict",
    "conf.",
    "source",
]


def reference_rows(summary: Summary) -> tuple[list[list[str]], list[str]]:
    """The rows under :data:`REFERENCE_HEADERS` for text, and the figures' notes, each
    marked ``[k]`` after its figure's name."""
    rows, notes = [], []
    for r in summary.figures:
        mark = ""
        if r.note:
            notes.append(r.note)
            mark = f" [{len(notes)}]"
        rows.append(
            [
                r.figure + mark,
                r.check,
                published_text(r),
                simulated_text(r),
                "-" if _missing(r.ratio) else f"{r.ratio:.2f}",
                r.verdict,
                r.confidence or "-",
                r.source,
            ]
        )
    return rows, notes


def reference_table(summary: Summary) -> Table | None:
    """Documented figures beside the simulated ones, with their verdicts."""
    figures = summary.figures
    if not figures:
        return None
    rows = [
        [*row[:-1], row[-1] + (f" — {r.note}" if r.note else "")]
        for row, r in zip(reference_rows(summary)[0], figures, strict=True)
    ]
    raw: list[list[CsvValue]] = [
        [
            r.figure,
            r.check,
            r.documented,
            r.low,
            r.high,
            r.unit,
            *raw_cells(r.simulated),
            r.ratio,
            r.verdict,
            r.confidence,
            r.source,
            "+".join(r.paths),
            r.note,
        ]
        for r in figures
    ]
    sentence = validation_sentence(summary)
    return Table(
        "documented_figures",
        "Documented figures beside the simulated ones",
        REFERENCE_HEADERS,
        rows,
        [
            "figure",
            "check",
            "documented",
            "low",
            "high",
            "unit",
            "simulated",
            "simulated_ci95_low",
            "simulated_ci95_high",
            "ratio",
            "verdict",
            "confidence",
            "source",
            "compare_to",
            "note",
        ],
        raw,
        (sentence + " " if sentence else "") + NOTE,
        frozenset({2, 3, 4}),
    )
