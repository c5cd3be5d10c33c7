"""The engine against closed forms of queueing theory.

Each statistical check is a two-sided Student-t test at level ``ALPHA`` = 0.001 of the
per-replication values against the formula (``assert_mean_matches`` in tests/helpers.py).
Cheap cases run ``POWERED`` (177) replications, enough that a bias of one standard error of a
usual ten-replication run of the same length fails with 80 % probability; a loop of k checks
that makes one claim splits the level, α/k each, with the replications that keep the power.
Runs are sized in relaxation times τ of their slowest queue (``relaxation_time``): a warm-up
of 10 τ leaves e^-10 of the empty start's bias, and 50 τ observed make each replication's mean
close to normal. The end effects left shrink like 1/run, the standard error only like
1/√run: a mean over the visits whose service started by the horizon is low by Var(W)/run,
and a ratio of two random sums (waits over visits) by about (dE[W]/dλ)/run. For the M/M/10
at 0.9, Var(W) = C(2 − C)/(cμ − λ)² ≈ 0.89 s² and dE[W]/dλ ≈ 0.96 s², together some
10⁻³ s over its 1,900 s run: a tenth of a per cent of its 0.67 s mean wait, far below the
standard error of 177 replications of that run. Lighter loads leave a larger share: for an
M/M/1 at load ρ over k τ the end effects are (1 + 2ρ − ρ²)(1 − √ρ)√(177/k) /
√(2 + 5ρ − 4ρ² + ρ³) standard errors (from the asymptotic variance of its mean wait,
ρ(2 + 5ρ − 4ρ² + ρ³)/(μ²(1 − ρ)⁴) per traveller),
0.1 at 0.9, 0.2 at 0.8 and 0.3 at 0.7 over 50 τ. Such a shift, always towards shorter
waits, raises the chance of a false failure from 0.1 % to at most about 0.15 %; the per-flow
mixture of tests/test_lanes.py, at 0.66, runs 150 τ to stay at 0.2.

Identities (Little's law between two measurements of one run) keep relative tolerances.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from portsim import scenario_from_dict, simulate
from portsim.scenario.distributions import Gamma, LogNormal
from portsim.theory import erlang_c, mmc_wait_mean, pk_wait_mean, second_moment

from .helpers import (
    ALPHA,
    POWERED,
    assert_mean_matches,
    exponential,
    per_replication,
    relaxation_time,
    replications_for_power,
    scenario,
    stage,
)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lanes", "rho"),
    [(3, 0.7), (10, 0.9)],
    ids=["M/M/3 at 0.7", "M/M/10 at 0.9"],
)
def test_mmc_matches_erlang_c(lanes: int, rho: float) -> None:
    mean_service = 1.0
    rate = rho * lanes / mean_service
    tau = relaxation_time(lanes, rho, mean_service)  # 12.5 s and 38 s
    s = scenario(
        rate=rate,
        route=["check"],
        stages=[stage("check", lanes, exponential(mean_service))],
        horizon=60 * tau,
        warmup=10 * tau,
        replications=POWERED,
    )
    result = simulate(s)
    waits = per_replication(result, "stages", "check", "wait_mean_s")
    assert_mean_matches(waits, mmc_wait_mean(rate, mean_service, lanes), what="mean wait")
    # the probability of waiting, from the records, against Erlang C
    p_wait = []
    for rec in result.records:
        counted = rec.entity_arrival[rec.visit_entity] >= s.warmup
        started = counted & ~np.isnan(rec.visit_start)
        p_wait.append(float((rec.visit_wait[started] > 0).mean()))
    assert_mean_matches(p_wait, erlang_c(lanes, rate * mean_service), what="P(wait)")
    # utilisation is the offered load per lane (busy lane-time has no end effect: it is
    # measured over the observed window itself)
    util = per_replication(result, "stages", "check", "utilization")
    assert_mean_matches(util, rho, what="utilisation")


@pytest.mark.slow
@pytest.mark.parametrize(
    "service",
    [Gamma(mean=1.0, cv=0.5), LogNormal(mean=1.0, cv=1.5)],
    ids=["M/G/1 gamma cv 0.5", "M/G/1 lognormal cv 1.5"],
)
def test_mg1_matches_pollaczek_khinchine(service: Gamma | LogNormal) -> None:
    rate = 0.8
    dist = {"dist": service.dist, "mean": service.mean, "cv": service.cv}
    # 56 s for the gamma, 146 s for the lognormal, whose heavy tail keeps the queue longer
    tau = relaxation_time(1, rate * service.mean, service.mean, scv=service.cv**2)
    s = scenario(
        rate=rate,
        route=["check"],
        stages=[stage("check", 1, dist)],
        horizon=60 * tau,
        warmup=10 * tau,
        replications=POWERED,
    )
    waits = per_replication(simulate(s), "stages", "check", "wait_mean_s")
    expected = pk_wait_mean(rate, service.mean, second_moment(service))
    assert_mean_matches(waits, expected, what="mean wait")


@pytest.mark.slow
def test_tandem_with_constant_transfer_matches_erlang_c_at_both_stages() -> None:
    """Burke: the departures of an M/M/c queue are Poisson, so the second stage is M/M/c too;
    a constant transfer keeps that true and adds exactly its length to the time in port."""
    rate, transfer = 2.4, 30.0
    exit_mean, entry_mean = 1.0, 1.25  # loads 0.8 on 3 lanes and 0.75 on 4
    # the exit stage is the slower to forget its start: 30 s against 17 s
    tau = max(
        relaxation_time(3, rate * exit_mean / 3, exit_mean),
        relaxation_time(4, rate * entry_mean / 4, entry_mean),
    )
    s = scenario(
        rate=rate,
        route=["exit", "entry"],
        stages=[
            stage(
                "exit", 3, exponential(exit_mean), transfer={"dist": "constant", "value": transfer}
            ),
            stage("entry", 4, exponential(entry_mean)),
        ],
        horizon=60 * tau,
        warmup=10 * tau,
        replications=POWERED,
    )
    result = simulate(s)
    w1 = per_replication(result, "stages", "exit", "wait_mean_s")
    w2 = per_replication(result, "stages", "entry", "wait_mean_s")
    expected_exit = mmc_wait_mean(rate, exit_mean, 3)
    expected_entry = mmc_wait_mean(rate, entry_mean, 4)
    assert_mean_matches(w1, expected_exit, what="exit wait")
    assert_mean_matches(w2, expected_entry, what="entry wait")
    # time in port over the travellers who left by the horizon: low by Var(time)/run, a few
    # seconds² over 1,500 s, against a standard error of hundredths of a second
    system = per_replication(result, "overall", "system_time_mean_s")
    expected = expected_exit + exit_mean + transfer + expected_entry + entry_mean
    assert_mean_matches(system, expected, what="time in port")


@pytest.mark.slow
def test_probabilistic_branch_sees_thinned_poisson_arrivals() -> None:
    """Jackson: a stage visited with probability p sees Poisson(p·λ) (the departures of the
    first stage are Poisson by Burke's theorem, and thinning keeps them Poisson). p is not
    1/2, so that p and 1 − p cannot be confused."""
    rate, p, mean = 2.5, 0.4, 1.5
    # the secondary stage at load p·λ·E[S]/2 = 0.75 is the slow one (42 s; the check, at
    # 0.625 on 4 lanes, relaxes in 6 s)
    tau = relaxation_time(2, p * rate * mean / 2, mean)
    s = scenario(
        rate=rate,
        route=["check", {"stage": "secondary", "p": p}],
        stages=[stage("check", 4, exponential(1.0)), stage("secondary", 2, exponential(mean))],
        horizon=60 * tau,
        warmup=10 * tau,
        replications=POWERED,
    )
    result = simulate(s)
    waits = per_replication(result, "stages", "secondary", "wait_mean_s")
    assert_mean_matches(waits, mmc_wait_mean(p * rate, mean, 2), what="secondary wait")
    # the share routed there, among the travellers whose check ended (the route is decided
    # then; those still at the check at the horizon have no decision yet, and counting them
    # would bias the share low)
    shares = []
    for rec in result.records:
        decided = np.unique(rec.visit_entity[(rec.visit_stage == 0) & ~np.isnan(rec.visit_end)])
        routed = np.unique(rec.visit_entity[rec.visit_stage == 1])
        shares.append(len(routed) / len(decided))
    assert_mean_matches(shares, p, what="share routed")


def test_littles_law_engine_queue_length_against_records() -> None:
    """The engine's time-weighted queue length equals arrival rate × mean wait from the
    records (L = λW), measured independently. An identity on each run, up to the travellers
    who arrived before the warm-up and still wait after it (the counter sees them, the
    records do not count them): well under 1 % of the area over 9,000 s."""
    rate = 8.5
    s = scenario(
        rate=rate,
        route=["check"],
        stages=[stage("check", 10, exponential(1.0))],
        horizon=10_000,
        warmup=1_000,  # 60 relaxation times of this M/M/10 at 0.85 (16 s)
        replications=2,
    )
    result = simulate(s)
    for counters, rec in zip(result.counters, result.records, strict=True):
        counted = rec.entity_arrival[rec.visit_entity] >= s.warmup
        wait = np.where(np.isnan(rec.visit_start), s.horizon, rec.visit_start) - rec.visit_join
        observed_rate = counted.sum() / (s.horizon - s.warmup)
        little = observed_rate * wait[counted].mean()
        assert counters.stage_queue_mean[0] == pytest.approx(little, rel=0.02)


@pytest.mark.slow
def test_daily_profile_hourly_counts_follow_the_weights_with_poisson_dispersion() -> None:
    """Each replication is one day; each hour's count is Poisson with mean
    daily_total × weight / Σ weights, independently of the other hours."""
    profile = [1, 1, 1, 1, 1, 2, 4, 6, 8, 8, 7, 6, 6, 6, 6, 7, 8, 8, 7, 5, 4, 3, 2, 0]
    daily_total = 2_400
    expected = daily_total * np.asarray(profile) / sum(profile)
    busy = expected > 0
    # one claim over the busy hours: α split between them, and the replications that keep
    # 80 % power against a bias of one usual standard error in any one hour; arrivals do not
    # depend on the lanes, which only need to be cheap
    alpha = ALPHA / busy.sum()
    n = replications_for_power(alpha)
    s = scenario_from_dict(
        {
            "name": "profile",
            "horizon": "1d",
            "replications": n,
            "seed": 3,
            "flows": [
                {
                    "name": "visitors",
                    "arrivals": {"daily_total": daily_total, "profile": profile},
                    "route": ["check"],
                }
            ],
            "stages": [stage("check", 10, {"dist": "constant", "value": 1})],
        }
    )
    result = simulate(s)
    counts = np.array(
        [np.bincount((r.entity_arrival // 3600).astype(int), minlength=24) for r in result.records]
    )
    assert counts.shape == (n, 24)
    for hour in range(24):
        if not busy[hour]:
            assert counts[:, hour].sum() == 0
            continue
        assert_mean_matches(counts[:, hour], expected[hour], alpha=alpha, what=f"hour {hour}")
    # Poisson dispersion: variance = mean. Each hour's s²/λ has variance 2/(n − 1) + 1/(λn)
    # (a Poisson's excess kurtosis is 1/λ); the hours are independent, so their average is
    # close to normal with the variance below: a z-test at level α, one assertion. With these
    # replications it detects a dispersion off by 8 % with 80 % power.
    dispersion = counts[:, busy].var(axis=0, ddof=1) / expected[busy]
    variance = np.mean(2 / (n - 1) + 1 / (expected[busy] * n)) / busy.sum()
    z = (dispersion.mean() - 1) / math.sqrt(variance)
    assert abs(z) <= stats.norm.ppf(1 - ALPHA / 2), f"dispersion {dispersion.mean():.4f}, z {z:.2f}"


@pytest.mark.slow
def test_time_varying_arrivals_match_the_infinite_server_formula() -> None:
    """M_t/G/∞: with more lanes than ever busy, the number in service at time t is Poisson
    with mean ∫ λ(u) P(S > t − u) du; with constant service S = d, that is λ-integrated over
    [t − d, t]. Each replication is one day, each count exactly Poisson."""
    profile = [0] * 6 + [10] * 6 + [30] * 6 + [5] * 6
    daily_total = 2_000
    s = scenario_from_dict(
        {
            "name": "mt-g-inf",
            "horizon": "1d",
            "replications": POWERED,
            "flows": [
                {
                    "name": "v",
                    "arrivals": {"daily_total": daily_total, "profile": profile},
                    "route": ["check"],
                }
            ],
            # at most about 74 in service on average at the peak: 200 lanes never all busy
            "stages": [stage("check", 200, {"dist": "constant", "value": "20min"})],
        }
    )
    result = simulate(s)
    rates = [daily_total * w / sum(profile) / 3600 for w in profile]  # per second, by hour
    for t in (12 * 3600 + 600, 18 * 3600 + 900):  # 10 min after a jump in rate: a ramp
        expected = sum(rates[int(u // 3600)] for u in np.arange(t - 1200, t, 1.0))
        in_service = [
            float(((r.visit_start <= t) & (r.visit_end > t)).sum()) for r in result.records
        ]
        assert_mean_matches(in_service, expected, what=f"in service at {t} s")
    # nobody ever waited: the lanes really were "infinite"
    assert all(m["stages"]["check"]["queue_max"] == 0 for m in result.per_replication)
