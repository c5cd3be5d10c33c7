"""``--observed waits.csv`` on ``portsim run``, ``portsim report`` and ``portsim compare``:
observed waits as a section of the run's own reports (:mod:`portsim.fit.observed`), beside
each variant's in a comparison. The file, its column and the flow and stage are checked
before the run, each problem one line and exit code 2; numpy alone compares them (a run
never imports scipy)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .cli_checks import fail
from .errors import PortsimError, UsageError

if TYPE_CHECKING:
    from .fit.waits import ObservedSample
    from .model.model import Model
    from .run.compare import Comparison
    from .run.simulate import SimulationResult

__all__ = [
    "attach_observed",
    "attach_to_each",
    "check_observed_names",
    "observed_options",
    "read_observed_option",
]

#: the options that say how to read ``--observed``: nothing to read without it
_READING = ("column", "unit", "flow", "stage")


def observed_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """``--observed`` and how to read it, as ``portsim fit waits`` reads its file."""
    for option in reversed(
        [
            click.option(
                "--observed",
                "observed_path",
                type=click.Path(path_type=Path),
                metavar="WAITS.csv",
                help="Observed waits (a CSV file, one wait a row) to hold the run's against: "
                "an 'Observed waits' section in the text, HTML and JSON.",
            ),
            click.option("--column", help="The column of --observed's waits.  [default: wait_s]"),
            click.option(
                "--unit",
                type=click.Choice(["s", "min"]),
                help="The unit of --observed's waits.  [default: s]",
            ),
            click.option(
                "--flow",
                help="Whose waits --observed holds: a flow (its classes together; a vehicle "
                "flow's vehicles only), flow.class or flow.passengers (default: every flow's).",
            ),
            click.option(
                "--stage", help="Only --observed's stage's waits (default: at every stage)."
            ),
        ]
    ):
        function = option(function)
    return function


def read_observed_option(
    observed_path: Path | None,
    *,
    column: str | None,
    unit: str | None,
    flow: str | None,
    stage: str | None,
    no_records: bool,
) -> ObservedSample | None:
    """The observed waits of ``--observed``, read and checked before the run (one line and
    exit code 2 for a problem); None without it."""
    given = {"column": column, "unit": unit, "flow": flow, "stage": stage}
    if observed_path is None:
        if named := [f"--{name}" for name in _READING if given[name] is not None]:
            fail(UsageError(f"{', '.join(named)}: only with --observed WAITS.csv"))
        return None
    if no_records:
        fail(UsageError("--observed needs the run's records: drop --no-records"))
    from .fit.waits import read_observed  # noqa: PLC0415 - only when observed waits are given

    try:
        return read_observed(
            observed_path, column=column or "wait_s", unit=unit or "s", flow=flow, stage=stage
        )
    except PortsimError as error:
        fail(error)


def check_observed_names(sample: ObservedSample | None, model: Model, file: Path) -> None:
    """The flow and stage of ``--flow`` and ``--stage`` are the scenario's, before the run:
    ``FILE: --flow: no flow named X (its flows and classes: …)`` and exit 2."""
    if sample is None:
        return
    from .fit.observed import check_observed  # noqa: PLC0415

    try:
        check_observed(sample, model, str(file))
    except PortsimError as error:
        fail(error)


def attach_observed(
    result: SimulationResult, sample: ObservedSample | None, file: Path
) -> SimulationResult:
    """``result`` with the observed waits beside its own (as it is without them)."""
    if sample is None:
        return result
    from .fit.observed import observed_of  # noqa: PLC0415

    try:
        observed = observed_of(result, sample, str(file))
    except PortsimError as error:
        fail(error)
    return dataclasses.replace(result, observed=observed)


def attach_to_each(
    comparison: Comparison, sample: ObservedSample | None, files: tuple[Path, ...]
) -> Comparison:
    """``comparison`` with the observed waits beside each variant's."""
    if sample is None:
        return comparison
    results = {
        name: attach_observed(result, sample, files[0] if len(files) == 1 else files[i])
        for i, (name, result) in enumerate(comparison.results.items())
    }
    return dataclasses.replace(comparison, results=results)
