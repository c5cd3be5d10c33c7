"""``portsim fit waits``: identical samples are 0 apart; a hand case gives its known KS and
Wasserstein distances and quantiles; the simulated waits are the run's own, known to the
second in an exact case; the ECDF chart draws both samples."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from portsim import scenario_from_dict, simulate
from portsim.fit import DataError, compare_waits, simulated_waits, validate_waits_file
from portsim.report.fit_plots import ecdf_figure


def test_identical_samples_are_zero_apart() -> None:
    waits = np.random.default_rng(26).exponential(120.0, 500)
    same = compare_waits(waits, waits.copy())
    assert same.ks == 0.0
    assert same.wasserstein == 0.0
    assert all(o == s for o, s in same.quantiles().values())


def test_a_hand_case() -> None:
    """Observed 0, 60, 120 s; simulated 30, 90, 150 s: every simulated wait is 30 s longer,
    so the Wasserstein distance is 30 s; the ECDFs differ by 1/3 on [0, 30), [60, 90) and
    [120, 150), so KS is 1/3. Linear percentiles: p50 60 and 90; p90 = 60 + 0.8 × 60 = 108
    and 138; p95 = 60 + 0.9 × 60 = 114 and 144."""
    comparison = compare_waits([120, 0, 60], [30, 150, 90])
    assert comparison.ks == pytest.approx(1 / 3)
    assert comparison.wasserstein == pytest.approx(30.0)
    assert comparison.quantiles() == {
        50: pytest.approx((60.0, 90.0)),
        90: pytest.approx((108.0, 138.0)),
        95: pytest.approx((114.0, 144.0)),
    }
    data = comparison.to_json()
    assert data["ks"] == pytest.approx(1 / 3)
    assert data["wasserstein_s"] == pytest.approx(30.0)
    assert data["quantiles_s"]["p50"] == {"observed": 60.0, "simulated": 90.0}


#: ten travellers at 00:00 and one at 00:05 of another flow, at one counter of 60 s
#: (the crowd first); then a second stage of two lanes, no queue
EXACT = {
    "name": "exact",
    "horizon": "2h",
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


def test_the_simulated_waits_are_the_run_s_own() -> None:
    """The crowd waits 0, 60, …, 540 s at the desk; the late one joins at 300 s behind the
    crowd's last five (served from 300 to 600 s) and waits until 600 s: 300 s. At the exit
    the crowd leaves the desk a minute apart: no wait."""
    result = simulate(scenario_from_dict(EXACT), 1, seed=0)
    crowd, unserved = simulated_waits(result, "crowd", "desk")
    assert sorted(crowd.tolist()) == [60.0 * k for k in range(10)]
    assert unserved == 0
    late, _ = simulated_waits(result, "late", "desk")
    assert late.tolist() == [300.0]
    exit_waits, _ = simulated_waits(result, None, "exit")
    assert exit_waits.tolist() == [0.0] * 10
    every, _ = simulated_waits(result)
    assert len(every) == 21
    with pytest.raises(DataError, match="exact: --flow: no flow named 'nobody'"):
        simulated_waits(result, "nobody")


def test_a_validation_of_the_exact_case_is_zero_apart(tmp_path: Path) -> None:
    observed = tmp_path / "observed.csv"
    observed.write_text("wait_min\n" + "".join(f"{k}\n" for k in range(10)))
    comparison = validate_waits_file(
        observed, scenario_from_dict(EXACT), column="wait_min", unit="min", flow="crowd",
        stage="desk", replications=2,
    )  # fmt: skip
    assert len(comparison.simulated) == 20  # two replications
    assert comparison.ks == 0.0
    assert comparison.wasserstein == 0.0
    figure = ecdf_figure(comparison)
    (ax,) = [a for a in figure.axes if a.get_visible()]
    lines = {line.get_label(): line for line in ax.get_lines()}
    observed_line = lines["observed (10 waits)"]
    assert list(observed_line.get_xdata()) == [0.0, *(60.0 * k for k in range(10))]  # s
    assert list(observed_line.get_ydata()) == [k / 10 for k in range(11)]
    assert "simulated (20 waits)" in lines


#: two cars (at 0 and 10 s, three aboard each, the driver included: two get out) through a
#: 60 s booth; the passengers get out after
#: it and pass a 30 s desk, and meet their car again; walkers of two classes at the desk
CARS = {
    "name": "cars",
    "horizon": "1h",
    "flows": [
        {"name": "cars", "kind": "car", "arrivals": {"times": ["0s", "10s"]},
         "occupants": {"dist": "constant", "value": 3},
         "route": ["booth", {"alight": "hall"}, {"meet": "passengers"}]},
        {"name": "walkers", "arrivals": {"times": ["20min"] * 6},
         "classes": [{"name": "x", "share": 0.5}, {"name": "y", "share": 0.5}],
         "route": ["desk"]},
    ],
    "routes": {"hall": ["desk"]},
    "stages": [
        {"name": "booth", "lanes": [{"name": "one", "count": 1,
                                     "service": {"dist": "constant", "value": "60s"}}]},
        {"name": "desk", "lanes": [{"name": "one", "count": 1,
                                    "service": {"dist": "constant", "value": "30s"}}]},
    ],
}  # fmt: skip


def test_a_vehicle_flow_is_its_vehicles_and_its_passengers_are_named_apart() -> None:
    """By hand: car 1 is served at the booth from 0 to 60 s (wait 0), car 2 from 60 to 120 s
    (wait 50 s). Car 1's two passengers (its driver stays) reach the desk at 60 s
    (served 60-90 and 90-120: waits 0 and 30 s), car 2's at 120 s (waits 0 and 30 s).
    ``cars`` is the cars' waits alone (they were pooled with their people's before);
    ``cars.passengers`` the people's; the six walkers at 20 min wait 0, 30, …, 150 s,
    split between their classes ``walkers.x`` and ``walkers.y``, and ``walkers`` is both
    together."""
    result = simulate(scenario_from_dict(CARS), 1, seed=0)
    cars, _ = simulated_waits(result, "cars")
    assert sorted(cars.tolist()) == [0.0, 50.0]
    people, _ = simulated_waits(result, "cars.passengers", "desk")
    assert sorted(people.tolist()) == [0.0, 0.0, 30.0, 30.0]
    nobody, _ = simulated_waits(result, "cars", "desk")
    assert len(nobody) == 0
    walkers, _ = simulated_waits(result, "walkers")
    assert sorted(walkers.tolist()) == [30.0 * k for k in range(6)]
    x, _ = simulated_waits(result, "walkers.x")
    y, _ = simulated_waits(result, "walkers.y")
    assert sorted([*x.tolist(), *y.tolist()]) == sorted(walkers.tolist())


def test_names_are_checked_before_the_run_and_what_is_compared_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A flow or stage the scenario does not have is one line naming the scenario's file,
    before anything runs; the comparison says whose waits it holds."""
    from portsim.fit import waits  # noqa: PLC0415

    observed = tmp_path / "observed.csv"
    observed.write_text("wait_s\n" + "".join(f"{k * 10}\n" for k in range(10)))

    def no_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("the scenario ran")

    scenario = scenario_from_dict(CARS)
    with monkeypatch.context() as patched:
        patched.setattr(waits, "simulate", no_run)
        with pytest.raises(DataError) as flow_error:
            validate_waits_file(observed, scenario, flow="cars.people", scenario_file="c.yaml")
        with pytest.raises(DataError) as stage_error:
            validate_waits_file(observed, scenario, stage="hall", scenario_file="c.yaml")
    assert str(flow_error.value) == (
        "c.yaml: --flow: no flow named 'cars.people' (its flows and classes: cars, "
        "cars.passengers, walkers.x, walkers.y)"
    )
    assert (
        str(stage_error.value) == "c.yaml: --stage: no stage named 'hall' (its stages: booth, desk)"
    )
    cars = validate_waits_file(observed, scenario, flow="cars", replications=1)
    assert cars.compared == "cars (the cars only; those who get out: cars.passengers)"
    walkers = validate_waits_file(observed, scenario, flow="walkers", stage="desk",
                                  replications=1)  # fmt: skip
    assert walkers.compared == "walkers (its classes x, y together) at desk"
    assert walkers.to_json()["compared"] == walkers.compared
    with pytest.raises(Exception, match=r"c\.yaml: no simulated waits of cars .* at desk"):
        validate_waits_file(observed, scenario, flow="cars", stage="desk", replications=1,
                            scenario_file="c.yaml")  # fmt: skip
