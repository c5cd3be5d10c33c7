"""Distributions of counts: how many travellers a party brings, how many persons a vehicle
carries. Small frozen objects with ``sample(rng, n)`` and exact ``mean`` and ``variance``.

================  ====================  =============================================
``dist``          parameters            meaning
================  ====================  =============================================
``constant``      ``value``             always the same count
``empirical``     ``values``            each observed count equally likely
``uniform``       ``low``, ``high``     every whole number from low to high, inclusive
================  ====================  =============================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from .fields import STRICT

__all__ = ["ConstantCount", "CountDistribution", "EmpiricalCount", "UniformCount"]

#: a count of persons: at least one, and below a bound no train or vehicle reaches
Persons = Annotated[int, Field(strict=True, ge=1, le=100_000)]


@dataclass(frozen=True, slots=True)
class ConstantCount:
    """Always ``value``."""

    __pydantic_config__ = STRICT
    value: Persons
    dist: Literal["constant"] = "constant"

    @property
    def mean(self) -> float:
        return float(self.value)

    @property
    def variance(self) -> float:
        return 0.0

    def sample(self, rng: np.random.Generator, size: int) -> NDArray[np.int64]:
        return np.full(size, self.value, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class EmpiricalCount:
    """Each of ``values`` equally likely (resampled with replacement)."""

    __pydantic_config__ = STRICT
    values: Annotated[tuple[Persons, ...], Field(min_length=1)]
    dist: Literal["empirical"] = "empirical"

    @property
    def mean(self) -> float:
        return math.fsum(self.values) / len(self.values)

    @property
    def variance(self) -> float:
        m = self.mean
        return math.fsum((v - m) ** 2 for v in self.values) / len(self.values)

    def sample(self, rng: np.random.Generator, size: int) -> NDArray[np.int64]:
        values = np.asarray(self.values, dtype=np.int64)
        return values[rng.integers(len(values), size=size)]


@dataclass(frozen=True, slots=True)
class UniformCount:
    """Every whole number from ``low`` to ``high``, inclusive, equally likely."""

    __pydantic_config__ = STRICT
    low: Persons
    high: Persons
    dist: Literal["uniform"] = "uniform"

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) must not be above high ({self.high})")

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    @property
    def variance(self) -> float:
        return ((self.high - self.low + 1) ** 2 - 1) / 12

    def sample(self, rng: np.random.Generator, size: int) -> NDArray[np.int64]:
        return rng.integers(self.low, self.high + 1, size=size)


CountDistribution = Annotated[
    ConstantCount | EmpiricalCount | UniformCount, Field(discriminator="dist")
]
"""A distribution of counts, told apart by its ``dist`` field."""
