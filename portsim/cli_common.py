"""What every command of the command line shares: the exit codes, ``--plots`` and ``--html``,
``--quiet``, the output paths checked before a run and the files written after it."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import click

from .errors import UsageError
from .run import check_outputs, write_output

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_WRITTEN",
    "check_paths",
    "command_line",
    "quiet_option",
    "report_options",
    "report_writes",
    "write_files",
]

EXIT_BAD_INPUT = 2
EXIT_NOT_WRITTEN = 1
EXIT_INTERRUPTED = 130

#: a file to write after the run: its path (None: not asked for; ``-``: standard output)
#: and what writes it
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
        help="Write a self-contained HTML report (answer, plots, tables, how to reproduce).",
    )(function)
    return click.option(
        "--plots",
        "plots_dir",
        type=click.Path(file_okay=False, path_type=Path),
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
    its report."""

    def plots(folder: Path) -> None:
        from .report.write import write_plots  # noqa: PLC0415 - matplotlib

        paths = write_plots(result, folder)
        plots = "plot" if len(paths) == 1 else "plots"
        click.echo(f"wrote {len(paths)} {plots} to {folder}", err=True)

    def html(path: Path) -> None:
        from .report.write import write_report  # noqa: PLC0415 - matplotlib

        write_report(result, path, command_line(), scenario)
        click.echo(f"wrote {path}", err=True)

    return [(plots_dir, plots), (html_path, html)]


def write_files(writes: Iterable[Write], json_path: str | None, text: str) -> bool:
    """Write the files asked for, and print the JSON ``text`` for ``--json -``; False if one
    could not be written (said in one line each, ``PATH: cannot write: why``)."""
    written = True
    for path, write in writes:
        if path is None or str(path) == "-":
            continue
        try:
            write_output(path, write)
        except UsageError as error:
            click.echo(str(error), err=True)
            written = False
    if json_path == "-":
        click.echo(text)
    return written
