"""Properties of generated scenarios with calendars, opening hours, built lanes and opening
rules: they load, dump and load to themselves; nobody joins a queue before the port has
opened for them; while the port is closed, only those inside when the doors closed are
served; lanes stay within what is built; streaming and exact results agree."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from portsim import dump_scenario, scenario_from_dict, scenario_to_yaml
from portsim.model import compile_scenario
from portsim.scenario.yaml_io import load_yaml

from .helpers import run_model
from .strategies import scenarios
from .test_streaming import assert_runs_agree

TYPES = ("normal", "eve", "peak")


@st.composite
def day_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A generated scenario given days: a calendar of up to three day types over one to
    three days, totals and profiles by day type, opening hours, lanes built and rules."""
    data = draw(scenarios(max_flows=2, max_stages=2))
    days = [{"type": draw(st.sampled_from(TYPES))} for _ in range(draw(st.integers(1, 3)))]
    types = sorted({d["type"] for d in days})
    data["calendar"] = {"days": days}
    if draw(st.booleans()):
        data["calendar"]["start"] = "2026-02-15"
    data["horizon"] = f"{len(days) * 24 - draw(st.sampled_from([0, 6, 12]))}h"
    for flow in data["flows"]:
        arrivals = flow["arrivals"]
        if "daily_total" in arrivals and draw(st.booleans()):
            arrivals["daily_total"] = {t: draw(st.floats(10, 3000)) for t in types}
    if draw(st.booleans()):
        opening = draw(st.sampled_from(["00:00", "06:30", "08:00"]))
        close = draw(st.sampled_from(["22:00", "24:00", "02:00"]))
        data["hours"] = {"default": {"open": opening, "close": close}}
        if draw(st.booleans()):
            data["hours"][types[0]] = {"open": "00:00", "close": "24:00"}
    for stage in data["stages"]:
        for group in stage["lanes"]:
            if not draw(st.booleans()):
                continue
            plan = group.get("count") or max(e["count"] for e in group["schedule"])
            group["built"] = plan + draw(st.integers(0, 3))
            if draw(st.booleans()):
                group["opening"] = {
                    "queue_above": draw(st.integers(0, 5)),
                    "step": draw(st.integers(1, 2)),
                    "delay": draw(st.sampled_from([0, 60, 600])),
                }
            else:
                group["opening"] = {
                    "open_above": draw(st.sampled_from([30, 120, 600])),
                    "close_below": 20,
                    "delay": draw(st.sampled_from([0, 300])),
                    "emergency_above": 900,
                }
    return data


FAST = settings(max_examples=30)


@FAST
@given(day_scenarios())
def test_days_load_dump_load_to_themselves(data: dict[str, Any]) -> None:
    scenario = scenario_from_dict(data)
    assert scenario_from_dict(dump_scenario(scenario)) == scenario
    assert scenario_from_dict(load_yaml(scenario_to_yaml(scenario))) == scenario


@FAST
@given(day_scenarios())
def test_the_doors_and_the_lanes_keep_their_word(data: dict[str, Any]) -> None:
    scenario = scenario_from_dict(data)
    model = compile_scenario(scenario)
    result = run_model(model, 7, 0)
    rec = result.records
    assert rec is not None
    arrival = rec.entity_arrival[rec.visit_entity]
    entry = arrival if model.hours is None else model.hours.entries(arrival)
    assert np.all(rec.visit_join >= entry - 1e-9)  # nobody queues before the opening
    for group, log in zip(model.groups, result.counters.lanes_open, strict=True):
        most = group.built if group.built is not None else group.lanes
        assert all(0 <= n <= most for _, n in log), (group.name, log)
    if model.hours is None:
        return
    intervals = model.hours.intervals
    started = ~np.isnan(rec.visit_start)
    for (_, close), (reopen, _) in itertools.pairwise(intervals):
        served = started & (rec.visit_start >= close) & (rec.visit_start < reopen)
        assert np.all(entry[served] < close)  # only those inside when the doors closed


@settings(max_examples=15)
@given(day_scenarios())
def test_streaming_and_exact_results_agree_with_days(data: dict[str, Any]) -> None:
    data["replications"] = 1
    assert assert_runs_agree(scenario_from_dict(data), 1, 5) >= 0
