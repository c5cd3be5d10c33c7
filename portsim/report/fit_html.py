"""The HTML pages of a fit (``--html FILE`` on ``portsim fit times`` and ``portsim fit
waits``): the answer first, the table with its CSV, the chart, and the YAML to paste; one
self-contained file, as every portsim report."""

from __future__ import annotations

from html import escape

from ..fit.bootstrap import rejects
from ..fit.times import EMPIRICAL, TimesFit, resolution_words
from ..fit.waits import WaitsComparison
from ..units import format_duration
from .fit_plots import ecdf_figure, qq_figure
from .html import answer_block, figure_block, html_page, section, table_block
from .tables import CsvValue, Table

__all__ = ["times_report_html", "waits_report_html"]

CSV_HEADERS = ["family", "aic", "delta_aic", "mean_s", "cv", "ks", "p_value", "rejected"]
ECDF_CAPTION = "The share who waited at most so long; dotted, each one's 95th percentile."
QQ_CAPTION = "Observed times against the fitted families' quantiles: on the diagonal, a fit."


def _yaml_block(text: str) -> str:
    return f"<pre><code>{escape(text)}</code></pre>"


def times_report_html(fit: TimesFit) -> str:
    """The families ranked, the Q–Q plot and the YAML of the chosen one."""
    best = fit.ranking[0].aic
    rows: list[list[str]] = []
    csv_rows: list[list[CsvValue]] = []
    for family in fit.ranking:
        p = fit.p_values[family.family]
        verdict = "rejected" if rejects(p) else "fits"
        rows.append([family.family, f"{family.aic:,.1f}", f"{family.aic - best:.1f}",
                     format_duration(family.mean), f"{family.cv:.3f}", f"{family.ks:.3f}",
                     f"{p:.3f}", verdict])  # fmt: skip
        csv_rows.append([family.family, family.aic, family.aic - best, family.mean, family.cv,
                         family.ks, p, rejects(p)])  # fmt: skip
    mean, cv = float(fit.sample.mean()), float(fit.sample.std() / fit.sample.mean())
    rows.append([EMPIRICAL, "-", "-", format_duration(mean), f"{cv:.3f}", "0", "-", "-"])
    csv_rows.append([EMPIRICAL, None, None, mean, cv, 0.0, None, None])
    table = Table(
        name="families",
        title="The families, ranked by AIC",
        headers=["family", "AIC", "ΔAIC", "mean", "cv", "KS", "bootstrap p", "at 5 %"],
        rows=rows,
        csv_headers=CSV_HEADERS,
        csv_rows=csv_rows,
        note=f"p: the KS distance's parametric bootstrap, {fit.rounds} samples refitted (seed "
        f"{fit.seed}{resolution_words(fit.resolution)}); at or under 0.05 the family is "
        "rejected. ΔAIC under 2: as good as the best.",
        numeric=frozenset(range(1, 7)),
        chosen=frozenset({[f.family for f in fit.ranking].index(fit.chosen)})
        if fit.chosen != EMPIRICAL
        else frozenset({len(rows) - 1}),
    )
    if fit.chosen != EMPIRICAL:
        p = fit.p_values[fit.chosen]
        verdict = "rejected" if rejects(p) else "not rejected"
        fit_notes = [f"bootstrap p = {p:.3f}: {verdict} at 5 %"]
    else:
        fit_notes = ["the observed times themselves, each equally likely"]
    points = [*fit_notes, f"{fit.size:,} times, from {format_duration(fit.sample[0])} to "
              f"{format_duration(fit.sample[-1])}", *fit.notes]  # fmt: skip
    blocks = [
        answer_block(f"Chosen: {fit.chosen}", points),
        section("Families", table_block(table)),
        section(
            "Q–Q plot",
            figure_block(qq_figure(fit), QQ_CAPTION),
        ),
        section("To paste into a lane group", _yaml_block(fit.yaml())),
    ]
    return html_page("Fitted times", blocks, subtitle=fit.source)


def waits_report_html(comparison: WaitsComparison) -> str:
    """The observed and simulated waits side by side, the distances and the ECDFs."""
    values = {
        "mean": (float(comparison.observed.mean()), float(comparison.simulated.mean())),
        **{f"p{q}": pair for q, pair in comparison.quantiles().items()},
    }
    rows = [[name, format_duration(o), format_duration(s), format_duration(s - o)]
            for name, (o, s) in values.items()]  # fmt: skip
    table = Table(
        name="waits",
        title="Observed and simulated waits",
        headers=["", "observed", "simulated", "simulated − observed"],
        rows=rows,
        csv_headers=["statistic", "observed_s", "simulated_s"],
        csv_rows=[[name, o, s] for name, (o, s) in values.items()],
        numeric=frozenset({1, 2, 3}),
    )
    where = comparison.compared
    points = [
        f"{len(comparison.observed):,} observed and {len(comparison.simulated):,} simulated "
        f"waits ({where or 'every visit'})",
        f"Kolmogorov–Smirnov distance {comparison.ks:.3f}: the largest gap between the two "
        "shares who waited at most so long",
        f"Wasserstein distance {format_duration(comparison.wasserstein)}: how far the waits "
        "would have to move, on average, to match",
    ]
    blocks = [
        answer_block("Simulated against observed waits", points),
        section("Mean and percentiles", table_block(table)),
        section(
            "The two distributions",
            figure_block(ecdf_figure(comparison), ECDF_CAPTION),
        ),
    ]
    return html_page("Observed and simulated waits", blocks, subtitle=comparison.source)
