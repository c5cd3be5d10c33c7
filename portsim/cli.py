"""The command line: it parses arguments and calls the Python API, nothing more."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from .cli_planning import add_planning_commands
from .errors import PortsimError, ScenarioError, UsageError
from .report import format_comparison, format_report, format_show
from .run import compare, default_workers, simulate
from .run.compare import MIN_VARIANTS
from .scenario import MODES, Scenario, load_scenario

__all__ = ["main"]

EXIT_BAD_INPUT = 2


def _fail(error: PortsimError) -> NoReturn:
    click.echo(str(error), err=True)
    sys.exit(EXIT_BAD_INPUT)


def _load(file: Path, overrides: tuple[str, ...] = ()) -> Scenario:
    try:
        return load_scenario(file, overrides)
    except ScenarioError as error:
        _fail(error)


_SET = click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="PATH=VALUE",
    help="Override a field, e.g. stages.hall.lanes.counters.count=12 (repeatable).",
)


def _options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options ``run`` and ``compare`` share."""
    for option in reversed(
        [
            click.option(
                "--replications", "-r", type=click.IntRange(min=1), help="Override the scenario's."
            ),
            click.option(
                "--seed", "-s", type=click.IntRange(min=0), help="Override the scenario's."
            ),
            _SET,
            click.option(
                "--workers",
                "-w",
                type=click.IntRange(min=1),
                help="Processes for the replications (default: all cores); the "
                "results do not depend on it.",
            ),
            click.option(
                "--json",
                "json_path",
                metavar="PATH|-",
                help="Write the results as JSON to PATH; '-' prints only the JSON.",
            ),
        ]
    ):
        function = option(function)
    return function


def _write_json(json_path: str | None, text: str) -> bool:
    """Write JSON where asked; True when it went to stdout (and nothing else should)."""
    if json_path == "-":
        click.echo(text)
        return True
    if json_path:
        Path(json_path).write_text(text + "\n", encoding="utf-8")
    return False


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="portsim")
def main() -> None:
    """portsim: simulate how travellers and vehicles clear a border port."""


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_options
@click.option(
    "--records",
    "records_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the per-entity records as CSV, one row per stage visit.",
)
@click.option(
    "--no-records",
    is_flag=True,
    help="Keep no per-entity records: counts and wait histograms only; memory does not grow "
    "with the horizon (percentiles to the histogram's resolution).",
)
def run(
    file: Path,
    *,
    replications: int | None,
    seed: int | None,
    overrides: tuple[str, ...],
    workers: int | None,
    json_path: str | None,
    records_path: Path | None,
    no_records: bool,
) -> None:
    """Run a scenario file and report queue times with 95 % confidence intervals."""
    if no_records and records_path is not None:
        _fail(UsageError("--records and --no-records: choose one"))
    scenario = _load(file, overrides)
    result = simulate(
        scenario,
        replications=replications,
        seed=seed,
        workers=workers or default_workers(),
        records=not no_records,
    )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if records_path is not None:
        result.write_records_csv(records_path)
    if not _write_json(json_path, result.to_json()):
        click.echo(format_report(result))


@main.command(name="compare")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--modes", help="Compare clearance modes of one file, e.g. separate,colocated,cooperative."
)
@click.option(
    "--variant",
    "variants",
    multiple=True,
    metavar="NAME:PATH=VALUE[;PATH=VALUE]",
    help="A variant of one file with its overrides (repeatable); the file as it is "
    "comes first, as 'base'.",
)
@_options
def compare_command(
    files: tuple[Path, ...],
    *,
    modes: str | None,
    variants: tuple[str, ...],
    replications: int | None,
    seed: int | None,
    overrides: tuple[str, ...],
    workers: int | None,
    json_path: str | None,
) -> None:
    """Run variants with common random numbers and report paired differences from the first.

    \b
    portsim compare A.yaml B.yaml ...
    portsim compare FILE --modes separate,colocated,cooperative
    portsim compare FILE --variant "more gates:stages.hall.lanes.egates.count=20"
    """
    items = _variants(files, modes, variants, overrides)
    try:
        comparison = compare(
            items, replications=replications, seed=seed, workers=workers or default_workers()
        )
    except PortsimError as error:
        _fail(error)
    for name, result in comparison.results.items():
        for warning in result.warnings:
            click.echo(f"warning: {name}: {warning}", err=True)
    if not _write_json(json_path, comparison.to_json()):
        click.echo(format_comparison(comparison))


def _variants(
    files: tuple[Path, ...],
    modes: str | None,
    variants: tuple[str, ...],
    overrides: tuple[str, ...],
) -> list[tuple[str, Scenario]]:
    if len(files) > 1:
        if modes or variants:
            _fail(ScenarioError("", "--modes and --variant take one file"))
        return [(file.stem, _load(file, overrides)) for file in files]
    file = files[0]
    items: list[tuple[str, Scenario]] = []
    if modes:
        if _load(file, overrides).clearance is None:
            _fail(ScenarioError("clearance", "--modes needs a clearance block", str(file)))
        for mode in (m.strip() for m in modes.split(",")):
            if mode not in MODES:
                _fail(
                    ScenarioError(
                        "--modes", f"unknown mode {mode!r} (modes: {', '.join(MODES)})", str(file)
                    )
                )
            items.append((mode, _load(file, (*overrides, f"clearance.mode={mode}"))))
    for text in variants:
        name, sep, assignments = text.partition(":")
        if not sep or not name.strip():
            _fail(ScenarioError("--variant", f"expected NAME:PATH=VALUE, got {text!r}", str(file)))
        sets = tuple(a.strip() for a in assignments.split(";") if a.strip())
        if not items:
            items.append(("base", _load(file, overrides)))
        items.append((name.strip(), _load(file, (*overrides, *sets))))
    if len(items) < MIN_VARIANTS:
        _fail(ScenarioError("", "give two files or more, --modes, or --variant", str(file)))
    names = [name for name, _ in items]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        _fail(ScenarioError("", f"duplicate variant name {duplicates[0]!r}", str(file)))
    return items


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_SET
def validate(file: Path, overrides: tuple[str, ...]) -> None:
    """Check a scenario file; exit code 2 and one line naming the problem if it is wrong."""
    scenario = _load(file, overrides)
    stages = scenario.all_stages()
    click.echo(
        f"{file}: ok ({len(scenario.flows)} flows, {len(stages)} stages, "
        f"{sum(len(s.lanes) for s in stages)} lane groups)"
    )


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_SET
def show(file: Path, overrides: tuple[str, ...]) -> None:
    """Print the stages and routes each clearance mode expands to, with their sources."""
    click.echo(format_show(_load(file, overrides)))


add_planning_commands(main)
