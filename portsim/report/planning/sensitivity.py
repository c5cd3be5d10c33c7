"""A sensitivity table (:func:`portsim.sensitivity`) as text or Markdown: the assumptions,
the largest swing first, each at its low and high setting with the answer and its change
from the file's answer (paired by replication, with the 95 % interval of the change)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ...planning.sensitivity import Estimate, SensitivityResult
from ..validation import figure_text, metric_kind
from .words import column_words

__all__ = ["HEADERS", "format_sensitivity", "sensitivity_head", "sensitivity_rows"]

HEADERS = ["", "assumption", "low", "answer (change)", "high", "answer (change)"]


def _signed(value: float, kind: str) -> str:
    text = figure_text(abs(value), kind)
    zero = text == figure_text(0.0, kind)
    return text if text == "-" else ("+" if value >= 0 or zero else "−") + text


def _change(answer: Estimate, change: Estimate, kind: str) -> str:
    mean, ci = change
    text = f"{figure_text(answer[0], kind)} ({_signed(mean, kind)}"
    if ci and not math.isnan(mean):
        text += f", {_signed(ci[0], kind)} to {_signed(ci[1], kind)}"
    return text + ")"


def _words(paths: Sequence[str]) -> str:
    """``all travellers: mean wait (overall.wait_mean_s)``: the catalog's words, and the
    paths they stand for."""
    said = [found[0] if (found := column_words(p)) else p for p in paths]
    code = " + ".join(paths)
    words = " + ".join(said)
    return words if words == code else f"{words} ({code})"


def sensitivity_head(result: SensitivityResult) -> str:
    """The line before the table: the answer as in the file, with its interval, and how
    the changes were measured."""
    kind = metric_kind(result.metric)
    base, ci = result.base
    return (
        f"{_words(result.metric)} as in the file: {figure_text(base, kind)}"
        + (
            f" (95 % interval {figure_text(ci[0], kind)} – {figure_text(ci[1], kind)})"
            if ci
            else ""
        )
        + f"; {result.replications} replications, seed {result.seed}, common random numbers;"
        " changes are paired by replication, with their 95 % interval."
    )


def sensitivity_rows(result: SensitivityResult) -> list[list[str]]:
    """The table's rows under :data:`HEADERS`: the rank, the assumption, each setting and
    the answer there with its change."""
    kind = metric_kind(result.metric)
    return [
        [
            str(rank),
            row.assumption.name,
            row.assumption.label("low"),
            _change(row.low, row.low_change, kind),
            row.assumption.label("high"),
            _change(row.high, row.high_change, kind),
        ]
        for rank, row in enumerate(result.rows, 1)
    ]


def format_sensitivity(result: SensitivityResult, *, markdown: bool = False) -> str:
    """The table, with a line before it giving the answer as in the file."""
    head = sensitivity_head(result)
    rows = sensitivity_rows(result)
    if markdown:
        lines = ["| " + " | ".join(HEADERS) + " |", "|" + " --- |" * len(HEADERS)]
        lines += [
            "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows
        ]
        return "\n".join([head, "", *lines])
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(HEADERS)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(HEADERS, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join([head, *lines])
