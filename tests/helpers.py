"""Small scenario builders and statistics shared by the tests."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
from scipy import stats

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


#: Each statistical assertion fails with this probability when the engine is right. A loop
#: of k checks that makes one claim (every hour of a profile, say) splits it, ``ALPHA / k``
#: each (Bonferroni), so that the claim as a whole keeps the level.
ALPHA = 0.001
#: The probability wanted of catching a bias of one standard error of a usual run.
POWER = 0.8
#: A usual run: this many replications of the same scenario, as a planner would make.
USUAL_REPLICATIONS = 10
_Z_POWER = float(stats.norm.ppf(POWER))


def t_critical(n: int, alpha: float = ALPHA) -> float:
    """The (1 − α/2) quantile of Student's t with n − 1 degrees of freedom."""
    return float(stats.t.ppf(1 - alpha / 2, n - 1))


def power_against_usual_error(n: int, alpha: float = ALPHA) -> float:
    """The probability that the two-sided t-test on ``n`` replications rejects when the
    true mean is off by one standard error of :data:`USUAL_REPLICATIONS` replications:
    t is then noncentral with noncentrality √(n / USUAL_REPLICATIONS)."""
    df, crit, shift = n - 1, t_critical(n, alpha), math.sqrt(n / USUAL_REPLICATIONS)
    return float(stats.nct.sf(crit, df, shift) + stats.nct.cdf(-crit, df, shift))


def replications_for_power(alpha: float = ALPHA) -> int:
    """The fewest replications whose t-test at level ``alpha`` catches a bias of one
    standard error of a usual run with probability :data:`POWER`.

    Let σ be the standard deviation of one replication's value (for the run length the test
    uses). A planner's usual run, ``m`` = :data:`USUAL_REPLICATIONS` replications, has the
    standard error σ/√m; a bias δ of that size is what a planner cannot see in their own
    confidence interval, so a test should see it. With ``n`` replications the test statistic
    t = (x̄ − expected)/(s/√n) is then noncentral t with noncentrality δ√n/σ = √(n/m), and
    the test rejects when |t| > t_{1−α/2, n−1}. Its power is about
    Φ(√(n/m) − t_{1−α/2, n−1}) ≥ POWER, that is

        n ≥ m · (t_{1−α/2, n−1} + z_POWER)².

    With α = 0.001, z_0.8 = 0.8416 and t_{0.9995, ~176} ≈ 3.347: n ≥ 10 · 4.19² ≈ 176;
    the exact noncentral-t power, computed here, asks for 177. A run ``k`` times shorter has
    a √k times larger σ, so the same ``n`` of shorter runs detects the same bias *relative to
    its own run*: cheap tests use many short replications, each long enough that the warm-up
    removes the start-up bias and that end effects (visits cut off at the horizon, the
    ratio of two random sums) stay far below the standard error.
    """
    # start from the normal approximation (a lower bound: t's quantile exceeds the normal's)
    n = max(3, math.floor(USUAL_REPLICATIONS * (stats.norm.ppf(1 - alpha / 2) + _Z_POWER) ** 2))
    while power_against_usual_error(n, alpha) < POWER:
        n += 1
    return n


#: Replications for the full power: 177 (see :func:`replications_for_power`).
POWERED = replications_for_power()


def detectable_bias(n: int, alpha: float = ALPHA) -> float:
    """The bias a test on ``n`` replications catches with probability :data:`POWER`, in
    standard errors of a usual run (≈ (t_{1−α/2, n−1} + z_POWER) / √(n/m)): 1 or less for
    ``n`` ≥ :data:`POWERED`; a test with fewer replications says what it can detect."""
    return (t_critical(n, alpha) + _Z_POWER) / math.sqrt(n / USUAL_REPLICATIONS)


def assert_mean_matches(
    values: Any, expected: float, *, alpha: float = ALPHA, what: str = ""
) -> None:
    """Two-sided one-sample Student-t test at level ``alpha`` on the per-replication
    ``values``: their mean must not differ significantly from ``expected``."""
    values = np.asarray(values, dtype=np.float64)
    n = len(values)
    assert n >= 2, "a t-test needs two replications"
    mean = float(values.mean())
    sd = float(values.std(ddof=1))
    label = f"{what}: " if what else ""
    if sd == 0:  # every replication gave the same value: then it must be the expected one
        assert mean == expected, f"{label}all {n} replications gave {mean:.6g}, not {expected:.6g}"
        return
    se = sd / math.sqrt(n)
    crit = t_critical(n, alpha)
    t = (mean - expected) / se
    detectable = (crit + _Z_POWER) * se
    relative = f", {detectable / abs(expected):.2%} of expected" if expected else ""
    assert abs(t) <= crit, (
        f"{label}mean {mean:.6g} vs expected {expected:.6g}: t = {t:+.2f} beyond ±{crit:.2f} "
        f"(n = {n}, α = {alpha:g}); this test detects a bias of {detectable:.3g}{relative} "
        f"with {POWER:.0%} power, {detectable / (sd / math.sqrt(USUAL_REPLICATIONS)):.2f} "
        f"standard errors of {USUAL_REPLICATIONS} replications"
    )


def assert_mean_strictly_between(
    values: Any, low: float, high: float, *, alpha: float = ALPHA, what: str = ""
) -> None:
    """The mean of the per-replication ``values`` lies significantly inside (low, high):
    both one-sided t-tests at level ``alpha / 2`` reject a mean at a bound (the (1 − α)
    t-interval of the mean lies strictly between the bounds)."""
    values = np.asarray(values, dtype=np.float64)
    n = len(values)
    assert n >= 2, "a t-test needs two replications"
    mean = float(values.mean())
    se = float(values.std(ddof=1)) / math.sqrt(n)
    crit = t_critical(n, alpha)
    label = f"{what}: " if what else ""
    assert low + crit * se < mean < high - crit * se, (
        f"{label}mean {mean:.6g} not significantly inside ({low:.6g}, {high:.6g}): "
        f"t = {(mean - low) / se:+.2f} above the low bound, {(high - mean) / se:+.2f} below "
        f"the high one, both must exceed {crit:.2f} (n = {n}, α = {alpha:g})"
    )


def relaxation_time(lanes: int, load: float, mean_service: float, scv: float = 1.0) -> float:
    """The time over which a queue forgets its state: the heavy-traffic relaxation time
    E[S] / (c (1 − √ρ)²) of a c-lane queue at load ρ (Morse's M/M/1 formula 1/(μ(1 − √ρ)²)
    with the pooled service rate cμ), times (1 + c_s²)/2 for a service with squared
    coefficient of variation ``scv`` (the variability factor of the heavy-traffic limit).

    The statistical tests size runs in these units: a warm-up of 10 relaxation times leaves
    e^{-10} ≈ 5·10⁻⁵ of the empty start's bias, and a run of 50 averages enough independent
    stretches that each replication's mean is close to normal, while the end effects, which
    shrink like 1/run (tests/test_theory.py), stay far below a powered test's standard
    error."""
    return (1 + scv) / 2 * mean_service / (lanes * (1 - math.sqrt(load)) ** 2)


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


def visit_rows(records: Records) -> list[Row]:
    """Every visit row of a replication's records."""
    table = records.visit_table()
    return [
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


def event_log(data: dict[str, Any]) -> tuple[list[Row], list[tuple[str, float]]]:
    """Every visit row, and each entity's (flow, arrival), of replication 0 of a scenario
    given as plain data."""
    records = records_of(scenario_from_dict(data), 0, 0)
    entities = [
        (records.flow_names[flow], float(arrival))
        for flow, arrival in zip(records.entity_flow, records.entity_arrival, strict=True)
    ]
    return visit_rows(records), entities


def const(value: float | str) -> dict[str, Any]:
    """A constant time distribution."""
    return {"dist": "constant", "value": value}
