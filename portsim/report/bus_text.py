"""The buses on demand in the text report: each stop's departures, load and wait for the
bus, its queue and who was left there at the end (the wait for a bus is in the time in
port, in no queue wait, so it is said apart)."""

from __future__ import annotations

from ..results.catalog import (
    SHUTTLE_AT_STOP,
    SHUTTLE_CENSORED_WAIT_MAX,
    SHUTTLE_CENSORED_WAIT_MEAN,
    SHUTTLE_DEPARTURES,
    SHUTTLE_LEFT_FULL,
    SHUTTLE_LOAD_MEAN,
    SHUTTLE_QUEUE_MAX,
    SHUTTLE_QUEUE_MEAN,
    SHUTTLE_WAIT_MEAN,
    Metric,
)
from ..results.scopes import Scope
from ..results.summary import Summary
from .cells import stat_text, value_text

__all__ = ["left_at_bus_stops", "shuttle_lines"]


def shuttle_lines(s: Summary) -> list[str]:
    """Each stage a shuttle on demand leaves: its departures, how many left full or after
    their wait, the load and the passengers' wait for the bus to leave; then the stop's
    queue, and who was still there at the end with their wait so far."""
    stages = [sc for sc in s.scopes("stage") if s.has(sc, SHUTTLE_DEPARTURES)]
    if not stages:
        return []
    lines = [
        "",
        "Shuttles on demand (the wait for the bus to leave is in the time in port, not in the "
        "queue waits)",
    ]
    for stage in stages:
        departures, full = s.mean(stage, SHUTTLE_DEPARTURES), s.mean(stage, SHUTTLE_LEFT_FULL)
        after = value_text(SHUTTLE_LEFT_FULL, departures - full)
        lines.append(
            f"- from {stage.name}: {value_text(SHUTTLE_DEPARTURES, departures)} "
            f"{SHUTTLE_DEPARTURES.words}, {value_text(SHUTTLE_LEFT_FULL, full)} "
            f"{SHUTTLE_LEFT_FULL.words} and {after} after their wait; "
            f"{SHUTTLE_LOAD_MEAN.words} {_stat(s, stage, SHUTTLE_LOAD_MEAN)}; "
            f"{SHUTTLE_WAIT_MEAN.words} {_stat(s, stage, SHUTTLE_WAIT_MEAN)} (those who left)"
        )
        if not s.has(stage, SHUTTLE_QUEUE_MAX):
            continue
        stop = (
            f"  at the stop: {SHUTTLE_QUEUE_MEAN.words} {_stat(s, stage, SHUTTLE_QUEUE_MEAN)}, "
            f"{SHUTTLE_QUEUE_MAX.words} {_stat(s, stage, SHUTTLE_QUEUE_MAX)}"
        )
        if s.mean(stage, SHUTTLE_AT_STOP) > 0:
            stop += (
                f"; {_stat(s, stage, SHUTTLE_AT_STOP)} {SHUTTLE_AT_STOP.words} at the end of "
                f"the run, who had waited {_stat(s, stage, SHUTTLE_CENSORED_WAIT_MEAN)} on "
                f"average so far, {_stat(s, stage, SHUTTLE_CENSORED_WAIT_MAX)} at most "
                "(censored: at least this long)"
            )
        lines.append(stop)
    return lines


def _stat(s: Summary, scope: Scope, m: Metric) -> str:
    return stat_text(m, s.find(scope, m))


def left_at_bus_stops(s: Summary) -> list[str]:
    """Beside the unfinished: how many of them were at a bus stop, and their wait for the
    bus so far (not in the censored queue waits)."""
    return [
        f"- of them {_stat(s, stop, SHUTTLE_AT_STOP)} at the bus stop of {stop.name}, "
        f"waiting for the bus {_stat(s, stop, SHUTTLE_CENSORED_WAIT_MEAN)} on average so "
        f"far, {_stat(s, stop, SHUTTLE_CENSORED_WAIT_MAX)} at most (not in the waits above)"
        for stop in s.scopes("stage")
        if s.has(stop, SHUTTLE_AT_STOP) and s.mean(stop, SHUTTLE_AT_STOP) > 0
    ]
