"""Opening rules, compiled: thresholds in seconds or travellers, and the mean service the
expected wait is reckoned with."""

from __future__ import annotations

import math
from dataclasses import replace

from ..scenario.opening import OpeningRule
from .model import CompiledFlow, CompiledGroup, CompiledRule, Subflow

__all__ = ["mean_service", "with_rules"]


def with_rules(
    groups: list[CompiledGroup],
    rules: list[tuple[OpeningRule | None, int | None]],
    flows: tuple[CompiledFlow, ...],
    subflows: tuple[Subflow, ...],
    horizon: float,
) -> list[CompiledGroup]:
    """``groups`` with their lanes built and opening rules (``rules``: each group's rule
    and lanes built, in the order of ``groups``)."""
    out = []
    for group, (rule, built) in zip(groups, rules, strict=True):
        compiled = None
        if rule is not None:
            mean = mean_service(group, flows, subflows, horizon)
            compiled = _compile(rule, built or group.timetable.most, mean)
        out.append(replace(group, built=built, rule=compiled))
    return out


def _compile(rule: OpeningRule, built: int, mean: float) -> CompiledRule:
    return CompiledRule(
        built=built,
        step=rule.step,
        delay=rule.delay,
        open_wait=math.inf if rule.open_above is None else rule.open_above,
        close_wait=-1.0 if rule.close_below is None else rule.close_below,
        open_queue=math.inf if rule.queue_above is None else float(rule.queue_above),
        close_queue=-1.0 if rule.queue_below is None else float(rule.queue_below),
        emergency=math.inf if rule.emergency_above is None else rule.emergency_above,
        mean=mean,
    )


def mean_service(
    group: CompiledGroup,
    flows: tuple[CompiledFlow, ...],
    subflows: tuple[Subflow, ...],
    horizon: float,
) -> float:
    """The group's mean service per traveller: its subflows' means (with the time per
    occupant), weighted by the visits each is expected to make to the group's stage, shared
    among the groups it may use there."""
    weights, means = [], []
    for sub in subflows:
        dist = group.service[sub.index]
        if dist is None or not sub.visits[group.stage]:
            continue
        flow = flows[sub.flow]
        extra = group.per_occupant[sub.index] if group.per_occupant else None
        mean = dist.mean + (0.0 if extra is None else extra.mean * flow.mean_occupants)
        share = flow.mean_occupants - 1 if sub.index == flow.passengers else sub.share
        arrivals = flow.entity_rate.expected(0.0, horizon) * share
        weights.append(arrivals * sub.visits[group.stage] / len(sub.eligible[group.stage]))
        means.append(mean)
    total = math.fsum(weights)
    if not means:
        return 0.0
    if total <= 0:
        return math.fsum(means) / len(means)
    return math.fsum(w * m for w, m in zip(weights, means, strict=True)) / total
