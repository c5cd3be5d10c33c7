"""Observed waits in a run's own reports (``portsim run FILE --observed waits.csv``,
``portsim.with_observed_waits``): the distances and the statistics with their intervals
computed by hand on small samples; an exact run whose waits are known to the second, held
against itself (zero apart) and against twice its waits; the text, the HTML (parsed) and the
JSON block; the notebook view; careless input answered in one line before the run; and a
run with observed waits imports no scipy."""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
import sys
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import portsim
from portsim import scenario_from_dict, simulate
from portsim.cli import main
from portsim.errors import UsageError
from portsim.fit import DataError, compare_waits, read_observed
from portsim.report.document import run_report_html
from portsim.report.notebook import result_html
from portsim.report.observed import observed_table, verdict
from portsim.report.text import format_report
from portsim.results.catalog import WAIT_MEAN, WAIT_P50, WAIT_P90, WAIT_P95
from portsim.results.observed import (
    binomial_ranks,
    ks_distance,
    observed_interval,
    observed_waits,
    wasserstein_distance,
)

ROOT = Path(__file__).resolve().parent.parent

#: Student's t, 97.5th percentile (a table's values): 2 and 4 degrees of freedom
T_2, T_4 = 4.302653, 2.776445


# -- the distances, by hand


def test_ks_and_wasserstein_of_small_samples_by_hand() -> None:
    """Observed 0, 60, 120 s; simulated 30, 90, 150 s: KS 1/3 (the ECDFs differ by a third on
    [0, 30), [60, 90), [120, 150)), Wasserstein 30 s (every wait 30 s later).
    0 and 10 against 5: the ECDFs differ by ½ on [0, 10): KS ½, Wasserstein ½ × 10 = 5.
    1, 1, 3 against 1, 2 (ties): at 1, 2/3 against ½; on [2, 3), 2/3 against 1: KS 1/3,
    Wasserstein 1/6 × 1 + 1/3 × 1 = ½."""
    assert ks_distance([0, 60, 120], [30, 90, 150]) == pytest.approx(1 / 3)
    assert wasserstein_distance([0, 60, 120], [30, 90, 150]) == pytest.approx(30.0)
    assert ks_distance([0, 10], [5]) == pytest.approx(0.5)
    assert wasserstein_distance([10, 0], [5]) == pytest.approx(5.0)
    assert ks_distance([1, 1, 3], [1, 2]) == pytest.approx(1 / 3)
    assert wasserstein_distance([1, 1, 3], [2, 1]) == pytest.approx(0.5)
    assert ks_distance([4, 4], [4]) == 0.0
    assert wasserstein_distance([4, 4], [4]) == 0.0
    assert ks_distance([0, 1], [5, 6]) == 1.0


def test_the_distances_agree_with_scipy_and_need_it_not() -> None:
    """Where scipy is installed, its two-sample KS statistic and Wasserstein distance give
    the same numbers on samples with ties and of unequal sizes."""
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(26)
    for _ in range(100):
        a = rng.exponential(60.0, rng.integers(1, 40)).round(-1)
        b = rng.gamma(2.0, 40.0, rng.integers(1, 40)).round(-1)
        assert ks_distance(a, b) == pytest.approx(stats.ks_2samp(a, b).statistic, abs=1e-12)
        assert wasserstein_distance(a, b) == pytest.approx(stats.wasserstein_distance(a, b))


def test_fit_waits_shares_the_numpy_distances() -> None:
    comparison = compare_waits([120, 0, 60], [30, 150, 90])
    assert comparison.ks == pytest.approx(1 / 3)
    assert comparison.wasserstein == pytest.approx(30.0)


# -- the statistics and their intervals, by hand

#: three replications, each five waits ten seconds apart, the next ten seconds later
THREE = ([0, 10, 20, 30, 40], [10, 20, 30, 40, 50], [20, 30, 40, 50, 60])


def test_each_statistic_over_the_replications_by_hand() -> None:
    """Each replication's mean and median: 20, 30, 40 s (mean 30, sd 10); p90 (linear, at
    index 3.6): 36, 46, 56; p95 (index 3.8): 38, 48, 58. Their 95 % interval: ± t(2) × 10 /
    √3. The observed 100 s (ten of them) lies above each interval and every replication."""
    compared = observed_waits([100.0] * 10, [np.array(r, float) for r in THREE],
                              min_per_replication=1)  # fmt: skip
    half = T_2 * 10 / math.sqrt(3)
    rows = {row.metric: row for row in compared.rows()}
    assert list(rows) == [WAIT_MEAN, WAIT_P50, WAIT_P90, WAIT_P95]
    for metric, (mean, lowest, highest) in {
        WAIT_MEAN: (30.0, 20.0, 40.0),
        WAIT_P50: (30.0, 20.0, 40.0),
        WAIT_P90: (46.0, 36.0, 56.0),
        WAIT_P95: (48.0, 38.0, 58.0),
    }.items():
        row = rows[metric]
        assert row.observed == 100.0
        assert row.simulated.mean == pytest.approx(mean)
        assert row.simulated.low == pytest.approx(mean - half, rel=1e-6)
        assert row.simulated.high == pytest.approx(mean + half, rel=1e-6)
        assert (row.lowest, row.highest) == pytest.approx((lowest, highest))
        assert row.position == "above"
        assert not row.within_replications
    assert len(compared.simulated) == 15
    said = verdict(compared)
    assert said.tone == "fail"
    assert said.headline.startswith("The observed 95th-percentile wait (100.0 s) lies above "
                                    "the simulated interval (")  # fmt: skip
    assert said.headline.endswith("and above every replication's (38.0 – 58.0 s): the "
                                  "simulated waits are too short")  # fmt: skip


def test_inside_the_interval_but_beyond_the_replications_and_the_other_way() -> None:
    """Observed 25, 30, 35 s against :data:`THREE`: mean and median 30, inside; p95 (index
    1.9) 34.5, inside 48 ± 24.8 but below every replication's (38 to 58): inside all the
    same, a pass. Five replications of one wait each, 10 to 50 s (mean 30, sd √250): the
    interval 30 ± t(4) × √250 / √5 = 30 ± 19.6; an observed 50 s lies above it but within the
    replications' range (10 to 50): mixed."""
    inside = observed_waits(
        [25.0, 30.0, 35.0], [np.array(r, float) for r in THREE], min_per_replication=1
    )
    lead = inside.lead()
    assert lead.observed == pytest.approx(34.5)
    assert lead.position == "inside"
    assert not lead.within_replications
    assert verdict(inside).tone == "pass"
    spread = observed_waits([50.0] * 3, [np.array([v], float) for v in (10, 20, 30, 40, 50)],
                            min_per_replication=1)  # fmt: skip
    row = spread.lead()
    half = T_4 * math.sqrt(250) / math.sqrt(5)
    assert (row.simulated.low, row.simulated.high) == pytest.approx((30 - half, 30 + half))
    assert row.position == "above"
    assert row.within_replications
    said = verdict(spread)
    assert said.tone == "mixed"
    assert "but within the replications' range (10.0 – 50.0 s): a simulated day can give it" in (
        said.headline
    )


def _binomial_tails(n: int, p: Fraction) -> tuple[list[Fraction], list[Fraction]]:
    """P(Binom(n, p) ≤ k) and P(Binom(n, p) ≥ k), k = 0 … n, in exact fractions."""
    terms = [math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1)]
    below = [sum(terms[: k + 1], Fraction(0)) for k in range(n + 1)]
    above = [sum(terms[k:], Fraction(0)) for k in range(n + 1)]
    return below, above


def test_the_binomial_ranks_by_exact_fractions() -> None:
    """The ranks r, s of every n from 2 to 120 (and p = ½, 0.9, 0.95) as the definition gives
    them in exact fractions: r the largest with P(B ≤ r − 1) ≤ 1/40, s the smallest with
    P(B ≥ s) ≤ 1/40; none where no rank of 1 … n does. A 95th percentile is open above
    until n = 72: 0.95⁷¹ = 0.026 > 0.025 ≥ 0.95⁷² = 0.0249."""
    tail = Fraction(1, 40)
    for p in (Fraction(1, 2), Fraction(9, 10), Fraction(19, 20)):
        for n in range(2, 121):
            below, above = _binomial_tails(n, p)
            lows = [r for r in range(1, n + 1) if below[r - 1] <= tail]
            highs = [s for s in range(1, n + 1) if above[s] <= tail]
            expected = (max(lows, default=None), min(highs, default=None))
            assert binomial_ranks(n, float(p)) == expected, (n, p)
    assert binomial_ranks(71, 0.95)[1] is None
    assert binomial_ranks(72, 0.95) == (64, 72)


@pytest.mark.parametrize("n", [10, 20, 30, 100, 400])
@pytest.mark.parametrize("percent", [50.0, 90.0, 95.0])
def test_a_percentile_s_interval_covers_it_95_times_in_100(n: int, percent: float) -> None:
    """Exactly: the interval [X(r), X(s)] (or [X(r), ∞) open above, [0, X(s)] open below)
    misses the true percentile x_p when x_p < X(r), with probability P(B ≤ r − 1), or
    x_p > X(s), P(B ≥ s): its coverage is 1 minus both, at least 95 %. By simulation too:
    2,000 samples of n exponential waits (mean 60 s, x_p = −60 ln(1 − p)); the count that
    covers x_p is at least 95 % less three binomial standard deviations."""
    p = percent / 100
    low, high = binomial_ranks(n, p)
    below, above = _binomial_tails(n, Fraction(p).limit_denominator(100))
    missed = (below[low - 1] if low else 0) + (above[high] if high else 0)
    assert 1 - missed >= Fraction(95, 100)
    metric = {50.0: WAIT_P50, 90.0: WAIT_P90, 95.0: WAIT_P95}[percent]
    rng = np.random.default_rng(int(n * percent))
    truth = -60.0 * math.log(1 - p)
    trials = 2000
    covered = 0
    for _ in range(trials):
        ends = observed_interval(metric, np.sort(rng.exponential(60.0, n)))
        assert ends is not None
        covered += ends[0] <= truth <= ends[1]
    assert covered >= trials * 0.95 - 3 * math.sqrt(trials * 0.95 * 0.05)


def test_the_observed_value_s_own_interval_by_hand() -> None:
    """1, 2, …, 100 s: the mean 50.5 ± t(99) × sd / 10, sd = √(100 × 101 / 12); the median
    between ranks 40 and 61 (P(B ≤ 39) = 0.018, P(B ≤ 40) = 0.028; P(B ≥ 61) = 0.018,
    P(B ≥ 60) = 0.028: B ~ Binom(100, ½)); p90 between 84 and 96; p95 between 90 and 100
    (:func:`test_the_binomial_ranks_by_exact_fractions`). Ten waits 1 … 10 s: the p95 from
    rank 8 (P(B ≤ 7) = 0.0115, P(B ≤ 8) = 0.086, B ~ Binom(10, 0.95)), open above (0.95¹⁰ =
    0.60 of samples have their 95th percentile above the largest value); the median between
    ranks 2 and 9 (P(B ≤ 1) = P(B ≥ 9) = 11/1024)."""
    waits = np.arange(1.0, 101.0)
    half = 1.984217 * math.sqrt(100 * 101 / 12) / 10
    assert observed_interval(WAIT_MEAN, waits) == pytest.approx((50.5 - half, 50.5 + half))
    assert observed_interval(WAIT_P50, waits) == (40.0, 61.0)
    assert observed_interval(WAIT_P90, waits) == (84.0, 96.0)
    assert observed_interval(WAIT_P95, waits) == (90.0, 100.0)
    ten = np.arange(1.0, 11.0)
    assert observed_interval(WAIT_P95, ten) == (8.0, math.inf)
    assert observed_interval(WAIT_P50, ten) == (2.0, 9.0)
    assert observed_interval(WAIT_P95, np.array([7.0])) is None


def test_a_small_sample_cannot_say_the_simulated_p95_is_too_long() -> None:
    """Ten observed waits 1 … 10 s (p95 9.55 s, shown 9.5 s; its interval 8 s and up: open
    above) against replications of 25 waits of 20 s each: below the simulated (point)
    interval, but the interval open above holds it: the verdict says so, and never "too
    long"; the table says ≥ 8.0 s. The same waits against 5 s: above, and its interval's
    lower end (8 s) is above too: apart, "too short"."""
    ten = np.arange(1.0, 11.0)
    slower = observed_waits(ten, [np.full(25, 20.0)] * 3)
    lead = slower.lead()
    assert (lead.position, lead.apart) == ("below", False)
    said = verdict(slower)
    assert said.headline == (
        "The observed 95th-percentile wait (9.5 s) lies below the simulated interval (20.0 – "
        "20.0 s), but its own 95 % interval is open above (≥ 8.0 s): 10 observed waits are too "
        "few to bound a 95th-percentile wait from above, or to tell them apart"
    )
    assert "too long" not in said.headline
    table = observed_table(slower)
    assert table.rows[3][1] == "9.5 s (≥ 8.0 s)"
    assert table.rows[3][-1] == "below the interval; the intervals overlap"
    assert table.csv_rows[3][2:4] == [8.0, None]
    assert slower.json()["statistics"][WAIT_P95.name]["observed_ci95"] == [8.0, None]
    quicker = observed_waits(ten, [np.full(25, 5.0)] * 3)
    assert quicker.lead().apart
    assert verdict(quicker).headline.endswith("the simulated waits are too short")


def test_a_gap_the_observed_sample_cannot_tell_is_said_so() -> None:
    """Observed 1 to 100 s (p95 95.05 s, its interval 90 to 100) against replications that
    all wait 100 s: below the (point) interval, but the two intervals meet; the mean and the
    median are far below every replication: mixed."""
    compared = observed_waits(np.arange(1.0, 101.0), [np.full(5, 100.0)] * 3,
                              min_per_replication=1)  # fmt: skip
    lead = compared.lead()
    assert lead.position == "below"
    assert not lead.apart
    said = verdict(compared)
    assert said.headline == (
        "The observed 95th-percentile wait (95.0 s) lies below the simulated interval (100.0 – "
        "100.0 s), but its own 95 % interval (90.0 – 100.0 s) overlaps it: 100 observed waits "
        "cannot tell them apart"
    )
    assert said.tone == "mixed"


def test_one_replication_has_no_interval() -> None:
    one = observed_waits([10.0, 20.0], [np.array([10.0, 20.0])], min_per_replication=1)
    assert one.lead().position == "at"
    assert one.lead().simulated.interval is None
    assert "one replication gives no interval" in verdict(one).headline
    with pytest.raises(UsageError, match="no simulated waits"):
        observed_waits([1.0], [np.empty(0)])


# -- an exact run: its waits known to the second

#: ten travellers at 00:00 at one counter of 60 s: they wait 0, 60, …, 540 s; then an exit of
#: two lanes, no queue; one late traveller of another flow at 00:05 waits 300 s
EXACT = {
    "name": "exact",
    "horizon": "2h",
    "replications": 2,
    "flows": [
        {"name": "crowd", "arrivals": {"times": ["0s"] * 10}, "route": ["desk", "exit"]},
        {"name": "late", "arrivals": {"times": ["5min"]}, "route": ["desk"]},
    ],
    "stages": [
        {"name": "desk", "lanes": [{"name": "one", "count": 1,
                                    "service": {"dist": "constant", "value": "60s"}}]},
        {"name": "exit", "lanes": [{"name": "two", "count": 2,
                                    "service": {"dist": "constant", "value": "1s"}}]},
    ],
}  # fmt: skip
CROWD = [60.0 * k for k in range(10)]


def _exact_files(tmp_path: Path, factor: float = 1.0) -> tuple[Path, Path]:
    scenario = tmp_path / "exact.yaml"
    scenario.write_text(json.dumps(EXACT), encoding="utf-8")  # JSON is YAML
    waits = tmp_path / "waits.csv"
    rows = "".join(f"T{k},{w * factor:g}\n" for k, w in enumerate(CROWD))
    waits.write_text("traveller,wait_s\n" + rows, encoding="utf-8")
    return scenario, waits


def test_the_exact_run_held_against_its_own_waits_is_zero_apart() -> None:
    """The crowd's waits at the desk, 0 to 540 s, against the run's (two identical
    replications of 10 waits, fewer than 20: the percentiles pooled): observed mean and median
    270 s, p90 (index 8.1) 486 s, p95 (index 8.55) 513 s. Simulated: the mean 270 s, its
    interval a point; the pooled 20 waits (each twice) have median 270 s (index 9.5, between
    240 and 300), p90 486 s (index 17.1, between 480 and 540) and p95 540 s (index 18.05):
    values without an interval. The observed p95 lies below it, its own interval (840 s and
    up from rank 8: open above) holding it: a pass. KS and Wasserstein 0."""
    result = simulate(scenario_from_dict(EXACT), seed=0)
    held = portsim.with_observed_waits(result, CROWD, flow="crowd", stage="desk")
    assert held.observed is not None
    assert result.observed is None
    assert held.observed.ks == 0.0
    assert held.observed.wasserstein == 0.0
    assert held.observed.compared == "crowd at desk"
    assert held.observed.pooled
    expected = {WAIT_MEAN: 270.0, WAIT_P50: 270.0, WAIT_P90: 486.0, WAIT_P95: 513.0}
    simulated = {WAIT_MEAN: 270.0, WAIT_P50: 270.0, WAIT_P90: 486.0, WAIT_P95: 540.0}
    rows = held.observed.rows()
    for row in rows:
        assert row.observed == pytest.approx(expected[row.metric])
        assert row.simulated.mean == pytest.approx(simulated[row.metric])
        assert row.pooled is (row.metric is not WAIT_MEAN)
    assert rows[0].simulated.interval == pytest.approx((270.0, 270.0))
    assert [row.position for row in rows] == ["inside", "at", "at", "below"]
    assert rows[3].observed_interval == (420.0, math.inf)
    assert verdict(held.observed).tone == "pass"
    minutes = portsim.with_observed_waits(result, [w / 60 for w in CROWD], unit="min",
                                          flow="crowd", stage="desk")  # fmt: skip
    assert minutes.observed is not None
    assert minutes.observed.wasserstein == pytest.approx(0.0)
    late = portsim.with_observed_waits(result, [300.0], flow="late")
    assert late.observed is not None
    assert late.observed.ks == 0.0


def test_the_api_checks_its_names_and_its_waits(tmp_path: Path) -> None:
    result = simulate(scenario_from_dict(EXACT), seed=0)
    with pytest.raises(DataError, match=r"exact: --flow: no flow named 'nobody' \(its flows"):
        portsim.with_observed_waits(result, CROWD, flow="nobody")
    with pytest.raises(DataError, match="exact: --stage: no stage named 'gate'"):
        portsim.with_observed_waits(result, CROWD, stage="gate")
    with pytest.raises(UsageError, match="zero or more"):
        portsim.with_observed_waits(result, [-1.0, 2.0])
    with pytest.raises(UsageError, match="records=True"):
        portsim.with_observed_waits(simulate(scenario_from_dict(EXACT), records=False), CROWD)
    _, waits = _exact_files(tmp_path)
    sample = read_observed(waits, flow="crowd", stage="desk")
    from_file = portsim.with_observed_waits(result, sample)
    assert from_file.observed is not None
    assert from_file.observed.source == f"{waits}: wait_s"
    assert from_file.observed.ks == 0.0


def _run(*args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(main, list(args))
    return done.exit_code, done.stdout, done.stderr


def test_the_text_and_the_json_of_a_run_twice_as_quick_as_observed(tmp_path: Path) -> None:
    """Observed: the crowd's waits doubled, 0 to 1080 s. Every observed statistic is twice
    the simulated one; the mean above the (point) interval and every replication; the
    percentiles beside the pooled ones (10 waits a replication), the p95 of 1026 s (index 8.55
    of the observed) its interval from rank 8 (840 s) open above, beyond the pooled 540 s: the
    simulated waits are too short. KS: on [540, 600)
    every simulated wait is over and half the observed ones: ½. Wasserstein: the sorted
    waits pair up, each observed one 60 k s longer: the mean of 0, 60, …, 540 = 270 s."""
    scenario, waits = _exact_files(tmp_path, factor=2)
    args = ["run", str(scenario), "--observed", str(waits), "--flow", "crowd", "--stage", "desk"]
    code, out, err = _run(*args, "--quiet")
    assert code == 0, err
    section = out[out.index("Observed waits: crowd at desk") :].splitlines()
    assert section[1] == (
        "The observed 95th-percentile wait (17.1 min) lies above the simulated value (9.0 min; "
        "of every replication's waits together): the simulated waits are too short."
    )
    table = {line.split("  ")[0]: line for line in section[2:8]}
    assert "9.0 min" in table["mean wait"]
    assert "4.5 min" in table["mean wait"]
    assert "above the simulated value, beyond its own interval" in table["95th-percentile wait"]
    assert "17.1 min (≥ 14.0 min)  " in table["95th-percentile wait"]
    assert "  9.0 min  " in table["95th-percentile wait"]
    assert "- 10.0 simulated waits a replication on average, fewer than 20: " in out
    assert "- Kolmogorov–Smirnov distance: 0.500 (" in out
    assert "- Wasserstein distance: 4.5 min (" in out
    code, out, err = _run(*args, "--quiet", "--json", "-")
    assert code == 0, err
    block = json.loads(out)["observed_waits"]
    assert block["ks"] == pytest.approx(0.5)
    assert block["wasserstein_s"] == pytest.approx(270.0)
    assert (block["observed_n"], block["simulated_n"], block["unserved"]) == (10, 20, 0)
    assert block["simulated_pooled"] is True
    assert "since_s" not in block
    assert block["compared"] == "crowd at desk"
    p95 = block["statistics"][WAIT_P95.name]
    # the observed p95's interval: from rank 8 (P(B ≤ 7) = 0.0115), open above (0.95¹⁰ = 0.6)
    assert p95 == {"observed": pytest.approx(1026.0), "observed_ci95": [840.0, None],
                   "simulated": {"mean": pytest.approx(540.0), "ci95": None},
                   "replications_range": None, "simulated_pooled": True,
                   "position": "above"}  # fmt: skip
    assert list(block["statistics"]) == [m.name for m in (WAIT_MEAN, WAIT_P50, WAIT_P90,
                                                           WAIT_P95)]  # fmt: skip


def test_a_run_without_observed_waits_says_nothing_of_them() -> None:
    result = simulate(scenario_from_dict(EXACT), seed=0)
    assert "observed_waits" not in result.to_dict()
    assert "Observed waits" not in format_report(result)
    assert 'id="observed"' not in run_report_html(result)
    held = portsim.with_observed_waits(result, CROWD, flow="crowd", stage="desk")
    # the rest of the report as it was: the section is added, nothing else changes
    assert format_report(held).startswith(format_report(result).split("\nWarnings")[0])
    without = {k: v for k, v in held.to_dict().items() if k != "observed_waits"}
    assert without == result.to_dict()


# -- the HTML report, parsed


class _Section(HTMLParser):
    """The ``<section id="observed">`` of a page: its heading, verdict, table cells (row by
    row, by the table's ``data-name``) and images."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # sections open inside the observed one, itself included
        self.headings: list[str] = []
        self.verdict = ""
        self.tables: dict[str, list[list[str]]] = {}
        self.images: list[str] = []
        self._table = ""
        self._cell: list[str] | None = None
        self._tag = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section" and (self.depth or found.get("id") == "observed"):
            self.depth += 1
        if not self.depth:
            return
        self._tag = tag
        if tag == "table":
            self._table = found.get("data-name") or ""
            self.tables[self._table] = []
        elif tag == "tr":
            self.tables[self._table].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "img":
            self.images.append(found.get("src") or "")
        elif tag == "h2":
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self.depth:
            self.depth -= 1
        if tag in ("td", "th") and self._cell is not None:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        self._tag = ""

    def handle_data(self, data: str) -> None:
        if not self.depth:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._tag == "h2":
            self.headings[-1] += data
        elif self._tag in ("h3", "li") and not self.tables:
            self.verdict += data + "\n"


def test_the_html_report_has_the_section_with_its_values(tmp_path: Path) -> None:
    """``--html``: one page; the section right after the answer, its verdict, its table
    (the hand values of the doubled waits) and its ECDF inline as a PNG."""
    scenario, waits = _exact_files(tmp_path, factor=2)
    page = tmp_path / "report.html"
    code, _, err = _run("run", str(scenario), "--observed", str(waits), "--flow", "crowd",
                        "--stage", "desk", "--quiet", "--html", str(page))  # fmt: skip
    assert code == 0, err
    text = page.read_text(encoding="utf-8")
    assert text.index('id="observed"') < text.index('id="scenario"')
    section = _Section()
    section.feed(text)
    assert section.headings == ["Observed waits"]
    assert "The observed 95th-percentile wait (17.1 min) lies above the simulated value" in (
        section.verdict
    )
    assert "Kolmogorov–Smirnov distance: 0.500" in section.verdict
    rows = section.tables["observed_waits"]
    assert rows[0] == [
        "",
        "observed (95 % CI)",
        "simulated (95 % CI)",
        "replications",
        "the observed value",
    ]
    cells = {row[0]: row[1:] for row in rows[1:]}
    assert list(cells) == ["mean wait", "median wait", "90th-percentile wait",
                           "95th-percentile wait"]  # fmt: skip
    # the observed mean 540 s ± t(9) × 120 × sd(0, 1, …, 9) / √10 = ± 259.9 s
    assert cells["mean wait"][:3] == ["9.0 min (4.7 – 13.3)", "4.5 min (4.5 – 4.5)",
                                      "4.5 – 4.5 min"]  # fmt: skip
    # 2 × 486 s; its interval from rank 7 (P(B ≤ 6) = 0.013, B ~ Binom(10, 0.9)), 720 s,
    # open above (0.9¹⁰ = 0.35 > 0.025); the pooled simulated p90 486 s, no interval
    assert cells["90th-percentile wait"][:3] == ["16.2 min (≥ 12.0 min)", "8.1 min", "-"]
    # the median's own interval, ranks 2 and 9 (120 to 960 s), holds the pooled 270 s
    assert [row[-1] for row in cells.values()] == [
        "above the interval and every replication",
        "above the simulated value; its own interval holds it",
        "above the simulated value, beyond its own interval",
        "above the simulated value, beyond its own interval",
    ]
    assert len(section.images) == 1
    assert section.images[0].startswith("data:image/png;base64,")
    assert 'src="http' not in text
    assert "<link" not in text


def test_the_notebook_shows_the_verdict_and_the_table_and_plots_the_ecdf() -> None:
    result = simulate(scenario_from_dict(EXACT), seed=0)
    held = portsim.with_observed_waits(result, [2 * w for w in CROWD], flow="crowd",
                                       stage="desk")  # fmt: skip
    shown = result_html(held)
    assert "Observed and simulated waits: crowd at desk" in shown
    assert "lies above the simulated value" in shown
    assert "Observed and simulated waits" not in result_html(result)
    figure = held.plot("observed_waits")
    assert figure.get_suptitle().startswith("Observed and simulated waits")
    with pytest.raises(UsageError, match="no plot 'observed_waits'"):
        result.plot("observed_waits")


# -- careless input: one line, exit 2, before the run


def _one_line(*args: str) -> str:
    code, out, err = _run(*args)
    assert code == 2, (out, err)
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(
    ("content", "options", "expected"),
    [
        (None, (), "{waits}: no such file"),
        ("traveller,wait\nA,1\n", (), "{waits}: wait_s: no such column (the columns are: "
         "traveller, wait)"),
        ("wait_s\n" + "10\n" * 9 + "soon\n", (), "{waits}: wait_s: row 11: 'soon' is not a "
         "number"),
        ("wait_s\n" + "10\n" * 9 + "-3\n", (), "{waits}: wait_s: row 11: -3 is negative: it "
         "must be zero or more"),
        ("wait_s\n10\n20\n", (), "{waits}: wait_s: 2 waits: at least 10 are needed"),
        ("", (), "{waits}: the file is empty: a header row and data rows are needed"),
        ("q\n" + "10\n" * 10, ("--column", "Q"), "{waits}: Q: no such column (the columns "
         "are: q)"),
        ("wait_s\n" + "10\n" * 10, ("--flow", "crowds"), "{scenario}: --flow: no flow named "
         "'crowds' (its flows and classes: crowd, late)"),
        ("wait_s\n" + "10\n" * 10, ("--stage", "hall"), "{scenario}: --stage: no stage named "
         "'hall' (its stages: desk, exit)"),
        ("wait_s\n" + "10\n" * 10, ("--no-records",), "--observed needs the run's records: "
         "drop --no-records"),
    ],
    ids=["missing", "column", "text", "negative", "few", "empty", "named-column", "flow",
         "stage", "no-records"],
)  # fmt: skip
def test_a_bad_observed_file_or_name_is_one_line_before_the_run(
    tmp_path: Path, content: str | None, options: tuple[str, ...], expected: str
) -> None:
    scenario, _ = _exact_files(tmp_path)
    waits = tmp_path / "observed.csv"
    if content is not None:
        waits.write_text(content, encoding="utf-8")
    line = _one_line("run", str(scenario), "--observed", str(waits), *options)
    assert line == expected.format(waits=waits, scenario=scenario)


def test_reading_options_without_observed_and_an_output_over_it(tmp_path: Path) -> None:
    scenario, waits = _exact_files(tmp_path)
    assert _one_line("run", str(scenario), "--flow", "crowd", "--unit", "min") == (
        "--unit, --flow: only with --observed WAITS.csv"
    )
    assert _one_line("run", str(scenario), "--observed", str(waits), "--html", str(waits)) == (
        f"{waits}: is a scenario file of this run: --html would overwrite it"
    )


def test_a_run_with_observed_waits_imports_no_scipy(tmp_path: Path) -> None:
    """The distances are numpy's: ``portsim run --observed`` (text and JSON) loads neither
    scipy nor matplotlib."""
    scenario, waits = _exact_files(tmp_path)
    code = (
        "import sys\nfrom portsim.cli import main\n"
        f"main(['run', {str(scenario)!r}, '--observed', {str(waits)!r}, '--flow', 'crowd',"
        " '--quiet', '--workers', '1', '--json', '-'], standalone_mode=False)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scipy', 'matplotlib')),"
        " file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120, cwd=ROOT)  # fmt: skip
    assert "observed_waits" in json.loads(done.stdout)
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_a_result_with_observed_waits_is_still_a_result() -> None:
    result = simulate(scenario_from_dict(EXACT), seed=0)
    held = portsim.with_observed_waits(result, CROWD, flow="crowd")
    assert dataclasses.replace(held, observed=None).to_dict() == result.to_dict()
    assert "observed" not in repr(held).split("\n")[0]


# -- a comparison: the observed waits beside each variant


def test_compare_puts_the_observed_waits_beside_each_variant(tmp_path: Path) -> None:
    """The crowd's own waits against the file as it is and a counter of 30 s: the first
    matches (KS and Wasserstein 0; the observed p95 of 513 s below the pooled 540 s, its own
    interval from 420 s open above holding it); the quicker counter halves every wait (0, 30,
    …, 270 s: pooled p95 270 s), so the observed p95 lies beyond it: its KS is ½
    (on [270, 300) every simulated wait is over and half the observed ones) and its
    Wasserstein distance the mean of the halves, 135 s."""
    scenario, waits = _exact_files(tmp_path)
    page = tmp_path / "compare.html"
    args = ["compare", str(scenario), "--variant",
            "quick:stages.desk.lanes.one.service.value=30s", "--observed", str(waits),
            "--flow", "crowd", "--stage", "desk", "--quiet"]  # fmt: skip
    code, out, err = _run(*args, "--html", str(page))
    assert code == 0, err
    lines = out[out.index("Observed waits beside each variant: crowd at desk") :].splitlines()
    assert lines[1].startswith("Observed: mean wait 4.5 min, 95th-percentile wait 8.5 min (10 ")
    rows = {line.split()[0]: line for line in lines[4:6]}
    assert rows["base"].split()[-3:] == ["0.000", "0.0", "s"]
    assert "below the simulated value; its own interval holds it" in rows["base"]
    assert "above the simulated value, beyond its own interval" in rows["quick"]
    assert rows["quick"].split()[-3:] == ["0.500", "2.2", "min"]
    section = _Section()
    section.feed(page.read_text(encoding="utf-8"))
    assert section.headings == ["Observed waits"]
    table = section.tables["observed_by_variant"]
    assert [row[0] for row in table] == ["variant", "base", "quick"]
    assert table[2][2:] == ["4.5 min", "above the simulated value, beyond its own interval",
                            "0.500", "2.2 min"]  # fmt: skip
    assert len(section.images) == 1
    code, _, err = _run(*args, "--plots", str(tmp_path / "plots"))
    assert code == 0, err
    assert (tmp_path / "plots" / "compare_observed_waits.png").stat().st_size > 0
    code, out, err = _run(*args, "--json", "-")
    assert code == 0, err
    results = json.loads(out)["results"]
    assert results["base"]["observed_waits"]["wasserstein_s"] == 0.0
    assert results["quick"]["observed_waits"]["wasserstein_s"] == pytest.approx(135.0)
    assert results["quick"]["observed_waits"]["ks"] == pytest.approx(0.5)


def test_compare_checks_the_names_before_the_run(tmp_path: Path) -> None:
    scenario, waits = _exact_files(tmp_path)
    line = _one_line("compare", str(scenario), "--variant", "two:stages.desk.lanes.one.count=2",
                     "--observed", str(waits), "--stage", "hall")  # fmt: skip
    assert line == f"{scenario}: --stage: no stage named 'hall' (its stages: desk, exit)"
    assert _one_line("compare", str(scenario), "--modes", "separate", "--column", "w") == (
        "--column: only with --observed WAITS.csv"
    )


def test_a_comparison_in_python_and_in_a_notebook() -> None:
    """``with_observed_waits`` on a comparison holds the waits against each variant's; the
    notebook view shows the table beside each variant."""
    from portsim.report.notebook import comparison_html  # noqa: PLC0415

    quick = {**EXACT, "stages": [
        {"name": "desk", "lanes": [{"name": "one", "count": 1,
                                    "service": {"dist": "constant", "value": "30s"}}]},
        EXACT["stages"][1],
    ]}  # fmt: skip
    items = [("base", scenario_from_dict(EXACT)), ("quick", scenario_from_dict(quick))]
    comparison = portsim.compare(items, replications=2, seed=0)
    held = portsim.with_observed_waits(comparison, CROWD, flow="crowd", stage="desk")
    observed = {name: held.results[name].observed for name in held.variants}
    assert observed["base"] is not None
    assert observed["quick"] is not None
    assert observed["base"].wasserstein == 0.0
    assert observed["quick"].wasserstein == pytest.approx(135.0)
    shown = comparison_html(held)
    assert "Observed waits beside each variant: crowd at desk" in shown
    assert "Observed waits beside each variant" not in comparison_html(comparison)
    with pytest.raises(UsageError, match="each must be a number of seconds"):
        portsim.with_observed_waits(comparison, ["soon", "later"])


def test_report_prints_the_verdict_under_the_answer(tmp_path: Path) -> None:
    scenario, waits = _exact_files(tmp_path, factor=2)
    page = tmp_path / "exact.html"
    code, out, err = _run("report", str(scenario), "--observed", str(waits), "--flow", "crowd",
                          "--stage", "desk", "--quiet", "--html", str(page))  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[-1] == (
        "Observed waits: The observed 95th-percentile wait (17.1 min) lies above the simulated "
        "value (9.0 min; of every replication's waits together): the simulated waits are too "
        "short."
    )
    assert 'id="observed"' in page.read_text(encoding="utf-8")
    assert _one_line("report", str(tmp_path / "runs.db"), "--flow", "crowd") == (
        f"{tmp_path / 'runs.db'}: --flow: a results store is reported as it was run"
    )
