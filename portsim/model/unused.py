"""Parts of a scenario that take no part in its run, which a planner surely meant to: a flow
nobody of which arrives in the time counted (timed arrivals all past the horizon, say), a
stage no route visits, a lane group that serves nobody who comes to its stage. Each is legal
(a quick look with a shorter horizon, a stage kept while trying variants), so each is a
warning said before the run, not an error."""

from __future__ import annotations

import math

from ..units import format_duration
from .model import ArrivalPlan, CompiledFlow, Model

__all__ = ["unused_warnings"]


def unused_warnings(model: Model) -> list[str]:
    """A warning for each flow that brings nobody counted, each stage nobody visits and each
    lane group nobody who comes may use."""
    warnings = [_no_arrivals(model, flow) for flow in model.flows]
    visited = [any(sub.visits[stage.index] > 0 for sub in model.subflows) for stage in model.stages]
    for stage in model.stages:
        if not visited[stage.index]:
            warnings.append(
                f"stage {stage.name!r} is on no route (or only with p 0): nobody visits it and "
                "its lanes stand idle; add it to a route, or leave it out"
            )
            continue
        for index in stage.groups:
            warnings.append(_idle_group(model, stage.index, index))
    return [w for w in warnings if w]


def _no_arrivals(model: Model, flow: CompiledFlow) -> str:
    """Why nobody of ``flow`` is counted, if so: no arrival before the horizon, or none
    after the warm-up ("" if some are)."""
    plan, horizon, warmup = flow.arrivals, model.horizon, model.warmup
    if _arrives(plan, warmup, horizon):
        return ""
    if model.initial is not None and model.initial.travellers(flow.subflows):
        return ""  # a forecast from a state counts the travellers observed at its start
    if _arrives(plan, 0.0, horizon):
        return (
            f"flow {flow.name!r}: all its arrivals come before the end of the warm-up "
            f"({format_duration(warmup)}): nobody of it is counted"
        )
    until = format_duration(horizon)
    if plan.kind == "timed":
        why = f"all {len(plan.times):,} of its timed arrivals come at or after the horizon"
    elif plan.kind == "regular":
        why = f"its first arrival ({format_duration(plan.first)}) is at or after the horizon"
    else:
        why = "its profile has no weight in the hours before the horizon"
    return (
        f"flow {flow.name!r}: {why} ({until} from 00:00 of day 1): nobody of it arrives in the run"
    )


def _arrives(plan: ArrivalPlan, start: float, end: float) -> bool:
    """Whether some arrivals of ``plan`` may come in ``[start, end)``: exactly for timed and
    regular ones, by the rate for random ones."""
    if plan.kind == "timed":
        return any(start <= t < end for t in plan.times)
    if plan.kind == "regular":
        stop = min(end, plan.end)
        if plan.first >= stop:
            return False
        last = plan.first + (math.ceil((stop - plan.first) / plan.every) - 1) * plan.every
        return last >= start
    return plan.rate.expected(start, end) > 0


def _idle_group(model: Model, stage: int, index: int) -> str:
    """Whether lane group ``index`` serves nobody who comes to its stage ("" if it does)."""
    comers = [sub for sub in model.subflows if sub.visits[stage] > 0]
    if any(index in sub.eligible[stage] for sub in comers):
        return ""
    group = model.groups[index]
    names = ", ".join(sub.name for sub in comers)
    return (
        f"lane group {model.stages[stage].name}.{group.name} serves nobody who comes to its "
        f"stage (who comes: {names}; see its 'serves'): its lanes stand idle"
    )
