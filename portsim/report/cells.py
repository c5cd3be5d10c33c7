"""A statistic as a planner reads it: in its metric's unit (from the catalog), rounded, with
its 95 % interval in the same unit — one unit per cell — and as the plain numbers a CSV
download holds.

``3.2 min (2.9 – 3.5)``, ``95.0% (93.1 – 96.2%)``, ``1,234``, ``−1.2 min (−1.5 – −0.9)``.
A statistic without a value reads ``-``; without an interval (one replication), as the
value alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..results.catalog import Metric
from ..results.statistics import Stat
from ..units import DAY, HOUR, MINUTE, duration_unit, format_in_unit, hour_interval

__all__ = [
    "MISSING",
    "Cell",
    "clock",
    "difference_text",
    "hour_span",
    "interval_text",
    "raw_cells",
    "raw_headers",
    "stat_text",
    "value_text",
]

MISSING = "-"
#: durations shorter than this read as 0.0 s: a rounding error is no wait, nor a negative one
ROUNDS_TO_ZERO = 0.05
#: the plain numbers of a statistic in a CSV: mean, lower and upper bound
Cell = float | None


def clock(seconds: float) -> str:
    """``07:30``, with the day after the first: ``day 2 07:30``."""
    day, rest = divmod(int(seconds), int(DAY))
    text = f"{rest // int(HOUR):02d}:{rest % int(HOUR) // int(MINUTE):02d}"
    return f"day {day + 1} {text}" if day else text


def hour_span(hour: int) -> str:
    """The hour from 00:00 of day 1 as a planner writes it: ``05:00–06:00`` (``day 2
    05:00–06:00`` after the first day)."""
    return hour_interval(hour)


def _unit(m: Metric, reference: float) -> tuple[float, str, int]:
    """(per, name, decimals): how values of ``m`` near ``reference`` read."""
    if m.unit == "seconds":
        return duration_unit(reference)
    if m.fraction:
        return 0.01, "%", 1
    return 1.0, "", m.digits


#: decimals an interval may add to tell its bounds apart (``3.50 min (3.47 – 3.53)``)
MORE_DIGITS = 2


def _telling(unit: tuple[float, str, int], stat: Stat) -> tuple[float, str, int]:
    """``unit`` with enough decimals that the interval's bounds read apart (up to
    :data:`MORE_DIGITS` more): an interval printed ``(−3.5 – −3.5)`` looks exact, and is not."""
    per, name, digits = unit
    if stat.interval is None or stat.low == stat.high:
        return unit
    for extra in range(MORE_DIGITS + 1):
        candidate = (per, name, digits + extra)
        if _number(stat.low, candidate) != _number(stat.high, candidate):
            return candidate
    return (per, name, digits + MORE_DIGITS)


def _number(value: float, unit: tuple[float, str, int], signed: bool = False) -> str:
    per, name, digits = unit
    if name and name not in {"%"}:  # a duration: no minus sign for a rounding error
        if not signed and abs(value) < ROUNDS_TO_ZERO:
            value = 0.0
        text = format_in_unit(abs(value), unit).removesuffix(f" {name}")
    else:
        text = f"{abs(value) / per:,.{digits}f}"
    if signed:  # a difference that rounds to zero has no sign
        return ("+" if value >= 0 else "−") + text if text.strip("0.,") else text
    return ("−" if value < 0 and text.strip("0.,") else "") + text


def _suffix(unit: tuple[float, str, int]) -> str:
    name = unit[1]
    return "%" if name == "%" else f" {name}" if name else ""


def value_text(m: Metric, value: float) -> str:
    """One value of ``m`` in its unit: ``3.2 min``, ``95.0%``, ``1,234``, ``07:30``."""
    if value is None or math.isnan(value):
        return MISSING
    if m.unit == "clock":
        return clock(value)
    unit = _unit(m, value)
    return _number(value, unit) + _suffix(unit)


def stat_text(m: Metric, stat: Stat | None, *, interval: bool = False) -> str:
    """A statistic's mean in ``m``'s unit, and with ``interval`` its 95 % interval in the
    same unit: ``3.2 min (2.9 – 3.5)``."""
    if stat is None or not stat.known:
        return MISSING
    if not interval or stat.interval is None or m.unit == "clock":
        return value_text(m, stat.mean)
    unit = _telling(_unit(m, stat.mean), stat)
    low, high = stat.interval
    return (
        f"{_number(stat.mean, unit)}{_suffix(unit)} "
        f"({_number(low, unit)} – {_number(high, unit)}{'%' if unit[1] == '%' else ''})"
    )


def interval_text(m: Metric, stat: Stat | None) -> str:
    """The 95 % interval alone, in the unit of the mean: ``2.9 – 3.5 min``; ``-`` without."""
    if stat is None or stat.interval is None:
        return MISSING
    low, high = stat.interval
    if m.unit == "clock":
        return f"{clock(low)} – {clock(high)}"
    unit = _telling(_unit(m, stat.mean if stat.known else high), stat)
    return f"{_number(low, unit)} – {_number(high, unit)}{_suffix(unit)}"


def difference_text(m: Metric, stat: Stat | None, *, interval: bool = True) -> str:
    """A paired difference, signed, with its interval in one unit: ``−1.2 min (−1.5 –
    −0.9)``."""
    if stat is None or not stat.known:
        return MISSING
    unit = _telling(_unit(m, stat.mean), stat) if interval else _unit(m, stat.mean)
    text = _number(stat.mean, unit, signed=True) + _suffix(unit)
    if interval and stat.interval is not None:
        low, high = stat.interval
        text += f" ({_number(low, unit, signed=True)} – {_number(high, unit, signed=True)})"
    return text


def raw_cells(stat: Stat | None) -> list[Cell]:
    """Mean, lower and upper bound of a statistic for the CSV (None where missing)."""
    if stat is None:
        return [None, None, None]
    values: Sequence[float] = (stat.mean, stat.low, stat.high)
    return [None if math.isnan(v) else v for v in values]


def raw_headers(m: Metric) -> list[str]:
    """The CSV columns of :func:`raw_cells`: ``wait_p95_s``, ``…_ci95_low``, ``…_ci95_high``."""
    return [m.name, f"{m.name}_ci95_low", f"{m.name}_ci95_high"]
