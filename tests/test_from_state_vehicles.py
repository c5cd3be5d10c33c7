"""Vehicles in a state observed now (``--from-state``): exact event logs derived by hand.

The rules (``engine/initial.py``, ``engine/initial_vehicles.py``) are those of
``tests/test_from_state.py``, with: the vehicles whose passengers are out (at a stage after
they alight, or at their meeting point) are made first, so their entity ids come first;
then everyone in the state's order. A coach at its meeting point stands there from the
state's time; the passengers the state gives belong to the coaches that wait for them in
order (those at stages first, then those at ``meeting``). Services are constant and
arrivals timed, so every row is known in advance; each test derives it in its docstring.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from portsim import load_scenario, scenario_from_dict, simulate
from portsim.cli import main
from portsim.engine.initial import first_numbers
from portsim.errors import ScenarioError
from portsim.model.compile import compile_scenario
from portsim.model.initial import start_from
from portsim.report import format_report
from portsim.scenario.state import load_state, state_from_dict
from portsim.scenario.yaml_io import load_yaml

from .helpers import Row, run_model
from .test_from_state import log_from
from .test_streaming import assert_tables_agree
from .test_vehicles import coach_port, lanes


def cars_port(arrivals: list[float], occupants: dict[str, Any]) -> dict[str, Any]:
    """Cars through one booth of 20 s + 5 s per occupant."""
    return {
        "name": "cars",
        "horizon": "2h",
        "flows": [
            {
                "name": "cars",
                "kind": "car",
                "arrivals": {"times": arrivals},
                "occupants": occupants,
                "route": ["booth"],
            }
        ],
        "stages": [lanes("booth", 20, per_occupant=5)],
    }


def coaches(hall: float, meet: bool = True) -> dict[str, Any]:
    """The coach port of ``tests/test_vehicles.py`` (booth 60 s + 5 s per occupant, a
    2-minute drive, park 30 s, meet, gate 10 s; passengers through a hall of one counter of
    ``hall`` s), with its one coach at 00:01, before any state's time."""
    data = coach_port(hall=hall, meet=meet)
    data["horizon"] = "2h"
    data["flows"][0]["arrivals"] = {"times": [60]}
    return data


def records(data: dict[str, Any], state: dict[str, Any], seed: int = 0) -> Any:
    model = start_from(compile_scenario(scenario_from_dict(data)), state_from_dict(state))
    rec = run_model(model, seed, 0).records
    assert rec is not None
    return rec


@pytest.mark.parametrize(
    "waiting",
    [{"cars": 3}, {"cars": {"count": 3, "occupants": 2}}, {"cars": {"occupants": [2, 2, 2]}}],
)
def test_three_cars_of_two_at_a_constant_booth(waiting: dict[str, Any]) -> None:
    """Observed at 01:00: a car of 4 in service with 10 s left (e0), three cars of 2 waiting
    (e1 e2 e3: drawn from the flow's constant 2, or given), and a car of 2 arriving at 01:00
    (e4, after the observed). A car of 2 takes 20 + 2 × 5 = 30 s: e0 3600–3610, e1
    3610–3640, e2 3640–3670, e3 3670–3700, e4 3700–3730. Persons 4 + 4 × 2 = 12."""
    data = cars_port([60, 3600], {"dist": "constant", "value": 2})
    state = {
        "at": "01:00",
        "stages": {
            "booth": {
                "l": {
                    "in_service": {"cars": {"remaining": [10], "occupants": [4]}},
                    "waiting": waiting,
                }
            }
        },
    }
    rows, entities = log_from(data, state)
    assert rows == [
        Row(0, 0, "booth", "l", 0, 3600, 3600, 3610, 3610),
        Row(1, 0, "booth", "l", 0, 3600, 3610, 3640, 3640),
        Row(2, 0, "booth", "l", 0, 3600, 3640, 3670, 3670),
        Row(3, 0, "booth", "l", 0, 3600, 3670, 3700, 3700),
        Row(4, 0, "booth", "l", 0, 3600, 3700, 3730, 3730),
    ]
    assert entities == [("cars", 3600.0, row.exit) for row in rows]
    assert records(data, state).entity_size.tolist() == [4, 2, 2, 2, 2]
    metrics = simulate(scenario_from_dict(data), 1, from_state=state).per_replication[0]
    assert metrics["vehicles"]["served"] == 5
    assert metrics["persons"]["served"] == 12


def test_a_coach_at_its_meeting_point_leaves_when_its_last_passenger_is_through() -> None:
    """Observed at 01:00: a coach at its meeting point (e0) waiting for its 10 passengers,
    who queue at the hall (one counter, 30 s: e1 … e10). Passenger i is served 3600 + 30(i −
    1) to 3600 + 30 i and finds its coach there (waits 0 for it); the last is through at
    3900, when the coach goes on: gate 3900–3910. Its dwell at the meeting point: 300 s."""
    state = {
        "at": "01:00",
        "stages": {"hall": {"l": {"waiting": {"coaches.passengers": 10}}}},
        "meeting": {"coaches": [10]},
    }
    data = coaches(hall=30)
    rows, entities = log_from(data, state)
    through = [3600 + 30 * i for i in range(1, 11)]
    assert rows == [
        Row(0, 2, "gate", "l", 0, 3900, 3900, 3910, 3910),
        *(Row(i, 0, "hall", "l", 0, 3600, end - 30, end, end) for i, end in enumerate(through, 1)),
    ]
    assert through[-1] == 3900
    assert entities[0] == ("coaches", 3600.0, 3910.0)
    rec = records(data, state)
    assert rec.entity_meet.tolist() == [300] + [0] * 10
    assert rec.entity_parent.tolist() == [-1] + [0] * 10
    assert rec.entity_size.tolist() == [11] + [1] * 10
    result = simulate(scenario_from_dict(data), 1, from_state=state)
    assert result.warnings == ()  # the coach observed is its flow's: it is counted
    flows = result.per_replication[0]["flows"]["coaches"]
    assert flows["vehicle_dwell_mean_s"] == 300
    assert flows["passengers"]["wait_mean_s"] == sum(30 * i for i in range(10)) / 10
    assert flows["passengers"]["wait_for_vehicle_max_s"] == 0


def test_the_passengers_belong_to_the_coaches_in_order() -> None:
    """Observed at 01:00: a coach at the park (e0, its 2 passengers out), a coach at its
    meeting point (e1, 2 out), and 4 passengers at the hall (one counter, 100 s; e2 … e5):
    e2 e3 are the first coach's, e4 e5 the second's. Hall: e2 3600–3700, e3 3700–3800, e4
    3800–3900, e5 3900–4000. e0: park 3600–3630, at the meeting point from 3630; its last
    passenger is through at 3800: gate 3800–3810 (dwell 170 s). e1 waits from 3600 until
    4000: gate 4000–4010 (dwell 400 s)."""
    state = {
        "at": "01:00",
        "stages": {
            "park": {"l": {"waiting": {"coaches": {"passengers": [2]}}}},
            "hall": {"l": {"waiting": {"coaches.passengers": 4}}},
        },
        "meeting": {"coaches": [2]},
    }
    data = coaches(hall=100)
    rows, entities = log_from(data, state)
    assert rows == [
        Row(0, 1, "park", "l", 0, 3600, 3600, 3630, 3810),
        Row(0, 2, "gate", "l", 0, 3800, 3800, 3810, 3810),
        Row(1, 2, "gate", "l", 0, 4000, 4000, 4010, 4010),
        Row(2, 0, "hall", "l", 0, 3600, 3600, 3700, 3700),
        Row(3, 0, "hall", "l", 0, 3600, 3700, 3800, 3800),
        Row(4, 0, "hall", "l", 0, 3600, 3800, 3900, 3900),
        Row(5, 0, "hall", "l", 0, 3600, 3900, 4000, 4000),
    ]
    assert [e for *_, e in entities] == [3810, 4010, 3700, 3800, 3900, 4000]
    rec = records(data, state)
    assert rec.entity_parent.tolist() == [-1, -1, 0, 0, 1, 1]
    assert rec.entity_meet.tolist() == [170, 400, 0, 0, 0, 0]


def test_passengers_through_first_wait_for_their_coach() -> None:
    """As above with a hall of 10 s and only the coach at the park: e1 3600–3610, e2
    3610–3620 are through before their coach (park 3600–3630) reaches the meeting point at
    3630; they wait 20 s and 10 s for it and leave with it at 3630; the coach waits 0 s:
    gate 3630–3640."""
    state = {
        "at": "01:00",
        "stages": {
            "park": {"l": {"in_service": {"coaches": {"passengers": [2]}}}},
            "hall": {"l": {"waiting": {"coaches.passengers": 2}}},
        },
    }
    data = coaches(hall=10)
    rows, entities = log_from(data, state)
    assert rows == [
        Row(0, 1, "park", "l", 0, 3600, 3600, 3630, 3640),
        Row(0, 2, "gate", "l", 0, 3630, 3630, 3640, 3640),
        Row(1, 0, "hall", "l", 0, 3600, 3600, 3610, 3630),
        Row(2, 0, "hall", "l", 0, 3600, 3610, 3620, 3630),
    ]
    assert [e for *_, e in entities] == [3640, 3630, 3630]
    assert records(data, state).entity_meet.tolist() == [0, 20, 10]


def test_a_coach_before_its_passengers_alight_is_the_run_from_midnight_later() -> None:
    """A coach of 4 observed waiting at the booth at 01:00 is the coach of
    ``test_vehicles.test_the_coach_waits_for_its_last_passenger`` arriving at 0, every time
    3600 s later: booth 3600–3680 (60 + 4 × 5), passengers (e1 e2 e3, numbered as they
    alight) at the hall 3680–3780, 3780–3880, 3880–3980; park 3800–3830, the coach waits
    from 3830 to 3980, gate 3980–3990."""
    state = {
        "at": "01:00",
        "stages": {"booth": {"l": {"waiting": {"coaches": {"occupants": [4]}}}}},
    }
    rows, _ = log_from(coaches(hall=100), state)
    assert rows == [
        Row(0, 0, "booth", "l", 0, 3600, 3600, 3680, 3990),
        Row(0, 1, "park", "l", 0, 3800, 3800, 3830, 3990),
        Row(0, 2, "gate", "l", 0, 3980, 3980, 3990, 3990),
        Row(1, 0, "hall", "l", 0, 3680, 3680, 3780, 3830),
        Row(2, 0, "hall", "l", 0, 3680, 3780, 3880, 3880),
        Row(3, 0, "hall", "l", 0, 3680, 3880, 3980, 3980),
    ]


def test_passengers_of_a_route_without_a_meeting_point_need_no_coach() -> None:
    """No meeting point: 2 passengers at the hall (10 s) leave as they are through, 3610 and
    3620, with no vehicle (parent −1); a coach at the park after they alighted carries its
    driver only (30 s, and nothing per occupant here): 3600–3630."""
    state = {
        "at": "01:00",
        "stages": {
            "hall": {"l": {"waiting": {"coaches.passengers": 2}}},
            "park": {"l": {"waiting": {"coaches": 1}}},
        },
    }
    data = coaches(hall=10, meet=False)
    rows, entities = log_from(data, state)
    assert rows == [
        Row(0, 0, "hall", "l", 0, 3600, 3600, 3610, 3610),
        Row(1, 0, "hall", "l", 0, 3600, 3610, 3620, 3620),
        Row(2, 1, "park", "l", 0, 3600, 3600, 3630, 3630),
    ]
    assert [e for *_, e in entities] == [3610, 3620, 3630]
    rec = records(data, state)
    assert rec.entity_parent.tolist() == [-1, -1, -1]
    assert rec.entity_size.tolist() == [1, 1, 1]


def test_observed_vehicles_leave_the_new_arrivals_streams_alone() -> None:
    """Cars of 1, 2 or 5 occupants at 200 an hour: five cars observed at 01:00 (occupants
    drawn from a stream of their own) leave the new arrivals' times and occupants as they are
    with no car observed; the observed ones' occupants come from the flow's values and vary
    with the seed."""
    data = cars_port([], {"dist": "empirical", "values": [1, 2, 5]})
    data["flows"][0]["arrivals"] = {"rate": "200/h"}
    empty = records(data, {"at": "01:00"}, seed=4)
    state = {"at": "01:00", "stages": {"booth": {"l": {"waiting": {"cars": 5}}}}}
    full = records(data, state, seed=4)
    assert np.array_equal(full.entity_arrival[5:], empty.entity_arrival)
    assert np.array_equal(full.entity_size[5:], empty.entity_size)
    assert len(empty.entity_arrival) > 50
    drawn = {tuple(records(data, state, seed=s).entity_size[:5].tolist()) for s in range(6)}
    assert len(drawn) > 1
    assert set().union(*drawn) <= {1, 2, 5}


SCENARIO = """\
name: coaches
horizon: 2h
flows:
  - name: coaches
    kind: coach
    arrivals: {times: [60]}
    occupants: {dist: constant, value: 4}
    route: [booth, {alight: hall_route}, park, {meet: passengers}, gate]
  - name: walkers
    arrivals: {times: [60]}
    route: [hall]
routes:
  hall_route: [hall]
stages:
  - {name: booth, lanes: [{name: l, count: 1, service: {dist: constant, value: 60}}]}
  - {name: hall, lanes: [{name: l, count: 1, service: {dist: constant, value: 30}}]}
  - {name: park, lanes: [{name: l, count: 1, service: {dist: constant, value: 30}}]}
  - {name: gate, lanes: [{name: l, count: 1, service: {dist: constant, value: 10}}]}
"""

AT = '{at: "01:00", stages: {%s}}'

BAD = [
    (
        AT % "park: {l: {waiting: {coaches: 2}}}",
        "stages.park.l.waiting.coaches: coaches at park have let their passengers alight: give "
        "each one's passengers still out, {coaches: {passengers: [30, 25]}}",
    ),
    (
        AT % "booth: {l: {waiting: {coaches: {passengers: [3]}}}}",
        "stages.booth.l.waiting.coaches.passengers: the passengers of coaches are still aboard "
        "at booth (they alight later on its route): give occupants, driver included",
    ),
    (
        AT % "gate: {l: {waiting: {coaches: {occupants: [4]}}}}",
        "stages.gate.l.waiting.coaches: at gate only the driver is aboard coaches (its "
        "passengers alighted before, and they met it again): give a count, or remaining times",
    ),
    (
        AT % "booth: {l: {waiting: {coaches: {occupants: [4], passengers: [3]}}}}",
        "stages.booth.l.waiting.coaches: give occupants (before the passengers alight) or "
        "passengers (after), not both",
    ),
    (
        AT % "booth: {l: {waiting: {coaches: {count: 2, occupants: [4]}}}}",
        "stages.booth.l.waiting.coaches: the vehicles' numbers disagree (occupants 1, count 2)",
    ),
    (
        AT % "booth: {l: {waiting: {coaches: {remaining: [4s]}}}}",
        "stages.booth.l.waiting.coaches.remaining: remaining is for vehicles in service",
    ),
    (
        AT % "hall: {l: {waiting: {walkers: {count: 3}}}}",
        "stages.hall.l.waiting.walkers: walkers travel on foot: give a count, not vehicles' "
        "details",
    ),
    (
        AT % "hall: {l: {waiting: {coaches.passengers: {count: 3}}}}",
        "stages.hall.l.waiting.coaches.passengers: coaches.passengers are persons: give a count "
        "or their remaining times",
    ),
    (
        AT % "hall: {l: {waiting: {coaches.passengers: 5}}}",
        "stages.hall.l.waiting.coaches.passengers: 5 passengers of coaches at their stages, but "
        "no vehicle of coaches waits for them: give theirs, at a stage after they alight "
        "(with passengers) or at meeting",
    ),
    (
        '{at: "01:00", stages: {hall: {l: {waiting: {coaches.passengers: 5}}}}, '
        "meeting: {coaches: [3]}}",
        "stages.hall.l.waiting.coaches.passengers: 5 passengers of coaches at their stages, but "
        "the 1 vehicle waiting for them (at a stage after they alight, or at meeting) has 3 "
        "out: the numbers must agree",
    ),
    (
        '{at: "01:00", meeting: {coaches: [3]}}',
        "meeting.coaches: no passenger of coaches at their stages, but the 1 vehicle waiting "
        "for them (at a stage after they alight, or at meeting) has 3 out: the numbers must "
        "agree",
    ),
    (
        '{at: "01:00", meeting: {walkers: [3]}}',
        "meeting.walkers: walkers travel on foot: only vehicles wait at a meeting point",
    ),
    (
        '{at: "01:00", meeting: {coaches: [0]}}',
        "meeting.coaches: one of coaches has none of its passengers out: those back from their "
        "sub-route, waiting for their vehicle, are not in a state yet (give the vehicle's "
        "passengers still out, at least 1)",
    ),
    (
        AT % "park: {l: {waiting: {coaches: {passengers: [2, 0]}}}}",
        "stages.park.l.waiting.coaches.passengers: one of coaches has none of its passengers "
        "out: those back from their sub-route, waiting for their vehicle, are not in a state "
        "yet (give the vehicle's passengers still out, at least 1)",
    ),
    (
        AT % "booth: {l: {waiting: {coaches: {occupants: [0]}}}}",
        "stages.booth.l.waiting.coaches.occupants.0: must be greater than or equal to 1",
    ),
]


@pytest.mark.parametrize(("state", "problem"), BAD)
def test_careless_vehicles_in_a_state_are_one_line(tmp_path: Any, state: str, problem: str) -> None:
    file, state_file = tmp_path / "port.yaml", tmp_path / "now.yaml"
    file.write_text(SCENARIO, encoding="utf-8")
    state_file.write_text(state + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(file), "--from-state", str(state_file), "-q"])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"{state_file}: {problem}\n"
    assert result.stdout == ""


def test_a_meeting_point_reached_two_ways_is_refused() -> None:
    """A coach that visits the park with p 0.5 reaches its meeting point from the park or
    from the booth: a state cannot say which way it came."""
    data = coaches(hall=30)
    data["flows"][0]["route"][2] = {"stage": "park", "p": 0.5}
    model = compile_scenario(scenario_from_dict(data))
    with pytest.raises(Exception, match="reaches its meeting point on more than one way"):
        start_from(model, state_from_dict({"at": "01:00", "meeting": {"coaches": [1]}}))


BUSY = {
    "at": "01:00",
    "stages": {
        "booth": {
            "l": {"in_service": {"coaches": 1}, "waiting": {"coaches": {"occupants": [5, 3]}}}
        },
        "park": {"l": {"waiting": {"coaches": {"passengers": [2, 3]}}}},
        "hall": {
            "l": {"in_service": {"coaches.passengers": [5]}, "waiting": {"coaches.passengers": 12}}
        },
    },
    "meeting": {"coaches": [4, 4]},
}
"""Coaches at the booth (occupants drawn and given), at the park and at their meeting point,
and their 13 passengers in the hall."""


def busy_port() -> Any:
    """The coach port with a coach every 5 minutes of 2 to 6 occupants, exponential services."""
    data = coaches(hall=30)
    data["flows"][0]["arrivals"] = {"rate": "12/h"}
    data["flows"][0]["occupants"] = {"dist": "empirical", "values": [2, 3, 4, 5, 6]}
    for stage in data["stages"]:
        stage["lanes"][0]["service"] = {"dist": "exponential", "mean": 20}
    return scenario_from_dict(data)


def test_a_forecast_with_coaches_streams_the_same_counts() -> None:
    """``records=False`` (streaming statistics) counts the observed coaches, their
    passengers, dwells and waits for the vehicle as the records do."""
    s = busy_port()
    exact = simulate(s, 2, 5, records=True, from_state=BUSY)
    streamed = simulate(s, 2, 5, records=False, from_state=BUSY)
    for e, t in zip(exact.tables, streamed.tables, strict=True):
        assert assert_tables_agree(e, t, s.horizon) > 0


def test_the_forecast_says_how_many_vehicles_were_observed() -> None:
    """13 passengers and 5 coaches at lane groups (1 + 2 at the booth, 2 at the park), 2 at
    their meeting point."""
    text = format_report(simulate(busy_port(), 1, 5, from_state=BUSY))
    assert (
        "Forecast from the state observed at 01:00 (13 travellers and 5 vehicles waiting or in "
        "service, 2 vehicles at their meeting point) to 02:00;"
    ) in text


def test_the_guide_s_state_is_the_example_file_and_fits_huanggang() -> None:
    """The state of docs/forecast-from-now.md is ``examples/huanggang_coaches_now.yaml``, and
    it fits the Huanggang scenario: 85 passengers for the 4 coaches that wait for them."""
    root = Path(__file__).resolve().parent.parent
    guide = (root / "docs" / "forecast-from-now.md").read_text(encoding="utf-8")
    section = guide.split("\n## Vehicles and their passengers\n", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    example = load_state(root / "examples" / "huanggang_coaches_now.yaml")
    assert state_from_dict(load_yaml(block)) == example
    model = compile_scenario(load_scenario(root / "scenarios" / "huanggang_land_port_2019.yaml"))
    initial = start_from(model, example).initial
    assert initial is not None
    assert [c.passengers for c in initial.carloads] == [20, 25, 30, 10]
    assert [c.meeting for c in initial.carloads] == [False, False, True, True]


def test_a_state_with_vehicles_and_walkers_places_both() -> None:
    """Observed at 01:00: a coach at its meeting point (e0) waiting for its 2 passengers at
    the hall (one counter, 30 s: e1, e2), and a walker of a flow on foot (e3) 60 s from the
    park. Vehicles first, then the lane groups, then those on the move. Hall: e1 3600–3630,
    e2 3630–3660; the coach goes on at 3660: gate 3660–3670. The walker joins the park at
    3660 and is served 3660–3690 (the park's lane is free: the coach is past it). A walker
    of the coach flow is refused: a vehicle on the move is not in a state yet."""
    data = coaches(hall=30)
    data["flows"].append(
        {"name": "walkers", "arrivals": {"times": [60]}, "route": ["booth", "park"]}
    )
    state: dict[str, Any] = {
        "at": "01:00",
        "stages": {"hall": {"l": {"waiting": {"coaches.passengers": 2}}}},
        "meeting": {"coaches": [2]},
        "walking_to": {"park": {"walkers": ["60s"]}},
    }
    rows, entities = log_from(data, state)
    assert rows == [
        Row(0, 2, "gate", "l", 0, 3660, 3660, 3670, 3670),
        Row(1, 0, "hall", "l", 0, 3600, 3600, 3630, 3630),
        Row(2, 0, "hall", "l", 0, 3600, 3630, 3660, 3660),
        Row(3, 1, "park", "l", 0, 3660, 3660, 3690, 3690),
    ]
    assert entities[0] == ("coaches", 3600.0, 3670.0)
    assert entities[3] == ("walkers", 3600.0, 3690.0)
    model = start_from(compile_scenario(scenario_from_dict(data)), state_from_dict(state))
    assert first_numbers(model) == [1, 1]  # the coach, the walker: new arrivals come after
    state["walking_to"] = {"park": {"coaches": ["60s"]}}
    with pytest.raises(ScenarioError, match=r"walking_to\.park\.coaches: .*vehicle flow"):
        start_from(compile_scenario(scenario_from_dict(data)), state_from_dict(state))


def test_a_vehicle_of_more_than_a_thousand_is_a_typing_slip() -> None:
    with pytest.raises(ScenarioError, match=r"^stages\.booth\.l\.waiting\.cars\.occupants\.1: "):
        state_from_dict(
            {
                "at": "01:00",
                "stages": {"booth": {"l": {"waiting": {"cars": {"occupants": [2, 1001]}}}}},
            }
        )
    state_from_dict(
        {"at": "01:00", "stages": {"booth": {"l": {"waiting": {"cars": {"occupants": [2, 1000]}}}}}}
    )
