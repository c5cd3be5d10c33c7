"""Properties of forecasts from a state under opening hours (the port's, a stage's own) and
at staff pools, over generated scenarios and states: nobody observed is lost, waits are
never negative and count from the state's time, and an empty state at 00:00 is the plain
run bit for bit."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from portsim import scenario_from_dict, simulate
from portsim.model.compile import compile_scenario
from portsim.model.initial import StateError, start_from
from portsim.model.initial_doors import closed_door, on_duty_before
from portsim.model.model import Model
from portsim.scenario.state import state_from_dict

from .helpers import run_model
from .strategies import scenarios, staffed_scenarios
from .test_from_state_properties import on_foot, states

FAST = settings(max_examples=30, deadline=None)


@st.composite
def with_hours(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the port's hours, a stage's own, or both."""
    hours = {"open": draw(st.sampled_from(["00:20", "00:40", "01:00"])), "close": "1.5h"}
    out = {**data}
    if draw(st.booleans()):
        out["hours"] = hours
    if not out.get("hours") or draw(st.booleans()):
        stages = list(out["stages"])
        k = draw(st.integers(0, len(stages) - 1))
        stages[k] = {**stages[k], "hours": {"open": "00:30", "close": "1h"}}
        out["stages"] = stages
    return out


def _serving(given: Any) -> int:
    return sum(v if isinstance(v, int) else len(v) for v in given.values())


def admissible(model: Model, state: dict[str, Any]) -> dict[str, Any]:
    """``state`` made to fit the doors and the pools (as a careful planner writes it):
    no group of a pool behind closed doors; behind closed doors, the lanes of those in
    service given; at a pool, the lanes of those in service given, as far as officers go."""
    at = state["at"]
    free = {p.index: on_duty_before(p.on_duty, at) for p in model.pools}
    for spec in model.groups:
        stage = model.stages[spec.stage].name
        group = state["stages"].get(stage, {}).get(spec.name)
        if group is None:
            continue
        door = closed_door(model, spec.index, at)
        if spec.staffing is not None and door is not None:
            del state["stages"][stage][spec.name]
            continue
        busy = _serving(group.get("in_service", {}))
        if spec.staffing is not None:
            lanes = max(group.get("open", 0), busy)
            draws = list(zip(spec.staffing.pools, spec.staffing.per_lane, strict=True))
            fits = min(free[p] // n for p, n in draws)
            if busy > fits:
                group.pop("in_service", None)
                busy = 0
            if "open" in group or busy:
                group["open"] = min(lanes, fits)
                for p, n in draws:
                    free[p] -= group["open"] * n
        elif door is not None and busy and "open" not in group:
            group["open"] = busy
    return state


@FAST
@given(st.data())
def test_nobody_observed_is_lost_under_hours_and_at_pools(drawn: Any) -> None:
    if drawn.draw(st.booleans()):
        data = drawn.draw(staffed_scenarios())
    else:
        data = drawn.draw(with_hours(drawn.draw(scenarios())))
    model = compile_scenario(scenario_from_dict(on_foot(data)))
    raw = admissible(model, drawn.draw(states(model)))
    try:
        started = start_from(model, state_from_dict(raw))
    except StateError as exc:  # lanes given behind closed doors with nobody inside
        assume("nobody inside" not in str(exc))
        raise
    assert started.initial is not None
    observed = started.initial.travellers()
    result = run_model(started, 5, 0)
    records = result.records
    assert records is not None
    at = started.initial.at
    table = result.table
    served = table[("overall", "", "", -1, "served")]
    unfinished = table[("overall", "", "", -1, "unfinished")]
    no_visit = table[("overall", "", "", -1, "no_visit")]
    assert served + unfinished + no_visit == records.entities
    assert records.entities >= observed
    assert np.all(records.entity_arrival[:observed] == at)
    assert np.all(records.entity_arrival >= at)
    for tid in range(observed):  # each has its visit at the stage it was observed at
        assert np.any(records.visit_entity == tid)
    started_visits = ~np.isnan(records.visit_start)
    wait = records.visit_start - records.visit_join
    assert np.all(wait[started_visits] >= 0)
    assert np.all(records.visit_join >= at)
    # a visit that started ended no earlier, and the officers in use never went negative
    ended = ~np.isnan(records.visit_end)
    assert np.all(records.visit_end[ended] >= records.visit_start[ended])
    for log in result.counters.officers_in_use:
        assert all(n >= 0 for _, n in log)


@FAST
@given(st.data())
def test_an_empty_state_at_midnight_is_the_plain_run_under_hours_and_pools(drawn: Any) -> None:
    if drawn.draw(st.booleans()):
        data = drawn.draw(staffed_scenarios())
    else:
        data = drawn.draw(with_hours(drawn.draw(scenarios())))
    scenario = scenario_from_dict({**data, "warmup": 0, "replications": 2})
    plain = simulate(scenario)
    empty = simulate(scenario, from_state={"at": "00:00"})
    for t, u in zip(plain.tables, empty.tables, strict=True):  # bit for bit, NaN included
        assert [np.float64(v).tobytes() for v in t.values()] == [
            np.float64(v).tobytes() for v in u.values()
        ]
    for r, s in zip(plain.records, empty.records, strict=True):
        for name in ("visit_join", "visit_start", "visit_end", "entity_arrival", "entity_exit"):
            assert getattr(r, name).tobytes() == getattr(s, name).tobytes()
