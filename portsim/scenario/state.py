"""The state of a port observed now: the file ``portsim run FILE --from-state STATE.yaml``
reads to forecast the rest of the day from a clock time.

A state says when it was observed (``at``, with ``day`` or ``date`` when the horizon has
several days) and, per stage and lane group, the lanes open, the travellers waiting and the
travellers in service, per flow (``flow``, or ``flow.class`` for a flow with classes)::

    at: "14:00"
    stages:
      passport:
        counters:
          open: 6
          waiting: {visitors: 120, residents: 30}
          in_service: {visitors: 4, residents: [20s, 45s]}

``in_service`` gives a count (each traveller's service is drawn afresh, in full, from
``at``: exact for exponential service, which forgets how long it has run) or a list of the
remaining service times (exact, for constant service and for hand-checked forecasts).
Travellers on the move (``walking_to`` a stage, ``shuttles``: at a shuttle's stop or aboard
a bus) are in :mod:`.state_moving`.
Vehicles are given the same way, or with their occupants or passengers still out
(:class:`~.state_vehicles.Vehicles`); ``meeting`` holds the vehicles at their meeting
point waiting for their passengers (:mod:`.state_vehicles`).
The names are checked against the scenario when the run is built
(:mod:`portsim.model.initial`); here only the shape and the numbers are.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Discriminator, Tag, TypeAdapter, ValidationError

from ..errors import ScenarioError
from .fields import STRICT, Count, LaneCount, Name, NonNegativeDuration, PositiveInt, TimeOfDay
from .load import read_scenario_text
from .messages import first_error, render_path, render_problem
from .state_moving import StopState, Walking, moving_travellers
from .state_vehicles import Vehicles, WaitingValue, count_of, entity_kind
from .yaml_io import load_yaml

__all__ = ["GroupState", "State", "load_state", "read_state", "state_from_dict"]


def _date(value: Any) -> Any:
    """A date as YAML reads it (a date) or as text (``"2026-02-10"``)."""
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date: write YYYY-MM-DD") from None
    return value


InService = Annotated[
    Annotated[Count, Tag("count")]
    | Annotated[tuple[NonNegativeDuration, ...], Tag("times")]
    | Annotated[Vehicles, Tag("vehicles")],
    Discriminator(entity_kind),
]
"""Travellers in service: how many (a fresh draw of the whole service each), or the
remaining service time of each; or vehicles (:mod:`.state_vehicles`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupState:
    """One lane group observed: ``open`` lanes (None: as the scenario plans them), the
    travellers ``waiting`` and ``in_service``, by ``flow`` or ``flow.class``."""

    __pydantic_config__ = STRICT
    open: LaneCount | None = None
    waiting: dict[Name, WaitingValue] = field(default_factory=dict)
    in_service: dict[Name, InService] = field(default_factory=dict)

    def serving(self) -> int:
        """Travellers (and vehicles) in service, all flows."""
        return sum(count_of(v) for v in self.in_service.values())

    def queued(self) -> int:
        """Travellers (and vehicles) waiting, all flows."""
        return sum(count_of(v) for v in self.waiting.values())


@dataclass(frozen=True, slots=True, kw_only=True)
class State:
    """The port observed at ``at`` (a time of day, of day ``day`` — 1 is the first — or of
    the calendar's ``date``): lane groups by stage and name; travellers walking to a
    stage (``walking_to``, by stage and flow) and at or aboard a stage's shuttle
    (``shuttles``, by the stage it leaves)."""

    __pydantic_config__ = STRICT
    at: TimeOfDay
    day: PositiveInt | None = None
    date: Annotated[datetime.date, BeforeValidator(_date)] | None = None
    stages: dict[Name, dict[Name, GroupState]] = field(default_factory=dict)
    walking_to: dict[Name, dict[Name, Walking]] = field(default_factory=dict)
    shuttles: dict[Name, StopState] = field(default_factory=dict)
    #: vehicles at their meeting point waiting for their passengers, by flow: each one's
    #: passengers still out (:mod:`.state_vehicles`)
    meeting: dict[Name, tuple[Count, ...]] = field(default_factory=dict)

    def travellers(self) -> int:
        """Every traveller (or vehicle) observed: waiting, in service or on the move."""
        return sum(
            g.queued() + g.serving() for groups in self.stages.values() for g in groups.values()
        ) + moving_travellers(self.walking_to, self.shuttles)


@cache
def _adapter() -> TypeAdapter[State]:
    return TypeAdapter(State)


def state_from_dict(data: Any) -> State:
    """Validate plain data (as parsed from YAML) into a :class:`State`; a
    :class:`ScenarioError` names the first problem's field path."""
    if not isinstance(data, Mapping):
        raise ScenarioError("", "a state must be a mapping with at least 'at' (a clock time)")
    try:
        return _adapter().validate_python(data)
    except ValidationError as exc:
        error = first_error(exc.errors(include_url=False))
        path = render_path(error["loc"], data, keep_missing=error["type"] == "missing")
        raise ScenarioError(path, render_problem(error, State)) from None


def load_state(path: str | Path) -> State:
    """Read and validate a state file; every problem is a :class:`ScenarioError` that
    names the file, the field path and what is wrong."""
    try:
        return state_from_dict(load_yaml(read_scenario_text(path, "state file")))
    except ScenarioError as exc:
        raise exc.with_file(str(path)) from None


def read_state(state: State | str | Path | Mapping[str, Any]) -> State:
    """A state as the API takes it: a :class:`State`, a state file's path, or plain data."""
    if isinstance(state, State):
        return state
    if isinstance(state, str | Path):
        return load_state(state)
    return state_from_dict(state)
