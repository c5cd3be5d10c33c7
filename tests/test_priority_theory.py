"""Priority in a queue against theory and against Ciw: non-pre-emptive priority M/M/1 and
M/M/c mean waits by class (Cobham's formula, :mod:`portsim.theory`) by two-sided Student-t
tests at α = 0.001 (split over the classes of one claim), and Ciw's own priority classes as
an independent judge of the same M/M/c (a two-sample Welch test per class).

Runs are sized as in tests/test_theory.py, in relaxation times τ of the whole queue (its
work does not depend on the order of service): a warm-up of 10 τ and 100 τ observed. The
lowest class waits longest and longest-tailed, so its end effects (visits not started by
the horizon are not counted, always towards shorter waits) are the largest; over 100 τ they
stay a small fraction of the standard error of the replications here.
"""

from __future__ import annotations

import math
from typing import Any

import ciw  # the judge of priorities: the test extra
import numpy as np
import pytest
from scipy import stats

from portsim import scenario_from_dict, simulate
from portsim.theory import (
    cobham_wait_means,
    mg1_priority_wait_means,
    mmc_priority_wait_means,
    mmc_wait_mean,
)

from .helpers import ALPHA, POWERED, assert_mean_matches, exponential, per_replication
from .helpers import relaxation_time as relaxation


def test_cobham_against_hand_values() -> None:
    """M/M/1, μ = 1, λ = 0.2 (first) and 0.3: W0 = ρ/μ = 0.5, σ1 = 0.2, σ2 = 0.5, so W1 =
    0.5/(1 × 0.8) = 0.625 and W2 = 0.5/(0.8 × 0.5) = 1.25; their mean weighted by λ is 1, the
    FIFO M/M/1 wait ρ/(μ − λ) (the conservation law).

    M/M/2, μ = 1, λ = 0.5 and 0.5: a = 1, Erlang B(2, 1) = (1/2)/(1 + 1 + 1/2) = 0.2,
    C = B/(1 − ρ + ρB) = 0.2/0.6 = 1/3, W0 = C/(cμ) = 1/6, σ1 = 0.25, σ2 = 0.5: W1 =
    (1/6)/0.75 = 2/9 and W2 = (1/6)/(0.75 × 0.5) = 4/9, mean 1/3 = C/(cμ − λ)."""
    assert mmc_priority_wait_means([0.2, 0.3], 1.0, 1) == pytest.approx((0.625, 1.25))
    assert mg1_priority_wait_means([0.2, 0.3], [1.0, 1.0], [2.0, 2.0]) == pytest.approx(
        (0.625, 1.25)
    )
    assert mmc_priority_wait_means([0.5, 0.5], 1.0, 2) == pytest.approx((2 / 9, 4 / 9))
    assert mmc_wait_mean(1.0, 1.0, 2) == pytest.approx(1 / 3)
    # one class is the FIFO queue
    assert mmc_priority_wait_means([2.1], 1.0, 3) == pytest.approx((mmc_wait_mean(2.1, 1.0, 3),))
    # M/D/1 (E[S²] = 1): W0 = (0.3 + 0.4)/2 = 0.35, σ = 0.3, 0.7
    assert mg1_priority_wait_means([0.3, 0.4], [1, 1], [1, 1]) == pytest.approx(
        (0.35 / 0.7, 0.35 / (0.7 * 0.3))
    )
    with pytest.raises(ValueError, match="below 1"):
        cobham_wait_means(1.0, [0.5, 0.5])


def priority_port(
    rates: dict[str, float | tuple[float, int | None]],
    lanes: int,
    *,
    horizon: float,
    warmup: float,
    replications: int,
    seed: int = 0,
) -> dict[str, Any]:
    """One exponential stage (mean 1 s) fed by a Poisson flow per class: ``name: (rate,
    priority)``."""
    flows = []
    for name, value in rates.items():
        rate, priority = value if isinstance(value, tuple) else (value, None)
        flow: dict[str, Any] = {"name": name, "arrivals": {"rate": rate}, "route": ["check"]}
        if priority is not None:
            flow["priority"] = priority
        flows.append(flow)
    return {
        "name": "priority M/M/c",
        "horizon": horizon,
        "warmup": warmup,
        "replications": replications,
        "seed": seed,
        "flows": flows,
        "stages": [
            {
                "name": "check",
                "lanes": [{"name": "lanes", "count": lanes, "service": exponential(1.0)}],
            }
        ],
    }


def _waits_by_class(data: dict[str, Any]) -> dict[str, np.ndarray]:
    result = simulate(scenario_from_dict(data))
    return {
        flow["name"]: per_replication(result, "flows", flow["name"], "wait_mean_s")
        for flow in data["flows"]
    }


@pytest.mark.parametrize(
    ("lanes", "rates"),
    [
        (1, {"crew": (0.2, 0), "others": (0.4, 1)}),
        (3, {"crew": (0.3, 0), "elderly": (0.6, 4), "others": 1.2}),
    ],
    ids=["M/M/1 at 0.6, two classes", "M/M/3 at 0.7, two levels and none"],
)
def test_mean_waits_by_class_match_cobham(
    lanes: int, rates: dict[str, float | tuple[float, int | None]]
) -> None:
    """The classes in the order served (those with no priority last); each class's mean wait
    over POWERED replications against Cobham's, at α/k for k classes."""
    total = sum(v[0] if isinstance(v, tuple) else v for v in rates.values())
    tau = relaxation(lanes, total / lanes, 1.0)  # 20 s and 12.5 s
    data = priority_port(
        rates, lanes, horizon=110 * tau, warmup=10 * tau, replications=POWERED, seed=7
    )
    waits = _waits_by_class(data)
    expected = mmc_priority_wait_means(
        [v[0] if isinstance(v, tuple) else v for v in rates.values()], 1.0, lanes
    )
    for (name, values), exact in zip(waits.items(), expected, strict=True):
        assert_mean_matches(values, exact, alpha=ALPHA / len(rates), what=f"{name} wait")


def _ciw_waits(
    rates: dict[str, float], lanes: int, *, horizon: float, warmup: float, replications: int
) -> dict[str, np.ndarray]:
    """Ciw's mean wait by class in each replication, the classes served in the order given
    (Ciw's non-pre-emptive priority classes: 0 first)."""
    network = ciw.create_network(
        arrival_distributions={c: [ciw.dists.Exponential(rate=r)] for c, r in rates.items()},
        service_distributions={c: [ciw.dists.Exponential(rate=1.0)] for c in rates},
        number_of_servers=[lanes],
        priority_classes={c: level for level, c in enumerate(rates)},
    )
    out: dict[str, list[float]] = {c: [] for c in rates}
    for replication in range(replications):
        ciw.seed(replication)
        simulation = ciw.Simulation(network)
        simulation.simulate_until_max_time(horizon)
        waits: dict[str, list[float]] = {c: [] for c in rates}
        for record in simulation.get_all_records():
            if record.arrival_date >= warmup:
                waits[record.customer_class].append(record.waiting_time)
        for c in rates:
            out[c].append(math.fsum(waits[c]) / len(waits[c]))
    return {c: np.asarray(v) for c, v in out.items()}


def test_ciw_judges_the_mean_waits_by_class_of_a_priority_m_m_3() -> None:
    """M/M/3 at 0.7, crew first (0.3/s), then the rest (1.8/s): per class, portsim's and
    Ciw's replication means do not differ (Welch's two-sample t-test, α/2 each), and Ciw's
    agree with Cobham as portsim's do (so the judge judges the right queue)."""
    rates = {"crew": 0.3, "others": 1.8}
    lanes = 3
    tau = relaxation(lanes, 0.7, 1.0)
    horizon, warmup, n = 110 * tau, 10 * tau, 60
    ours = _waits_by_class(
        priority_port(
            {"crew": (0.3, 0), "others": (1.8, 1)},
            lanes,
            horizon=horizon,
            warmup=warmup,
            replications=n,
            seed=11,
        )
    )
    theirs = _ciw_waits(rates, lanes, horizon=horizon, warmup=warmup, replications=n)
    expected = mmc_priority_wait_means(list(rates.values()), 1.0, lanes)
    for name, exact in zip(rates, expected, strict=True):
        test = stats.ttest_ind(ours[name], theirs[name], equal_var=False)
        assert test.pvalue > ALPHA / 2, (name, ours[name].mean(), theirs[name].mean())
        assert_mean_matches(theirs[name], exact, alpha=ALPHA / 2, what=f"Ciw's {name} wait")
