"""The scenario: who arrives, which stages they pass, and the lanes that serve them.

A scenario file is YAML, loaded safely and validated into the frozen objects below; durations
and rates are converted to seconds once, here. The file format is a public contract: these
field names only grow. :func:`dump_scenario` writes a scenario back as plain data (seconds and
per-second rates) that loads to an equal object.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Field, Tag, TypeAdapter, ValidationError

from ._schema import (
    STRICT,
    Count,
    Name,
    NonNegativeDuration,
    NonNegativeInt,
    PositiveDuration,
    PositiveInt,
    Probability,
    Rate,
)
from ._yaml import dump_yaml, load_yaml
from .distributions import Distribution, TimeDistribution
from .errors import ScenarioError
from .schedule import Schedule, ScheduleEntry, Timetable

__all__ = [
    "DailyProfileArrivals",
    "Flow",
    "LaneGroup",
    "PoissonArrivals",
    "RouteStep",
    "Scenario",
    "ScheduleEntry",
    "Stage",
    "dump_scenario",
    "load_scenario",
    "scenario_from_dict",
    "scenario_to_yaml",
]

HOURS_PER_DAY = 24
SECONDS_PER_HOUR = 3600.0


@dataclass(frozen=True, slots=True, kw_only=True)
class PoissonArrivals:
    """Arrivals at a constant rate (per second), with exponential gaps."""

    __pydantic_config__ = STRICT
    rate: Rate

    def mean_rate(self, start: float, end: float) -> float:
        """Mean arrivals per second over ``[start, end)``."""
        return self.rate

    def hourly_rates(self) -> tuple[float, ...]:
        """Arrivals per second in each hour 0..23 of a day."""
        return (self.rate,) * HOURS_PER_DAY


Weight = Annotated[float, Field(ge=0, allow_inf_nan=False)]


@dataclass(frozen=True, slots=True, kw_only=True)
class DailyProfileArrivals:
    """A non-homogeneous Poisson process: ``daily_total`` expected arrivals a day, spread over
    the hours 0..23 in proportion to ``profile``; the rate is constant within an hour and the
    profile repeats every day."""

    __pydantic_config__ = STRICT
    daily_total: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    profile: Annotated[tuple[Weight, ...], Field(min_length=24, max_length=24)]

    def __post_init__(self) -> None:
        if not any(w > 0 for w in self.profile):
            raise ValueError("every weight of the profile is zero: nobody would arrive")

    def hourly_rates(self) -> tuple[float, ...]:
        """Arrivals per second in each hour 0..23 of a day."""
        total = math.fsum(self.profile)
        return tuple(self.daily_total * w / total / SECONDS_PER_HOUR for w in self.profile)

    def mean_rate(self, start: float, end: float) -> float:
        """Mean arrivals per second over ``[start, end)``: the integral of the rate, divided."""
        rates = self.hourly_rates()
        expected = 0.0
        t = start
        while t < end:
            hour = int(t // SECONDS_PER_HOUR)
            stop = min(end, (hour + 1) * SECONDS_PER_HOUR)
            expected += rates[hour % HOURS_PER_DAY] * (stop - t)
            t = stop
        return expected / (end - start)


def _arrivals_kind(value: Any) -> str | None:
    if isinstance(value, PoissonArrivals) or (isinstance(value, Mapping) and "rate" in value):
        return "constant-rate"
    if isinstance(value, DailyProfileArrivals | Mapping):
        return "daily-profile"
    return None


Arrivals = Annotated[
    Annotated[PoissonArrivals, Tag("constant-rate")]
    | Annotated[DailyProfileArrivals, Tag("daily-profile")],
    Discriminator(
        _arrivals_kind,
        custom_error_type="arrivals",
        custom_error_message="arrivals must be a mapping with 'rate' or with 'daily_total' "
        "and 'profile'",
    ),
]


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


@dataclass(frozen=True, slots=True, kw_only=True)
class LaneGroup:
    """Lanes of one kind at a stage.

    ``count`` lanes are open all the time, or ``schedule`` says how many are open at each
    time of day. With ``queue: shared`` (the default) the group keeps one first-come-first-
    served queue; with ``queue: per_lane`` each lane has its own queue and an arrival joins
    the shortest (vehicle booths). ``service_by_flow`` overrides ``service`` for the flows
    it names.
    """

    __pydantic_config__ = STRICT
    name: Name
    count: Count | None = None
    schedule: Schedule | None = None
    queue: Literal["shared", "per_lane"] = "shared"
    service: Distribution
    service_by_flow: dict[Name, Distribution] | None = None
    serves: tuple[Name, ...] | None = None

    def __post_init__(self) -> None:
        if (self.count is None) == (self.schedule is None):
            raise ValueError("give either 'count' (lanes always open) or 'schedule', not both")

    def serves_flow(self, flow: str) -> bool:
        """Whether travellers of ``flow`` may use these lanes."""
        return self.serves is None or flow in self.serves

    def service_for(self, flow: str) -> TimeDistribution:
        """The service time distribution of ``flow``'s travellers at these lanes."""
        if self.service_by_flow and flow in self.service_by_flow:
            return self.service_by_flow[flow]
        return self.service

    def timetable(self, horizon: float) -> Timetable:
        """Open lanes over ``[0, horizon)``."""
        if self.schedule is None:
            return Timetable.constant(self.count or 0, horizon)
        return Timetable.daily(self.schedule, horizon)


@dataclass(frozen=True, slots=True, kw_only=True)
class Stage:
    """An inspection stop: one or more lane groups, and the transfer to the next stop."""

    __pydantic_config__ = STRICT
    name: Name
    lanes: Annotated[tuple[LaneGroup, ...], Field(min_length=1)]
    transfer: Distribution | None = None
    #: travellers who fit in the queueing area; nobody is turned away, the report says when
    #: and for how long more were waiting
    space: PositiveInt | None = None

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
    horizon: PositiveDuration
    warmup: NonNegativeDuration = 0.0
    replications: PositiveInt = 5
    seed: NonNegativeInt = 0
    flows: Annotated[tuple[Flow, ...], Field(min_length=1)]
    stages: Annotated[tuple[Stage, ...], Field(min_length=1)]

    def __post_init__(self) -> None:
        _check_references(self)

    def flow(self, name: str) -> Flow:
        """The flow called ``name``."""
        for flow in self.flows:
            if flow.name == name:
                return flow
        raise KeyError(name)

    def stage(self, name: str) -> Stage:
        """The stage called ``name``."""
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise KeyError(name)


def _check_unique(items: Sequence[Any], path: str, what: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item.name in seen:
            raise ScenarioError(f"{path}.{item.name}", f"duplicate {what} name {item.name!r}")
        seen.add(item.name)


def _check_references(scenario: Scenario) -> None:
    """Checks that span several fields; raises :class:`ScenarioError` with the field path."""
    if scenario.warmup >= scenario.horizon:
        raise ScenarioError(
            "warmup",
            f"the warm-up ({scenario.warmup:g} s) must be shorter than the horizon "
            f"({scenario.horizon:g} s)",
        )
    _check_unique(scenario.flows, "flows", "flow")
    _check_unique(scenario.stages, "stages", "stage")
    flow_names = [f.name for f in scenario.flows]
    stages = {s.name: s for s in scenario.stages}
    for stage in scenario.stages:
        _check_unique(stage.lanes, f"stages.{stage.name}.lanes", "lane group")
        for group in stage.lanes:
            path = f"stages.{stage.name}.lanes.{group.name}"
            for served in group.serves or ():
                if served not in flow_names:
                    raise ScenarioError(
                        f"{path}.serves",
                        f"unknown flow {served!r} (flows: {', '.join(flow_names)})",
                    )
            for named in group.service_by_flow or {}:
                if named not in flow_names:
                    raise ScenarioError(
                        f"{path}.service_by_flow.{named}",
                        f"unknown flow {named!r} (flows: {', '.join(flow_names)})",
                    )
                if not group.serves_flow(named):
                    raise ScenarioError(
                        f"{path}.service_by_flow.{named}",
                        f"the group does not serve flow {named!r} (see its 'serves')",
                    )
    for flow in scenario.flows:
        for index, step in enumerate(flow.route):
            path = f"flows.{flow.name}.route.{index}"
            visited = stages.get(step.stage)
            if visited is None:
                raise ScenarioError(
                    path, f"unknown stage {step.stage!r} (stages: {', '.join(stages)})"
                )
            eligible = [g for g in visited.lanes if g.serves_flow(flow.name)]
            if not eligible:
                raise ScenarioError(
                    path,
                    f"no lane group at stage {visited.name!r} serves flow {flow.name!r} "
                    "(check the groups' 'serves' lists)",
                )
            if not any(g.timetable(scenario.horizon).most > 0 for g in eligible):
                raise ScenarioError(
                    path,
                    f"no lane group at stage {visited.name!r} that serves flow "
                    f"{flow.name!r} ever has a lane open: nobody of that flow could be served",
                )


@cache
def _adapter() -> TypeAdapter[Scenario]:
    return TypeAdapter(Scenario)


# --------------------------------------------------------------------------- loading


def scenario_from_dict(data: Any) -> Scenario:
    """Validate plain data (as parsed from YAML) into a :class:`Scenario`.

    Raises :class:`ScenarioError` naming the first problem's field path.
    """
    if not isinstance(data, Mapping):
        raise ScenarioError(
            "", "a scenario must be a mapping with at least name, horizon, flows and stages"
        )
    try:
        return _adapter().validate_python(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        path = _render_path(error["loc"], data, keep_missing=error["type"] == "missing")
        raise ScenarioError(path, _render_problem(error)) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; every problem is a :class:`ScenarioError` that names
    the file, the field path and what is wrong."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError("", f"cannot read the file: {exc.strerror or exc}", file) from None
    except UnicodeDecodeError:
        raise ScenarioError("", "the file is not UTF-8 text", file) from None
    try:
        return scenario_from_dict(load_yaml(text))
    except ScenarioError as exc:
        raise exc.with_file(file) from None


def _render_path(loc: Sequence[int | str], data: Any, *, keep_missing: bool) -> str:
    """Turn a validation location into a path that names list items by their ``name``.

    Location parts that are not in the data (the tags pydantic adds for unions) are dropped,
    except the last part of a missing field's location, which names that field.
    """
    parts: list[str] = []
    node = data
    for position, part in enumerate(loc):
        last = position == len(loc) - 1
        if isinstance(node, Mapping):
            if part in node:
                parts.append(str(part))
                node = node[part]
            elif last and keep_missing:
                parts.append(str(part))
            continue
        if isinstance(node, list | tuple) and isinstance(part, int) and 0 <= part < len(node):
            item = node[part]
            name = item.get("name") if isinstance(item, Mapping) else None
            parts.append(name if isinstance(name, str) and name else str(part))
            node = item
            continue
        parts.append(str(part))
        node = None
    return ".".join(parts) if parts else "(top level)"


def _render_problem(error: Any) -> str:
    kind = error["type"]
    message: str = error["msg"]
    if kind == "missing":
        return "required field is missing"
    if kind in {"unexpected_keyword_argument", "extra_forbidden"}:
        return "unknown field"
    if kind == "union_tag_invalid":
        ctx = error.get("ctx", {})
        return (
            f"unknown {ctx.get('discriminator', 'kind').strip(chr(39))} {ctx.get('tag')!r} "
            f"(expected one of: {ctx.get('expected_tags')})"
        )
    if kind == "union_tag_not_found":
        ctx = error.get("ctx", {})
        return f"missing {ctx.get('discriminator', 'kind')} (which distribution?)"
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    if kind in {"too_short", "too_long"} and error["loc"][-1:] == ("profile",):
        return (
            f"a profile needs {HOURS_PER_DAY} hourly weights (hours 0..23), "
            f"got {error.get('ctx', {}).get('actual_length')}"
        )
    if kind == "too_short" and error.get("ctx", {}).get("min_length") == 1:
        return "needs at least one item"
    return message.replace("Input should be", "must be").replace("Tuple", "list")


# --------------------------------------------------------------------------- dumping


def dump_scenario(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data: seconds for durations, per second for rates.

    ``scenario_from_dict(dump_scenario(s)) == s`` for every valid scenario.
    """
    result = _plain(scenario)
    assert isinstance(result, dict)
    return result


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        aliases: dict[str, str] = getattr(type(value), "aliases", {})
        for f in fields(value):
            item = getattr(value, f.name)
            if item is None:
                continue
            out[aliases.get(f.name, f.name)] = _plain(item)
        if "dist" in out:  # a distribution: say which first
            out = {"dist": out.pop("dist"), **out}
        return out
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def scenario_to_yaml(scenario: Scenario) -> str:
    """The scenario as YAML text that loads to an equal scenario."""
    return dump_yaml(dump_scenario(scenario))
