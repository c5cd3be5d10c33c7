"""How planning results show in a notebook: a sweep, a plan, a capacity search, staffing by
hour and a sensitivity table, each as a compact HTML fragment with the answer first
(``_repr_html_``), as two lines of text (``__repr__``), and as its charts (``plot()``).

Built from the same blocks as the HTML report and the text the commands print: the answer
of :func:`~portsim.report.planning.view.planning_answer`, the table of
:func:`~portsim.report.planning.document.judged_table` (its first rows; ``to_pandas()`` has
all), the plots of :func:`~portsim.report.planning.plots.planning_figures`, and the
sensitivity table of :mod:`~portsim.report.planning.sensitivity`.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from ...planning.capacity import CapacityResult
from ...planning.plan import PlanResult
from ...planning.sensitivity import SensitivityResult
from ...planning.staffing import StaffingResult
from ...planning.sweep import SweepResult
from ...units import counted
from ..answer import Answer
from ..notebook import answer_html, table_html
from ..tables import Table
from .document import _staffing_table, judged_table
from .plots import planning_figures
from .sensitivity import HEADERS, sensitivity_head, sensitivity_rows
from .sensitivity_plot import answer_words, base_text, sensitivity_figure
from .view import planning_answer
from .words import size_words, sweep_warnings

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..inline import Figures

__all__ = ["NOTEBOOK_ROWS", "planning_html", "planning_plots", "planning_repr"]

#: the most rows a notebook's table shows (``to_pandas()`` has every one)
NOTEBOOK_ROWS = 12

Planning = SweepResult | PlanResult | CapacityResult | StaffingResult | SensitivityResult


def _planning(result: object) -> Planning:
    if isinstance(
        result, SweepResult | PlanResult | CapacityResult | StaffingResult | SensitivityResult
    ):
        return result
    raise TypeError(f"not a planning result: {type(result).__name__}")


def _facts(result: Planning) -> str:
    """What the result is, in one line: its kind, its size and its seed."""
    if isinstance(result, SweepResult):
        return f"sweep of {size_words(result)}, common random numbers"
    if isinstance(result, PlanResult | CapacityResult):
        return f"{'plan' if isinstance(result, PlanResult) else 'capacity'}: {size_words(result)}"
    if isinstance(result, StaffingResult):
        return (
            f"staffing by hour of {result.group}: {counted(result.judgements, 'judgement')}, "
            f"seed {result.seed}"
        )
    return (
        f"sensitivity of {answer_words(result.metric)} to "
        f"{counted(len(result.rows), 'assumption')}, "
        f"{counted(result.replications, 'replication')}, seed {result.seed}"
    )


def _sensitivity_answer(result: SensitivityResult) -> Answer:
    """The assumption the answer depends on most, and the answer as in the file."""
    said = f"{answer_words(result.metric)}: {base_text(result)} as in the file"
    if not result.rows:
        return Answer(said, "info", [sensitivity_head(result)])
    _, name, low, low_answer, high, high_answer = sensitivity_rows(result)[0]
    points = [
        sensitivity_head(result),
        f"{name}: {low} gives {low_answer}; {high} gives {high_answer}.",
    ]
    return Answer(f"{said}; it depends most on {name}", "info", points)


def _answer(result: Planning) -> Answer:
    if isinstance(result, SensitivityResult):
        return _sensitivity_answer(result)
    return planning_answer(result, "python")  # a notebook's result came from Python


def _table(result: Planning) -> Table:
    if isinstance(result, SensitivityResult):
        rows = sensitivity_rows(result)
        return Table(
            "sensitivity",
            "Each assumption, the largest swing first",
            list(HEADERS),
            rows,
            list(HEADERS),
            [list(r) for r in rows],
            numeric=frozenset({0}),
        )
    if isinstance(result, StaffingResult):
        return _staffing_table(result)
    return judged_table(result)


def _warnings(result: Planning) -> str:
    """A sweep's warnings, folded, each after its configuration in words."""
    if not isinstance(result, SweepResult) or not result.warnings:
        return ""
    said = sweep_warnings(result)
    items = "".join(f"<li>{escape(w)}</li>" for w in said)
    return f"<details><summary>{counted(len(said), 'warning')}</summary><ul>{items}</ul></details>"


def planning_html(result: object) -> str:
    """A planning result as a compact HTML fragment: what it is, the answer first, warnings,
    then its table (the first :data:`NOTEBOOK_ROWS` rows)."""
    shown = _planning(result)
    title = f"<p><b>{escape(_facts(shown))}</b></p>"
    body = answer_html(_answer(shown)) + _warnings(shown)
    return f"<div>{title}{body}{table_html(_table(shown), rows=NOTEBOOK_ROWS)}</div>"


def planning_repr(result: object) -> str:
    """A planning result in two lines: what it is, and the answer's headline."""
    shown = _planning(result)
    return f"{type(shown).__name__}: {_facts(shown)}\n{_answer(shown).headline}"


def planning_plots(result: object, name: str | None = None) -> Figures | Figure:
    """A planning result's charts, as ``--plots`` draws them (a sensitivity table: its
    tornado chart, ``sensitivity.png``), or the one called ``name``."""
    from ..inline import pick  # noqa: PLC0415 - matplotlib only when plotting

    shown = _planning(result)
    if isinstance(shown, SensitivityResult):
        return pick({"sensitivity.png": sensitivity_figure(shown)}, name)
    return pick(planning_figures(shown), name)
