"""Small scenario builders and statistics shared by the tests."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from portsim import Records, Scenario, SimulationResult, scenario_from_dict
from portsim.model import Model, compile_scenario
from portsim.run import Task, TaskResult, run_task


def stage(name: str, lanes: int, service: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A stage with one lane group called ``lanes``."""
    return {"name": name, "lanes": [{"name": "lanes", "count": lanes, "service": service}], **extra}


def exponential(mean: float) -> dict[str, Any]:
    return {"dist": "exponential", "mean": mean}


def scenario(
    *,
    rate: float,
    route: list[Any],
    stages: list[dict[str, Any]],
    horizon: float,
    warmup: float = 0.0,
    replications: int = 5,
    seed: int = 1,
) -> Scenario:
    """One passenger flow at a constant rate through the given stages."""
    return scenario_from_dict(
        {
            "name": "test",
            "horizon": horizon,
            "warmup": warmup,
            "replications": replications,
            "seed": seed,
            "flows": [{"name": "travellers", "arrivals": {"rate": rate}, "route": route}],
            "stages": stages,
        }
    )


def per_replication(result: SimulationResult, *path: str) -> np.ndarray:
    """One metric's value in each replication, e.g. ``("stages", "s1", "wait_mean_s")``."""
    values = []
    for metrics in result.per_replication:
        node: Any = metrics
        for key in path:
            node = node[key]
        values.append(float(node))
    return np.asarray(values)


def assert_within_standard_errors(values: np.ndarray, expected: float, k: float = 3.0) -> None:
    """The mean of the replications lies within ``k`` standard errors of ``expected``."""
    mean = float(values.mean())
    se = float(values.std(ddof=1)) / math.sqrt(len(values))
    assert abs(mean - expected) <= k * se, (
        f"mean {mean:.6g} vs expected {expected:.6g}: {abs(mean - expected) / se:.2f} SE "
        f"(SE {se:.3g}, n={len(values)})"
    )


def replicate(scenario: Scenario, seed: int, replication: int) -> TaskResult:
    """One replication with its records, counters and metric rows."""
    return run_task(Task("", compile_scenario(scenario), seed, replication))


def records_of(scenario: Scenario, seed: int, replication: int) -> Records:
    """The records of one replication."""
    records = replicate(scenario, seed, replication).records
    assert records is not None
    return records


def run_model(model: Model, seed: int, replication: int) -> TaskResult:
    """One replication of a compiled model, with its records."""
    return run_task(Task("", model, seed, replication))


class Row(NamedTuple):
    """One visit of an event log: the visit table's columns, None for a time that has not
    happened by the horizon."""

    entity: int
    step: int
    stage: str
    group: str
    lane: int
    join: float | None
    start: float | None
    end: float | None
    exit: float | None


def _time(value: Any) -> float | None:
    return None if math.isnan(value) else float(value)


def event_log(data: dict[str, Any]) -> tuple[list[Row], list[tuple[str, float]]]:
    """Every visit row, and each entity's (flow, arrival), of replication 0 of a scenario
    given as plain data."""
    records = records_of(scenario_from_dict(data), 0, 0)
    table = records.visit_table()
    rows = [
        Row(
            int(table["entity"][i]),
            int(table["step"][i]),
            str(table["stage"][i]),
            str(table["group"][i]),
            int(table["lane"][i]),
            _time(table["join"][i]),
            _time(table["start"][i]),
            _time(table["end"][i]),
            _time(table["exit"][i]),
        )
        for i in range(len(table["entity"]))
    ]
    entities = [
        (records.flow_names[flow], float(arrival))
        for flow, arrival in zip(records.entity_flow, records.entity_arrival, strict=True)
    ]
    return rows, entities


def const(value: float | str) -> dict[str, Any]:
    """A constant time distribution."""
    return {"dist": "constant", "value": value}
