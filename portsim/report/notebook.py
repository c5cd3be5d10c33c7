"""How results show in a notebook (``_repr_html_``): the answer and the main tables, as a
small HTML fragment without images (fast to draw; the plots are a call away)."""

from __future__ import annotations

from html import escape

from ..run.compare import Comparison
from ..run.simulate import SimulationResult
from .answer import Answer, comparison_answer, run_answer
from .tables import Table, flows_table, pledges_table, stages_table
from .versus import comparison_tables

__all__ = ["comparison_html", "result_html"]

_TONE = {"pass": "#1a7f37", "fail": "#c62828", "mixed": "#b7791f", "info": "#0072b2"}


def _table(table: Table) -> str:
    def cell(tag: str, text: str, i: int) -> str:
        align = "right" if i in table.numeric else "left"
        return f'<{tag} style="text-align:{align}">{escape(text.strip())}</{tag}>'

    head = "".join(cell("th", h, i) for i, h in enumerate(table.headers))
    body = "".join(
        "<tr>" + "".join(cell("td", c, i) for i, c in enumerate(row)) + "</tr>"
        for row in table.rows
    )
    return (
        f"<p><b>{escape(table.title)}</b></p><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _answer(answer: Answer) -> str:
    colour = _TONE.get(answer.tone, _TONE["info"])
    points = "".join(f"<li>{escape(p)}</li>" for p in answer.points)
    return (
        f'<div style="border-left:5px solid {colour};padding:4px 12px;margin:6px 0">'
        f"<b>{escape(answer.headline)}</b><ul>{points}</ul></div>"
    )


def result_html(result: SimulationResult) -> str:
    """A run: its name, the answer, and the travellers, stages and pledges tables."""
    s = result.summary
    tables = [flows_table(s), stages_table(s)]
    pledges = pledges_table(s)
    if pledges is not None:
        tables.append(pledges)
    title = (
        f"<p><b>{escape(result.scenario.name)}</b>: {result.replications} replications, "
        f"seed {result.seed}</p>"
    )
    return "<div>" + title + _answer(run_answer(result)) + "".join(map(_table, tables)) + "</div>"


def comparison_html(comparison: Comparison) -> str:
    """A comparison: the winner, the differences, the variants' waits and pledges."""
    title = (
        f"<p><b>{escape(', '.join(comparison.variants))}</b>: {comparison.replications} "
        f"replications, seed {comparison.seed}, common random numbers</p>"
    )
    tables = "".join(_table(t) for t in comparison_tables(comparison))
    return "<div>" + title + _answer(comparison_answer(comparison)) + tables + "</div>"
