"""Documented figures and their verdicts as a planner reads them: the published figure (a
point, a range or a bound), the simulated value with its 95 % interval, the verdict, and the
scenario's validation verdict (:mod:`portsim.results.figures` computes them).

A figure of a wait (a metric in seconds) is written as a duration, a share (a pledge's
``share``, a ``utilization``) as a percentage, anything else as a number with the unit the
figure was published in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ..units import duration_unit, format_duration, format_in_unit
from .tables import Table

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
#: durations shorter than this show as 0.0 s (the shortest shown is a tenth of a second)
ROUNDS_TO_ZERO = 0.05
#: metrics whose values are shares (shown as percentages)
_SHARES = frozenset({"share", "utilization"})


def _paths(row: dict[str, Any]) -> list[str]:
    compare_to = row["compare_to"]
    return [compare_to] if isinstance(compare_to, str) else list(compare_to)


def metric_kind(paths: Sequence[str]) -> str:
    """``duration``, ``share`` or ``number``: how values of these metric paths read."""
    metrics = {path.rsplit(".", 1)[-1] for path in paths}
    if all(m.endswith("_s") for m in metrics):
        return "duration"
    if metrics <= _SHARES:
        return "share"
    return "number"


def _kind(row: dict[str, Any]) -> str:
    return metric_kind(_paths(row))


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def figure_text(value: Any, kind: str) -> str:
    """One value of a figure: ``25 min``, ``95.0%``, ``489,000`` or ``0.4``."""
    if _missing(value):
        return "-"
    if kind == "duration":
        # a rounding error around zero is no wait, not a negative one
        return format_duration(0.0 if abs(value) < ROUNDS_TO_ZERO else value)
    if kind == "share":
        return f"{value:.1%}"
    return f"{value:,.0f}" if abs(value) >= THOUSAND else f"{value:.4g}"


def published_text(row: dict[str, Any]) -> str:
    """The published figure as the publication allows it: ``489,000 per day``, ``≤ 25 min``,
    ``25 s (20 s – 30 s)``."""
    kind = _kind(row)
    unit = f" {row['unit']}" if row["unit"] and kind == "number" else ""
    value, low, high = row["documented"], row.get("low"), row.get("high")
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


def estimate_text(mean: Any, ci: Sequence[float] | None, kind: str) -> str:
    """A value and its 95 % interval: ``23 min (19 min – 27 min)``; the value alone when
    there is no interval (one replication) or no value."""
    text = figure_text(mean, kind)
    if ci and text != "-" and not any(_missing(v) for v in ci):
        text += f" ({figure_text(ci[0], kind)} – {figure_text(ci[1], kind)})"
    return text


def simulated_text(row: dict[str, Any]) -> str:
    """The simulated value and its 95 % interval: ``23 min (19 min – 27 min)``."""
    return estimate_text(row["simulated"], row.get("simulated_ci95"), _kind(row))


def _counted(counts: dict[str, int]) -> str:
    parts = [f"{n} {name.replace('_', ' ')}" for name, n in counts.items() if n]
    return ", ".join(parts)


def validation_sentence(summary: dict[str, Any]) -> str | None:
    """``Validation: reproduced (2 reproduced); calibration: reproduced (2 reproduced).``"""
    validation = summary.get("validation")
    if not validation:
        return None
    outcome = validation["verdict"]
    counts = _counted(validation["figures"])
    calibration = validation["calibration"]
    calibration_counts = _counted(validation["calibration_figures"])
    return (
        f"Validation against the published outcomes: {outcome}"
        + (f" ({counts})" if counts else "")
        + f"; calibration against the published inputs: {calibration}"
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


def reference_rows(summary: dict[str, Any]) -> tuple[list[list[str]], list[str]]:
    """The rows under :data:`REFERENCE_HEADERS` for text, and the figures' notes, each
    marked ``[k]`` after its figure's name."""
    rows, notes = [], []
    for r in summary.get("reference", []):
        mark = ""
        if r.get("note"):
            notes.append(r["note"])
            mark = f" [{len(notes)}]"
        rows.append(
            [
                r["figure"] + mark,
                r["check"],
                published_text(r),
                simulated_text(r),
                "-" if _missing(r["ratio"]) else f"{r['ratio']:.2f}",
                r["verdict"],
                r.get("confidence") or "-",
                r["source"],
            ]
        )
    return rows, notes


def reference_table(summary: dict[str, Any]) -> Table | None:
    """Documented figures beside the simulated ones, with their verdicts."""
    reference = summary.get("reference", [])
    if not reference:
        return None
    rows = [
        [*row[:-1], row[-1] + (f" — {r['note']}" if r.get("note") else "")]
        for row, r in zip(reference_rows(summary)[0], reference, strict=True)
    ]
    raw = [
        [
            r["figure"],
            r["check"],
            r["documented"],
            r.get("low"),
            r.get("high"),
            r["unit"],
            r["simulated"],
            *(r.get("simulated_ci95") or [None, None]),
            r["ratio"],
            r["verdict"],
            r.get("confidence"),
            r["source"],
            r["compare_to"] if isinstance(r["compare_to"], str) else "+".join(r["compare_to"]),
            r.get("note"),
        ]
        for r in reference
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
