"""Placing the travellers on the move of a state observed now
(:class:`~portsim.model.initial_moving.StartMoving`), at the state's time, after the lane
groups' travellers (:class:`.initial.Start`), each as an arrival at ``at``:

* a walker goes on at the visit its walk leads to after its walk left: the one given, or
  a fraction ``u`` of the walk it would take, ``u`` uniform between 0 and 1 (its own stream,
  ``walk_left``, by subflow and stage; the walk is the route's own draw for the walker's
  number: new arrivals, numbered after the observed travellers, read the same numbers as
  before); with no walk left it joins the stage at once;
* a bus on the road reaches the next stop after its ``arrives_in``; its riders go on there
  in the order they boarded; a bus of a fleet on demand is away: it comes back empty its way
  back (``back``) after that;
* an empty bus of a fleet returning is due back after the time given;
* then those waiting at a stop line up there, in the order the state gives them: a bus on
  demand at the stop takes them at once (its wait begins at ``at``, or ``bus_waited``
  before it; a full one leaves at once), a timetabled shuttle takes them at its next
  departure — one due at ``at`` itself takes them, as it takes whoever is at the stop
  before it leaves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model.initial import StartTraveller
from ..model.initial_moving import StartMoving, StartStop, StartWalker
from .core import NORMAL, URGENT, Event
from .entities import Entity
from .on_demand import OnDemandService
from .streams import key

if TYPE_CHECKING:
    from .initial import Start

__all__ = ["place_moving"]


def _uniform(rng: Any, n: int) -> Any:
    return rng.uniform(0.0, 1.0, n)


def place_moving(start: Start, moving: StartMoving, numbers: list[int], now: float) -> None:
    """Place the travellers on the move (see the module), numbering them after those at
    the lane groups (``numbers``: each flow's next number)."""
    for walker in moving.walkers:
        _walk(start, walker, numbers, now)
    for stop in moving.stops:
        _stop(start, stop, numbers, now)


def _walk(start: Start, walker: StartWalker, numbers: list[int], now: float) -> None:
    router = start.router
    assert router is not None
    t = start._enter(StartTraveller(walker.sub, walker.pc, walker.visits), numbers, now)
    left = walker.remaining
    if left is None:  # a fraction of the walk the route would draw for this traveller
        _, constant, draws, _ = router.programs[walker.sub][walker.walk]
        walk = constant if constant is not None else draws.fill(t.k)
        sub = start.model.subflows[walker.sub].name
        u = router.streams(key("walk_left", sub, walker.stage), _uniform).fill(t.k)
        left = u * walk
    if left > 0:
        t.callbacks = router.moved
        start.clock.schedule(t, left, NORMAL)
    else:
        router.advance(t, now)


def _stop(start: Start, stop: StartStop, numbers: list[int], now: float) -> None:
    shuttle = start.shuttles[stop.shuttle]
    spec = shuttle.spec
    fleet = isinstance(shuttle, OnDemandService) and spec.fleet is not None
    clock = start.clock
    for bus in stop.buses:  # soonest first: rides end in the order they began
        riders: list[Entity] = [start._enter(r, numbers, now) for r in bus.riders]
        shuttle.riding.append(riders)
        clock.schedule(Event(shuttle.rides, riders), bus.arrives_in)
        if fleet:  # away: back empty after its way back
            assert isinstance(shuttle, OnDemandService)
            shuttle.ready -= 1
            clock.schedule(Event(shuttle.returns), bus.arrives_in + spec.away - spec.ride, URGENT)
    for due in stop.returning:
        assert isinstance(shuttle, OnDemandService)
        shuttle.ready -= 1
        clock.schedule(Event(shuttle.returns), due, URGENT)
    for s in stop.waiting:
        t = start._enter(s, numbers, now)
        if isinstance(shuttle, OnDemandService):
            shuttle.board(t, now)
        else:
            shuttle.boarding.append(t)
    if stop.bus_waited is not None:  # the bus there began its wait before: it ends sooner
        assert isinstance(shuttle, OnDemandService)
        assert spec.max_wait is not None
        shuttle.trip += 1  # its wait begun now no longer ends it
        shuttle.since = now - stop.bus_waited
        wait = Event(shuttle.timeouts, shuttle.trip)
        clock.schedule(wait, spec.max_wait - stop.bus_waited, URGENT)
