"""``portsim fit times``: the families recover the distributions samples were drawn from
(family and parameters, at 200 and 2,000 times), the parametric bootstrap rejects a right
family at its nominal rate, the seed fixes the p-values, and the YAML pastes into a scenario
as the fitted distribution."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from portsim.fit import EMPIRICAL, MIN_POINTS, DataError, fit_times
from portsim.fit.bootstrap import LEVEL, bootstrap_p_value, rejects, round_to
from portsim.fit.families import fit_family
from portsim.fit.times import resolution_of
from portsim.scenario import Empirical, Exponential, Gamma, LogNormal, Weibull, scenario_from_dict
from portsim.scenario.yaml_io import load_yaml

#: the lognormal of mean 40 s and cv 0.6: log-mean and log-sd
SIGMA = math.sqrt(math.log1p(0.36))
MU = math.log(40.0) - SIGMA**2 / 2
#: each true distribution: (family, its mean in seconds, its cv, how it draws n times)
TRUE = {
    "exponential": (40.0, 1.0, lambda rng, n: rng.exponential(40.0, n)),
    "gamma": (40.0, 0.6, lambda rng, n: rng.gamma(1 / 0.36, 40.0 * 0.36, n)),
    "lognormal": (
        40.0,
        0.6,
        lambda rng, n: rng.lognormal(MU, SIGMA, n),
    ),
    # shape 2: mean = scale Γ(1.5), cv = sqrt(Γ(2)/Γ(1.5)² − 1)
    "weibull": (
        30.0 * math.gamma(1.5),
        math.sqrt(1 / math.gamma(1.5) ** 2 - 1),
        lambda rng, n: 30.0 * rng.weibull(2.0, n),
    ),
}
#: few bootstrap samples: these tests are about the fits, not the p-values
ROUNDS = 19


def _sample(family: str, n: int) -> np.ndarray:
    rng = np.random.default_rng(np.random.SeedSequence(26, spawn_key=(list(TRUE).index(family), n)))
    return TRUE[family][2](rng, n)


def _cv_tolerance(cv: float, n: int) -> float:
    """Five standard errors of a sample's cv (the normal approximation's
    cv·sqrt((1 + 2cv²)/(2n)))."""
    return 5 * cv * math.sqrt((1 + 2 * cv**2) / (2 * n))


@pytest.mark.parametrize("n", [200, 2000])
@pytest.mark.parametrize("family", list(TRUE))
def test_a_fit_recovers_the_family_and_its_parameters(family: str, n: int) -> None:
    """At 2,000 times the true family is chosen (the exponential, a gamma and a Weibull of
    shape 1, is as good as the best: ΔAIC under 2); at either size its fit and the chosen
    one have the true mean and cv within five standard errors."""
    mean, cv, _ = TRUE[family]
    fit = fit_times(_sample(family, n), rounds=ROUNDS)
    true = fit.fit(family)
    if n == 2000:
        assert fit.chosen == family or (
            family == "exponential" and true.aic - fit.ranking[0].aic < 2
        )
    for fitted in (true, fit.ranking[0]):
        assert abs(fitted.mean - mean) <= 5 * mean * cv / math.sqrt(n)
        assert abs(fitted.cv - cv) <= _cv_tolerance(cv, n)
    # a fit far from the sample is last: the exponential, for a cv far from 1
    if family != "exponential":
        assert fit.ranking[-1].family == "exponential"


@pytest.mark.parametrize("family", list(TRUE))
def test_at_200_times_the_true_family_is_chosen_most_often(family: str) -> None:
    """Across 40 samples of 200 times, the AIC chooses the true family more often than any
    other (a single sample of 200 may choose a neighbour: gamma, lognormal and Weibull of
    cv 0.6 differ little in the body)."""
    rng = np.random.default_rng(np.random.SeedSequence(262, spawn_key=(list(TRUE).index(family),)))
    chosen = []
    for _ in range(40):
        sample = np.sort(TRUE[family][2](rng, 200))
        fits = [fit_family(name, sample) for name in TRUE]
        chosen.append(min(fits, key=lambda f: f.aic).family)
    counts = {name: chosen.count(name) for name in TRUE}
    assert max(counts, key=lambda name: counts[name]) == family, counts


def test_the_aic_is_two_parameters_less_twice_the_log_likelihood() -> None:
    sample = np.sort(_sample("gamma", 200))
    fit = fit_family("gamma", sample)
    shape, scale = fit.params
    log_likelihood = float(np.sum(stats.gamma.logpdf(sample, shape, scale=scale)))
    assert fit.log_likelihood == pytest.approx(log_likelihood)
    assert fit.aic == pytest.approx(4 - 2 * log_likelihood)
    expected = stats.kstest(sample, stats.gamma(shape, scale=scale).cdf).statistic
    assert fit.ks == pytest.approx(expected)


@pytest.mark.slow
def test_the_bootstrap_rejects_a_right_family_at_its_nominal_rate() -> None:
    """200 samples of 50 times from a gamma, each fitted and tested at 5 % with 99 bootstrap
    samples by the product's own rule (:func:`rejects`, p ≤ 0.05): the rejections are
    binomial(200, 0.05) (the p-value is uniform on the grid 1/100, …, 1 under the fitted
    family, and 5 of its 100 points are at or under 0.05), within its two-sided 99.9 %
    interval."""
    rng = np.random.default_rng(np.random.SeedSequence(2605))
    trials, rejected = 200, 0
    for trial in range(trials):
        sample = np.sort(rng.gamma(2.0, 20.0, 50))
        fit = fit_family("gamma", sample)
        rejected += rejects(bootstrap_p_value(fit, len(sample), 99, seed=trial))
    low, high = stats.binom.interval(0.999, trials, LEVEL)
    assert low <= rejected <= high


@pytest.mark.slow
def test_times_logged_to_the_second_are_rejected_at_the_nominal_rate() -> None:
    """200 samples of 100 gamma times (mean 10 s, cv 0.4) rounded to whole seconds, as a
    counter's log writes them (about 15 distinct values: ties everywhere): the resolution is
    found (1 s), the bootstrap rounds its samples to it, and the right family is rejected at
    the nominal 5 % by the product's rule (binomial(200, 0.05), its 99.9 % interval).
    Drawing the bootstrap unrounded, 12 of 30 such samples were rejected (40 %; at 400
    times, all)."""
    rng = np.random.default_rng(np.random.SeedSequence(2606))
    trials, rejected = 200, 0
    for trial in range(trials):
        logged = np.round(rng.gamma(1 / 0.16, 10 * 0.16, 100))
        step = resolution_of(logged)
        assert step == 1.0
        sample = np.sort(round_to(logged, step))
        fit = fit_family("gamma", sample)
        rejected += rejects(bootstrap_p_value(fit, len(sample), 99, seed=trial, resolution=step))
    low, high = stats.binom.interval(0.999, trials, LEVEL)
    assert low <= rejected <= high


def test_the_reviewed_counter_log_to_the_second_keeps_its_gamma() -> None:
    """The review's case: 400 gamma times (mean 10 s, cv 0.4) rounded to whole seconds.
    Before, gamma, lognormal and Weibull all had p = 0.010; now the gamma is chosen and not
    rejected, and the exponential still is."""
    logged = np.round(np.random.default_rng(1).gamma(1 / 0.16, 1.6, 400))
    fit = fit_times(logged, rounds=99)
    assert fit.resolution == 1.0
    assert fit.chosen == "gamma"
    assert not rejects(fit.p_values["gamma"])
    assert rejects(fit.p_values["exponential"])
    assert not any("rejects" in note for note in fit.notes)
    assert fit.to_json()["bootstrap"]["resolution_s"] == 1.0


def test_the_resolution_is_the_greatest_common_step() -> None:
    """Whole seconds → 1 s, tenths → 0.1 s, half seconds → 0.5 s, minutes → 60 s, times to
    the microsecond → 0 (exact)."""
    assert resolution_of(np.array([3.0, 7.0, 12.0, 0.0])) == 1.0
    assert resolution_of(np.array([1.5, 2.3, 10.0])) == pytest.approx(0.1)
    assert resolution_of(np.array([1.5, 2.0, 10.5])) == 0.5
    assert resolution_of(np.array([0.1, 0.7, 1.2]) * 60) == pytest.approx(6.0)
    assert resolution_of(np.array([60.0, 120.0, 300.0])) == 60.0
    assert resolution_of(np.array([1.000001, 2.5, 3.25])) == 0.0


def test_a_zero_at_a_resolution_is_a_quarter_of_it() -> None:
    """A time logged as 0 at 1 s was under 0.5 s: it is read as 0.25 s (and said), in the
    data and in every bootstrap sample; without a resolution, a 0 is refused."""
    times = [0, 0, 1, 1, 2, 1, 3, 2, 1, 4, 2, 1]
    fit = fit_times(times, rounds=19)
    assert fit.resolution == 1.0
    assert list(fit.sample[:2]) == [0.25, 0.25]
    assert fit.notes[0] == "2 times of 0 read as 0.25s (logged to 1s, a 0 was under 0.5s)"
    assert list(round_to(np.array([0.2, 0.6, 1.49, 2.51]), 1.0)) == [0.25, 1.0, 1.0, 3.0]
    with pytest.raises(DataError, match="a time of 0 with times not logged to a step"):
        fit_times([0.0, *np.linspace(1.0001, 9.0003, 11)], rounds=19)
    exact = fit_times([0.3, *np.linspace(1, 9, 11)], rounds=19, resolution=0)
    assert exact.resolution == 0
    assert exact.sample[0] == 0.3


def test_the_rule_is_p_at_or_under_five_percent_and_nineteen_rounds_can_reject() -> None:
    """One rule: p ≤ 0.05 rejects. With 19 rounds the smallest p is 1/20 = 0.05, which
    rejects (the exponential on 400 lognormal times); fewer than 19 could never reject and
    are refused."""
    assert all(rejects(p) for p in (0.05, 1 / 20, 5 / 100, 10 / 200))
    assert not any(rejects(p) for p in (0.0501, 2 / 20))
    fit = fit_times(_sample("lognormal", 400), rounds=19, family="exponential")
    assert fit.p_values["exponential"] == pytest.approx(1 / 20)
    assert fit.notes[-1].startswith("the bootstrap rejects exponential at 5 % (p = 0.050)")
    assert fit.to_json()["ranking"][-2]["rejected"] is True  # the exponential ranks last
    with pytest.raises(DataError, match="18 bootstrap samples: at least 19 are needed"):
        fit_times(_sample("lognormal", 400), rounds=18)


def test_the_bootstrap_rejects_a_wrong_family() -> None:
    """2,000 lognormal times (cv 0.6) are not exponential, and their bootstrap says so."""
    fit = fit_times(_sample("lognormal", 2000), rounds=ROUNDS)
    assert fit.p_values["exponential"] == pytest.approx(1 / (ROUNDS + 1))


def test_the_seed_fixes_the_p_values() -> None:
    sample = _sample("gamma", 200)
    one, two = fit_times(sample, rounds=39, seed=3), fit_times(sample, rounds=39, seed=3)
    assert one.p_values == two.p_values
    other = fit_times(sample, rounds=39, seed=4)
    assert other.p_values != one.p_values
    # every p-value is on the grid (b + 1)/(rounds + 1)
    for p in one.p_values.values():
        assert (p * 40) == pytest.approx(round(p * 40))


@pytest.mark.parametrize("family", ["exponential", "gamma", "lognormal", "weibull"])
def test_the_yaml_pastes_into_a_lane_group_as_the_fitted_distribution(family: str) -> None:
    fit = fit_times(_sample(family, 2000), rounds=ROUNDS, family=family)
    service = load_yaml(fit.yaml())["service"]
    scenario = scenario_from_dict({
        "name": "pasted",
        "horizon": "1h",
        "flows": [{"name": "a", "arrivals": {"rate": "60/h"}, "route": ["s"]}],
        "stages": [{"name": "s", "lanes": [{"name": "l", "count": 1, "service": service}]}],
    })  # fmt: skip
    pasted = scenario.stage("s").group("l").service
    kinds = {"exponential": Exponential, "gamma": Gamma, "lognormal": LogNormal, "weibull": Weibull}
    kind = kinds[family]
    assert isinstance(pasted, kind)
    assert pasted.mean == pytest.approx(fit.fit(family).mean, abs=0.005)  # to 0.01 s
    assert math.sqrt(pasted.variance) / pasted.mean == pytest.approx(fit.fit(family).cv, abs=5e-4)
    chosen = fit.to_json()["chosen"]
    assert chosen["dist"] == family
    assert chosen["mean"] == pytest.approx(fit.fit(family).mean)


def test_a_weibull_fit_pastes_as_a_weibull_of_the_fitted_shape_and_scale() -> None:
    """2,000 Weibull times (shape 2, scale 30 s): the Weibull is chosen, pasted as
    ``{dist: weibull, mean, cv}``, and the pasted distribution has the fitted shape and scale
    (the shape from the cv, the scale from the mean), with no note."""
    fit = fit_times(_sample("weibull", 2000), rounds=ROUNDS)
    assert fit.chosen == "weibull"
    assert isinstance(fit.distribution, Weibull)
    shape, scale = fit.fit("weibull").params
    assert fit.distribution.shape == pytest.approx(shape, rel=1e-6)
    assert fit.distribution.scale == pytest.approx(scale, rel=1e-6)
    assert fit.yaml().startswith("service: {dist: weibull, mean: ")
    assert fit.notes == ()
    rows = {row["family"]: row for row in fit.to_json()["ranking"]}
    assert rows["weibull"]["in_scenario_format"] is True
    assert rows[EMPIRICAL]["aic"] is None


def test_the_empirical_family_pastes_the_observed_times() -> None:
    sample = _sample("gamma", 200)
    fit = fit_times(sample, rounds=ROUNDS, family=EMPIRICAL)
    assert isinstance(fit.distribution, Empirical)
    assert fit.distribution.values == tuple(np.sort(sample))
    pasted = load_yaml(fit.yaml())["service"]
    assert pasted["dist"] == "empirical"
    assert len(pasted["values"]) == 200
    assert fit.to_json()["chosen"]["mean"] == pytest.approx(float(np.mean(sample)))


def test_at_least_ten_times_are_needed() -> None:
    times = list(np.linspace(10, 100, MIN_POINTS))
    assert MIN_POINTS == 10
    assert fit_times(times, rounds=ROUNDS).size == MIN_POINTS
    with pytest.raises(DataError, match="9 times: at least 10 are needed to choose a family"):
        fit_times(times[:-1], rounds=ROUNDS)
    with pytest.raises(DataError, match=r"every time is 5s: write \{dist: constant\}"):
        fit_times([5.0] * 12, rounds=ROUNDS)
    with pytest.raises(DataError, match="no family 'normal'"):
        fit_times(times, family="normal")
