"""Distributions: samples agree with the analytic mean and variance; parsing of units."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from portsim import (
    Constant,
    Empirical,
    Exponential,
    Gamma,
    LogNormal,
    Triangular,
    Uniform,
    Weibull,
)
from portsim.scenario.distributions import Distribution
from portsim.units import parse_duration, parse_rate

from .strategies import distributions

CASES = [
    Exponential(mean=45.0),
    Constant(value=12.0),
    LogNormal(mean=12.0, cv=0.4),
    Gamma(mean=360.0, cv=0.5),
    Weibull(mean=40.0, cv=0.6),
    Weibull(mean=40.0, cv=1.8),
    Uniform(low=60.0, high=240.0),
    Triangular(low=10.0, mode=20.0, high=60.0),
    Empirical(values=(30.0, 45.0, 45.0, 120.0)),
]


@pytest.mark.parametrize("dist", CASES, ids=lambda d: d.dist)
def test_sample_moments_match_the_analytic_ones(dist: object) -> None:
    n = 400_000
    rng = np.random.default_rng(2024)
    sample = dist.sample(rng, n)  # type: ignore[attr-defined]
    mean, variance = dist.mean, dist.variance  # type: ignore[attr-defined]
    assert sample.shape == (n,)
    assert np.all(sample >= 0)
    se_mean = math.sqrt(variance / n)
    assert abs(sample.mean() - mean) <= 4 * se_mean + 1e-12
    if variance > 0:
        # the sample variance's standard error, from the fourth moment of the sample
        fourth = float(np.mean((sample - sample.mean()) ** 4))
        se_var = math.sqrt(max(fourth - variance**2, 0.0) / n)
        assert abs(sample.var() - variance) <= 4 * se_var
    else:
        assert sample.var() == 0


@pytest.mark.parametrize("dist", CASES, ids=lambda d: d.dist)
def test_one_draw_is_a_float(dist: object) -> None:
    value = dist.sample(np.random.default_rng(1))  # type: ignore[attr-defined]
    assert isinstance(value, float)


@given(distributions())
def test_parsed_distributions_have_finite_non_negative_moments(data: dict) -> None:
    dist = TypeAdapter(Distribution).validate_python(data)
    assert dist.mean >= 0
    assert math.isfinite(dist.mean)
    assert dist.variance >= 0
    assert math.isfinite(dist.variance)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        (90, 90.0),
        (2.5, 2.5),
        ("90s", 90.0),
        ("2.5min", 150.0),
        ("8h", 28_800.0),
        ("1d", 86_400.0),
        (" 3 min ", 180.0),
        ("1e3s", 1000.0),
        (".5h", 1800.0),
    ],
)
def test_durations(text: object, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["90", "5 m", "minutes", "1h30min", True, None, [1]])
def test_bad_durations(bad: object) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(bad)


@pytest.mark.parametrize(
    ("text", "per_second"),
    [(0.5, 0.5), ("1800/h", 0.5), ("30/min", 0.5), ("43200/d", 0.5), ("2 / s", 2.0)],
)
def test_rates(text: object, per_second: float) -> None:
    assert parse_rate(text) == pytest.approx(per_second)


def test_a_number_written_as_text_is_told_to_take_a_unit() -> None:
    with pytest.raises(ValueError, match=r"'90' has no unit: write the duration as 90s, 90min"):
        parse_duration("90")
    with pytest.raises(ValueError, match=r"'1800' has no unit: write the rate as 1800/h, 1800"):
        parse_rate("1800")


@pytest.mark.parametrize("bad", ["1800", "1800 per hour", "3/week", False])
def test_bad_rates(bad: object) -> None:
    with pytest.raises(ValueError, match="rate"):
        parse_rate(bad)


@given(st.floats(min_value=0.001, max_value=1e6), st.sampled_from(["s", "min", "h", "d"]))
def test_a_duration_with_a_unit_is_that_many_units(value: float, unit: str) -> None:
    factor = {"s": 1, "min": 60, "h": 3600, "d": 86400}[unit]
    assert parse_duration(f"{value!r}{unit}") == pytest.approx(value * factor)


@pytest.mark.parametrize("cv", [0.2, 0.6, 1.0, 1.8])
def test_a_weibull_draws_its_mean_and_cv(cv: float) -> None:
    """Forty independent batches of 5,000 Weibull draws: each batch's mean and cv, held
    against the analytic mean and cv by a Student-t test (the cv of a batch is a slightly
    biased estimate, of order cv/n, far below the test's resolution at n = 5,000)."""
    from .test_batch_theory import assert_student_t  # noqa: PLC0415

    dist = Weibull(mean=40.0, cv=cv)
    root = np.random.SeedSequence(25)
    batches = [dist.sample(np.random.default_rng(child), 5000) for child in root.spawn(40)]
    assert_student_t(np.array([b.mean() for b in batches]), 40.0)
    assert_student_t(np.array([b.std() / b.mean() for b in batches]), cv)


def test_a_weibull_of_cv_one_is_the_exponential() -> None:
    """Shape 1 (the exponential) has cv 1; the shape for a cv has that cv exactly, by the
    gamma function (hand values: shape 2 has cv sqrt(4/π − 1) = 0.5227)."""
    assert Weibull(mean=30.0, cv=1.0).shape == pytest.approx(1.0, rel=1e-12)
    assert Weibull(mean=30.0, cv=1.0).scale == pytest.approx(30.0, rel=1e-12)
    two = Weibull(mean=30.0 * math.gamma(1.5), cv=math.sqrt(4 / math.pi - 1))
    assert two.shape == pytest.approx(2.0, rel=1e-12)
    assert two.scale == pytest.approx(30.0, rel=1e-12)


def test_a_weibull_reads_from_a_file_and_shows_as_a_weibull() -> None:
    """``{dist: weibull, mean, cv}`` loads, and the words of ``portsim show`` name it."""
    from portsim.report.describe import describe_distribution  # noqa: PLC0415

    dist = TypeAdapter(Distribution).validate_python({"dist": "weibull", "mean": "40s", "cv": 0.6})
    assert dist == Weibull(mean=40.0, cv=0.6)
    assert describe_distribution(dist) == "Weibull, mean 40.0 s, cv 0.6"
    from portsim import scenario_from_dict  # noqa: PLC0415
    from portsim.report.show import format_show  # noqa: PLC0415

    scenario = scenario_from_dict({
        "name": "w", "horizon": "1h",
        "flows": [{"name": "f", "arrivals": {"rate": "60/h"}, "route": ["desk"]}],
        "stages": [{"name": "desk", "lanes": [{"name": "one", "count": 1, "service": {
            "dist": "weibull", "mean": "40s", "cv": 0.6}}]}],
    })  # fmt: skip
    assert "  one: 1 lanes; service weibull (mean 40.0 s, cv 0.6)" in format_show(scenario)
