"""The command line: it parses arguments and calls the Python API, nothing more.

Every mistake is answered with one line on standard error before anything runs: a bad
scenario or ``--set`` (``FILE: field.path: problem``), a bad option, an output path that
cannot be written (``PATH: problem``), a run too large to be meant; all exit with code 2.
Warnings and the size of a large run are said before the first replication starts; a
progress display follows on a terminal. Exit code 1: the run finished and its report was
printed, but a file could not be written (none is left half-written); or a planning command
stopped before its end, its finished runs kept (a results store that cannot be written, a
Dask cluster without a worker: one line saying what to do); 128 + the signal: stopped from
outside, in one line saying what was kept (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP;
:mod:`portsim.cli_signals`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .cli_animate import add_animate_command
from .cli_checks import before_run, check_outputs, fail, load, preflight_checked, read_state
from .cli_common import (
    EXIT_BAD_INPUT,
    EXIT_INTERRUPTED,
    EXIT_NOT_WRITTEN,
    SET_OPTION,
    PortsimGroup,
    report_options,
    report_writes,
    run_options,
    write_files,
)
from .cli_fit import add_fit_commands
from .cli_observed import (
    attach_observed,
    attach_to_each,
    check_observed_names,
    observed_options,
    read_observed_option,
)
from .cli_planning import STORE_SUFFIXES, add_planning_commands, report_store
from .cli_show import add_show_command
from .errors import PortsimError, UsageError
from .report import format_comparison, format_report, progress_display
from .run import compare, simulate

if TYPE_CHECKING:
    from .fit.waits import ObservedSample
    from .run.preflight import Preflight
    from .scenario.spec import Scenario
    from .scenario.state import State

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERRUPTED", "EXIT_NOT_WRITTEN", "main"]


@click.group(cls=PortsimGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="portsim")
def main() -> None:
    """portsim: simulate how travellers and vehicles clear a border port."""


# -- reports: --plots and --html (cli_common) on run and compare, ``portsim report``,
# ``portsim schema`` (issue 12)


#: what ``portsim report`` does with a file, by its suffix
REPORTABLE = (".yaml", ".yml")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@run_options
@observed_options
@report_options
def report(file: Path, *, html_path: Path | None, **options: Any) -> None:
    """Run a scenario file (.yaml) and write its HTML report (default: FILE's name with
    .html, in the current folder), printing the answer; or report again every sweep, plan
    and capacity search a results store (.db) holds, simulating nothing (with --html and
    --plots, their reports and plots too)."""
    if file.suffix.lower() in STORE_SUFFIXES:
        _refuse_run_options(file)
        report_store(file, options["plots_dir"], html_path)
        return
    if file.suffix.lower() not in REPORTABLE:
        kinds = ", ".join((*REPORTABLE, *STORE_SUFFIXES))
        fail(UsageError(f"{file}: portsim report takes a scenario file or a store ({kinds})"))
    _run_file(file, html_path=html_path or Path(file.stem + ".html"), answer_only=True, **options)


#: the options of ``run`` that change or save a run: nothing for a results store
_RUN_OPTIONS = (
    "replications",
    "seed",
    "overrides",
    "workers",
    "json_path",
    "records_path",
    "no_records",
    "from_state",
    "observed_path",
    "column",
    "unit",
    "flow",
    "stage",
    "assume",
)


def _refuse_run_options(store: Path) -> None:
    """A store is reported from its runs alone: options that would change a run are refused
    (one line, exit 2) rather than silently ignored."""
    context = click.get_current_context()
    given = [
        f"--{name.removesuffix('_path').replace('_', '-')}"
        for name in _RUN_OPTIONS
        if context.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE
    ]
    if given:
        flags = ", ".join("--set" if flag == "--overrides" else flag for flag in given)
        fail(UsageError(f"{store}: {flags}: a results store is reported as it was run"))


@main.command()
@click.option("--markdown", is_flag=True, help="The scenario format reference as Markdown.")
def schema(markdown: bool) -> None:
    """Print the JSON Schema of scenario files, as they are written (for editors)."""
    from .report.format_doc import schema_markdown  # noqa: PLC0415
    from .scenario.schema import scenario_schema  # noqa: PLC0415

    if markdown:
        click.echo(schema_markdown(), nl=False)
    else:
        click.echo(json.dumps(scenario_schema(), indent=2, ensure_ascii=False))


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@run_options
@observed_options
@report_options
def run(file: Path, **options: Any) -> None:
    """Run a scenario file and report queue times with 95 % confidence intervals (with
    --observed, beside observed waits)."""
    _run_file(file, **options)


def _run_file(
    file: Path,
    *,
    replications: int | None,
    seed: int | None,
    overrides: tuple[str, ...],
    workers: int | None,
    json_path: str | None,
    records_path: Path | None,
    no_records: bool,
    quiet: bool,
    plots_dir: Path | None,
    html_path: Path | None,
    from_state: Path | None = None,
    answer_only: bool = False,
    observed_path: Path | None = None,
    **reading: str | None,
) -> None:
    """``run`` and ``report``: check, run, write, say (the answer only, for ``report``);
    ``reading``: how to read ``--observed`` (:mod:`portsim.cli_observed`)."""
    if no_records and records_path is not None:
        fail(UsageError("--records and --no-records: choose one"))
    inputs = [file] if observed_path is None else [file, observed_path]
    check_outputs(json_path, records_path, inputs, html_path, plots_dir)
    scenario = load(file, overrides)
    observed = read_observed_option(observed_path, no_records=no_records, **reading)
    state = read_state(from_state)
    checked = preflight_checked(file, scenario, replications, not no_records, state)
    check_observed_names(observed, checked.model, file)
    usable = before_run([("", checked)], workers, quiet)
    total = checked.work.replications
    with progress_display(scenario.name, total, enabled=not quiet) as progress:
        result = simulate(
            scenario,
            replications=total,
            seed=seed,
            workers=usable,
            records=not no_records,
            progress=progress,
            from_state=None if state is None else state[1],
        )
    result = attach_observed(result, observed, file)
    text = result.to_json()
    written = write_files(
        [
            (records_path, result.write_records_csv),
            (json_path, lambda path: path.write_text(text + "\n", encoding="utf-8")),
            *report_writes(result, plots_dir, html_path),
        ],
        json_path,
        text,
    )
    if json_path != "-":
        click.echo(_answer(result) if answer_only else format_report(result))
    if not written:
        sys.exit(EXIT_NOT_WRITTEN)


def _answer(result: Any) -> str:
    from .report.answer import run_answer  # noqa: PLC0415

    answer = run_answer(result)
    lines = [answer.headline, *(f"- {p}" for p in answer.points)]
    if result.observed is not None:  # how far to trust it, as the report says
        from .report.observed import verdict  # noqa: PLC0415

        lines.append(f"Observed waits: {verdict(result.observed).headline}.")
    return "\n".join(lines)


@main.command(name="compare")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
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
@click.option(
    "--judge",
    metavar="METRIC",
    help="What the answer leads with (a metric of all travellers: wait_p95_s, "
    "system_time_mean_s, …); default: the time in port when the variants' routes differ, "
    "the mean wait otherwise.",
)
@run_options
@observed_options
@report_options
def compare_command(
    files: tuple[Path, ...],
    *,
    modes: str | None,
    variants: tuple[str, ...],
    judge: str | None,
    replications: int | None,
    seed: int | None,
    overrides: tuple[str, ...],
    workers: int | None,
    json_path: str | None,
    records_path: Path | None,
    no_records: bool,
    quiet: bool,
    plots_dir: Path | None,
    html_path: Path | None,
    from_state: Path | None,
    observed_path: Path | None,
    **reading: str | None,
) -> None:
    """Run variants with common random numbers and report paired differences from the first.

    \b
    portsim compare A.yaml B.yaml ...
    portsim compare FILE --modes separate,colocated,cooperative
    portsim compare FILE --variant "more gates:stages.hall.lanes.egates.count=20"
    portsim compare FILE --from-state now.yaml --variant "four more:..."
    """
    from .cli_variants import compare_items  # noqa: PLC0415 - compare's alone (planning.vary)
    from .run.compare import judge_metric  # noqa: PLC0415

    if no_records and records_path is not None:
        fail(UsageError("--records and --no-records: choose one"))
    inputs = [*files, *([observed_path] if observed_path is not None else [])]
    check_outputs(json_path, records_path, inputs, html_path, plots_dir)
    observed = read_observed_option(observed_path, no_records=no_records, **reading)
    try:
        judged = judge_metric(judge) if judge is not None else None
        items = compare_items(files, modes, variants, overrides)
    except PortsimError as error:
        fail(error)
    replications = replications or items[0][1].replications
    state = read_state(from_state)
    checked = _checked_variants(files, items, replications, state, observed)
    usable = before_run(checked, workers, quiet)
    total = len(items) * replications
    with progress_display("compare", total, enabled=not quiet) as progress:
        try:
            comparison = compare(
                items,
                replications=replications,
                seed=seed,
                workers=usable,
                records=not no_records,
                progress=progress,
                judge=judged,
                from_state=None if state is None else state[1],
            )
        except PortsimError as error:
            fail(error)
    comparison = attach_to_each(comparison, observed, files)
    text = comparison.to_json()
    written = write_files(
        [
            (records_path, comparison.write_records_csv),
            (json_path, lambda path: path.write_text(text + "\n", encoding="utf-8")),
            *report_writes(comparison, plots_dir, html_path),
        ],
        json_path,
        text,
    )
    if json_path != "-":
        click.echo(format_comparison(comparison))
    if not written:
        sys.exit(EXIT_NOT_WRITTEN)


def _checked_variants(
    files: tuple[Path, ...],
    items: list[tuple[str, Scenario]],
    replications: int,
    state: tuple[Path, State] | None,
    observed: ObservedSample | None,
) -> list[tuple[str, Preflight]]:
    """Each variant's fit to the run and to the state (one that a variant's change does not
    fit names it), and the observed waits' flow and stage in each."""
    checked = []
    for i, (name, scenario) in enumerate(items):
        file = _file_of(files, i)
        check = preflight_checked(
            file, scenario, replications, True, state, variant=name if i else None
        )
        check_observed_names(observed, check.model, file)
        checked.append((name, check))
    return checked


def _file_of(files: tuple[Path, ...], variant: int) -> Path:
    """The file a variant comes from: the one file, or the variant's own."""
    return files[0] if len(files) == 1 else files[variant]


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@SET_OPTION
def validate(file: Path, overrides: tuple[str, ...]) -> None:
    """Check a scenario file; exit code 2 and one line naming the problem if it is wrong.
    Warnings (routes that skip every stage, overloaded stages and lane groups) go to
    standard error."""
    scenario = load(file, overrides)
    for warning in preflight_checked(file, scenario, None, True).warnings:
        click.echo(f"warning: {warning}", err=True)
    stages = scenario.all_stages()
    click.echo(
        f"{file}: ok ({len(scenario.flows)} flows, {len(stages)} stages, "
        f"{sum(len(s.lanes) for s in stages)} lane groups)"
    )


add_planning_commands(main)
add_animate_command(main)
add_show_command(main)
add_fit_commands(main)
