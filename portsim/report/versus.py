"""The tables of a comparison: the variants' waits side by side, the paired differences
from the first variant, and each pledge in each variant."""

from __future__ import annotations

from typing import Any

from ..results.figures import resolve_metric
from ..run.compare import Comparison
from .answer import VERDICT_WORDS
from .tables import Table, count_text, interval, share_text, wait_text

__all__ = ["comparison_tables", "differences_table", "pledges_by_variant", "waits_by_variant"]

_METRICS = (
    ("wait_mean_s", "mean wait"),
    ("wait_p95_s", "p95 wait"),
    ("system_time_mean_s", "time in port"),
)


def _scopes(comparison: Comparison) -> list[tuple[str, str]]:
    first = comparison.results[comparison.variants[0]].summary
    return [("overall", "all travellers"), *((f"flows.{f}", f"flow {f}") for f in first["flows"])]


def raw_cells(stat: dict[str, Any] | None) -> list[Any]:
    if not stat:
        return [None, None, None]
    ci = stat.get("ci95") or [None, None]
    return [stat["mean"], ci[0], ci[1]]


def waits_by_variant(comparison: Comparison) -> Table:
    """For all travellers and each flow, each variant's served, waits and time in port."""
    rows, raw = [], []
    for path, label in _scopes(comparison):
        for name in comparison.variants:
            block = resolve_metric(comparison.results[name].summary, path) or {}
            rows.append(
                [
                    label,
                    name,
                    count_text(block.get("served")),
                    *(wait_text(block.get(m), with_interval=True) for m, _ in _METRICS),
                ]
            )
            raw.append(
                [
                    label,
                    name,
                    *(
                        v
                        for m in ("served", *(m for m, _ in _METRICS))
                        for v in raw_cells(block.get(m))
                    ),
                ]
            )
    csv_headers = ["who", "variant"] + [
        h
        for m in ("served", *(m for m, _ in _METRICS))
        for h in (m, f"{m}_ci95_low", f"{m}_ci95_high")
    ]
    return Table(
        "variants",
        "Waits by variant",
        ["", "variant", "served", *(f"{label} (95 % interval)" for _, label in _METRICS)],
        rows,
        csv_headers,
        raw,
        "Means over the replications with their 95 % intervals.",
        frozenset({2, 3, 4, 5}),
    )


def _signed(stat: dict[str, Any] | None) -> str:
    if not stat or stat["mean"] is None:
        return "-"
    text = ("+" if stat["mean"] >= 0 else "−") + wait_text({"mean": abs(stat["mean"])})
    ci = stat.get("ci95")
    if ci:
        low = ("+" if ci[0] >= 0 else "−") + wait_text({"mean": abs(ci[0])})
        high = ("+" if ci[1] >= 0 else "−") + wait_text({"mean": abs(ci[1])})
        text += f" ({low} to {high})"
    return text


def differences_table(comparison: Comparison) -> Table:
    """Each variant minus the first, paired by replication, with the 95 % interval."""
    base = comparison.variants[0]
    rows, raw = [], []
    for path, label in _scopes(comparison):
        for name in comparison.variants[1:]:
            block = resolve_metric(comparison.differences[f"{name} - {base}"], path) or {}
            rows.append([label, f"{name} − {base}", *(_signed(block.get(m)) for m, _ in _METRICS)])
            raw.append(
                [label, name, base, *(v for m, _ in _METRICS for v in raw_cells(block.get(m)))]
            )
    return Table(
        "differences",
        f"Differences from {base} (paired by replication)",
        ["", "difference", *(f"{label} (95 % interval)" for _, label in _METRICS)],
        rows,
        [
            "who",
            "variant",
            "minus",
            *(h for m, _ in _METRICS for h in (m, f"{m}_ci95_low", f"{m}_ci95_high")),
        ],
        raw,
        "Negative: shorter than the first variant. An interval that holds zero is a "
        "difference the run cannot tell.",
        frozenset({2, 3, 4}),
    )


def pledges_by_variant(comparison: Comparison) -> Table | None:
    """Each pledge in each variant: the share achieved, its interval and the verdict."""
    rows, raw = [], []
    for name in comparison.variants:
        for t in comparison.results[name].summary.get("targets", []):
            rows.append(
                [
                    t["name"],
                    name,
                    share_text(t["share"]),
                    interval(t["share"], percent=True),
                    t["verdict"],
                ]
            )
            raw.append(
                [
                    t["name"],
                    name,
                    t["wait_within_s"],
                    t["target"],
                    *raw_cells(t["share"]),
                    t["verdict"],
                ]
            )
    if not rows:
        return None
    rows.sort(key=lambda r: r[0])
    raw.sort(key=lambda r: r[0])
    return Table(
        "pledges",
        "Pledges by variant",
        ["pledge", "variant", "share achieved", "95 % interval", "verdict"],
        rows,
        [
            "pledge",
            "variant",
            "wait_within_s",
            "share_pledged",
            "share",
            "share_ci95_low",
            "share_ci95_high",
            "verdict",
        ],
        raw,
        "Verdicts: " + "; ".join(f"{k}: {v}" for k, v in VERDICT_WORDS.items()) + ".",
        frozenset({2, 3}),
    )


def comparison_tables(comparison: Comparison) -> list[Table]:
    """The comparison's tables, in the order the report shows them."""
    tables = [differences_table(comparison), waits_by_variant(comparison)]
    pledges = pledges_by_variant(comparison)
    return [*tables, pledges] if pledges is not None else tables
