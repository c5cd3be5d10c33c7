"""Distributions of times: small frozen objects with ``sample(rng)`` and analytic moments.

Every parameter is a duration, given in a scenario file with a unit (``45s``, ``2.5min``) and
held here in seconds. ``sample(rng)`` draws one value from a :class:`numpy.random.Generator`;
``sample(rng, n)`` draws a block of ``n`` (the engine draws in blocks, which is fast and keeps
common random numbers intact). ``mean`` and ``variance`` are exact, so tests can hold the
simulation against queueing formulas.

================  ==========================  ==========================================
``dist``          parameters                  meaning
================  ==========================  ==========================================
``exponential``   ``mean``                    memoryless; M/M/c service
``constant``      ``value``                   deterministic; draws no random numbers
``lognormal``     ``mean``, ``cv``            right-skewed; ``cv`` = standard deviation / mean
``gamma``         ``mean``, ``cv``            shape ``1/cv²``, scale ``mean·cv²``
``weibull``       ``mean``, ``cv``            shape ``k`` from ``cv``, scale ``mean/Γ(1+1/k)``
``uniform``       ``low``, ``high``           flat on ``[low, high]``
``triangular``    ``low``, ``mode``, ``high`` three-point estimate
``empirical``     ``values``                  each observed value equally likely
================  ==========================  ==========================================
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Annotated, Literal, Protocol, TypeAlias, overload

import numpy as np
from numpy.typing import NDArray
from pydantic import AfterValidator, BeforeValidator, Field

from .fields import STRICT, NonNegativeDuration, PositiveDuration, plain_number

__all__ = [
    "MAX_CV",
    "MIN_CV",
    "Constant",
    "Distribution",
    "Empirical",
    "Exponential",
    "Gamma",
    "LogNormal",
    "TimeDistribution",
    "Triangular",
    "Uniform",
    "Weibull",
    "weibull_shape",
]

#: the least and greatest coefficient of variation of a lognormal or gamma time: below
#: 1e-6 a time does not vary (use ``constant``), above 100 a gamma's shape 1/cv² falls to
#: 1e-4 and almost every draw is zero; within them the parameters, the draws and the
#: moments are finite for every duration a file may give (up to ten years)
MIN_CV = 1e-6
MAX_CV = 100.0


def _cv_range(cv: float) -> float:
    if not MIN_CV <= cv <= MAX_CV:
        raise ValueError(
            f"cv {cv:g} is outside {MIN_CV:g} to {MAX_CV:g}"
            + (": a time that does not vary is dist: constant" if cv < MIN_CV else "")
        )
    return cv


Cv = Annotated[
    float, BeforeValidator(plain_number), Field(allow_inf_nan=False), AfterValidator(_cv_range)
]
Floats: TypeAlias = NDArray[np.float64]


class TimeDistribution(Protocol):
    """What the engine and the tests need of a distribution."""

    @property
    def mean(self) -> float: ...
    @property
    def variance(self) -> float: ...
    @overload
    def sample(self, rng: np.random.Generator, size: None = None) -> float: ...
    @overload
    def sample(self, rng: np.random.Generator, size: int) -> Floats: ...


@dataclass(frozen=True, slots=True)
class Exponential:
    """Exponential times with the given mean (seconds)."""

    __pydantic_config__ = STRICT
    mean: PositiveDuration
    dist: Literal["exponential"] = "exponential"

    @property
    def variance(self) -> float:
        return self.mean**2

    @overload
    def sample(self, rng: np.random.Generator, size: None = None) -> float: ...
    @overload
    def sample(self, rng: np.random.Generator, size: int) -> Floats: ...
    def sample(self, rng: np.random.Generator, size: int | None = None) -> float | Floats:
        return rng.exponential(self.mean, size)


@dataclass(frozen=True, slots=True)
class Constant:
    """Always the same time; draws no random numbers."""

    __pydantic_config__ = STRICT
    value: NonNegativeDuration
    dist: Literal["constant"] = "constant"

    @property
    def mean(self) -> float:
        return self.value

    @property
    def variance(self) -> float:
        return 0.0

    @overload
    def sample(self, rng: np.random.Generator, size: None = None) -> float: ...
    @overload
    def sample(self, rng: np.random.Generator, size: int) -> Floats: ...
    def sample(self, rng: np.random.Generator, size: int | None = None) -> float | Floats:
        if size is None:
            return self.value
        return np.full(size, self.value)


@dataclass(frozen=True, slots=True)
class LogNormal:
    """Log-normal times with the given mean and coefficient of variation."""

    __pydantic_config__ = STRICT
    mean: PositiveDuration
    cv: Cv
    dist: Literal["lognormal"] = "lognormal"

    @property
    def variance(self) -> float:
        return (self.mean * self.cv) ** 2

    @property
    def _log_params(self) -> tuple[float, float]:
        sigma2 = math.log1p(self.cv**2)
        return math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2)

    @overload
    def sample(self, rng: np.random.Generator, size: None = None) -> float: ...
    @overload
    def sample(self, rng: np.random.Generator, size: int) -> Floats: ...
    def sample(self, rng: np.random.Generator, size: int | None = None) -> float | Floats:
        mu, sigma = self._log_params
        return rng.lognormal(mu, sigma, size)


@dataclass(frozen=True, slots=True)
class Gamma:
    """Gamma times with the given mean and coefficient of variation (shape 1/cv²)."""

    __pydantic_config__ = STRICT
    mean: PositiveDuration
    cv: Cv
    dist: Literal["gamma"] = "gamma"

    @property
    def variance(self) -> float:
        return (self.mean * self.cv) ** 2

    @overload
    def sample(self, rng: np.random.Generator, size: None = None) -> float: ...
    @overload
    def sample(self, rng: np.random.Generator, size: int) -> Floats: ...
    def sample(self, rng: np.random.Generator, size: int | None = None) -> float | Floats:
        return rng.gamma(1.0 / self.cv**2, self.mean * self.cv**2, size)


#: the Weibull shapes searched for a cv: cv 100 needs k ≈ 0.17, cv 1e-6 needs k ≈ 1.3e6
_SHAPES = (1e-2, 1e8)


def _weibull_cv2(shape: float) -> float:
    """cv² of a Weibull of shape ``shape``: Γ(1 + 2/k) / Γ(1 + 1/k)² − 1 (exact near k = ∞
    through ``expm1`` of the log-gammas)."""
    return math.expm1(math.lgamma(1 + 2 / shape) - 2 * math.lgamma(1 + 1 / shape))


@functools.lru_cache(maxsize=256)
def weibull_shape(cv: float) -> float:
    """The Weibull shape ``k`` whose coefficient of variation is ``cv`` (the cv falls as
    ``k`` grows; bisection on log k to the last bit, no scipy)."""
    low, high = math.log(_SHAPES[0]), math.log(_SHAPES[1])
    target = cv * cv
    for _ in range(200):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if _weibull_cv2(math.exp(middle)) > target:
            low = middle
        else:
            high = middle
    return math.exp((low + high) / 2)


@dataclass(frozen=True, slots=True)
class Weibull:
    """Weibull times with the given mean and coefficient of variation: shape ``k`` the one
    whose cv is ``cv`` (``cv`` 1 is the exponential), scale
    ``mean / Γ(1 + 1/k)``."""

    __pydantic_config__ = STRICT
    mean: PositiveDuration
    cv: Cv
    dist: Literal["weibull"] = "weibull"

    @property
    def variance(self) -> float:
        return (self.mean * self.cv) ** 2

    @property
    def shape(self) -> float:
        """The Weibull shape ``k``."""
        return weibull_shape(self.cv)

    @property
    def scale(self) -> float:
        """The Weibull scale (seconds): ``mean / Γ(1 + 1/k)``."""
        return self.mean / math.gamma(1 + 1 / self.shape)

    @overload
    def sample(self, rng: np.random.Generator, size: None = None) -> float: ...
    @overload
    def sample(self, rng: np.random.Generator, size: int) -> Floats: ...
    def sample(self, rng: np.random.Generator, size: int | None = None) -> float | Floats:
        shape = self.shape
        scale = self.mean / math.gamma(1 + 1 / shape)
        if size is None:
            return scale * float(rng.weibull(shape))
        return scale * rng.weibull(shape, size)


@dataclass(frozen=True, slots=True)
class Uniform:
    """Times spread evenly between ``low`` and ``high``."""

    __pydantic_config__ = STRICT
    low: NonNegativeDuration
    high: NonNegativeDuration
    dist: Literal["uniform"] = "uniform"

    def __post_init__(self) -> None:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low:g} s) must be less than high ({self.high:g} s)")

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    @property
    def variance(self) -> float:
        return (self.high - self.low) ** 2 / 12

    @overload
    def sample(self, rng: np.random.Generator, size: None = None) -> float: ...
    @overload
    def sample(self, rng: np.random.Generator, size: int) -> Floats: ...
    def sample(self, rng: np.random.Generator, size: int | None = None) -> float | Floats:
        return rng.uniform(self.low, self.high, size)


@dataclass(frozen=True, slots=True)
class Triangular:
    """Three-point estimate: least, most likely and greatest time."""

    __pydantic_config__ = STRICT
    low: NonNegativeDuration
    mode: NonNegativeDuration
    high: NonNegativeDuration
    dist: Literal["triangular"] = "triangular"

    def __post_init__(self) -> None:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError(
                f"need low <= mode <= high and low < high, got low={self.low:g} s, "
                f"mode={self.mode:g} s, high={self.high:g} s"
            )

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    @property
    def variance(self) -> float:
        a, c, b = self.low, self.mode, self.high
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18

    @overload
    def sample(self, rng: np.random.Generator, size: None = None) -> float: ...
    @overload
    def sample(self, rng: np.random.Generator, size: int) -> Floats: ...
    def sample(self, rng: np.random.Generator, size: int | None = None) -> float | Floats:
        return rng.triangular(self.low, self.mode, self.high, size)


@dataclass(frozen=True, slots=True)
class Empirical:
    """Observed times, each equally likely (resampled with replacement)."""

    __pydantic_config__ = STRICT
    values: Annotated[tuple[NonNegativeDuration, ...], Field(min_length=1)]
    dist: Literal["empirical"] = "empirical"

    @property
    def mean(self) -> float:
        return math.fsum(self.values) / len(self.values)

    @property
    def variance(self) -> float:
        m = self.mean
        return math.fsum((v - m) ** 2 for v in self.values) / len(self.values)

    @overload
    def sample(self, rng: np.random.Generator, size: None = None) -> float: ...
    @overload
    def sample(self, rng: np.random.Generator, size: int) -> Floats: ...
    def sample(self, rng: np.random.Generator, size: int | None = None) -> float | Floats:
        values = np.asarray(self.values, dtype=np.float64)
        if size is None:
            return float(values[rng.integers(len(values))])
        return values[rng.integers(len(values), size=size)]


Distribution = Annotated[
    Exponential | Constant | LogNormal | Gamma | Weibull | Uniform | Triangular | Empirical,
    Field(discriminator="dist"),
]
"""Any distribution, told apart by its ``dist`` field."""
