"""The planning commands — ``sweep``, ``plan``, ``capacity`` and ``report STORE`` — which
parse arguments and call :mod:`portsim.planning.requests`, nothing more."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .cli_common import (
    EXIT_BAD_INPUT,
    EXIT_NOT_WRITTEN,
    NOTHING_WRITTEN,
    Write,
    check_paths,
    load_checked,
    quiet_option,
    report_options,
    report_writes,
    write_files,
)
from .cli_signals import exit_stopped
from .errors import PortsimError, ScenarioError
from .scenario import Scenario

if TYPE_CHECKING:
    from .planning.requests import Setup
    from .planning.runner import BatchProgress
    from .planning.sweep import SweepResult

__all__ = ["STORE_SUFFIXES", "add_planning_commands", "report_store"]

#: what ``portsim report`` takes for a results store, by its suffix
STORE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


def _kept(store: Path | None) -> str:
    """What a stopped planning command kept."""
    if store is None:
        return "no results were kept (without --store, runs are kept in memory only)"
    return (
        f"every finished replication is kept in {store}; "
        "the same command with --resume goes on from there"
    )


def _mended(function: Callable[..., None]) -> Callable[..., None]:
    """A problem the user can mend: one line on stderr, exit code 2. A stop (Ctrl-C,
    SIGTERM, SIGHUP): one line saying what ``--store`` kept, exit code 128 + the signal."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            function(*args, **kwargs)
        except PortsimError as error:
            click.echo(str(error), err=True)
            sys.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt as stop:
            kept = _kept(kwargs["store"]) if "store" in kwargs else NOTHING_WRITTEN
            exit_stopped(stop, kept, newline=True)

    return wrapper


def _common(function: Callable[..., Any]) -> Callable[..., Any]:
    """Options every planning command takes."""
    options = [
        click.argument("file", type=click.Path(dir_okay=False, path_type=Path)),
        click.option(
            "--replications",
            "-r",
            type=click.IntRange(min=1),
            help="Replications per configuration (default: the scenario's).",
        ),
        click.option("--seed", "-s", type=click.IntRange(min=0), help="Override the scenario's."),
        click.option(
            "--set",
            "overrides",
            multiple=True,
            metavar="PATH=VALUE",
            help="Override a field of the file first (repeatable).",
        ),
        click.option(
            "--workers",
            "-w",
            type=click.IntRange(min=1),
            help="Local processes (default: all cores); results do not depend on it.",
        ),
        click.option(
            "--dask",
            "dask",
            metavar="tcp://HOST:8786",
            help="Run on this Dask scheduler's cluster (pip install 'portsim[dask]').",
        ),
        click.option(
            "--store",
            type=click.Path(dir_okay=False, path_type=Path),
            help="SQLite file keeping every finished replication (default: memory).",
        ),
        click.option(
            "--resume",
            is_flag=True,
            help="Use the runs already in --store; compute only what is missing.",
        ),
        click.option(
            "--json",
            "json_path",
            metavar="PATH|-",
            help="Write the result as JSON to PATH; '-' prints only the JSON.",
        ),
    ]
    function = quiet_option(report_options(function), size_note=False)
    for option in reversed(options):
        function = option(function)
    return function


def _setup(common: dict[str, Any], progress: BatchProgress | None) -> Setup:
    from .planning.requests import Setup  # noqa: PLC0415 (the planning commands' imports wait for them)

    store = common["store"]
    if common["resume"] and store is None:
        raise PortsimError("--resume needs --store: the file that holds the runs")
    where = (common["workers"], common["dask"])
    return Setup(common["seed"], str(store) if store else None, common["resume"], *where, progress)


def _vary_options(function: Callable[..., Any]) -> Callable[..., Any]:
    function = click.option(
        "--variant",
        "variants",
        multiple=True,
        metavar="NAME:PATH=VALUE[;PATH=VALUE]",
        help="A named variant (repeatable); together they make one parameter, 'variant'.",
    )(function)
    return click.option(
        "--vary",
        "vary",
        multiple=True,
        metavar="[NAME:]PATH=VALUES",
        help="A field and its values: 8:20:2 (20 included), 10,12,14 (repeatable).",
    )(function)


def _parameters(vary: tuple[str, ...], variants: tuple[str, ...]) -> list[Any]:
    from .planning.requests import parameters_of  # noqa: PLC0415
    from .planning.vary import parse_variant, variants_parameter  # noqa: PLC0415

    parameters = parameters_of(list(vary))
    if variants:
        parameters.append(variants_parameter([parse_variant(v) for v in variants]))
    return parameters


def _run(
    file: Path,
    common: dict[str, Any],
    work: Callable[[Scenario, Setup], Any],
    files: dict[str, Path | None] | None = None,
    writes: Callable[[Any], list[Write]] = lambda _: [],
) -> None:
    """Check the outputs, load the file, run ``work`` with the progress display, write the
    files asked for (``files`` by option; ``writes`` of the result: the CSV) and print the
    text (or only the JSON with ``--json -``). A file that cannot be written is one line,
    and exit code 1 after the text."""
    from .planning.sweep import SweepResult  # noqa: PLC0415
    from .report import planning_display  # noqa: PLC0415
    from .report.planning.text import format_planning  # noqa: PLC0415

    json_path, store = common["json_path"], common["store"]
    outputs = {"--json": json_path, "--html": common["html_path"], **(files or {})}
    check_paths({**outputs, "--store": store}, [file], common["plots_dir"])
    scenario = load_checked(file, common["overrides"])
    with planning_display(enabled=not common["quiet"]) as progress:
        setup = _setup(common, progress)
        try:
            result = work(scenario, setup)
        except ScenarioError as error:  # a --vary, --variant or condition: of this file
            raise error.with_file(str(file)) from None
    if isinstance(result, SweepResult):
        payload = result.to_json()
    else:
        payload = json.dumps(result.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)
    written = write_files(
        [
            *writes(result),
            (json_path, lambda path: path.write_text(payload + "\n", encoding="utf-8")),
            *report_writes(result, common["plots_dir"], common["html_path"], scenario),
        ],
        json_path,
        payload,
    )
    if json_path != "-":
        click.echo(format_planning("", result))
    if not written:
        sys.exit(EXIT_NOT_WRITTEN)


@click.command(name="sweep")
@_common
@_vary_options
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
@_mended
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

    parameters = _parameters(vary, variants)

    def work(scenario: Scenario, setup: Setup) -> SweepResult:
        return sweep_result(
            scenario, parameters, replications=replications, setup=setup, targets=list(targets)
        )

    _run(file, common, work, {"--csv": csv_path}, lambda r: [(csv_path, r.write_csv)])


@click.command(name="plan")
@_common
@_vary_options
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
    help="Cost of one unit of each parameter, e.g. counters=1,egates=0.3 (default 1).",
)
@click.option(
    "--per-hour",
    is_flag=True,
    help="The fewest lanes in each hour (one lane group's count varied), as a schedule.",
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
@_mended
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

    parameters = _parameters(vary, variants)
    _run(
        file,
        common,
        lambda scenario, setup: plan(
            scenario,
            parameters,
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
@_common
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
@_mended
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

    _run(
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


@_mended
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
