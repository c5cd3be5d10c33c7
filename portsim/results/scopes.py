"""Who a statistic is about: a :class:`Scope` (all travellers, a flow, a class, a stage, a
lane group, a pledge, …), the scopes a compiled model reports, and from them and the
:mod:`catalog <.catalog>` every metric path of its run JSON.

A scope's ``path`` is where its block sits in the run JSON (``flows.visitors``,
``stages.hall.groups.egates``); a metric path is the block's path and the metric's name
(``stages.hall.groups.egates.utilization``), or for a day's value the block's ``daily``
entry (``overall.daily.3.arrived``, days from 1). Reference figures and planning conditions
name metrics by these paths.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from ..model.compile import compile_scenario
from ..model.model import Model
from ..scenario.spec import Scenario
from ..units import DAY
from .catalog import CATALOG, DAY_PREFIX, LEVELS, Metric
from .metric import Needs
from .rows import ALL_HOURS, MetricKey

__all__ = [
    "OVERALL",
    "PERSONS",
    "VEHICLES",
    "Scope",
    "daily_paths",
    "metric_paths",
    "model_scopes",
    "scenario_paths",
]

_PLURAL = {"stage": "stages", "flow": "flows", "direction": "directions"}


@dataclass(frozen=True, slots=True)
class Scope:
    """A block of the results: its level (one of :data:`~.catalog.LEVELS`), its name (a
    flow's, a stage's, ``flow.class`` for a class, a pledge's) and, for a lane group, the
    group's name (``name`` is then its stage)."""

    level: str
    name: str = ""
    group: str = ""

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"{self.level!r} is not a level (levels: {', '.join(LEVELS)})")

    @classmethod
    def flow(cls, name: str) -> Scope:
        return cls("flow", name)

    @classmethod
    def stage(cls, name: str) -> Scope:
        return cls("stage", name)

    @classmethod
    def lanes(cls, stage: str, group: str) -> Scope:
        """A lane group (``lanes`` in the scenario file) at a stage."""
        return cls("group", stage, group)

    @classmethod
    def direction(cls, name: str) -> Scope:
        return cls("direction", name)

    @classmethod
    def pledge(cls, name: str) -> Scope:
        return cls("target", name)

    @classmethod
    def pool(cls, name: str) -> Scope:
        """A staff pool (``staff`` in the scenario file)."""
        return cls("pool", name)

    @property
    def path(self) -> tuple[str, ...]:
        """Where the block is in the run JSON (a pledge: its entry of ``targets``)."""
        level, name = self.level, self.name
        if level == "target":
            return ("targets", name)
        if level == "pool":
            return ("staff", name)
        if level == "group":
            return ("stages", name, "groups", self.group)
        if level == "class":  # flows.FLOW.classes.CLASS
            flow, _, cls = name.partition(".")
            return ("flows", flow, "classes", cls)
        if level == "passengers":  # flows.FLOW.passengers
            return ("flows", name, "passengers")
        if level in {"overall", "persons", "vehicles"}:
            return (level,)
        return (_PLURAL[level], name)

    @property
    def words(self) -> str:
        """What a report calls it: ``all travellers``, ``flow visitors``, ``class visitors.
        elderly``, ``stage hall``, ``hall egates``, ``pledge twenty minutes``."""
        match self.level:
            case "overall":
                return "all travellers"
            case "persons" | "vehicles":
                return self.level
            case "passengers":
                return f"passengers of {self.name}"
            case "group":
                return f"{self.name} {self.group}"
            case "target":
                return f"pledge {self.name}"
            case "pool":
                return f"{self.name} pool"
        return f"{self.level} {self.name}"

    def key(self, m: Metric, *, hour: int | None = None, day: int | None = None) -> MetricKey:
        """The metric row of ``m`` here: over the run, in an hour (from 0) or a day (from 0)."""
        if day is not None:
            return (self.level, self.name, self.group, day, DAY_PREFIX + m.name)
        return (self.level, self.name, self.group, ALL_HOURS if hour is None else hour, m.name)

    def metric_path(self, m: Metric, *, day: int | None = None) -> str:
        """The dotted path of ``m`` here (``day`` from 0 gives the ``daily`` entry's)."""
        inner = () if day is None else ("daily", str(day + 1))
        return ".".join((*self.path, *inner, m.name))


OVERALL = Scope("overall")
PERSONS = Scope("persons")
VEHICLES = Scope("vehicles")


def model_scopes(model: Model) -> Iterator[tuple[Scope, frozenset[Needs]]]:
    """Every block a run of ``model`` reports, in the order of the run JSON, with the
    features of the scenario its metrics may need."""
    hours: frozenset[Needs] = frozenset({"hours"}) if model.holds else frozenset()
    yield OVERALL, hours
    for flow in model.flows:
        alight: frozenset[Needs] = frozenset({"alight"} if flow.passengers is not None else ())
        yield Scope.flow(flow.name), hours | alight
        subflows = [model.subflows[s] for s in flow.subflows]
        for sub in subflows if subflows[0].cls else ():
            yield Scope("class", sub.name), hours
        if flow.passengers is not None:
            yield Scope("passengers", flow.name), hours
    for direction in model.directions:
        yield Scope.direction(direction), hours
    yield PERSONS, frozenset()
    if any(flow.vehicle for flow in model.flows):
        yield VEHICLES, frozenset()
    buses = {s.stage for s in model.shuttles if s.on_demand}
    for stage in model.stages:
        space: frozenset[Needs] = frozenset(() if math.isinf(stage.space) else {"space"})
        bus: frozenset[Needs] = frozenset({"shuttle"} if stage.index in buses else ())
        yield Scope.stage(stage.name), space | bus
        for g in stage.groups:
            group = model.groups[g]
            rule = group.rule
            emergency = rule is not None and rule.has_emergency_line
            line: frozenset[Needs] = frozenset({"emergency"} if emergency else ())
            yield Scope.lanes(stage.name, group.name), line
    for pool in model.pools:
        yield Scope.pool(pool.name), frozenset()
    for target in model.targets:
        yield Scope.pledge(target.name), frozenset()


def _metrics(scope: Scope, features: frozenset[Needs], **when: bool) -> Iterator[Metric]:
    for m in CATALOG.values():
        if m.exists(scope.level, **when) and (not m.needs or m.needs in features):
            yield m


def metric_paths(model: Model) -> set[str]:
    """Every whole-run metric path of ``model``'s run JSON."""
    return {
        scope.metric_path(m)
        for scope, features in model_scopes(model)
        for m in _metrics(scope, features)
    }


def scenario_paths(scenario: Scenario, model: Model | None = None) -> set[str]:
    """Every metric path, of the whole run and of its days, that a run of ``scenario``
    reports in some clearance mode (``model``: the scenario compiled in its own mode)."""
    own = model if model is not None else compile_scenario(scenario)
    models = [own]
    if scenario.clearance is not None:
        mode = scenario.clearance.mode
        models += [
            compile_scenario(scenario.with_mode(m)) for m in scenario.clearance.modes() if m != mode
        ]
    days = math.ceil(scenario.calendar.length / DAY) if scenario.calendar is not None else None
    return {path for m in models for path in metric_paths(m) | daily_paths(m, days)}


def daily_paths(model: Model, days: int | None = None) -> set[str]:
    """Every day's metric path of ``model``'s run JSON (a run with days; none otherwise):
    ``overall.daily.3.arrived``, ``stages.NAME.groups.GROUP.daily.3.lane_hours``,
    ``targets.NAME.daily.3.share``, days from 1, for the ``days`` given (a calendar's: a run
    cut short gives no value for the days it does not reach) or the days of the run."""
    if not model.multi_day:
        return set()
    count = len(model.days or ()) if days is None else days
    return {
        scope.metric_path(m, day=d)
        for scope, features in model_scopes(model)
        for m in _metrics(scope, features, day=True)
        for d in range(count)
    }
