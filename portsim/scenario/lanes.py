"""Lane groups: lanes of one kind at a stage, their schedule, queue and service times."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .distributions import Distribution, TimeDistribution
from .fields import STRICT, LaneCount, Name, PositiveDuration, PositiveInt, Priority
from .opening import OpeningRule
from .schedules import (
    Schedule,
    ScheduleByDayType,
    check_count_or_schedule,
    most_at_once,
    schedules_by_day_type,
)

__all__ = ["LaneGroup"]


@dataclass(frozen=True, slots=True, kw_only=True)
class LaneGroup:
    """Lanes of one kind at a stage.

    ``count`` lanes are open all the time, or ``schedule`` says how many are open at each
    time of day (one schedule every day, or one per day type of the calendar). ``built``
    lanes exist: the most that can ever be open; an ``opening`` rule opens more than the plan
    when the queue reaches its line, up to ``built``. With ``queue: shared`` (the default)
    the group keeps one first-come-first-served queue; with ``queue: per_lane`` each lane
    has its own queue and an arrival joins the shortest (vehicle booths).
    ``service_by_flow`` overrides ``service`` for the flows it names; ``priority``
    overrides the priority of the flows and classes it names, at these lanes only. ``staff``
    names the staff pool (:mod:`.staff`) whose officers its open lanes take,
    ``staff_per_lane`` each; or several pools (``staff: [dual_counters, officers]``: a lane
    opens only with a unit of each), ``staff_per_lane`` then one number for every pool or
    the number of each pool that takes more than one (``{officers: 2}``).
    """

    __pydantic_config__ = STRICT
    name: Name
    count: LaneCount | None = None
    schedule: ScheduleByDayType | None = None
    built: LaneCount | None = None
    opening: OpeningRule | None = None
    queue: Literal["shared", "per_lane"] = "shared"
    service: Distribution
    service_by_flow: dict[Name, Distribution] | None = None
    #: for vehicles: added to the service once per occupant (driver included)
    service_per_occupant: Distribution | None = None
    serves: tuple[Name, ...] | None = None
    #: at these lanes only: the priority of the flows and classes named (lower first)
    priority: dict[Name, Priority] | None = None
    #: the staff pool (or pools) whose officers open its lanes (None: it draws on nobody)
    staff: Name | tuple[Name, ...] | None = None
    #: officers (or counters) of the pool each open lane takes: one number for every pool
    #: it draws on, or by pool (those not named take 1)
    staff_per_lane: PositiveInt | dict[Name, PositiveInt] = 1
    #: with a pool that lends: lend a lane to a group of the pool that asks while the
    #: newcomer's expected wait here is below this line (default: the rule's close_below)
    lend_below: PositiveDuration | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        check_count_or_schedule(
            self.count,
            self.schedule,
            how_many="how many lanes are open",
            always="lanes always open",
        )
        if self.opening is not None and self.opening.opens and self.built is None:
            raise ValueError("an opening rule opens lanes up to 'built': say how many are built")
        if self.staff is None and (self.staff_per_lane != 1 or self.lend_below is not None):
            field = "staff_per_lane" if self.staff_per_lane != 1 else "lend_below"
            raise ValueError(f"{field} goes with 'staff' (the pool its lanes draw on)")
        self._check_pools()
        if self.built is not None and self.planned_most() > self.built:
            raise ValueError(
                f"the plan opens {self.planned_most()} lanes but only {self.built} are built"
            )

    def _check_pools(self) -> None:
        """Each pool named once; per-lane numbers only for the pools drawn on."""
        pools = self.pools()
        if isinstance(self.staff, tuple) and not pools:
            raise ValueError("staff: name at least one pool (or leave 'staff' out)")
        twice = sorted({p for p in pools if pools.count(p) > 1})
        if twice:
            raise ValueError(f"staff names pool {twice[0]!r} twice: a lane draws on a pool once")
        if isinstance(self.staff_per_lane, dict):
            if not self.staff_per_lane:
                raise ValueError("staff_per_lane: name a pool, or give one number")
            stray = [p for p in self.staff_per_lane if p not in pools]
            if stray:
                raise ValueError(
                    f"staff_per_lane names pool {stray[0]!r}, which this group does not draw "
                    f"on (its staff: {', '.join(pools)})"
                )

    def pools(self) -> tuple[str, ...]:
        """The staff pools its lanes draw on, as written (none without ``staff``)."""
        if self.staff is None:
            return ()
        return (self.staff,) if isinstance(self.staff, str) else self.staff

    def per_lane(self, pool: str) -> int:
        """Officers (or counters) of ``pool`` each open lane takes."""
        if isinstance(self.staff_per_lane, dict):
            return self.staff_per_lane.get(pool, 1)
        return self.staff_per_lane

    def draws(self) -> tuple[tuple[str, int], ...]:
        """Each pool its lanes draw on, with the units of it a lane takes."""
        return tuple((pool, self.per_lane(pool)) for pool in self.pools())

    def schedules(self) -> dict[str, Schedule]:
        """The schedule of each day type (``default`` for one schedule every day)."""
        return schedules_by_day_type(self.schedule)

    def planned_most(self) -> int:
        """The most lanes the plan ever opens (any day type)."""
        return most_at_once(self.count, self.schedule)

    @property
    def has_emergency_line(self) -> bool:
        """Whether an opening rule draws an emergency line (``emergency_above``)."""
        return self.opening is not None and self.opening.emergency_above is not None

    def serves_flow(self, flow: str, cls: str | None = None) -> bool:
        """Whether travellers of ``flow`` (of class ``cls``) may use these lanes: ``serves``
        names the flow, or ``flow.class``."""
        if self.serves is None:
            return True
        return flow in self.serves or (cls is not None and f"{flow}.{cls}" in self.serves)

    def service_for(self, flow: str, cls: str | None = None) -> TimeDistribution:
        """The service time distribution of ``flow``'s travellers (of class ``cls``) at these
        lanes: ``service_by_flow`` for ``flow.class``, else for ``flow``, else ``service``."""
        named = self.service_by_flow or {}
        if cls is not None and f"{flow}.{cls}" in named:
            return named[f"{flow}.{cls}"]
        return named.get(flow, self.service)

    def priority_for(self, flow: str, cls: str | None, default: int | None) -> int | None:
        """The priority of ``flow``'s travellers (of class ``cls``) at these lanes: the
        group's ``priority`` for ``flow.class``, else for ``flow``, else ``default`` (the
        class's or the flow's own)."""
        named = self.priority or {}
        if cls is not None and f"{flow}.{cls}" in named:
            return named[f"{flow}.{cls}"]
        return named.get(flow, default)

    def lanes_ever_open(self, horizon: float) -> int:
        """The most lanes open at any time before ``horizon`` (the schedule repeats daily,
        so an entry is reached before the horizon if it starts before it; a schedule by day
        type counts every type's)."""
        if self.schedule is None:
            return self.count or 0
        if isinstance(self.schedule, dict):
            return self.planned_most()
        return max((e.count for e in self.schedule if e.start < horizon), default=0)
