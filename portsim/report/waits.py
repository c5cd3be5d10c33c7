"""Wait distributions for the plots: the share of travellers who waited at most each wait,
per flow, for all travellers, and at the stages a pledge names.

From the records, the curve is exact (all replications pooled, drawn through 1001 shares,
denser towards the longest waits, where pledges are judged); a run without records has only
its percentiles (p50, p90, p95, p99 and the maximum, each the mean over the replications),
and the curve goes through those.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ..results.catalog import PERCENTILES, WAIT_MAX, WAIT_PERCENTILES
from ..results.scopes import OVERALL, Scope
from ..results.summary import PledgeResult, Summary
from ..run.simulate import SimulationResult

__all__ = ["WaitPanel", "wait_panels"]

#: points on a curve drawn from records
CURVE_POINTS = 1001


@dataclass(frozen=True, slots=True)
class WaitPanel:
    """One curve: ``shares[i]`` of the travellers waited at most ``waits[i]`` seconds."""

    title: str
    waits: NDArray[np.float64]
    shares: NDArray[np.float64]
    #: the pledges that apply to these travellers
    pledges: list[PledgeResult] = field(default_factory=list)
    #: True when the curve goes through the percentiles only (a run without records)
    from_percentiles: bool = False


def _curve(waits: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    shares = 1.0 - np.append(np.logspace(0, -6, CURVE_POINTS - 1), 0.0)
    if len(waits) == 0:
        return np.zeros(0), np.zeros(0)
    return np.quantile(waits, shares), shares


def _percentile_curve(
    summary: Summary, scope: Scope
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    metrics = [*WAIT_PERCENTILES, WAIT_MAX]
    shares = [q / 100 for q in PERCENTILES] + [1.0]
    points = [(summary.mean(scope, m), s) for m, s in zip(metrics, shares, strict=True)]
    points = [(w, s) for w, s in points if not np.isnan(w)]
    return np.array([w for w, _ in points]), np.array([s for _, s in points])


def _pooled(result: SimulationResult) -> dict[str, NDArray[np.float64]]:
    """Every served, counted traveller's total wait, by flow name and ``""`` for all,
    and every counted stage visit's wait by ``"stage NAME"``, pooled over replications."""
    warmup = result.model.warmup
    out: dict[str, list[NDArray[np.float64]]] = {}
    for rec in result.records:
        started = ~np.isnan(rec.visit_start)
        waits = np.where(started, rec.visit_wait, 0.0)
        total = np.bincount(rec.visit_entity, weights=waits, minlength=rec.entities).astype(
            np.float64
        )
        counted = rec.entity_arrival >= warmup
        served = counted & ~np.isnan(rec.entity_exit)
        out.setdefault("", []).append(total[served])
        for flow, name in enumerate(rec.flow_names):
            out.setdefault(name, []).append(total[served & (rec.entity_flow == flow)])
        visit_counted = counted[rec.visit_entity] & started
        for stage, name in enumerate(rec.stage_names):
            at = visit_counted & (rec.visit_stage == stage)
            out.setdefault(f"stage {name}", []).append(rec.visit_wait[at])
    return {key: np.concatenate(parts) for key, parts in out.items()}


def _panels(result: SimulationResult) -> list[tuple[str, str, Scope]]:
    """(key, title, scope) of each panel: all travellers (with one flow, that flow: one
    panel, not two of the same curve), each flow, and each stage a pledge names."""
    summary = result.summary
    flows = summary.scopes("flow")
    panels: list[tuple[str, str, Scope]] = []
    if len(flows) == 1:
        panels.append(("", f"all travellers (flow {flows[0].name})", OVERALL))
    else:
        panels.append(("", "all travellers", OVERALL))
        panels += [(f.name, f"flow {f.name}", f) for f in flows]
    named = dict.fromkeys(p.stage for p in summary.pledges if p.stage)
    panels += [(f"stage {n}", f"at stage {n}", Scope.stage(n)) for n in named]
    return panels


def _applies(pledge: PledgeResult, key: str, one_flow: bool) -> bool:
    if pledge.stage:
        return key == f"stage {pledge.stage}"
    return key == ("" if one_flow else pledge.flow or "")


def wait_panels(result: SimulationResult) -> list[WaitPanel]:
    """The curves the wait distribution plot draws, with the pledges that apply to each."""
    pooled = _pooled(result) if result.records else None
    summary = result.summary
    one_flow = len(summary.scopes("flow")) == 1
    panels = []
    for key, title, scope in _panels(result):
        pledges = [p for p in summary.pledges if _applies(p, key, one_flow)]
        if pooled is not None:
            waits, shares = _curve(pooled[key])
            label = f"{title} ({len(pooled[key]):,} served, {result.replications} replications)"
        else:
            waits, shares = _percentile_curve(summary, scope)
            label = f"{title} (through the percentiles: run without records)"
        panels.append(WaitPanel(label, waits, shares, pledges, pooled is None))
    return panels
