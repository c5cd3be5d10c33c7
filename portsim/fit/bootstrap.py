"""A goodness-of-fit test whose p-value is right for fitted parameters: the parametric
bootstrap of the Kolmogorov–Smirnov distance.

The textbook KS p-value assumes the distribution was known before the data were seen; with
its parameters fitted to the same data the distance is smaller than the table expects, and
the test almost never rejects. Here the fitted distribution draws ``rounds`` samples of the
same size; each is fitted again, by the same maximum likelihood, and its own distance taken.
The p-value is the share of them at least as far as the data's, counting the data's own:
``(b + 1) / (rounds + 1)``, never 0. A family is rejected when ``p ≤ LEVEL``
(:func:`rejects`, the one rule of the command line, the report and the tests): under the
fitted family ``P(p ≤ 0.05)`` is ``⌊0.05 (rounds + 1)⌋ / (rounds + 1)``, exactly 5 % when
``rounds + 1`` is a multiple of 20 (19, 99, 199, …) and never more. Fewer than
:data:`MIN_ROUNDS` rounds are refused: they could never reject at 5 %.

Times are logged to a resolution (the whole second, most often), and tied data sit at a KS
distance from any continuous fit that continuous draws do not: the bootstrap would reject
every right family. So each bootstrap sample is rounded to the data's resolution
(:func:`round_to`) before it is fitted, exactly as the data were: the null distribution of
the distance is then the data's own. A time logged as 0 at resolution ``r`` was under
``r / 2``; it is read as ``r / 4``, the middle of that interval, in the data and in every
bootstrap sample alike.

Each family draws from its own stream of a :class:`numpy.random.SeedSequence` (the seed,
then the family's place in :data:`~portsim.fit.families.FAMILIES`): the same seed gives the
same p-values.
"""

from __future__ import annotations

import numpy as np

from .families import FAMILIES, FamilyFit, Floats, fit_family, frozen

__all__ = [
    "DEFAULT_ROUNDS",
    "LEVEL",
    "MIN_ROUNDS",
    "bootstrap_p_value",
    "rejects",
    "round_to",
]

#: bootstrap samples by default: p-values to 1/200, a few tenths of a second per family
DEFAULT_ROUNDS = 199
#: the fewest bootstrap samples: with fewer the smallest p-value, 1/(rounds + 1), is above
#: 0.05 and nothing can be rejected
MIN_ROUNDS = 19
#: a bootstrap p-value at or below this rejects the family (a test at 5 %)
LEVEL = 0.05


def rejects(p_value: float) -> bool:
    """Whether a bootstrap p-value rejects its family at :data:`LEVEL`: ``p ≤ 0.05``."""
    return p_value <= LEVEL + 1e-12  # (b + 1)/(rounds + 1) is 0.05 to the last bit, or not


def round_to(values: Floats, resolution: float) -> Floats:
    """``values`` as a log at ``resolution`` (seconds; 0: exact) writes them: each to the
    nearest multiple, a 0 read as ``resolution / 4`` (under half the resolution)."""
    if resolution <= 0:
        return values
    rounded = np.round(values / resolution) * resolution
    rounded[rounded <= 0] = resolution / 4
    return rounded


def bootstrap_p_value(
    fit: FamilyFit, size: int, rounds: int, seed: int, resolution: float = 0.0
) -> float:
    """The parametric-bootstrap p-value of ``fit`` (to a sample of ``size`` logged at
    ``resolution``): the share of ``rounds`` samples drawn from the fit, each rounded as the
    data were and refitted, whose KS distance to its own fit is at least ``fit.ks``, the
    data's own counted."""
    if rounds < MIN_ROUNDS:
        raise ValueError(f"{rounds} bootstrap samples: at least {MIN_ROUNDS} can reject at 5 %")
    sequence = np.random.SeedSequence(seed, spawn_key=(FAMILIES.index(fit.family),))
    rng = np.random.default_rng(sequence)
    model = frozen(fit.family, fit.params)
    as_far = 0
    for _ in range(rounds):
        drawn: Floats = model.rvs(size=size, random_state=rng)
        sample = np.sort(round_to(drawn, resolution))
        sample = np.maximum(sample, np.finfo(np.float64).tiny)  # a draw of exactly 0
        if sample[0] == sample[-1]:  # rounded to one value: no family to fit, as far as any
            as_far += 1
            continue
        again = fit_family(fit.family, sample)
        as_far += again.ks >= fit.ks
    return (as_far + 1) / (rounds + 1)
