"""``portsim show``: the stages and routes each clearance mode expands to, with sources; a
description of the input, not of results."""

from __future__ import annotations

from functools import partial

from ..scenario.assume import shown_value
from ..scenario.clearance import OnDemandShuttle, ShuttleCrossing, Transfer
from ..scenario.distributions import Distribution
from ..scenario.lanes import LaneGroup
from ..scenario.loads import LoadedArrivals
from ..scenario.routes import Alight, Choice, Meet, RouteStep, Step, SubRouteStep
from ..scenario.spec import Scenario
from ..units import HOUR, format_duration
from .describe import (
    describe_calendar,
    describe_fleet,
    describe_hours,
    describe_leaving,
    describe_loads,
    describe_opening,
    describe_priority,
)

__all__ = ["format_show"]


#: parameters of distributions that are not durations (a coefficient of variation)
UNITLESS = frozenset({"cv"})


def _value(name: str, value: object) -> str:
    if name in UNITLESS:
        return f"{value:g}"
    if isinstance(value, tuple):
        return "[" + ", ".join(format_duration(float(v)) for v in value) + "]"
    return format_duration(value) if isinstance(value, float) else str(value)


def _describe(dist: Distribution) -> str:
    params = ", ".join(
        f"{k} {_value(k, v)}"
        for k, v in ((f, getattr(dist, f)) for f in dist.__dataclass_fields__)
        if k not in {"dist", "source"}
    )
    return f"{dist.dist} ({params})"


def _transfer(transfer: Transfer | None) -> str:
    if transfer is None:
        return "none"
    if isinstance(transfer, ShuttleCrossing):
        s = transfer.shuttle
        if isinstance(s, OnDemandShuttle):
            fleet = describe_fleet(s)
            text = f"shuttle that {describe_leaving(s)}, ride {format_duration(s.ride)}"
            text += f"; {fleet}" if fleet else "; a bus always at the stop"
        else:
            text = (
                f"shuttle every {format_duration(s.every)}, {s.seats} seats, ride "
                f"{format_duration(s.ride)}"
            )
        return text + (f"  [source: {s.source}]" if s.source else "")
    return _describe(transfer)


def _days(scenario: Scenario) -> list[str]:
    """The calendar's days and the port's opening hours, when given."""
    lines = []
    if scenario.calendar is not None:
        lines.append(f"calendar: {describe_calendar(scenario.calendar)}")
    if scenario.hours is not None:
        lines.append(f"hours: {describe_hours(scenario.hours)}")
    return lines


def _group_lines(g: LaneGroup) -> list[str]:
    """A lane group's lines: its lanes, queue, whom it serves and its service, then its
    services and priorities by flow."""
    lines: list[str] = []
    lanes = (
        f"{g.count} lanes"
        if g.schedule is None
        else "; ".join(
            ("schedule " if day_type == "default" else f"{day_type} schedule ")
            + ", ".join(f"{e.start / HOUR:g}-{e.end / HOUR:g}h: {e.count}" for e in es)
            for day_type, es in g.schedules().items()
        )
    )
    if g.built is not None:
        lanes += f" ({g.built} built)"
    if g.opening is not None:
        lanes += f"; {describe_opening(g.opening)}"
    if g.staff is not None:  # a lane takes some of each pool named
        lanes += "; staff " + " and ".join(
            name + (f" ({n} a lane)" if n != 1 else "") for name, n in g.draws()
        )
    serves = f", serves {', '.join(g.serves)}" if g.serves else ""
    queue = ", a queue per lane" if g.queue == "per_lane" else ""
    lines.append(
        f"  {g.name}: {lanes}{queue}{serves}; service {_describe(g.service)}"
        + (f"  [source: {g.source}]" if g.source else "")
    )
    for named, dist in (g.service_by_flow or {}).items():
        lines.append(f"    {named}: service {_describe(dist)}")
    for named, level in (g.priority or {}).items():
        lines.append(f"    {named}: priority {level} here")
    return lines


def _staff(scenario: Scenario) -> list[str]:
    """Each staff pool: on duty, switch, lending, and the lane groups that share it."""
    if not scenario.staff:
        return []
    lines = ["staff:"]
    for pool in scenario.staff:
        if pool.schedule is None:
            duty = f"{pool.count} on duty"
        else:
            duty = "; ".join(
                ("schedule " if day_type == "default" else f"{day_type} schedule ")
                + ", ".join(f"{e.start / HOUR:g}-{e.end / HOUR:g}h: {e.count}" for e in es)
                for day_type, es in pool.schedules().items()
            )
        users = [
            f"{stage.name}.{g.name}"
            for stage in scenario.all_stages()
            for g in stage.lanes
            if pool.name in g.pools()
        ]
        lines.append(
            f"  {pool.name}: {duty}; switch {format_duration(pool.switch)}"
            + ("; lends to a rule that asks" if pool.lend else "")
            + f"; shared by {', '.join(users) or 'no lane group'}"
            + (f"  [source: {pool.source}]" if pool.source else "")
        )
    return lines


def _assumptions(scenario: Scenario) -> list[str]:
    """The shared assumptions the file referenced, and the fields they gave."""
    if not scenario.assumptions:
        return []
    lines = ["shared assumptions (the fields below take these values):"]
    for a in scenario.assumptions:
        shown = partial(shown_value, a)
        said = "; ".join(x for x in (a.confidence, a.source) if x)
        given = (
            ""
            if a.file_value is None
            else f", given for this run: the file's {shown(a.file_value)}"
        )
        lines.append(
            f"  {a.name}{f' ({a.words})' if a.words else ''} = {shown(a.value)} "
            f"(range {shown(a.low)} – {shown(a.high)}{given}; {said})"
        )
        lines += [f"    -> {where}" for where in a.used_at]
    return lines


def format_show(scenario: Scenario) -> str:
    """The stages and routes of every clearance mode the scenario gives, with sources."""
    modes = scenario.clearance.modes() if scenario.clearance is not None else (None,)
    lines = [f"{scenario.name}", *_days(scenario), *_assumptions(scenario), *_staff(scenario)]
    if scenario.clearance is not None:
        lines.append(
            f"clearance mode: {scenario.clearance.mode} (modes given: "
            f"{', '.join(scenario.clearance.modes())})"
        )
    for mode in modes:
        variant = scenario.with_mode(mode) if mode else scenario
        lines += [
            "",
            f"== {mode or 'stages'}"
            + (" (chosen)" if scenario.clearance and mode == scenario.clearance.mode else ""),
        ]
        block = getattr(scenario.clearance, mode) if mode else None
        if block is not None and block.source:
            lines.append(f"   source: {block.source}")
        for stage in variant.all_stages():
            space = f", space {stage.space}" if stage.space else ""
            lines.append(
                f"stage {stage.name}{space}"
                + (f"  [source: {stage.source}]" if stage.source else "")
            )
            if stage.hours is not None:
                lines.append(f"  hours: {describe_hours(stage.hours)} (its own)")
            for g in stage.lanes:
                lines += _group_lines(g)
            if stage.transfer is not None:
                lines.append(f"  then: {_transfer(stage.transfer)}")
        lines += _routes(variant)
    return "\n".join(lines)


def _routes(variant: Scenario) -> list[str]:
    """Each flow's route (and its way out), then the named sub-routes."""
    lines = ["routes:"]
    for flow in variant.flows:
        steps = " -> ".join(_step(s) for s in variant.route(flow))
        if flow.exit_transfer is not None:
            steps += f" -> out: {_describe(flow.exit_transfer)}"
        priority = f" ({p})" if (p := describe_priority(flow)) else ""
        lines.append(
            f"  {flow.name}{priority}: {steps}"
            + (f"  [source: {flow.source}]" if flow.source else "")
        )
        if isinstance(flow.arrivals, LoadedArrivals):  # a timetable's loads: how many, when
            lines.append(f"    arrive {describe_loads(flow.arrivals)}")
    for name in variant.routes:
        lines.append(f"  {name} (a sub-route): {' -> '.join(map(_step, variant.route(name)))}")
    return lines


def _step(step: Step | SubRouteStep | RouteStep) -> str:
    """A route step as ``stage``, ``stage (p 0.1)``, ``one of (xray (p 0.3) | exam (p
    0.02))``, ``passengers alight to ROUTE`` or ``meet passengers``."""
    if isinstance(step, RouteStep):
        return step.stage if step.p == 1 else f"{step.stage} (p {step.p:g})"
    if isinstance(step, Choice):
        return f"one of ({' | '.join(map(_step, step.choose))})"
    if isinstance(step, Alight):
        return f"passengers alight to {step.alight}"
    if isinstance(step, Meet):
        return "meet passengers"
    return str(step)
