"""A timetable with loads → timed arrivals with groups (``portsim fit timetable``).

Each row is a train or a coach: the time it brings its passengers into the port (a clock time
on day 1, ``06:30`` or ``06:30:15``; with ``travel``, a departure time elsewhere plus the
ride) and how many it brings. The scenario format writes timed arrivals as ``times:`` with
one ``group:`` for every arrival, so a train of 150 passengers at 06:30 with groups of 50
is ``06:30`` three times: every train keeps its own time and load, exactly. The group is the
greatest common divisor of the loads, or, when that would list more than
:data:`MAX_ARRIVALS` times, the smallest round step (1, 2, 5, 10, 20, 50, …) that lists no
more: each load is then rounded to a multiple of it, and the fit says by how much the day's
total moved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..scenario.arrivals import TimedArrivals
from ..scenario.counts import ConstantCount
from ..units import DAY, counted, parse_duration, parse_time_of_day
from .data import read_table
from .forms import clock, flow_list

__all__ = ["MAX_ARRIVALS", "TimetableFit", "fit_timetable", "fit_timetable_file"]

#: the most times the YAML lists before loads are rounded to a coarser group
MAX_ARRIVALS = 5000


@dataclass(frozen=True, slots=True)
class TimetableFit:
    """The trains (time in seconds from 00:00 of day 1, load), the group every arrival
    brings, and the arrivals that bring each train's load (rounded to the group)."""

    source: str
    trains: tuple[tuple[float, int], ...]
    group: int
    arrivals: TimedArrivals

    @property
    def passengers(self) -> int:
        """The day's passengers in the timetable."""
        return sum(load for _, load in self.trains)

    @property
    def arriving(self) -> int:
        """The day's passengers the arrivals bring."""
        return len(self.arrivals.times) * self.group

    def notes(self) -> tuple[str, ...]:
        """What the arrivals do not keep exactly."""
        if self.arriving == self.passengers:
            return ()
        rounded = (
            f"loads rounded to multiples of {self.group}: {self.arriving:,} passengers a day "
            f"instead of {self.passengers:,}"
        )
        dropped = sum(round(load / self.group) == 0 for _, load in self.trains)
        if dropped:
            rounded += f"; {counted(dropped, 'train')} of less than half a group left out"
        return (rounded,)

    def yaml(self) -> str:
        """The arrivals as a flow's ``arrivals:`` in a scenario file."""
        times = flow_list((clock(t) for t in self.arrivals.times), 4, len("  times: "))
        lines = ["arrivals:", f"  times: {times}"]
        if self.group > 1:
            lines.append(f"  group: {{dist: constant, value: {self.group}}}")
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, object]:
        """The fit as plain data."""
        return {
            "source": self.source,
            "trains": [{"time_s": t, "load": load} for t, load in self.trains],
            "group": self.group,
            "arrivals": len(self.arrivals.times),
            "passengers": self.passengers,
            "arriving": self.arriving,
            "yaml": self.yaml(),
            "notes": list(self.notes()),
        }


def _group(loads: list[int]) -> int:
    common = math.gcd(*loads) or 1
    if sum(loads) // common <= MAX_ARRIVALS:
        return common
    step = 1
    while sum(round(load / step) for load in loads) > MAX_ARRIVALS:
        step = {1: 2, 2: 5}.get(int(str(step)[0]), 10) * 10 ** (len(str(step)) - 1)
    return step


def fit_timetable(trains: list[tuple[float, int]], source: str = "timetable") -> TimetableFit:
    """The timed arrivals of ``trains``, (seconds from 00:00 of day 1, passengers) each."""
    ordered = tuple(sorted(trains))
    group = _group([load for _, load in ordered])
    times = tuple(t for t, load in ordered for _ in range(round(load / group)))
    arrivals = TimedArrivals(times=times, group=ConstantCount(value=group) if group > 1 else None)
    return TimetableFit(source, ordered, group, arrivals)


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
    return fit_timetable(trains, source=str(path))
