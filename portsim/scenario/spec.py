"""The scenario: who arrives, which stages they pass, and the lanes that serve them.

A scenario file is YAML, loaded safely (:mod:`.load`) and validated into the frozen objects
below; durations and rates are converted to seconds once, at load. The file format is a
public contract: these field names only grow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Discriminator, Field, Tag

from ..errors import ScenarioError
from ..units import DAY
from .arrivals import Arrivals
from .assumptions import UsedAssumption
from .calendar import Calendar, OpeningHours, day_type_kind
from .checks import PASSENGERS, check_scenario
from .clearance import CLEARANCE, Clearance, Transfer
from .counts import CountDistribution
from .distributions import Distribution
from .fields import (
    STRICT,
    UNIT_KEY,
    Name,
    NonNegativeDuration,
    NonNegativeInt,
    PositiveDuration,
    PositiveInt,
    Priority,
    Probability,
    Replications,
)
from .lanes import LaneGroup
from .reference import ReferenceFigure
from .routes import Alight, RouteStep, Step, SubRouteStep
from .staff import StaffPool
from .targets import Target

__all__ = [
    "KIND_WORDS",
    "MAX_HORIZON",
    "PASSENGERS",
    "VEHICLES",
    "Flow",
    "FlowClass",
    "FlowKind",
    "RouteStep",
    "Scenario",
    "Stage",
]


#: the longest horizon: a year (leap years included); the hourly figures of a longer run
#: outgrow a report, and a study of several years runs one year at a time
MAX_HORIZON = 366 * DAY


def _horizon_bound(horizon: float) -> float:
    if horizon > MAX_HORIZON:
        raise ValueError(
            f"{horizon / DAY:g} days is longer than a year ({MAX_HORIZON / DAY:g} days): "
            "run one year at a time"
        )
    return horizon


def _calendar_horizon(calendar: Calendar | None) -> float:
    if calendar is None:
        raise ScenarioError("horizon", "required field is missing (or give a calendar)")
    return _horizon_bound(calendar.length)


#: opening hours, every day or by day type (the port's, or a stage's)
Hours = Annotated[
    Annotated[OpeningHours, Tag("every_day")]
    | Annotated[dict[Name, OpeningHours], Tag("by_day_type"), Field(min_length=1)],
    Discriminator(day_type_kind("open")),
]


def _no_shuttle_out(value: Any) -> Any:
    if isinstance(value, dict) and "shuttle" in value:
        raise ValueError(
            "the way out is a time distribution (a walk or a ride that takes that long), "
            "not a shuttle: a shuttle leads to a stage at its far end"
        )
    return value


#: in the JSON Schema: a route step may be written as a bare stage name
_ROUTE_ITEM_SCHEMA = {UNIT_KEY: "route step"}


FlowKind = Literal["passenger", "car", "coach", "truck"]
#: how far the classes' shares may add up from 1 (rounding in the file)
SHARES_TOLERANCE = 1e-9
#: the kinds of flow whose entities are vehicles, with occupants
VEHICLES = frozenset({"car", "coach", "truck"})
#: what a flow of each kind counts, in a planner's words (``24,000 travellers``, ``300
#: coaches``): the one home of these words, for the reports, the diagram and the planning
#: answers
KIND_WORDS: dict[str, str] = {
    "passenger": "travellers",
    "car": "cars",
    "coach": "coaches",
    "truck": "trucks",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowClass:
    """A share of a flow's entities (e-channel users, say), drawn per entity at arrival;
    ``serves``, ``service_by_flow`` and targets name it ``flow.class``. ``priority``
    (lower first) overrides the flow's for the class's travellers."""

    __pydantic_config__ = STRICT
    name: Name
    share: Probability
    priority: Priority | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Flow:
    """Who arrives: a stream of travellers or vehicles that follow one route."""

    __pydantic_config__ = STRICT
    name: Name
    kind: FlowKind = "passenger"
    direction: str | None = None
    arrivals: Arrivals
    #: persons in each vehicle, driver included (vehicles only; default one)
    occupants: CountDistribution | None = None
    classes: tuple[FlowClass, ...] = ()
    route: Annotated[tuple[Step, ...], Field(min_length=1, json_schema_extra=_ROUTE_ITEM_SCHEMA)]
    #: the walk or ride out after the route's last stop, counted in the time in port (None:
    #: they leave at the end of their last service); a vehicle's passengers who alight
    #: leave with it, or at the end of their sub-route
    exit_transfer: Annotated[Distribution | None, BeforeValidator(_no_shuttle_out)] = None
    #: served before those of a higher number, or of none, at every lane group (never
    #: taking a lane from someone in service); first come, first served within a level
    priority: Priority | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        if self.classes:
            total = math.fsum(c.share for c in self.classes)
            if abs(total - 1) > SHARES_TOLERANCE:
                raise ValueError(f"the shares of the classes add up to {total:g}, not 1")
            names = [c.name for c in self.classes]
            for name in names:
                if names.count(name) > 1:
                    raise ValueError(
                        f"two of its classes are called {name!r}: give each its own name"
                    )
            if PASSENGERS in names:
                raise ValueError(f"{PASSENGERS!r} is the class of passengers who alight")
        if self.occupants is not None and self.kind not in VEHICLES:
            raise ValueError(f"occupants are for vehicles (car, coach, truck), not {self.kind}")

    @property
    def is_vehicle(self) -> bool:
        return self.kind in VEHICLES

    def priority_of(self, cls: str | None) -> int | None:
        """The priority of the flow's travellers of class ``cls`` (None: the flow's; the
        passengers who alight keep their vehicle's flow's): the class's, else the flow's."""
        for c in self.classes:
            if c.name == cls and c.priority is not None:
                return c.priority
        return self.priority

    def class_names(self) -> tuple[str, ...]:
        """``flow.class`` for each class, and ``flow.passengers`` when its vehicles have
        passengers who alight."""
        names = [f"{self.name}.{c.name}" for c in self.classes]
        if any(isinstance(step, Alight) for step in self.route):
            names.append(f"{self.name}.{PASSENGERS}")
        return tuple(names)


@dataclass(frozen=True, slots=True, kw_only=True)
class Stage:
    """An inspection stop: one or more lane groups, and the transfer to the next stop."""

    __pydantic_config__ = STRICT
    name: Name
    lanes: Annotated[tuple[LaneGroup, ...], Field(min_length=1)]
    transfer: Transfer | None = None
    #: travellers who fit in the queueing area; nobody is turned away, the report says when
    #: and for how long more were waiting
    space: PositiveInt | None = None
    #: the stage's own opening hours (None: the port's); who reaches it while closed waits
    #: before it for the opening
    hours: Hours | None = None
    source: str | None = None

    def group(self, name: str) -> LaneGroup:
        """The lane group called ``name``."""
        for group in self.lanes:
            if group.name == name:
                return group
        raise KeyError(name)


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """A whole scenario: the validated content of one scenario file, in seconds."""

    __pydantic_config__ = STRICT
    name: Name
    description: str | None = None
    #: required unless a calendar says how many days run (then its length by default)
    horizon: Annotated[PositiveDuration, AfterValidator(_horizon_bound)] = 0.0
    warmup: NonNegativeDuration = 0.0
    replications: Replications = 5
    seed: NonNegativeInt = 0
    flows: Annotated[tuple[Flow, ...], Field(min_length=1)]
    #: named sub-routes, for passengers who alight from vehicles
    routes: dict[
        Name,
        Annotated[
            tuple[SubRouteStep, ...], Field(min_length=1, json_schema_extra=_ROUTE_ITEM_SCHEMA)
        ],
    ] = field(default_factory=dict)
    stages: tuple[Stage, ...] = ()
    clearance: Clearance | None = None
    targets: tuple[Target, ...] = ()
    reference: tuple[ReferenceFigure, ...] = ()
    #: the days of the run, each of a type that daily totals, profiles, schedules and
    #: opening hours may name
    calendar: Calendar | None = None
    #: the port's opening hours: arrivals outside them wait for the opening
    hours: Hours | None = None
    #: staff pools: officers (or dual-facing counters) the lane groups naming them share
    staff: tuple[StaffPool, ...] = ()
    #: the shared assumptions the file referenced (``assumptions: FILE``), resolved at load:
    #: which values came from them (see :mod:`portsim.scenario.assumptions`)
    assumptions: tuple[UsedAssumption, ...] | None = None

    def __post_init__(self) -> None:
        if self.horizon == 0.0:  # left out: the calendar's days
            object.__setattr__(self, "horizon", _calendar_horizon(self.calendar))
        check_scenario(self)

    def holds(self) -> bool:
        """Whether some travellers may wait for an opening: the port's hours or a stage's."""
        return self.hours is not None or any(s.hours is not None for s in self.all_stages())

    def all_stages(self, mode: str | None = None) -> tuple[Stage, ...]:
        """The stages that run: the clearance mode's stages (``exit`` and ``entry``, or
        ``joint``), then the scenario's own. ``mode`` defaults to the chosen one."""
        expanded: list[Stage] = []
        if self.clearance is not None:
            for name, stop, transfer in self.clearance.stops(mode):
                expanded.append(
                    Stage(
                        name=name,
                        lanes=stop.lanes,
                        transfer=transfer,
                        space=stop.space,
                        source=stop.source,
                    )
                )
        return (*expanded, *self.stages)

    def route(self, flow: Flow | str, mode: str | None = None) -> tuple[Any, ...]:
        """A flow's route, or the named sub-route, with ``clearance`` replaced by the mode's
        stages (default: the chosen mode)."""
        steps: list[Any] = []
        for step in flow.route if isinstance(flow, Flow) else self.routes[flow]:
            if isinstance(step, RouteStep) and step.stage == CLEARANCE and self.clearance:
                steps += [RouteStep(stage=name) for name, _, _ in self.clearance.stops(mode)]
            else:
                steps.append(step)
        return tuple(steps)

    def with_mode(self, mode: str) -> Scenario:
        """The same scenario with another clearance mode."""
        if self.clearance is None:
            raise ValueError("the scenario has no clearance block")
        return replace(self, clearance=self.clearance.with_mode(mode))

    def flow(self, name: str) -> Flow:
        """The flow called ``name``."""
        for flow in self.flows:
            if flow.name == name:
                return flow
        raise KeyError(name)

    def stage(self, name: str) -> Stage:
        """The stage called ``name``, a clearance mode's stages included."""
        for stage in self.all_stages():
            if stage.name == name:
                return stage
        raise KeyError(name)
