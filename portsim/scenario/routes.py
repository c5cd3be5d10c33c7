"""Route steps: what a flow's route, or a named sub-route, says an entity does next.

=========================================================  ==================================
step                                                       meaning
=========================================================  ==================================
``exit_check`` or ``{stage: exit_check, p: 0.2}``          visit the stage (with probability p)
``{choose: [{stage: xray, p: 0.3}, {stage: exam, p: 0.02}]}``  visit at most one of them, with
                                                           these probabilities; else go on
``{alight: ROUTE}``                                        a vehicle's passengers leave it
                                                           and follow the named sub-route
``{meet: passengers}``                                     the vehicle waits here until its
                                                           last passenger is back
=========================================================  ==================================
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Field, Tag

from .fields import STRICT, Name, Probability

__all__ = ["Alight", "Choice", "Meet", "RouteStep", "Step", "SubRouteStep"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteStep:
    """One step of a route: a stage, visited with probability ``p`` (independently per entity)."""

    __pydantic_config__ = STRICT
    stage: Name
    p: Probability = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice:
    """At most one of ``choose``'s stages, each with its probability (they add up to at most
    1; with the rest, none). One draw per entity from the choice's own stream."""

    __pydantic_config__ = STRICT
    choose: Annotated[tuple[RouteStep, ...], Field(min_length=1)]

    def __post_init__(self) -> None:
        total = math.fsum(option.p for option in self.choose)
        if total > 1 + 1e-9:
            raise ValueError(f"the probabilities of a choice add up to {total:g}, more than 1")
        names = [option.stage for option in self.choose]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(
                    f"a choice names the stage {name!r} twice: give it once, with the sum of "
                    "its probabilities"
                )


@dataclass(frozen=True, slots=True, kw_only=True)
class Alight:
    """The vehicle's passengers (every occupant but the driver) leave it and follow the
    sub-route named ``alight``; the vehicle goes on at once."""

    __pydantic_config__ = STRICT
    alight: Name


@dataclass(frozen=True, slots=True, kw_only=True)
class Meet:
    """The vehicle waits until every passenger who alighted has finished the sub-route."""

    __pydantic_config__ = STRICT
    meet: Literal["passengers"]


def _step_item(value: Any) -> Any:
    """A bare stage name means the stage is always visited."""
    return {"stage": value} if isinstance(value, str) else value


# the union's tags: unlike the fields' names, so that error paths leave them out
_TAGS = (("choose", Choice, "a-choice"), ("alight", Alight, "alighting"), ("meet", Meet, "meeting"))


def _step_kind(value: Any) -> str | None:
    for key, kind, tag in _TAGS:
        if isinstance(value, kind) or (isinstance(value, Mapping) and key in value):
            return tag
    if isinstance(value, RouteStep | Mapping):
        return "a-visit"
    return None


Step = Annotated[
    Annotated[RouteStep, Tag("a-visit")]
    | Annotated[Choice, Tag("a-choice")]
    | Annotated[Alight, Tag("alighting")]
    | Annotated[Meet, Tag("meeting")],
    Discriminator(
        _step_kind,
        custom_error_type="route_step",
        custom_error_message="a route step is a stage name, {stage, p}, {choose: [...]}, "
        "{alight: ROUTE} or {meet: passengers}",
    ),
    BeforeValidator(_step_item),
]
"""A step of a flow's route."""

SubRouteStep = Annotated[
    Annotated[RouteStep, Tag("a-visit")] | Annotated[Choice, Tag("a-choice")],
    Discriminator(
        _step_kind,
        custom_error_type="route_step",
        custom_error_message="a sub-route step is a stage name, {stage, p} or {choose: [...]}",
    ),
    BeforeValidator(_step_item),
]
"""A step of a named sub-route (passengers who alight neither alight nor meet again)."""
