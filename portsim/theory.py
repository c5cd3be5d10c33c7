"""Closed forms of queueing theory, for checking the simulation and for quick sizing.

All times in seconds, rates per second.
"""

from __future__ import annotations

import math
from typing import Protocol

__all__ = ["erlang_c", "mmc_wait_mean", "mmc_wait_within", "pk_wait_mean", "second_moment"]


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
