"""Placing a state observed at a clock time (:class:`~portsim.model.initial.StartState`)
at the start of a replication.

The replication runs from 00:00 as ever, but nothing happens before the state's time
``at``: the sources' first arrivals are at or after it (:func:`.sources.arrival_times`),
and lane changes before it find an empty port. At ``at``, first of everything due then
(an URGENT event scheduled before all others), :class:`Start` sets the observed open lanes
(an opening rule takes them as its plan until the timetable's next change), starts the
observed services (the lanes from 0; a given remaining time, or a fresh draw of the whole
service), and lines up the observed queues in the order the state gives them. A change of
the timetable due at ``at`` itself comes after: it is a decision taken now.

Under opening hours (the port's or a stage's) and at the groups of a staff pool, the
doors and the pools are set first (:mod:`.initial_doors`): the travellers behind each door
count as inside, a door closed at ``at`` opens only the lanes the state gives there (for
those inside), and each pool the state touches starts afresh, its free officers going to
its waiting groups once the observed queues are in place.

Each observed traveller enters as an arrival at ``at`` (its wait counts from ``at``), with
the next entity id, and the next number ``k`` within its flow: the flow's source numbers its
own arrivals after them (:func:`first_numbers`), so observed and new travellers never share
a draw, and every variant of the same state reads the same numbers. Vehicles and the
passengers who alighted from them are made by :mod:`.initial_vehicles` (the vehicles whose
passengers are out first of all; occupants numbered before the source's).

The travellers on the move (walking, at a shuttle's stop, aboard a bus) come after those at
the lane groups: :mod:`.initial_moving`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from heapq import heappop
from typing import Any

from ..model.initial import StartState, StartTraveller
from ..model.model import Model
from .control import Doors, LaneControl
from .core import NORMAL, URGENT, Clock, Event
from .entities import Entity, Member
from .initial_doors import place_doors, restart_pools, serve_pools
from .initial_moving import place_moving
from .initial_vehicles import StartVehicles
from .lanes import Lanes, PerLaneLanes, SharedLanes
from .on_demand import OnDemandService
from .shuttles import ShuttleService
from .staff import StaffPool
from .steps import Router

__all__ = ["Start", "first_numbers"]


def first_numbers(model: Model) -> list[int]:
    """The number ``k`` of each flow's first new arrival: after its observed travellers."""
    numbers = [0] * len(model.flows)
    if model.initial is not None:
        for group in model.initial.groups:
            for t in (*group.serving, *group.waiting):
                flow = model.flows[model.subflows[t.sub].flow]
                if t.sub != flow.passengers:  # passengers: numbered as occupants
                    numbers[flow.index] += 1
        for carload in model.initial.carloads:  # the vehicles at their meeting point
            numbers[carload.flow] += carload.meeting
        for sub in () if model.initial.moving is None else model.initial.moving.travellers():
            numbers[model.subflows[sub].flow] += 1
    return numbers


class Start:
    """The state, placed at its time."""

    __slots__ = (
        "arrival",
        "clock",
        "controls",
        "detail",
        "doors",
        "groups",
        "ids",
        "model",
        "pools",
        "router",
        "shuttles",
        "state",
        "vehicles",
    )

    def __init__(
        self,
        model: Model,
        state: StartState,
        clock: Clock,
        *,
        groups: list[Lanes],
        controls: dict[int, LaneControl],
        ids: Iterator[int],
        arrival: Callable[[tuple[float, ...]], Any],
        detail: Callable[[tuple[float, ...]], Any],
        router: Router | None = None,
        shuttles: Sequence[ShuttleService | OnDemandService] = (),
        vehicles: StartVehicles | None = None,
        doors: dict[int | None, Doors] | None = None,
        pools: list[StaffPool] | None = None,
    ) -> None:
        self.model = model
        self.state = state
        self.clock = clock
        self.groups = groups
        self.controls = controls
        self.ids = ids
        self.arrival = arrival  # the ARRIVAL_COLUMNS of an entity of no class
        self.detail = detail  # the DETAIL_COLUMNS of a member of a class
        self.router = router  # moves walkers and riders on (travellers on the move)
        self.shuttles = shuttles
        self.vehicles = vehicles  # None: the state has no vehicle nor passenger
        self.doors = doors or {}  # under opening hours: the port's (None) and the stages'
        self.pools = pools or []

    def schedule(self) -> None:
        """Call first, before anything else is scheduled (see the module's notes)."""
        self.clock.schedule(Event([self._place]), self.state.at, URGENT)

    def _place(self, event: Event) -> None:
        now = self.clock.now
        numbers = [0] * len(self.model.flows)
        pools = restart_pools(self.model, self.state, self.pools, now) if self.pools else []
        held = place_doors(self.model, self.state, self.doors, _widen, now) if self.doors else set()
        if self.vehicles is not None:  # the vehicles whose passengers are out, first
            self.vehicles.begin(numbers, now)
        for observed in self.state.groups:
            group = self.groups[observed.group]
            control = self.controls.get(observed.group)
            if observed.open is not None and observed.group not in held:
                _widen(group, observed.open)
                if control is None:
                    group.set_open(observed.open, now)
                else:  # the observed lanes are the plan until the timetable changes it
                    control.planned, control.extra, control.request = observed.open, 0, 0
                    control.apply(now)
            for s in observed.serving:
                t = self._enter(s, numbers, now)
                if s.remaining is None:
                    group.join(t, now)  # a free lane: a fresh draw of the whole service
                else:
                    _serve(group, t, s.remaining, now)
            for s in observed.waiting:
                group.join(self._enter(s, numbers, now), now)
            if control is not None:
                control.check(now)
        if self.state.moving is not None:
            place_moving(self, self.state.moving, numbers, now)
        if pools:
            serve_pools(pools, now)

    def _enter(self, s: StartTraveller, numbers: list[int], now: float) -> Entity:
        """One observed traveller, recorded as an arrival at ``now``, at its queue."""
        flow = self.model.subflows[s.sub].flow
        if self.vehicles is not None and (v := self.vehicles.enter(s, numbers, now)) is not None:
            v.pc, v.visits, v.join = s.pc, s.visits, now
            return v
        k = numbers[flow]
        numbers[flow] += 1
        tid = next(self.ids)
        if len(self.model.flows[flow].subflows) > 1:
            t: Entity = Member(tid, flow, s.sub, k, now)
            self.detail((tid, flow, now, s.sub, -1, 1, 0.0))
        else:
            t = Entity(tid, flow, s.sub, k, now)
            self.arrival((flow, now))
        t.pc, t.visits, t.join = s.pc, s.visits, now
        return t


def _widen(group: Lanes, lanes: int) -> None:
    """Room for ``lanes`` lanes: a state may open more than the plan ever does, up to the
    lanes built."""
    extra = lanes - len(group.serving)
    if extra <= 0:
        return
    group.serving.extend([None] * extra)
    group.closed_at.extend([0.0] * extra)
    if isinstance(group, PerLaneLanes):
        from .priority import LevelQueue  # noqa: PLC0415 - only where priorities are (lanes_class)

        ranks = getattr(group, "ranks", None)
        for _ in range(extra):
            queue: Any = deque() if ranks is None else LevelQueue(ranks)
            group.lane_queues.append(queue)
            if ranks is not None:
                group.levels.append(queue)  # type: ignore[attr-defined]


def _serve(group: Lanes, t: Entity, remaining: float, now: float) -> None:
    """Serve ``t`` in the first free open lane for ``remaining`` seconds from ``now``: never
    two on one lane (:func:`~portsim.model.initial.start_from` checks that the state's
    travellers in service fit the lanes open)."""
    if isinstance(group, SharedLanes):
        lane = heappop(group.free) if group.free else -1
    elif isinstance(group, PerLaneLanes):  # a queue per lane numbers its joins
        lane = next((i for i in range(group.open) if group.serving[i] is None), -1)
        t.order = group.joins
        group.joins += 1
    else:
        raise TypeError(f"no lanes of kind {type(group).__name__}")
    if lane < 0:
        raise RuntimeError(f"no free lane in lane group {group.index} for one in service")
    t.start = now
    t.lane = lane
    group.serving[lane] = t
    t.callbacks = group.done
    group.clock.schedule(t, remaining, NORMAL)
