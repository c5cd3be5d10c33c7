"""Staff pools: the officers (or dual-facing counters) that lane groups share.

A port's binding constraint is its officers, not its booths. A pool says how many are on
duty (``count`` all the time, or a ``schedule`` of counts by time of day, one every day or
one per day type of the calendar: the forms a lane group's schedule takes), and ``switch``,
the time one takes to move from one lane group to another (default 0). A lane group names
its pool (``staff: officers``) and how many of its officers a lane needs
(``staff_per_lane``, default 1); it then opens a lane, by its schedule, its opening rule or
the port's hours, only when that many are free (:mod:`portsim.engine.staff` for the order in
which groups waiting for officers are served). Groups that name no pool draw on nobody.
A group may draw on several pools at once (``staff: [dual_counters, officers]``, with
``staff_per_lane`` one number for all or ``{officers: 2}`` by pool): a lane then opens only
when every pool has enough free, takes them all and gives them all back together.

Counters that face either direction (Lok Ma Chau's dual-facing counters, Lo Wu's
contra-flow) are a pool too: ``{name: dual_counters, count: 8, switch: 3min}`` shared by a
northbound and a southbound group, each with the schedule of how many face its side. With
``lend: true`` a group whose opening rule asks for a lane while nobody is free turns one
from another group of the pool whose newcomer's expected wait is below that group's line
(its ``lend_below``, else its rule's ``close_below``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ScenarioError
from .fields import STRICT, LaneCount, Name, NonNegativeDuration
from .schedules import (
    Schedule,
    ScheduleByDayType,
    check_count_or_schedule,
    most_at_once,
    schedules_by_day_type,
)

if TYPE_CHECKING:
    from .lanes import LaneGroup
    from .spec import Scenario

__all__ = ["StaffPool", "check_staff"]


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffPool:
    """Officers on duty, shared by the lane groups that name the pool in their ``staff``:
    ``count`` all the time, or ``schedule`` (entries ``{from, to, count}``, hours no entry
    covers with nobody on duty). ``switch``: the time an officer takes from one lane group
    to another (a counter that turns to the other side: closed for that long). ``lend``: a
    group whose opening rule asks for a lane while nobody is free takes one from a group of
    the pool below its line (the turn of a counter when the other side's queue grows)."""

    __pydantic_config__ = STRICT
    name: Name
    count: LaneCount | None = None
    schedule: ScheduleByDayType | None = None
    switch: NonNegativeDuration = 0.0
    lend: bool = False
    source: str | None = None

    def __post_init__(self) -> None:
        check_count_or_schedule(
            self.count,
            self.schedule,
            how_many="how many are on duty",
            always="on duty all the time",
        )

    def schedules(self) -> dict[str, Schedule]:
        """The schedule of each day type (``default`` for one schedule every day)."""
        return schedules_by_day_type(self.schedule)

    def most(self) -> int:
        """The most on duty at once (any day type)."""
        return most_at_once(self.count, self.schedule)


def check_staff(scenario: Scenario, stage_path: Callable[..., str]) -> None:
    """Pool names are unique; a lane group names a pool that exists, and one with enough
    on duty, at its busiest, for one of its lanes. ``stage_path(scenario, name, mode)``
    says where a stage is written in the file."""
    pools: dict[str, StaffPool] = {}
    for pool in scenario.staff:
        if pool.name in pools:
            raise ScenarioError(f"staff.{pool.name}", f"duplicate staff pool name {pool.name!r}")
        pools[pool.name] = pool
    modes = scenario.clearance.modes() if scenario.clearance is not None else (None,)
    for mode in modes:
        for stage in scenario.all_stages(mode):
            for group in stage.lanes:
                if group.staff is not None:
                    path = f"{stage_path(scenario, stage.name, mode)}.lanes.{group.name}"
                    _check_draws(group, pools, path)


def _check_draws(group: LaneGroup, pools: dict[str, StaffPool], path: str) -> None:
    """A group's pools exist, one lends if it has a line to lend below, and each has enough
    on duty, at its busiest, for one of its lanes."""
    for name, per_lane in group.draws():
        if name not in pools:
            known = ", ".join(pools) or "none: add a 'staff' list"
            raise ScenarioError(f"{path}.staff", f"unknown staff pool {name!r} (pools: {known})")
        pool = pools[name]
        if pool.most() < per_lane:
            raise ScenarioError(
                f"{path}.staff_per_lane",
                f"a lane takes {per_lane} of pool {pool.name!r}, which has "
                f"{pool.most()} on duty at most: no lane could ever open",
            )
    if group.lend_below is not None and not any(pools[p].lend for p in group.pools()):
        named = " or ".join(repr(p) for p in group.pools())
        raise ScenarioError(
            f"{path}.lend_below",
            f"pool {named} does not lend lanes: add 'lend: true' to it, or leave lend_below out",
        )
