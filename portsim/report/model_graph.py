"""The model's shape as a graph, in words: who arrives (flows, with their demand), the stages
they pass in route order, each stage's lane groups (lanes open and built, the staff pool
they draw on with its officers and switch time, whom they serve: :mod:`.lane_words`),
the transfer or shuttle after a stage, the branches of a route (a stage visited by some, a
choice of one of several) with the share of the flow's arrivals that takes each, and a
vehicle's passengers who alight and meet it again.

No drawing here: :mod:`.layered` places the boxes and :mod:`.diagram` draws them. The
animation of the hall (:mod:`.hall_layout`) places its stages with the same layered layout,
reading the flows between them from the compiled model's route programs (it has no
scenario, and no meeting points or shares to show).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..scenario.arrivals import DailyProfileArrivals, PoissonArrivals, RegularArrivals
from ..scenario.clearance import OnDemandShuttle, Shuttle, ShuttleCrossing, Transfer
from ..scenario.distributions import Constant, Triangular, Uniform
from ..scenario.loads import LoadedArrivals
from ..scenario.routes import Alight, Choice, Meet, RouteStep
from ..scenario.spec import KIND_WORDS, Flow, Scenario, Stage
from ..scenario.staff import StaffPool
from ..units import DAY, HOUR, format_duration
from .cells import clock
from .describe import describe_count, describe_fleet, describe_leaving
from .lane_words import WRAP, LaneRow, fold, lane_row

__all__ = [
    "MODE_NAMES",
    "MODE_SHORT",
    "WRAP",
    "Box",
    "LaneRow",
    "Link",
    "ModelGraph",
    "fold",
    "model_graph",
]

LinkKind = Literal["route", "alight", "meet"]
BoxKind = Literal["flow", "stage", "meet"]

#: the clearance modes in a planner's words
MODE_NAMES = {
    "separate": "separate checks (an exit check, the crossing, then an entry check)",
    "colocated": "co-located checks (both sides' checks in one building, one after the other)",
    "cooperative": "cooperative inspection (one stop clears both sides)",
}
#: the clearance modes, in short
MODE_SHORT = {
    "separate": "separate checks",
    "colocated": "co-located checks",
    "cooperative": "cooperative inspection",
}
#: a share shown as 100 % when this close to it
_WHOLE = 1e-9


@dataclass(frozen=True, slots=True)
class Box:
    """A flow, a stage or a meeting point: ``key`` is its element id (``flow-NAME``,
    ``stage-NAME``, ``meet-FLOW``); ``lines`` are said under its title, ``rows`` are a
    stage's lane groups and ``footer`` the transfer after it."""

    key: str
    kind: BoxKind
    title: str
    lines: tuple[str, ...] = ()
    rows: tuple[LaneRow, ...] = ()
    footer: str = ""
    shuttle: bool = False
    clearance: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """An arrow from box ``source`` to box ``target``; ``label`` says who takes it (a share of
    the flow's arrivals when not all of them)."""

    source: str
    target: str
    kind: LinkKind
    label: str


@dataclass(frozen=True, slots=True)
class ModelGraph:
    """The boxes (flows first, then stages in route order, then meeting points) and the
    arrows between them, with the scenario's name and clearance mode in words."""

    name: str
    boxes: tuple[Box, ...]
    links: tuple[Link, ...]
    mode: str = ""
    modes: tuple[str, ...] = ()
    #: whether some flow, class or lane group has a priority (the legend says how to read it)
    priority: bool = False


def _daily(arrivals: DailyProfileArrivals) -> str:
    totals = arrivals.daily_total
    if isinstance(totals, dict):
        low, high = min(totals.values()), max(totals.values())
        amount = f"{low:,.0f}–{high:,.0f} a day by day type"
    else:
        amount = f"{totals:,.0f} a day"
    if isinstance(arrivals.profile, dict):
        return amount
    weights = arrivals.profile
    peak = max(range(len(weights)), key=lambda h: weights[h])
    return f"{amount}, busiest {clock(peak * HOUR)}–{clock((peak + 1) * HOUR % DAY)}"


def flow_lines(flow: Flow) -> tuple[str, ...]:
    """A flow's box: who, which way, how many, in what classes."""
    who = KIND_WORDS[flow.kind] + (f", {flow.direction}" if flow.direction else "")
    arrivals = flow.arrivals
    if isinstance(arrivals, PoissonArrivals):
        demand = f"{arrivals.rate * HOUR:,.0f} an hour"
    elif isinstance(arrivals, DailyProfileArrivals):
        demand = _daily(arrivals)
    elif isinstance(arrivals, RegularArrivals):
        demand = f"one every {format_duration(arrivals.every)}"
    elif isinstance(arrivals, LoadedArrivals):
        demand = f"{arrivals.total:,} in {len(arrivals.times):,} timed loads"
    else:
        demand = f"{len(arrivals.times):,} at given times"
    lines = [who, demand]
    if not isinstance(arrivals, LoadedArrivals) and arrivals.group is not None:
        lines.append(f"in groups of {describe_count(arrivals.group, short=True)}")
    if flow.occupants is not None:
        lines.append(f"{describe_count(flow.occupants, short=True)} aboard")
    if flow.priority is not None:
        lines.append(f"priority {flow.priority}")
    if flow.classes:
        lines += fold(
            [
                f"{c.name} {_share(c.share)}"
                + ("" if c.priority is None else f" (priority {c.priority})")
                for c in flow.classes
            ]
        )
    if flow.exit_transfer is not None:
        way = transfer_words(flow.exit_transfer).removeprefix("then ").removesuffix(" on")
        lines.append(f"out after the last stop: {way}")
    return tuple(lines)


def transfer_words(transfer: Transfer) -> str:
    """The transfer after a stage: ``shuttle every 5 min, 40 seats, ride 3 min``, a shuttle
    on demand in three lines (when it leaves, its ride and fleet), or ``then 3 min to 6 min``
    (a walk or a drive)."""
    if isinstance(transfer, ShuttleCrossing) and isinstance(
        bus := transfer.shuttle, OnDemandShuttle
    ):
        leaving = describe_leaving(bus).split(" or ")
        fleet = describe_fleet(bus).removeprefix("a fleet of ") or "a bus always at the stop"
        return (
            f"then a shuttle that {leaving[0]}\nor {leaving[1]}\n"
            f"ride {format_duration(bus.ride)}; {fleet}"
        )
    if isinstance(transfer, ShuttleCrossing):
        s = transfer.shuttle
        assert isinstance(s, Shuttle)
        return (
            f"then a shuttle every {format_duration(s.every)}, {s.seats} seats, ride "
            f"{format_duration(s.ride)}"
        )
    if isinstance(transfer, Constant):
        return f"then {format_duration(transfer.value)} on"
    if isinstance(transfer, Uniform | Triangular):
        return f"then {format_duration(transfer.low)} to {format_duration(transfer.high)} on"
    return f"then about {format_duration(transfer.mean)} on"


def _stage_box(
    stage: Stage,
    clearance: set[str],
    again: dict[str, float],
    reached: set[str],
    pools: Mapping[str, StaffPool],
) -> Box:
    lines = [] if f"stage-{stage.name}" in reached else ["no route comes here"]
    if stage.space:
        lines.append(f"room for {stage.space:,} waiting")
    if stage.hours is not None:
        lines.append("its own opening hours")
    if stage.name in again:
        lines.append(f"{_share(again[stage.name])} visit it again")
    return Box(
        key=f"stage-{stage.name}",
        kind="stage",
        title=stage.name,
        lines=tuple(lines),
        rows=tuple(lane_row(stage.name, g, pools) for g in stage.lanes),
        footer=transfer_words(stage.transfer) if stage.transfer is not None else "",
        shuttle=isinstance(stage.transfer, ShuttleCrossing),
        clearance=stage.name in clearance,
    )


def _share(share: float) -> str:
    if share >= 0.1:  # noqa: PLR2004 - whole percents above 10 %
        return f"{share * 100:.0f} %"
    return f"{share * 100:.2g} %"


#: where entities stand before a step: (box key, share of the flow's arrivals)
Frontier = list[tuple[str, float]]


@dataclass
class _Walk:
    """The arrows of every route, each with the shares of the flows that take it."""

    scenario: Scenario
    shares: dict[tuple[str, str, str], dict[str, float]] = field(default_factory=dict)
    meets: list[str] = field(default_factory=list)
    again: dict[str, float] = field(default_factory=dict)

    def arrow(self, source: str, target: str, kind: str, who: str, share: float) -> None:
        if source == target:
            stage = target.removeprefix("stage-")
            self.again[stage] = self.again.get(stage, 0.0) + share
            return
        named = self.shares.setdefault((source, target, kind), {})
        named[who] = named.get(who, 0.0) + share

    def visit(self, frontier: Frontier, step: RouteStep, who: str, kind: str) -> Frontier:
        target = f"stage-{step.stage}"
        for source, share in frontier:
            self.arrow(source, target, kind, who, share * step.p)
        went = sum(share for _, share in frontier) * step.p
        rest = [(s, share * (1 - step.p)) for s, share in frontier if step.p < 1 - _WHOLE]
        return [(target, went), *rest]

    def walk(self, steps: Sequence[Any], frontier: Frontier, who: str, kind: str) -> Frontier:
        """Follow ``steps`` from ``frontier``; the first arrows are of ``kind``."""
        ends: Frontier = []
        for step in steps:
            before = frontier
            if isinstance(step, RouteStep):
                frontier = self.visit(frontier, step, who, kind)
            elif isinstance(step, Choice):
                frontier = [
                    p for option in step.choose for p in self.visit(before, option, who, kind)[:1]
                ]
                rest = 1 - sum(option.p for option in step.choose)
                frontier += [(s, share * rest) for s, share in before if rest > _WHOLE]
            elif isinstance(step, Alight):
                sub = self.scenario.route(step.alight)
                ends = self.walk(sub, frontier, f"{who} passengers", "alight")
                continue
            elif isinstance(step, Meet):
                meet = f"meet-{who}"
                self.meets.append(who)
                for source, share in frontier:
                    self.arrow(source, meet, "route", who, share)
                for source, share in ends:
                    self.arrow(source, meet, "meet", f"{who} passengers", share)
                frontier, ends = [(meet, 1.0)], []
            kind = "route" if frontier != before else kind
        return frontier

    def links(self) -> tuple[Link, ...]:
        out = []
        for (source, target, kind), named in self.shares.items():
            label = _label(named)
            if kind == "alight":
                label = "passengers alight" + (f", {label}" if label else "")
            out.append(Link(source, target, kind, label))  # type: ignore[arg-type]
        return tuple(out)


def _label(named: dict[str, float]) -> str:
    """Nothing when every flow sends all its arrivals this way; one share when all send the
    same share; else each flow's."""
    values = set(map(_share, named.values()))
    if all(share > 1 - 1e-6 for share in named.values()):
        return ""
    if len(values) == 1:
        return values.pop()
    return ", ".join(f"{who} {_share(share)}" for who, share in named.items())


def model_graph(scenario: Scenario) -> ModelGraph:
    """The graph of a scenario's flows, stages, lane groups and routes (the chosen clearance
    mode's stages: :meth:`~portsim.scenario.Scenario.with_mode` draws another)."""
    walk = _Walk(scenario)
    for flow in scenario.flows:
        walk.walk(scenario.route(flow), [(f"flow-{flow.name}", 1.0)], flow.name, "route")
    clearance = {name for name, _, _ in scenario.clearance.stops()} if scenario.clearance else set()
    flows = tuple(
        Box(key=f"flow-{f.name}", kind="flow", title=f.name, lines=flow_lines(f))
        for f in scenario.flows
    )
    reached = {target for _, target, _ in walk.shares} | {f"stage-{n}" for n in walk.again}
    pools = {pool.name: pool for pool in scenario.staff}
    stages = tuple(
        _stage_box(s, clearance, walk.again, reached, pools) for s in scenario.all_stages()
    )
    meets = tuple(
        Box(
            key=f"meet-{who}",
            kind="meet",
            title=f"{who} meet",
            lines=("each vehicle waits", "for its passengers"),
        )
        for who in dict.fromkeys(walk.meets)
    )
    mode = scenario.clearance.mode if scenario.clearance else ""
    return ModelGraph(
        name=scenario.name,
        boxes=(*flows, *stages, *meets),
        links=walk.links(),
        mode=mode,
        modes=scenario.clearance.modes() if scenario.clearance else (),
        priority=any(
            f.priority is not None or any(c.priority is not None for c in f.classes)
            for f in scenario.flows
        )
        or any(g.priority for s in scenario.all_stages() for g in s.lanes),
    )
