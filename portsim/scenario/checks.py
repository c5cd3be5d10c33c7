"""Checks that span several fields of a scenario: names that must exist or be unique, every
flow served at every stage it visits, every clearance mode given. Each raises a
:class:`~portsim.errors.ScenarioError` naming the field path."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import ScenarioError
from .clearance import CLEARANCE
from .day_checks import check_days
from .routes import Alight, Choice, Meet, RouteStep
from .staff import check_staff

if TYPE_CHECKING:
    from .spec import Flow, Scenario, Stage

#: the class of a vehicle flow's passengers who alight (as in :mod:`.spec`)
PASSENGERS = "passengers"

__all__ = ["check_scenario"]


def _check_unique(items: Sequence[Any], path: str, what: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item.name in seen:
            raise ScenarioError(f"{path}.{item.name}", f"duplicate {what} name {item.name!r}")
        seen.add(item.name)


def check_scenario(scenario: Scenario) -> None:
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
    flow_names = _served_names(scenario)
    stages = {s.name: s for s in scenario.all_stages()}
    for target in scenario.targets:
        path = f"targets.{target.name}"
        if target.flow is not None and target.flow not in flow_names:
            raise ScenarioError(
                f"{path}.flow",
                f"unknown flow or class {target.flow!r} (known: {', '.join(flow_names)})",
            )
        if target.stage is not None and target.stage not in stages:
            raise ScenarioError(
                f"{path}.stage", f"unknown stage {target.stage!r} (stages: {', '.join(stages)})"
            )
    _check_unique(scenario.targets, "targets", "target")
    check_days(scenario, _stage_path)
    check_staff(scenario, _stage_path)


def _check_mode(scenario: Scenario, mode: str | None) -> None:
    """The checks that depend on the stages a clearance mode expands to."""
    _check_stage_names(scenario, mode)
    _check_lane_groups(scenario, mode)
    _check_routes(scenario, mode)


def _check_stage_names(scenario: Scenario, mode: str | None) -> None:
    """No stage takes a name the clearance mode uses, or the reserved ``clearance``."""
    clearance = scenario.clearance
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


def _served_names(scenario: Scenario) -> list[str]:
    """What ``serves`` and ``service_by_flow`` may name: flows and ``flow.class``."""
    return [name for flow in scenario.flows for name in (flow.name, *flow.class_names())]


def _check_lane_groups(scenario: Scenario, mode: str | None) -> None:
    """Lane group names are unique per stage and name only known flows and classes."""
    known = _served_names(scenario)
    listed = ", ".join(known)
    for stage in scenario.all_stages(mode):
        _check_unique(stage.lanes, f"{_stage_path(scenario, stage.name, mode)}.lanes", "lane group")
        for group in stage.lanes:
            path = f"{_stage_path(scenario, stage.name, mode)}.lanes.{group.name}"
            if group.serves == ():
                raise ScenarioError(
                    f"{path}.serves",
                    "[] names nobody, so these lanes would serve nobody: name the flows they "
                    "serve, or leave 'serves' out for all (count: 0 closes them)",
                )
            for served in group.serves or ():
                if served not in known:
                    raise ScenarioError(
                        f"{path}.serves", f"unknown flow or class {served!r} (known: {listed})"
                    )
            for field in ("service_by_flow", "priority"):
                for named in getattr(group, field) or {}:
                    if named not in known:
                        raise ScenarioError(
                            f"{path}.{field}.{named}",
                            f"unknown flow or class {named!r} (known: {listed})",
                        )
                    flow, _, cls = named.partition(".")
                    if not group.serves_flow(flow, cls or None):
                        raise ScenarioError(
                            f"{path}.{field}.{named}",
                            f"the group does not serve {named!r} (see its 'serves')",
                        )


Traveller = tuple["Flow", str | None]


def _travellers(flow: Flow) -> list[Traveller]:
    """Who follows a flow's route: each of its classes, or the flow itself."""
    return [(flow, c.name) for c in flow.classes] or [(flow, None)]


def _check_routes(scenario: Scenario, mode: str | None) -> None:
    """Every route step names a stage that exists and has lanes for whoever follows it;
    vehicles alight onto named sub-routes and meet their passengers after."""
    used: set[str] = set()
    for flow in scenario.flows:
        _check_steps(scenario, mode, flow.route, f"flows.{flow.name}.route", _travellers(flow))
        _check_alight_and_meet(scenario, flow, used)
    for name, steps in scenario.routes.items():
        if name not in used:
            raise ScenarioError(f"routes.{name}", "no flow alights onto this route")
        passengers = [(f, PASSENGERS) for f in scenario.flows if _alights_onto(f, name)]
        _check_steps(scenario, mode, steps, f"routes.{name}", passengers)


def _alights_onto(flow: Flow, route: str) -> bool:
    return any(isinstance(step, Alight) and step.alight == route for step in flow.route)


def _check_alight_and_meet(scenario: Scenario, flow: Flow, used: set[str]) -> None:
    alighted = False
    for index, step in enumerate(flow.route):
        path = f"flows.{flow.name}.route.{index}"
        if isinstance(step, Alight):
            if not flow.is_vehicle or flow.occupants is None:
                raise ScenarioError(
                    path, "only vehicles with occupants have passengers to alight (add occupants)"
                )
            if alighted:
                raise ScenarioError(path, "the passengers have alighted already")
            if step.alight not in scenario.routes:
                known = ", ".join(scenario.routes) or "none"
                raise ScenarioError(
                    f"{path}.alight", f"unknown route {step.alight!r} (routes: {known})"
                )
            used.add(step.alight)
            alighted = True
        elif isinstance(step, Meet) and not alighted:
            raise ScenarioError(path, "the vehicle meets its passengers after they alight")


def _check_steps(
    scenario: Scenario,
    mode: str | None,
    route: Sequence[Any],
    where: str,
    who: Sequence[Traveller],
) -> None:
    clearance = scenario.clearance
    in_mode = f" (clearance mode {mode!r})" if mode else ""
    stages = {s.name: s for s in scenario.all_stages(mode)}
    for index, step in enumerate(route):
        path = f"{where}.{index}"
        options = step.choose if isinstance(step, Choice) else (step,)
        for n, option in enumerate(options):
            if not isinstance(option, RouteStep):
                continue
            at = f"{path}.choose.{n}" if isinstance(step, Choice) else path
            if option.stage == CLEARANCE:
                if clearance is None or isinstance(step, Choice):
                    raise ScenarioError(
                        at,
                        "the route names 'clearance' but there is no clearance block"
                        if clearance is None
                        else "the clearance cannot be one option of a choice",
                    )
                if option.p < 1:
                    raise ScenarioError(f"{at}.p", "the clearance is always visited: p must be 1")
                for name, _, _ in clearance.stops(mode):
                    _check_served(scenario, who, stages[name], at, in_mode)
                continue
            visited = stages.get(option.stage)
            if visited is None:
                raise ScenarioError(
                    at, f"unknown stage {option.stage!r} (stages: {', '.join(stages)})"
                )
            _check_served(scenario, who, visited, at, in_mode)


def _stage_path(scenario: Scenario, name: str, mode: str | None = None) -> str:
    """Where a stage is written in the file: under ``stages`` or in the clearance block."""
    clearance = scenario.clearance
    if clearance is not None and any(n == name for n, _, _ in clearance.stops(mode)):
        return f"clearance.{mode or clearance.mode}.{name}"
    return f"stages.{name}"


def _check_served(
    scenario: Scenario, who: Sequence[Traveller], visited: Stage, path: str, in_mode: str = ""
) -> None:
    for flow, cls in who:
        label = f"{flow.name}.{cls}" if cls else flow.name
        eligible = [g for g in visited.lanes if g.serves_flow(flow.name, cls)]
        if not eligible:
            raise ScenarioError(
                path,
                f"no lane group at stage {visited.name!r}{in_mode} serves {label!r} "
                "(check the groups' 'serves' lists)",
            )
        if not any(g.lanes_ever_open(scenario.horizon) > 0 for g in eligible):
            raise ScenarioError(
                path,
                f"no lane group at stage {visited.name!r}{in_mode} that serves {label!r} "
                "ever has a lane open: nobody of them could be served",
            )
