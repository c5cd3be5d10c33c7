"""Subflows and their programs: who follows which route, compiled.

A flow without classes is one subflow, named after it; a flow with classes is one subflow per
class (``flow.class``), all on the flow's route; a vehicle flow whose passengers alight adds
the subflow ``flow.passengers`` on the named sub-route. Random streams of routes and moves
are named after the flow (shared by its classes) or after ``flow.passengers``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..scenario.clearance import ShuttleCrossing
from ..scenario.distributions import Constant
from ..scenario.routes import Alight, Choice, Meet, RouteStep
from ..scenario.spec import PASSENGERS, Flow, Scenario, Stage
from .model import CompiledGroup, CompiledShuttle, Subflow
from .routes import ExitWay, Place, Program, RouteStop, compile_route

__all__ = ["subflow_names", "subflows_of"]


def subflow_names(scenario: Scenario) -> list[tuple[Flow, str | None]]:
    """Every subflow in order: each flow's classes (or the flow), then its passengers."""
    out: list[tuple[Flow, str | None]] = []
    for flow in scenario.flows:
        out += [(flow, c.name) for c in flow.classes] or [(flow, None)]
        if any(isinstance(step, Alight) for step in flow.route):
            out.append((flow, PASSENGERS))
    return out


class _Compiler:
    """Turns routes into stops and programs, with the stages' indices and ways."""

    def __init__(
        self, scenario: Scenario, stages: tuple[Stage, ...], shuttles: list[CompiledShuttle]
    ) -> None:
        self.scenario = scenario
        self.stages = stages
        self.index = {s.name: i for i, s in enumerate(stages)}
        self.shuttle_of = {s.stage: i for i, s in enumerate(shuttles)}
        self.passengers: dict[str, int] = {}  # flow name → its passengers' subflow

    def place(self, stage: str, label: str) -> Place:
        s = self.index[stage]
        transfer = self.stages[s].transfer
        if isinstance(transfer, ShuttleCrossing):
            return Place(s, self.shuttle_of[s], None, (label, stage))
        if transfer is None or (isinstance(transfer, Constant) and transfer.value == 0):
            return Place(s, None, None, (label, stage))
        constant = transfer.value if isinstance(transfer, Constant) else None
        return Place(s, transfer, constant, (label, stage))

    def stops(self, route: Sequence[Any], label: str) -> tuple[RouteStop, ...]:
        stops: list[RouteStop] = []
        occurrences: dict[str, int] = {}
        choices: dict[tuple[str, ...], int] = {}

        def names(stage: str) -> tuple[str, ...]:
            occurrence = occurrences.get(stage, 0)
            occurrences[stage] = occurrence + 1
            return (label, stage, str(occurrence)) if occurrence else (label, stage)

        def choice_names(options: tuple[str, ...]) -> tuple[str, ...]:
            """The same choice again on the route draws from a stream of its own."""
            occurrence = choices.get(options, 0)
            choices[options] = occurrence + 1
            return (label, f"choose {occurrence}" if occurrence else "choose", *options)

        for step in route:
            if isinstance(step, RouteStep):
                stops.append(
                    RouteStop((self.place(step.stage, label),), (step.p,), names(step.stage))
                )
            elif isinstance(step, Choice):
                options = tuple(o.stage for o in step.choose)
                stops.append(
                    RouteStop(
                        tuple(self.place(stage, label) for stage in options),
                        tuple(o.p for o in step.choose),
                        choice_names(options),
                        choice=True,
                    )
                )
            elif isinstance(step, Alight):
                stops.append(RouteStop(alight=self.passengers[label]))
            else:
                assert isinstance(step, Meet)
                stops.append(RouteStop(meet=True))
        return tuple(stops)

    def visits(self, route: Sequence[Any]) -> tuple[float, ...]:
        """Expected visits to each stage per entity."""
        visits = [0.0] * len(self.stages)
        for step in route:
            for option in step.choose if isinstance(step, Choice) else (step,):
                if isinstance(option, RouteStep):
                    visits[self.index[option.stage]] += option.p
        return tuple(visits)


def _exit_way(flow: Flow, label: str) -> ExitWay | None:
    """The move out after the flow's last stop (none when not given, or no time at all)."""
    way = flow.exit_transfer
    if way is None or (isinstance(way, Constant) and way.value == 0):
        return None
    return way, way.value if isinstance(way, Constant) else None, (label,)


def subflows_of(
    scenario: Scenario,
    stages: tuple[Stage, ...],
    groups: list[CompiledGroup],
    shuttles: list[CompiledShuttle],
) -> tuple[Subflow, ...]:
    """The compiled subflows, in the order of :func:`subflow_names`."""
    compiler = _Compiler(scenario, stages, shuttles)
    named = subflow_names(scenario)
    compiler.passengers = {f.name: i for i, (f, cls) in enumerate(named) if cls == PASSENGERS}
    flow_index = {f.name: i for i, f in enumerate(scenario.flows)}
    programs: dict[str, Program] = {}
    out: list[Subflow] = []
    for index, (flow, cls) in enumerate(named):
        if cls == PASSENGERS:
            alight = next(s for s in flow.route if isinstance(s, Alight))
            route = scenario.route(alight.alight)
            label = f"{flow.name}.{PASSENGERS}"
        else:
            route, label = scenario.route(flow), flow.name
        if label not in programs:  # the classes of a flow share its program
            way = None if cls == PASSENGERS else _exit_way(flow, label)
            programs[label] = compile_route(compiler.stops(route, label), way)
        share = (
            0.0
            if cls == PASSENGERS
            else next((c.share for c in flow.classes if c.name == cls), 1.0)
        )
        out.append(
            Subflow(
                index=index,
                flow=flow_index[flow.name],
                name=f"{flow.name}.{cls}" if cls else flow.name,
                cls=cls,
                share=share,
                program=programs[label],
                visits=compiler.visits(route),
                eligible=tuple(
                    tuple(
                        g.index
                        for g in groups
                        if g.stage == s and g.service[index] is not None and g.lanes > 0
                    )
                    for s in range(len(stages))
                ),
                priority=flow.priority_of(cls),
            )
        )
    return tuple(out)
