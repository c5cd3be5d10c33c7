"""Parties of arrivals (batch arrivals, in queueing theory) against theory: M^X/M/1 in closed
form, and M^X/M/c by an exact computation (the stationary distribution of its Markov chain).

Each simulation test runs replications of one exponential stage fed by Poisson batches and
holds the per-replication mean waits to the exact value with a two-sided Student-t test at
α = 0.001. A replication's mean wait is (nearly) normal and unbiased when the run is long
against the queue's relaxation time τ, and starts after several τ from the empty state.

τ comes from the heavy-traffic (reflected Brownian motion) approximation of the workload,
the work in system: it grows by the work of a batch B (``E[B] = E[X]/μ``,
``E[B²] = (E[X] + E[X²])/μ²``) at rate λ and drains at rate c while the c lanes are busy,
so its drift is ``−δ = −c·μ·(1 − ρ)/μ = −c(1 − ρ)`` and its variance rate ``σ² = λ·E[B²]``;
the relaxation time of that Brownian motion is ``2σ²/δ²`` (for M/M/1, ``4ρ/(μ(1 − ρ)²)``,
against the exact ``1/(μ(1 − √ρ)²)``: 25 % short at ρ = 0.6, hence the wide margins:
warm-ups of at least 25 τ, horizons of at least 1000 τ).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import sparse, stats
from scipy.sparse.linalg import spsolve

from portsim import scenario_from_dict, simulate
from portsim.theory import mmc_wait_mean

from .helpers import per_replication

#: the two-sided level of every Student-t test here
ALPHA = 0.001


def assert_student_t(values: np.ndarray, expected: float, alpha: float = ALPHA) -> None:
    """The mean of ``values`` (one per replication) is consistent with ``expected``: a
    two-sided one-sample Student-t test at level ``alpha`` does not reject."""
    n = len(values)
    mean = float(values.mean())
    se = float(values.std(ddof=1)) / math.sqrt(n)
    quantile = float(stats.t.ppf(1 - alpha / 2, n - 1))
    assert abs(mean - expected) <= quantile * se, (
        f"mean {mean:.6g} vs exact {expected:.6g}: t = {abs(mean - expected) / se:.2f} > "
        f"{quantile:.2f} (SE {se:.3g}, n = {n})"
    )


def relaxation_time(rate: float, sizes: dict[int, float], mu: float, servers: int) -> float:
    """Heavy-traffic relaxation time 2σ²/δ² of the workload (see the module's docstring)."""
    ex = sum(x * p for x, p in sizes.items())
    ex2 = sum(x * x * p for x, p in sizes.items())
    rho = rate * ex / (servers * mu)
    sigma2 = rate * (ex + ex2) / mu**2
    return 2 * sigma2 / (servers * (1 - rho)) ** 2


def mx_m1_wait(rate: float, sizes: dict[int, float], mu: float) -> float:
    """Mean queue wait per customer in M^X/M/1 (batches at ``rate``, batch size X with
    probabilities ``sizes``, exponential service at ``mu``, FIFO within and between batches).

    A customer waits for the work found in system by its batch, then for the customers ahead
    of it in its batch. Batches see the time-average work (PASTA), which is that of an M/G/1
    queue whose customers are the batches (Pollaczek–Khinchine): ``λE[B²]/(2(1 − ρ))`` with
    ``ρ = λE[X]/μ`` and ``E[B²] = (E[X] + E[X²])/μ²``. A random customer's batch is size-
    biased, and its place in it uniform, so ``E[X(X − 1)]/(2E[X])`` customers of its own
    batch are ahead of it, ``1/μ`` each. Adding, with ``λ/μ² = ρ/(μE[X])``::

        Wq = ρ(E[X²] + E[X]) / (2μE[X](1 − ρ)) + (E[X²] − E[X]) / (2μE[X])
           = (E[X²] − E[X] + 2ρE[X]) / (2μE[X](1 − ρ)).

    The first term alone, ``(ρ/(1 − ρ))·(E[X²] + E[X])/(2E[X])/μ``, is what a customer at
    the head of its batch waits. With X ≡ k: ``(k − 1 + 2ρ)/(2μ(1 − ρ))``, the issue's formula;
    with X ≡ 1: ``ρ/(μ(1 − ρ))``, M/M/1. ``test_closed_form_agrees_with_the_markov_chain``
    checks it against :func:`batch_queue_lq` too.
    """
    ex = sum(x * p for x, p in sizes.items())
    ex2 = sum(x * x * p for x, p in sizes.items())
    rho = rate * ex / mu
    assert rho < 1
    return (ex2 - ex + 2 * rho * ex) / (2 * mu * ex * (1 - rho))


def batch_queue_lq(
    rate: float, sizes: dict[int, float], mu: float, servers: int, states: int
) -> tuple[float, float]:
    """Mean number waiting (not in service) of M^X/M/c, exactly: the stationary distribution
    of the chain on 0 .. ``states`` − 1 customers in system (a batch of x comes at rate
    ``rate·p_x``; one leaves at rate ``min(n, c)·μ``), truncated by refusing batches that
    would not fit. Returns L_q and the truncation mass: the stationary probability of the
    states where some batch is refused, which bounds how far the truncated chain is from the
    infinite one (it must be negligible)."""
    rows, cols, values = [], [], []
    for n in range(states):
        for x, p in sizes.items():
            if n + x < states:
                rows.append(n)
                cols.append(n + x)
                values.append(rate * p)
        if n > 0:
            rows.append(n)
            cols.append(n - 1)
            values.append(min(n, servers) * mu)
    q = sparse.csr_matrix((values, (rows, cols)), shape=(states, states))
    q = q - sparse.diags(np.asarray(q.sum(axis=1)).ravel())
    # π Q = 0 and Σ π = 1: the transposed system with its last equation replaced
    a = q.T.tolil()
    a[states - 1, :] = np.ones(states)
    b = np.zeros(states)
    b[-1] = 1.0
    pi = spsolve(a.tocsr(), b)
    assert np.all(pi > -1e-12)  # rounding only
    n = np.arange(states)
    lq = float(np.sum(np.maximum(n - servers, 0) * pi))
    tail = float(pi[states - max(sizes) :].sum())
    return lq, tail


def batch_scenario(
    rate: float, party: dict[str, object], mu: float, servers: int, *, warmup: float,
    horizon: float, replications: int, seed: int,
) -> dict[str, object]:  # fmt: skip
    """Poisson batches at ``rate`` into one stage of ``servers`` exponential lanes."""
    return {
        "name": "batches",
        "horizon": horizon,
        "warmup": warmup,
        "replications": replications,
        "seed": seed,
        "flows": [{"name": "b", "arrivals": {"rate": rate, "group": party}, "route": ["q"]}],
        "stages": [
            {
                "name": "q",
                "lanes": [
                    {
                        "name": "lanes",
                        "count": servers,
                        "service": {"dist": "exponential", "mean": 1 / mu},
                    }
                ],
            }
        ],
    }


def _counts(party: dict[str, object]) -> dict[int, float]:
    """The probabilities of a count distribution given as plain data."""
    if party["dist"] == "constant":
        return {int(party["value"]): 1.0}  # type: ignore[call-overload]
    values = list(party["values"])  # type: ignore[call-overload]
    return {int(v): values.count(v) / len(values) for v in set(values)}


@pytest.mark.parametrize("rho", [0.3, 0.6, 0.9])
def test_the_closed_form_reduces_to_the_known_cases(rho: float) -> None:
    """X ≡ 1: M/M/1, ρ/(μ(1 − ρ)); X ≡ k: the issue's (k − 1 + 2ρ)/(2μ(1 − ρ))."""
    mu = 2.0
    assert mx_m1_wait(rho * mu, {1: 1.0}, mu) == pytest.approx(rho / (mu * (1 - rho)))
    for k in (2, 4, 40):
        expected = (k - 1 + 2 * rho) / (2 * mu * (1 - rho))
        assert mx_m1_wait(rho * mu / k, {k: 1.0}, mu) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("sizes", "servers", "rho"),
    [({4: 1.0}, 1, 0.6), ({1: 1 / 3, 2: 1 / 3, 6: 1 / 3}, 1, 0.6), ({4: 1.0}, 3, 0.7)],
    ids=["k=4 c=1", "X in 1,2,6 c=1", "k=4 c=3"],
)
def test_closed_form_agrees_with_the_markov_chain(
    sizes: dict[int, float], servers: int, rho: float
) -> None:
    """The truncated chain converges (its truncation mass is negligible, and doubling it
    changes nothing), and for one lane it agrees with :func:`mx_m1_wait` to rounding."""
    ex = sum(x * p for x, p in sizes.items())
    rate = rho * servers / ex
    lq, tail = batch_queue_lq(rate, sizes, 1.0, servers, 1500)
    lq2, tail2 = batch_queue_lq(rate, sizes, 1.0, servers, 3000)
    assert abs(tail) < 1e-12  # nothing but rounding
    assert abs(tail2) < 1e-12
    assert lq == pytest.approx(lq2, rel=1e-9)
    if servers == 1:
        assert lq / (rate * ex) == pytest.approx(mx_m1_wait(rate, sizes, 1.0), rel=1e-9)


@pytest.mark.parametrize(
    ("party", "rho"),
    [
        ({"dist": "constant", "value": 4}, 0.6),
        ({"dist": "empirical", "values": [1, 2, 6]}, 0.6),
    ],
    ids=["M^4/M/1", "M^X/M/1 X in 1,2,6"],
)
def test_mx_m1_waits_match_the_closed_form(party: dict[str, object], rho: float) -> None:
    """Fixed batches of 4 at ρ = 0.6: Wq = (k − 1 + 2ρ)/(2μ(1 − ρ)) = 5.25 s (an M/M/1 at
    the same load waits 1.5 s); batches of 1, 2 or 6: Wq = 107/18 ≈ 5.94 s.

    τ: 37.5 s and 41.7 s (:func:`relaxation_time`); the warm-up, 2000 s, is over 45 τ; the
    horizon, 45,000 s, over 1000 τ: 10 replications of about 26,000 waits each."""
    mu, warmup, horizon = 1.0, 2_000.0, 45_000.0
    sizes = _counts(party)
    rate = rho * mu / sum(x * p for x, p in sizes.items())
    tau = relaxation_time(rate, sizes, mu, 1)
    assert warmup >= 25 * tau
    assert horizon >= 1000 * tau
    data = batch_scenario(
        rate, party, mu, 1, warmup=warmup, horizon=horizon, replications=10, seed=9
    )
    waits = per_replication(simulate(scenario_from_dict(data)), "stages", "q", "wait_mean_s")
    assert_student_t(waits, mx_m1_wait(rate, sizes, mu))
    # the test has the power to tell: the wait of a batch's first customer alone is rejected
    ex = sum(x * p for x, p in sizes.items())
    ex2 = sum(x * x * p for x, p in sizes.items())
    first = rho / (1 - rho) * (ex2 + ex) / (2 * ex) / mu
    with pytest.raises(AssertionError):
        assert_student_t(waits, first)


def test_mx_m_c_waits_match_the_markov_chain() -> None:
    """Batches of 4 into 3 lanes at ρ = λ·4/(3μ) = 0.7: L_q from the chain's stationary
    distribution, Wq = L_q/(λ·E[X]) by Little's law.

    τ = 25.9 s (:func:`relaxation_time`); the warm-up, 1000 s, is over 38 τ; the horizon,
    26,000 s, over 1000 τ: 10 replications of about 52,000 waits each."""
    sizes, servers, mu, rho = {4: 1.0}, 3, 1.0, 0.7
    warmup, horizon = 1_000.0, 26_000.0
    rate = rho * servers * mu / 4
    tau = relaxation_time(rate, sizes, mu, servers)
    assert warmup >= 25 * tau
    assert horizon >= 1000 * tau
    lq, tail = batch_queue_lq(rate, sizes, mu, servers, 1500)
    assert abs(tail) < 1e-12
    exact = lq / (rate * 4)
    # batches wait more than three times as long as single arrivals at the same load would
    assert exact > 3 * mmc_wait_mean(4 * rate, 1 / mu, servers)
    party = {"dist": "constant", "value": 4}
    data = batch_scenario(
        rate, party, mu, servers, warmup=warmup, horizon=horizon, replications=10, seed=10
    )
    waits = per_replication(simulate(scenario_from_dict(data)), "stages", "q", "wait_mean_s")
    assert_student_t(waits, exact)
