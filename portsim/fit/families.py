"""The candidate families of a time, fitted by maximum likelihood (scipy.stats, the location
fixed at 0), and each fit as the scenario format writes it.

============== ================ =========== ===========================================
family         scipy.stats      parameters  in a scenario file
============== ================ =========== ===========================================
exponential    ``expon``        1 (scale)   ``{dist: exponential, mean}``
gamma          ``gamma``        2           ``{dist: gamma, mean, cv}``
lognormal      ``lognorm``      2           ``{dist: lognormal, mean, cv}``
weibull        ``weibull_min``  2           ``{dist: weibull, mean, cv}``
============== ================ =========== ===========================================

scipy is imported here, when a fit is asked for, never by a run; without it
:func:`scipy_stats` says in one line how to install it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import UsageError
from ..scenario.distributions import Exponential, Gamma, LogNormal, Weibull

__all__ = [
    "FAMILIES",
    "INSTALL",
    "FamilyFit",
    "fit_family",
    "frozen",
    "ks_statistic",
    "scipy_stats",
]

#: the parametric families, in the order a tie is broken
FAMILIES = ("exponential", "gamma", "lognormal", "weibull")
#: how to get what fitting needs
INSTALL = "portsim fit needs scipy: python3 -m pip install 'portsim[fit]' (or scipy)"

_SCIPY_NAMES = {
    "exponential": "expon",
    "gamma": "gamma",
    "lognormal": "lognorm",
    "weibull": "weibull_min",
}

Floats = NDArray[np.float64]


def scipy_stats() -> Any:
    """``scipy.stats``, or a :class:`UsageError` saying how to install it."""
    try:
        import scipy.stats  # noqa: PLC0415 - only fitting needs it
    except ImportError:
        raise UsageError(INSTALL) from None
    return scipy.stats


@dataclass(frozen=True, slots=True)
class FamilyFit:
    """One family fitted to a sample by maximum likelihood.

    ``params`` are scipy's shape parameters then the scale (location 0); ``mean`` (seconds)
    and ``cv`` are the fitted distribution's; ``aic`` = 2k − 2 log-likelihood; ``ks`` the
    Kolmogorov–Smirnov distance between the sample and the fitted distribution."""

    family: str
    params: tuple[float, ...]
    log_likelihood: float
    aic: float
    mean: float
    cv: float
    ks: float

    @property
    def parameters(self) -> int:
        """How many parameters were fitted."""
        return len(self.params)

    def distribution(self) -> Exponential | Gamma | LogNormal | Weibull:
        """The fit as the scenario format writes it."""
        if self.family == "exponential":
            return Exponential(mean=self.mean)
        if self.family == "gamma":
            return Gamma(mean=self.mean, cv=self.cv)
        if self.family == "lognormal":
            return LogNormal(mean=self.mean, cv=self.cv)
        return Weibull(mean=self.mean, cv=self.cv)


def frozen(family: str, params: tuple[float, ...]) -> Any:
    """The scipy.stats frozen distribution of a fit (location 0)."""
    *shapes, scale = params
    return getattr(scipy_stats(), _SCIPY_NAMES[family])(*shapes, loc=0.0, scale=scale)


def ks_statistic(sorted_sample: Floats, cdf: Floats) -> float:
    """The Kolmogorov–Smirnov distance between a sorted sample and a distribution whose CDF
    at the sample's points is ``cdf``."""
    n = len(sorted_sample)
    above = np.arange(1, n + 1) / n - cdf
    below = cdf - np.arange(n) / n
    return float(max(above.max(), below.max()))


def fit_family(family: str, sorted_sample: Floats) -> FamilyFit:
    """``family`` fitted to ``sorted_sample`` (seconds, each above zero, in order) by maximum
    likelihood with the location fixed at 0."""
    if family == "exponential":  # the likelihood's maximum is the sample's mean, exactly
        params: tuple[float, ...] = (float(np.mean(sorted_sample)),)
    else:
        distribution = getattr(scipy_stats(), _SCIPY_NAMES[family])
        fitted = distribution.fit(sorted_sample, floc=0.0)
        params = tuple(float(value) for i, value in enumerate(fitted) if i != len(fitted) - 2)
    model = frozen(family, params)
    log_likelihood = float(np.sum(model.logpdf(sorted_sample)))
    mean, std = float(model.mean()), float(model.std())
    return FamilyFit(
        family=family,
        params=params,
        log_likelihood=log_likelihood,
        aic=2 * len(params) - 2 * log_likelihood,
        mean=mean,
        cv=std / mean if mean > 0 and math.isfinite(std) else math.inf,
        ks=ks_statistic(sorted_sample, model.cdf(sorted_sample)),
    )
