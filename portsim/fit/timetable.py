"""A timetable with loads → timed arrivals with groups (``portsim fit timetable``).

Each row is a train or a coach: the time it brings its passengers into the port (a clock time
on day 1, ``06:30`` or ``06:30:15``; with ``travel``, a departure time elsewhere plus the
ride) and how many it brings. The scenario format writes timed arrivals as ``times:`` with
one ``group:`` for every arrival (the format has no group per time), so a train of 150
passengers at 06:30 with groups of 50 is ``06:30`` three times: every train keeps its own
time and load, exactly. The group is the greatest common divisor of the loads, or, when
that would list more than ``max_times`` times (:data:`MAX_TIMES` by default: a YAML a
planner can read; loads 123, 417 and 20 would otherwise list 560 times), the smallest round
step (1, 2, 5, 10, 20, 50, …) that lists no more: each load is then rounded to a multiple of
it, and the fit says first how far the worst train and the day's total moved (``--max-times``
lists more, to keep every load exactly).

A departure time plus the ride past 24:00 is carried to the next day (the format counts
times from 00:00 of day 1: 00:15 the next day is ``24.25h``), and said: a scenario of one
day leaves those passengers out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..scenario.arrivals import TimedArrivals
from ..scenario.counts import ConstantCount
from ..units import DAY, counted, parse_duration, parse_time_of_day
from .data import DataError, read_table
from .forms import clock, flow_list

__all__ = ["MAX_TIMES", "MOST_TIMES", "TimetableFit", "fit_timetable", "fit_timetable_file"]

#: the most times the YAML lists, by default, before loads are rounded to a coarser group
MAX_TIMES = 500
#: the most it may be asked to list
MOST_TIMES = 100_000


@dataclass(frozen=True, slots=True)
class TimetableFit:
    """The trains (time in seconds from 00:00 of day 1, load), the group every arrival
    brings, and the arrivals that bring each train's load (rounded to the group)."""

    source: str
    trains: tuple[tuple[float, int], ...]
    group: int
    arrivals: TimedArrivals
    #: the most times the YAML was allowed to list
    max_times: int = MAX_TIMES

    @property
    def passengers(self) -> int:
        """The day's passengers in the timetable."""
        return sum(load for _, load in self.trains)

    @property
    def arriving(self) -> int:
        """The day's passengers the arrivals bring."""
        return len(self.arrivals.times) * self.group

    def notes(self) -> tuple[str, ...]:
        """What the arrivals do not keep exactly: the rounding of the loads, and the trains
        that arrive after 24:00."""
        notes = []
        moved = [abs(round(load / self.group) * self.group - load) for _, load in self.trains]
        if any(moved):
            worst = max(moved)
            share = max(m / load for m, (_, load) in zip(moved, self.trains, strict=True))
            rounded = (
                f"loads rounded to multiples of {self.group} to list at most "
                f"{self.max_times:,} times (--max-times): each train within {worst:,} "
                f"{'passenger' if worst == 1 else 'passengers'} of its load (at most "
                f"{share:.1%}), {self.arriving:,} passengers a day instead of "
                f"{self.passengers:,}"
            )
            dropped = sum(round(load / self.group) == 0 for _, load in self.trains)
            if dropped:
                rounded += f"; {counted(dropped, 'train')} of less than half a group left out"
            notes.append(rounded)
        late = [t for t, _ in self.trains if t >= DAY]
        if late:
            notes.append(
                f"{counted(len(late), 'train')} {'arrives' if len(late) == 1 else 'arrive'} "
                f"after 24:00, on the next day (the first at {clock(min(late) - DAY)}, "
                f"listed as {clock(min(late))}): a scenario must run past 24h to bring them"
            )
        return tuple(notes)

    def yaml(self) -> str:
        """The arrivals as a flow's ``arrivals:`` in a scenario file: each time on lines of
        its own, after a comment giving its trains' loads and how many groups bring them."""
        lines = ["arrivals:", "  times: ["]
        for time, loads in _by_time(self.trains):
            count = sum(round(load / self.group) for load in loads)
            said = " + ".join(f"{load:,}" for load in loads)
            said += " passenger" if sum(loads) == 1 and len(loads) == 1 else " passengers"
            brought = count * self.group
            if self.group > 1:
                said += f", {counted(count, 'group')} of {self.group}"
            if brought != sum(loads):
                said += f" ({brought:,} arrive)" if brought else " (left out)"
            lines.append(f"    # {clock(time)}: {said}")
            if count:
                wrapped = flow_list([clock(time)] * count, 4, 4)[1:-1]
                lines.append(f"    {wrapped},")
        lines.append("  ]")
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


def _by_time(trains: tuple[tuple[float, int], ...]) -> list[tuple[float, list[int]]]:
    """The trains' loads by time, in order."""
    times: dict[float, list[int]] = {}
    for time, load in trains:
        times.setdefault(time, []).append(load)
    return list(times.items())


def _group(loads: list[int], max_times: int) -> int:
    common = math.gcd(*loads) or 1
    if sum(loads) // common <= max_times:
        return common
    step = 1
    while sum(round(load / step) for load in loads) > max_times:
        step = {1: 2, 2: 5}.get(int(str(step)[0]), 10) * 10 ** (len(str(step)) - 1)
    return step


def fit_timetable(
    trains: list[tuple[float, int]], source: str = "timetable", max_times: int = MAX_TIMES
) -> TimetableFit:
    """The timed arrivals of ``trains``, (seconds from 00:00 of day 1, passengers) each,
    listing at most ``max_times`` times."""
    if not 1 <= max_times <= MOST_TIMES:
        raise DataError(source, "--max-times", f"{max_times} is outside 1 to {MOST_TIMES:,}")
    ordered = tuple(sorted(trains))
    group = _group([load for _, load in ordered], max_times)
    times = tuple(t for t, load in ordered for _ in range(round(load / group)))
    arrivals = TimedArrivals(times=times, group=ConstantCount(value=group) if group > 1 else None)
    return TimetableFit(source, ordered, group, arrivals, max_times)


def fit_timetable_file(
    path: str | Path,
    *,
    time_column: str = "arrival",
    load_column: str = "passengers",
    travel: str | float = 0.0,
    max_times: int = MAX_TIMES,
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
    return fit_timetable(trains, source=str(path), max_times=max_times)
