"""A goodness-of-fit test whose p-value is right for fitted parameters: the parametric
bootstrap of the Kolmogorov–Smirnov distance.

The textbook KS p-value assumes the distribution was known before the data were seen; with
its parameters fitted to the same data the distance is smaller than the table expects, and
the test almost never rejects. Here the fitted distribution draws ``rounds`` samples of the
same size; each is fitted again, by the same maximum likelihood, and its own distance taken.
The p-value is the share of them at least as far as the data's, counting the data's own
((b + 1) / (rounds + 1), never 0): under the fitted family it is uniform, so a test at 5 %
rejects a right family 5 % of the time. Each family draws from its own stream of a
:class:`numpy.random.SeedSequence` (the seed, then the family's place in
:data:`~portsim.fit.families.FAMILIES`): the same seed gives the same p-values.
"""

from __future__ import annotations

import numpy as np

from .families import FAMILIES, FamilyFit, Floats, fit_family, frozen

__all__ = ["DEFAULT_ROUNDS", "bootstrap_p_value"]

#: bootstrap samples by default: p-values to 1/200, a few tenths of a second per family
DEFAULT_ROUNDS = 199


def bootstrap_p_value(fit: FamilyFit, size: int, rounds: int, seed: int) -> float:
    """The parametric-bootstrap p-value of ``fit`` (to a sample of ``size``): the share of
    ``rounds`` samples drawn from the fit, each refitted, whose KS distance to its own fit
    is at least ``fit.ks``, the data's own counted."""
    sequence = np.random.SeedSequence(seed, spawn_key=(FAMILIES.index(fit.family),))
    rng = np.random.default_rng(sequence)
    model = frozen(fit.family, fit.params)
    as_far = 0
    for _ in range(rounds):
        sample: Floats = np.sort(model.rvs(size=size, random_state=rng))
        sample = np.maximum(sample, np.finfo(np.float64).tiny)  # a draw of exactly 0
        again = fit_family(fit.family, sample)
        as_far += again.ks >= fit.ks
    return (as_far + 1) / (rounds + 1)
