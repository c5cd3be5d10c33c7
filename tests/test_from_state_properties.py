"""Properties of forecasts from a state, over generated scenarios and states: nobody
observed is lost, waits are never negative and start at the state's time, an empty state at
00:00 is the plain run bit for bit, and the same seed gives the same results."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from portsim import scenario_from_dict, simulate
from portsim.model.compile import compile_scenario
from portsim.model.initial import planned_before, start_from
from portsim.model.model import Model
from portsim.model.routes import Visit
from portsim.scenario.state import state_from_dict

from .helpers import run_model
from .strategies import prioritised, scenarios

FAST = settings(max_examples=30, deadline=None)


def _visits(model: Model, sub: int, stage: int) -> bool:
    return any(isinstance(s, Visit) and s.stage == stage for s in model.subflows[sub].program)


@st.composite
def states(draw: st.DrawFn, model: Model) -> dict[str, Any]:
    """A state that fits ``model``: some of its groups, with lanes open, travellers in
    service (counts or remaining times) and waiting, of the flows they serve."""
    at = draw(st.integers(0, int(model.horizon) - 1))
    stages: dict[str, Any] = {}
    for spec in model.groups:
        if not draw(st.integers(0, 3)):  # three in four groups observed
            continue
        stage = model.stages[spec.stage]
        served = [
            sub.name
            for sub in model.subflows
            if not model.flows[sub.flow].vehicle
            and spec.index in sub.eligible[spec.stage]
            and _visits(model, sub.index, spec.stage)
        ]
        group: dict[str, Any] = {}
        lanes = planned_before(model, spec.index, at)
        if draw(st.booleans()):
            group["open"] = lanes = draw(st.integers(0, max(spec.lanes, spec.built or 0)))
        if served:
            busy = draw(st.integers(0, lanes))
            name = draw(st.sampled_from(served))
            if busy:
                group["in_service"] = {
                    name: busy
                    if draw(st.booleans())
                    else draw(st.lists(st.integers(0, 300), min_size=busy, max_size=busy))
                }
            group["waiting"] = {draw(st.sampled_from(served)): draw(st.integers(1, 30))}
        stages.setdefault(stage.name, {})[spec.name] = group
    return {"at": at, "stages": stages}


@FAST
@given(scenarios(), st.data())
def test_nobody_observed_is_lost_and_waits_count_from_the_state(data: dict, drawn: Any) -> None:
    """Also with classes and priorities (queues served level by level)."""
    if drawn.draw(st.booleans()):
        data = drawn.draw(prioritised(data))
    model = compile_scenario(scenario_from_dict(on_foot(data)))
    assume(not model.holds)
    state = state_from_dict(drawn.draw(states(model)))
    started = start_from(model, state)
    assert started.initial is not None
    observed = started.initial.travellers()
    result = run_model(started, 3, 0)
    records = result.records
    assert records is not None
    at = state.at
    # everyone: left (an exit time) or still in port at the horizon, counted once
    table = result.table
    served = table[("overall", "", "", -1, "served")]
    unfinished = table[("overall", "", "", -1, "unfinished")]
    no_visit = table[("overall", "", "", -1, "no_visit")]
    assert served + unfinished + no_visit == records.entities
    assert records.entities >= observed
    # the observed are the first entities, arriving at the state's time
    assert np.all(records.entity_arrival[:observed] == at)
    assert np.all(records.entity_arrival >= at)
    for tid in range(observed):  # each has its visit at the stage it was observed at
        assert np.any(records.visit_entity == tid)
    wait = records.visit_start - records.visit_join
    started_visits = ~np.isnan(records.visit_start)
    assert np.all(wait[started_visits] >= 0)
    assert np.all(records.visit_join >= at)


def on_foot(data: dict) -> dict:
    """The scenario with every flow on foot (a state holds no vehicles)."""
    return {**data, "flows": [{**flow, "kind": "passenger"} for flow in data["flows"]]}


def _plain(data: dict) -> dict:
    """The scenario without its warm-up: a forecast counts from its state's time."""
    return {**data, "warmup": 0, "replications": 2}


@FAST
@given(scenarios())
def test_an_empty_state_at_midnight_is_the_plain_run(data: dict) -> None:
    scenario = scenario_from_dict(_plain(data))
    assume(not compile_scenario(scenario).holds)
    plain = simulate(scenario)
    empty = simulate(scenario, from_state={"at": "00:00"})
    assert empty.model.initial is not None
    for t, u in zip(plain.tables, empty.tables, strict=True):  # bit for bit, NaN included
        assert len(t) == len(u)
        for (k1, v1), (k2, v2) in zip(t.items(), u.items(), strict=True):
            assert k1 == k2
            assert np.float64(v1).tobytes() == np.float64(v2).tobytes()
    for r, s in zip(plain.records, empty.records, strict=True):
        for name in ("visit_join", "visit_start", "visit_end", "entity_arrival", "entity_exit"):
            assert getattr(r, name).tobytes() == getattr(s, name).tobytes()


@settings(max_examples=10, deadline=None)
@given(scenarios(), st.data())
def test_the_same_seed_gives_the_same_forecast(data: dict, drawn: Any) -> None:
    scenario = scenario_from_dict({**on_foot(data), "replications": 2})
    model = compile_scenario(scenario)
    assume(not model.holds)
    state = drawn.draw(states(model))
    one = simulate(scenario, from_state=state)
    two = simulate(scenario, from_state=state)
    for t, u in zip(one.tables, two.tables, strict=True):
        assert [np.float64(v).tobytes() for v in t.values()] == [
            np.float64(v).tobytes() for v in u.values()
        ]
