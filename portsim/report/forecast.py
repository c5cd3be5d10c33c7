"""What a forecast from a state observed now says (``portsim run FILE --from-state``): where
it starts, and for each service pledge the first hour it is missed — the duty manager's
"will we pass the 15-minute line, and when?".

An hour's share is that of the travellers who arrived in the hour (the observed ones count
as arriving at the state's time); an hour is *missed* when its mean share over the
replications is under the pledge, and *surely missed* when the whole 95 % interval is.
"""

from __future__ import annotations

from ..model.model import Model
from ..results.catalog import SHARE
from ..results.summary import PledgeResult, Summary
from ..units import HOUR, counted, format_duration, hour_interval
from .cells import interval_text, stat_text

__all__ = ["first_hour", "forecast_heading", "forecast_lines", "forecast_start"]


def forecast_heading(model: Model) -> str | None:
    """``Forecast from the state observed at 14:00 (252 travellers waiting or in service)
    to 18:00`` (None: a run from 00:00, empty); ``waiting, in service or on the move``
    when the state has travellers walking, at a shuttle's stop or aboard a bus."""
    state = model.initial
    if state is None:
        return None
    return (
        f"Forecast from the state observed at {_clock(state.at)} ({_observed(model)}) to "
        f"{_clock(model.horizon)}; everything is counted from then on."
    )


def _observed(model: Model) -> str:
    """``252 travellers waiting or in service``; with vehicles, ``80 travellers and 12
    vehicles waiting or in service, 2 vehicles at their meeting point``."""
    state = model.initial
    assert state is not None
    flows = [model.flows[sub.flow] for sub in model.subflows]
    vehicles = sum(
        1
        for g in state.groups
        for t in (*g.serving, *g.waiting)
        if flows[t.sub].vehicle and t.sub != flows[t.sub].passengers
    )
    meeting = sum(1 for c in state.carloads if c.meeting)
    travellers = counted(state.travellers() - vehicles - meeting, "traveller")
    where = (
        "waiting or in service" if state.moving is None else "waiting, in service or on the move"
    )
    if not vehicles and not meeting:
        return f"{travellers} {where}"
    text = f"{travellers} and {counted(vehicles, 'vehicle')} {where}"
    return text + (f", {counted(meeting, 'vehicle')} at their meeting point" if meeting else "")


def forecast_start(model: Model) -> str:
    """The clock time a forecast starts at: ``14:00`` (``day 2 14:00``)."""
    return _clock(0.0 if model.initial is None else model.initial.at)


def first_hour(model: Model) -> int:
    """The first hour a forecast reports: the one the state's time falls in (0 without a
    state)."""
    return 0 if model.initial is None else int(model.initial.at // HOUR)


def forecast_lines(summary: Summary, model: Model) -> list[str]:
    """One line a pledge: the first hour from the state's on where it is missed, or that it
    holds every hour to the horizon (none without a state or pledges)."""
    if model.initial is None:
        return []
    return [f"- {_pledge_line(p, first_hour(model), model)}" for p in summary.pledges]


def _pledge_line(pledge: PledgeResult, start: int, model: Model) -> str:
    who = f"{'at ' if pledge.stage else ''}{pledge.for_whom}"
    within = format_duration(pledge.wait_within)
    for hour in range(start, len(pledge.hourly)):
        share = pledge.hourly[hour]
        if share.known and share.mean < pledge.pledged:
            surely = share.interval is not None and share.high < pledge.pledged
            return (
                f"{pledge.name} ({who}): {'surely ' if surely else ''}first missed in "
                f"{hour_interval(hour)} — {stat_text(SHARE, share)} of those arriving then "
                f"wait at most {within} (95 % interval {interval_text(SHARE, share)}), "
                f"against {pledge.pledged:.0%}."
            )
    return (
        f"{pledge.name} ({who}): held in every hour from {_clock(start * HOUR)} to "
        f"{_clock(model.horizon)} ({pledge.pledged:.0%} within {within} in each)."
    )


def _clock(seconds: float) -> str:
    """``14:00``, or ``day 2 14:00`` after the first day."""
    day, time = divmod(round(seconds), 24 * round(HOUR))
    text = f"{time // 3600:02d}:{time % 3600 // 60:02d}"
    return f"day {day + 1} {text}" if day else text
