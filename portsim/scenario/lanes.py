"""Lane groups: lanes of one kind at a stage, their schedule, queue and service times."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .distributions import Distribution, TimeDistribution
from .fields import STRICT, LaneCount, Name
from .schedules import Schedule

__all__ = ["LaneGroup"]


@dataclass(frozen=True, slots=True, kw_only=True)
class LaneGroup:
    """Lanes of one kind at a stage.

    ``count`` lanes are open all the time, or ``schedule`` says how many are open at each
    time of day. With ``queue: shared`` (the default) the group keeps one first-come-first-
    served queue; with ``queue: per_lane`` each lane has its own queue and an arrival joins
    the shortest (vehicle booths). ``service_by_flow`` overrides ``service`` for the flows
    it names.
    """

    __pydantic_config__ = STRICT
    name: Name
    count: LaneCount | None = None
    schedule: Schedule | None = None
    queue: Literal["shared", "per_lane"] = "shared"
    service: Distribution
    service_by_flow: dict[Name, Distribution] | None = None
    #: for vehicles: added to the service once per occupant (driver included)
    service_per_occupant: Distribution | None = None
    serves: tuple[Name, ...] | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        if (self.count is None) == (self.schedule is None):
            raise ValueError("give either 'count' (lanes always open) or 'schedule', not both")

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

    def lanes_ever_open(self, horizon: float) -> int:
        """The most lanes open at any time before ``horizon`` (the schedule repeats daily,
        so an entry is reached before the horizon if it starts before it)."""
        if self.schedule is None:
            return self.count or 0
        return max((e.count for e in self.schedule if e.start < horizon), default=0)
