"""Clearance modes, shuttles, paired comparison, service pledges and documented figures."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from portsim import compare, scenario_from_dict, simulate
from portsim.cli import main
from portsim.theory import erlang_c, mmc_wait_mean, mmc_wait_within

from .helpers import POWERED, assert_mean_matches, per_replication, relaxation_time

ROOT = Path(__file__).resolve().parent.parent


def _lanes(count: int, mean: float, name: str = "lanes") -> list[dict[str, Any]]:
    return [{"name": name, "count": count, "service": {"dist": "exponential", "mean": mean}}]


def _modes(rate: float = 2.0, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "modes",
        "horizon": 30_000,
        "warmup": 2_000,
        "replications": 6,
        "seed": 8,
        "flows": [{"name": "travellers", "arrivals": {"rate": rate}, "route": ["clearance"]}],
        "clearance": {
            "mode": "separate",
            "separate": {
                "exit": {"lanes": _lanes(3, 1.2)},
                "crossing": {"dist": "constant", "value": 40},
                "entry": {"lanes": _lanes(4, 1.6)},
            },
            "colocated": {
                "exit": {"lanes": _lanes(3, 1.2)},
                "walk": {"dist": "constant", "value": 5},
                "entry": {"lanes": _lanes(4, 1.6)},
            },
            "cooperative": {"joint": {"lanes": _lanes(5, 2.0)}},
        },
    }
    data.update(extra)
    return data


def _powered(data: dict[str, Any], tau: float) -> dict[str, Any]:
    """A run of 10 relaxation times of warm-up and 50 observed, replicated for full power
    (tests/test_theory.py says why)."""
    return {**data, "horizon": 60 * tau, "warmup": 10 * tau, "replications": POWERED}


@pytest.mark.slow
def test_cooperative_mode_is_an_mmc_queue() -> None:
    data = _modes()
    data["clearance"]["mode"] = "cooperative"
    tau = relaxation_time(5, 2.0 * 2.0 / 5, 2.0)  # 36 s at load 0.8
    result = simulate(scenario_from_dict(_powered(data, tau)))
    waits = per_replication(result, "stages", "joint", "wait_mean_s")
    assert_mean_matches(waits, mmc_wait_mean(2.0, 2.0, 5), what="joint wait")
    assert list(result.summary["stages"]) == ["joint"]


@pytest.mark.slow
def test_separate_mode_is_a_tandem_of_mmc_queues_with_the_crossing() -> None:
    # both stages at load 0.8: 36 s each
    tau = max(relaxation_time(3, 2.0 * 1.2 / 3, 1.2), relaxation_time(4, 2.0 * 1.6 / 4, 1.6))
    result = simulate(scenario_from_dict(_powered(_modes(), tau)))
    exit_waits = per_replication(result, "stages", "exit", "wait_mean_s")
    entry_waits = per_replication(result, "stages", "entry", "wait_mean_s")
    assert_mean_matches(exit_waits, mmc_wait_mean(2.0, 1.2, 3), what="exit wait")
    assert_mean_matches(entry_waits, mmc_wait_mean(2.0, 1.6, 4), what="entry wait")
    system = per_replication(result, "overall", "system_time_mean_s")
    expected = mmc_wait_mean(2.0, 1.2, 3) + 1.2 + 40 + mmc_wait_mean(2.0, 1.6, 4) + 1.6
    assert_mean_matches(system, expected, what="time in port")


@pytest.mark.slow
def test_a_shuttle_that_never_fills_makes_travellers_wait_half_its_headway() -> None:
    """Exits spread evenly against a regular timetable: a traveller waits for the next
    shuttle half the headway on average, then rides. Every traveller who leaves the exit
    check within one headway boards the same shuttle, so a horizon cuts off whole shuttles
    and the travellers counted fill whole headways: their mean gap is exactly headway/2 +
    ride in expectation. The first headway is left out: the exit check starts empty, so its
    first seconds see fewer exits (at load 0.08 it forgets its start in seconds)."""
    headway, ride = 600, 360
    data = _modes(rate=0.2, horizon=6 * headway + ride + headway / 2, warmup=0)
    data["replications"] = POWERED
    data["clearance"]["separate"]["crossing"] = {
        "shuttle": {"every": headway, "seats": 500, "ride": ride}  # some 120 a headway
    }
    result = simulate(scenario_from_dict(data))
    gaps = []
    for rec in result.records:
        first = (rec.visit_stage == 0) & (rec.visit_end > headway)
        ends = dict(zip(rec.visit_entity[first].tolist(), rec.visit_end[first], strict=True))
        entry = np.flatnonzero(rec.visit_stage == 1)
        entry = entry[[int(e) in ends for e in rec.visit_entity[entry]]]
        left = np.array([ends[int(e)] for e in rec.visit_entity[entry]])
        gaps.append(float(np.mean(rec.visit_join[entry] - left)))
    assert_mean_matches(gaps, headway / 2 + ride, what="exit to entry")


def test_a_full_shuttle_leaves_travellers_for_the_next_one() -> None:
    data = _modes(rate=0.5, replications=1)
    data["clearance"]["separate"]["crossing"] = {
        "shuttle": {"every": "10min", "seats": 200, "ride": 0}
    }
    rec = simulate(scenario_from_dict(data)).records[0]
    joins = rec.visit_join[rec.visit_stage == 1]
    departures, counts = np.unique(joins, return_counts=True)
    assert counts.max() == 200  # 300 an interval come: some wait for the next one
    assert np.allclose(departures % 600, 0)


def test_switching_the_mode_keeps_every_arrival() -> None:
    arrivals = {}
    for mode in ("separate", "colocated", "cooperative"):
        data = _modes(horizon=4_000)
        data["clearance"]["mode"] = mode
        arrivals[mode] = simulate(scenario_from_dict(data), replications=2).records[1]
    base = arrivals["separate"].entity_arrival
    for mode in ("colocated", "cooperative"):
        assert np.array_equal(arrivals[mode].entity_arrival, base)


def _leaves(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict) and "mean" in node:
        return [node]
    if isinstance(node, dict):
        return [m for v in node.values() for m in _leaves(v)]
    if isinstance(node, list):
        return [m for v in node for m in _leaves(v)]
    return []


def test_identical_variants_differ_by_exactly_zero() -> None:
    s = scenario_from_dict(_modes(replications=3, horizon=4_000))
    comparison = compare({"a": s, "b": s})
    leaves = _leaves(comparison.differences["b - a"].json())
    assert len(leaves) > 50
    for metric in leaves:
        assert metric["mean"] == 0 or math.isnan(metric["mean"])
        assert metric["ci95"] in (None, [0.0, 0.0])


def test_paired_differences_are_narrower_than_independent_runs() -> None:
    # shorter runs than the statistical tests': both assertions hold by a wide margin
    base = _modes(replications=8, horizon=8_000)
    more = copy.deepcopy(base)
    more["clearance"]["separate"]["entry"]["lanes"][0]["count"] = 5
    comparison = compare(
        [("base", scenario_from_dict(base)), ("one more lane", scenario_from_dict(more))]
    )
    paired = comparison.differences["one more lane - base"]["overall"]["wait_mean_s"]
    assert paired["mean"] < 0
    # the same difference from independent runs (another seed for the variant)
    a = per_replication(comparison.results["base"], "overall", "wait_mean_s")
    b = per_replication(simulate(scenario_from_dict(more), seed=99), "overall", "wait_mean_s")
    t = 2.145  # Student t, 97.5 %, 14 degrees of freedom
    independent = 2 * t * math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    assert paired["ci95"][1] - paired["ci95"][0] < independent


@pytest.mark.slow
def test_target_share_matches_the_erlang_c_waiting_time_distribution() -> None:
    rate, mean, lanes, limit = 4.0, 2.0, 10, 1.0
    data = _modes(rate=rate)
    data["clearance"]["mode"] = "cooperative"
    data["clearance"]["cooperative"]["joint"]["lanes"] = _lanes(lanes, mean)
    data["targets"] = [
        {"name": "pledge", "wait_within": limit, "share": 0.5},
        {"name": "at the joint stage", "stage": "joint", "wait_within": limit, "share": 0.99},
    ]
    tau = relaxation_time(lanes, rate * mean / lanes, mean)  # 18 s at load 0.8
    result = simulate(scenario_from_dict(_powered(data, tau)))
    expected = mmc_wait_within(rate, mean, lanes, limit)
    assert 0.6 < expected < 0.95  # a share worth testing
    assert 1 - erlang_c(lanes, rate * mean) < expected
    # the stage's share: its waits are known once service starts, so only the few who joined
    # in the last `limit` seconds and still wait are left out at the horizon
    shares = [m["targets"][1]["share"] for m in result.per_replication]
    assert_mean_matches(shares, expected, what="share within the limit")
    targets = {t["name"]: t for t in result.summary["targets"]}
    assert targets["pledge"]["verdict"] == "pass"
    assert targets["at the joint stage"]["verdict"] == "fail"
    # one stage: the route's wait is the stage's wait (the two differ only in who is still
    # in service at the horizon: the stage knows their wait, the route does not yet; at most
    # 10 of thousands)
    assert targets["pledge"]["share"]["mean"] == pytest.approx(
        targets["at the joint stage"]["share"]["mean"], rel=1e-3
    )
    hourly = targets["pledge"]["hourly"]
    assert [h["hour"] for h in hourly] == list(range(len(hourly)))


def test_reference_ratios_and_check_kinds(tmp_path: Path) -> None:
    data = _modes(replications=2)
    data["reference"] = [
        {
            "figure": "crossings",
            "value": 100_000,
            "unit": "per day",
            "source": "doc.txt",
            "compare_to": "overall.served_per_day",
        },
        {
            "figure": "wait",
            "value": 2.0,
            "unit": "s",
            "source": "doc.txt",
            "compare_to": ["stages.exit.wait_mean_s", "stages.entry.wait_mean_s"],
        },
    ]
    summary = simulate(scenario_from_dict(data)).to_dict()
    crossings, wait = summary["reference"]
    served = summary["overall"]["served_per_day"]["mean"]
    assert crossings["simulated"] == served
    assert crossings["documented"] == 100_000
    assert crossings["ratio"] == pytest.approx(served / 100_000)
    assert crossings["check"] == "calibration"
    both = (
        summary["stages"]["exit"]["wait_mean_s"]["mean"]
        + summary["stages"]["entry"]["wait_mean_s"]["mean"]
    )
    assert wait["simulated"] == pytest.approx(both)
    assert wait["ratio"] == pytest.approx(both / 2.0)
    assert wait["check"] == "validation"
    data["reference"][0]["compare_to"] = "overall.crossings_per_day"
    file = tmp_path / "bad.yaml"
    file.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(file)])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"{file}: reference.0.compare_to: 'overall.crossings_per_day' names no metric"
    )


def _write(tmp_path: Path, data: dict[str, Any], name: str = "modes.yaml") -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return str(path)


def test_set_overrides_fields_by_name(tmp_path: Path) -> None:
    file = _write(tmp_path, _modes(replications=2))
    result = CliRunner().invoke(
        main,
        [
            "run",
            file,
            "--set",
            "clearance.mode=cooperative",
            "--set",
            "clearance.cooperative.joint.lanes.lanes.count=6",
            "--json",
            "-",
        ],
    )
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert list(out["stages"]) == ["joint"]
    assert out["stages"]["joint"]["groups"]["lanes"]["lanes_open_mean"]["mean"] == 6


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        (
            "clearance.separate.exit.lanes.counters.count=3",
            "--set clearance.separate.exit.lanes.counters: no item 'counters' (items: lanes)",
        ),
        ("flows.tourists.arrivals.rate=3", "--set flows.tourists: no item 'tourists'"),
        ("horizon.days=3", "--set horizon: cannot go into 'days'"),
        (
            "calendar.start=2026-02-01",
            "--set calendar: no field 'calendar' here (fields: ",
        ),
        (
            "calendar.start=2026-02-01",
            "a block the file lacks is set whole: --set 'calendar={...}'",
        ),
        ("clearance.mode=teleport", "clearance.mode: must be 'separate', 'colocated' or"),
        ("nonsense", "--set nonsense: expected PATH=VALUE"),
    ],
)
def test_a_bad_override_exits_2(tmp_path: Path, assignment: str, message: str) -> None:
    file = _write(tmp_path, _modes())
    result = CliRunner().invoke(main, ["run", file, "--set", assignment])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{file}: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_compare_modes_json_contract(tmp_path: Path) -> None:
    file = _write(tmp_path, _modes(replications=3, horizon=4000, warmup=500))
    result = CliRunner().invoke(
        main, ["compare", file, "--modes", "separate,colocated,cooperative", "--json", "-"]
    )
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["variants"] == ["separate", "colocated", "cooperative"]
    assert out["replications"] == 3
    assert out["seed"] == 8
    assert set(out["results"]) == set(out["variants"])
    assert set(out["differences"]) == {"colocated - separate", "cooperative - separate"}
    diff = out["differences"]["colocated - separate"]
    assert set(diff) == {"overall", "stages", "flows", "persons"}
    assert set(diff["stages"]) == {"exit", "entry"}  # shared stages only
    assert diff["overall"]["wait_mean_s"].keys() == {"mean", "ci95"}
    assert diff["overall"]["hourly"][0]["hour"] == 0
    assert out["differences"]["cooperative - separate"]["stages"] == {}


def test_compare_files_and_variants(tmp_path: Path) -> None:
    a = _write(tmp_path, _modes(replications=2, horizon=4000), "a.yaml")
    data = _modes(replications=2, horizon=4000)
    data["clearance"]["separate"]["entry"]["lanes"][0]["count"] = 6
    b = _write(tmp_path, data, "b.yaml")
    files = CliRunner().invoke(main, ["compare", a, b, "--json", "-"])
    assert files.exit_code == 0, files.stderr
    out = json.loads(files.stdout)
    assert out["variants"] == ["a", "b"]
    variants = CliRunner().invoke(
        main,
        [
            "compare",
            a,
            "--variant",
            "six:clearance.separate.entry.lanes.lanes.count=6",
            "--json",
            "-",
        ],
    )
    assert variants.exit_code == 0, variants.stderr
    by_variant = json.loads(variants.stdout)
    assert by_variant["variants"] == ["base", "six"]
    assert by_variant["results"]["six"] == out["results"]["b"]
    text = CliRunner().invoke(main, ["compare", a, b])
    assert "b - a" in text.stdout


def test_duplicate_variant_names_exit_2(tmp_path: Path) -> None:
    a = _write(tmp_path, _modes(), "a.yaml")
    result = CliRunner().invoke(
        main, ["compare", a, "--variant", "x:horizon=2h", "--variant", "x:horizon=3h"]
    )
    assert result.exit_code == 2
    assert "duplicate variant name 'x'" in result.stderr


@pytest.mark.parametrize(
    ("variant", "problem"),
    [
        ("a:seed=5", "a: every variant runs with the same seed and replications"),
        ("b:horizon=2h;replications=7", "b: every variant runs with the same seed"),
        ("more:", "variant 'more' changes nothing"),
    ],
)
def test_a_variant_that_would_change_nothing_or_break_the_pairing_exits_2(
    tmp_path: Path, variant: str, problem: str
) -> None:
    a = _write(tmp_path, _modes(), "a.yaml")
    result = CliRunner().invoke(main, ["compare", a, "--variant", variant])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{a}: --variant: ")
    assert problem in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_show_prints_every_mode_with_sources() -> None:
    result = CliRunner().invoke(main, ["show", str(ROOT / "scenarios" / "hall_modes.yaml")])
    assert result.exit_code == 0, result.stderr
    for text in (
        "== separate (chosen)",
        "== colocated",
        "== cooperative",
        "stage joint",
        "hk_residents: exit -> entry",
        "hk_residents: joint",
        "source: HK e-Channel",
    ):
        assert text in result.stdout


@pytest.mark.parametrize("scenario", sorted((ROOT / "scenarios").glob("*.yaml")), ids=str)
def test_show_describes_every_shipped_scenario(scenario: Path) -> None:
    result = CliRunner().invoke(main, ["show", str(scenario)])
    assert result.exit_code == 0, result.output
    assert "routes:" in result.stdout


def test_show_names_choices_alighting_and_meeting() -> None:
    result = CliRunner().invoke(
        main, ["show", str(ROOT / "scenarios" / "huanggang_land_port_2019.yaml")]
    )
    assert result.exit_code == 0, result.output
    for text in (
        "coaches: coach_exit -> passengers alight to passenger_hall -> coach_entry -> meet "
        "passengers",
        "trucks: truck_exit -> one of (truck_xray (p 0.3) | truck_exam (p 0.02)) -> truck_entry",
        "passenger_hall (a sub-route): passenger_exit -> passenger_entry",
    ):
        assert text in result.stdout


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (
            lambda d: d["clearance"].update(mode="colocated") or d["clearance"].pop("colocated"),
            "clearance",
            "no 'colocated' block",
        ),
        (
            lambda d: (
                d.pop("clearance") and d.update(stages=[{"name": "hall", "lanes": _lanes(1, 1)}])
            ),
            "flows.travellers.route.0",
            "no clearance block",
        ),
        (
            lambda d: d.update(stages=[{"name": "exit", "lanes": _lanes(1, 1)}]),
            "stages.exit",
            "taken by the clearance mode",
        ),
        (
            lambda d: d["flows"][0].update(route=[{"stage": "clearance", "p": 0.5}]),
            "flows.travellers.route.0.p",
            "always visited",
        ),
        (
            lambda d: d.update(
                targets=[{"name": "t", "stage": "hall", "wait_within": 60, "share": 0.9}]
            ),
            "targets.t.stage",
            "unknown stage",
        ),
    ],
    ids=[
        "mode without block",
        "clearance without block",
        "name taken",
        "p below 1",
        "target at unknown stage",
    ],
)
def test_clearance_errors(tmp_path: Path, change: Any, path: str, words: str) -> None:
    data = _modes()
    change(data)
    file = _write(tmp_path, data)
    result = CliRunner().invoke(main, ["validate", file])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{file}: {path}: "), result.stderr
    assert words in result.stderr


def test_modes_need_a_clearance_block(tmp_path: Path) -> None:
    data = _modes()
    data.pop("clearance")
    data["flows"][0]["route"] = ["hall"]
    data["stages"] = [{"name": "hall", "lanes": _lanes(2, 1)}]
    result = CliRunner().invoke(
        main, ["compare", _write(tmp_path, data), "--modes", "separate,cooperative"]
    )
    assert result.exit_code == 2
    assert "clearance: --modes needs a clearance block" in result.stderr


def test_every_given_mode_is_checked_not_only_the_chosen_one(tmp_path: Path) -> None:
    data = _modes()
    data["clearance"]["cooperative"]["joint"]["lanes"][0]["serves"] = ["tourists"]
    result = CliRunner().invoke(main, ["validate", _write(tmp_path, data)])
    assert result.exit_code == 2
    assert ": clearance.cooperative.joint.lanes.lanes.serves: unknown flow or class 'tourists'" in (
        result.stderr
    )
