"""Service pledges as a scenario states them: a share of travellers within a wait.

A target names a flow (its travellers' total wait over the route), a stage (the wait at that
control point) or neither (every counted entity, total wait). How the share is measured and
judged is in :mod:`portsim.results.pledges`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fields import STRICT, Name, PositiveDuration, Probability

__all__ = ["Target"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """``share`` of travellers wait at most ``wait_within`` (of ``flow``, or at ``stage``)."""

    __pydantic_config__ = STRICT
    name: Name
    flow: Name | None = None
    stage: Name | None = None
    wait_within: PositiveDuration
    share: Probability
    source: str | None = None

    def __post_init__(self) -> None:
        if self.flow is not None and self.stage is not None:
            raise ValueError("a target names a flow or a stage, not both")
