"""Staff pools against queueing theory, by Student-t tests over replications (the tolerances
of tests/helpers.py).

A pool of c officers that is the only limit of a lane group (more lanes built and planned
than officers, switch 0, Poisson arrivals and exponential service) is an M/M/c queue: the
mean wait is Erlang C's, the probability of waiting Erlang C itself, and the utilisation of
the open lanes the offered load per officer. Two groups of one pool that never ask at once
(their plans alternate by the hour) share the officers as one M/M/c each in its own hours.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from portsim import scenario_from_dict, simulate
from portsim.theory import erlang_c, mmc_wait_mean

from .helpers import POWERED, assert_mean_matches, exponential, per_replication, relaxation_time


def capped(
    officers: int, per_lane: int, rate: float, warmup: float, horizon: float
) -> dict[str, Any]:
    """One hall of 5 desks planned, each taking ``per_lane`` of ``officers`` (too few for
    all five), with no switch time."""
    return {
        "name": "pool caps the desks",
        "horizon": horizon,
        "warmup": warmup,
        "replications": POWERED,
        "seed": 25,
        "staff": [{"name": "officers", "count": officers}],
        "flows": [{"name": "travellers", "arrivals": {"rate": rate}, "route": ["hall"]}],
        "stages": [
            {
                "name": "hall",
                "lanes": [
                    {
                        "name": "desks",
                        "count": 5,
                        "staff": "officers",
                        "staff_per_lane": per_lane,
                        "service": exponential(1),
                    }
                ],
            }
        ],
    }


@pytest.mark.parametrize(
    ("officers", "per_lane"), [(3, 1), (7, 2)], ids=["3 officers", "7 officers, 2 a desk"]
)
def test_a_pool_makes_five_desks_an_m_m_3_queue(officers: int, per_lane: int) -> None:
    """M/M/3 at ρ = 0.7 (λ = 2.1/s, 1 s mean service): τ = 12.5 s; a warm-up of 10 τ and a
    run of 60 τ, as tests/test_theory.py sizes them. Seven officers at two a desk staff three
    desks (the seventh stands idle)."""
    desks, rho = 3, 0.7
    rate = rho * desks
    tau = relaxation_time(desks, rho, 1.0)
    data = capped(officers, per_lane, rate, 10 * tau, 60 * tau)
    result = simulate(scenario_from_dict(data))
    waits = per_replication(result, "stages", "hall", "wait_mean_s")
    assert_mean_matches(waits, mmc_wait_mean(rate, 1.0, desks), what="mean wait")
    p_wait = []
    for rec in result.records:
        counted = rec.entity_arrival[rec.visit_entity] >= 10 * tau
        started = counted & ~np.isnan(rec.visit_start)
        p_wait.append(float((rec.visit_wait[started] > 0).mean()))
        assert rec.visit_lane[started].max() < desks  # desks 3 and 4 never open
    assert_mean_matches(p_wait, erlang_c(desks, rate), what="P(wait)")
    util = per_replication(result, "stages", "hall", "utilization")
    assert_mean_matches(util, rho, what="utilisation")
    # the test can tell: five desks unstaffed-limited wait far less
    with pytest.raises(AssertionError):
        assert_mean_matches(waits, mmc_wait_mean(rate, 1.0, 5), what="M/M/5")
