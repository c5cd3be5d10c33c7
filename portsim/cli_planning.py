"""The planning commands — ``sweep``, ``plan``, ``capacity`` and ``report STORE`` — which
parse arguments and call :mod:`portsim.planning.requests`, nothing more (their shared options
and running: :mod:`portsim.cli_planning_options`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .cli_assume_vary import concrete_parameters
from .cli_common import EXIT_NOT_WRITTEN, Write, check_paths, report_writes, write_files
from .cli_planning_options import grid_of, mended, planning_options, run_request, vary_options
from .errors import PortsimError
from .scenario import Scenario

if TYPE_CHECKING:
    from .planning.requests import Setup
    from .planning.sweep import SweepResult

__all__ = ["STORE_SUFFIXES", "add_planning_commands", "report_store"]

#: what ``portsim report`` takes for a results store, by its suffix
STORE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


@click.command(name="sweep")
@planning_options
@vary_options
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the table as CSV: every metric with its interval.",
)
@click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="TARGET",
    help="What the plots and the HTML report judge the configurations by, as for plan "
    "but of whole runs (repeatable; default: the scenario's pledges).",
)
@mended
def sweep_command(
    file: Path,
    *,
    vary: tuple[str, ...],
    variants: tuple[str, ...],
    csv_path: Path | None,
    targets: tuple[str, ...],
    replications: int | None,
    **common: Any,
) -> None:
    """Run every configuration of a grid with common random numbers: one row per configuration.

    \b
    portsim sweep hall.yaml --vary stages.hall.lanes.egates.count=8:20:2 --csv sweep.csv
    """
    from .planning.requests import sweep_result  # noqa: PLC0415

    grid = concrete_parameters(file, common["overrides"], grid_of(vary, variants))

    def work(scenario: Scenario, setup: Setup) -> SweepResult:
        return sweep_result(
            scenario, grid, replications=replications, setup=setup, targets=list(targets)
        )

    run_request(file, common, work, {"--csv": csv_path}, lambda r: [(csv_path, r.write_csv)])


@click.command(name="plan")
@planning_options
@vary_options
@click.option(
    "--target",
    "targets",
    multiple=True,
    required=True,
    metavar="TARGET",
    help="E.g. 'visitors.wait_p95<=30min', 'residents.share_within(15min)>=0.98', "
    "'pledges' (repeatable; all must hold).",
)
@click.option(
    "--cost",
    metavar="NAME=COST[,NAME=COST]",
    help="Cost of one unit of each parameter, e.g. counters=1,egates=0.3 (default 1); a "
    "staff pool's name prices every varied count of it, e.g. officers=1: per officer on "
    "duty all the run, a shift's officers by the officer-hours they are on duty over the run "
    "(the days of their type counted) ÷ the run's hours.",
)
@click.option(
    "--per-hour",
    is_flag=True,
    help="The fewest lanes in each hour (one lane group's count varied), or officers on "
    "duty (one staff pool's count varied), as a schedule.",
)
@click.option(
    "--max-replications",
    type=click.IntRange(min=1),
    help="Most replications for a candidate whose interval straddles a target (default 40).",
)
@click.option(
    "--confidence",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=0.95,
    show_default=True,
    help="Confidence of the intervals that must clear the targets.",
)
@click.option(
    "--exhaustive", is_flag=True, help="Judge every configuration (the reference answer)."
)
@mended
def plan_command(
    file: Path,
    *,
    vary: tuple[str, ...],
    variants: tuple[str, ...],
    targets: tuple[str, ...],
    cost: str | None,
    per_hour: bool,
    max_replications: int | None,
    confidence: float,
    exhaustive: bool,
    replications: int | None,
    **common: Any,
) -> None:
    """The cheapest configuration that meets every target, with its evidence.

    \b
    portsim plan hall.yaml --vary counters:stages.hall.lanes.counters.count=4:20 \\
        --vary egates:stages.hall.lanes.egates.count=0:16 \\
        --target "visitors.wait_p95<=30min" --cost counters=1,egates=0.3
    """
    from .planning.requests import plan  # noqa: PLC0415

    grid = concrete_parameters(file, common["overrides"], grid_of(vary, variants))
    run_request(
        file,
        common,
        lambda scenario, setup: plan(
            scenario,
            grid,
            list(targets),
            cost=cost,
            per_hour=per_hour,
            replications=replications,
            max_replications=max_replications,
            confidence=confidence,
            exhaustive=exhaustive,
            setup=setup,
        ),
    )


@click.command(name="capacity")
@planning_options
@click.option(
    "--scale",
    "scale",
    multiple=True,
    required=True,
    metavar="PATH",
    help="A demand to scale, e.g. flows.visitors.arrivals.daily_total (repeatable: "
    "all by the same factor).",
)
@click.option(
    "--target",
    "targets",
    multiple=True,
    required=True,
    metavar="TARGET",
    help="As for plan (repeatable; all must hold).",
)
@click.option(
    "--factors",
    default="0.5:3:0.01",
    show_default=True,
    metavar="LO:HI:STEP",
    help="The factors to search among.",
)
@click.option(
    "--max-replications",
    type=click.IntRange(min=1),
    help="Most replications for a factor whose interval straddles a target (default 40).",
)
@click.option(
    "--confidence",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=0.95,
    show_default=True,
    help="Confidence of the intervals that must clear the targets.",
)
@click.option("--exhaustive", is_flag=True, help="Judge every factor (the reference answer).")
@mended
def capacity_command(
    file: Path,
    *,
    scale: tuple[str, ...],
    targets: tuple[str, ...],
    factors: str,
    max_replications: int | None,
    confidence: float,
    exhaustive: bool,
    replications: int | None,
    **common: Any,
) -> None:
    """The largest demand (a factor on the flows named) that still meets every target.

    \b
    portsim capacity hall.yaml --scale flows.visitors.arrivals.daily_total \\
        --target "visitors.share_within(30min)>=0.95"
    """
    from .planning.requests import capacity  # noqa: PLC0415

    run_request(
        file,
        common,
        lambda scenario, setup: capacity(
            scenario,
            list(scale),
            list(targets),
            factors=factors,
            replications=replications,
            max_replications=max_replications,
            confidence=confidence,
            exhaustive=exhaustive,
            setup=setup,
        ),
    )


@mended
def report_store(store: Path, plots_dir: Path | None = None, html_path: Path | None = None) -> None:
    """``portsim report STORE.db``: report again every sweep, plan and capacity search a
    results store holds, from its runs alone (nothing is simulated); with ``--html`` and
    ``--plots``, their reports and plots too (numbered ``FILE_1.html``, ``DIR/1/`` when the
    store holds several)."""
    from .planning.replay import replay  # noqa: PLC0415
    from .report.planning.text import format_planning  # noqa: PLC0415

    check_paths({"--html": html_path}, [store], plots_dir)
    if not store.is_file():
        raise PortsimError(f"{store}: no such results store")
    results = replay(str(store))
    if not results:
        raise PortsimError(f"{store}: holds no sweep, plan or capacity search")
    writes: list[Write] = []
    for n, (_, result) in enumerate(results, start=1):
        html, plots = html_path, plots_dir
        if len(results) > 1:
            html = html and html.with_name(f"{html.stem}_{n}{html.suffix}")
            plots = plots and plots / str(n)
        writes += report_writes(result, plots, html)
    written = write_files(writes, None, "")
    click.echo("\n\n".join(format_planning(kind, result) for kind, result in results))
    if not written:
        sys.exit(EXIT_NOT_WRITTEN)


def add_planning_commands(group: click.Group) -> None:
    """Add the planning commands to the ``portsim`` command group."""
    for command in (sweep_command, plan_command, capacity_command):
        group.add_command(command)
