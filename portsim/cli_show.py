"""``portsim show``: the stages and routes a scenario's clearance modes expand to, in
words, and with ``--diagram`` the model drawn (an SVG or PNG picture: flows, stages, lane
groups, routes, the clearance mode). It runs nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli_common import (
    EXIT_BAD_INPUT,
    EXIT_NOT_WRITTEN,
    SET_OPTION,
    check_paths,
    load_checked,
    write_files,
)
from .errors import ScenarioError, UsageError
from .scenario import Scenario

__all__ = ["add_show_command", "show_command"]


@click.command(name="show")
@click.argument("file", type=click.Path(path_type=Path))
@SET_OPTION
@click.option(
    "--diagram",
    "diagram_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="OUT.svg|OUT.png",
    help="Also draw the model: flows, stages, lane groups, routes, clearance mode.",
)
def show_command(file: Path, overrides: tuple[str, ...], diagram_path: Path | None) -> None:
    """Print the stages and routes each clearance mode expands to, with their sources; with
    --diagram, draw the model (the chosen clearance mode; --set clearance.mode=... draws
    another) as an SVG or PNG picture.

    \b
    portsim show hall.yaml --diagram hall.svg
    """
    from .report.show import format_show  # noqa: PLC0415 - show's alone

    if diagram_path is not None:
        from .report.diagram import check_diagram_path  # noqa: PLC0415 - show's alone

        try:
            check_diagram_path(diagram_path)
            check_paths({"--diagram": diagram_path}, [file])
        except UsageError as error:
            click.echo(str(error), err=True)
            sys.exit(EXIT_BAD_INPUT)
    try:
        scenario = load_checked(file, overrides)
    except ScenarioError as error:
        click.echo(str(error), err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(format_show(scenario))
    if diagram_path is None:
        return
    if not write_files([(diagram_path, lambda path: _draw(scenario, path))], None, ""):
        sys.exit(EXIT_NOT_WRITTEN)
    click.echo(f"wrote the diagram of the model to {diagram_path}", err=True)


def _draw(scenario: Scenario, path: Path) -> None:
    from .report.diagram import draw_diagram, save_diagram  # noqa: PLC0415 - matplotlib

    save_diagram(draw_diagram(scenario), path)


def add_show_command(group: click.Group) -> None:
    """Add ``show`` to the ``portsim`` command group."""
    group.add_command(show_command)
