"""The demand a capacity search scales, in a planner's figures: how many travellers (or
vehicles, as the flow is) come in a day and in the busiest hour, from the scenario's own
arrivals — expected values, not counts measured in the runs.

A day's demand is the expected arrivals over the whole day of 24 hours, as the scenario
defines its arrivals (a ``daily_total``; a rate over 24 hours; a timetable's departures),
even when the run simulates only part of the day. The busiest hour is the counted hour
(after the warm-up, before the horizon) with the most expected arrivals of the scaled flows;
with several days, the busiest day is the one with the most. Only the flows a ``--scale``
path lies in count; the others are said apart, as given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model.compile import compile_scenario
from ..model.rates import rate_function
from ..scenario.spec import Scenario
from ..units import DAY, HOUR

__all__ = ["Demand", "scenario_demand"]

#: a flow's demand: (its kind, ``passenger``, ``car``, ``coach`` or ``truck``; the count)
Counts = tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class Demand:
    """Expected arrivals of the flows a capacity search scales, by kind of flow: on the
    busiest day of the run and in its busiest counted hour, with the other flows' day."""

    #: the flows scaled, in the scenario's order
    flows: tuple[str, ...]
    #: the other flows (as given)
    others: tuple[str, ...]
    #: expected arrivals of the scaled flows on the busiest day, by kind
    per_day: Counts
    #: the busiest day (from 0), or None when every day of the run brings the same
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


def _flow_of(path: str) -> str | None:
    parts = path.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "flows" else None


def _by_kind(pairs: Sequence[tuple[str, float]]) -> Counts:
    out: dict[str, float] = {}
    for kind, count in pairs:
        out[kind] = out.get(kind, 0.0) + count
    return tuple(out.items())


def scenario_demand(scenario: Scenario, paths: Sequence[str]) -> Demand | None:
    """The expected demand of the flows ``paths`` lie in (None when no path is a flow's)."""
    scaled = {name for p in paths if (name := _flow_of(p)) is not None}
    model = compile_scenario(scenario)
    flows = [f for f in model.flows if f.name in scaled]
    if not flows:
        return None
    others = [f for f in model.flows if f.name not in scaled]
    days = len(model.days) if model.days is not None else max(1, math.ceil(model.horizon / DAY))
    types = model.days.types if model.days is not None else ()
    specs = {f.name: f for f in scenario.flows}

    def rate(flow: Any) -> Any:  # entities a second over whole days
        whole = rate_function(specs[flow.name].arrivals, days * DAY, types)
        return whole.scaled(flow.party_size)

    rates = {f.name: rate(f) for f in model.flows}

    def expected(group: Sequence[Any], start: float, end: float) -> Counts:
        return _by_kind([(f.kind, rates[f.name].expected(start, end)) for f in group])

    totals = [sum(n for _, n in expected(flows, d * DAY, (d + 1) * DAY)) for d in range(days)]
    busiest = max(range(days), key=lambda d: totals[d])
    alike = all(math.isclose(t, totals[0], rel_tol=1e-9) for t in totals)
    first = int(model.warmup // HOUR) if model.warmup < model.horizon else 0
    hours = range(first, max(first + 1, math.ceil(model.horizon / HOUR)))
    by_hour = {h: sum(n for _, n in expected(flows, h * HOUR, (h + 1) * HOUR)) for h in hours}
    hour = max(hours, key=lambda h: by_hour[h])
    even = all(math.isclose(n, by_hour[hour], rel_tol=1e-9) for n in by_hour.values())
    date = model.days.dates[busiest] if model.days is not None and not alike else None
    return Demand(
        tuple(f.name for f in flows),
        tuple(f.name for f in others),
        expected(flows, busiest * DAY, (busiest + 1) * DAY),
        None if alike else busiest,
        hour,
        expected(flows, hour * HOUR, (hour + 1) * HOUR),
        expected(others, busiest * DAY, (busiest + 1) * DAY) if others else (),
        date,
        even,
    )
