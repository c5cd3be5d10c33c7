"""Forecasts from a state with travellers on the move (``walking_to``, ``shuttles``):
exact event logs derived by hand.

The rules (``engine/initial_moving.py``): at the state's time ``at``, after the lane
groups' travellers, each traveller on the move enters as an arrival at ``at`` — the walkers,
then per stop the riders of each bus (soonest first), then those waiting at the stop. A
walker reaches its stage after its walk left (scheduled at ``at``: before any service end
due at the same instant that was scheduled later); a bus on the road reaches the next stop
after its ``arrives_in``; those at a stop board a bus on demand at once (its wait begins at
``at``) or the next timetabled departure (one due at ``at`` takes them). Ties follow
tests/test_event_logs.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from portsim import scenario_from_dict, simulate
from portsim.cli import main
from portsim.engine.replication import run_replication
from portsim.errors import ScenarioError
from portsim.model.compile import compile_scenario
from portsim.model.initial import start_from
from portsim.model.routes import Move, Visit
from portsim.report import format_report
from portsim.scenario.state import state_from_dict

from .helpers import Row, const, run_model
from .strategies import scenarios
from .test_batch_theory import assert_student_t
from .test_from_state import counters, log_from, port
from .test_from_state_properties import on_foot

AT = 3600.0


def walk_port(walk: float = 120, arrivals: dict[str, Any] | None = None) -> dict[str, Any]:
    """Route security (1 lane, 30 s, then a constant walk of ``walk``) then passport (1
    counter, 60 s); one arrival at 00:01, before every state (unless ``arrivals``)."""
    flow = {"name": "f", "arrivals": arrivals or {"times": [60]}, "route": ["security", "passport"]}
    security = {
        "name": "security",
        "lanes": [{"name": "scanners", "count": 1, "service": const(30)}],
        "transfer": const(walk),
    }
    return port([flow], [security, counters(1, 60)])


def bus_port(times: list[float], b_lanes: int = 1, **shuttle: Any) -> dict[str, Any]:
    """Route a (1 lane, 1 s), the shuttle from a (``shuttle``), then b (``b_lanes`` lanes,
    1 s)."""
    return {
        "name": "bus",
        "horizon": "2h",
        "flows": [{"name": "f", "arrivals": {"times": times}, "route": ["a", "b"]}],
        "stages": [
            {"name": "a", "lanes": [{"name": "l", "count": 1, "service": const(1)}],
             "transfer": {"shuttle": shuttle}},
            {"name": "b", "lanes": [{"name": "l", "count": b_lanes, "service": const(1)}]},
        ],
    }  # fmt: skip


ON_DEMAND = {"seats": 40, "ride": 60, "leaves": "when_full", "max_wait": 300}


def departures(data: dict[str, Any], state: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The bus on demand's departures in replication 0 from ``state``."""
    model = start_from(compile_scenario(scenario_from_dict(data)), state_from_dict(state))
    return [tuple(d) for d in run_replication(model, 0, 0).counters.shuttle_departures[0]]


# ---------------------------------------------------------------------------------- walkers


def test_walkers_90_s_away_join_when_they_arrive_and_wait_their_turn() -> None:
    """Passport (1 counter, 60 s) at 01:00: e0 in service with 30 s left, e1 waiting, e2 and
    e3 walking to passport from security with 90 s left.

    e0 ends 3630; e1 3630–3690. e2 and e3 reach passport at 3690: their arrival, scheduled
    at 3600, comes before e1's service end, scheduled at 3630, so both queue; then e1 ends
    and e2 takes the counter 3690–3750, e3 3750–3810. Waits 0, 30, 0, 60 s; all four are on
    their second visit (step 1)."""
    state = {
        "at": "01:00",
        "stages": {"passport": {"counters": {"in_service": {"f": [30]}, "waiting": {"f": 1}}}},
        "walking_to": {"passport": {"f": ["90s", 90]}},
    }
    rows, entities = log_from(walk_port(), state)
    assert rows == [
        Row(0, 1, "passport", "counters", 0, 3600, 3600, 3630, 3630),
        Row(1, 1, "passport", "counters", 0, 3600, 3630, 3690, 3690),
        Row(2, 1, "passport", "counters", 0, 3690, 3690, 3750, 3750),
        Row(3, 1, "passport", "counters", 0, 3690, 3750, 3810, 3810),
    ]
    assert [start - join for *_, join, start, _, _ in rows] == [0, 30, 0, 60]
    assert entities == [("f", AT, row.exit) for row in rows]  # every one arrives at 01:00


def test_a_walker_with_no_walk_left_joins_at_once_after_the_queue() -> None:
    """A walk left of 0: at passport at 01:00, behind the observed queue (e0) — e0
    3600–3660, e1 3660–3720."""
    state = {
        "at": "01:00",
        "stages": {"passport": {"counters": {"waiting": {"f": 1}}}},
        "walking_to": {"passport": {"f": [0]}},
    }
    rows, _ = log_from(walk_port(), state)
    assert rows == [
        Row(0, 1, "passport", "counters", 0, 3600, 3600, 3660, 3660),
        Row(1, 1, "passport", "counters", 0, 3600, 3660, 3720, 3720),
    ]


def test_counted_walkers_are_somewhere_along_the_walk() -> None:
    """A count of walkers: each one's walk left is a uniform fraction of the (constant,
    120 s) walk, so each reaches passport within 120 s of 01:00, and the mean walk left is
    60 s (Student-t, over 200 walkers with the 60-s counters never in the way: 200 lanes)."""
    data = walk_port()
    data["stages"][1]["lanes"][0]["count"] = 200
    state = {"at": "01:00", "walking_to": {"passport": {"f": 200}}}
    rows, _ = log_from(data, state)
    joins = np.array([row.join for row in rows])
    assert len(joins) == 200
    assert ((joins >= AT) & (joins <= AT + 120)).all()
    assert len(set(joins)) == 200
    assert_student_t(joins - AT, 60.0)
    assert all(row.start == row.join for row in rows)  # nobody waits at 200 lanes


def test_observed_walkers_leave_the_new_arrivals_numbers_as_they_were() -> None:
    """New arrivals are numbered after the observed travellers, wherever those are: two
    walking or two waiting give the same new arrivals (times, and services at security)."""
    data = walk_port(arrivals={"rate": "60/h"})

    def new_arrivals(state: dict[str, Any]) -> list[float]:
        model = start_from(compile_scenario(scenario_from_dict(data)), state_from_dict(state))
        records = run_model(model, 3, 1).records
        assert records is not None
        return [float(a) for a in records.entity_arrival[2:]]

    walking = new_arrivals({"at": "01:00", "walking_to": {"passport": {"f": 2}}})
    waiting = new_arrivals(
        {"at": "01:00", "stages": {"passport": {"counters": {"waiting": {"f": 2}}}}}
    )
    assert len(walking) > 10
    assert walking == waiting
    assert min(walking) >= AT


# --------------------------------------------------------------------------------- shuttles


def test_a_bus_of_40_on_the_road_arrives_when_the_state_says() -> None:
    """A timetabled shuttle (40 seats, a 300 s ride, every 600 s from 00:00) with a bus on
    the road at 01:00: 40 aboard (e0 … e39, in the order they boarded), arriving in 2 min.

    They alight at b (3 lanes of 1 s) at 3720, together: e0 e1 e2 take lanes 0 1 2, the rest
    queue; rider i is served on lane i mod 3 from 3720 + i // 3, for 1 s. The departures
    at 3600, 4200, … take nobody (no one reaches the stop)."""
    data = bus_port([60], b_lanes=3, every=600, seats=40, ride=300, first=0)
    state = {
        "at": "01:00",
        "shuttles": {"a": {"buses": [{"aboard": {"f": 40}, "arrives_in": "2min"}]}},
    }
    rows, entities = log_from(data, state)
    assert rows == [
        Row(i, 1, "b", "l", i % 3, 3720, 3720 + i // 3, 3721 + i // 3, 3721 + i // 3)
        for i in range(40)
    ]
    assert entities == [("f", AT, 3721 + i // 3) for i in range(40)]


def test_a_timetabled_departure_at_the_state_time_takes_those_at_the_stop() -> None:
    """50 at the stop at 01:00; the shuttle (40 seats, 300 s ride, every 600 s from 00:00)
    leaves at 3600 itself with e0 … e39 (they were at the stop before it left); e40 … e49
    leave at 4200. b has 50 lanes: at b 3900–3901 and 4500–4501."""
    data = bus_port([60], b_lanes=50, every=600, seats=40, ride=300, first=0)
    state = {"at": "01:00", "shuttles": {"a": {"waiting": {"f": 50}}}}
    rows, _ = log_from(data, state)
    assert rows == [
        Row(i, 1, "b", "l", i if i < 40 else i - 40, t, t, t + 1, t + 1)
        for i in range(50)
        for t in [3900 if i < 40 else 4500]
    ]


def test_30_at_a_stop_fill_a_when_full_bus_with_the_next_ten() -> None:
    """A bus on demand (40 seats, a 60 s ride, at most 300 s after its first passenger); 30
    at its stop at 01:00 (e0 … e29) board the bus there at once: its wait begins at 3600.
    Ten arrive at a at 3700 (e30 … e39: a's lane serves them 3700–3701, …, 3709–3710) and
    reach the stop at 3701 … 3710: the 40th seat is taken at 3710 and the bus leaves full
    (before its wait ends at 3900). At b (1 lane, 1 s) at 3770, in the order they boarded:
    rider i 3770 + i to 3771 + i. Waits at the stop: 30 × 110 + (9 + 8 + … + 0) = 3345 s."""
    data = bus_port([60, *[3700] * 10], **ON_DEMAND)
    state = {"at": "01:00", "shuttles": {"a": {"waiting": {"f": 30}}}}
    rows, _ = log_from(data, state)
    at_b = [row for row in rows if row.stage == "b"]
    assert at_b == [Row(i, 1, "b", "l", 0, 3770, 3770 + i, 3771 + i, 3771 + i) for i in range(40)]
    assert [row for row in rows if row.stage == "a"] == [
        Row(30 + j, 0, "a", "l", 0, 3700, 3700 + j, 3701 + j, 3771 + 30 + j) for j in range(10)
    ]
    assert departures(data, state) == [(3710.0, 40, True, 3600.0, 3345.0)]


def test_30_at_a_stop_leave_after_the_wait_when_nobody_else_comes() -> None:
    """The same bus, nobody else coming: it leaves with the 30 at 3600 + 300 = 3900, not
    full; at b at 3960."""
    data = bus_port([60], b_lanes=30, **ON_DEMAND)
    rows, _ = log_from(data, {"at": "01:00", "shuttles": {"a": {"waiting": {"f": 30}}}})
    assert rows == [Row(i, 1, "b", "l", i, 3960, 3960, 3961, 3961) for i in range(30)]
    state = {"at": "01:00", "shuttles": {"a": {"waiting": {"f": 30}}}}
    assert departures(data, state) == [(3900.0, 30, False, 3600.0, 30 * 300.0)]


def test_a_fleet_bus_on_the_road_comes_back_for_those_at_the_stop() -> None:
    """A fleet of one bus on demand (40 seats, 60 s ride, 60 s back, at most 300 s): at
    01:00 it is on the road with 40 aboard (e0 … e39), arriving in 60 s, and 30 wait at the
    stop (e40 … e69). The riders reach b at 3660; the bus is back at 3660 + 60 = 3720 and
    takes the 30 (its wait begins then), leaving at 3720 + 300 = 4020 with them; at b at
    4080. b has 40 lanes. The stop's departures: (4020, 30, not full, 3720, 30 × 420)."""
    data = bus_port([60], b_lanes=40, fleet=1, back=60, **ON_DEMAND)
    state = {
        "at": "01:00",
        "shuttles": {
            "a": {"buses": [{"aboard": {"f": 40}, "arrives_in": 60}], "waiting": {"f": 30}}
        },
    }
    rows, _ = log_from(data, state)
    assert rows == [
        *(Row(i, 1, "b", "l", i, 3660, 3660, 3661, 3661) for i in range(40)),
        *(Row(40 + i, 1, "b", "l", i, 4080, 4080, 4081, 4081) for i in range(30)),
    ]
    assert departures(data, state) == [(4020.0, 30, False, 3720.0, 30 * 420.0)]


def test_an_empty_bus_returning_is_the_next_to_take_the_stop() -> None:
    """A fleet of two, one on the road (arriving in 30 s: back at 3600 + 30 + 60 = 3690),
    one returning empty, due in 45 s: the 5 at the stop board at 3645 and leave at 3945;
    at b (5 lanes) at 4005."""
    data = bus_port([60], b_lanes=5, fleet=2, back=60, **ON_DEMAND)
    state = {
        "at": "01:00",
        "shuttles": {
            "a": {
                "buses": [{"aboard": {"f": 1}, "arrives_in": 30}],
                "returning": [45],
                "waiting": {"f": 5},
            }
        },
    }
    rows, _ = log_from(data, state)
    assert rows == [
        Row(0, 1, "b", "l", 0, 3630, 3630, 3631, 3631),
        *(Row(1 + i, 1, "b", "l", i, 4005, 4005, 4006, 4006) for i in range(5)),
    ]
    assert departures(data, state) == [(3945.0, 5, False, 3645.0, 5 * 345.0)]


# ---------------------------------------------------------------------------- careless input

BAD = [
    (
        {"walking_to": {"hall": {"f": 1}}},
        "walking_to.hall: no such stage (stages: security, passport)",
    ),
    (
        {"walking_to": {"security": {"f": 1}}},
        "walking_to.security.f: the route of f does not walk to security",
    ),
    ({"walking_to": {"passport": {"g": 1}}}, "walking_to.passport.g: no such flow or class "
     "(flows and classes: f)"),
    ({"walking_to": {"passport": {"f": -1}}}, "walking_to.passport.f: must be greater than or "
     "equal to 0"),
    (
        {"walking_to": {"passport": {"f": 100_001}}},
        "walking_to.passport: 100,001 travellers: more than 100,000 in one place is implausible",
    ),
    ({"shuttles": {"passport": {"waiting": {"f": 1}}}}, "shuttles.passport: no shuttle leaves "
     "passport"),
]  # fmt: skip


@pytest.mark.parametrize(("moving", "problem"), BAD)
def test_a_careless_walk_is_one_line(moving: dict[str, Any], problem: str) -> None:
    model = compile_scenario(scenario_from_dict(walk_port()))
    with pytest.raises(ScenarioError) as caught:
        start_from(model, state_from_dict({"at": "01:00", **moving}))
    assert str(caught.value) == problem


BUS_BAD = [
    (
        {"buses": [{"aboard": {"f": 41}, "arrives_in": 30}]},
        "shuttles.a.buses.0.aboard: 41 aboard, but the bus has 40 seats",
    ),
    (
        {"buses": [{"aboard": {"f": 1}, "arrives_in": "2min"}]},
        "shuttles.a.buses.0.arrives_in: 120 s, longer than the whole ride (60 s)",
    ),
    ({"buses": [{"aboard": {"f": 1}}]}, "shuttles.a.buses.0.arrives_in: required field is missing"),
    ({"returning": [30]}, "shuttles.a.returning: the shuttle has no fleet (a bus is always "
     "there): no bus returns empty"),
    ({"wating": {"f": 1}}, "shuttles.a.wating: unknown field (did you mean waiting?)"),
]  # fmt: skip


@pytest.mark.parametrize(("stop", "problem"), BUS_BAD)
def test_a_careless_stop_is_one_line(stop: dict[str, Any], problem: str) -> None:
    model = compile_scenario(scenario_from_dict(bus_port([60], **ON_DEMAND)))
    with pytest.raises(ScenarioError) as caught:
        start_from(model, state_from_dict({"at": "01:00", "shuttles": {"a": stop}}))
    assert str(caught.value) == problem


def test_a_fleet_cannot_have_more_buses_away_than_it_has() -> None:
    data = bus_port([60], fleet=1, back=60, **ON_DEMAND)
    model = compile_scenario(scenario_from_dict(data))
    state = {"buses": [{"aboard": {"f": 1}, "arrives_in": 30}], "returning": [10]}
    with pytest.raises(ScenarioError) as caught:
        start_from(model, state_from_dict({"at": "01:00", "shuttles": {"a": state}}))
    assert str(caught.value) == (
        "shuttles.a.returning: 2 buses away (on the road and returning), but the fleet has 1"
    )


def test_a_timetabled_shuttle_has_no_bus_returning() -> None:
    model = compile_scenario(scenario_from_dict(bus_port([60], every=600, seats=40, ride=60)))
    with pytest.raises(ScenarioError) as caught:
        start_from(model, state_from_dict({"at": "01:00", "shuttles": {"a": {"returning": [5]}}}))
    assert str(caught.value) == (
        "shuttles.a.returning: the shuttle runs by its timetable: no bus returns empty"
    )


def test_a_count_of_walkers_needs_one_walk_to_draw_from() -> None:
    """Route [a, b with p 0.5, c]: c is reached from a (a's walk, 10 s) or from b (b's, 20
    s); a count cannot say which walk to draw from, a list of times can."""

    def stage(name: str, walk: float | None) -> dict[str, Any]:
        lanes = [{"name": "l", "count": 1, "service": const(1)}]
        return {"name": name, "lanes": lanes, **({"transfer": const(walk)} if walk else {})}

    flow = {"name": "f", "arrivals": {"times": [60]}, "route": ["a", {"stage": "b", "p": 0.5}, "c"]}
    data = port([flow], [stage("a", 10), stage("b", 20), stage("c", None)])
    model = compile_scenario(scenario_from_dict(data))
    with pytest.raises(ScenarioError) as caught:
        start_from(model, state_from_dict({"at": "01:00", "walking_to": {"c": {"f": 2}}}))
    assert str(caught.value) == (
        "walking_to.c.f: the route of f reaches c by walks of different lengths: give the walk "
        "left of each (a list of times)"
    )
    rows, _ = log_from(data, {"at": "01:00", "walking_to": {"c": {"f": [5]}}})
    assert rows == [Row(0, 2, "c", "l", 0, 3605, 3605, 3606, 3606)]


def test_a_careless_bus_on_the_command_line_is_one_line(tmp_path: Path) -> None:
    """Exit 2, one line naming the state file and the field, nothing run."""
    scenario = tmp_path / "port.yaml"
    scenario.write_text(
        "name: bus\nhorizon: 2h\n"
        "flows: [{name: f, arrivals: {rate: 60/h}, route: [a, b]}]\n"
        "stages:\n"
        "  - {name: a, lanes: [{name: l, count: 1, service: {dist: constant, value: 1}}],\n"
        "     transfer: {shuttle: {seats: 40, ride: 1min, leaves: when_full, max_wait: 5min}}}\n"
        "  - {name: b, lanes: [{name: l, count: 1, service: {dist: constant, value: 1}}]}\n",
        encoding="utf-8",
    )
    state = tmp_path / "now.yaml"
    state.write_text(
        'at: "01:00"\nshuttles: {a: {buses: [{aboard: {f: 45}, arrives_in: 30s}]}}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["run", str(scenario), "--from-state", str(state), "-q"])
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"{state}: shuttles.a.buses.0.aboard: 45 aboard, but the bus has 40 seats\n"
    )
    assert result.stdout == ""
    state.write_text('at: "01:00"\nshuttles: {a: {buses: [{aboard: {f: 40}, arrives_in: 30s}]}}\n')
    result = CliRunner().invoke(
        main, ["run", str(scenario), "--from-state", str(state), "-q", "-r", "1"]
    )
    assert result.exit_code == 0, result.output


def test_the_report_counts_the_travellers_on_the_move() -> None:
    """The forecast's heading counts everyone observed: 1 waiting at passport and 2 walking
    to it; all 3 are served (the run's own count, from 01:00)."""
    state = {
        "at": "01:00",
        "stages": {"passport": {"counters": {"waiting": {"f": 1}}}},
        "walking_to": {"passport": {"f": [90, 90]}},
    }
    result = simulate(scenario_from_dict({**walk_port(), "replications": 2}), from_state=state)
    assert result.to_dict()["overall"]["served"]["mean"] == 3
    assert (
        "Forecast from the state observed at 01:00 (3 travellers waiting, in service or on the "
        "move) to 02:00" in format_report(result)
    )


# ------------------------------------------------------------------------------- properties


def _walks_to(model: Any, sub: int) -> dict[int, float]:
    """The stages ``sub``'s route walks to once (one walk's length: a count can be drawn),
    each with the most walk a walker may have left (the walk's top: 600 s if it has none)."""
    program = model.subflows[sub].program
    into: dict[int, set[tuple[int, Any]]] = {}
    for step in program:
        if isinstance(step, Move) and step.role == "transfer":
            target = program[step.next]
            if isinstance(target, Visit):
                into.setdefault(target.stage, set()).add((step.next, (step.travel, step.constant)))
    return {stage: _top(next(iter(ways))[1][0]) for stage, ways in into.items() if len(ways) == 1}


def _top(travel: Any) -> float:
    top = getattr(travel, "high", getattr(travel, "value", 600.0))
    return float(top if isinstance(top, int | float) else 600.0)


@settings(max_examples=30, deadline=None)
@given(scenarios(), st.data())
def test_walkers_reach_their_stage_after_their_walk_left(data: dict, drawn: Any) -> None:
    """Generated scenarios and walkers: everyone observed arrives at the state's time and is
    counted once; a walker given its walk left joins its stage exactly then; one counted
    joins at or after the state's time."""
    model = compile_scenario(scenario_from_dict(on_foot(data)))
    assume(not model.holds)
    at = drawn.draw(st.integers(0, int(model.horizon) - 1))
    walkers: list[tuple[int, str, float | None]] = []  # (entity, stage, walk left)
    walking: dict[str, dict[str, Any]] = {}
    for sub in model.subflows:
        for stage, top in _walks_to(model, sub.index).items():
            if not drawn.draw(st.booleans()):
                continue
            name = model.stages[stage].name
            given_times = drawn.draw(st.booleans())
            left: Any = (
                drawn.draw(st.lists(st.integers(0, int(top)), min_size=1, max_size=4))
                if given_times
                else drawn.draw(st.integers(1, 4))
            )
            walking.setdefault(name, {})[sub.name] = left
    for name, by_flow in walking.items():  # placed in the state's order: stage, then flow
        for left in by_flow.values():
            for r in left if isinstance(left, list) else [None] * left:
                walkers.append((len(walkers), name, r))
    assume(walkers)
    started = start_from(model, state_from_dict({"at": at, "walking_to": walking}))
    result = run_model(started, 5, 0)
    records = result.records
    assert records is not None
    table = result.table
    counts = [table[("overall", "", "", -1, key)] for key in ("served", "unfinished", "no_visit")]
    assert sum(counts) == records.entities >= len(walkers)
    assert np.all(records.entity_arrival[: len(walkers)] == at)
    stage_names = records.visit_table()["stage"]
    for tid, stage, left in walkers:
        mine = np.flatnonzero(records.visit_entity == tid)
        if left is not None and at + left >= model.horizon:
            assert len(mine) == 0  # still walking at the horizon
            continue
        if left is None and len(mine) == 0:
            continue  # a drawn walk past the horizon
        first = mine[0]
        assert str(stage_names[first]) == stage
        join = float(records.visit_join[first])
        assert join == at + left if left is not None else join >= at


def test_a_state_cannot_say_which_of_two_ways_yet() -> None:
    """A route that rides the shuttle from a to b or (skipping b) to c, and one that walks to
    b twice: travellers there are refused in one line, not placed on a guess."""
    lanes = [{"name": "l", "count": 1, "service": const(1)}]
    bus = {"shuttle": {"every": 600, "seats": 9, "ride": 60}}
    stages = [
        {"name": "a", "lanes": lanes, "transfer": bus},
        {"name": "b", "lanes": lanes, "transfer": const(30)},
        {"name": "c", "lanes": lanes},
    ]  # fmt: skip
    flows = [
        {"name": "f", "arrivals": {"times": [60]}, "route": ["a", {"stage": "b", "p": 0.5}, "c"]},
        {"name": "g", "arrivals": {"times": [60]}, "route": ["b", "c", "b", "c"]},
    ]
    model = compile_scenario(scenario_from_dict(port(flows, stages)))
    with pytest.raises(ScenarioError) as caught:
        start_from(model, state_from_dict({"at": 3600, "shuttles": {"a": {"waiting": {"f": 1}}}}))
    assert str(caught.value) == (
        "shuttles.a.waiting.f: the route of f rides the shuttle from a to different stages: a "
        "state cannot say which yet"
    )
    with pytest.raises(ScenarioError) as caught:
        start_from(model, state_from_dict({"at": 3600, "walking_to": {"c": {"g": [5]}}}))
    assert str(caught.value) == (
        "walking_to.c.g: the route of g walks to c more than once: a state cannot say which "
        "walk yet"
    )
    with pytest.raises(ScenarioError) as caught:
        start_from(model, state_from_dict({"at": 3600, "shuttles": {"a": {"waiting": {"g": 1}}}}))
    assert str(caught.value) == (
        "shuttles.a.waiting.g: the route of g does not ride the shuttle from a"
    )


def test_walkers_of_a_class_go_on_as_members_of_their_class() -> None:
    """A flow with classes: walkers are named by class and enter as its members (e0 of
    class slow, 90 s left; passport 3690–3750)."""
    data = walk_port()
    data["flows"][0]["classes"] = [{"name": "slow", "share": 0.5}, {"name": "fast", "share": 0.5}]
    with pytest.raises(ScenarioError) as caught:
        log_from(data, {"at": "01:00", "walking_to": {"passport": {"f": [90]}}})
    assert str(caught.value) == "walking_to.passport.f: f has classes: name one (f.slow, f.fast)"
    rows, entities = log_from(data, {"at": "01:00", "walking_to": {"passport": {"f.slow": [90]}}})
    assert rows == [Row(0, 1, "passport", "counters", 0, 3690, 3690, 3750, 3750)]
    assert entities == [("f", AT, 3750.0)]


def test_a_bus_that_has_waited_4_min_leaves_a_minute_later() -> None:
    """The bus on demand (at most 300 s after its first passenger) at the stop with 30
    aboard has waited 4 min at 01:00: it leaves at 3600 + 300 − 240 = 3660 with them, at b
    (30 lanes) at 3720. Its first passenger boarded at 3360; their waits at the stop count
    from 01:00: 30 × 60 s."""
    data = bus_port([60], b_lanes=30, **ON_DEMAND)
    state = {"at": "01:00", "shuttles": {"a": {"waiting": {"f": 30}, "bus_waited": "4min"}}}
    rows, _ = log_from(data, state)
    assert rows == [Row(i, 1, "b", "l", i, 3720, 3720, 3721, 3721) for i in range(30)]
    assert departures(data, state) == [(3660.0, 30, False, 3360.0, 30 * 60.0)]


WAITED_BAD = [
    ({"bus_waited": 60}, "a bus waits with some aboard, fewer than its 40 seats: give 1 to 39 "
     "waiting (now 0)"),
    ({"waiting": {"f": 40}, "bus_waited": 60}, "a bus waits with some aboard, fewer than its 40 "
     "seats: give 1 to 39 waiting (now 40)"),
    ({"waiting": {"f": 3}, "bus_waited": "5min"}, "300 s: a bus leaves after 300 s at most "
     "(max_wait)"),
]  # fmt: skip


@pytest.mark.parametrize(("stop", "problem"), WAITED_BAD)
def test_a_careless_bus_waited_is_one_line(stop: dict[str, Any], problem: str) -> None:
    model = compile_scenario(scenario_from_dict(bus_port([60], **ON_DEMAND)))
    with pytest.raises(ScenarioError) as caught:
        start_from(model, state_from_dict({"at": "01:00", "shuttles": {"a": stop}}))
    assert str(caught.value) == f"shuttles.a.bus_waited: {problem}"


def test_a_bus_waited_needs_a_bus_on_demand_at_the_stop() -> None:
    fleet = compile_scenario(scenario_from_dict(bus_port([60], fleet=1, back=60, **ON_DEMAND)))
    stop = {"waiting": {"f": 3}, "bus_waited": 60, "returning": [30]}
    with pytest.raises(ScenarioError) as caught:
        start_from(fleet, state_from_dict({"at": "01:00", "shuttles": {"a": stop}}))
    assert str(caught.value) == "shuttles.a.bus_waited: no bus at the stop: all 1 are away"
    timetabled = compile_scenario(scenario_from_dict(bus_port([60], every=600, seats=9, ride=60)))
    stop = {"waiting": {"f": 3}, "bus_waited": 60}
    with pytest.raises(ScenarioError) as caught:
        start_from(timetabled, state_from_dict({"at": "01:00", "shuttles": {"a": stop}}))
    assert str(caught.value) == (
        "shuttles.a.bus_waited: a timetabled shuttle leaves by its timetable, not after a wait"
    )


@st.composite
def bus_states(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A scenario of :func:`bus_port` (a timetabled shuttle or buses on demand, with or
    without a fleet) and a state of its stop that fits it."""
    seats, ride = draw(st.integers(1, 12)), draw(st.integers(0, 600))
    shuttle: dict[str, Any] = {"seats": seats, "ride": ride}
    fleet = None
    if draw(st.booleans()):
        shuttle.update(leaves="when_full", max_wait=draw(st.integers(1, 600)))
        if draw(st.booleans()):
            fleet = draw(st.integers(1, 4))
            shuttle.update(fleet=fleet, back=draw(st.integers(0, 600)))
    else:
        shuttle.update(every=draw(st.integers(60, 900)), first=draw(st.integers(0, 900)))
    arrivals = draw(st.lists(st.integers(0, 7000), max_size=20))
    data = bus_port(sorted(arrivals) or [60], b_lanes=draw(st.integers(1, 3)), **shuttle)
    away = draw(st.integers(0, fleet if fleet is not None else 3))
    buses = [
        {"aboard": {"f": draw(st.integers(0, seats))}, "arrives_in": draw(st.integers(0, ride))}
        for _ in range(away)
    ]
    stop: dict[str, Any] = {"buses": buses, "waiting": {"f": draw(st.integers(0, 30))}}
    if fleet is not None and away < fleet and draw(st.booleans()):
        stop["returning"] = [draw(st.integers(0, 900)) for _ in range(fleet - away)]
    return data, {"at": draw(st.integers(0, 7199)), "shuttles": {"a": stop}}


@settings(max_examples=40, deadline=None)
@given(bus_states())
def test_riders_alight_when_their_bus_arrives_and_nobody_is_lost(drawn: Any) -> None:
    """Generated stops: every rider of a bus on the road joins b exactly when the bus
    arrives (if before the horizon); those at the stop reach b a whole ride or more after
    the state, in the order they stood there; no bus leaves with more than its seats; every
    entity is counted once."""
    data, state = drawn
    model = start_from(compile_scenario(scenario_from_dict(data)), state_from_dict(state))
    result = run_model(model, 1, 0)
    records = result.records
    assert records is not None
    table = result.table
    counts = [table[("overall", "", "", -1, key)] for key in ("served", "unfinished", "no_visit")]
    assert sum(counts) == records.entities
    at, stop = float(state["at"]), state["shuttles"]["a"]
    first: dict[int, float] = {}
    for tid, join in zip(records.visit_entity, records.visit_join, strict=True):
        first.setdefault(int(tid), float(join))
    tid = 0
    for bus in sorted(stop["buses"], key=lambda b: b["arrives_in"]):
        for _ in range(bus["aboard"]["f"]):
            due = at + bus["arrives_in"]
            assert first.get(tid) == (due if due < model.horizon else None)
            tid += 1
    waiting = range(tid, tid + stop["waiting"]["f"])
    joins = [first[t] for t in waiting if t in first]
    assert all(j >= at + data["stages"][0]["transfer"]["shuttle"]["ride"] for j in joins)
    assert joins == sorted(joins)
    assert joins == [first[t] for t in waiting[: len(joins)]]  # first come, first carried
    seats = data["stages"][0]["transfer"]["shuttle"]["seats"]
    departures = run_replication(model, 1, 0).counters.shuttle_departures[0]
    assert all(d.aboard <= seats for d in departures)


def test_a_walk_left_longer_than_the_whole_walk_is_refused() -> None:
    """A constant 120 s walk: 120 s left is the whole walk (taken), 121 s cannot be; a
    uniform walk of 2-5 min tops at 300 s."""
    model = compile_scenario(scenario_from_dict(walk_port(walk=120)))
    start_from(model, state_from_dict({"at": "01:00", "walking_to": {"passport": {"f": [120]}}}))
    with pytest.raises(
        ScenarioError,
        match=r"^walking_to\.passport\.f: 121 s of walk left, longer than the whole walk \(120 s",
    ):
        start_from(
            model, state_from_dict({"at": "01:00", "walking_to": {"passport": {"f": [30, 121]}}})
        )
    data = walk_port()
    data["stages"][0]["transfer"] = {"dist": "uniform", "low": 120, "high": 300}
    spread = compile_scenario(scenario_from_dict(data))
    start_from(spread, state_from_dict({"at": "01:00", "walking_to": {"passport": {"f": [300]}}}))
    with pytest.raises(ScenarioError, match=r"longer than the whole walk \(300 s\)"):
        start_from(
            spread, state_from_dict({"at": "01:00", "walking_to": {"passport": {"f": [301]}}})
        )
