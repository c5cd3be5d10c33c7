"""The scenario in words: who arrives and when, the route they follow, the stages, lanes
and clearance mode, for a reader who will not open the YAML file."""

from __future__ import annotations

from ..scenario.arrivals import (
    Arrivals,
    DailyProfileArrivals,
    PoissonArrivals,
    RegularArrivals,
    TimedArrivals,
)
from ..scenario.calendar import Calendar, OpeningHours
from ..scenario.clearance import OnDemandShuttle, Shuttle, ShuttleCrossing, Transfer
from ..scenario.counts import ConstantCount, CountDistribution, UniformCount
from ..scenario.distributions import (
    Constant,
    Distribution,
    Exponential,
    Gamma,
    LogNormal,
    Triangular,
    Uniform,
    Weibull,
)
from ..scenario.lanes import LaneGroup
from ..scenario.loads import LoadedArrivals
from ..scenario.opening import OpeningRule
from ..scenario.routes import Alight, Choice, Meet, RouteStep, Step, SubRouteStep
from ..scenario.spec import KIND_WORDS, Flow, Scenario
from ..units import DAY, HOUR, format_duration
from .staff_words import describe_pool, describe_schedule
from .tables import clock

__all__ = [
    "describe_arrivals",
    "describe_calendar",
    "describe_count",
    "describe_distribution",
    "describe_fleet",
    "describe_hours",
    "describe_leaving",
    "describe_loads",
    "describe_priority",
    "describe_scenario",
]

MODE_WORDS = {
    "separate": "separate checks (两地两检): an exit check, the crossing, then an entry check",
    "colocated": "co-located checks (一地两检): both sides' checks in one building, one after "
    "the other",
    "cooperative": "cooperative inspection with one release (合作查验、一次放行): one stop "
    "clears both sides",
}


def describe_distribution(dist: Distribution) -> str:
    """A time distribution in words: ``exponential, mean 45.0 s``."""
    if isinstance(dist, Constant):
        return f"always {format_duration(dist.value)}"
    if isinstance(dist, Exponential):
        return f"exponential, mean {format_duration(dist.mean)}"
    if isinstance(dist, LogNormal | Gamma | Weibull):
        name = {LogNormal: "log-normal", Gamma: "gamma", Weibull: "Weibull"}[type(dist)]
        return f"{name}, mean {format_duration(dist.mean)}, cv {dist.cv:g}"
    if isinstance(dist, Uniform):
        return f"between {format_duration(dist.low)} and {format_duration(dist.high)}"
    if isinstance(dist, Triangular):
        return (
            f"between {format_duration(dist.low)} and {format_duration(dist.high)}, most "
            f"often {format_duration(dist.mode)}"
        )
    return f"one of {len(dist.values)} observed times (mean {format_duration(dist.mean)})"


def describe_arrivals(arrivals: Arrivals, horizon: float) -> str:
    """How a flow arrives, in words."""
    if isinstance(arrivals, PoissonArrivals):
        return f"at random, {arrivals.rate * HOUR:,.0f} an hour on average"
    if isinstance(arrivals, DailyProfileArrivals):
        if isinstance(arrivals.daily_total, dict) or isinstance(arrivals.profile, dict):
            return _by_day_type(arrivals)
        weights = arrivals.profile
        peak = max(range(len(weights)), key=lambda h: weights[h])
        share = weights[peak] / sum(weights)
        return (
            f"at random, {arrivals.daily_total:,.0f} a day on average, following an hourly "
            f"profile; busiest hour {peak:02d}:00–{peak + 1:02d}:00 "
            f"({arrivals.daily_total * share:,.0f} expected)"
        )
    if isinstance(arrivals, RegularArrivals):
        end = arrivals.end if arrivals.end is not None else horizon
        return (
            f"one every {format_duration(arrivals.every)} from {clock(arrivals.start)} "
            f"until {clock(end)} (a timetable, no randomness)"
        )
    if isinstance(arrivals, LoadedArrivals):
        return describe_loads(arrivals)
    assert isinstance(arrivals, TimedArrivals)
    return (
        f"{len(arrivals.times):,} arrivals at given times, from {clock(arrivals.times[0])} "
        f"to {clock(arrivals.times[-1])}"
    )


def describe_loads(arrivals: LoadedArrivals) -> str:
    """A timetable with loads, in words: everyone it brings, in how many loads, when."""
    loads = arrivals.loads
    least, most = min(loads), max(loads)
    each = f"{most:,} each" if least == most else f"{least:,} to {most:,} at once"
    return (
        f"{arrivals.total:,} in all, in {len(loads):,} loads at given times ({each}), "
        f"from {clock(arrivals.at[0])} to {clock(arrivals.at[-1])}"
    )


def describe_opening(rule: OpeningRule) -> str:
    """An opening rule, in words."""
    parts = []
    if rule.open_above is not None:
        line = f"when the expected wait passes {format_duration(rule.open_above)}"
    elif rule.queue_above is not None:
        line = f"when more than {rule.queue_above} wait"
    else:
        line = ""
    if line:
        parts.append(
            f"{rule.step} more lane{'s' if rule.step != 1 else ''} open {line}"
            + (f", {format_duration(rule.delay)} later" if rule.delay else "")
        )
        if rule.close_below is not None:
            parts.append(f"close below {format_duration(rule.close_below)}")
        if rule.queue_below is not None:
            parts.append(f"close when fewer than {rule.queue_below} wait")
    if rule.emergency_above is not None:
        parts.append(f"emergency past {format_duration(rule.emergency_above)}")
    return ", ".join(parts)


def _by_day_type(arrivals: DailyProfileArrivals) -> str:
    totals = arrivals.daily_total
    if isinstance(totals, dict):
        each = ", ".join(f"{day_type} {total:,.0f}" for day_type, total in totals.items())
        amount = f"by day type ({each}) a day on average"
    else:
        amount = f"{totals:,.0f} a day on average"
    profiles = (
        "an hourly profile by day type"
        if isinstance(arrivals.profile, dict)
        else ("an hourly profile")
    )
    return f"at random, {amount}, following {profiles}"


def _step(scenario: Scenario, step: Step | SubRouteStep | RouteStep) -> str:
    if isinstance(step, RouteStep):
        return step.stage if step.p == 1 else f"{step.stage} ({step.p:.0%} of them)"
    if isinstance(step, Choice):
        return "one of " + " or ".join(_step(scenario, option) for option in step.choose)
    if isinstance(step, Alight):
        sub = " → ".join(_step(scenario, s) for s in scenario.route(step.alight))
        return f"the passengers alight and go through {sub}"
    assert isinstance(step, Meet)
    return "the vehicle waits for its passengers"


def _route(scenario: Scenario, flow: Flow) -> str:
    route = " → ".join(_step(scenario, step) for step in scenario.route(flow))
    if flow.exit_transfer is not None:
        route += f", then out: {describe_distribution(flow.exit_transfer)}"
    return route


def describe_count(dist: CountDistribution, *, short: bool = False) -> str:
    """A count in words: ``45``, ``40 to 70``, ``1 to 4 (2.2 on average)`` (``short``: an
    empirical count by its mean alone, ``2.2 on average``, as the model's diagram says it)."""
    if isinstance(dist, ConstantCount):
        return f"{dist.value}"
    if isinstance(dist, UniformCount):
        return f"{dist.low} to {dist.high}"
    if short:
        return f"{dist.mean:.3g} on average"
    return f"{min(dist.values)} to {max(dist.values)} ({dist.mean:.3g} on average)"


def describe_priority(flow: Flow) -> str:
    """A flow's priorities in words (``priority 0; elderly priority 1``), or "" when neither
    it nor its classes have one."""
    parts = [] if flow.priority is None else [f"priority {flow.priority}"]
    parts += [f"{c.name} priority {c.priority}" for c in flow.classes if c.priority is not None]
    return "; ".join(parts)


def _flow(scenario: Scenario, flow: Flow) -> str:
    labels = [KIND_WORDS[flow.kind]] + ([flow.direction] if flow.direction else [])
    extra = ""
    party = getattr(flow.arrivals, "group", None)
    if party is not None:
        extra += f", {describe_count(party)} at a time"
    if flow.occupants is not None:
        extra += f", {describe_count(flow.occupants)} persons aboard (driver included)"
    if flow.classes:
        extra += "; classes " + ", ".join(f"{c.name} {c.share:.0%}" for c in flow.classes)
    if priority := describe_priority(flow):
        extra += f"; {priority} (served before a higher number or none, never interrupting)"
    return (
        f"{flow.name} ({', '.join(labels)}): arrive "
        f"{describe_arrivals(flow.arrivals, scenario.horizon)}{extra}; "
        f"route {_route(scenario, flow)}."
    )


def _lanes(group: LaneGroup) -> str:
    if group.schedule is None:
        lanes = f"{group.count} lane{'s' if group.count != 1 else ''} all the time"
    else:
        schedules = group.schedules()
        if list(schedules) == ["default"] and not isinstance(group.schedule, dict):
            lanes = f"lanes open by the clock: {describe_schedule(schedules['default'])}"
        else:
            each = "; ".join(f"{t}: {describe_schedule(e)}" for t, e in schedules.items())
            lanes = f"lanes open by the clock, by day type: {each}"
    if group.built is not None:
        lanes += f" ({group.built} built)"
    if group.opening is not None:
        lanes += "; " + describe_opening(group.opening)
    if group.staff is not None:
        draws = group.draws()
        if len(draws) == 1:
            (name, n), each = draws[0], ""
            each = f", {n} a lane" if n != 1 else ""
            lanes += f"; staffed from pool {name}{each}"
        else:  # a lane opens only with some of each
            lanes += "; a lane takes " + " and ".join(f"{n} of pool {p}" for p, n in draws)
    queue = (
        "a queue per lane, arrivals join the shortest"
        if group.queue == "per_lane"
        else ("one shared queue")
    )
    serves = f"; serves {', '.join(group.serves)} only" if group.serves else ""
    text = f"{group.name}: {lanes}; {queue}{serves}; service {describe_distribution(group.service)}"
    for name, dist in (group.service_by_flow or {}).items():
        text += f"; {name}: {describe_distribution(dist)}"
    if group.priority:
        text += "; priority here: " + ", ".join(f"{n} {p}" for n, p in group.priority.items())
    return text + "."


def describe_leaving(shuttle: OnDemandShuttle) -> str:
    """When a shuttle on demand leaves: ``leaves when full (40 seats) or 10.0 min after its
    first passenger``."""
    assert shuttle.max_wait is not None
    return (
        f"leaves when full ({shuttle.seats} seats) or {format_duration(shuttle.max_wait)} "
        "after its first passenger"
    )


def describe_fleet(shuttle: OnDemandShuttle) -> str:
    """A shuttle's fleet: ``a fleet of 3 buses, each away 16.0 min a trip`` (nothing
    without one: a bus is always at the stop)."""
    if shuttle.fleet is None:
        return ""
    buses = f"{shuttle.fleet} bus{'es' * (shuttle.fleet != 1)}"
    return f"a fleet of {buses}, each away {format_duration(shuttle.away)} a trip"


def _transfer(transfer: Transfer) -> str:
    if isinstance(transfer, ShuttleCrossing) and isinstance(
        bus := transfer.shuttle, OnDemandShuttle
    ):
        fleet = describe_fleet(bus) or "a bus always at the stop"
        ride = format_duration(bus.ride)
        return f"then a shuttle that {describe_leaving(bus)}, riding {ride}; {fleet}"
    if isinstance(transfer, ShuttleCrossing):
        s = transfer.shuttle
        assert isinstance(s, Shuttle)
        return (
            f"then a shuttle every {format_duration(s.every)} with {s.seats} seats, "
            f"riding {format_duration(s.ride)}"
        )
    return f"then on to the next stop: {describe_distribution(transfer)}"


def describe_calendar(calendar: Calendar) -> str:
    """``7 days from 2008-02-06: workday ×5, weekend ×2``."""
    runs = ", ".join(f"{d.type}" + (f" ×{d.repeat}" if d.repeat > 1 else "") for d in calendar.days)
    total = sum(d.repeat for d in calendar.days)
    since = f" from {calendar.start.isoformat()}" if calendar.start else ""
    return f"{total} day{'s' * (total > 1)}{since}: {runs}"


def describe_hours(hours: OpeningHours | dict[str, OpeningHours]) -> str:
    """``06:30-24:00 every day``, or ``normal 06:30-24:00, festival_eve 06:30-02:00``."""

    def span(h: OpeningHours) -> str:
        return f"{clock(h.open)}-{clock(h.close) if h.close < DAY else '24:00'}"

    if isinstance(hours, dict):
        return ", ".join(f"{day_type} {span(h)}" for day_type, h in hours.items())
    return f"{span(hours)} every day"


def _stages(scenario: Scenario) -> list[str]:
    out = []
    for stage in scenario.all_stages():
        room = f" (room for {stage.space:,} waiting)" if stage.space else ""
        parts = [f"Stage {stage.name}{room}:", *(_lanes(g) for g in stage.lanes)]
        if stage.hours is not None:
            parts.append(
                f"Open {describe_hours(stage.hours)} (its own hours): who reaches it while it "
                "is closed waits before it for the opening; at the closing it serves its queue "
                "and takes nobody new."
            )
        if stage.transfer is not None:
            parts.append(_transfer(stage.transfer).capitalize() + ".")
        out.append(" ".join(parts))
    return out


def describe_scenario(scenario: Scenario) -> list[tuple[str, list[str]]]:
    """The scenario in words, as (heading, sentences) pairs."""
    run = f"Simulated from 00:00 of day 1 for {format_duration(scenario.horizon)}" + (
        f"; the first {format_duration(scenario.warmup)} fill the hall and are not counted."
        if scenario.warmup
        else "."
    )
    overview = [scenario.description.strip()] if scenario.description else []
    sections = [("The run", [*overview, run])]
    sections.append(("Who arrives", [_flow(scenario, f) for f in scenario.flows]))
    if scenario.clearance is not None:
        mode = scenario.clearance.mode
        given = ", ".join(scenario.clearance.modes())
        sections.append(
            ("Clearance mode", [f"{MODE_WORDS[mode]}.", f"Modes described in the file: {given}."])
        )
    days = _days_and_hours(scenario)
    if days:
        sections.append(("Days and opening hours", days))
    sections.append(("Stages and lanes", _stages(scenario)))
    if scenario.staff:
        sections.append(("Staff", [describe_pool(scenario, pool) for pool in scenario.staff]))
    return sections


def _days_and_hours(scenario: Scenario) -> list[str]:
    """The calendar (its day types in order, and day 1's date) and the port's hours."""
    out = []
    if scenario.calendar is not None:
        out.append(f"A calendar of {describe_calendar(scenario.calendar)}.")
    hours = scenario.hours
    if isinstance(hours, OpeningHours) and hours.open == 0 and hours.close == DAY:
        out.append("The port is open round the clock.")
    elif hours is not None:
        out.append(
            f"The port is open {describe_hours(hours)}: who comes while it is closed "
            "waits outside for the opening (reported apart from the queue waits); at the "
            "closing the doors shut and the lanes stay as they are until those inside are out."
        )
    return out
