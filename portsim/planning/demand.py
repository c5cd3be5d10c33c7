"""The demand a capacity search scales, in a planner's figures: how many travellers (or
vehicles, as the flow is) come in a day and in the busiest hour, from the scenario's own
arrivals — expected values, not counts measured in the runs.

Only a ``--scale`` path under a flow's arrivals (``flows.NAME.arrivals…``) is demand; any
other path (a routing share, a service time) scales something else, and the factor is all
there is to say about it. Only the flows a demand path lies in count; the others are said
apart, as given.

A day's demand is the expected arrivals over the whole day of 24 hours, as the scenario
defines its arrivals (a ``daily_total``; a rate over 24 hours; a timetable's departures),
even when the run simulates only part of the day. When the days differ (a calendar), every
factor is measured on ONE day, so that the demand grows with the factor: the day the scaled
flows bring most as given (factor 1), among the days the factor changes (scaling only the
eve's ``daily_total`` changes only the eves). The busiest hour is the counted hour (after
the warm-up, before the horizon) of that day (of the whole run when the days are alike)
with the most expected arrivals of the scaled flows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model.compile import compile_scenario
from ..model.rates import rate_function
from ..scenario.spec import Scenario
from ..units import DAY, HOUR

__all__ = ["Demand", "capacity_demand", "demand_flow", "scenario_demand"]

#: a flow's demand: (its kind, ``passenger``, ``car``, ``coach`` or ``truck``; the count)
Counts = tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class Demand:
    """Expected arrivals of the flows a capacity search scales, by kind of flow: on the day
    measured and in its busiest counted hour, with the other flows' day."""

    #: the flows scaled, in the scenario's order
    flows: tuple[str, ...]
    #: the other flows (as given)
    others: tuple[str, ...]
    #: expected arrivals of the scaled flows on the day measured, by kind
    per_day: Counts
    #: the day measured (from 0), or None when every day brings the same
    day: int | None
    #: the busiest counted hour, from 00:00 of day 1
    hour: int
    #: expected arrivals of the scaled flows in that hour, by kind
    in_hour: Counts
    #: expected arrivals of the other flows on the same day, by kind
    others_per_day: Counts = ()
    #: the day's date (``YYYY-MM-DD``) when the scenario has a calendar with a start
    date: str | None = None
    #: whether every counted hour brings the same (a constant rate: no busiest hour)
    even: bool = False

    @property
    def day_words(self) -> str | None:
        """The day measured: its date, or ``day 2`` (None when every day brings the same)."""
        if self.day is None:
            return None
        return self.date or f"day {self.day + 1}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "flows": list(self.flows),
            "per_day": dict(self.per_day),
            "day": None if self.day is None else self.day + 1,
            "date": self.date,
            "busiest_hour": self.hour,
            "in_busiest_hour": dict(self.in_hour),
            "every_hour_alike": self.even,
            "others": list(self.others),
            "others_per_day": dict(self.others_per_day),
        }


def demand_flow(path: str) -> str | None:
    """The flow whose demand a ``--scale`` path scales: ``residents`` for
    ``flows.residents.arrivals.daily_total``; None for any other path (a routing share
    ``flows.walkers.route.1.p``, a service time)."""
    match path.split("."):
        case ["flows", name, "arrivals", *_]:
            return name
        case _:
            return None


def _by_kind(pairs: Iterable[tuple[str, float]]) -> Counts:
    out: dict[str, float] = {}
    for kind, count in pairs:
        out[kind] = out.get(kind, 0.0) + count
    return tuple(out.items())


def _total(counts: Counts) -> float:
    return math.fsum(n for _, n in counts)


class _Arrivals:
    """A scenario's expected arrivals, the flows scaled apart from the others."""

    def __init__(self, scenario: Scenario, scaled: set[str]) -> None:
        model = compile_scenario(scenario)
        self.flows = [f for f in model.flows if f.name in scaled]
        self.others = [f for f in model.flows if f.name not in scaled]
        days = len(model.days) if model.days is not None else math.ceil(model.horizon / DAY)
        self.days = max(1, days)
        self.dates = model.days.dates if model.days is not None else ()
        types = model.days.types if model.days is not None else ()
        specs = {f.name: f for f in scenario.flows}
        self.rates = {
            f.name: rate_function(specs[f.name].arrivals, self.days * DAY, types).scaled(
                f.party_size
            )
            for f in model.flows
        }
        first = int(model.warmup // HOUR) if model.warmup < model.horizon else 0
        self.hours = range(first, max(first + 1, math.ceil(model.horizon / HOUR)))
        self.totals = [
            _total(self.expected(self.flows, d * DAY, (d + 1) * DAY)) for d in range(self.days)
        ]

    def expected(self, group: Sequence[Any], start: float, end: float) -> Counts:
        return _by_kind((f.kind, self.rates[f.name].expected(start, end)) for f in group)

    def alike(self) -> bool:
        return all(math.isclose(t, self.totals[0], rel_tol=1e-9) for t in self.totals)

    def demand(self, day: int | None) -> Demand:
        """The demand on ``day`` (None: the days are alike; day 1 is measured)."""
        on = 0 if day is None else day
        hours = [h for h in self.hours if day is None or h * HOUR // DAY == day] or list(self.hours)
        by_hour = {h: _total(self.expected(self.flows, h * HOUR, (h + 1) * HOUR)) for h in hours}
        hour = max(hours, key=lambda h: by_hour[h])
        even = all(math.isclose(n, by_hour[hour], rel_tol=1e-9) for n in by_hour.values())
        return Demand(
            tuple(f.name for f in self.flows),
            tuple(f.name for f in self.others),
            self.expected(self.flows, on * DAY, (on + 1) * DAY),
            day,
            hour,
            self.expected(self.flows, hour * HOUR, (hour + 1) * HOUR),
            self.expected(self.others, on * DAY, (on + 1) * DAY) if self.others else (),
            self.dates[on] if day is not None and on < len(self.dates) else None,
            even,
        )


def _scaled_flows(paths: Sequence[str]) -> set[str]:
    return {name for p in paths if (name := demand_flow(p)) is not None}


def _day(given: _Arrivals, scaled: Iterable[_Arrivals]) -> int | None:
    """The one day every factor is measured on: the day the scaled flows bring most as
    given, among the days a factor changes (None when every day brings the same)."""
    scaled = list(scaled)
    if all(a.alike() for a in (given, *scaled)):
        return None
    changed = [
        d
        for d in range(given.days)
        if any(not math.isclose(a.totals[d], given.totals[d], rel_tol=1e-9) for a in scaled)
    ]
    return max(changed or range(given.days), key=lambda d: given.totals[d])


def capacity_demand(
    base: Scenario, scenarios: Mapping[float, Scenario], paths: Sequence[str]
) -> tuple[Demand | None, dict[float, Demand]]:
    """The demand as given (``base``) and at each factor (its scenario), all measured on
    the same day; (None, {}) when no path is a flow's demand."""
    names = _scaled_flows(paths)
    if not names:
        return None, {}
    given = _Arrivals(base, names)
    if not given.flows:
        return None, {}
    measured = {factor: _Arrivals(s, names) for factor, s in scenarios.items()}
    day = _day(given, measured.values())
    return given.demand(day), {factor: a.demand(day) for factor, a in measured.items()}


def scenario_demand(scenario: Scenario, paths: Sequence[str]) -> Demand | None:
    """The expected demand of the flows ``paths`` scale (None when no path is a flow's
    demand), on the day they bring most."""
    names = _scaled_flows(paths)
    arrivals = _Arrivals(scenario, names) if names else None
    if arrivals is None or not arrivals.flows:
        return None
    day = None if arrivals.alike() else max(range(arrivals.days), key=lambda d: arrivals.totals[d])
    return arrivals.demand(day)
