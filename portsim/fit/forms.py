"""Numbers, times and lists written as a scenario file writes them, for the YAML a fit
prints (pasted into a scenario, it loads as written: the tests load it)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from ..units import DAY, HOUR, MINUTE

__all__ = ["clock", "flow_list", "number", "seconds"]

#: a time this close to a whole second is written as that second
_ROUNDING = 1e-9


def number(value: float, decimals: int = 2) -> str:
    """``value`` with at most ``decimals`` decimals and no trailing zeros, never in
    exponent form: ``41.27``, ``1200``, ``0.5``."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def seconds(value: float, decimals: int = 2) -> str:
    """A duration in seconds with its unit: ``41.27s``."""
    return f"{number(value, decimals)}s"


def clock(value: float) -> str:
    """A time of day 1 as a clock time, ``06:30`` or ``06:30:15`` (24:00 at the latest), or
    beyond day 1 as hours, ``30.5h`` (as seconds, ``87330s``, when hours would round it)."""
    if value > DAY:
        in_hours = number(value / HOUR, 4)
        return f"{in_hours}h" if float(in_hours) * HOUR == value else f"{number(value, 3)}s"
    whole = round(value)
    hours, rest = divmod(whole, int(HOUR))
    minutes, secs = divmod(rest, int(MINUTE))
    if abs(value - whole) > _ROUNDING:
        return f"{number(value / HOUR, 6)}h"
    return f"{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


def flow_list(items: Iterable[str], indent: int, start: int = 0, width: int = 96) -> str:
    """``[a, b, c]`` in YAML's flow style, to be written from column ``start``, wrapped at
    ``width`` with continuation lines indented by ``indent`` spaces."""
    text = "[" + ", ".join(items) + "]"
    if max(start, indent) + len(text) <= width:
        return text
    lines = textwrap.wrap(
        text,
        width=width - indent,
        initial_indent="#" * start,
        break_long_words=False,
    )
    lines[0] = lines[0][start:]
    return ("\n" + " " * indent).join(lines)
