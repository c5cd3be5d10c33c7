"""A timetable with loads → timed arrivals with loads (``portsim fit timetable``).

Each row is a train or a coach: the time it brings its passengers into the port (a clock time
on day 1, ``06:30`` or ``06:30:15``; with ``travel``, a departure time elsewhere plus the
ride) and how many it brings. The scenario format writes each one as it is, its time beside
its load (``times: [{at: 06:30, load: 150}, …]``, :mod:`portsim.scenario.loads`): every
train keeps its time and load exactly, one line each, however uneven the loads. Two trains
at one time stay two lines. A train that brings nobody is left out, and said.

A departure time plus the ride past 24:00 is carried to the next day (the format counts
times from 00:00 of day 1: 00:15 the next day is ``24.25h``), and said: a scenario of one
day leaves those passengers out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..scenario.loads import MAX_LOAD, LoadedArrivals, TimedLoad
from ..units import DAY, counted, parse_duration, parse_time_of_day
from .data import DataError, read_table
from .forms import clock

__all__ = ["TimetableFit", "fit_timetable", "fit_timetable_file"]


@dataclass(frozen=True, slots=True)
class TimetableFit:
    """The trains (time in seconds from 00:00 of day 1, load), in order of time, and the
    arrivals that bring each one's load at its time."""

    source: str
    trains: tuple[tuple[float, int], ...]
    arrivals: LoadedArrivals
    #: trains in the file that bring nobody (load 0), left out
    empty: int = 0

    @property
    def passengers(self) -> int:
        """The day's passengers in the timetable: all of them arrive."""
        return sum(load for _, load in self.trains)

    def notes(self) -> tuple[str, ...]:
        """What a planner should know: trains left out as empty, and trains that arrive
        after 24:00."""
        notes = []
        if self.empty:
            notes.append(f"{counted(self.empty, 'train')} of no passengers left out (load 0)")
        late = [t for t, _ in self.trains if t >= DAY]
        if late:
            notes.append(
                f"{counted(len(late), 'train')} {'arrives' if len(late) == 1 else 'arrive'} "
                f"after 24:00, on the next day (the first at {clock(min(late) - DAY)}, "
                f"listed as {clock(min(late))}): a scenario must run past 24h to bring them"
            )
        return tuple(notes)

    def yaml(self) -> str:
        """The arrivals as a flow's ``arrivals:`` in a scenario file: each train on a line
        of its own, its time beside its load."""
        lines = ["arrivals:", "  times:"]
        lines += [f"    - {{at: {clock(time)}, load: {load}}}" for time, load in self.trains]
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, object]:
        """The fit as plain data."""
        return {
            "source": self.source,
            "trains": [{"time_s": t, "load": load} for t, load in self.trains],
            "passengers": self.passengers,
            "yaml": self.yaml(),
            "notes": list(self.notes()),
        }


def fit_timetable(
    trains: list[tuple[float, int]], source: str = "timetable", empty: int = 0
) -> TimetableFit:
    """The timed arrivals of ``trains``, (seconds from 00:00 of day 1, passengers ≥ 1) each,
    every load exactly; ``empty`` trains of no passengers were left out before."""
    if not trains:
        raise DataError(source, "trains", "no train brings anyone: nobody would arrive")
    ordered = tuple(sorted(trains, key=lambda train: train[0]))  # the file's order at a time
    for time, load in ordered:
        if not 1 <= load <= MAX_LOAD:
            raise DataError(
                source, "load", f"{load:,} at {clock(time)} is outside 1 to {MAX_LOAD:,}"
            )
    arrivals = LoadedArrivals(times=tuple(TimedLoad(at=t, load=load) for t, load in ordered))
    return TimetableFit(source, ordered, arrivals, empty)


def fit_timetable_file(
    path: str | Path,
    *,
    time_column: str = "arrival",
    load_column: str = "passengers",
    travel: str | float = 0.0,
) -> TimetableFit:
    """:func:`fit_timetable` on a CSV file: ``time_column`` holds clock times, plus
    ``travel`` (a duration, ``25min``) when they are departures from elsewhere;
    ``load_column`` the passengers each brings."""
    table = read_table(path, [time_column, load_column])
    try:
        ride = parse_duration(travel)
    except ValueError as error:
        raise table.error("--travel", str(error)) from None
    loads = table.whole_numbers(load_column)
    for load, row in zip(loads, table.row_numbers, strict=True):
        if load > MAX_LOAD:
            raise table.error(
                load_column,
                f"row {row}: {load:,} is more than one train brings (at most {MAX_LOAD:,})",
            )
    times = []
    for cell, row in zip(table.texts(time_column), table.row_numbers, strict=True):
        try:
            time = parse_time_of_day(cell) if ":" in cell else math.nan
        except ValueError:
            time = math.nan
        if not 0 <= time < DAY:
            raise table.error(time_column, f"row {row}: {cell!r} is not a clock time: write 06:30")
        times.append(time + ride)
    if not any(loads):
        raise table.error(load_column, "every load is zero: nobody would arrive")
    trains = [(time, load) for time, load in zip(times, loads, strict=True) if load > 0]
    return fit_timetable(trains, source=str(path), empty=len(loads) - len(trains))
