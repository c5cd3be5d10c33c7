"""Staff pools against what their lane groups' plans ask for: the warnings a planner sees
before a run (and in its results), as for the offered load (:mod:`.overload`).

A pool is short when the officers its groups' plans (schedules or counts, ``staff_per_lane``
each lane; a group drawing on several pools asks each for its own) ask for at some instant
exceed those on duty: lanes then wait for officers. The warning names the first such
stretch, with both numbers, and how many more there are; an opening rule's lanes, beyond the
plan, are not counted (they are asked for only when a queue grows), nor are a group's lanes
while its hours (its stage's, else the port's) close them. A pool no lane group names is
warned of too, and one that lends when nothing could ever be turned (no group's rule asks,
or no group has a line to lend below).
"""

from __future__ import annotations

import math

from ..units import DAY, HOUR, MINUTE
from .days import PortHours
from .model import CompiledPool, Model

__all__ = ["staff_warnings"]


def staff_warnings(model: Model) -> list[str]:
    """A warning per pool no group uses, and per pool its groups' plans ask more of than
    are on duty at some time."""
    warnings = []
    for pool in model.pools:
        if not pool.groups:
            warnings.append(
                f"staff pool {pool.name!r}: no lane group names it (their 'staff'): its "
                "officers take no part in the run"
            )
            continue
        warning = _short(model, pool)
        if warning:
            warnings.append(warning)
        if pool.lend:
            warnings += _no_lending(model, pool)
    return warnings


def _no_lending(model: Model, pool: CompiledPool) -> list[str]:
    """Why a pool that lends never will: no group's rule asks, or no group has a line."""
    groups = [model.groups[g] for g in pool.groups]
    if not any(
        g.rule is not None and (g.rule.open_wait < math.inf or g.rule.by_queue) for g in groups
    ):
        return [
            f"staff pool {pool.name!r} lends, but none of its lane groups has an opening rule "
            "to ask for a lane (opening: open_above or queue_above): nothing is ever turned"
        ]
    if not any(g.staffing is not None and g.staffing.lend_below >= 0 for g in groups):
        return [
            f"staff pool {pool.name!r} lends, but none of its lane groups has a line to lend "
            "below (lend_below, or its rule's close_below): nothing is ever turned"
        ]
    return []


def _hours(model: Model, group: int) -> PortHours | None:
    """The hours that close a group's lanes: its stage's own, else the port's (None: open
    round the clock)."""
    return model.stages[model.groups[group].stage].hours or model.hours


def _asked(model: Model, pool: CompiledPool, t: float) -> int:
    """Officers the pool's groups' plans ask for at ``t`` (none for a group its hours
    close)."""
    total = 0
    for g in pool.groups:
        group = model.groups[g]
        assert group.staffing is not None
        hours = _hours(model, g)
        if hours is None or hours.is_open(t):
            total += group.staffing.takes(pool.index) * group.timetable.count_at(t)
    return total


def _short(model: Model, pool: CompiledPool) -> str:
    """The first stretch when the plans ask for more than are on duty ("" if none)."""
    times = {0.0, *(t for t, _ in pool.on_duty.changes)}
    for g in pool.groups:
        times |= {t for t, _ in model.groups[g].timetable.changes}
        hours = _hours(model, g)
        times |= {t for interval in (hours.intervals if hours else ()) for t in interval}
    points = sorted(t for t in times if t < model.horizon)
    stretches: list[tuple[float, float, int, int]] = []  # start, end, most asked, on duty
    for start, end in zip(points, [*points[1:], model.horizon], strict=True):
        asked, on_duty = _asked(model, pool, start), pool.on_duty.count_at(start)
        if asked <= on_duty:
            continue
        if stretches and stretches[-1][1] == start and stretches[-1][2:] == (asked, on_duty):
            stretches[-1] = (stretches[-1][0], end, asked, on_duty)
        else:
            stretches.append((start, end, asked, on_duty))
    if not stretches:
        return ""
    start, end, asked, on_duty = stretches[0]
    more = len(stretches) - 1
    return (
        f"staff pool {pool.name!r}: at {_span(start, end, model.horizon)} the lane groups ask for "
        f"{asked:,} officers, the pool has {on_duty:,}: lanes wait for officers"
        + (f" (and {more} more time{'s' if more > 1 else ''} in the run)" if more else "")
    )


def _span(start: float, end: float, horizon: float) -> str:
    """``08:00–09:00``, with the day (or days) when the run is longer than one."""
    first, last = int(start // DAY), int((end - 1e-9) // DAY)
    begin, finish = _clock(start - first * DAY), _clock(end - last * DAY)
    if horizon <= DAY:
        return f"{begin}–{finish}"
    if first == last:
        return f"{begin}–{finish} of day {first + 1}"
    return f"{begin} of day {first + 1} to {finish} of day {last + 1}"


def _clock(seconds: float) -> str:
    """A time of day, ``24:00`` for the end of one."""
    return f"{int(seconds // HOUR):02d}:{int(seconds % HOUR // MINUTE):02d}"
