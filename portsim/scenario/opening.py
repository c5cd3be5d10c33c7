"""Opening rules: lanes a lane group opens beyond its plan when the queue reaches a line.

Ports draw a line at the 15-minute point of the queue: when the wait a newcomer can expect
passes it, more channels open (staff take a few minutes to come), up to the lanes built;
when the wait falls below a lower line they close again; past 25 minutes the emergency plan
starts. The rule reads the newcomer's expected wait (0 with a lane free, otherwise
(waiting + 1) / open lanes × mean service) or the number waiting, and draws no random
number: the same state gives the same decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from ..units import format_duration
from .fields import STRICT, NonNegativeDuration, NonNegativeInt, PositiveDuration, PositiveInt

__all__ = ["OpeningRule"]


@dataclass(frozen=True, slots=True, kw_only=True)
class OpeningRule:
    """Open ``step`` more lanes ``delay`` after the expected wait passes ``open_above`` (or
    more than ``queue_above`` wait), up to the group's ``built`` lanes, one request at a
    time; close ``step`` of the lanes so opened when it falls below ``close_below`` (or
    fewer than ``queue_below`` wait). ``emergency_above``: report each time the expected
    wait passes it, and for how long."""

    __pydantic_config__ = STRICT
    open_above: PositiveDuration | None = None
    close_below: PositiveDuration | None = None
    queue_above: NonNegativeInt | None = None
    queue_below: Annotated[NonNegativeInt, Field(ge=1)] | None = None
    step: PositiveInt = 1
    delay: NonNegativeDuration = 0.0
    emergency_above: PositiveDuration | None = None

    def __post_init__(self) -> None:
        if self.open_above is not None and self.queue_above is not None:
            raise ValueError("give open_above (a wait) or queue_above (travellers), not both")
        if self.open_above is None and self.queue_above is None and self.emergency_above is None:
            raise ValueError(
                "give open_above (a wait) or queue_above (travellers waiting), or at least "
                "emergency_above"
            )
        if self.close_below is not None:
            if self.open_above is None:
                raise ValueError("close_below goes with open_above (for queue_above: queue_below)")
            if self.close_below >= self.open_above:
                raise ValueError(
                    f"close_below ({format_duration(self.close_below)}) must be below "
                    f"open_above ({format_duration(self.open_above)}): lanes would open and "
                    "close at once"
                )
        if self.queue_below is not None:
            if self.queue_above is None:
                raise ValueError("queue_below goes with queue_above (for open_above: close_below)")
            if self.queue_below > self.queue_above:
                raise ValueError(
                    f"queue_below ({self.queue_below}) must be at most queue_above "
                    f"({self.queue_above}): lanes would open and close at once"
                )

    @property
    def opens(self) -> bool:
        """Whether the rule opens lanes (not only reports emergencies)."""
        return self.open_above is not None or self.queue_above is not None
