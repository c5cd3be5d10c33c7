"""What every command of the command line shares: the command group (click's usage errors as
one line; Ctrl-C, SIGTERM and SIGHUP as one line and exit 128 + the signal), the exit codes,
the run options, ``--plots`` and ``--html``, ``--quiet``, the output paths checked before a
run and the files written after it, each whole or not at all."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from .cli_assume import assume_option, said_as_assumed, warn_outside, with_assumed
from .cli_signals import EXIT_INTERRUPTED, exit_stopped, stop_signals
from .errors import ScenarioError, UsageError
from .results.figures import check_figures
from .run import check_outputs, write_output
from .scenario import Scenario, load_scenario
from .units import counted

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_WRITTEN",
    "NOTHING_WRITTEN",
    "SET_OPTION",
    "Folder",
    "PortsimGroup",
    "check_paths",
    "command_line",
    "load_checked",
    "quiet_option",
    "report_options",
    "report_writes",
    "run_options",
    "write_files",
]

EXIT_BAD_INPUT = 2


def load_checked(
    file: Path, overrides: Sequence[str] = (), need_not_use: Collection[str] = ()
) -> Scenario:
    """The scenario of ``file`` with ``--assume``'s values and ``overrides``, its documented
    figures' metrics checked (a :class:`ScenarioError` naming the file); ``need_not_use``:
    the assumptions given a value that it need not use (:func:`load_scenario`)."""
    try:  # with --assume's values (portsim.cli_assume)
        scenario = load_scenario(file, with_assumed(overrides), need_not_use=need_not_use)
    except ScenarioError as error:
        raise said_as_assumed(error) from None
    warn_outside(scenario, file)
    try:
        check_figures(scenario)
    except ScenarioError as error:
        raise error.with_file(str(file)) from None
    return scenario


EXIT_NOT_WRITTEN = 1
#: what a stopped run, comparison, report or animation kept
NOTHING_WRITTEN = "no results were written"


class Folder(str):
    """The path of a folder that a write fills with files (``--plots``), not of a file."""

    __slots__ = ()


#: a file to write after the run: its path (None: not asked for; ``-``: standard output; a
#: :class:`Folder`: files into it) and what writes it, given the path to write to
Write = tuple[Path | str | None, Callable[[Path], object]]


def quiet_option(function: Callable[..., Any], *, size_note: bool = True) -> Callable[..., Any]:
    """``--quiet``: no progress display (and no note of a large run's size, for the
    commands that say it)."""
    silenced = "No progress display" + (" and no note of a large run's size" * size_note)
    return click.option(
        "--quiet",
        "-q",
        is_flag=True,
        help=f"{silenced} (warnings and errors are still said).",
    )(function)


def report_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """``--plots DIR`` and ``--html FILE``, for any command that produces results."""
    function = click.option(
        "--html",
        "html_path",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE",
        help="Write a self-contained HTML report (answer, plots, tables, how to reproduce).",
    )(function)
    return click.option(
        "--plots",
        "plots_dir",
        type=click.Path(path_type=Path),
        metavar="DIR",
        help="Write the plots as PNG files into DIR (fixed file names).",
    )(function)


def check_paths(
    files: Mapping[str, str | Path | None],
    inputs: Iterable[Path],
    plots_dir: Path | None = None,
) -> None:
    """Before anything runs: the output files (by option) and the plots' folder can be
    written; raises :class:`UsageError` ``PATH: problem``."""
    check_outputs(files, list(inputs), {"--plots": plots_dir})


def command_line() -> str | None:
    """The command as typed, when portsim was started from a shell."""
    if Path(sys.argv[0]).name in {"portsim", "__main__.py"}:
        return shlex.join(["portsim", *sys.argv[1:]])
    return None


def report_writes(
    result: Any, plots_dir: Path | None, html_path: Path | None, scenario: Any = None
) -> list[Write]:
    """The plots and the HTML report of any result (a run, a comparison, a sweep, a plan,
    a capacity search), as writes for :func:`write_files`; matplotlib is imported only when
    one is asked for. ``scenario``: the base scenario of a planning result, described in
    its report. The plots and the report share their charts, each drawn once, and let them
    go when the last of the two is written."""
    from .report.charts import Drawings, drawing_once  # noqa: PLC0415 - no matplotlib

    drawings = Drawings()
    pending = {k for k, p in (("plots", plots_dir), ("html", html_path)) if p and str(p) != "-"}

    def done(kind: str) -> None:
        pending.discard(kind)
        if not pending:
            drawings.clear()

    def plots(folder: Path) -> str:
        from .report.write import write_plots  # noqa: PLC0415 - matplotlib

        try:
            with drawing_once(drawings):
                paths = write_plots(result, folder)
        finally:
            done("plots")
        return f"wrote {counted(len(paths), 'plot')} to {folder}"

    def html(path: Path) -> str:
        from .report.write import write_report  # noqa: PLC0415 - matplotlib

        try:
            with drawing_once(drawings):
                write_report(result, path, command_line(), scenario)
        finally:
            done("html")
        return f"wrote {html_path}"

    return [(plots_dir and Folder(plots_dir), plots), (html_path, html)]


def write_files(writes: Iterable[Write], json_path: str | None, text: str) -> bool:
    """Write the files asked for, each whole or not at all (:func:`~portsim.run.write_output`;
    a :class:`Folder` is filled with files, each whole), and print the JSON ``text`` for
    ``--json -``; a write that returns a text has it said on stderr once the file is in
    place. False if one could not be written (said in one line each, ``PATH: cannot write:
    why``; no partial file is left, and a file that was there is as it was)."""
    written = True
    for path, write in writes:
        if path is None or str(path) == "-":
            continue
        try:
            said = write_output(path, write, folder=isinstance(path, Folder))
        except UsageError as error:
            click.echo(str(error), err=True)
            written = False
        else:
            if isinstance(said, str):
                click.echo(said, err=True)
    if json_path == "-":
        click.echo(text)
    return written


class PortsimGroup(click.Group):
    """The command group, with click's usage errors as one line, and Ctrl-C, SIGTERM and
    SIGHUP as one line and exit 128 + the signal (:mod:`portsim.cli_signals`)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        with stop_signals():  # until the end: the line of a stop is said within it
            return self._main(args, prog_name, complete_var, standalone_mode, **extra)

    def _main(
        self,
        args: Sequence[str] | None,
        prog_name: str | None,
        complete_var: str | None,
        standalone_mode: bool,
        **extra: Any,
    ) -> Any:
        try:
            value = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as error:
            where = f" (see {error.ctx.command_path} --help)" if error.ctx else ""
            click.echo(f"{error.format_message()}{where}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort as error:  # a stop outside a command (click says it so)
            cause = error.__cause__
            stop = cause if isinstance(cause, KeyboardInterrupt) else KeyboardInterrupt()
            exit_stopped(stop, NOTHING_WRITTEN)
        if not standalone_mode:
            return value
        sys.exit(value if isinstance(value, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as stop:
            exit_stopped(stop, NOTHING_WRITTEN)


_SET = click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="PATH=VALUE",
    help="Override a field, e.g. stages.hall.lanes.counters.count=12 (repeatable).",
)


def SET_OPTION(function: Callable[..., Any]) -> Callable[..., Any]:  # noqa: N802 - was a constant
    """``--set PATH=VALUE`` and ``--assume NAME=VALUE`` (:mod:`portsim.cli_assume`)."""
    return assume_option(_SET(function))


def run_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options ``run`` and ``compare`` share."""
    function = assume_option(quiet_option(function))  # the last of them
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
                "--from-state",
                "from_state",
                type=click.Path(path_type=Path),
                metavar="STATE.yaml",
                help="Forecast from a state observed at a clock time: the queues, services "
                "and open lanes it gives, from its 'at' to the horizon.",
            ),
            click.option(
                "--workers",
                "-w",
                type=click.IntRange(min=1),
                help="Processes for the replications (default: all cores; at most the "
                "replications and two per core); the results do not depend on it.",
            ),
            click.option(
                "--json",
                "json_path",
                metavar="PATH|-",
                help="Write the results as JSON to PATH; '-' prints only the JSON.",
            ),
            click.option(
                "--records",
                "records_path",
                type=click.Path(path_type=Path),
                help="Write the per-entity records as CSV, one row per stage visit.",
            ),
            click.option(
                "--no-records",
                is_flag=True,
                help="Keep no per-entity records: counts and wait histograms only; memory "
                "does not grow with the horizon (percentiles to the histogram's resolution).",
            ),
        ]
    ):
        function = option(function)
    return function
