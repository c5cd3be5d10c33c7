"""``portsim animate``: run one replication of a scenario and write the hall over the day as
an animation, a GIF, an MP4 or an HTML page by the suffix of ``--out``
(:mod:`portsim.report.animate`). It parses arguments and calls the Python API, nothing
more."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli_assume import assume_option
from .cli_common import EXIT_BAD_INPUT, EXIT_NOT_WRITTEN, check_paths, load_checked, write_files
from .errors import PortsimError, UsageError
from .report.animate import MAX_FRAMES, MAX_MEGABYTES, animation_size, write_animation
from .report.movie import check_format
from .run import simulate
from .units import format_duration, parse_duration

__all__ = ["add_animate_command"]


def _step(text: str) -> float:
    try:
        step = parse_duration(text)
    except ValueError as error:
        raise UsageError(f"--step: {error}") from None
    if not step > 0:
        raise UsageError(f"--step: the step between frames must be positive, not {text}")
    return step


@click.command(name="animate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The animation to write, .gif, .mp4 (needs ffmpeg) or .html by its suffix (default: "
    "FILE's name with .gif, in the current folder).",
)
@click.option("--seed", "-s", type=click.IntRange(min=0), help="Override the scenario's.")
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="PATH=VALUE",
    help="Override a field, e.g. stages.hall.lanes.counters.count=12 (repeatable).",
)
@assume_option
@click.option(
    "--step", default="10min", show_default=True, help="Simulated time between two frames."
)
@click.option(
    "--fps", type=click.IntRange(min=1, max=50), default=10, show_default=True,
    help="Frames a second.",
)  # fmt: skip
@click.option(
    "--max-frames",
    type=click.IntRange(min=1),
    default=MAX_FRAMES,
    show_default=True,
    help="Refuse to draw more frames than this (before anything runs).",
)
@click.option(
    "--max-mb",
    "max_megabytes",
    type=click.FloatRange(min=0, min_open=True),
    default=MAX_MEGABYTES,
    show_default=True,
    help="Refuse a file estimated larger than this many megabytes (before anything runs).",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="No note of the frames, the time to draw them and the file's size (errors are still "
    "said).",
)
def animate_command(
    file: Path,
    *,
    out: Path | None,
    seed: int | None,
    overrides: tuple[str, ...],
    step: str,
    fps: int,
    max_frames: int,
    max_megabytes: float,
    quiet: bool,
) -> None:
    """Run the first replication of a scenario and write the hall over the day as an
    animation: each stage a box with its queue and its lanes (busy, idle, closed), the
    flows as arrows, the clock in a corner; a GIF, an MP4 (with ffmpeg) or a
    self-contained HTML page, by the suffix of --out. The frames, the time to draw them and
    the file's size are said first (more than --max-frames, or past --max-mb, are refused).

    \b
    portsim animate hall.yaml --out hall.gif --step 5min
    portsim animate hall.yaml --out hall.html
    """
    target = out or Path(file.stem + ".gif")
    try:
        check_paths({"--out": target}, [file])
        suffix = check_format(target)
        every = _step(step)
        scenario = load_checked(file, overrides)
        size = animation_size(scenario, every, fps, suffix)
        try:
            size.check(max_frames, max_megabytes)
        except UsageError as error:
            raise UsageError(f"--step {step}: {error}") from None
        if not quiet:
            click.echo(f"portsim: {size.note()}", err=True)
        result = simulate(scenario, replications=1, seed=seed, workers=1)
    except PortsimError as error:
        click.echo(str(error), err=True)
        sys.exit(EXIT_BAD_INPUT)

    def write(path: Path) -> None:
        write_animation(  # checked above
            result, path, step=every, fps=fps, max_frames=None, max_megabytes=None
        )

    if not write_files([(target, write)], None, ""):
        sys.exit(EXIT_NOT_WRITTEN)
    click.echo(f"wrote {target}: the first replication, a frame every {format_duration(every)}")


def add_animate_command(group: click.Group) -> None:
    """Add ``animate`` to the ``portsim`` command group."""
    group.add_command(animate_command)
