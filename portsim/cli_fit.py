"""``portsim fit``: observed data in, scenario inputs out (:mod:`portsim.fit`). Each command
reads a CSV file, prints what it found and the YAML to paste into a scenario file, and with
``--json -`` prints only its JSON. Bad data is one line, ``FILE: column: problem``, exit 2;
without scipy, one line saying how to install it."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .cli_common import EXIT_BAD_INPUT, EXIT_NOT_WRITTEN, SET_OPTION, check_paths, load_checked
from .cli_common import write_files as _write_files
from .errors import PortsimError

__all__ = ["add_fit_commands", "fit_group"]

_JSON = click.option(
    "--json",
    "json_path",
    metavar="PATH|-",
    help="Write the fit as JSON to PATH (- : print only the JSON).",
)


@click.group(name="fit")
def fit_group() -> None:
    """Turn observed data (CSV files) into checked scenario inputs, and hold a run's waits
    against observed ones."""


def _fail(error: PortsimError) -> None:
    click.echo(str(error), err=True)
    sys.exit(EXIT_BAD_INPUT)


#: a file a command may write besides its JSON: (option, path, what writes it from the fit)
Output = tuple[str, Path | None, Callable[[Any, Path], object]]


def _answer(
    compute: Callable[[], Any],
    text: Callable[[Any], str],
    json_path: str | None,
    inputs: list[Path],
    outputs: tuple[Output, ...] = (),
) -> None:
    """Check the outputs, compute, print the text (or the JSON) and write the files."""
    try:
        check_paths({"--json": json_path, **{o: p for o, p, _ in outputs}}, inputs)
        result = compute()
    except PortsimError as error:
        _fail(error)
    as_json = json.dumps(result.to_json(), indent=2)
    if json_path != "-":
        click.echo(text(result))
    writes: list[tuple[Path | str | None, Callable[[Path], object]]] = [
        (json_path, lambda path: path.write_text(as_json + "\n", encoding="utf-8")),
    ]
    for _, path, write in outputs:
        writes.append((path, lambda target, write=write: write(result, target)))  # type: ignore[misc]
    if not _write_files(writes, json_path, as_json):
        sys.exit(EXIT_NOT_WRITTEN)


def _png(draw: str) -> Callable[[Any, Path], object]:
    """Write the chart ``report.fit_plots.<draw>`` of a fit as a PNG."""

    def write(result: Any, path: Path) -> object:
        from .report import fit_plots  # noqa: PLC0415 - matplotlib only to plot
        from .report.charts import save_png  # noqa: PLC0415

        return save_png(getattr(fit_plots, draw)(result), path)

    return write


def _html(page: str) -> Callable[[Any, Path], object]:
    """Write the page ``report.fit_html.<page>`` of a fit."""

    def write(result: Any, path: Path) -> object:
        from .report import fit_html  # noqa: PLC0415 - matplotlib only to report

        return path.write_text(getattr(fit_html, page)(result), encoding="utf-8")

    return write


_HTML = click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write a self-contained HTML report: the table, the chart and the answer.",
)


@fit_group.command(name="times")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--column", required=True, help="The column of times.")
@click.option("--unit", type=click.Choice(["s", "min"]), default="s", show_default=True,
              help="The unit of the column's times.")  # fmt: skip
@click.option("--bootstrap", "rounds", type=click.IntRange(99, 100_000), default=199,
              show_default=True, help="Bootstrap samples for each family's p-value (p <= 0.05 "
              "rejects; at least 99, fewer reject too seldom).")  # fmt: skip
@click.option("--resolution", metavar="DURATION", help="The step the times were logged to "
              "(1s, 0.1s; 0s: exact). Default: the greatest common step of the times.")  # fmt: skip
@click.option("--seed", type=click.IntRange(0), default=0, show_default=True,
              help="The bootstrap's seed: the same seed, the same p-values.")  # fmt: skip
@click.option("--family", help="Paste this family instead of the first by AIC "
              "(exponential, gamma, lognormal, weibull, empirical).")  # fmt: skip
@click.option("--qq", "qq_path", type=click.Path(dir_okay=False, path_type=Path),
              metavar="OUT.png", help="Draw the Q–Q plot of the best families.")  # fmt: skip
@_HTML
@_JSON
def times_command(
    file: Path, *, column: str, unit: str, rounds: int, resolution: str | None, seed: int,
    family: str | None, qq_path: Path | None, html_path: Path | None, json_path: str | None,
) -> None:  # fmt: skip
    """Fit service or walk times: exponential, gamma, lognormal and Weibull by maximum
    likelihood, ranked by AIC, each tested by a parametric bootstrap; the empirical
    distribution last; the chosen one as a lane group's service: in YAML.

    \b
    portsim fit times examples/data/counter_times.csv --column service_s --qq qq.png
    """
    from .fit.times import fit_times_file  # noqa: PLC0415 - fit's alone (scipy)
    from .report.fit_text import format_times  # noqa: PLC0415

    _answer(
        lambda: fit_times_file(file, column, unit=unit, rounds=rounds, seed=seed, family=family,
                               resolution=resolution),
        format_times, json_path, [file],
        (("--qq", qq_path, _png("qq_figure")), ("--html", html_path, _html("times_report_html"))),
    )  # fmt: skip


@fit_group.command(name="counts")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--date-column", default="date", show_default=True, help="Dates, YYYY-MM-DD.")
@click.option("--hour-column", default="hour", show_default=True, help="Hours, 0-23 or 06:00.")
@click.option("--count-column", default="count", show_default=True, help="Travellers counted.")
@click.option("--direction-column", help="Directions: one flow each.")
@click.option("--day-type-column", help="Each date's day type (else weekday and weekend).")
@click.option("--every-day", is_flag=True, help="One profile for every day.")
@_JSON
def counts_command(
    file: Path, *, date_column: str, hour_column: str, count_column: str,
    direction_column: str | None, day_type_column: str | None, every_day: bool,
    json_path: str | None,
) -> None:  # fmt: skip
    """Turn hourly counts by date (and direction) into each flow's daily_total and profile
    per day type, and the calendar of the days counted.

    \b
    portsim fit counts examples/data/hourly_counts.csv --direction-column direction
    """
    from .fit.counts import fit_counts_file  # noqa: PLC0415 - fit's alone
    from .report.fit_text import format_counts  # noqa: PLC0415

    _answer(
        lambda: fit_counts_file(
            file, date_column=date_column, hour_column=hour_column, count_column=count_column,
            direction_column=direction_column, day_type_column=day_type_column,
            every_day=every_day,
        ),
        format_counts, json_path, [file],
    )  # fmt: skip


@fit_group.command(name="timetable")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--time-column", default="arrival", show_default=True,
              help="Clock times the trains or coaches bring their passengers.")  # fmt: skip
@click.option("--load-column", default="passengers", show_default=True,
              help="Passengers each brings.")  # fmt: skip
@click.option("--travel", default="0s", show_default=True,
              help="Added to each time (the times are departures elsewhere): 25min.")  # fmt: skip
@_JSON
def timetable_command(
    file: Path, *, time_column: str, load_column: str, travel: str, json_path: str | None,
) -> None:  # fmt: skip
    """Turn a timetable with loads into timed arrivals, each train with its load.

    \b
    portsim fit timetable examples/data/train_timetable.csv
    """
    from .fit.timetable import fit_timetable_file  # noqa: PLC0415 - fit's alone
    from .report.fit_text import format_timetable  # noqa: PLC0415

    _answer(
        lambda: fit_timetable_file(
            file, time_column=time_column, load_column=load_column, travel=travel,
        ),
        format_timetable, json_path, [file],
    )  # fmt: skip


@fit_group.command(name="waits")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--scenario", "scenario_file", required=True,
              type=click.Path(path_type=Path), help="The scenario to run.")  # fmt: skip
@click.option("--column", default="wait_s", show_default=True, help="The observed waits.")
@click.option("--unit", type=click.Choice(["s", "min"]), default="s", show_default=True)
@click.option("--flow", help="Only these waits: a flow (its classes together; a vehicle flow's "
              "vehicles only), flow.class or flow.passengers (default: every flow's).")  # fmt: skip
@click.option("--stage", help="Only the waits at this stage (default: at every stage).")
@click.option("--replications", "-r", type=click.IntRange(1), help="Replications to run.")
@click.option("--seed", "-s", type=click.IntRange(0), help="The run's seed.")
@SET_OPTION
@click.option("--ecdf", "ecdf_path", type=click.Path(dir_okay=False, path_type=Path),
              metavar="OUT.png", help="Draw the two ECDFs overlaid.")  # fmt: skip
@_HTML
@_JSON
def waits_command(
    file: Path, *, scenario_file: Path, column: str, unit: str, flow: str | None,
    stage: str | None, replications: int | None, seed: int | None,
    overrides: tuple[str, ...], ecdf_path: Path | None, html_path: Path | None,
    json_path: str | None,
) -> None:  # fmt: skip
    """Run the scenario and put its simulated waits beside the observed ones: percentiles,
    the Kolmogorov–Smirnov and Wasserstein distances, the ECDFs.

    \b
    portsim fit waits examples/data/observed_waits.csv --scenario hall.yaml --stage hall
    """
    from .fit.waits import validate_waits_file  # noqa: PLC0415 - fit's alone
    from .report.fit_text import format_waits  # noqa: PLC0415

    def compute() -> Any:
        scenario = load_checked(scenario_file, overrides)
        return validate_waits_file(
            file, scenario, column=column, unit=unit, flow=flow, stage=stage,
            replications=replications, seed=seed, scenario_file=scenario_file,
        )  # fmt: skip

    outputs = (("--ecdf", ecdf_path, _png("ecdf_figure")),
               ("--html", html_path, _html("waits_report_html")))  # fmt: skip
    _answer(compute, format_waits, json_path, [file, scenario_file], outputs)


def add_fit_commands(group: click.Group) -> None:
    """Add ``fit`` and its commands to the ``portsim`` command group."""
    group.add_command(fit_group)
