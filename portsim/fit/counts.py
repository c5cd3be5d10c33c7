"""Counts by date and hour (and direction) → a flow's ``daily_total`` and ``profile`` per day
type, and the calendar of the days counted (``portsim fit counts``).

Each row counts the travellers of one hour (0 to 23, or ``06:00``) of one date (YYYY-MM-DD),
in one direction when the file has a direction column. A date's day type is ``weekday`` or
``weekend`` (Saturday, Sunday), or read from a column of day types (``festival_eve``, …), or
one type for every day. Per direction and day type, the profile's weight of an hour is the
mean count of that hour over the days of the type, and the daily total the mean count of a
day (the sum of the profile): the arrivals that expect, on a day of each type, what the data
counted on average. An hour a date does not list counts as zero (the fit says how many); a
second count for the same date, hour and direction is refused.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..scenario.calendar import MAX_DAYS, Calendar, CalendarDays
from ..units import HOURS_PER_DAY
from .data import Table, read_table
from .forms import flow_list, number

__all__ = ["WEEKDAY_WEEKEND", "CountsFit", "DirectionCounts", "fit_counts_file"]

#: the day types read from a date when the file names none
WEEKDAY_WEEKEND = ("weekday", "weekend")
#: ``date.weekday()`` of a Saturday: it and Sunday are the weekend
SATURDAY = 5
_HOUR = re.compile(r"^(\d{1,2})(?::00(?::00)?)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class DirectionCounts:
    """One direction's arrivals: per day type, the days counted, the daily total and the
    24 hourly weights (mean counts)."""

    direction: str
    days: dict[str, int]
    daily_total: dict[str, float]
    profile: dict[str, tuple[float, ...]]
    #: hours of the counted days that the file does not list (counted as zero)
    missing_hours: int

    def arrivals(self) -> dict[str, object]:
        """The arrivals as a scenario file gives them (one value when a single day type)."""
        if len(self.days) == 1:
            (day_type,) = self.days
            return {"daily_total": self.daily_total[day_type], "profile": self.profile[day_type]}
        return {"daily_total": dict(self.daily_total), "profile": dict(self.profile)}


@dataclass(frozen=True, slots=True)
class CountsFit:
    """The arrivals of each direction (``""``: the file has no direction column) and the
    calendar of the dates counted (None: a single day type)."""

    source: str
    directions: tuple[DirectionCounts, ...]
    calendar: Calendar | None
    first_date: datetime.date
    last_date: datetime.date

    def yaml(self) -> str:
        """The calendar and a flow per direction, as a scenario file writes them (each
        flow still needs its ``route:``)."""
        lines = []
        if self.calendar is not None:
            lines += ["calendar:", f"  start: {self.first_date.isoformat()}", "  days:"]
            lines += [
                f"    - {{type: {d.type}, repeat: {d.repeat}}}"
                if d.repeat > 1
                else f"    - {{type: {d.type}}}"
                for d in self.calendar.days
            ]
        lines.append("flows:")
        for direction in self.directions:
            lines.append(f"  - name: {direction.direction or 'arrivals'}")
            lines.append("    arrivals:")
            lines += _arrivals_lines(direction, indent=6)
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, object]:
        """The fit as plain data."""
        return {
            "source": self.source,
            "first_date": self.first_date.isoformat(),
            "last_date": self.last_date.isoformat(),
            "directions": [
                {
                    "direction": d.direction,
                    "days": d.days,
                    "missing_hours": d.missing_hours,
                    "arrivals": d.arrivals(),
                }
                for d in self.directions
            ],
            "yaml": self.yaml(),
        }


def _arrivals_lines(direction: DirectionCounts, indent: int) -> list[str]:
    pad = " " * indent

    def weights(values: tuple[float, ...], at: int, start: int) -> str:
        return flow_list((number(w) for w in values), at, start)

    if len(direction.days) == 1:
        (day_type,) = direction.days
        start = indent + len("profile: ")
        return [
            f"{pad}daily_total: {number(direction.daily_total[day_type])}",
            f"{pad}profile: {weights(direction.profile[day_type], indent + 2, start)}",
        ]
    totals = ", ".join(f"{t}: {number(v)}" for t, v in direction.daily_total.items())
    lines = [f"{pad}daily_total: {{{totals}}}", f"{pad}profile:"]
    for day_type, profile in direction.profile.items():
        start = indent + 2 + len(f"{day_type}: ")
        lines.append(f"{pad}  {day_type}: {weights(profile, indent + 4, start)}")
    return lines


def _hour(table: Table, column: str, cell: str, row: int) -> int:
    match = _HOUR.match(cell)
    hour = int(match.group(1)) if match else -1
    if not 0 <= hour < HOURS_PER_DAY:
        raise table.error(column, f"row {row}: {cell!r} is not an hour: write 0 to 23 or 06:00")
    return hour


def _date(table: Table, column: str, cell: str, row: int) -> datetime.date:
    try:
        if _DATE.match(cell) is None:
            raise ValueError
        return datetime.date.fromisoformat(cell)
    except ValueError:
        raise table.error(column, f"row {row}: {cell!r} is not a date: write YYYY-MM-DD") from None


def fit_counts_file(
    path: str | Path,
    *,
    date_column: str = "date",
    hour_column: str = "hour",
    count_column: str = "count",
    direction_column: str | None = None,
    day_type_column: str | None = None,
    every_day: bool = False,
) -> CountsFit:
    """The arrivals per direction and day type of a CSV file of hourly counts (see the
    module); day types from ``day_type_column``, else weekday and weekend, or one type for
    every day with ``every_day``."""
    columns = [date_column, hour_column, count_column]
    columns += [name for name in (direction_column, day_type_column) if name]
    table = read_table(path, columns)
    counts = table.whole_numbers(count_column)
    dates = [
        _date(table, date_column, cell, row)
        for cell, row in zip(table.texts(date_column), table.row_numbers, strict=True)
    ]
    hours = [
        _hour(table, hour_column, cell, row)
        for cell, row in zip(table.texts(hour_column), table.row_numbers, strict=True)
    ]
    directions = table.texts(direction_column) if direction_column else [""] * len(counts)
    day_types = _day_types(table, dates, day_type_column, every_day)
    seen: dict[tuple[str, datetime.date, int], int] = {}
    for key, row in zip(zip(directions, dates, hours, strict=True), table.row_numbers, strict=True):
        if key in seen:
            where = f"{key[1]} hour {key[2]}" + (f" {key[0]}" if key[0] else "")
            raise table.error(count_column, f"row {row}: a second count for {where} "
                              f"(the first is row {seen[key]})")  # fmt: skip
        seen[key] = row
    by_key = dict(zip(zip(directions, dates, hours, strict=True), counts, strict=True))
    all_dates = sorted(set(dates))
    fitted = tuple(
        _direction(direction, all_dates, day_types, by_key)
        for direction in dict.fromkeys(directions)
    )
    calendar = _calendar(all_dates, day_types, named=day_type_column is not None)
    return CountsFit(str(path), fitted, calendar, all_dates[0], all_dates[-1])


def _weekday_or_weekend(day: datetime.date) -> str:
    return WEEKDAY_WEEKEND[day.weekday() >= SATURDAY]


def _day_types(
    table: Table, dates: list[datetime.date], column: str | None, every_day: bool
) -> dict[datetime.date, str]:
    if column is None:
        return {d: "every_day" if every_day else _weekday_or_weekend(d) for d in dates}
    named: dict[datetime.date, str] = {}
    for date, kind, row in zip(dates, table.texts(column), table.row_numbers, strict=True):
        if named.setdefault(date, kind) != kind:
            raise table.error(column, f"row {row}: {date} is {named[date]} in an earlier row")
    return named


def _direction(
    direction: str,
    dates: list[datetime.date],
    day_types: dict[datetime.date, str],
    counts: dict[tuple[str, datetime.date, int], int],
) -> DirectionCounts:
    sums: dict[str, list[int]] = defaultdict(lambda: [0] * HOURS_PER_DAY)
    days: dict[str, int] = defaultdict(int)
    missing = 0
    for date in dates:
        kind = day_types[date]
        days[kind] += 1
        for hour in range(HOURS_PER_DAY):
            count = counts.get((direction, date, hour))
            missing += count is None
            sums[kind][hour] += count or 0
    profile = {kind: tuple(total / days[kind] for total in sums[kind]) for kind in days}
    return DirectionCounts(
        direction=direction,
        days=dict(days),
        daily_total={kind: sum(weights) for kind, weights in profile.items()},
        profile=profile,
        missing_hours=missing,
    )


def _calendar(
    dates: list[datetime.date], day_types: dict[datetime.date, str], *, named: bool
) -> Calendar | None:
    """The calendar of the consecutive days from the first date to the last (None: one day
    type, or more days than a calendar holds). A date the file skips is a weekday or a
    weekend day by its date, or (day types ``named`` in a column) of the day before's type."""
    if len(set(day_types.values())) == 1 or (dates[-1] - dates[0]).days >= MAX_DAYS:
        return None
    entries: list[CalendarDays] = []
    kind = day_types[dates[0]]
    day = dates[0]
    while day <= dates[-1]:
        kind = day_types.get(day, kind if named else _weekday_or_weekend(day))
        if entries and entries[-1].type == kind:
            entries[-1] = CalendarDays(type=kind, repeat=entries[-1].repeat + 1)
        else:
            entries.append(CalendarDays(type=kind))
        day += datetime.timedelta(days=1)
    return Calendar(start=dates[0], days=tuple(entries))
