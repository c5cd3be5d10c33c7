"""The walk or ride out after the last stop (issue 25, part 5): a flow's ``exit_transfer`` is
one more move before the exit, whatever the last stop; the traveller's time in port ends
when it ends. Event logs derived by hand (the tie rules of tests/test_event_logs.py)."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portsim import scenario_from_dict, simulate
from portsim.errors import ScenarioError
from portsim.model.compile import compile_scenario
from portsim.model.routes import Exit, Move
from portsim.report.describe import describe_scenario
from portsim.report.diagram import diagram_svg
from portsim.report.hall_layout import flow_edges
from portsim.report.show import format_show
from portsim.scenario.distributions import Uniform
from portsim.scenario.yaml_io import load_yaml

from .helpers import Row, const, event_log, records_of, replicate
from .strategies import port_scenarios

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


def _port(out: dict[str, Any] | None = None, horizon: float = 600) -> dict[str, Any]:
    """f (arrivals at 0 and 5) and g (at 0) both pass a then b (one lane each, 10 s; 20 s
    from a to b). b's own transfer (100 s) leads nowhere: it is the last stop. f walks out
    in ``out``."""
    f: dict[str, Any] = {"name": "f", "arrivals": {"times": [0, 5]}, "route": ["a", "b"]}
    if out is not None:
        f["exit_transfer"] = out
    return {
        "name": "walk out",
        "horizon": horizon,
        "replications": 1,
        "flows": [f, {"name": "g", "arrivals": {"times": [0]}, "route": ["a", "b"]}],
        "stages": [
            {"name": "a", "lanes": [{"name": "l", "count": 1, "service": const(10)}],
             "transfer": const(20)},
            {"name": "b", "lanes": [{"name": "l", "count": 1, "service": const(10)}],
             "transfer": const(100)},
        ],
    }  # fmt: skip


def test_the_time_in_port_ends_when_the_walk_out_ends() -> None:
    """At 0, f's e0 then g's e1 (flow order); f's e2 at 5.

    a: e0 0–10, e1 waits from 0 and is served 10–20, e2 (from 5) 20–30. Each reaches b 20 s
    after leaving a: e0 at 30 (30–40), e1 at 40 (40–50), e2 at 50 (50–60). g leaves at the
    end of its service (e1 at 50: b's transfer is not taken, b is its last stop); f walks
    out 60 s: e0 at 40 + 60 = 100, e2 at 60 + 60 = 120. Time in port: f (100 + 115) / 2 =
    107.5 s, g 50 s; the waits are the queues' only (e1 10 s, e2 15 s)."""
    data = _port(const(60))
    rows, entities = event_log(data)
    assert entities == [("f", 0.0), ("g", 0.0), ("f", 5.0)]
    assert rows == [
        Row(0, 0, "a", "l", 0, 0, 0, 10, 100),
        Row(0, 1, "b", "l", 0, 30, 30, 40, 100),
        Row(1, 0, "a", "l", 0, 0, 10, 20, 50),
        Row(1, 1, "b", "l", 0, 40, 40, 50, 50),
        Row(2, 0, "a", "l", 0, 5, 20, 30, 120),
        Row(2, 1, "b", "l", 0, 50, 50, 60, 120),
    ]
    flows = simulate(scenario_from_dict(data)).per_replication[0]["flows"]
    assert flows["f"]["system_time_mean_s"] == 107.5
    assert flows["g"]["system_time_mean_s"] == 50.0
    assert flows["f"]["wait_mean_s"] == 7.5  # (0 + 15) / 2: the walk is no wait


def test_whoever_is_still_walking_out_at_the_horizon_is_unfinished() -> None:
    """The same port cut at 110: e0 is out at 100, e1 at 50; e2 walks out from 60 to 120,
    so it is still in port at 110: its visits are done, it has no exit."""
    rows, _ = event_log(_port(const(60), horizon=110))
    assert [row.exit for row in rows] == [100, 100, 50, 50, None, None]
    overall = simulate(scenario_from_dict(_port(const(60), horizon=110))).summary
    assert overall.json()["overall"]["unfinished"]["mean"] == 1


def test_a_vehicle_drives_out_after_meeting_its_passengers() -> None:
    """A coach (driver and 2 passengers) comes at 0: booth 0–10; at 10 the passengers e1 e2
    alight to the desk (one lane, 20 s: e1 10–30, e2 waits, 30–50); the coach parks 10–15
    and waits for them. e1 is back at 30 and leaves with the coach: its exit is 30; e2 is
    back at 50 (exit 50), the last, so the coach goes on at 50 and drives out 30 s: its
    exit is 80. The passengers' time in port ends when they board again, as without a way
    out; the coach's when it is out."""
    data = {
        "name": "coach out",
        "horizon": 600,
        "flows": [
            {"name": "coaches", "kind": "coach", "arrivals": {"times": [0]},
             "occupants": {"dist": "constant", "value": 3},
             "route": ["booth", {"alight": "hall"}, "park", {"meet": "passengers"}],
             "exit_transfer": const(30)},
        ],
        "routes": {"hall": ["desk"]},
        "stages": [
            {"name": "booth", "lanes": [{"name": "l", "count": 1, "service": const(10)}]},
            {"name": "desk", "lanes": [{"name": "l", "count": 1, "service": const(20)}]},
            {"name": "park", "lanes": [{"name": "l", "count": 1, "service": const(5)}]},
        ],
    }  # fmt: skip
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "booth", "l", 0, 0, 0, 10, 80),
        Row(0, 1, "park", "l", 0, 10, 10, 15, 80),
        Row(1, 0, "desk", "l", 0, 10, 10, 30, 30),
        Row(2, 0, "desk", "l", 0, 10, 30, 50, 50),
    ]


def _closing(out: dict[str, Any] | None) -> dict[str, Any]:
    """The port opens 00:00–01:00 (3600 s); f comes at 3500 and 3595 to one desk (10 s),
    then walks out in ``out``."""
    f: dict[str, Any] = {"name": "f", "arrivals": {"times": [3500, 3595]}, "route": ["desk"]}
    if out is not None:
        f["exit_transfer"] = out
    return {
        "name": "walk out at the closing",
        "horizon": 7200,
        "replications": 1,
        "hours": {"open": "00:00", "close": "01:00"},
        "flows": [f],
        "stages": [{"name": "desk", "lanes": [{"name": "l", "count": 1, "service": const(10)}]}],
    }


def test_the_walk_out_keeps_no_lane_open_at_the_closing() -> None:
    """e0 is served 3500–3510 and walks out 30 min (out at 5310); e1 3595–3605 (out at
    5405). At the closing (3600) only e1 is inside the checks: e0 was counted out of the
    port when its walk began, which needs no officer. The lane stays open for e1 and closes
    at 3605, when e1 starts walking: open 3605 s (1.0014 lane-hours), no overtime, as
    without the walk; the time in port is 10 + 1800 = 1810 s each."""
    rows, _ = event_log(_closing(const(1800)))
    assert rows == [
        Row(0, 0, "desk", "l", 0, 3500, 3500, 3510, 5310),
        Row(1, 0, "desk", "l", 0, 3595, 3595, 3605, 5405),
    ]
    walked = replicate(scenario_from_dict(_closing(const(1800))), 1, 0).counters
    plain = replicate(scenario_from_dict(_closing(None)), 1, 0).counters
    assert walked.lanes_open == plain.lanes_open == (((0.0, 1), (3605.0, 0)),)
    assert walked.group_open_time.tolist() == plain.group_open_time.tolist() == [3605.0]
    assert walked.group_overtime_time.tolist() == plain.group_overtime_time.tolist() == [0.0]
    stats = simulate(scenario_from_dict(_closing(const(1800)))).per_replication[0]
    assert stats["flows"]["f"]["system_time_mean_s"] == 1810.0
    assert stats["stages"]["desk"]["groups"]["l"]["lane_hours"] == 3605 / 3600


def test_a_coach_driving_out_keeps_no_lane_open_at_the_closing() -> None:
    """The coach of test_a_vehicle_drives_out_after_meeting_its_passengers under hours that
    close at 40 s: e1 (back at 30) left with the coach then, e2 is at the desk until 50, so
    every lane stays open at the closing; at 50 e2 is back, the coach starts its drive and
    nobody is inside: every lane closes at 50 (not at 80, when the coach is out)."""
    data = {
        "name": "coach out at the closing",
        "horizon": 600,
        "hours": {"open": 0.0, "close": 40.0},
        "flows": [
            {"name": "coaches", "kind": "coach", "arrivals": {"times": [0]},
             "occupants": {"dist": "constant", "value": 3},
             "route": ["booth", {"alight": "hall"}, "park", {"meet": "passengers"}],
             "exit_transfer": const(30)},
        ],
        "routes": {"hall": ["desk"]},
        "stages": [
            {"name": "booth", "lanes": [{"name": "l", "count": 1, "service": const(10)}]},
            {"name": "desk", "lanes": [{"name": "l", "count": 1, "service": const(20)}]},
            {"name": "park", "lanes": [{"name": "l", "count": 1, "service": const(5)}]},
        ],
    }  # fmt: skip
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "booth", "l", 0, 0, 0, 10, 80),
        Row(0, 1, "park", "l", 0, 10, 10, 15, 80),
        Row(1, 0, "desk", "l", 0, 10, 10, 30, 30),
        Row(2, 0, "desk", "l", 0, 10, 30, 50, 50),
    ]
    counters = replicate(scenario_from_dict(data), 1, 0).counters
    assert counters.lanes_open == (((0.0, 1), (50.0, 0)),) * 3


def test_the_way_out_draws_from_its_own_stream() -> None:
    """A random walk out changes nobody's visits, only f's exits, each later than its last
    service; g (no way out) leaves as before; the walk is the last step of f's program."""
    plain, _ = event_log(_port())
    walked, _ = event_log(_port({"dist": "exponential", "mean": 60}))
    assert [r[:8] for r in walked] == [r[:8] for r in plain]
    for before, after in zip(plain, walked, strict=True):
        assert before.exit is not None
        assert after.exit is not None
        if before.entity == 1:  # g
            assert after.exit == before.exit
        else:
            assert after.exit > before.exit
    program = compile_scenario(scenario_from_dict(_port(const(60)))).subflows[0].program
    walk, leave = program[-2:]
    assert isinstance(walk, Move)
    assert (walk.role, walk.names, walk.constant) == ("exit_transfer", ("f",), 60)
    assert isinstance(leave, Exit)
    # no time at all is no move: the program is the plain one
    zero = compile_scenario(scenario_from_dict(_port(const(0)))).subflows[0].program
    assert zero == compile_scenario(scenario_from_dict(_port())).subflows[0].program


def test_show_the_words_and_the_diagram_say_the_way_out() -> None:
    scenario = scenario_from_dict(_port(const(60)))
    assert "  f: a -> b -> out: constant (value 60.0 s)" in format_show(scenario).splitlines()
    words = "\n".join(line for _, lines in describe_scenario(scenario) for line in lines)
    assert "route a → b, then out: always 60.0 s." in words
    root = ET.fromstring(diagram_svg(scenario))
    boxes = {
        e.get("id"): [t.text for t in e.iter(f"{SVG}text")] for e in root.iter() if e.get("id")
    }
    assert "out after the last stop: 60.0 s" in boxes["flow-f-text"]
    assert not any("out after" in (t or "") for t in boxes["flow-g-text"])


def test_the_hall_animation_draws_the_same_flows() -> None:
    """The animation's arrows are between stages: a way out adds none."""
    with_out = flow_edges(compile_scenario(scenario_from_dict(_port(const(60)))))
    assert with_out == flow_edges(compile_scenario(scenario_from_dict(_port())))


def test_a_shuttle_out_is_refused_in_one_line() -> None:
    shuttle = {"shuttle": {"every": 300, "seats": 3, "ride": 60}}
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict(_port(shuttle))  # type: ignore[arg-type]
    assert str(caught.value) == (
        "flows.f.exit_transfer: the way out is a time distribution (a walk or a ride that "
        "takes that long), not a shuttle: a shuttle leads to a stage at its far end"
    )


def test_the_guide_s_walk_out_loads() -> None:
    guide = (ROOT / "docs" / "scenario-files.md").read_text(encoding="utf-8")
    section = guide.split("\n## The walk out\n", 1)[1]
    data = load_yaml(section.split("```yaml\n", 1)[1].split("```", 1)[0])
    lanes = [{"name": "l", "count": 1, "service": const(1)}]
    stages = ["exit_check", "customs_secondary", "entry_check"]
    scenario = scenario_from_dict(
        {
            "name": "guide",
            "horizon": "1h",
            **data,
            "stages": [{"name": name, "lanes": lanes} for name in stages],
        }
    )
    out = scenario.flows[0].exit_transfer
    assert isinstance(out, Uniform)
    assert (out.low, out.high) == (120, 240)


@settings(max_examples=40, deadline=None)
@given(port_scenarios(), st.sampled_from([1.0, 45.0, 600.0]))
def test_a_constant_walk_out_moves_every_exit_and_nothing_else(
    data: dict[str, Any], out: float
) -> None:
    """On generated ports (classes, groups, coaches whose passengers alight and may meet
    them, cars, trucks that choose): with every flow walking out ``out`` seconds, every
    visit is as before, and every entity out before the horizon in the plain run leaves
    exactly ``out`` later (a passenger who alighted: at the same time, when it boards its
    vehicle again or ends its sub-route), unless that is past the horizon."""
    walked = copy.deepcopy(data)
    for flow in walked["flows"]:
        flow["exit_transfer"] = const(out)
    plain = records_of(scenario_from_dict(data), 3, 0)
    after = records_of(scenario_from_dict(walked), 3, 0)
    horizon = scenario_from_dict(data).horizon
    for column in ("visit_entity", "visit_stage", "visit_join", "visit_start", "visit_end"):
        assert np.array_equal(getattr(plain, column), getattr(after, column), equal_nan=True)
    assert np.array_equal(plain.entity_arrival, after.entity_arrival)
    passenger = plain.entity_parent >= 0
    before = plain.entity_exit
    expected = np.where(passenger, before, before + out)
    expected[expected >= horizon] = np.nan  # still walking at the horizon
    assert np.array_equal(after.entity_exit, expected, equal_nan=True)


@settings(max_examples=25, deadline=None)
@given(port_scenarios(), st.sampled_from([45.0, 600.0]))
def test_under_port_hours_a_walk_out_changes_no_lane_time(data: dict[str, Any], out: float) -> None:
    """On generated ports open 00:00–01:00 (then closed to the horizon): with every flow
    walking out ``out`` seconds, each lane group opens and closes as without the walk (the
    walk needs no officer: a walker is out of the checks when it begins), so its open time
    and overtime are the same, and so are the visits."""
    data = {**data, "hours": {"open": "00:00", "close": "01:00"}}
    walked = copy.deepcopy(data)
    for flow in walked["flows"]:
        flow["exit_transfer"] = const(out)
    plain = replicate(scenario_from_dict(data), 3, 0)
    after = replicate(scenario_from_dict(walked), 3, 0)
    assert after.counters.lanes_open == plain.counters.lanes_open
    assert after.counters.overtime == plain.counters.overtime
    assert np.array_equal(after.counters.group_open_time, plain.counters.group_open_time)
    assert plain.records is not None
    assert after.records is not None
    for column in ("visit_entity", "visit_stage", "visit_join", "visit_start", "visit_end"):
        assert np.array_equal(
            getattr(plain.records, column), getattr(after.records, column), equal_nan=True
        )
