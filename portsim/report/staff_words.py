"""A staff pool in words (who is on duty when, which lane groups share it, its switch
time and loans) and a schedule of counts by the clock, for :mod:`.describe`."""

from __future__ import annotations

from collections.abc import Sequence

from ..scenario.lanes import LaneGroup
from ..scenario.schedules import ScheduleEntry
from ..scenario.spec import Scenario
from ..scenario.staff import StaffPool
from ..units import DAY, HOUR, format_duration
from .tables import clock

__all__ = ["describe_pool", "describe_schedule"]


def describe_schedule(entries: Sequence[ScheduleEntry]) -> str:
    """A schedule in words: ``4 from 06:00 to 18:00`` (and whether it leaves hours closed)."""
    lanes = ", ".join(
        f"{e.count} from {clock(e.start)} to {clock(e.end) if e.end < DAY else '24:00'}"
        for e in sorted(entries, key=lambda e: e.start)
    )
    covered = sum(e.end - e.start for e in entries)
    return lanes + (" (closed outside these hours)" if covered < 24 * HOUR else "")


def _with(group: LaneGroup, pool: str) -> str:
    """What a user of ``pool`` takes a lane: ``(2 a lane)``, ``(with officers)``."""
    notes = [f"{group.per_lane(pool)} a lane"] if group.per_lane(pool) > 1 else []
    others = [p for p in group.pools() if p != pool]
    if others:
        notes.append("with " + " and ".join(others))
    return f" ({', '.join(notes)})" if notes else ""


def describe_pool(scenario: Scenario, pool: StaffPool) -> str:
    """A staff pool in words: who is on duty when, which groups share it, the switch."""
    if pool.schedule is None:
        duty = f"{pool.count} on duty all the time"
    else:
        duty = "; ".join(
            (
                ""
                if day_type == "default" and not isinstance(pool.schedule, dict)
                else f"{day_type}: "
            )
            + describe_schedule(entries).replace("(closed outside", "(nobody outside")
            for day_type, entries in pool.schedules().items()
        )
        duty = f"on duty by the clock: {duty}"
    users = [
        f"{stage.name}.{g.name}" + _with(g, pool.name)
        for stage in scenario.all_stages()
        for g in stage.lanes
        if pool.name in g.pools()
    ]
    shared = f"shared by {', '.join(users)}" if users else "named by no lane group"
    text = f"Pool {pool.name}: {duty}; {shared}"
    if pool.switch:
        text += f"; {format_duration(pool.switch)} to move from one group to another"
    if pool.lend:
        text += (
            "; a group whose opening rule asks while nobody is free turns a lane of another "
            "below its line"
        )
    return (
        text + ". A lane opens only when its officers are free; the groups waiting are "
        "served the longest expected wait first."
    )
