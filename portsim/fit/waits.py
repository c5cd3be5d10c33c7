"""Observed waits held against a run's (``portsim fit waits``): a validation on what was not
fitted.

The simulated waits are the queue waits (service start − queue join) of every visit of the
chosen flow (all flows by default) to the chosen stage (all stages by default), over every
replication, after the warm-up; a visit whose service had not started by the horizon is left
out (and counted). The two distributions are put side by side: their 50th, 90th and 95th
percentiles (numpy's linear interpolation, as the run's own), the Kolmogorov–Smirnov
distance (the largest gap between the two ECDFs, 0 to 1) and the Wasserstein distance (the
area between them: how far, in seconds, the observed waits would have to move on average to
become the simulated ones), both from scipy.stats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import UsageError
from ..run.simulate import SimulationResult, simulate
from ..scenario.spec import Scenario
from .data import DataError, read_table
from .families import Floats, scipy_stats
from .times import MIN_POINTS, UNITS

__all__ = [
    "QUANTILES",
    "WaitsComparison",
    "compare_waits",
    "simulated_waits",
    "validate_waits_file",
]

#: the percentiles put side by side
QUANTILES = (50, 90, 95)


@dataclass(frozen=True, slots=True)
class WaitsComparison:
    """Observed and simulated waits (seconds, in order) and the distances between them."""

    source: str
    observed: Floats = field(repr=False)
    simulated: Floats = field(repr=False)
    ks: float
    wasserstein: float
    #: what was simulated: the flow and stage (empty: all) and the visits left unserved
    flow: str = ""
    stage: str = ""
    unserved: int = 0

    def quantiles(self) -> dict[int, tuple[float, float]]:
        """Each percentile of :data:`QUANTILES`: (observed, simulated), in seconds."""
        observed = np.percentile(self.observed, QUANTILES)
        simulated = np.percentile(self.simulated, QUANTILES)
        return {q: (float(o), float(s)) for q, o, s in zip(QUANTILES, observed, simulated,
                                                           strict=True)}  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        """The comparison as plain data (seconds)."""
        return {
            "source": self.source,
            "flow": self.flow or None,
            "stage": self.stage or None,
            "observed": {"n": len(self.observed), "mean_s": float(np.mean(self.observed))},
            "simulated": {
                "n": len(self.simulated),
                "mean_s": float(np.mean(self.simulated)),
                "unserved": self.unserved,
            },
            "quantiles_s": {
                f"p{q}": {"observed": o, "simulated": s} for q, (o, s) in self.quantiles().items()
            },
            "ks": self.ks,
            "wasserstein_s": self.wasserstein,
        }


def compare_waits(
    observed: Floats | list[float],
    simulated: Floats | list[float],
    *,
    source: str = "observed",
    flow: str = "",
    stage: str = "",
    unserved: int = 0,
) -> WaitsComparison:
    """The two samples of waits (seconds) side by side, with their KS and Wasserstein
    distances."""
    stats = scipy_stats()
    ours = np.sort(np.asarray(observed, dtype=np.float64))
    theirs = np.sort(np.asarray(simulated, dtype=np.float64))
    if len(ours) == 0 or len(theirs) == 0:
        raise UsageError(f"{source}: no {'observed' if len(ours) == 0 else 'simulated'} waits")
    ks = float(stats.ks_2samp(ours, theirs).statistic)
    distance = float(stats.wasserstein_distance(ours, theirs))
    return WaitsComparison(source, ours, theirs, ks, distance, flow, stage, unserved)


def simulated_waits(
    result: SimulationResult, flow: str | None = None, stage: str | None = None
) -> tuple[Floats, int]:
    """The queue waits of ``result``'s visits (of ``flow`` to ``stage``; None: all) after the
    warm-up, and how many such visits had not started service by the horizon."""
    if not result.records:
        raise UsageError("the run kept no records: run it with records=True")
    first = result.records[0]
    names = ((flow, first.flow_names, "flow"), (stage, first.stage_names, "stage"))
    for name, known, kind in names:
        if name is not None and name not in known:
            raise UsageError(f"no {kind} {name!r} in the scenario (its {kind}s: "
                             f"{', '.join(map(str, known))})")  # fmt: skip
    waits, unserved = [], 0
    for records in result.records:
        keep = records.visit_join >= result.scenario.warmup
        if flow is not None:
            flows = records.entity_flow[records.visit_entity]
            keep &= flows == records.flow_names.index(flow)
        if stage is not None:
            keep &= records.visit_stage == records.stage_names.index(stage)
        wait = records.visit_wait[keep]
        unserved += int(np.isnan(wait).sum())
        waits.append(wait[~np.isnan(wait)])
    return np.concatenate(waits), unserved


def validate_waits_file(
    path: str | Path,
    scenario: Scenario,
    *,
    column: str = "wait_s",
    unit: str = "s",
    flow: str | None = None,
    stage: str | None = None,
    replications: int | None = None,
    seed: int | None = None,
) -> WaitsComparison:
    """Run ``scenario`` and compare its waits with the observed ones in ``column`` of the
    CSV file at ``path`` (in ``unit``: ``s`` or ``min``)."""
    if unit not in UNITS:
        raise DataError(str(path), column, f"no unit {unit!r}: choose s or min")
    table = read_table(path, [column])
    observed = table.numbers(column) * UNITS[unit]
    if len(observed) < MIN_POINTS:
        raise table.error(column, f"{len(observed)} waits: at least {MIN_POINTS} are needed")
    result = simulate(scenario, replications, seed, records=True)
    simulated, unserved = simulated_waits(result, flow, stage)
    if len(simulated) == 0:
        raise UsageError(f"{scenario.name}: no simulated waits of {flow or 'any flow'} at "
                         f"{stage or 'any stage'} after the warm-up")  # fmt: skip
    return compare_waits(observed, simulated, source=f"{path}: {column}", flow=flow or "",
                         stage=stage or "", unserved=unserved)  # fmt: skip
