"""The scenario: who arrives, which stages they pass, and the lanes that serve them.

A scenario file is YAML, loaded safely and validated into the frozen objects below; durations
and rates are converted to seconds once, here. The file format is a public contract: these
field names only grow. :func:`dump_scenario` writes a scenario back as plain data (seconds and
per-second rates) that loads to an equal object.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Field, Tag, TypeAdapter, ValidationError

from ._metric_names import (
    FLOW_METRICS,
    GROUP_METRICS,
    OVERALL_METRICS,
    SPACE_METRICS,
    STAGE_METRICS,
)
from ._schema import (
    STRICT,
    Name,
    NonNegativeDuration,
    NonNegativeInt,
    PositiveDuration,
    PositiveInt,
    Probability,
    Rate,
)
from ._yaml import dump_yaml, load_yaml
from .clearance import CLEARANCE, Clearance, Transfer
from .errors import ScenarioError
from .lanes import LaneGroup
from .overrides import apply_overrides
from .reference import ReferenceFigure
from .schedule import ScheduleEntry
from .targets import Target

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
    horizon: PositiveDuration
    warmup: NonNegativeDuration = 0.0
    replications: PositiveInt = 5
    seed: NonNegativeInt = 0
    flows: Annotated[tuple[Flow, ...], Field(min_length=1)]
    stages: tuple[Stage, ...] = ()
    clearance: Clearance | None = None
    targets: tuple[Target, ...] = ()
    reference: tuple[ReferenceFigure, ...] = ()

    def __post_init__(self) -> None:
        _check_references(self)

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
    if not scenario.stages and scenario.clearance is None:
        raise ScenarioError("stages", "a scenario needs stages, a clearance block, or both")
    modes = scenario.clearance.modes() if scenario.clearance is not None else (None,)
    for mode in modes:  # every mode given, so that --modes and --set find no surprise
        _check_mode(scenario, mode)
    flow_names = [f.name for f in scenario.flows]
    stages = {s.name: s for s in scenario.all_stages()}
    for target in scenario.targets:
        path = f"targets.{target.name}"
        if target.flow is not None and target.flow not in flow_names:
            raise ScenarioError(f"{path}.flow", f"unknown flow {target.flow!r}")
        if target.stage is not None and target.stage not in stages:
            raise ScenarioError(
                f"{path}.stage", f"unknown stage {target.stage!r} (stages: {', '.join(stages)})"
            )
    _check_unique(scenario.targets, "targets", "target")
    if scenario.reference:
        metrics = scenario.metric_paths()
        for index, figure in enumerate(scenario.reference):
            for path in figure.paths:
                if path not in metrics:
                    raise ScenarioError(
                        f"reference.{index}.compare_to",
                        f"{path!r} names no metric of the run JSON (for example "
                        "overall.served_per_day, flows.NAME.served_per_day, "
                        "stages.NAME.wait_p95_s)",
                    )


def _check_mode(scenario: Scenario, mode: str | None) -> None:
    """The checks that depend on the stages a clearance mode expands to."""
    all_stages = scenario.all_stages(mode)
    clearance = scenario.clearance
    in_mode = f" (clearance mode {mode!r})" if mode else ""
    for stage in scenario.stages:
        if clearance is not None and stage.name in {s for s, _, _ in clearance.stops(mode)}:
            raise ScenarioError(
                f"stages.{stage.name}",
                f"the name {stage.name!r} is taken by the clearance mode {mode!r}; "
                "rename the stage",
            )
        if stage.name == CLEARANCE:
            raise ScenarioError(
                f"stages.{stage.name}", "'clearance' is reserved for the clearance block's stages"
            )
    flow_names = [f.name for f in scenario.flows]
    stages = {s.name: s for s in all_stages}
    for stage in all_stages:
        _check_unique(stage.lanes, f"{_stage_path(scenario, stage.name, mode)}.lanes", "lane group")
        for group in stage.lanes:
            path = f"{_stage_path(scenario, stage.name, mode)}.lanes.{group.name}"
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
            if step.stage == CLEARANCE:
                if clearance is None:
                    raise ScenarioError(
                        path, "the route names 'clearance' but there is no clearance block"
                    )
                if step.p < 1:
                    raise ScenarioError(f"{path}.p", "the clearance is always visited: p must be 1")
                for name, _, _ in clearance.stops(mode):
                    _check_served(scenario, flow, stages[name], path, in_mode)
                continue
            visited = stages.get(step.stage)
            if visited is None:
                raise ScenarioError(
                    path, f"unknown stage {step.stage!r} (stages: {', '.join(stages)})"
                )
            _check_served(scenario, flow, visited, path, in_mode)


def _stage_path(scenario: Scenario, name: str, mode: str | None = None) -> str:
    """Where a stage is written in the file: under ``stages`` or in the clearance block."""
    clearance = scenario.clearance
    if clearance is not None and any(n == name for n, _, _ in clearance.stops(mode)):
        return f"clearance.{mode or clearance.mode}.{name}"
    return f"stages.{name}"


def _check_served(
    scenario: Scenario, flow: Flow, visited: Stage, path: str, in_mode: str = ""
) -> None:
    eligible = [g for g in visited.lanes if g.serves_flow(flow.name)]
    if not eligible:
        raise ScenarioError(
            path,
            f"no lane group at stage {visited.name!r}{in_mode} serves flow {flow.name!r} "
            "(check the groups' 'serves' lists)",
        )
    if not any(g.timetable(scenario.horizon).most > 0 for g in eligible):
        raise ScenarioError(
            path,
            f"no lane group at stage {visited.name!r}{in_mode} that serves flow "
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


def load_scenario(path: str | Path, overrides: Sequence[str] = ()) -> Scenario:
    """Read and validate a scenario file, after applying ``overrides`` (``PATH=VALUE``, see
    :mod:`portsim.overrides`); every problem is a :class:`ScenarioError` that names the file,
    the field path and what is wrong."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError("", f"cannot read the file: {exc.strerror or exc}", file) from None
    except UnicodeDecodeError:
        raise ScenarioError("", "the file is not UTF-8 text", file) from None
    try:
        return scenario_from_dict(apply_overrides(load_yaml(text), overrides))
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
