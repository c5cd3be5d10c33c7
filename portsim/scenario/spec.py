"""The scenario: who arrives, which stages they pass, and the lanes that serve them.

A scenario file is YAML, loaded safely (:mod:`.load`) and validated into the frozen objects
below; durations and rates are converted to seconds once, at load. The file format is a
public contract: these field names only grow.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from ..metric_names import (
    FLOW_METRICS,
    GROUP_METRICS,
    OVERALL_METRICS,
    SPACE_METRICS,
    STAGE_METRICS,
)
from ..units import DAY
from .arrivals import Arrivals
from .checks import check_scenario
from .clearance import CLEARANCE, Clearance, Transfer
from .fields import (
    STRICT,
    Name,
    NonNegativeDuration,
    NonNegativeInt,
    PositiveDuration,
    PositiveInt,
    Probability,
    Replications,
)
from .lanes import LaneGroup
from .reference import ReferenceFigure
from .targets import Target

__all__ = ["MAX_HORIZON", "Flow", "FlowKind", "RouteStep", "Scenario", "Stage"]


#: the longest horizon: a year (leap years included); the hourly figures of a longer run
#: outgrow a report, and a study of several years runs one year at a time
MAX_HORIZON = 366 * DAY


def _horizon_bound(horizon: float) -> float:
    if horizon > MAX_HORIZON:
        raise ValueError(
            f"{horizon / DAY:g} days is longer than a year ({MAX_HORIZON / DAY:g} days): "
            "run one year at a time"
        )
    return horizon


def _route_item(value: Any) -> Any:
    """A bare stage name in a route means the stage is always visited."""
    return {"stage": value} if isinstance(value, str) else value


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteStep:
    """One step of a route: a stage, visited with probability ``p`` (independently per entity)."""

    __pydantic_config__ = STRICT
    stage: Name
    p: Probability = 1.0


FlowKind = Literal["passenger", "car", "coach", "truck"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Flow:
    """Who arrives: a stream of travellers or vehicles that follow one route."""

    __pydantic_config__ = STRICT
    name: Name
    kind: FlowKind = "passenger"
    direction: str | None = None
    arrivals: Arrivals
    route: Annotated[
        tuple[Annotated[RouteStep, BeforeValidator(_route_item)], ...], Field(min_length=1)
    ]
    source: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Stage:
    """An inspection stop: one or more lane groups, and the transfer to the next stop."""

    __pydantic_config__ = STRICT
    name: Name
    lanes: Annotated[tuple[LaneGroup, ...], Field(min_length=1)]
    transfer: Transfer | None = None
    #: travellers who fit in the queueing area; nobody is turned away, the report says when
    #: and for how long more were waiting
    space: PositiveInt | None = None
    source: str | None = None

    def group(self, name: str) -> LaneGroup:
        """The lane group called ``name``."""
        for group in self.lanes:
            if group.name == name:
                return group
        raise KeyError(name)


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """A whole scenario: the validated content of one scenario file, in seconds."""

    __pydantic_config__ = STRICT
    name: Name
    description: str | None = None
    horizon: Annotated[PositiveDuration, AfterValidator(_horizon_bound)]
    warmup: NonNegativeDuration = 0.0
    replications: Replications = 5
    seed: NonNegativeInt = 0
    flows: Annotated[tuple[Flow, ...], Field(min_length=1)]
    stages: tuple[Stage, ...] = ()
    clearance: Clearance | None = None
    targets: tuple[Target, ...] = ()
    reference: tuple[ReferenceFigure, ...] = ()

    def __post_init__(self) -> None:
        check_scenario(self)

    def all_stages(self, mode: str | None = None) -> tuple[Stage, ...]:
        """The stages that run: the clearance mode's stages (``exit`` and ``entry``, or
        ``joint``), then the scenario's own. ``mode`` defaults to the chosen one."""
        expanded: list[Stage] = []
        if self.clearance is not None:
            for name, stop, transfer in self.clearance.stops(mode):
                expanded.append(
                    Stage(
                        name=name,
                        lanes=stop.lanes,
                        transfer=transfer,
                        space=stop.space,
                        source=stop.source,
                    )
                )
        return (*expanded, *self.stages)

    def route(self, flow: Flow, mode: str | None = None) -> tuple[RouteStep, ...]:
        """``flow``'s route with ``clearance`` replaced by the mode's stages (default: the
        chosen mode)."""
        steps: list[RouteStep] = []
        for step in flow.route:
            if step.stage == CLEARANCE and self.clearance is not None:
                steps += [RouteStep(stage=name) for name, _, _ in self.clearance.stops(mode)]
            else:
                steps.append(step)
        return tuple(steps)

    def with_mode(self, mode: str) -> Scenario:
        """The same scenario with another clearance mode."""
        if self.clearance is None:
            raise ValueError("the scenario has no clearance block")
        return replace(self, clearance=self.clearance.with_mode(mode))

    def metric_paths(self) -> set[str]:
        """Every metric path of this scenario's run JSON (for ``reference.compare_to``)."""
        paths = {f"overall.{m}" for m in OVERALL_METRICS}
        for flow in self.flows:
            paths |= {f"flows.{flow.name}.{m}" for m in FLOW_METRICS}
        for stage in self.all_stages():
            prefix = f"stages.{stage.name}"
            paths |= {f"{prefix}.{m}" for m in STAGE_METRICS}
            if stage.space is not None:
                paths |= {f"{prefix}.{m}" for m in SPACE_METRICS}
            for group in stage.lanes:
                paths |= {f"{prefix}.groups.{group.name}.{m}" for m in GROUP_METRICS}
        return paths

    def flow(self, name: str) -> Flow:
        """The flow called ``name``."""
        for flow in self.flows:
            if flow.name == name:
                return flow
        raise KeyError(name)

    def stage(self, name: str) -> Stage:
        """The stage called ``name``, a clearance mode's stages included."""
        for stage in self.all_stages():
            if stage.name == name:
                return stage
        raise KeyError(name)
