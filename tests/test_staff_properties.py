"""Properties of staff pools on generated ports (tests/strategies.py ``staffed_scenarios``).

What holds at every instant (the pool's accounting, :mod:`portsim.engine.staff`): the
officers on open lanes never exceed those on duty; all committed officers (on a lane,
finishing a traveller on a closed lane, moving between groups) exceed them only by those
finishing, which is what a shift's end leaves (a lane closing at a shift's end finishes its
traveller in overtime, and its officer goes home when the traveller leaves). Nobody is lost,
no wait is negative, and a pool with an officer for every lane every group can ever open
changes nothing, bit for bit; nor does such a pool drawn on as well as another (a lane group
of several pools: ``staff: [p0, extra]``). The generated groups draw on one pool or on two
at once, and each pool's accounting holds for the groups of both.
"""

from __future__ import annotations

import copy
import math
from bisect import bisect_right
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from portsim import dump_scenario, scenario_from_dict, scenario_to_yaml, simulate
from portsim.engine.replication import EngineCounters
from portsim.model import Model, compile_scenario
from portsim.scenario.yaml_io import load_yaml

from .helpers import run_model
from .strategies import staffed_scenarios, with_ample_pool

FAST = settings()


def _at(log: Any, t: float) -> int:
    """A step log's value at ``t`` (the last change at or before it)."""
    index = bisect_right([time for time, _ in log], t)
    return int(log[index - 1][1]) if index else 0


def _finishing(model: Model, counters: EngineCounters, pool: int, t: float) -> int:
    """Officers of ``pool`` finishing a traveller on a closed lane at ``t``."""
    total = 0
    for g in model.pools[pool].groups:
        staffing = model.groups[g].staffing
        assert staffing is not None
        spans = counters.overtime[g]
        total += staffing.takes(pool) * sum(1 for start, end in spans if start <= t < end)
    return total


@FAST
@given(staffed_scenarios())
def test_officers_never_exceed_those_on_duty(data: dict[str, Any]) -> None:
    model = compile_scenario(scenario_from_dict(data))
    counters = run_model(model, 5, 0).counters
    for pool in model.pools:
        in_use = counters.officers_in_use[pool.index]
        on_duty = counters.officers_on_duty[pool.index]
        assert on_duty[0] == (0.0, pool.on_duty.initial)
        assert [c for _, c in on_duty[1:]] == [
            c for t, c in pool.on_duty.changes if t < model.horizon
        ][: len(on_duty) - 1]
        times = {t for t, _ in in_use} | {t for t, _ in on_duty}
        for g in pool.groups:
            times |= {t for t, _ in counters.lanes_open[g]}
            times |= {t for span in counters.overtime[g] for t in span}
        for t in sorted(times):
            if t >= model.horizon:
                continue
            duty = _at(on_duty, t)
            on_lanes = 0
            for g in pool.groups:
                staffing = model.groups[g].staffing
                assert staffing is not None
                on_lanes += staffing.takes(pool.index) * _at(counters.lanes_open[g], t)
            committed = _at(in_use, t)
            finishing = _finishing(model, counters, pool.index, t)
            assert on_lanes <= duty, (pool.name, t, on_lanes, duty)
            assert on_lanes + finishing <= committed, (pool.name, t)
            assert committed - finishing <= duty, (pool.name, t, committed, finishing, duty)
            if not pool.on_duty.changes:  # no shift ends: never more committed than on duty
                assert committed <= duty, (pool.name, t, committed, duty)


@FAST
@given(staffed_scenarios())
def test_nobody_is_lost_and_no_wait_is_negative(data: dict[str, Any]) -> None:
    scenario = scenario_from_dict(data)
    result = simulate(scenario, replications=1, seed=3)
    overall = result.per_replication[0]["overall"]
    rec = result.records[0]
    counted = rec.entity_arrival >= scenario.warmup
    assert overall["served"] + overall["unfinished"] + overall["no_visit"] == counted.sum()
    started = ~np.isnan(rec.visit_start)
    assert np.all(rec.visit_wait[started] >= 0)
    assert np.all(rec.visit_start[started] >= rec.visit_join[started])
    finished = ~np.isnan(rec.entity_exit)
    assert np.all(~np.isnan(rec.visit_end[finished[rec.visit_entity]]))


def _without_staff(data: dict[str, Any]) -> dict[str, Any]:
    plain = copy.deepcopy(data)
    del plain["staff"]
    for stage in plain["stages"]:
        for group in stage["lanes"]:
            for key in ("staff", "staff_per_lane", "lend_below"):
                group.pop(key, None)
    return plain


@FAST
@given(staffed_scenarios(ample=True))
def test_a_pool_with_an_officer_for_every_lane_changes_nothing(data: dict[str, Any]) -> None:
    staffed = run_model(compile_scenario(scenario_from_dict(data)), 11, 0)
    plain = run_model(compile_scenario(scenario_from_dict(_without_staff(data))), 11, 0)
    assert staffed.records is not None
    assert plain.records is not None
    for name in plain.records.__slots__:  # type: ignore[attr-defined]
        left, right = getattr(staffed.records, name), getattr(plain.records, name)
        if isinstance(left, np.ndarray):
            assert np.array_equal(left, right, equal_nan=True), name
        else:
            assert left == right, name
    for name in ("lanes_open", "overtime", "emergencies"):
        assert getattr(staffed.counters, name) == getattr(plain.counters, name), name
    for name in ("group_busy_time", "group_open_time", "stage_queue_mean"):
        left, right = getattr(staffed.counters, name), getattr(plain.counters, name)
        assert np.array_equal(left, right, equal_nan=True), name
    # the same rows, and the pool's own (officer-hours: none without a pool)
    assert [k for k in staffed.table if k[0] != "pool"] == list(plain.table)
    for key, value in plain.table.items():
        got = staffed.table[key]
        assert got == value or (math.isnan(value) and math.isnan(got)), key


@FAST
@given(staffed_scenarios())
def test_pools_load_dump_load_as_the_identity(data: dict[str, Any]) -> None:
    scenario = scenario_from_dict(data)
    assert scenario_from_dict(dump_scenario(scenario)) == scenario
    assert scenario_from_dict(load_yaml(scenario_to_yaml(scenario))) == scenario


@FAST
@given(staffed_scenarios())
def test_every_service_starts_on_a_lane_the_pool_staffed(data: dict[str, Any]) -> None:
    """A service starts on lane k only while more than k lanes of its group are open by the
    engine's log (lanes the pool gave officers): the last change before the start, or any
    at its instant (a lane may open and close again at one instant, after a start)."""
    model = compile_scenario(scenario_from_dict(data))
    result = run_model(model, 9, 0)
    rec = result.records
    assert rec is not None
    for row in np.flatnonzero(~np.isnan(rec.visit_start)):
        start, lane = float(rec.visit_start[row]), int(rec.visit_lane[row])
        log = result.counters.lanes_open[int(rec.visit_group[row])]
        before = [count for t, count in log if t < start][-1:]
        at = [count for t, count in log if t == start]
        assert lane < max(before + at), (start, lane, log)


def _same_run(left: Any, right: Any) -> None:
    """Two runs of one port give the same records and counters, bit for bit."""
    assert left.records is not None
    assert right.records is not None
    for name in right.records.__slots__:
        one, other = getattr(left.records, name), getattr(right.records, name)
        if isinstance(one, np.ndarray):
            assert np.array_equal(one, other, equal_nan=True), name
        else:
            assert one == other, name
    for name in ("lanes_open", "overtime", "emergencies"):
        assert getattr(left.counters, name) == getattr(right.counters, name), name
    for name in ("group_busy_time", "group_open_time", "stage_queue_mean"):
        one, other = getattr(left.counters, name), getattr(right.counters, name)
        assert np.array_equal(one, other, equal_nan=True), name


@FAST
@given(
    staffed_scenarios(),
    st.lists(st.booleans(), min_size=1, max_size=8),
    st.sampled_from([0, "30s", "2min"]),
)
def test_an_ample_second_pool_changes_nothing(
    data: dict[str, Any], members: list[bool], switch: object
) -> None:
    """Groups that also draw on a pool with a unit for each of their lanes at any time run
    as without it; the original pools' logs are the same too."""
    both = with_ample_pool(data, [True, *members], switch)
    one = run_model(compile_scenario(scenario_from_dict(data)), 13, 0)
    two = run_model(compile_scenario(scenario_from_dict(both)), 13, 0)
    _same_run(two, one)
    pools = len(data["staff"])
    assert two.counters.officers_in_use[:pools] == one.counters.officers_in_use
    assert two.counters.officers_on_duty[:pools] == one.counters.officers_on_duty
