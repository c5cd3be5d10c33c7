"""Checks of the values given by day type: each names day types of the calendar (or
``default``), and covers every day type of the calendar. Each raises a
:class:`~portsim.errors.ScenarioError` naming the field path."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..errors import ScenarioError
from ..units import DAY
from .arrivals import DailyProfileArrivals
from .calendar import DEFAULT

if TYPE_CHECKING:
    from .spec import Scenario

__all__ = ["check_days"]

#: what each by-day-type field gives, for the messages
_WHAT = {
    "daily_total": "daily total",
    "profile": "profile",
    "schedule": "schedule",
    "hours": "opening hours",
}


def check_days(scenario: Scenario, stage_path: Any) -> None:
    """The calendar covers the horizon, and every value by day type fits the calendar.
    ``stage_path(name)`` says where a stage is written in the file."""
    calendar = scenario.calendar
    if calendar is not None and scenario.horizon > calendar.length:
        raise ScenarioError(
            "horizon",
            f"the calendar covers {calendar.length / DAY:g} days; the horizon "
            f"({scenario.horizon / DAY:g} days) is longer: add days to the calendar",
        )
    types = calendar.types() if calendar is not None else ()
    given = [(p, f, v) for p, f, v in _by_day_type(scenario, stage_path) if isinstance(v, Mapping)]
    for path, field, value in given:  # a day type unknown anywhere first: it explains a lack
        if calendar is None:
            raise ScenarioError(
                path,
                f"giving the {_WHAT[field]} by day type needs a calendar "
                "(calendar: {days: [...]})",
            )
        for named in value:
            if named != DEFAULT and named not in types:
                raise ScenarioError(
                    f"{path}.{named}",
                    f"unknown day type {named!r} (the calendar's: {', '.join(types)}; or "
                    f"{DEFAULT!r} for the others)",
                )
    for path, field, value in given:
        if DEFAULT not in value:
            for day_type in types:
                if day_type not in value:
                    raise ScenarioError(
                        path,
                        f"the calendar's day type {day_type!r} has no {_WHAT[field]} (add it, "
                        f"or a {DEFAULT!r} for the day types not named)",
                    )


def _by_day_type(scenario: Scenario, stage_path: Any) -> Iterator[tuple[str, str, Any]]:
    """Every field that may be given by day type: (path, field, value)."""
    for flow in scenario.flows:
        arrivals = flow.arrivals
        if isinstance(arrivals, DailyProfileArrivals):
            path = f"flows.{flow.name}.arrivals"
            yield f"{path}.daily_total", "daily_total", arrivals.daily_total
            yield f"{path}.profile", "profile", arrivals.profile
    modes = scenario.clearance.modes() if scenario.clearance is not None else (None,)
    for mode in modes:
        for stage in scenario.all_stages(mode):
            if stage.hours is not None:
                yield f"{stage_path(scenario, stage.name, mode)}.hours", "hours", stage.hours
            for group in stage.lanes:
                if group.schedule is not None:
                    path = f"{stage_path(scenario, stage.name, mode)}.lanes.{group.name}.schedule"
                    yield path, "schedule", group.schedule
    if scenario.hours is not None:
        yield "hours", "hours", scenario.hours
    for pool in scenario.staff:
        if pool.schedule is not None:
            yield f"staff.{pool.name}.schedule", "schedule", pool.schedule
