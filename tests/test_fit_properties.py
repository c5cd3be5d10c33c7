"""Hypothesis properties of the fits: any timetable round-trips exactly to its trains' times
and loads; any table of hourly counts gives, per day type,
the mean count of each hour, and the daily total their sum; any sample of times is ranked
by AIC with each fit's own log-likelihood, and its YAML loads as the chosen distribution."""

from __future__ import annotations

import csv
import datetime
from collections import Counter
from pathlib import Path
from tempfile import TemporaryDirectory

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from portsim.fit import fit_counts_file, fit_timetable
from portsim.fit.counts import SATURDAY
from portsim.fit.families import FAMILIES, fit_family
from portsim.scenario.yaml_io import load_yaml
from portsim.units import MINUTE

trains = st.lists(
    st.tuples(st.integers(0, 24 * 60 - 1).map(lambda m: m * MINUTE), st.integers(1, 2000)),
    min_size=1,
    max_size=30,
)


@given(trains)
def test_a_timetable_round_trips_exactly(given_trains: list[tuple[float, int]]) -> None:
    """Every train one entry, its time beside its load, nothing rounded; the pasted YAML
    reads back as the same arrivals."""
    fit = fit_timetable(given_trains)
    assert list(fit.arrivals.at) == sorted(t for t, _ in given_trains)
    arrived: Counter[float] = Counter()
    for time, load in zip(fit.arrivals.at, fit.arrivals.loads, strict=True):
        arrived[time] += load
    loads: Counter[float] = Counter()
    for time, load in given_trains:
        loads[time] += load
    assert arrived == loads
    assert fit.notes() == ()
    pasted = load_yaml(fit.yaml())["arrivals"]
    assert [item["load"] for item in pasted["times"]] == list(fit.arrivals.loads)


tables = st.dictionaries(
    st.tuples(st.integers(0, 13), st.integers(0, 23)), st.integers(0, 5000), min_size=1
)


@given(tables)
def test_counts_give_each_day_type_s_hourly_means(table: dict[tuple[int, int], int]) -> None:
    monday = datetime.date(2026, 3, 2)
    with TemporaryDirectory() as folder:
        path = Path(folder) / "counts.csv"
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["date", "hour", "count"])
            for (day, hour), count in table.items():
                writer.writerow([monday + datetime.timedelta(days=day), hour, count])
        fit = fit_counts_file(path)
    (direction,) = fit.directions
    days = sorted({day for day, _ in table})
    kinds = {day: "weekend" if (day % 7) >= SATURDAY else "weekday" for day in days}
    for kind in set(kinds.values()):
        of_kind = [day for day in days if kinds[day] == kind]
        assert direction.days[kind] == len(of_kind)
        expected = [sum(table.get((day, hour), 0) for day in of_kind) / len(of_kind)
                    for hour in range(24)]  # fmt: skip
        assert direction.profile[kind] == pytest.approx(expected)
        assert direction.daily_total[kind] == pytest.approx(sum(expected))
    assert direction.missing_hours == 24 * len(days) - len(table)


samples = st.lists(st.floats(0.5, 600.0), min_size=10, max_size=60).filter(
    lambda values: max(values) > min(values) * 1.01
)


@given(samples)
def test_the_ranking_is_by_aic_of_each_fit_s_own_likelihood(values: list[float]) -> None:
    sample = np.sort(np.asarray(values))
    fits = [fit_family(name, sample) for name in FAMILIES]
    for fit in fits:
        assert fit.aic == pytest.approx(2 * len(fit.params) - 2 * fit.log_likelihood)
        assert 0 <= fit.ks <= 1
        assert fit.mean > 0
    # maximum likelihood: the exponential's mean is the sample's
    exponential = next(f for f in fits if f.family == "exponential")
    assert exponential.mean == pytest.approx(float(sample.mean()))
