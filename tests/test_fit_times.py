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
from portsim.fit.bootstrap import bootstrap_p_value
from portsim.fit.families import fit_family
from portsim.scenario import Empirical, Exponential, Gamma, LogNormal, scenario_from_dict
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
    samples: the rejections are binomial(200, 0.05) (the p-value is uniform on the grid
    1/100, …, 1 under the fitted family), within its two-sided 99.9 % interval."""
    rng = np.random.default_rng(np.random.SeedSequence(2605))
    trials, rejected = 200, 0
    for trial in range(trials):
        sample = np.sort(rng.gamma(2.0, 20.0, 50))
        fit = fit_family("gamma", sample)
        rejected += bootstrap_p_value(fit, len(sample), 99, seed=trial) <= 0.05
    low, high = stats.binom.interval(0.999, trials, 0.05)
    assert low <= rejected <= high


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


@pytest.mark.parametrize("family", ["exponential", "gamma", "lognormal"])
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
    kind = {"exponential": Exponential, "gamma": Gamma, "lognormal": LogNormal}[family]
    assert isinstance(pasted, kind)
    assert pasted.mean == pytest.approx(fit.fit(family).mean, abs=0.005)  # to 0.01 s
    assert math.sqrt(pasted.variance) / pasted.mean == pytest.approx(fit.fit(family).cv, abs=5e-4)
    chosen = fit.to_json()["chosen"]
    assert chosen["dist"] == family
    assert chosen["mean"] == pytest.approx(fit.fit(family).mean)


def test_a_weibull_is_ranked_but_the_yaml_is_the_first_family_the_format_has() -> None:
    fit = fit_times(_sample("weibull", 2000), rounds=ROUNDS)
    assert fit.chosen == "weibull"
    pasted = next(f for f in fit.ranking if f.family != "weibull")
    assert fit.distribution.dist == pasted.family
    assert fit.notes[0].startswith(
        f"weibull is not in the scenario format: the YAML is {pasted.family}"
    )
    rows = {row["family"]: row for row in fit.to_json()["ranking"]}
    assert rows["weibull"]["in_scenario_format"] is False
    assert rows[EMPIRICAL]["aic"] is None
    assert rows[EMPIRICAL]["in_scenario_format"] is True


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
