"""The compiled model: a scenario turned into indexed flows, stages, lane groups and route
programs, ready for the engine.

Compiling (:mod:`.compile`) resolves every name once, so the engine works with small
integers; the model carries only compiled objects: no layer reads the scenario after it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..scenario.counts import CountDistribution
from ..scenario.distributions import TimeDistribution
from ..units import DAY
from .days import Days, PortHours
from .initial import StartState
from .rates import RateFunction
from .routes import Program
from .timetable import Timetable

__all__ = [
    "CompiledFigure",
    "CompiledFlow",
    "CompiledGroup",
    "CompiledPool",
    "CompiledRule",
    "CompiledShuttle",
    "CompiledStaffing",
    "CompiledStage",
    "CompiledTarget",
    "Model",
    "Subflow",
]


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A lane group's opening rule (:class:`~portsim.scenario.opening.OpeningRule`), with
    absent thresholds as never reached: ``inf`` to open or for an emergency, -1 to close.
    ``mean`` is the mean service the expected wait is reckoned with (the group's flows'
    means, weighted by the visits they are expected to make)."""

    built: int
    step: int
    delay: float
    open_wait: float
    close_wait: float
    open_queue: float
    close_queue: float
    emergency: float
    mean: float

    @property
    def by_queue(self) -> bool:
        """Whether the thresholds count travellers waiting (else expected waits)."""
        return self.open_queue < math.inf

    @property
    def has_emergency_line(self) -> bool:
        """Whether an expected wait can start an emergency (the scenario's
        ``LaneGroup.has_emergency_line``, compiled)."""
        return self.emergency < math.inf


@dataclass(frozen=True, slots=True)
class CompiledStaffing:
    """How a lane group draws on staff pools: ``pools`` (indices into :attr:`Model.pools`,
    as the group names them) and ``per_lane``, the units of each an open lane takes (a lane
    opens only with all of them), the ``mean`` service its newcomer's expected wait is
    reckoned with (the order in which waiting groups are served, and lanes taken away), and
    ``lend_below``, the line under which it lends a lane to a group of a pool that lends
    (-1: it never lends)."""

    pools: tuple[int, ...]
    per_lane: tuple[int, ...]
    mean: float
    lend_below: float = -1.0

    def takes(self, pool: int) -> int:
        """Units of ``pool`` an open lane takes (0: it does not draw on it)."""
        for p, n in zip(self.pools, self.per_lane, strict=True):
            if p == pool:
                return n
        return 0


@dataclass(frozen=True, slots=True)
class CompiledPool:
    """A staff pool: ``on_duty`` officers over the horizon (a timetable, like a lane
    group's plan), ``switch`` seconds to move between lane groups, whether a group whose rule
    asks may ``lend`` a lane of another, and the lane groups that draw on it (indices, in
    declaration order)."""

    index: int
    name: str
    on_duty: Timetable
    switch: float
    lend: bool
    groups: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CompiledGroup:
    """A lane group: ``index`` is its position in :attr:`Model.groups`."""

    index: int
    name: str
    stage: int
    #: the planned open lanes over the horizon
    timetable: Timetable
    per_lane: bool
    #: service distribution for each subflow (by subflow index), None where not served
    service: tuple[TimeDistribution | None, ...]
    #: added to the service once per occupant, by subflow index (vehicles only; else None)
    per_occupant: tuple[TimeDistribution | None, ...] = ()
    #: lanes built (None: as many as the plan opens)
    built: int | None = None
    #: the opening rule (None: the plan alone)
    rule: CompiledRule | None = None
    #: the queue level of each subflow (by subflow index; the file's levels numbered 0, 1,
    #: … in their order): level 0 is served first, first come first served within a level
    #: (None: everyone it serves is equal)
    priority: tuple[int, ...] | None = None
    #: how it draws on a staff pool (None: it draws on nobody)
    staffing: CompiledStaffing | None = None

    @property
    def lanes(self) -> int:
        """The most lanes ever open: lane indices run from 0 to ``lanes - 1``."""
        if self.rule is not None:
            return max(self.rule.built, self.timetable.most)
        return self.timetable.most


@dataclass(frozen=True, slots=True)
class CompiledStage:
    index: int
    name: str
    groups: tuple[int, ...]
    #: travellers who fit in the queueing area (inf: not declared)
    space: float
    #: the stage's own opening hours (None: the port's)
    hours: PortHours | None = None


@dataclass(frozen=True, slots=True)
class CompiledShuttle:
    """A shuttle that leaves ``stage`` with ``seats`` seats and takes ``ride`` to the next
    stop: timetabled (``max_wait`` None), departing at ``first``, then every ``every``; or
    on demand, leaving when full or ``max_wait`` after its first passenger boarded, with
    ``fleet`` buses each away ``away`` after leaving (``fleet`` None: a bus always there)."""

    stage: int
    every: float
    seats: int
    ride: float
    first: float
    max_wait: float | None = None
    fleet: int | None = None
    away: float = 0.0

    @property
    def on_demand(self) -> bool:
        """Whether it leaves when full or after its wait rather than by a timetable."""
        return self.max_wait is not None


@dataclass(frozen=True, slots=True)
class ArrivalPlan:
    """How a flow's entities arrive: ``kind`` is ``poisson`` (exponential gaps at
    ``rate.constant``), ``profile`` (Poisson with a piecewise-constant rate), ``regular``
    (``first``, then every ``every`` until before ``end``) or ``timed`` (at ``times``, each
    bringing its load of ``loads`` when given)."""

    kind: str
    #: arrival events per second (each brings a party of ``party`` entities when given: the
    #: scenario's ``group`` field of the arrivals); with ``loads``, entities per second
    rate: RateFunction
    party: CountDistribution | None = None
    first: float = 0.0
    every: float = 0.0
    end: float = 0.0
    times: tuple[float, ...] = ()
    #: what each of ``times`` brings, exactly (a timetable's loads; empty: one, or a party)
    loads: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Subflow:
    """Who follows one program: a flow, one of its classes (``flow.class``), or a vehicle
    flow's passengers who alight (``flow.passengers``). Lane groups serve subflows, random
    streams are named after them, and reports give each class its row."""

    index: int
    flow: int
    #: the flow's name, ``flow.class`` or ``flow.passengers``
    name: str
    cls: str | None
    #: the share of the flow's arrivals in this class (1 without classes, 0 for passengers)
    share: float
    #: the route as a program of steps; step 0 is where an entity starts
    program: Program
    #: expected visits to each stage per entity (sum of the steps' p), by stage index
    visits: tuple[float, ...]
    #: lane groups open to it at each stage (by stage index), in declaration order
    eligible: tuple[tuple[int, ...], ...]
    #: its priority as the file gives it (lower first; None: after every level)
    priority: int | None = None


@dataclass(frozen=True, slots=True)
class CompiledFlow:
    index: int
    name: str
    kind: str
    direction: str | None
    arrivals: ArrivalPlan
    #: persons in each vehicle, driver included (None: one; and always one on foot)
    occupants: CountDistribution | None
    vehicle: bool
    #: its classes' subflows, in the order of the classes (or its own one)
    subflows: tuple[int, ...]
    #: the subflow of its passengers who alight (None: they stay aboard)
    passengers: int | None = None

    @property
    def entity_rate(self) -> RateFunction:
        """Entities per second: arrival events times the mean party size."""
        return self.arrivals.rate.scaled(self.party_size)

    @property
    def party_size(self) -> float:
        """Entities an arrival brings, on average (1 when they come one by one)."""
        return 1.0 if self.arrivals.party is None else self.arrivals.party.mean

    @property
    def mean_occupants(self) -> float:
        return 1.0 if self.occupants is None else self.occupants.mean


@dataclass(frozen=True, slots=True)
class CompiledTarget:
    """A service pledge: ``share`` within ``wait_within`` seconds, for a flow (index), a
    stage (index) or every counted entity (both None)."""

    name: str
    flow: int | None
    stage: int | None
    wait_within: float
    share: float
    flow_name: str | None
    stage_name: str | None
    #: a class's subflow, when the target names ``flow.class`` (``flow`` is then its flow)
    subflow: int | None = None


@dataclass(frozen=True, slots=True)
class CompiledFigure:
    """A documented figure and the metric paths of the run JSON whose means add up to it."""

    figure: str
    value: float
    unit: str
    source: str
    paths: tuple[str, ...]
    #: the paths as written: one string, or a list
    compare_to: str | tuple[str, ...]
    #: ``calibration`` or ``validation`` as the file says; None: by the metrics it names
    #: (:func:`portsim.results.figures.check_of`)
    check: str | None
    #: the published interval (None: unbounded on that side; both None: the point value)
    low: float | None = None
    high: float | None = None
    confidence: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Model:
    """Everything one replication needs, indexed; built by :func:`~.compile.compile_scenario`."""

    name: str
    horizon: float
    warmup: float
    flows: tuple[CompiledFlow, ...]
    stages: tuple[CompiledStage, ...]
    groups: tuple[CompiledGroup, ...]
    shuttles: tuple[CompiledShuttle, ...]
    subflows: tuple[Subflow, ...]
    targets: tuple[CompiledTarget, ...] = ()
    figures: tuple[CompiledFigure, ...] = ()
    #: the days of the horizon (types and dates from the calendar, if any)
    days: Days | None = None
    #: the port's opening hours (None: round the clock)
    hours: PortHours | None = None
    #: whether the scenario has a calendar
    calendar: bool = False
    #: where the run starts, when it forecasts from a state observed at a clock time
    #: (:func:`~.initial.start_from`; None: from 00:00 of day 1, empty)
    initial: StartState | None = None
    #: staff pools (none: every lane group opens its lanes without drawing on anyone)
    pools: tuple[CompiledPool, ...] = ()

    @property
    def controlled(self) -> bool:
        """Whether some lanes follow more than their plan: opening hours (the port's or a
        stage's) or a rule."""
        return self.holds or any(g.rule is not None for g in self.groups)

    @property
    def holds(self) -> bool:
        """Whether some travellers may wait for an opening: the port's hours or a stage's."""
        return self.hours is not None or self.stage_hours

    @property
    def stage_hours(self) -> bool:
        """Whether some stage has opening hours of its own (travellers may be held before
        it, and the engine reports for how long)."""
        return any(s.hours is not None for s in self.stages)

    @property
    def multi_day(self) -> bool:
        """Whether reports go day by day: a calendar, or a horizon past two days (up to
        two days, the text report shows every hour)."""
        return self.calendar or self.horizon > 2 * DAY

    @property
    def directions(self) -> dict[str, tuple[int, ...]]:
        """Flow indices by ``direction`` label, labels in alphabetical order."""
        labels = sorted({f.direction for f in self.flows if f.direction is not None})
        return {d: tuple(f.index for f in self.flows if f.direction == d) for d in labels}
