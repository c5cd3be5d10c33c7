"""Properties of groups, classes, vehicles with occupants and passengers who alight and meet
their vehicle, on generated ports (:func:`tests.strategies.port_scenarios`).

The generated coaches keep the segments of their route on stages of their own (``booth``
before alighting, ``park``/``yard`` before the meeting point, ``gate`` after), so each
coach's visits tell when it let its passengers off (``A``: the end of its last booth visit,
or its arrival) and when it reached the meeting point (``T``: the end of its last park or
yard visit, or ``A``). Alighting and meeting happen where the coach stands, before any
transfer, so these times are exact, and so are the properties below:

* a passenger starts its sub-route at ``A`` (its first queue join is ``A``) and is back at
  ``b``: the end of its last visit, or ``A``;
* with a meeting point, a passenger leaves at ``max(T, b)`` and waited ``exit − b`` for the
  coach; the coach waited ``max(exit of its passengers) − T`` and leaves the meeting point
  then, never before its last passenger; without one, a passenger leaves at ``b``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import given, settings

from portsim import Records, scenario_from_dict, simulate
from portsim.engine.recorders import FullRecorder, Unfinished
from portsim.engine.replication import default_subflows, run_replication
from portsim.model import compile_scenario
from portsim.results.records import records_from_log

from .strategies import port_scenarios
from .test_streaming import assert_runs_agree

FAST = settings()


class _Keeping(FullRecorder):
    """A full recorder that also keeps whom the engine reported unfinished."""

    def close(self, unfinished: Unfinished) -> None:
        self.unfinished = unfinished
        super().close(unfinished)


def _run(data: dict[str, Any], seed: int = 5) -> tuple[Records, Unfinished]:
    model = compile_scenario(scenario_from_dict(data))
    recorder = _Keeping(default_subflows(model))
    log = run_replication(model, seed, 0, recorder=recorder).log
    assert log is not None
    return records_from_log(model, 0, log), recorder.unfinished


def _visits(rec: Records, entity: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    rows = np.flatnonzero(rec.visit_entity == entity)
    stages = [rec.stage_names[s] for s in rec.visit_stage[rows]]
    return stages, rec.visit_join[rows], rec.visit_end[rows]


def _last_end(stages: list[str], ends: np.ndarray, among: set[str], default: float) -> float:
    """The end of the last visit to one of ``among`` (NaN: unfinished), else ``default``."""
    at = [i for i, s in enumerate(stages) if s in among]
    return float(ends[at[-1]]) if at else default


@FAST
@given(port_scenarios())
def test_nobody_is_lost(data: dict[str, Any]) -> None:
    """Every entity, passengers who alighted included, either left the port or was reported
    unfinished by the engine, never both; each coach that let its passengers off let off
    exactly its occupants but the driver, each with the coach's arrival and queue time."""
    rec, unfinished = _run(data)
    out = np.flatnonzero(~np.isnan(rec.entity_exit))
    still = unfinished.entity
    assert len(np.unique(still)) == len(still)
    assert np.array_equal(np.sort(np.concatenate([out, still])), np.arange(rec.entities))
    assert np.array_equal(unfinished.subflow, rec.entity_subflow[still])
    assert np.array_equal(unfinished.arrival, rec.entity_arrival[still])
    parents = rec.entity_parent
    children = np.bincount(parents[parents >= 0], minlength=rec.entities)
    passenger = parents >= 0
    assert np.all(rec.entity_size[passenger] == 1)
    for coach in np.flatnonzero(children):
        assert children[coach] == rec.entity_size[coach] - 1
        mine = parents == coach
        assert np.all(rec.entity_arrival[mine] == rec.entity_arrival[coach])
        booth = rec.visit_stage == rec.stage_names.index("booth")
        waits = rec.visit_wait[(rec.visit_entity == coach) & booth]
        assert np.all(rec.entity_aboard_wait[mine] == math.fsum(waits))
    # a coach with passengers that has not let them off is still in port, on its way
    # through the booths (alighting at its arrival if it visits none)
    coaches = rec.entity_flow == rec.flow_names.index("coaches")
    for coach in np.flatnonzero(coaches & ~passenger & (rec.entity_size > 1) & (children == 0)):
        stages, _, _ = _visits(rec, coach)
        assert set(stages) == {"booth"}
        assert math.isnan(rec.entity_exit[coach])


def _meets(data: dict[str, Any]) -> bool:
    return any(isinstance(step, dict) and "meet" in step for step in data["flows"][1]["route"])


@FAST
@given(port_scenarios())
def test_passengers_and_their_coach_meet_again(data: dict[str, Any]) -> None:
    """The times of alighting, coming back and meeting, exactly (see the module's doc)."""
    rec, _ = _run(data)
    meets = _meets(data)
    parents = rec.entity_parent
    for coach in np.unique(parents[parents >= 0]):
        stages, joins, ends = _visits(rec, coach)
        alight = _last_end(stages, ends, {"booth"}, float(rec.entity_arrival[coach]))
        at_meeting = _last_end(stages, ends, {"park", "yard"}, alight)
        passengers = np.flatnonzero(parents == coach)
        back = {}
        for p in passengers:
            p_stages, p_joins, p_ends = _visits(rec, p)
            if len(p_stages):
                assert p_joins[0] == alight
            back[p] = float(p_ends[-1]) if len(p_stages) else alight
        exits = rec.entity_exit[passengers]
        if not meets:
            assert math.isnan(rec.entity_meet[coach])
            for p, exit in zip(passengers, exits, strict=True):
                assert exit == back[p] or math.isnan(exit)  # unfinished: maybe moving on
                assert math.isnan(rec.entity_meet[p])
            continue
        for p, exit in zip(passengers, exits, strict=True):
            if not math.isnan(exit):  # back, and the coach came: never before the coach
                assert exit == max(at_meeting, back[p])
                assert exit >= at_meeting
                assert rec.entity_meet[p] == exit - back[p] >= 0
        if not math.isnan(rec.entity_exit[coach]) or "gate" in stages:
            # the coach left the meeting point: never before its last passenger
            assert not np.isnan(exits).any()
            after = joins[[s == "gate" for s in stages]]
            assert np.all(after >= exits.max())
        if not math.isnan(rec.entity_exit[coach]):  # its dwell is recorded when it leaves
            assert rec.entity_meet[coach] == exits.max() - at_meeting >= 0
            assert rec.entity_exit[coach] >= exits.max()
        else:
            assert math.isnan(rec.entity_meet[coach])


@FAST
@given(port_scenarios())
def test_persons_and_vehicles_count_as_defined(data: dict[str, Any]) -> None:
    """``persons``: every person once (on foot; a vehicle's occupants through its own queues,
    the driver only once passengers alighted; each passenger); ``vehicles``: every vehicle
    once. Waits, meeting times and aboard times are never negative."""
    scenario = scenario_from_dict(data)
    result = simulate(scenario, replications=1, seed=4)
    rec, metrics = result.records[0], result.per_replication[0]
    counted = rec.entity_arrival >= scenario.warmup
    out = counted & ~np.isnan(rec.entity_exit)
    # who left without visiting a stage of its own route or letting passengers alight is
    # counted apart (no_visit); a coach that let them off is served when it leaves
    visited = np.bincount(rec.visit_entity, minlength=rec.entities)[: rec.entities] > 0
    parents = rec.entity_parent
    alighted = np.bincount(parents[parents >= 0], minlength=rec.entities) > 0
    served, skipped = out & (visited | alighted), out & ~visited & ~alighted
    persons = np.where(alighted, 1, rec.entity_size)
    vehicle_flows = [i for i, f in enumerate(scenario.flows) if f.is_vehicle]
    vehicle = np.isin(rec.entity_flow, vehicle_flows) & (parents < 0)
    assert metrics["persons"]["served"] == persons[served].sum()
    assert metrics["persons"]["unfinished"] == persons[counted & ~out].sum()
    assert metrics["persons"]["no_visit"] == persons[skipped].sum()
    assert metrics["vehicles"]["served"] == vehicle[served].sum()
    assert metrics["vehicles"]["unfinished"] == vehicle[counted & ~out].sum()
    assert metrics["vehicles"]["no_visit"] == vehicle[skipped].sum()
    own = parents < 0
    assert metrics["overall"]["served"] == (served & own).sum()
    block = metrics["flows"]["coaches"]["passengers"]
    assert block["served"] == (served & ~own).sum()
    assert block["served"] + block["unfinished"] + block["no_visit"] == (counted & ~own).sum()
    for flow in scenario.flows:
        for cls in flow.classes:
            sub = [s.name for s in result.model.subflows].index(f"{flow.name}.{cls.name}")
            row = metrics["flows"][flow.name]["classes"][cls.name]
            assert row["served"] == (served & (rec.entity_subflow == sub)).sum()
    # the visit table's entity columns: passengers are of kind passenger, class passengers
    table = rec.visit_table()
    aboard = table["parent"] >= 0
    assert np.array_equal(table["parent"], parents[rec.visit_entity])
    assert np.array_equal(table["size"], rec.entity_size[rec.visit_entity])
    assert np.all(table["class"][aboard] == "passengers")
    assert np.all(table["kind"][aboard] == "passenger")
    kinds = {f.name: f.kind for f in scenario.flows}
    assert [kinds[f] for f in table["flow"][~aboard]] == list(table["kind"][~aboard])
    started = ~np.isnan(rec.visit_start)
    assert np.all(rec.visit_wait[started] >= 0)
    assert np.all(rec.entity_aboard_wait >= 0)
    met = ~np.isnan(rec.entity_meet)
    assert np.all(rec.entity_meet[met] >= 0)


@FAST
@given(port_scenarios())
def test_streaming_agrees_with_records_on_generated_ports(data: dict[str, Any]) -> None:
    s = scenario_from_dict(data)
    assert_runs_agree(s, s.replications, s.seed)
