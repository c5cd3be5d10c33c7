"""The tables of a comparison: the variants side by side on what the comparison is judged
on (time in port beside the waits), the paired differences from the first variant, and
each pledge in each variant."""

from __future__ import annotations

from ..results.catalog import SERVED, SHARE
from ..results.scopes import OVERALL, Scope
from ..run.compare import Comparison
from .answer import VERDICT_WORDS
from .cells import difference_text, interval_text, raw_cells, raw_headers, stat_text
from .staff import staff_by_variant
from .tables import CsvValue, Table

__all__ = [
    "compared_scopes",
    "comparison_tables",
    "differences_table",
    "pledges_by_variant",
    "waits_by_variant",
]


def compared_scopes(comparison: Comparison) -> list[tuple[str, Scope]]:
    """What a comparison shows side by side: all travellers, then the first variant's
    flows, each with its label."""
    first = comparison.results[comparison.variants[0]].summary
    return [(OVERALL.words, OVERALL), *((f"flow {f.name}", f) for f in first.scopes("flow"))]


def waits_by_variant(comparison: Comparison) -> Table:
    """For all travellers and each flow, each variant's served and the metrics the
    comparison is judged on (time in port, waits), with their 95 % intervals."""
    metrics = comparison.judged_on
    rows: list[list[str]] = []
    raw: list[list[CsvValue]] = []
    for label, scope in compared_scopes(comparison):
        for name in comparison.variants:
            summary = comparison.results[name].summary
            stats = [summary.find(scope, m) for m in metrics]
            rows.append(
                [
                    label,
                    name,
                    stat_text(SERVED, summary.find(scope, SERVED)),
                    *(stat_text(m, s, interval=True) for m, s in zip(metrics, stats, strict=True)),
                ]
            )
            raw.append(
                [
                    label,
                    name,
                    *raw_cells(summary.find(scope, SERVED)),
                    *(v for s in stats for v in raw_cells(s)),
                ]
            )
    return Table(
        "variants",
        "Time in port and waits by variant",
        ["", "variant", SERVED.words, *(f"{m.words} (95 % interval)" for m in metrics)],
        rows,
        ["who", "variant", *(h for m in (SERVED, *metrics) for h in raw_headers(m))],
        raw,
        "Means over the replications with their 95 % intervals.",
        frozenset(range(2, 3 + len(metrics))),
    )


def differences_table(comparison: Comparison) -> Table:
    """Each variant minus the first, paired by replication, with the 95 % interval."""
    base = comparison.variants[0]
    metrics = comparison.judged_on
    rows: list[list[str]] = []
    raw: list[list[CsvValue]] = []
    for label, scope in compared_scopes(comparison):
        for name in comparison.variants[1:]:
            diff = comparison.differences[f"{name} - {base}"]
            stats = [diff.find(scope, m) for m in metrics]
            rows.append(
                [
                    label,
                    f"{name} − {base}",
                    *(difference_text(m, s) for m, s in zip(metrics, stats, strict=True)),
                ]
            )
            raw.append([label, name, base, *(v for s in stats for v in raw_cells(s))])
    return Table(
        "differences",
        f"Differences from {base} (paired by replication)",
        ["", "difference", *(f"{m.words} (95 % interval)" for m in metrics)],
        rows,
        ["who", "variant", "minus", *(h for m in metrics for h in raw_headers(m))],
        raw,
        "Negative: shorter than the first variant. An interval that holds zero is a "
        "difference the run cannot tell.",
        frozenset(range(2, 2 + len(metrics))),
    )


def pledges_by_variant(comparison: Comparison) -> Table | None:
    """Each pledge in each variant: the share achieved, its interval and the verdict."""
    rows: list[list[str]] = []
    raw: list[list[CsvValue]] = []
    for name in comparison.variants:
        for p in comparison.results[name].summary.pledges:
            rows.append(
                [
                    p.name,
                    name,
                    stat_text(SHARE, p.share),
                    interval_text(SHARE, p.share),
                    p.verdict,
                ]
            )
            raw.append([p.name, name, p.wait_within, p.pledged, *raw_cells(p.share), p.verdict])
    if not rows:
        return None
    order = sorted(range(len(rows)), key=lambda i: rows[i][0])
    return Table(
        "pledges",
        "Pledges by variant",
        ["pledge", "variant", "share achieved", "95 % interval", "verdict"],
        [rows[i] for i in order],
        [
            "pledge",
            "variant",
            "wait_within_s",
            "share_pledged",
            *raw_headers(SHARE),
            "verdict",
        ],
        [raw[i] for i in order],
        "Verdicts: " + "; ".join(f"{k}: {v}" for k, v in VERDICT_WORDS.items()) + ".",
        frozenset({2, 3}),
    )


def comparison_tables(comparison: Comparison) -> list[Table]:
    """The comparison's tables, in the order the report shows them."""
    tables = [differences_table(comparison), waits_by_variant(comparison)]
    extra = (pledges_by_variant(comparison), staff_by_variant(comparison))
    return [*tables, *(t for t in extra if t is not None)]
