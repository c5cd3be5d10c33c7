"""What the run commands (``run``, ``report``, ``compare``, ``validate``) check before a run:
the scenario file (with ``--set``), the output paths, the ``--from-state`` file, the
scenario's fit to the run (:func:`~portsim.run.preflight`); each problem is one line and exit
code 2. Then the warnings, the size of a large run and a cap on the workers are said before
the first replication starts."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

import click

from .cli_common import EXIT_BAD_INPUT, check_paths, load_checked
from .errors import PortsimError, ScenarioError, UsageError
from .model.initial import StateError
from .run import Preflight, default_workers, preflight, usable_workers
from .scenario import Scenario
from .scenario.state import State, load_state

__all__ = [
    "before_run",
    "check_outputs",
    "fail",
    "load",
    "preflight_checked",
    "read_state",
]


def fail(error: PortsimError) -> NoReturn:
    """Say ``error`` in one line on standard error and exit with code 2."""
    click.echo(str(error), err=True)
    sys.exit(EXIT_BAD_INPUT)


def load(file: Path, overrides: tuple[str, ...] = ()) -> Scenario:
    """The scenario of ``file`` with ``overrides`` (``--set``), or one line and exit 2."""
    try:
        return load_checked(file, overrides)
    except ScenarioError as error:
        fail(error)


def check_outputs(
    json_path: str | None,
    records_path: Path | None,
    inputs: list[Path],
    html_path: Path | None = None,
    plots_dir: Path | None = None,
) -> None:
    """Before anything runs: the output paths can be written."""
    try:
        check_paths(
            {"--json": json_path, "--records": records_path, "--html": html_path},
            inputs,
            plots_dir,
        )
    except UsageError as error:
        fail(error)


def preflight_checked(
    file: Path,
    scenario: Scenario,
    replications: int | None,
    records: bool,
    state: tuple[Path, State] | None = None,
    *,
    variant: str | None = None,
) -> Preflight:
    """The scenario's fit to the run (and to the state): its size, warnings and workers;
    a problem is one line naming the file it is in (and the ``variant`` of a comparison a
    state does not fit), and exit code 2."""
    try:
        return preflight(
            scenario, replications, records=records, state=None if state is None else state[1]
        )
    except StateError as error:  # the state file's, not the scenario's
        assert state is not None
        if variant is not None:  # the base fits it: the variant's change does not
            error = StateError(error.path, f"{error.problem} (in the variant {variant!r})")
        fail(error.with_file(str(state[0])))
    except UsageError as error:
        fail(UsageError(f"{file}: {error}"))
    except ScenarioError as error:
        fail(error.with_file(str(file)))


def before_run(checked: Iterable[tuple[str, Preflight]], workers: int | None, quiet: bool) -> int:
    """Say the warnings, the size of a large run and a cap on the workers; the workers."""
    checked = list(checked)
    for name, check in checked:
        prefix = f"{name}: " if len(checked) > 1 else ""
        for warning in check.warnings:
            click.echo(f"warning: {prefix}{warning}", err=True)
        notice = check.notice()
        if notice and not quiet:
            click.echo(f"portsim: {prefix}{notice}", err=True)
    replications = checked[0][1].work.replications
    requested = workers or default_workers()
    usable = usable_workers(requested, replications)
    if workers and usable < min(workers, replications) and not quiet:
        click.echo(
            f"portsim: --workers {workers}: using {usable} ({default_workers()} cores)",
            err=True,
        )
    return usable


def read_state(path: Path | None) -> tuple[Path, State] | None:
    """The state file of ``--from-state``, read (its fit to the scenario is checked with
    the run's: :func:`preflight_checked`): ``STATE.yaml: field.path: problem`` and exit
    code 2 for anything wrong."""
    if path is None:
        return None
    try:
        return path, load_state(path)
    except ScenarioError as error:
        fail(error)
