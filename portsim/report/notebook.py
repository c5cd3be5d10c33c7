"""How results show in a notebook: the answer and the main tables as a small HTML fragment
without images (``_repr_html_``: fast to draw; the plots are a call away, ``.plot()``), and a
short text (``__repr__``): what the result is and its answer's headline.

The HTML blocks (:func:`table_html`, :func:`answer_html`) serve the planning results'
displays too (:mod:`portsim.report.planning.notebook`)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from ..run.compare import Comparison
from ..run.simulate import SimulationResult
from .answer import Answer, comparison_answer, run_answer
from .compare_plots import comparison_figures
from .observed import observed_figures, observed_table, verdict
from .observed_variants import variants_table
from .plots import run_figures
from .staff import staff_table
from .tables import Table, flows_table, pledges_table, stages_table
from .versus import comparison_tables

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .inline import Figures

__all__ = [
    "answer_html",
    "comparison_html",
    "comparison_plots",
    "comparison_repr",
    "result_html",
    "result_plots",
    "result_repr",
    "table_html",
]

_TONE = {"pass": "#1a7f37", "fail": "#c62828", "mixed": "#b7791f", "info": "#0072b2"}


def table_html(table: Table, *, rows: int | None = None) -> str:
    """A table under its title: its headers and rows as :mod:`portsim.report.tables` made
    them (the HTML report's and the text's own words); with ``rows``, only the first so many,
    and a line saying how many more there are."""
    shown = table.rows if rows is None else table.rows[:rows]
    more = len(table.rows) - len(shown)

    def cell(tag: str, text: str, i: int) -> str:
        align = "right" if i in table.numeric else "left"
        return f'<{tag} style="text-align:{align}">{escape(text.strip())}</{tag}>'

    head = "".join(cell("th", h, i) for i, h in enumerate(table.headers))
    body = "".join(
        "<tr>" + "".join(cell("td", c, i) for i, c in enumerate(row)) + "</tr>" for row in shown
    )
    tail = f"<p><i>… and {more} more rows: <code>.to_pandas()</code> has them all</i></p>"
    return (
        f"<p><b>{escape(table.title)}</b></p><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>" + (tail if more else "")
    )


def answer_html(answer: Answer) -> str:
    """The answer first: its headline in bold beside a bar of its tone's colour (pass green,
    fail red, mixed amber, info blue), then the sentences that back it."""
    colour = _TONE.get(answer.tone, _TONE["info"])
    points = "".join(f"<li>{escape(p)}</li>" for p in answer.points)
    return (
        f'<div style="border-left:5px solid {colour};padding:4px 12px;margin:6px 0">'
        f"<b>{escape(answer.headline)}</b><ul>{points}</ul></div>"
    )


def result_html(result: SimulationResult) -> str:
    """A run: its name, the answer, and the travellers, stages, pledges and officers
    tables (the last two where the scenario has pledges, staff pools)."""
    s = result.summary
    tables = [flows_table(s), stages_table(s)]
    tables += [t for t in (pledges_table(s), staff_table(s)) if t is not None]
    title = (
        f"<p><b>{escape(result.scenario.name)}</b>: {result.replications} replications, "
        f"seed {result.seed}</p>"
    )
    body = answer_html(run_answer(result)) + "".join(map(table_html, tables))
    if result.observed is not None:  # the verdict and the table; the chart: .plot()
        said = verdict(result.observed)
        body += answer_html(Answer(said.headline, said.tone, list(said.points)))
        body += table_html(observed_table(result.observed))
    return "<div>" + title + body + "</div>"


def comparison_html(comparison: Comparison) -> str:
    """A comparison: the winner, the differences, the variants' waits and pledges."""
    title = (
        f"<p><b>{escape(', '.join(comparison.variants))}</b>: {comparison.replications} "
        f"replications, seed {comparison.seed}, common random numbers</p>"
    )
    observed = variants_table(comparison)
    shown = [*comparison_tables(comparison), *([observed] if observed is not None else [])]
    tables = "".join(table_html(t) for t in shown)
    return "<div>" + title + answer_html(comparison_answer(comparison)) + tables + "</div>"


def result_repr(result: SimulationResult) -> str:
    """A run in two lines: what ran, and the answer's headline."""
    return (
        f"SimulationResult of {result.scenario.name!r}: {result.replications} replications, "
        f"seed {result.seed}\n{run_answer(result).headline}"
    )


def comparison_repr(comparison: Comparison) -> str:
    """A comparison in two lines: the variants, and the answer's headline."""
    return (
        f"Comparison of {', '.join(comparison.variants)}: {comparison.replications} "
        f"replications, seed {comparison.seed}\n{comparison_answer(comparison).headline}"
    )


def result_plots(result: SimulationResult, name: str | None = None) -> Figures | Figure:
    """A run's charts (:func:`~portsim.report.plots.run_figures`), or the one called
    ``name``."""
    from .inline import pick  # noqa: PLC0415 - matplotlib only when plotting

    return pick({**run_figures(result), **observed_figures(result.observed)}, name)


def comparison_plots(comparison: Comparison, name: str | None = None) -> Figures | Figure:
    """A comparison's charts (:func:`~portsim.report.compare_plots.comparison_figures`), or
    the one called ``name``."""
    from .inline import pick  # noqa: PLC0415 - matplotlib only when plotting

    return pick(comparison_figures(comparison), name)
