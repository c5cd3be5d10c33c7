"""The command line: it parses arguments and calls the Python API, nothing more."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import ScenarioError
from .report import format_report
from .scenario import load_scenario
from .simulation import default_workers, simulate

__all__ = ["main"]

EXIT_BAD_INPUT = 2


def _fail(error: ScenarioError) -> None:
    click.echo(str(error), err=True)
    sys.exit(EXIT_BAD_INPUT)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="portsim")
def main() -> None:
    """portsim: simulate how travellers and vehicles clear a border port."""


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replications", "-r", type=click.IntRange(min=1), help="Override the scenario's.")
@click.option("--seed", "-s", type=click.IntRange(min=0), help="Override the scenario's.")
@click.option(
    "--json",
    "json_path",
    metavar="PATH|-",
    help="Write the results as JSON to PATH; '-' prints only the JSON to stdout.",
)
@click.option(
    "--records",
    "records_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the per-entity records as CSV, one row per stage visit.",
)
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(min=1),
    help="Processes for the replications (default: all cores); results do not depend on it.",
)
def run(
    file: Path,
    *,
    replications: int | None,
    seed: int | None,
    json_path: str | None,
    records_path: Path | None,
    workers: int | None,
) -> None:
    """Run a scenario file and report queue times with 95 % confidence intervals."""
    try:
        scenario = load_scenario(file)
    except ScenarioError as error:
        _fail(error)
    result = simulate(
        scenario,
        replications=replications,
        seed=seed,
        workers=workers or default_workers(),
    )
    if records_path is not None:
        result.write_records_csv(records_path)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if json_path == "-":
        click.echo(result.to_json())
        return
    if json_path:
        Path(json_path).write_text(result.to_json() + "\n", encoding="utf-8")
    click.echo(format_report(result))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def validate(file: Path) -> None:
    """Check a scenario file; exit code 2 and one line naming the problem if it is wrong."""
    try:
        scenario = load_scenario(file)
    except ScenarioError as error:
        _fail(error)
    click.echo(
        f"{file}: ok ({len(scenario.flows)} flows, {len(scenario.stages)} stages, "
        f"{sum(len(s.lanes) for s in scenario.stages)} lane groups)"
    )
