"""Closed forms of queueing theory, for checking the simulation and for quick sizing.

All times in seconds, rates per second.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import accumulate, pairwise
from typing import Protocol

__all__ = [
    "cobham_wait_means",
    "erlang_c",
    "mg1_priority_wait_means",
    "mmc_priority_wait_means",
    "mmc_wait_mean",
    "mmc_wait_within",
    "pk_wait_mean",
    "second_moment",
]


def erlang_c(lanes: int, offered: float) -> float:
    """Probability that an arrival waits in an M/M/c queue (Erlang C).

    ``offered`` is the offered load in erlangs, a = λ/μ; it must be below ``lanes``.
    """
    if lanes < 1:
        raise ValueError("lanes must be at least 1")
    if not 0 <= offered < lanes:
        raise ValueError(f"the offered load {offered} must be in [0, lanes={lanes})")
    # Erlang B by its stable recursion, then C from B.
    b = 1.0
    for k in range(1, lanes + 1):
        b = offered * b / (k + offered * b)
    rho = offered / lanes
    return b / (1 - rho + rho * b)


def mmc_wait_mean(arrival_rate: float, mean_service: float, lanes: int) -> float:
    """Mean queue wait Wq = C(c, a) / (cμ − λ) of an M/M/c queue."""
    mu = 1.0 / mean_service
    return erlang_c(lanes, arrival_rate * mean_service) / (lanes * mu - arrival_rate)


def mmc_wait_within(arrival_rate: float, mean_service: float, lanes: int, limit: float) -> float:
    """P(Wq ≤ t) = 1 − C(c, a)·exp(−(cμ − λ)t) of an M/M/c queue (FIFO)."""
    mu = 1.0 / mean_service
    c = erlang_c(lanes, arrival_rate * mean_service)
    return 1.0 - c * math.exp(-(lanes * mu - arrival_rate) * limit)


def pk_wait_mean(arrival_rate: float, mean_service: float, second_moment: float) -> float:
    """Pollaczek–Khinchine mean queue wait of an M/G/1 queue: λE[S²] / (2(1 − ρ))."""
    rho = arrival_rate * mean_service
    if not 0 <= rho < 1:
        raise ValueError(f"the load {rho} must be in [0, 1)")
    return arrival_rate * second_moment / (2 * (1 - rho))


class _Moments(Protocol):
    @property
    def mean(self) -> float: ...
    @property
    def variance(self) -> float: ...


def second_moment(dist: _Moments) -> float:
    """E[S²] = variance + mean², the quantity in Pollaczek–Khinchine."""
    return dist.variance + dist.mean**2


def cobham_wait_means(residual: float, loads: Sequence[float]) -> tuple[float, ...]:
    """Cobham's mean queue waits of a non-pre-emptive priority queue, one per class in the
    order served (the first class first): W_k = W0 / ((1 − σ_{k−1})(1 − σ_k)), where σ_k is
    the load of classes 1..k (per lane) and ``residual`` W0 is the mean work a newcomer
    finds in service that it must wait for before the next start, whatever its class."""
    sigmas = [0.0, *accumulate(loads)]
    if not sigmas[-1] < 1:
        raise ValueError(f"the load {sigmas[-1]} must be below 1")
    return tuple(residual / ((1 - a) * (1 - b)) for a, b in pairwise(sigmas))


def mg1_priority_wait_means(
    arrival_rates: Sequence[float], mean_services: Sequence[float], second_moments: Sequence[float]
) -> tuple[float, ...]:
    """Mean queue waits by class of a non-pre-emptive priority M/G/1 queue (Cobham), the
    classes in the order served: W0 = Σ λ_i E[S_i²] / 2, the mean residual work in service
    (for exponential service, E[S²] = 2/μ² and W0 = ρ/μ)."""
    residual = (
        math.fsum(lam * m2 for lam, m2 in zip(arrival_rates, second_moments, strict=True)) / 2
    )
    loads = [lam * s for lam, s in zip(arrival_rates, mean_services, strict=True)]
    return cobham_wait_means(residual, loads)


def mmc_priority_wait_means(
    arrival_rates: Sequence[float], mean_service: float, lanes: int
) -> tuple[float, ...]:
    """Mean queue waits by class of a non-pre-emptive priority M/M/c queue whose classes
    share one exponential service (Cobham), the classes in the order served: W0 = C(c, a) /
    (cμ), the chance that a newcomer finds every lane busy times the mean time to the next
    service end, and σ_k = Σ_{i≤k} λ_i / (cμ). One class gives the M/M/c wait."""
    mu = 1.0 / mean_service
    offered = math.fsum(arrival_rates) * mean_service
    residual = erlang_c(lanes, offered) / (lanes * mu)
    return cobham_wait_means(residual, [lam / (lanes * mu) for lam in arrival_rates])
