"""Run a scenario's replications and summarise them: the Python face of ``portsim run``."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from .engine import ReplicationResult, run_replication
from .model import Model, compile_scenario
from .records import Records
from .scenario import Scenario
from .summary import aggregate, replication_metrics

__all__ = ["SimulationResult", "simulate"]


@dataclass(frozen=True, slots=True, eq=False)
class SimulationResult:
    """The replications of one scenario and their summary.

    ``summary`` is the content of the JSON output (:meth:`to_json`); ``replication_results``
    hold each replication's records and engine counters; ``per_replication`` the metrics of
    each replication before they are combined.
    """

    scenario: Scenario
    seed: int
    replications: int
    warnings: tuple[str, ...]
    replication_results: tuple[ReplicationResult, ...] = field(repr=False)
    per_replication: tuple[dict[str, Any], ...] = field(repr=False)
    summary: dict[str, Any] = field(repr=False)

    @property
    def records(self) -> tuple[Records, ...]:
        """Each replication's per-entity records."""
        return tuple(r.records for r in self.replication_results)

    def to_dict(self) -> dict[str, Any]:
        """The JSON content as plain data (NaN as None)."""
        return _clean(self.summary)  # type: ignore[no-any-return]

    def to_json(self, indent: int | None = 2) -> str:
        """The public JSON contract: scenario, replications, seed, warnings, overall, stages,
        flows (each metric ``{"mean": x, "ci95": [lo, hi] | null}``)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def simulate(
    scenario: Scenario, replications: int | None = None, seed: int | None = None
) -> SimulationResult:
    """Run ``replications`` replications of ``scenario`` (default: the scenario's own numbers)
    with ``seed`` and summarise them. Replication *r* is a pure function of
    (scenario, seed, r): the same inputs give identical results."""
    replications = scenario.replications if replications is None else replications
    seed = scenario.seed if seed is None else seed
    if replications < 1:
        raise ValueError("replications must be at least 1")
    if seed < 0:
        raise ValueError("the seed must be a non-negative integer")
    model = compile_scenario(scenario)
    results = tuple(run_replication(model, seed, r) for r in range(replications))
    return summarise(model, seed, results)


def summarise(model: Model, seed: int, results: tuple[ReplicationResult, ...]) -> SimulationResult:
    """Combine replication results into a :class:`SimulationResult`."""
    per_replication = tuple(replication_metrics(model, r) for r in results)
    warnings = tuple(model.overload_warnings())
    combined = aggregate(per_replication)
    summary: dict[str, Any] = {
        "scenario": model.scenario.name,
        "replications": len(results),
        "seed": seed,
        "horizon_s": model.horizon,
        "warmup_s": model.warmup,
        "warnings": list(warnings),
        "overall": combined["overall"],
        "stages": combined["stages"],
        "flows": combined["flows"],
    }
    return SimulationResult(
        scenario=model.scenario,
        seed=seed,
        replications=len(results),
        warnings=warnings,
        replication_results=results,
        per_replication=per_replication,
        summary=summary,
    )
