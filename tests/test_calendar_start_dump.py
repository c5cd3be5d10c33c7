"""A calendar's start date dumps as ISO text: the planning runs (sweep, sensitivity, plan,
capacity) hash the scenario as JSON, and stopped with a TypeError on any scenario whose
calendar has a start."""

from __future__ import annotations

import json

import portsim

SCENARIO = {
    "name": "dated days",
    "calendar": {"start": "2008-02-06", "days": [{"type": "eve"}, {"type": "festival"}]},
    "replications": 2,
    "seed": 1,
    "flows": [
        {
            "name": "walkers",
            "arrivals": {"daily_total": {"eve": 200, "festival": 300}, "profile": [1] * 24},
            "route": ["check"],
        }
    ],
    "stages": [
        {
            "name": "check",
            "lanes": [
                {"name": "counters", "count": 1, "service": {"dist": "constant", "value": 60}}
            ],
        }
    ],
}


def test_a_calendar_start_dumps_as_text_and_loads_back() -> None:
    scenario = portsim.scenario_from_dict(SCENARIO)
    data = portsim.dump_scenario(scenario)
    assert data["calendar"]["start"] == "2008-02-06"
    json.dumps(data)  # plain data
    assert portsim.scenario_from_dict(data) == scenario


def test_a_sweep_runs_on_a_dated_calendar() -> None:
    scenario = portsim.scenario_from_dict(SCENARIO)
    table = portsim.sweep(
        scenario, {"stages.check.lanes.counters.count": [1, 2]}, replications=2, workers=1
    )
    columns = table.to_columns()
    waits = columns["overall.wait_mean_s"]
    assert waits[1] <= waits[0]
