"""Run a scenario's replications and summarise them: the Python face of ``portsim run``."""

from __future__ import annotations

import csv
import json
import math
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

from .engine import ReplicationResult, run_replication
from .model import Model, compile_scenario
from .records import VISIT_FIELDS, Records
from .reference import compare_figures
from .scenario import Scenario
from .summary import aggregate, replication_metrics
from .targets import verdict

__all__ = ["SimulationResult", "default_workers", "run_replications", "simulate"]


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

    def write_records_csv(self, path: str | Path) -> int:
        """Write every replication's records to a CSV file, one row per stage visit, with
        the columns of :data:`~portsim.records.VISIT_FIELDS`; empty cells for NaN. Returns
        the number of rows."""
        rows = 0
        with Path(path).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([name for name, _ in VISIT_FIELDS])
            for records in self.records:
                table = records.visit_table()
                columns = [[_csv_cell(v) for v in table[name].tolist()] for name, _ in VISIT_FIELDS]
                writer.writerows(zip(*columns, strict=True))
                rows += len(columns[0])
        return rows

    def to_dict(self) -> dict[str, Any]:
        """The JSON content as plain data (NaN as None)."""
        return _clean(self.summary)  # type: ignore[no-any-return]

    def to_json(self, indent: int | None = 2) -> str:
        """The public JSON contract: scenario, replications, seed, warnings, overall, stages,
        flows (each metric ``{"mean": x, "ci95": [lo, hi] | null}``)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return value


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def simulate(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    *,
    workers: int = 1,
) -> SimulationResult:
    """Run ``replications`` replications of ``scenario`` (default: the scenario's own numbers)
    with ``seed`` and summarise them, on ``workers`` processes.

    Replication *r* is a pure function of (scenario, seed, r), so the results are identical
    whatever the number of workers.
    """
    replications = scenario.replications if replications is None else replications
    seed = scenario.seed if seed is None else seed
    if replications < 1:
        raise ValueError("replications must be at least 1")
    if seed < 0:
        raise ValueError("the seed must be a non-negative integer")
    if workers < 1:
        raise ValueError("workers must be at least 1")
    model = compile_scenario(scenario)
    return summarise(model, seed, run_replications(model, seed, replications, workers))


Replicated = tuple[ReplicationResult, dict[str, Any]]


def _replicate(model: Model, seed: int, replication: int) -> Replicated:
    """One replication and its metrics: what a worker process sends back."""
    result = run_replication(model, seed, replication)
    return result, replication_metrics(model, result)


def run_replications(
    model: Model, seed: int, replications: int, workers: int = 1
) -> tuple[Replicated, ...]:
    """Replications 0 .. replications-1 with their metrics, in order, on up to ``workers``
    processes."""
    workers = min(workers, replications)
    if workers == 1:
        return tuple(_replicate(model, seed, r) for r in range(replications))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return tuple(pool.map(_replicate, repeat(model), repeat(seed), range(replications)))


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def summarise(model: Model, seed: int, replicated: tuple[Replicated, ...]) -> SimulationResult:
    """Combine replication results and their metrics into a :class:`SimulationResult`."""
    results = tuple(result for result, _ in replicated)
    per_replication = tuple(metrics for _, metrics in replicated)
    warnings = tuple(model.overload_warnings())
    combined = aggregate(per_replication)
    for stage in model.stages:  # the declared space is a plain number, not a metric
        if not math.isinf(stage.space):
            combined["stages"][stage.name]["space"] = int(stage.space)
    targets = []
    for spec, result in zip(model.scenario.targets, combined.get("targets", []), strict=True):
        share = result["share"]
        targets.append(
            {
                "name": spec.name,
                "flow": spec.flow,
                "stage": spec.stage,
                "wait_within_s": spec.wait_within,
                "target": spec.share,
                "share": share,
                "verdict": verdict(share["mean"], share["ci95"], spec.share),
                "hourly": result["hourly"],
            }
        )
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
    if "directions" in combined:  # flows that share a ``direction`` label, together
        summary["directions"] = combined["directions"]
    if targets:
        summary["targets"] = targets
    if model.scenario.reference:
        summary["reference"] = compare_figures(model.scenario.reference, summary)
    return SimulationResult(
        scenario=model.scenario,
        seed=seed,
        replications=len(results),
        warnings=warnings,
        replication_results=results,
        per_replication=per_replication,
        summary=summary,
    )
