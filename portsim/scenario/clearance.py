"""Clearance modes: the same border crossing as separate checks, co-located checks or
cooperative inspection with one release.

A scenario's ``clearance`` block holds the parameters of any of the three modes and ``mode``
picks one. Flows whose route names ``clearance`` pass through it; the chosen mode expands to
ordinary stages:

* ``separate`` (两地两检): stage ``exit`` (exit check on the departure side), the
  ``crossing`` (bridge, walk, or a shuttle: timetabled, or leaving when full) as its
  transfer, then stage ``entry``;
* ``colocated`` (一地两检): stage ``exit``, the ``walk`` as its transfer, stage ``entry``;
* ``cooperative`` (合作查验、一次放行): one stage ``joint`` that clears both sides at once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from .distributions import Distribution
from .fields import STRICT, NonNegativeDuration, PositiveDuration, PositiveInt, TimeOnDayOne
from .lanes import LaneGroup

__all__ = [
    "CLEARANCE",
    "MODES",
    "Clearance",
    "ClearanceStop",
    "ColocatedChecks",
    "CooperativeInspection",
    "OnDemandShuttle",
    "SeparateChecks",
    "Shuttle",
    "ShuttleCrossing",
    "Transfer",
]

#: the route step that stands for the clearance
CLEARANCE = "clearance"
MODES: tuple[str, ...] = ("separate", "colocated", "cooperative")


@dataclass(frozen=True, slots=True, kw_only=True)
class Shuttle:
    """A timetabled shuttle: departs every ``every`` from time ``first`` with ``seats`` seats
    and takes ``ride`` to arrive; whoever does not fit waits for the next one."""

    __pydantic_config__ = STRICT
    every: PositiveDuration
    seats: PositiveInt
    ride: NonNegativeDuration
    first: TimeOnDayOne = 0.0
    source: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OnDemandShuttle:
    """A shuttle that leaves when full (``seats`` aboard), or ``max_wait`` after its first
    passenger boarded, whichever comes first, and takes ``ride`` to arrive. Without a
    ``fleet`` a bus is always waiting at the stop; with one, a bus that left is away for
    ``ride`` + ``back`` (``back`` defaults to ``ride``: the same road back), and whoever comes
    while every bus is away waits for the next to return."""

    __pydantic_config__ = STRICT
    seats: PositiveInt
    ride: NonNegativeDuration
    leaves: Literal["when_full"]
    #: the longest a bus waits after its first passenger boarded (required: a bus that
    #: leaves only when full would keep the day's last travellers for ever)
    max_wait: PositiveDuration | None = None
    #: buses that take turns (None: one is always at the stop)
    fleet: PositiveInt | None = None
    #: the return trip of a fleet's bus (default: ``ride``)
    back: NonNegativeDuration | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        if self.max_wait is None:
            raise ValueError(
                "a shuttle that leaves only when full may never leave: the day's last "
                "travellers would wait for ever; give max_wait, the longest a bus waits "
                "after its first passenger boards (10min, say)"
            )
        if self.back is not None and self.fleet is None:
            raise ValueError(
                "back is the return trip of a fleet's buses: give fleet (how many buses), or "
                "leave back out (a bus is then always at the stop)"
            )

    @property
    def away(self) -> float:
        """How long a bus that left is away: the ride and the way back."""
        return self.ride + (self.ride if self.back is None else self.back)


def _shuttle_kind(value: Any) -> str | None:
    if isinstance(value, OnDemandShuttle) or (isinstance(value, dict) and "leaves" in value):
        return "on-demand"
    if isinstance(value, Shuttle) or (isinstance(value, dict) and "every" in value):
        return "timetabled"
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class ShuttleCrossing:
    """``{shuttle: {every, seats, ride}}`` (a timetable) or ``{shuttle: {seats, ride,
    leaves: when_full, max_wait}}`` (on demand) in a scenario file."""

    __pydantic_config__ = STRICT
    shuttle: Annotated[
        Annotated[Shuttle, Tag("timetabled")] | Annotated[OnDemandShuttle, Tag("on-demand")],
        Discriminator(
            _shuttle_kind,
            custom_error_type="shuttle",
            custom_error_message="a shuttle leaves by a timetable ({every, seats, ride}) or "
            "when full ({seats, ride, leaves: when_full, max_wait})",
        ),
    ]


def _transfer_kind(value: Any) -> str:
    if isinstance(value, ShuttleCrossing) or (isinstance(value, dict) and "shuttle" in value):
        return "by-shuttle"
    return "a-time"


# the union's tags: unlike the fields' names, so that error paths leave them out (a tag
# ``shuttle`` would be taken for the field and name it instead of the one that is wrong)
Transfer = Annotated[
    Annotated[ShuttleCrossing, Tag("by-shuttle")] | Annotated[Distribution, Tag("a-time")],
    Discriminator(_transfer_kind),
]
"""How travellers get from one stage to the next: a time distribution or a shuttle."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ClearanceStop:
    """One stop of a clearance mode: its lane groups, the room to wait, and (on the last
    stop) the transfer to the next stage of the route."""

    __pydantic_config__ = STRICT
    lanes: Annotated[tuple[LaneGroup, ...], Field(min_length=1)]
    space: PositiveInt | None = None
    transfer: Transfer | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SeparateChecks:
    """Two places, two inspections: exit check, crossing, entry check."""

    __pydantic_config__ = STRICT
    exit: ClearanceStop
    crossing: Transfer
    entry: ClearanceStop
    source: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ColocatedChecks:
    """One place, two inspections: both sides' checks in one building, two stops in series."""

    __pydantic_config__ = STRICT
    exit: ClearanceStop
    walk: Transfer | None = None
    entry: ClearanceStop
    source: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CooperativeInspection:
    """One stop clears both sides: cooperative gates, back-to-back counters."""

    __pydantic_config__ = STRICT
    joint: ClearanceStop
    source: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Clearance:
    """The parameters of the clearance modes; ``mode`` picks the one that runs."""

    __pydantic_config__ = STRICT
    mode: Literal["separate", "colocated", "cooperative"]
    separate: SeparateChecks | None = None
    colocated: ColocatedChecks | None = None
    cooperative: CooperativeInspection | None = None

    def __post_init__(self) -> None:
        for mode in MODES:
            if mode == self.mode and getattr(self, mode) is None:
                raise ValueError(f"mode is {mode!r} but there is no {mode!r} block")

    def with_mode(self, mode: str) -> Clearance:
        """The same parameters with another mode chosen."""
        return replace(self, mode=mode)  # type: ignore[arg-type]

    def modes(self) -> tuple[str, ...]:
        """The modes whose parameters are given."""
        return tuple(mode for mode in MODES if getattr(self, mode) is not None)

    def stops(self, mode: str | None = None) -> tuple[tuple[str, ClearanceStop, Any], ...]:
        """The stages ``mode`` expands to: (name, stop, transfer after it)."""
        mode = mode or self.mode
        block = getattr(self, mode)
        if block is None:
            return ()
        if isinstance(block, CooperativeInspection):
            return (("joint", block.joint, block.joint.transfer),)
        between = block.crossing if isinstance(block, SeparateChecks) else block.walk
        return (("exit", block.exit, between), ("entry", block.entry, block.entry.transfer))
