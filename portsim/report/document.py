"""The HTML reports of a run and of a comparison (``--html FILE``, ``portsim report``):
the answer first, warnings, the scenario in words, the plots, the tables with their CSV,
the documented figures, and how to reproduce the numbers."""

from __future__ import annotations

from html import escape
from pathlib import Path

from ..run.compare import Comparison
from ..run.simulate import SimulationResult
from ..scenario.load import dump_scenario
from ..scenario.yaml_io import dump_yaml
from ..units import format_duration
from ..version import package_version
from .answer import comparison_answer, run_answer
from .assumptions import ASSUMPTIONS_TITLE, assumptions_table
from .compare_plots import comparison_figures
from .day_tables import days_table, lane_days_table, pledge_days_table
from .describe import describe_scenario
from .diagram import diagram_block
from .forecast import first_hour, forecast_heading
from .html import (
    answer_block,
    details_block,
    figure_block,
    html_page,
    list_block,
    section,
    table_block,
)
from .notes import run_warnings
from .observed import observed_section
from .observed_variants import variants_section
from .plots import run_figures
from .staff import staff_days_table, staff_hours_table, staff_table
from .tables import (
    Table,
    flows_table,
    hourly_table,
    meetings_table,
    pledges_table,
    shuttles_table,
    stages_table,
)
from .validation import reference_table
from .versus import comparison_tables

__all__ = [
    "CAPTIONS",
    "comparison_report_html",
    "reproduce_block",
    "run_report_html",
    "scenario_block",
    "write_html",
]

#: what each plot shows, in the planner's words, by its file name
CAPTIONS = {
    "days.png": "Day by day: the travellers who came (bars) and the mean and p95 queue wait "
    "(points; whiskers: 95 % intervals). Dashed: the pledged waits. The wait for the opening "
    "of a port with limited hours is not in these waits (see the tables).",
    "pledge_share_by_day.png": "Each pledge day by day: the share of the travellers who "
    "arrived that day (at the stage, for a stage's pledge) and cleared within the pledged wait "
    "(points; whiskers: 95 % intervals). Dashed: the pledged share; the title names the days "
    "that missed it.",
    "queue_length.png": "Travellers waiting at each stage (in a queue, not yet in service), "
    "averaged over each step of the run: the line is the mean over the replications, the band "
    "spans the lowest to the highest replication. Grey: the warm-up, not counted.",
    "demand_throughput.png": "Bars: travellers arriving in each hour. Line: travellers who "
    "left the port in it. Where the line stays below the bars, queues build up. Whiskers: 95 % "
    "intervals.",
    "wait_distribution.png": "For each flow, the share of travellers who waited longer than "
    "each wait (a log scale, so that the few long waits show). A pledge is a diamond: at its "
    "wait, the curve must pass below it.",
    "lanes_open.png": "Lanes open per lane group: the plan (wide, pale) and what was actually "
    "open (thin, the mean over the replications).",
    "officers.png": "Officers of each staff pool: on duty (wide, grey: the ceiling) and "
    "committed (the line: on a lane, finishing a traveller, or moving between lane groups; "
    "the mean over the replications, the band from the lowest to the highest). Dashed: the "
    "officers on each lane group's open lanes, where the pool's officers were.",
    "pledge_share_by_hour.png": "Each pledge's share within its wait by the hour travellers "
    "arrived, with 95 % intervals; the dashed line is the pledged share.",
    "compare_waits.png": "Each variant's time in port and waits (in the order the comparison "
    "is judged on: time in port first when the routes differ), for all travellers and per "
    "flow; whiskers: 95 % intervals.",
    "compare_differences.png": "Each variant minus the first, replication by replication "
    "(common random numbers): a whisker clear of zero is a difference the run can tell.",
    "compare_pledges.png": "Each pledge's share in each variant with its 95 % interval; the "
    "dashed line is the pledged share.",
}


def scenario_block(result: SimulationResult) -> str:
    """The scenario in words."""
    parts = []
    for heading, sentences in describe_scenario(result.scenario):
        parts.append(f"<h3>{escape(heading)}</h3>\n{list_block(sentences)}")
    return "\n".join(parts)


def reproduce_block(
    result: SimulationResult, command: str | None, *, replications: int, seed: int
) -> str:
    """The command, version and seed that give the same numbers, and the scenario as run."""
    how = command or (
        "import portsim\n"
        f"result = portsim.simulate(scenario, replications={replications}, seed={seed})"
    )
    facts = [
        ("portsim version", package_version()),
        ("seed", str(seed)),
        ("replications", str(replications)),
        ("horizon", format_duration(result.model.horizon)),
        ("warm-up", format_duration(result.model.warmup)),
    ]
    if result.model.initial is not None:  # the state is not in the scenario: say it here
        facts.append(("forecast from", forecast_heading(result.model) or ""))
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
    # the run's seed and replications, which the command line may have changed from the file's
    as_run = {**dump_scenario(result.scenario), "replications": replications, "seed": seed}
    yaml = dump_yaml(as_run)
    return "\n".join(
        [
            "<p>The same scenario file, seed and replications give the same numbers in every "
            "later version of portsim, unless its changelog says why.</p>",
            f'<pre class="command">{escape(how)}</pre>',
            f'<dl class="facts">{rows}</dl>',
            details_block(
                "The scenario as run (durations in seconds, rates per second)",
                f"<pre>{escape(yaml)}</pre>",
            ),
        ]
    )


def _run_tables(result: SimulationResult) -> list[Table]:
    s = result.summary
    tables = [flows_table(s), stages_table(s)]
    extra = (
        shuttles_table(s),
        meetings_table(s),
        pledges_table(s),
        pledge_days_table(s),
        reference_table(s),
        days_table(s),
        lane_days_table(s),
        staff_table(s),
        staff_days_table(s),
        staff_hours_table(s, first_hour(result.model)),
    )
    hourly = hourly_table(s, first_hour(result.model))  # a forecast: from the state's hour
    return [*tables, *(t for t in extra if t is not None), hourly]


def _run_body(result: SimulationResult, *, diagram: bool = False) -> list[str]:
    """The sections every run shows: scenario (with ``diagram``, the model's diagram
    first), plots, tables."""
    figures = [
        figure_block(figure, CAPTIONS[name], name) for name, figure in run_figures(result).items()
    ]
    tables = [table_block(t, scroll=t.name == "hourly") for t in _run_tables(result)]
    shape = (
        [section("The model", diagram_block(result.scenario), anchor="model")] if diagram else []
    )
    assumed = assumptions_table(result.scenario.assumptions)
    shared = [section(ASSUMPTIONS_TITLE, table_block(assumed, heading=False))] if assumed else []
    return [
        *shape,
        section("The scenario in words", scenario_block(result), anchor="scenario"),
        *shared,
        section("Plots", *figures, anchor="plots"),
        section("Tables", *tables, anchor="tables"),
    ]


def run_report_html(result: SimulationResult, command: str | None = None) -> str:
    """The HTML report of one run (``command``: the command line that made it)."""
    answer = run_answer(result)
    warnings = run_warnings(result)
    blocks = [answer_block(answer.headline, answer.points, answer.tone)]
    if warnings:
        blocks.append(section("Warnings", list_block(warnings, "warnings"), anchor="warnings"))
    if result.observed is not None:  # how far to trust the rest: right after the answer
        blocks.append(observed_section(result.observed))
    blocks += _run_body(result, diagram=True)  # one diagram a page: its SVG's ids are unique
    blocks.append(
        section(
            "Reproduce these numbers",
            reproduce_block(result, command, replications=result.replications, seed=result.seed),
            anchor="reproduce",
        )
    )
    subtitle = (
        f"{result.replications} replications, seed {result.seed}; means with 95 % confidence "
        "intervals over the replications"
    )
    return html_page(f"portsim report: {result.scenario.name}", blocks, subtitle=subtitle)


def comparison_report_html(comparison: Comparison, command: str | None = None) -> str:
    """The HTML report of a comparison: the winner first, the variants side by side, then
    each variant's own report (scenario, plots, tables) to open."""
    answer = comparison_answer(comparison)
    blocks = [answer_block(answer.headline, answer.points, answer.tone)]
    said: dict[str, list[str]] = {}  # a warning → the variants it concerns
    for name in comparison.variants:
        for warning in run_warnings(comparison.results[name]):
            said.setdefault(warning, []).append(name)
    warnings = [f"{', '.join(names)}: {warning}" for warning, names in said.items()]
    if warnings:
        blocks.append(section("Warnings", list_block(warnings, "warnings"), anchor="warnings"))
    if (observed := variants_section(comparison)) is not None:
        blocks.append(observed)
    figures = [
        figure_block(figure, CAPTIONS[name], name)
        for name, figure in comparison_figures(comparison).items()
    ]
    blocks.append(section("The variants side by side", *figures, anchor="plots"))
    tables = [table_block(t) for t in comparison_tables(comparison)]
    blocks.append(section("Tables", *tables, anchor="tables"))
    variants = [
        details_block(f"Variant {name}", *_run_body(comparison.results[name]))
        for name in comparison.variants
    ]
    blocks.append(section("Each variant in detail", *variants, anchor="variants"))
    first = comparison.results[comparison.variants[0]]
    blocks.append(
        section(
            "Reproduce these numbers",
            reproduce_block(
                first, command, replications=comparison.replications, seed=comparison.seed
            ),
            anchor="reproduce",
        )
    )
    subtitle = (
        f"{', '.join(comparison.variants)}: {comparison.replications} replications, seed "
        f"{comparison.seed}, common random numbers; differences paired by replication"
    )
    title = f"portsim comparison: {first.scenario.name}"
    return html_page(title, blocks, subtitle=subtitle)


def write_html(
    result: SimulationResult | Comparison, path: str | Path, command: str | None = None
) -> Path:
    """Write the HTML report of a run or a comparison to ``path``."""
    text = (
        comparison_report_html(result, command)
        if isinstance(result, Comparison)
        else run_report_html(result, command)
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
