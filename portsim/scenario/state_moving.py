"""Travellers on the move in a state observed now (:mod:`.state`): walking to a stage, at a
shuttle's stop waiting for a bus, or aboard a bus on the road::

    walking_to:
      passport:                        # the stage they walk to (their route's walk to it)
        visitors: 12                   # a count: each is somewhere along the walk
        residents: [30s, 90s]          # or the walk left of each (exact)
    shuttles:
      car_park:                        # the shuttle that leaves car_park (its stop)
        waiting: {visitors: 30}        # at the stop, for the next bus
        bus_waited: 2min               # a bus on demand there: since its first boarded
        buses:                         # on the road to the next stop
          - {aboard: {visitors: 40}, arrives_in: 6min}
        returning: [3min]              # empty buses of a fleet on their way back, due in

A count of walkers draws each one's walk left as a fraction, uniform between 0 and 1, of a
walk drawn from the route's walk: they were seen somewhere along the way (exact for a
constant walk and walkers coming at a steady rate; a fresh whole walk would bring them all
to the stage together, a wave that was not there). A list gives each one's walk left.
The names are checked against the scenario when the run is built
(:mod:`portsim.model.initial_moving`); here only the shape and the numbers are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import Discriminator, Tag

from .fields import STRICT, Count, Name, NonNegativeDuration

__all__ = ["Bus", "StopState", "Walking", "moving_travellers"]


def _walking_kind(value: Any) -> str:
    return "times" if isinstance(value, list | tuple) else "count"


Walking = Annotated[
    Annotated[Count, Tag("count")] | Annotated[tuple[NonNegativeDuration, ...], Tag("times")],
    Discriminator(_walking_kind),
]
"""Travellers walking: how many (each somewhere along a walk drawn afresh), or the walk left
of each."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Bus:
    """A bus on the road from its stop: who is ``aboard`` (by ``flow`` or ``flow.class``),
    and when it reaches the next stop (``arrives_in``, from the state's time)."""

    __pydantic_config__ = STRICT
    aboard: dict[Name, Count]
    arrives_in: NonNegativeDuration


@dataclass(frozen=True, slots=True, kw_only=True)
class StopState:
    """A shuttle's stop observed: the travellers ``waiting`` there for a bus (and, for a
    bus on demand, how long the bus there has waited since its first passenger boarded:
    ``bus_waited``; None: it starts its wait at the state's time), the ``buses`` on the
    road, and (a fleet of buses on demand) the empty buses ``returning``, each due back in
    the time given."""

    __pydantic_config__ = STRICT
    waiting: dict[Name, Count] = field(default_factory=dict)
    bus_waited: NonNegativeDuration | None = None
    buses: tuple[Bus, ...] = ()
    returning: tuple[NonNegativeDuration, ...] = ()

    def travellers(self) -> int:
        """Everyone at the stop or aboard a bus."""
        return sum(self.waiting.values()) + sum(sum(b.aboard.values()) for b in self.buses)


def moving_travellers(
    walking_to: dict[str, dict[str, int | tuple[float, ...]]], shuttles: dict[str, StopState]
) -> int:
    """Every traveller on the move: walking, at a stop or aboard a bus."""
    walking = sum(
        v if isinstance(v, int) else len(v) for by in walking_to.values() for v in by.values()
    )
    return walking + sum(stop.travellers() for stop in shuttles.values())
