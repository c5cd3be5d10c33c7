"""What the planning commands share — their options, the setup of a request, one line for a
problem or a stop, and running a request with the progress display and writing its files —
so that :mod:`portsim.cli_planning` holds only the commands."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .cli_assume import assume_option
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
from .errors import PortsimError, ScenarioError, StoppedError
from .scenario import Scenario

if TYPE_CHECKING:
    from .planning.requests import Setup
    from .planning.runner import BatchProgress

__all__ = ["grid_of", "mended", "planning_options", "run_request", "vary_options"]


def _kept(store: Path | None) -> str:
    """What a stopped planning command kept."""
    if store is None:
        return "no results were kept (without --store, runs are kept in memory only)"
    return (
        f"every finished replication is kept in {store}; "
        "the same command with --resume goes on from there"
    )


def mended(function: Callable[..., None]) -> Callable[..., None]:
    """A problem the user can mend: one line on stderr, exit code 2; work stopped by a
    store that cannot be written or a cluster without workers (its finished runs kept):
    one line, exit code 1; a stop (Ctrl-C, SIGTERM, SIGHUP): one line saying what
    ``--store`` kept, exit code 128 + the signal."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            function(*args, **kwargs)
        except StoppedError as error:
            click.echo(str(error), err=True)
            sys.exit(EXIT_NOT_WRITTEN)
        except PortsimError as error:
            click.echo(str(error), err=True)
            sys.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt as stop:
            kept = _kept(kwargs["store"]) if "store" in kwargs else NOTHING_WRITTEN
            exit_stopped(stop, kept, newline=True)

    return wrapper


def planning_options(function: Callable[..., Any]) -> Callable[..., Any]:
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
            "--dask-timeout",
            type=click.FloatRange(min=0, min_open=True),
            metavar="SECONDS",
            # the default is planning.cluster.DASK_TIMEOUT, spelt here so that a command that
            # does not plan never imports planning (tests/test_planning_cli.py compares them)
            help="Stop when the Dask cluster has had no worker this long (default 300); "
            "the finished runs stay in --store.",
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
    function = assume_option(function)  # after --set in the help
    for option in reversed(options):
        function = option(function)
    return function


def _setup(common: dict[str, Any], progress: BatchProgress | None) -> Setup:
    from .planning.cluster import DASK_TIMEOUT  # noqa: PLC0415
    from .planning.requests import Setup  # noqa: PLC0415 (the planning commands' imports wait for them)

    store = common["store"]
    if common["resume"] and store is None:
        raise PortsimError("--resume needs --store: the file that holds the runs")
    return Setup(
        common["seed"],
        str(store) if store else None,
        common["resume"],
        common["workers"],
        common["dask"],
        progress,
        common["dask_timeout"] or DASK_TIMEOUT,
    )


def vary_options(function: Callable[..., Any]) -> Callable[..., Any]:
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


def grid_of(vary: tuple[str, ...], variants: tuple[str, ...]) -> list[Any]:
    from .planning.requests import parameters_of  # noqa: PLC0415
    from .planning.vary import parse_variant, variants_parameter  # noqa: PLC0415

    parameters = parameters_of(list(vary))
    if variants:
        parameters.append(variants_parameter([parse_variant(v) for v in variants]))
    return parameters


def run_request(
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
    # a store that exists but cannot be written is still read: it says so (and what to
    # do) when a run is to be written to it, not before
    read_only = store is not None and store.is_file() and not os.access(store, os.W_OK)
    check_paths({**outputs, "--store": None if read_only else store}, [file], common["plots_dir"])
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
