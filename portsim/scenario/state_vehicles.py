"""Vehicles in a state observed now: cars, coaches and trucks waiting or in service at a
vehicle lane group, with their occupants; and the coaches whose passengers have alighted.

At a lane group a vehicle flow is given as a count (``{cars: 40}``: each car's occupants
drawn as the flow draws them) or as :class:`Vehicles`, a mapping that says more::

    waiting: {cars: {count: 40, occupants: 2}}          # 40 cars of 2 (driver included)
    waiting: {coaches: {occupants: [35, 41]}}           # two coaches, each one's occupants
    in_service: {cars: {remaining: [20s, 45s]}}         # two cars, their service still to run
    waiting: {coaches: {passengers: [30, 25]}}          # after their passengers alighted:
                                                        # each one's passengers still out

A vehicle before its passengers alight carries its ``occupants``; one after (a stage its
route reaches after ``{alight: ...}``) carries its driver, and ``passengers`` says how many
of the passengers the state gives at their stages (``flow.passengers``) are its own. The
vehicles at their meeting point (``{meet: passengers}``), waiting for their passengers, are
the state's ``meeting``: ``{coaches: [30, 20]}``, each one's passengers still out.
Which route step a stage is, and whose the passengers are, is checked against the scenario
when the run is built (:mod:`portsim.model.initial_vehicles`); here only the shape is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag

from .fields import STRICT, Count, NonNegativeDuration, PositiveInt

__all__ = ["MOST_OCCUPANTS", "Vehicles", "WaitingValue", "count_of", "entity_kind"]


def _listed(value: Any) -> str:
    return "each" if isinstance(value, list | tuple) else "all"


MOST_OCCUPANTS = 1_000
"""The most persons one observed vehicle may carry: a double-decker coach carries about a
hundred; a thousand in one car or coach is a typing slip."""

Occupants = Annotated[PositiveInt, Field(le=MOST_OCCUPANTS)]

#: one number for every vehicle, or one for each
PerVehicle = Annotated[
    Annotated[Occupants, Tag("all")] | Annotated[tuple[Occupants, ...], Tag("each")],
    Discriminator(_listed),
]
#: the same, where none is a number a careless state may give (the model says why not)
PerVehicleCount = Annotated[
    Annotated[Count, Tag("all")] | Annotated[tuple[Count, ...], Tag("each")],
    Discriminator(_listed),
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Vehicles:
    """Vehicles of one flow at a lane group: how many (``count``, or the length of a list),
    each one's ``occupants`` (driver included; not given: drawn as the flow draws them) or,
    after their passengers alighted, each one's ``passengers`` still out; in service, each
    one's ``remaining`` service (not given: drawn afresh, whole)."""

    __pydantic_config__ = STRICT
    count: Count | None = None
    occupants: PerVehicle | None = None
    passengers: PerVehicleCount | None = None
    remaining: tuple[NonNegativeDuration, ...] | None = None

    def __post_init__(self) -> None:
        if self.occupants is not None and self.passengers is not None:
            raise ValueError(
                "give occupants (before the passengers alight) or passengers (after), not both"
            )
        lengths = {
            name: len(value)
            for name, value in (
                ("occupants", self.occupants),
                ("passengers", self.passengers),
                ("remaining", self.remaining),
            )
            if isinstance(value, tuple)
        }
        if self.count is not None:
            lengths["count"] = self.count
        if not lengths:
            raise ValueError("say how many: count, or a list of occupants, passengers or remaining")
        if len(set(lengths.values())) > 1:
            said = ", ".join(f"{name} {n}" for name, n in lengths.items())
            raise ValueError(f"the vehicles' numbers disagree ({said})")

    @property
    def number(self) -> int:
        """How many vehicles (``count`` and the lists agree: checked)."""
        if self.count is not None:
            return self.count
        listed = (self.occupants, self.passengers, self.remaining)
        return next(len(value) for value in listed if isinstance(value, tuple))

    def each(self, field: str) -> tuple[Any, ...]:
        """``occupants``, ``passengers`` or ``remaining`` for each vehicle (None: not given)."""
        value = getattr(self, field)
        if isinstance(value, tuple):
            return value
        return (value,) * self.number


def entity_kind(value: Any) -> str:
    """The tag of a state's value: vehicles (a mapping), remaining times (a list) or a count."""
    if isinstance(value, Mapping | Vehicles):
        return "vehicles"
    return "times" if isinstance(value, list | tuple) else "count"


WaitingValue = Annotated[
    Annotated[Count, Tag("count")] | Annotated[Vehicles, Tag("vehicles")],
    Discriminator(lambda value: "vehicles" if entity_kind(value) == "vehicles" else "count"),
]
"""Who waits of one flow: a count, or vehicles described."""


def count_of(value: int | tuple[Any, ...] | Vehicles) -> int:
    """How many entities a state's value gives: a count, a list's length, or vehicles."""
    if isinstance(value, Vehicles):
        return value.number
    return value if isinstance(value, int) else len(value)
