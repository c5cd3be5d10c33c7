"""A lane group's words in the model's diagram: its lanes (a count, or the range a schedule
opens, and those built), the staff pool it shares (its officers on duty and switch time),
whom it serves, its service time and queue, and its priorities; and :func:`fold`, which
wraps a box's lists of words. :mod:`.model_graph` puts them in their stage's box."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..scenario.lanes import LaneGroup
from ..scenario.staff import StaffPool
from ..units import DAY, format_duration
from .cells import clock

__all__ = ["INDENT", "WRAP", "LaneRow", "fold", "lane_row", "pool_words"]

#: the longest line of words in a box, in characters (longer lists fold)
WRAP = 48
#: the start of a folded line (no-break spaces: an SVG keeps them)
INDENT = "\u00a0\u00a0"


@dataclass(frozen=True, slots=True)
class LaneRow:
    """A lane group inside its stage's box: ``key`` is its element id
    (``lanes-STAGE-GROUP``)."""

    key: str
    name: str
    lanes: str
    serves: str
    #: its words as drawn: name and lanes, whom it serves, the service time and queue
    lines: tuple[str, ...] = ()


def fold(items: Sequence[str], head: str = "", width: int = WRAP) -> list[str]:
    """``items`` joined with commas after ``head``, a new line where the next would pass
    ``width`` characters (lines after the first indented by :data:`INDENT`)."""
    lines: list[str] = []
    line = head
    for item in items:
        joined = f"{line}{item}" if line == head else f"{line}, {item}"
        if len(joined) > width and line.strip() and line != head:
            lines.append(line + ",")
            line = f"{INDENT}{item}"
        else:
            line = joined
    return [*lines, line]


def pool_words(pool: StaffPool) -> str:
    """A staff pool, in short: its officers on duty and its switch time."""
    if pool.schedule is None:
        duty = f"{pool.count} on duty"
    else:
        counts = [e.count for es in pool.schedules().values() for e in es]
        low, high = min(counts), max(counts)
        duty = f"{low}–{high}" if low != high else f"{high}"
        duty += " on duty by the clock"
    switch = f", {format_duration(pool.switch)} to switch" if pool.switch else ""
    return f"{duty}{switch}"


def _lanes(group: LaneGroup, pools: Mapping[str, StaffPool] | None = None) -> list[str]:
    if group.schedule is None:
        count = group.count or 0
        text = f"{count} lane{'s' * (count != 1)}"
    else:
        entries = [e for es in group.schedules().values() for e in es]
        low, high = min(e.count for e in entries), max(e.count for e in entries)
        if len(entries) == 1:
            e = entries[0]
            end = clock(e.end) if e.end < DAY else "24:00"
            text = f"{high} lane{'s' * (high != 1)} {clock(e.start)}–{end}"
        else:
            many = f"{low}–{high}" if low != high else f"{high}"
            text = f"{many} lanes by the clock"
            if isinstance(group.schedule, dict):
                text += " and day"
    parts = [text]
    if group.built is not None:
        parts.append(f"{group.built} built")
    if group.opening is not None and group.opening.opens:
        parts.append("more open as queues grow")
    if group.staff is not None and pools is not None:
        for name, per_lane in group.draws():  # a lane takes one (or more) of each
            each = f", {per_lane} a lane" if per_lane != 1 else ""
            parts.append(f"shares {name}{each} ({pool_words(pools[name])})")
    return parts


def lane_row(stage: str, group: LaneGroup, pools: Mapping[str, StaffPool] | None = None) -> LaneRow:
    """A lane group's row: lanes open (a count, or the range a schedule opens) and built,
    the staff pool it draws on (``pools``: the scenario's, by name), whom it serves, the
    queue and the mean service time."""
    whom = [name.replace(".", " ") for name in group.serves or ()] or ["everyone"]
    own = ", ".join(
        f"{name.replace('.', ' ')} {format_duration(dist.mean)}"
        for name, dist in (group.service_by_flow or {}).items()
    )
    service = f"{format_duration(group.service.mean)} each" + (f" ({own})" if own else "")
    service += ", a queue per lane" if group.queue == "per_lane" else ""
    lanes = _lanes(group, pools)
    serves = fold(whom, "serves ")
    if len(serves) == 1 and len(f"{serves[0]}; {service}") <= WRAP:
        serves = [f"{serves[0]}; {service}"]
    else:
        serves.append(service)
    if group.priority:  # at these lanes only
        serves += fold(
            [f"{name.replace('.', ' ')} {level}" for name, level in group.priority.items()],
            "priority here: ",
        )
    return LaneRow(
        key=f"lanes-{stage}-{group.name}",
        name=group.name,
        lanes=", ".join(lanes),
        serves=f"serves {', '.join(whom)}; {service}",
        lines=(*fold(lanes, f"{group.name}: "), *serves),
    )
