"""Service or walk times → a distribution for a scenario file (``portsim fit times``).

The sample (seconds, each above zero) is fitted by every family of
:data:`~portsim.fit.families.FAMILIES` by maximum likelihood and ranked by AIC (2k − 2 log
L: the likelihood, less two per parameter); each fit's goodness is the parametric-bootstrap
KS p-value (:mod:`.bootstrap`). The empirical distribution (each observed time equally
likely: the scenario format's ``{dist: empirical, values}``) is ranked last: it has no
density, so no likelihood to compare, and it fits the sample exactly by construction.

The chosen family is the first by AIC, or the one asked for (``family=``). The YAML is the
chosen fit in the scenario format; a Weibull, which the format does not have, is ranked but
not pasted: the YAML is then the first family the format has, and a note says so. Fewer than
:data:`MIN_POINTS` times are refused: too few to tell the families apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..scenario.distributions import Empirical, Exponential, Gamma, LogNormal
from ..units import MINUTE
from .bootstrap import DEFAULT_ROUNDS, bootstrap_p_value
from .data import DataError, read_table
from .families import FAMILIES, FamilyFit, Floats, fit_family
from .forms import flow_list, number, seconds

__all__ = ["EMPIRICAL", "MIN_POINTS", "UNITS", "TimesFit", "fit_times", "fit_times_file"]

#: the fewest times a family is chosen from: below ten, every two-parameter family fits
#: and the AIC cannot tell them apart
MIN_POINTS = 10
#: the name of the empirical distribution in a ranking
EMPIRICAL = "empirical"
#: the units a column of times may be in: seconds per unit
UNITS = {"s": 1.0, "min": MINUTE}
#: a bootstrap p-value below this rejects the family (a test at 5 %)
LEVEL = 0.05

Pasted = Exponential | Gamma | LogNormal | Empirical


@dataclass(frozen=True, slots=True)
class TimesFit:
    """The families fitted to a sample of times, ranked, and the one chosen.

    ``ranking`` holds the parametric fits by AIC (best first); ``p_values`` each one's
    bootstrap p-value (by family); ``chosen`` the family chosen (a parametric one, or
    ``empirical``); ``distribution`` what the YAML pastes; ``sample`` the times in order
    (seconds)."""

    source: str
    sample: Floats = field(repr=False)
    ranking: tuple[FamilyFit, ...]
    p_values: dict[str, float]
    rounds: int
    seed: int
    chosen: str
    distribution: Pasted
    notes: tuple[str, ...]

    @property
    def size(self) -> int:
        """How many times were fitted."""
        return len(self.sample)

    def fit(self, family: str) -> FamilyFit:
        """The fit of ``family``."""
        return next(fit for fit in self.ranking if fit.family == family)

    def yaml(self) -> str:
        """The chosen distribution as a lane group's ``service:`` (or a walk's) in YAML."""
        return f"service: {distribution_yaml(self.distribution)}\n"

    def to_json(self) -> dict[str, Any]:
        """The ranking and the chosen ``{dist, mean, cv}`` (mean in seconds), as plain data."""
        best = self.ranking[0].aic
        rows: list[dict[str, Any]] = [
            {
                "family": fit.family,
                "aic": fit.aic,
                "delta_aic": fit.aic - best,
                "log_likelihood": fit.log_likelihood,
                "mean_s": fit.mean,
                "cv": fit.cv,
                "params": list(fit.params),
                "ks": fit.ks,
                "p_value": self.p_values[fit.family],
                "in_scenario_format": fit.distribution() is not None,
            }
            for fit in self.ranking
        ]
        rows.append(
            {"family": EMPIRICAL, "aic": None, "delta_aic": None, "ks": 0.0, "p_value": None}
            | {"mean_s": _mean(self.sample), "cv": _cv(self.sample), "in_scenario_format": True}
        )
        mean, cv = self.distribution.mean, math.sqrt(self.distribution.variance)
        return {
            "source": self.source,
            "n": self.size,
            "bootstrap": {"rounds": self.rounds, "seed": self.seed, "statistic": "ks"},
            "ranking": rows,
            "chosen": {"dist": self.distribution.dist, "mean": mean, "cv": cv / mean},
            "chosen_family": self.chosen,
            "yaml": self.yaml(),
            "notes": list(self.notes),
        }


def _mean(sample: Floats) -> float:
    return float(np.mean(sample))


def _cv(sample: Floats) -> float:
    return float(np.std(sample) / np.mean(sample))


def distribution_yaml(distribution: Pasted) -> str:
    """A distribution in the scenario format's flow style."""
    if isinstance(distribution, Exponential):
        return f"{{dist: exponential, mean: {seconds(distribution.mean)}}}"
    if isinstance(distribution, Empirical):
        values = flow_list((seconds(value) for value in distribution.values), 4, 40)
        return f"{{dist: empirical, values: {values}}}"
    return (
        f"{{dist: {distribution.dist}, mean: {seconds(distribution.mean)}, "
        f"cv: {number(distribution.cv, 3)}}}"
    )


def fit_times(
    times: Floats | list[float],
    *,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = 0,
    family: str | None = None,
    source: str = "times",
) -> TimesFit:
    """Fit every family to ``times`` (seconds, each above zero; at least
    :data:`MIN_POINTS`), rank them by AIC, test each by a parametric bootstrap of
    ``rounds`` samples seeded by ``seed``, and choose the first (or ``family``: one of
    :data:`FAMILIES` or ``empirical``). Bad data is a :class:`DataError` naming ``source``."""
    sample = np.sort(np.asarray(times, dtype=np.float64))
    _check_sample(sample, source)
    if family is not None and family not in (*FAMILIES, EMPIRICAL):
        choices = ", ".join((*FAMILIES, EMPIRICAL))
        raise DataError(source, "", f"no family {family!r}: choose one of {choices}")
    fits = sorted(
        (fit_family(name, sample) for name in FAMILIES),
        key=lambda fit: (fit.aic, FAMILIES.index(fit.family)),
    )
    p_values = {fit.family: bootstrap_p_value(fit, len(sample), rounds, seed) for fit in fits}
    chosen = family or fits[0].family
    distribution, notes = _pasted(chosen, fits, sample)
    if chosen != EMPIRICAL and p_values[chosen] < LEVEL:
        notes.append(
            f"the bootstrap rejects {chosen} at 5 % (p = {p_values[chosen]:.3f}): consider "
            "--family empirical, the observed times themselves"
        )
    return TimesFit(source, sample, tuple(fits), p_values, rounds, seed, chosen, distribution,
                    tuple(notes))  # fmt: skip


def _check_sample(sample: Floats, source: str) -> None:
    if len(sample) < MIN_POINTS:
        raise DataError(
            source, "", f"{len(sample)} times: at least {MIN_POINTS} are needed to choose a family"
        )
    if not np.all(np.isfinite(sample)) or sample[0] <= 0:
        raise DataError(source, "", "every time must be a finite number above zero")
    if sample[0] == sample[-1]:
        raise DataError(
            source, "", f"every time is {seconds(sample[0])}: write {{dist: constant}}, not a fit"
        )


def _pasted(chosen: str, fits: list[FamilyFit], sample: Floats) -> tuple[Pasted, list[str]]:
    if chosen == EMPIRICAL:
        return Empirical(values=tuple(float(value) for value in sample)), []
    first = next(fit for fit in fits if fit.family == chosen)
    distribution = first.distribution()
    if distribution is not None:
        return distribution, []
    pasted = next(fit for fit in fits if fit.distribution() is not None)
    note = (
        f"{chosen} is not in the scenario format: the YAML is {pasted.family}, the next by AIC "
        f"(ΔAIC {pasted.aic - first.aic:.1f})"
    )
    distribution = pasted.distribution()
    assert distribution is not None
    return distribution, [note]


def fit_times_file(
    path: str | Path,
    column: str,
    *,
    unit: str = "s",
    rounds: int = DEFAULT_ROUNDS,
    seed: int = 0,
    family: str | None = None,
) -> TimesFit:
    """:func:`fit_times` on the column ``column`` of the CSV file at ``path``, in ``unit``
    (``s`` or ``min``)."""
    if unit not in UNITS:
        raise DataError(str(path), column, f"no unit {unit!r}: choose s or min")
    table = read_table(path, [column])
    values = table.numbers(column, positive=True) * UNITS[unit]
    if len(values) < MIN_POINTS:
        raise table.error(
            column, f"{len(values)} times: at least {MIN_POINTS} are needed to choose a family"
        )
    return fit_times(values, rounds=rounds, seed=seed, family=family, source=f"{path}: {column}")
