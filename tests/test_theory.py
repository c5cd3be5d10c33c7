"""The engine against closed forms of queueing theory.

Each test runs several seeded replications after a warm-up and asserts that the mean over the
replications lies within 3 standard errors of the formula (the standard error comes from the
spread between replications), or within a few per cent where the check is an identity.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from portsim import scenario_from_dict, simulate
from portsim.scenario.distributions import Gamma, LogNormal
from portsim.theory import erlang_c, mmc_wait_mean, pk_wait_mean, second_moment

from .helpers import (
    assert_within_standard_errors,
    exponential,
    per_replication,
    scenario,
    stage,
)


@pytest.mark.parametrize(
    ("lanes", "rho"),
    [(3, 0.7), (10, 0.9)],
    ids=["M/M/3 at 0.7", "M/M/10 at 0.9"],
)
def test_mmc_matches_erlang_c(lanes: int, rho: float) -> None:
    mean_service = 1.0
    rate = rho * lanes / mean_service
    s = scenario(
        rate=rate,
        route=["check"],
        stages=[stage("check", lanes, exponential(mean_service))],
        horizon=40_000 if rho >= 0.85 else 20_000,
        warmup=2_000,
        replications=6,
    )
    result = simulate(s)
    waits = per_replication(result, "stages", "check", "wait_mean_s")
    assert_within_standard_errors(waits, mmc_wait_mean(rate, mean_service, lanes))
    # the probability of waiting, from the records, against Erlang C
    p_wait = []
    for rec in result.records:
        counted = rec.entity_arrival[rec.visit_entity] >= s.warmup
        started = counted & ~np.isnan(rec.visit_start)
        p_wait.append(float((rec.visit_wait[started] > 0).mean()))
    assert_within_standard_errors(np.asarray(p_wait), erlang_c(lanes, rate * mean_service))
    # utilisation is the offered load per lane
    util = per_replication(result, "stages", "check", "utilization")
    assert util.mean() == pytest.approx(rho, rel=0.01)


@pytest.mark.parametrize(
    "service",
    [Gamma(mean=1.0, cv=0.5), LogNormal(mean=1.0, cv=1.5)],
    ids=["M/G/1 gamma cv 0.5", "M/G/1 lognormal cv 1.5"],
)
def test_mg1_matches_pollaczek_khinchine(service: Gamma | LogNormal) -> None:
    rate = 0.8
    dist = {"dist": service.dist, "mean": service.mean, "cv": service.cv}
    s = scenario(
        rate=rate,
        route=["check"],
        stages=[stage("check", 1, dist)],
        horizon=60_000,
        warmup=2_000,
        replications=8,
    )
    waits = per_replication(simulate(s), "stages", "check", "wait_mean_s")
    expected = pk_wait_mean(rate, service.mean, second_moment(service))
    assert_within_standard_errors(waits, expected)


def test_tandem_with_constant_transfer_matches_erlang_c_at_both_stages() -> None:
    """Burke: the departures of an M/M/c queue are Poisson, so the second stage is M/M/c too;
    a constant transfer keeps that true and adds exactly its length to the time in port."""
    rate, transfer = 2.4, 30.0
    s = scenario(
        rate=rate,
        route=["exit", "entry"],
        stages=[
            stage("exit", 3, exponential(1.0), transfer={"dist": "constant", "value": transfer}),
            stage("entry", 4, exponential(1.5)),
        ],
        horizon=30_000,
        warmup=2_000,
        replications=6,
    )
    result = simulate(s)
    w1 = per_replication(result, "stages", "exit", "wait_mean_s")
    w2 = per_replication(result, "stages", "entry", "wait_mean_s")
    assert_within_standard_errors(w1, mmc_wait_mean(rate, 1.0, 3))
    assert_within_standard_errors(w2, mmc_wait_mean(rate, 1.5, 4))
    system = per_replication(result, "overall", "system_time_mean_s")
    expected = mmc_wait_mean(rate, 1.0, 3) + 1.0 + transfer + mmc_wait_mean(rate, 1.5, 4) + 1.5
    assert_within_standard_errors(system, expected)


def test_probabilistic_branch_sees_thinned_poisson_arrivals() -> None:
    """Jackson: a stage visited with probability p sees Poisson(p·λ)."""
    rate, p = 4.0, 0.3
    s = scenario(
        rate=rate,
        route=["check", {"stage": "secondary", "p": p}],
        stages=[stage("check", 6, exponential(1.0)), stage("secondary", 2, exponential(1.5))],
        horizon=40_000,
        warmup=2_000,
        replications=6,
    )
    result = simulate(s)
    waits = per_replication(result, "stages", "secondary", "wait_mean_s")
    assert_within_standard_errors(waits, mmc_wait_mean(p * rate, 1.5, 2))
    for rec in result.records:
        share = len(np.unique(rec.visit_entity[rec.visit_stage == 1])) / rec.entities
        assert share == pytest.approx(p, abs=4 * math.sqrt(p * (1 - p) / rec.entities))


def test_littles_law_engine_queue_length_against_records() -> None:
    """The engine's time-weighted queue length equals arrival rate × mean wait from the
    records (L = λW), measured independently."""
    rate = 8.5
    s = scenario(
        rate=rate,
        route=["check"],
        stages=[stage("check", 10, exponential(1.0))],
        horizon=30_000,
        warmup=1_000,
        replications=4,
    )
    result = simulate(s)
    for counters, rec in zip(result.counters, result.records, strict=True):
        counted = rec.entity_arrival[rec.visit_entity] >= s.warmup
        wait = np.where(np.isnan(rec.visit_start), s.horizon, rec.visit_start) - rec.visit_join
        observed_rate = counted.sum() / (s.horizon - s.warmup)
        little = observed_rate * wait[counted].mean()
        assert counters.stage_queue_mean[0] == pytest.approx(little, rel=0.02)


def test_daily_profile_hourly_counts_follow_the_weights_with_poisson_dispersion() -> None:
    profile = [1, 1, 1, 1, 1, 2, 4, 6, 8, 8, 7, 6, 6, 6, 6, 7, 8, 8, 7, 5, 4, 3, 2, 0]
    daily_total = 24_000
    s = scenario_from_dict(
        {
            "name": "profile",
            "horizon": "1d",
            "replications": 40,
            "seed": 3,
            "flows": [
                {
                    "name": "visitors",
                    "arrivals": {"daily_total": daily_total, "profile": profile},
                    "route": ["check"],
                }
            ],
            "stages": [stage("check", 200, {"dist": "constant", "value": 1})],
        }
    )
    result = simulate(s)
    counts = np.array(
        [np.bincount((r.entity_arrival // 3600).astype(int), minlength=24) for r in result.records]
    )
    expected = daily_total * np.asarray(profile) / sum(profile)
    n = counts.shape[0]
    mean = counts.mean(axis=0)
    # each hour's mean count within 3 standard errors of its weight's share
    for hour in range(24):
        if expected[hour] == 0:
            assert counts[:, hour].sum() == 0
            continue
        se = math.sqrt(expected[hour] / n)
        assert abs(mean[hour] - expected[hour]) <= 3.5 * se, hour
    # Poisson dispersion: variance ≈ mean. Pooled over hours, var/mean has standard error
    # about sqrt(2/(n-1)) / sqrt(hours).
    busy = expected > 0
    dispersion = counts[:, busy].var(axis=0, ddof=1) / expected[busy]
    tolerance = 4 * math.sqrt(2 / (n - 1)) / math.sqrt(busy.sum())
    assert dispersion.mean() == pytest.approx(1.0, abs=tolerance)


def test_time_varying_arrivals_match_the_infinite_server_formula() -> None:
    """M_t/G/∞: with more lanes than ever busy, the number in service at time t is Poisson
    with mean ∫ λ(u) P(S > t − u) du; with constant service S = d, that is λ-integrated over
    [t − d, t]."""
    profile = [0] * 6 + [10] * 6 + [30] * 6 + [5] * 6
    s = scenario_from_dict(
        {
            "name": "mt-g-inf",
            "horizon": "1d",
            "replications": 20,
            "flows": [
                {
                    "name": "v",
                    "arrivals": {"daily_total": 10_000, "profile": profile},
                    "route": ["check"],
                }
            ],
            "stages": [stage("check", 500, {"dist": "constant", "value": "20min"})],
        }
    )
    result = simulate(s)
    rates = [10_000 * w / sum(profile) / 3600 for w in profile]  # per second, by hour
    for t in (12 * 3600 + 600, 18 * 3600 + 900):  # 10 min after a jump in rate: a ramp
        expected = sum(rates[int(u // 3600)] for u in np.arange(t - 1200, t, 1.0))
        in_service = [
            float(((r.visit_start <= t) & (r.visit_end > t)).sum()) for r in result.records
        ]
        assert_within_standard_errors(np.asarray(in_service), expected, k=3.5)
    # nobody ever waited: the lanes really were "infinite"
    assert all(m["stages"]["check"]["queue_max"] == 0 for m in result.per_replication)
