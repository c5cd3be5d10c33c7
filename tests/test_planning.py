"""Sweeps, the cheapest configuration, capacity and staffing by hour: against an exhaustive
grid, against Erlang C, and against plain ``simulate``."""

from __future__ import annotations

import math
import sys
import textwrap

import pytest

import portsim
from portsim import apply_overrides, dump_scenario, scenario_from_dict, simulate
from portsim.errors import UsageError
from portsim.planning.requests import Setup, capacity, plan, sweep_result
from portsim.planning.vary import parameter
from portsim.report.planning.text import format_staffing
from portsim.scenario.yaml_io import load_yaml
from portsim.theory import mmc_wait_mean, mmc_wait_within

from .helpers import exponential, scenario, stage
from .planning_cases import COUNTERS, EGATES, hall

SERIAL = Setup(workers=1)


def test_a_sweep_row_is_the_run_of_its_configuration() -> None:
    base = hall()
    result = sweep_result(
        base,
        [parameter(COUNTERS, [3, 4, 5]), parameter(EGATES, [2, 3])],
        replications=3,
        setup=SERIAL,
    )
    assert len(result.rows) == 6
    assert result.simulated == 18
    columns = result.to_columns()
    assert columns[COUNTERS] == ["3", "3", "4", "4", "5", "5"]
    assert columns["replications"] == [3] * 6
    for name in (
        "overall.wait_mean_s",
        "flows.visitors.wait_p95_s",
        "stages.hall.groups.egates.utilization",
    ):
        assert {name, f"{name}.ci_low", f"{name}.ci_high"} <= set(result.columns)
    assert set(columns["targets.visitors pledge.verdict"]) <= {"pass", "fail", "inconclusive"}
    # row 3 (4 counters, 3 e-gates) is exactly what simulate gives for that configuration
    configured = scenario_from_dict(
        apply_overrides(dump_scenario(base), [(COUNTERS, 4), (EGATES, 3)])
    )
    summary = simulate(configured, replications=3, records=False).summary
    for path in ("overall.wait_mean_s", "flows.visitors.wait_p95_s", "stages.hall.utilization"):
        node = summary
        for part in path.split("."):
            node = node[part]
        assert columns[path][3] == node["mean"]
        assert [columns[f"{path}.ci_low"][3], columns[f"{path}.ci_high"][3]] == node["ci95"]
    assert columns["targets.visitors pledge.verdict"][3] == summary["targets"][0]["verdict"]
    # common random numbers: e-gates serve only residents, so visitors' waits do not move
    visitors = columns["flows.visitors.wait_mean_s"]
    assert visitors[0] == visitors[1]
    assert visitors[2] == visitors[3]
    assert visitors[0] != visitors[2]


def test_sweep_is_a_result_with_its_wide_and_long_tables_and_columns_without_pandas(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``portsim.sweep`` gives the result (shown in a notebook; to_pandas the long table),
    the wide table a call away (``to_frame``), and plain columns without pandas."""
    pd = pytest.importorskip("pandas")
    vary = {COUNTERS: "4:5"}
    result = portsim.sweep(hall(), vary, replications=2, workers=1)
    assert isinstance(result, portsim.SweepResult)
    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame[COUNTERS]) == ["4", "5"]
    monkeypatch.setitem(sys.modules, "pandas", None)
    columns = result.to_columns()
    assert columns["overall.wait_mean_s"] == list(frame["overall.wait_mean_s"])
    with pytest.raises(UsageError, match="pip install"):
        result.to_pandas()


TARGETS = ["visitors.wait_p95<=5min", "residents.share_within(2min)>=0.95"]


def _plan(exhaustive: bool, **extra: object) -> portsim.planning.plan.PlanResult:
    result = plan(
        hall(),
        {f"counters:{COUNTERS}": "1:8", f"egates:{EGATES}": "1:6"},
        TARGETS,
        cost="counters=1,egates=0.3",
        max_replications=8,
        exhaustive=exhaustive,
        setup=SERIAL,
        **extra,  # type: ignore[arg-type]
    )
    assert isinstance(result, portsim.planning.plan.PlanResult)
    return result


def test_plan_finds_the_grids_cheapest_with_fewer_runs() -> None:
    searched, everything = _plan(False), _plan(True)
    assert everything.chosen is not None
    assert searched.chosen is not None
    assert searched.chosen.configuration == everything.chosen.configuration
    assert searched.cost == everything.cost
    assert len(everything.judged) == 48
    assert len(searched.judged) < 48 / 3
    assert searched.simulated < everything.simulated / 3
    assert searched.simulated < searched.grid_runs
    # the evidence: the answer meets every target, each one step cheaper does not
    assert searched.chosen.meets
    assert all(c.status == "met" for c in searched.chosen.checks)
    assert len(searched.cheaper) == 2
    assert all(not e.meets and e.reasons() for e in searched.cheaper)


def test_plan_over_named_variants_matches_the_grid() -> None:
    def run(exhaustive: bool) -> portsim.planning.plan.PlanResult:
        result = plan(
            hall(),
            {f"counters:{COUNTERS}": "2:8"},
            ["visitors.wait_p95<=4min"],
            variants={
                "fast": {"stages.hall.lanes.counters.service.mean": 36},
                "slow": {"stages.hall.lanes.counters.service.mean": 54},
            },
            cost="counters=1,variant.fast=1.5",
            max_replications=8,
            exhaustive=exhaustive,
            setup=SERIAL,
        )
        assert isinstance(result, portsim.planning.plan.PlanResult)
        assert result.chosen is not None
        return result

    searched, everything = run(False), run(True)
    assert searched.chosen is not None
    assert everything.chosen is not None
    assert searched.chosen.configuration.values == everything.chosen.configuration.values
    assert searched.simulated < everything.simulated


def test_capacity_finds_the_grids_largest_factor_with_fewer_runs() -> None:
    def run(exhaustive: bool) -> portsim.planning.capacity.CapacityResult:
        return capacity(
            hall(),
            ["flows.visitors.arrivals.rate"],
            ["visitors.wait_p95<=5min"],
            factors="0.5:2:0.1",
            max_replications=8,
            exhaustive=exhaustive,
            setup=SERIAL,
        )

    searched, everything = run(False), run(True)
    assert searched.factor is not None
    assert searched.factor == everything.factor
    assert 0.5 < searched.factor < 2
    assert searched.values["flows.visitors.arrivals.rate"] == pytest.approx(
        300 / 3600 * searched.factor
    )
    assert searched.chosen is not None
    assert searched.chosen.meets
    assert searched.next_up is not None
    assert not searched.next_up.meets
    assert len(searched.judged) <= math.ceil(math.log2(16)) + 2 < len(everything.judged) == 16
    assert searched.simulated < everything.simulated


def test_the_cheapest_mmc_is_the_one_erlang_c_gives() -> None:
    """One M/M/c stage: 9 erlangs offered (0.15 a second, 60 s service). The bounds lie far
    from both neighbours' true values (mean wait 40.1 s with 10 lanes, 12.9 s with 11; share
    within a minute 0.754 and 0.942), so sampling noise cannot flip the answer."""
    rate, service = 0.15, 60.0
    s = scenario(
        rate=rate,
        route=["check"],
        stages=[stage("check", 10, exponential(service))],
        horizon=20_000,
        warmup=2_000,
        replications=5,
    )
    bound_wait, bound_share = 22.0, 0.85
    lanes = range(10, 17)
    erlang = min(
        c
        for c in lanes
        if mmc_wait_mean(rate, service, c) <= bound_wait
        and mmc_wait_within(rate, service, c, 60) >= bound_share
    )
    assert erlang == 11
    result = plan(
        s,
        {"stages.check.lanes.lanes.count": "8:16"},
        ["check.wait_mean<=22s", "check.share_within(1min)>=0.85"],
        setup=SERIAL,
    )
    assert isinstance(result, portsim.planning.plan.PlanResult)
    assert result.chosen is not None
    assert result.chosen.configuration.values == (("stages.check.lanes.lanes.count", str(erlang)),)
    assert result.cost == erlang


def test_an_hour_no_count_is_confirmed_in_keeps_the_fixed_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An hour in which not even the most lanes tried is confirmed alone keeps the best
    fixed count (which met every hour), not the top of the range; the whole day is then
    judged, and the fixed count all day meets it."""
    monkeypatch.setattr(portsim.planning.staffing._Staffing, "lowest", lambda *_: None)
    data = dump_scenario(hall(horizon="6h"))
    result = plan(
        scenario_from_dict(data),
        {COUNTERS: "0:12"},
        ["visitors.wait_p95<=6min"],
        per_hour=True,
        max_replications=8,
        setup=SERIAL,
    )
    assert isinstance(result, portsim.planning.staffing.StaffingResult)
    assert result.fixed is not None
    assert result.fixed < 12
    assert result.counts == (result.fixed,) * 6
    assert result.chosen is not None
    assert result.chosen.meets


def test_staffing_by_hour_meets_every_hour_with_fewer_lane_hours() -> None:
    data = dump_scenario(hall(horizon="6h"))
    data["flows"][1]["arrivals"] = {
        "daily_total": 24 * 300,
        "profile": [1, 1, 3, 3, 1, 1] + [1] * 18,
    }
    base = scenario_from_dict(data)
    result = plan(
        base,
        {COUNTERS: "0:12"},
        ["visitors.wait_p95<=6min"],
        per_hour=True,
        max_replications=8,
        setup=SERIAL,
    )
    assert isinstance(result, portsim.planning.staffing.StaffingResult)
    assert result.counts is not None
    assert result.chosen is not None
    assert result.fixed is not None
    assert result.chosen.meets
    assert len(result.counts) == 6
    assert result.lane_hours is not None
    assert result.fixed_lane_hours is not None
    assert result.lane_hours < result.fixed_lane_hours
    assert max(result.counts) <= 12
    assert max(result.counts[2:4]) > min(result.counts)  # the peak hours get more lanes
    # the schedule pastes back into the scenario and gives the hours the evidence says
    text = format_staffing(result)
    (block,) = [b for b in text.split("\n\n") if b.startswith("  schedule:")]
    entries = load_yaml(textwrap.dedent(block))
    # and in words, each entry as a clock interval: 00:00–02:00: 5 lanes
    for entry in entries["schedule"]:
        start, end = (int(str(entry[k]).removesuffix("h")) for k in ("from", "to"))
        assert f"  {start:02d}:00–{end:02d}:00: {entry['count']} lanes\n" in text
    pasted = scenario_from_dict(
        apply_overrides(
            data,
            [(f"{COUNTERS}", None), ("stages.hall.lanes.counters.schedule", entries["schedule"])],
        )
    )
    run = simulate(pasted, replications=result.chosen.replications, records=False)
    hourly = run.summary["flows"]["visitors"]["hourly"]
    for hour in range(1, 6):
        assert hourly[hour]["wait_p95_s"]["ci95"][1] <= 360
