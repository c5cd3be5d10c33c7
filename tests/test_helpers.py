"""The statistical test of tests/helpers.py: its level, its power and its message."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from .helpers import (
    ALPHA,
    POWER,
    POWERED,
    USUAL_REPLICATIONS,
    assert_mean_matches,
    assert_mean_strictly_between,
    detectable_bias,
    power_against_usual_error,
    replications_for_power,
)


def _rejections(samples: np.ndarray, expected: float, alpha: float = ALPHA) -> int:
    """How many rows ``assert_mean_matches`` rejects (vectorised, the same statistic)."""
    n = samples.shape[1]
    t = (samples.mean(axis=1) - expected) / (samples.std(axis=1, ddof=1) / math.sqrt(n))
    return int((np.abs(t) > stats.t.ppf(1 - alpha / 2, n - 1)).sum())


def _binomial_range(trials: int, p: float) -> tuple[float, float]:
    return stats.binom.ppf(ALPHA / 2, trials, p), stats.binom.ppf(1 - ALPHA / 2, trials, p)


def test_powered_replications_follow_the_derivation() -> None:
    n = POWERED
    assert power_against_usual_error(n) >= POWER > power_against_usual_error(n - 1)
    # the normal approximation n ≈ m (t_{1−α/2, n−1} + z_power)² of the docstring
    approx = USUAL_REPLICATIONS * (stats.t.ppf(1 - ALPHA / 2, n - 1) + stats.norm.ppf(POWER)) ** 2
    assert abs(n - approx) <= 2
    assert detectable_bias(n) <= 1 < detectable_bias(n - 10)
    # a stricter level asks for more replications
    assert replications_for_power(ALPHA / 10) > n


def test_level_and_power_on_normal_samples() -> None:
    """Normal replications: the test rejects a true mean with probability α and a mean off by
    one standard error of a usual run with probability POWER."""
    rng = np.random.default_rng(20260101)
    null = rng.normal(0.0, 1.0, size=(20_000, POWERED))
    low, high = _binomial_range(20_000, ALPHA)
    assert low <= _rejections(null, 0.0) <= high
    trials = 4_000
    shifted = rng.normal(1 / math.sqrt(USUAL_REPLICATIONS), 1.0, size=(trials, POWERED))
    low, high = _binomial_range(trials, power_against_usual_error(POWERED))
    assert low <= _rejections(shifted, 0.0) <= high


def test_the_failure_message_says_what_the_test_could_see() -> None:
    values = np.linspace(9.0, 11.0, 50)
    assert_mean_matches(values, 10.0)
    with pytest.raises(AssertionError) as failure:
        assert_mean_matches(values, 10.5, what="mean wait")
    message = str(failure.value)
    for part in ("mean wait", "mean 10", "expected 10.5", "t = -", "n = 50", "detects a bias"):
        assert part in message, part


def test_identical_replications_must_equal_the_expected_value() -> None:
    assert_mean_matches([3.0, 3.0, 3.0], 3.0)
    with pytest.raises(AssertionError, match="all 3 replications gave 3"):
        assert_mean_matches([3.0, 3.0, 3.0], 3.5)


def test_strictly_between_asks_for_significance_on_both_sides() -> None:
    values = np.linspace(9.0, 11.0, 50)
    assert_mean_strictly_between(values, 8.0, 12.0)
    for low, high in ((9.9, 12.0), (8.0, 10.1), (10.5, 12.0)):
        with pytest.raises(AssertionError, match="not significantly inside"):
            assert_mean_strictly_between(values, low, high)
