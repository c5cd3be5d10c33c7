"""Properties that hold for every valid scenario, checked on generated ones."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from portsim import (
    Records,
    dump_scenario,
    load_scenario,
    scenario_from_dict,
    scenario_to_yaml,
    simulate,
)
from portsim.model import compile_scenario
from portsim.scenario.yaml_io import load_yaml

from .helpers import run_model
from .strategies import scenarios

# the number of examples and their randomness come from the profile (tests/conftest.py)
FAST = settings()


def _one(data: dict, seed: int = 7) -> tuple[object, Records]:
    scenario = scenario_from_dict(data)
    model = compile_scenario(scenario)
    return scenario, run_model(model, seed, 0).records


@FAST
@given(scenarios())
def test_load_dump_load_is_the_identity(data: dict) -> None:
    scenario = scenario_from_dict(data)
    assert scenario_from_dict(dump_scenario(scenario)) == scenario
    assert scenario_from_dict(load_yaml(scenario_to_yaml(scenario))) == scenario


@FAST
@given(scenarios())
def test_times_are_ordered_and_waits_non_negative(data: dict) -> None:
    scenario, rec = _one(data)
    started = ~np.isnan(rec.visit_start)
    ended = ~np.isnan(rec.visit_end)
    assert np.all(rec.visit_wait[started] >= 0)
    assert np.all(rec.visit_start[started] >= rec.visit_join[started])
    assert np.all(rec.visit_end[ended] >= rec.visit_start[ended])
    assert not np.any(ended & ~started)
    assert np.all(rec.visit_join >= rec.entity_arrival[rec.visit_entity])
    assert np.all(rec.visit_join <= scenario.horizon)
    # a lane index exists only once service started, and is within the group's lanes
    lanes = np.array([g.lanes for g in compile_scenario(scenario).groups])
    assert np.all((rec.visit_lane >= 0) == started)
    assert np.all(rec.visit_lane[started] < lanes[rec.visit_group[started]])
    # each entity's visits follow one another in time (rows are sorted by entity, then step)
    same = rec.visit_entity[1:] == rec.visit_entity[:-1]
    assert np.all(rec.visit_step[1:][same] == rec.visit_step[:-1][same] + 1)
    assert np.all(rec.visit_join[1:][same] >= rec.visit_end[:-1][same])


@FAST
@given(scenarios())
def test_a_lane_serves_one_traveller_at_a_time(data: dict) -> None:
    _, rec = _one(data)
    started = np.flatnonzero(~np.isnan(rec.visit_start))
    end = np.where(np.isnan(rec.visit_end), np.inf, rec.visit_end)
    for group in np.unique(rec.visit_group[started]):
        in_group = started[rec.visit_group[started] == group]
        for lane in np.unique(rec.visit_lane[in_group]):
            rows = in_group[rec.visit_lane[in_group] == lane]
            # by start, then end: zero-length services (an empirical value of 0) tie on start
            rows = rows[np.lexsort((end[rows], rec.visit_start[rows]))]
            assert np.all(rec.visit_start[rows][1:] >= end[rows][:-1])


@FAST
@given(scenarios())
def test_first_come_first_served_within_a_lane_group(data: dict) -> None:
    """Nobody who joined a group's queue later starts service before somebody who joined
    earlier; and nobody still waits at the horizon while a later joiner was served."""
    scenario, rec = _one(data)
    shared = [g.queue == "shared" for s in scenario.stages for g in s.lanes]
    start = np.where(np.isnan(rec.visit_start), np.inf, rec.visit_start)
    for group in np.unique(rec.visit_group):
        if not shared[group]:
            continue
        rows = np.flatnonzero(rec.visit_group == group)
        order = np.lexsort((start[rows], rec.visit_join[rows]))
        starts = start[rows][order]
        assert np.all(starts[1:] >= starts[:-1])


@FAST
@given(scenarios())
def test_every_counted_arrival_is_served_or_unfinished(data: dict) -> None:
    scenario = scenario_from_dict(data)
    result = simulate(scenario, replications=1, seed=3)
    metrics = result.per_replication[0]
    rec = result.records[0]
    counted = rec.entity_arrival >= scenario.warmup
    overall = metrics["overall"]
    # whoever's route skipped every stage is counted apart, as no_visit
    assert overall["served"] + overall["unfinished"] + overall["no_visit"] == counted.sum()
    for flow in scenario.flows:
        f = metrics["flows"][flow.name]
        index = [x.name for x in scenario.flows].index(flow.name)
        of_flow = (counted & (rec.entity_flow == index)).sum()
        assert f["served"] + f["unfinished"] + f["no_visit"] == of_flow
    visits_counted = counted[rec.visit_entity]
    for index, stage in enumerate(scenario.stages):
        s = metrics["stages"][stage.name]
        joined = (visits_counted & (rec.visit_stage == index)).sum()
        assert s["served"] + s["unfinished"] == joined
    # every entity that finished has completed every visit
    finished = ~np.isnan(rec.entity_exit)
    assert np.all(~np.isnan(rec.visit_end[finished[rec.visit_entity]]))


@FAST
@given(scenarios(), st.integers(0, 2**31))
def test_same_seed_gives_identical_records(data: dict, seed: int) -> None:
    scenario = scenario_from_dict(data)
    model = compile_scenario(scenario)
    a = run_model(model, seed, 1).records
    b = run_model(compile_scenario(scenario_from_dict(data)), seed, 1).records
    for name in a.__slots__:  # type: ignore[attr-defined]
        left, right = getattr(a, name), getattr(b, name)
        if isinstance(left, np.ndarray):
            assert np.array_equal(left, right, equal_nan=True), name
        else:
            assert left == right, name


def test_different_seeds_and_replications_differ() -> None:
    data = {
        "name": "x",
        "horizon": "2h",
        "flows": [{"name": "f", "arrivals": {"rate": "600/h"}, "route": ["s"]}],
        "stages": [
            {
                "name": "s",
                "lanes": [
                    {"name": "g", "count": 2, "service": {"dist": "exponential", "mean": 10}}
                ],
            }
        ],
    }
    model = compile_scenario(scenario_from_dict(data))
    base = run_model(model, 1, 0).records.entity_arrival
    assert not np.array_equal(base[:50], run_model(model, 2, 0).records.entity_arrival[:50])
    assert not np.array_equal(base[:50], run_model(model, 1, 1).records.entity_arrival[:50])


def _two_stage(second_stage_lanes: int, name: str) -> dict:
    return {
        "name": name,
        "horizon": "6h",
        "warmup": "30min",
        "flows": [
            {
                "name": "residents",
                "arrivals": {"rate": "700/h"},
                "route": ["exit", {"stage": "customs", "p": 0.3}, "entry"],
            },
            {
                "name": "visitors",
                "arrivals": {"daily_total": 9000, "profile": [1] * 6 + [3] * 18},
                "route": ["exit", "entry"],
            },
        ],
        "stages": [
            {
                "name": "exit",
                "lanes": [
                    {
                        "name": "counters",
                        "count": 3,
                        "service": {"dist": "exponential", "mean": 20},
                    },
                    {
                        "name": "egates",
                        "count": 2,
                        "service": {"dist": "lognormal", "mean": 12, "cv": 0.5},
                        "serves": ["residents"],
                    },
                ],
                "transfer": {"dist": "uniform", "low": 60, "high": 240},
            },
            {
                "name": "customs",
                "lanes": [
                    {
                        "name": "officers",
                        "count": 2,
                        "service": {"dist": "gamma", "mean": 30, "cv": 0.7},
                    }
                ],
            },
            {
                "name": "entry",
                "lanes": [
                    {
                        "name": "counters",
                        "count": second_stage_lanes,
                        "service": {"dist": "exponential", "mean": 25},
                    }
                ],
            },
        ],
    }


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**31), st.integers(0, 3), st.integers(3, 6))
def test_common_random_numbers_when_a_lane_is_added_downstream(
    seed: int, replication: int, lanes: int
) -> None:
    """Adding a lane to the last stage changes nothing upstream: arrivals, routing decisions
    and first-stage service times are bit-identical, and each traveller's service requirement
    at the last stage is unchanged."""
    base = compile_scenario(scenario_from_dict(_two_stage(lanes, "base")))
    more = compile_scenario(scenario_from_dict(_two_stage(lanes + 1, "other name")))
    a = run_model(base, seed, replication).records
    b = run_model(more, seed, replication).records
    assert np.array_equal(a.entity_arrival, b.entity_arrival)
    assert np.array_equal(a.entity_flow, b.entity_flow)

    def stage_rows(rec: Records, stage: int) -> dict[int, tuple[float, ...]]:
        rows = np.flatnonzero(rec.visit_stage == stage)
        return {
            int(rec.visit_entity[i]): (
                rec.visit_group[i],
                rec.visit_lane[i],
                rec.visit_join[i],
                rec.visit_start[i],
                rec.visit_end[i],
            )
            for i in rows
        }

    # routing: the same entities visit customs (entities still upstream at the horizon aside)
    def routed(rec: Records) -> set[int]:
        return {int(e) for e in rec.visit_entity[rec.visit_stage == 1]}

    assert routed(a) == routed(b)
    # the first stage is untouched, visit for visit
    first_a, first_b = stage_rows(a, 0), stage_rows(b, 0)
    assert first_a.keys() == first_b.keys()
    for entity, row in first_a.items():
        assert np.array_equal(row, first_b[entity], equal_nan=True)
    # at the last stage each traveller needs the same service time in both variants
    last_a, last_b = stage_rows(a, 2), stage_rows(b, 2)
    for entity in last_a.keys() & last_b.keys():
        ra, rb = last_a[entity], last_b[entity]
        if not (math.isnan(ra[4]) or math.isnan(rb[4])):
            # end − start recovers the requirement up to the rounding of the clock's sums
            assert math.isclose(ra[4] - ra[3], rb[4] - rb[3], rel_tol=1e-9, abs_tol=1e-9)
    # and the added lane did change something downstream
    assert (
        any(
            not np.array_equal(last_a[e], last_b[e], equal_nan=True)
            for e in last_a.keys() & last_b.keys()
        )
        or len(last_a) < 5
    )


@FAST
@given(scenarios())
def test_no_service_starts_on_a_closed_lane(data: dict) -> None:
    """Lanes 0 .. n-1 are the open ones when the schedule says n: every service starts on a
    lane open at that moment (a closing lane finishes its traveller, nobody new)."""
    scenario, rec = _one(data)
    model = compile_scenario(scenario)
    started = np.flatnonzero(~np.isnan(rec.visit_start))
    for row in started:
        timetable = model.groups[rec.visit_group[row]].timetable
        assert rec.visit_lane[row] < timetable.count_at(rec.visit_start[row])


@FAST
@given(scenarios())
def test_hourly_results_add_up_to_the_totals(data: dict) -> None:
    scenario = scenario_from_dict(data)
    metrics = simulate(scenario, replications=1, seed=2).per_replication[0]
    rec_blocks = [metrics["overall"], *metrics["stages"].values(), *metrics["flows"].values()]
    for block in rec_blocks:
        hourly = block["hourly"]
        assert [row["hour"] for row in hourly] == list(range(len(hourly)))
        assert sum(row["served"] for row in hourly) == block["served"]
        arrived = block["served"] + block["unfinished"] + block.get("no_visit", 0)
        assert sum(row["arrived"] for row in hourly) == arrived
    for stage in metrics["stages"].values():
        groups = stage["groups"].values()
        assert sum(g["served"] for g in groups) == stage["served"]
        assert sum(g["unfinished"] for g in groups) == stage["unfinished"]
        assert max(g["queue_max"] for g in groups) <= stage["queue_max"]


@settings(max_examples=max(200, settings().max_examples))
@given(scenarios())
def test_no_lane_idles_while_its_shared_queue_waits(data: dict) -> None:
    """Work conservation: whenever somebody waits in a shared queue, every open lane of the
    group is serving. Checked at every queue join and service end."""
    scenario, rec = _one(data)
    model = compile_scenario(scenario)
    start = np.where(np.isnan(rec.visit_start), np.inf, rec.visit_start)
    end = np.where(np.isnan(rec.visit_end), np.inf, rec.visit_end)
    for spec in model.groups:
        if spec.per_lane:
            continue
        rows = rec.visit_group == spec.index
        join, begin, finish, lane = (
            rec.visit_join[rows],
            start[rows],
            end[rows],
            rec.visit_lane[rows],
        )
        if len(join) > 2000:
            continue
        for tau in np.concatenate([join[begin > join], finish[np.isfinite(finish)]]):
            if tau >= model.horizon:
                continue
            waiting = np.sum((join <= tau) & (begin > tau))
            if not waiting:
                continue
            open_lanes = spec.timetable.count_at(tau)
            busy = np.sum((begin <= tau) & (finish > tau) & (lane < open_lanes))
            assert busy >= open_lanes, (spec.name, tau, waiting, busy, open_lanes)


def test_shipped_scenarios_round_trip() -> None:
    """Clearance blocks, shuttles, schedules, targets and reference figures survive a dump."""
    files = sorted((Path(__file__).resolve().parent.parent / "scenarios").glob("*.yaml"))
    assert len(files) >= 4
    for file in files:
        scenario = load_scenario(file)
        assert scenario_from_dict(load_yaml(scenario_to_yaml(scenario))) == scenario, file.name


@FAST
@given(scenarios(), st.sampled_from(["separate", "colocated", "cooperative"]), st.booleans())
def test_clearance_blocks_round_trip_and_run(data: dict, mode: str, shuttle: bool) -> None:
    """A generated scenario's first stage becomes a clearance block of each mode."""
    assume(not {s["name"] for s in data["stages"]} & {"exit", "entry", "joint"})
    first = data["stages"][0]
    stop = {"lanes": first["lanes"]}
    crossing: dict = (
        {"shuttle": {"every": "5min", "seats": 3, "ride": "2min"}}
        if shuttle
        else {"dist": "constant", "value": 30}
    )
    data["clearance"] = {
        "mode": mode,
        "separate": {"exit": stop, "crossing": crossing, "entry": stop},
        "colocated": {"exit": stop, "walk": crossing, "entry": stop},
        "cooperative": {"joint": stop},
    }
    for flow in data["flows"]:
        flow["route"] = ["clearance", *flow["route"]]
    scenario = scenario_from_dict(data)
    assert scenario_from_dict(dump_scenario(scenario)) == scenario
    result = simulate(scenario, replications=1, seed=5)
    metrics = result.per_replication[0]
    counted = result.records[0].entity_arrival >= scenario.warmup
    assert metrics["overall"]["served"] + metrics["overall"]["unfinished"] == counted.sum()
