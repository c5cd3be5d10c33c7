"""The HTML report of a sweep, a plan and a capacity search (``--html FILE``): the answer
first (the cheapest configuration and its runner-up, the smallest of a sweep that meets
every condition, the most demand the hall takes), warnings, the plots, the table of every
configuration judged with its CSV, the model's diagram and the scenario in words (as the
file gives them), and how to reproduce it. One self-contained file, built from the blocks
of :mod:`~portsim.report.html`."""

from __future__ import annotations

from html import escape
from pathlib import Path

from ...planning.capacity import CapacityResult
from ...planning.plan import PlanResult
from ...planning.requests import PlanningResult
from ...planning.staffing import StaffingResult
from ...planning.sweep import SweepResult
from ...results.catalog import WAIT_P95
from ...results.scopes import OVERALL
from ...scenario.load import scenario_to_yaml
from ...scenario.spec import Scenario
from ...version import package_version
from ..cells import hour_span
from ..describe import describe_scenario
from ..diagram import diagram_block
from ..html import answer_block, details_block, figure_block, html_page, list_block, section
from ..html import table_block as table_html
from ..tables import CsvValue, Table
from .capacity_words import demand_day
from .plots import planning_caption, planning_figures
from .text import sweep_header, sweep_unit
from .view import (
    Judged,
    cell_text,
    chosen_point,
    judged_rows,
    planning_answer,
    planning_conditions,
)
from .words import (
    ColumnUnit,
    condition_words,
    count_words,
    hour_label,
    parameter_words,
    path_words,
    size_words,
    sweep_warnings,
)

__all__ = ["judged_table", "planning_report_html", "write_planning_html"]

#: a table longer than this scrolls in its own box
SCROLL_ROWS = 20


def _kind(result: PlanningResult) -> str:
    if isinstance(result, SweepResult):
        return "sweep"
    if isinstance(result, PlanResult | StaffingResult):
        return "plan"
    if isinstance(result, CapacityResult):
        return "capacity"
    raise TypeError(f"not a planning result: {type(result).__name__}")


def _names(result: SweepResult | PlanResult | CapacityResult) -> list[tuple[str, str]]:
    """The first columns' headers in words, and the code each stands for."""
    if isinstance(result, CapacityResult):
        return [
            (f"demand {demand_day(result)}", ""),
            ("in the busiest hour", ""),
            ("demand factor", "--scale " + " --scale ".join(result.paths)),
        ]
    return [(parameter_words(p), p.path or p.name) for p in result.parameters]


def _levels(result: SweepResult | PlanResult | CapacityResult, row: Judged) -> list[str]:
    labels = [label for _, label in row.configuration.values]
    if not isinstance(result, CapacityResult):
        return labels
    demand = result.demand_at(result.factors[row.point[0]])
    if demand is None:
        return ["-", "-", f"{labels[0]} ×"]
    hour = f"{count_words(demand.in_hour)}, {hour_label(demand.hour, result.days)}"
    return [count_words(demand.per_day), hour, f"{labels[0]} ×"]


def _order(result: SweepResult | PlanResult | CapacityResult, rows: list[Judged]) -> list[Judged]:
    """A sweep in its grid's order, a plan's cheapest first, a capacity search's factors
    from the smallest."""
    if isinstance(result, PlanResult):
        return sorted(rows, key=lambda r: (r.cost if r.cost is not None else 0.0, r.point))
    if isinstance(result, CapacityResult):
        return sorted(rows, key=lambda r: r.point)
    return rows


_TITLES = {"sweep": "Every configuration", "plan": "Every configuration judged"}
_NOTE = (
    "Each target: the mean over the replications, its 95 % interval, and met (the whole "
    "interval on the right side of the bound), failed (wholly on the wrong side) or "
    "inconclusive."
)


def judged_table(result: SweepResult | PlanResult | CapacityResult) -> Table:
    """Every configuration judged: its levels (a capacity search's demand in travellers a
    day and in the busiest hour, and its factor), cost (a plan's), replications, each
    condition's estimate with its 95 % interval and status, and the status over all
    conditions; headers in words, one unit a column, the code each stands for as its hover
    title and a footnote, the chosen configuration's row marked. The CSV has plain numbers;
    a sweep's has every column of its table."""
    conditions = planning_conditions(result)
    rows = _order(result, judged_rows(result))
    costed = isinstance(result, PlanResult)
    days = None if isinstance(result, SweepResult) else result.days
    names = _names(result)
    first = [*(n for n, _ in names), *(["cost"] if costed else []), "replications"]
    units = [
        ColumnUnit.of(t.measure, [r.cells[k].mean for r in rows]) for k, t in enumerate(conditions)
    ]
    headers = [
        *first,
        *(u.header(condition_words(t)) for t, u in zip(conditions, units, strict=True)),
    ]
    headers.append("every target")
    hints = [*(code for _, code in names), *[""] * (len(first) - len(names))]
    note = _NOTE
    demand = result.base_demand if isinstance(result, CapacityResult) else None
    if demand is not None:
        note += (
            f" Demand: the expected arrivals of {', '.join(demand.flows)} at each factor, from "
            "the scenario's arrivals (not counts from the runs)."
        )
    hints += [t.text for t in conditions]
    csv_headers = (
        ["factor"] if isinstance(result, CapacityResult) else [p.name for p in result.parameters]
    )
    csv_headers += [*(["cost"] if costed else []), "replications"]
    for t in conditions:
        csv_headers += [t.text, f"{t.text} ci95_low", f"{t.text} ci95_high", f"{t.text} status"]
    shown, plain = [], []
    for r in rows:
        levels = _levels(result, r)
        cost = [f"{r.cost:g}" if r.cost is not None else "-"] if costed else []
        cells = [
            cell_text(t, c, u, days) for t, c, u in zip(conditions, r.cells, units, strict=True)
        ]
        shown.append([*levels, *cost, str(r.replications), *cells, r.status])
        labels = [label for _, label in r.configuration.values]
        numbers: list[CsvValue] = [*labels, *([r.cost] if costed else []), r.replications]
        for c in r.cells:
            numbers += [c.mean, *(c.ci or (None, None)), c.status]
        plain.append([*numbers, r.status])
    csv_headers.append("status")
    if isinstance(result, SweepResult):  # its overall p95 wait; the CSV: the whole table
        column = OVERALL.metric_path(WAIT_P95)
        unit = sweep_unit(result, column)
        headers.insert(len(first), unit.header(sweep_header(result, column)))
        hints.insert(len(first), column)
        for cells, row in zip(shown, result.rows, strict=True):
            stat = result.stat(row, column)
            cells.insert(len(first), unit.interval(stat.mean, stat.interval) if stat else "-")
        csv_headers, plain = list(result.columns), [list(row) for row in result.rows]
        note += " The CSV has every metric of the sweep with its interval."
    title = _TITLES.get(_kind(result), "Every factor judged")
    numeric = frozenset({len(first) - 1})  # the replications
    point = chosen_point(result)
    chosen = frozenset(n for n, r in enumerate(rows) if r.point == point)
    return Table(
        "configurations",
        title,
        headers,
        shown,
        csv_headers,
        plain,
        note=note,
        numeric=numeric,
        hints=tuple(hints),
        chosen=chosen,
    )


def _staffing_table(result: StaffingResult) -> Table:
    counts = list(result.counts or ())
    rows = [[hour_span(h), str(n)] for h, n in enumerate(counts)]
    lanes = result.unit == "lanes"
    return Table(
        "schedule",
        "Lanes open by hour" if lanes else "Officers on duty by hour",
        ["hour", "lanes open" if lanes else "officers on duty"],
        rows,
        ["hour", result.unit],
        [[h, n] for h, n in enumerate(counts)],
        note=f"The fewest {'lanes' if lanes else 'officers'} of {path_words(result.group)} "
        f"{'open' if lanes else 'on duty'} in each hour; paste the schedule in place of the "
        f"count of {result.group}.",
        numeric=frozenset({1}),
    )


def _warnings(result: PlanningResult) -> list[str]:
    return sweep_warnings(result) if isinstance(result, SweepResult) else []


def _reproduce(result: PlanningResult, command: str | None, scenario: Scenario | None) -> str:
    how = command or f"import portsim\nportsim.{_kind(result)}(scenario, …, seed={result.seed})"
    facts = [("portsim version", package_version()), ("seed", str(result.seed))]
    if not isinstance(result, StaffingResult):
        facts.append(("replications", str(result.replications)))
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
    blocks = [
        "<p>The same scenario file, seed and options give the same numbers, whoever computes "
        "them (local processes or a Dask cluster).</p>",
        f'<pre class="command">{escape(how)}</pre>',
        f'<dl class="facts">{rows}</dl>',
    ]
    if scenario is not None:
        yaml = scenario_to_yaml(scenario)
        blocks.append(details_block("The scenario file as read", f"<pre>{escape(yaml)}</pre>"))
    return "\n".join(blocks)


def _subtitle(result: PlanningResult) -> str:
    if isinstance(result, SweepResult):
        return (
            f"{size_words(result)}; common random numbers: every configuration runs the same "
            "replications"
        )
    if isinstance(result, PlanResult | CapacityResult):
        return f"{size_words(result)}; 95 % intervals"
    return f"{result.unit} of {path_words(result.group)} by hour, seed {result.seed}"


def planning_report_html(
    result: PlanningResult, command: str | None = None, scenario: Scenario | None = None
) -> str:
    """The HTML report of a sweep, a plan (or a staffing search) or a capacity search
    (``command``: the command line that made it; ``scenario``: its base scenario)."""
    kind = _kind(result)
    answer = planning_answer(result, "either" if command is None else "command")
    blocks = [answer_block(answer.headline, answer.points, answer.tone)]
    warnings = _warnings(result)
    if warnings:
        blocks.append(section("Warnings", list_block(warnings, "warnings"), anchor="warnings"))
    figures = [
        figure_block(figure, planning_caption(result, name), name)
        for name, figure in planning_figures(result).items()
    ]
    if figures:
        blocks.append(section("Plots", *figures, anchor="plots"))
    table = _staffing_table(result) if isinstance(result, StaffingResult) else judged_table(result)
    blocks.append(
        section("Tables", table_html(table, scroll=len(table.rows) > SCROLL_ROWS), anchor="tables")
    )
    if scenario is not None:  # the scenario as the file gives it; the tables vary it
        blocks.append(section("The model", diagram_block(scenario), anchor="model"))
        words = [f"<h3>{escape(h)}</h3>\n{list_block(s)}" for h, s in describe_scenario(scenario)]
        blocks.append(section("The scenario in words", *words, anchor="scenario"))
    blocks.append(
        section(
            "Reproduce these numbers", _reproduce(result, command, scenario), anchor="reproduce"
        )
    )
    name = f": {scenario.name}" if scenario is not None else ""
    return html_page(f"portsim {kind}{name}", blocks, subtitle=_subtitle(result))


def write_planning_html(
    result: PlanningResult,
    path: str | Path,
    command: str | None = None,
    scenario: Scenario | None = None,
) -> Path:
    """Write the HTML report of a planning result to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(planning_report_html(result, command, scenario), encoding="utf-8")
    return path
