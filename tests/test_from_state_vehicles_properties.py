"""Properties of forecasts from a state with coaches and their passengers, over generated
states: every coach observed has exactly its passengers, leaves its meeting point when the
last of them is through (or when it gets there, if later), and they leave with it; nobody
observed is lost; and the coaches that arrive after the state read the streams they read
with no coach observed."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from portsim import scenario_from_dict
from portsim.model.compile import compile_scenario
from portsim.model.initial import start_from
from portsim.scenario.state import state_from_dict

from .helpers import exponential, run_model

FAST = settings(max_examples=25, deadline=None)
AT = 3600.0


def port(hall_lanes: int, hall_mean: float) -> dict[str, Any]:
    """Coaches of 2 to 6 (every 10 minutes from 01:00) through a booth, their passengers
    through a hall of exponential service, the coach through the park (exponential), then
    they meet; the gate takes 10 s."""
    return {
        "name": "coaches",
        "horizon": "6h",
        "flows": [
            {
                "name": "coaches",
                "kind": "coach",
                "arrivals": {"every": "10min", "from": "01:00", "to": "02:00"},
                "occupants": {"dist": "empirical", "values": [2, 3, 4, 5, 6]},
                "route": [
                    "booth",
                    {"alight": "hall_route"},
                    "park",
                    {"meet": "passengers"},
                    "gate",
                ],
            }
        ],
        "routes": {"hall_route": ["hall"]},
        "stages": [
            {"name": "booth", "lanes": [{"name": "l", "count": 1, "service": exponential(60)}]},
            {
                "name": "hall",
                "lanes": [{"name": "l", "count": hall_lanes, "service": exponential(hall_mean)}],
            },
            {"name": "park", "lanes": [{"name": "l", "count": 2, "service": exponential(120)}]},
            {
                "name": "gate",
                "lanes": [{"name": "l", "count": 1, "service": {"dist": "constant", "value": 10}}],
            },
        ],
    }


@st.composite
def observed(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], list[int]]:
    """A port, and a state at 01:00 with coaches at the park and at their meeting point and
    their passengers in the hall (some in service); each coach's passengers, in order."""
    lanes = draw(st.integers(1, 3))
    data = port(lanes, draw(st.sampled_from([10.0, 60.0, 200.0])))
    at_park = draw(st.lists(st.integers(1, 5), max_size=2))
    meeting = draw(st.lists(st.integers(1, 5), max_size=3))
    total = sum(at_park) + sum(meeting)
    serving = draw(st.integers(0, min(lanes, total)))
    hall: dict[str, Any] = {}
    if serving:
        hall["in_service"] = {"coaches.passengers": serving}
    if total > serving:
        hall["waiting"] = {"coaches.passengers": total - serving}
    stages: dict[str, Any] = {"hall": {"l": hall}} if total else {}
    if at_park:
        park = {"passengers": at_park}
        stages["park"] = {
            "l": {"waiting" if draw(st.booleans()) else "in_service": {"coaches": park}}
        }
    state = {"at": "01:00", "stages": stages, "meeting": {"coaches": meeting} if meeting else {}}
    return data, state, at_park + meeting


def _run(data: dict[str, Any], state: dict[str, Any]) -> Any:
    model = start_from(compile_scenario(scenario_from_dict(data)), state_from_dict(state))
    result = run_model(model, 11, 0)
    assert result.records is not None
    return result.records


@FAST
@given(observed())
def test_each_coach_leaves_with_the_last_of_its_passengers(case: Any) -> None:
    data, state, passengers = case
    rec = _run(data, state)
    coaches = len(passengers)  # made first: entities 0 … coaches − 1
    assert np.all(rec.entity_arrival[: coaches + sum(passengers)] == AT)
    parents = rec.entity_parent[coaches : coaches + sum(passengers)]
    assert np.bincount(parents, minlength=coaches).tolist() == passengers
    assert np.all(~np.isnan(rec.entity_exit))  # six hours: everyone is through
    hall, park, gate = (rec.stage_names.index(s) for s in ("hall", "park", "gate"))
    for coach in range(coaches):
        mine = np.flatnonzero(rec.entity_parent == coach)
        back = rec.visit_end[np.isin(rec.visit_entity, mine) & (rec.visit_stage == hall)]
        at_park = (rec.visit_entity == coach) & (rec.visit_stage == park)
        reached = rec.visit_end[at_park].max() if at_park.any() else AT
        left = rec.visit_join[(rec.visit_entity == coach) & (rec.visit_stage == gate)]
        assert left.tolist() == [max(reached, back.max())]  # it goes on with the last one
        assert rec.entity_meet[coach] == left[0] - reached  # its dwell at the meeting point
        assert np.allclose(rec.entity_exit[mine], np.maximum(back, reached))


@FAST
@given(observed())
def test_the_coaches_after_the_state_read_their_own_streams(case: Any) -> None:
    """The coaches arriving from 01:00 on have the same arrival times and occupants as with
    nobody observed (the observed coaches' numbers come first, their occupants from a stream
    of their own)."""
    data, state, passengers = case
    # a coach waiting at the booth, its occupants drawn: the only draw of the observed stream
    state["stages"]["booth"] = {"l": {"waiting": {"coaches": 1}}}
    full = _run(data, state)
    empty = _run(data, {"at": "01:00"})
    mine = np.flatnonzero(full.entity_parent < 0)[len(passengers) + 1 :]  # after the observed
    others = np.flatnonzero(empty.entity_parent < 0)
    assert len(mine) == len(others) == 6  # 01:00, 01:10, … 01:50
    assert np.array_equal(full.entity_arrival[mine], empty.entity_arrival[others])
    assert np.array_equal(full.entity_size[mine], empty.entity_size[others])
