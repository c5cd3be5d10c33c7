"""Service or walk times → a distribution for a scenario file (``portsim fit times``).

The sample (seconds, each above zero) is fitted by every family of
:data:`~portsim.fit.families.FAMILIES` by maximum likelihood and ranked by AIC (2k − 2 log
L: the likelihood, less two per parameter); each fit's goodness is the parametric-bootstrap
KS p-value (:mod:`.bootstrap`). The empirical distribution (each observed time equally
likely: the scenario format's ``{dist: empirical, values}``) is ranked last: it has no
density, so no likelihood to compare, and it fits the sample exactly by construction.

The chosen family is the first by AIC, or the one asked for (``family=``). The YAML is the
chosen fit in the scenario format (every family is in it: ``{dist: weibull, mean, cv}``
too). Fewer than
:data:`MIN_POINTS` times are refused: too few to tell the families apart.

The times' resolution (the step they were logged to: 1 s, 0.1 s) is the greatest common
step of the values on a millisecond grid (:func:`resolution_of`), or given. The bootstrap
rounds its samples to it as the log rounded the data (:mod:`.bootstrap`), and a time logged
as 0 is read as a quarter of it (it was under half); without a resolution (times to the
microsecond), a 0 is refused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..scenario.distributions import Empirical, Exponential, Gamma, LogNormal, Weibull
from ..units import MINUTE, parse_duration
from .bootstrap import DEFAULT_ROUNDS, MIN_ROUNDS, bootstrap_p_value, rejects, round_to
from .data import DataError, read_table
from .families import FAMILIES, FamilyFit, Floats, fit_family
from .forms import flow_list, number, seconds

__all__ = [
    "EMPIRICAL",
    "MIN_POINTS",
    "UNITS",
    "TimesFit",
    "fit_times",
    "fit_times_file",
    "resolution_of",
    "resolution_words",
]

#: the fewest times a family is chosen from: below ten, every two-parameter family fits
#: and the AIC cannot tell them apart
MIN_POINTS = 10
#: the name of the empirical distribution in a ranking
EMPIRICAL = "empirical"
#: the units a column of times may be in: seconds per unit
UNITS = {"s": 1.0, "min": MINUTE}
#: the finest resolution looked for: a millisecond (times to the microsecond are exact)
_GRID = 1e-3

Pasted = Exponential | Gamma | LogNormal | Weibull | Empirical


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
    #: the step the times were logged to (seconds; 0: exact), which the bootstrap rounds to
    resolution: float = 0.0

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
                "rejected": rejects(self.p_values[fit.family]),
                "in_scenario_format": True,
            }
            for fit in self.ranking
        ]
        rows.append(
            {
                "family": EMPIRICAL,
                "aic": None,
                "delta_aic": None,
                "ks": 0.0,
                "p_value": None,
                "rejected": None,
            }
            | {"mean_s": _mean(self.sample), "cv": _cv(self.sample), "in_scenario_format": True}
        )
        mean, cv = self.distribution.mean, math.sqrt(self.distribution.variance)
        return {
            "source": self.source,
            "n": self.size,
            "bootstrap": {
                "rounds": self.rounds,
                "seed": self.seed,
                "statistic": "ks",
                "resolution_s": self.resolution,
                "rejects_at": "p <= 0.05",
            },
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


def resolution_of(times: Floats) -> float:
    """The step ``times`` (seconds) were logged to: the greatest common step of the values
    on a millisecond grid (1.0 for whole seconds, 0.1 for tenths), or 0 when they are not
    on that grid (exact times)."""
    scaled = np.asarray(times, dtype=np.float64) / _GRID
    whole = np.round(scaled)
    if not np.all(np.abs(scaled - whole) <= 1e-6 + 1e-12 * np.abs(scaled)):
        return 0.0
    step = int(np.gcd.reduce(whole.astype(np.int64)))
    return step * _GRID


def resolution_words(resolution: float) -> str:
    """How the bootstrap treated the times' resolution, to follow the seed in words:
    ``, each rounded to 1s as the times were logged`` (nothing for exact times)."""
    if resolution <= 0:
        return ""
    return f", each rounded to {seconds(resolution, 3)} as the times were logged"


def fit_times(
    times: Floats | list[float],
    *,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = 0,
    family: str | None = None,
    source: str = "times",
    resolution: float | None = None,
) -> TimesFit:
    """Fit every family to ``times`` (seconds, none negative; at least :data:`MIN_POINTS`),
    rank them by AIC, test each by a parametric bootstrap of ``rounds`` samples seeded by
    ``seed`` and rounded to ``resolution`` (seconds; None: :func:`resolution_of` the times;
    0: exact), and choose the first (or ``family``: one of :data:`FAMILIES` or
    ``empirical``). Bad data is a :class:`DataError` naming ``source``."""
    raw = np.sort(np.asarray(times, dtype=np.float64))
    _check_raw(raw, source, rounds)
    step = resolution_of(raw) if resolution is None else float(resolution)
    notes = _zeros(raw, step, source)
    sample = np.sort(round_to(raw.copy(), step))
    _check_sample(sample, source)
    if family is not None and family not in (*FAMILIES, EMPIRICAL):
        choices = ", ".join((*FAMILIES, EMPIRICAL))
        raise DataError(source, "", f"no family {family!r}: choose one of {choices}")
    fits = sorted(
        (fit_family(name, sample) for name in FAMILIES),
        key=lambda fit: (fit.aic, FAMILIES.index(fit.family)),
    )
    p_values = {fit.family: bootstrap_p_value(fit, len(sample), rounds, seed, step) for fit in fits}
    chosen = family or fits[0].family
    distribution = _pasted(chosen, fits, sample)
    if chosen != EMPIRICAL and rejects(p_values[chosen]):
        notes.append(
            f"the bootstrap rejects {chosen} at 5 % (p = {p_values[chosen]:.3f}): consider "
            "--family empirical, the observed times themselves"
        )
    return TimesFit(source, sample, tuple(fits), p_values, rounds, seed, chosen, distribution,
                    tuple(notes), step)  # fmt: skip


def _check_raw(raw: Floats, source: str, rounds: int) -> None:
    if len(raw) < MIN_POINTS:
        raise DataError(
            source, "", f"{len(raw)} times: at least {MIN_POINTS} are needed to choose a family"
        )
    if not np.all(np.isfinite(raw)) or raw[0] < 0:
        raise DataError(source, "", "every time must be a finite number, zero or more")
    if rounds < MIN_ROUNDS:
        raise DataError(
            source,
            "",
            f"{rounds} bootstrap samples: at least {MIN_ROUNDS} are needed to reject at 5 % "
            "(the smallest p-value is 1/(samples + 1))",
        )


def _zeros(raw: Floats, step: float, source: str) -> list[str]:
    zeros = int(np.sum(raw == 0))
    if not zeros:
        return []
    if step <= 0:
        raise DataError(
            source,
            "",
            "a time of 0 with times not logged to a step: give the resolution "
            "(--resolution 1s) so that 0 reads as under half of it",
        )
    return [
        f"{zeros} {'time' if zeros == 1 else 'times'} of 0 read as {seconds(step / 4, 4)} "
        f"(logged to {seconds(step, 3)}, a 0 was under {seconds(step / 2, 4)})"
    ]


def _check_sample(sample: Floats, source: str) -> None:
    if sample[0] == sample[-1]:
        raise DataError(
            source, "", f"every time is {seconds(sample[0])}: write {{dist: constant}}, not a fit"
        )


def _pasted(chosen: str, fits: list[FamilyFit], sample: Floats) -> Pasted:
    if chosen == EMPIRICAL:
        return Empirical(values=tuple(float(value) for value in sample))
    return next(fit for fit in fits if fit.family == chosen).distribution()


def fit_times_file(
    path: str | Path,
    column: str,
    *,
    unit: str = "s",
    rounds: int = DEFAULT_ROUNDS,
    seed: int = 0,
    family: str | None = None,
    resolution: str | float | None = None,
) -> TimesFit:
    """:func:`fit_times` on the column ``column`` of the CSV file at ``path``, in ``unit``
    (``s`` or ``min``), logged to ``resolution`` (a duration, ``1s``; None: found from the
    times)."""
    if unit not in UNITS:
        raise DataError(str(path), column, f"no unit {unit!r}: choose s or min")
    table = read_table(path, [column])
    step = None
    if resolution is not None:
        try:
            step = parse_duration(resolution)
        except ValueError as error:
            raise table.error("--resolution", str(error)) from None
    values = table.numbers(column) * UNITS[unit]
    if len(values) < MIN_POINTS:
        raise table.error(
            column, f"{len(values)} times: at least {MIN_POINTS} are needed to choose a family"
        )
    return fit_times(values, rounds=rounds, seed=seed, family=family, source=f"{path}: {column}",
                     resolution=step)  # fmt: skip
