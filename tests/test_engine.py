"""The engine's event logic, checked exactly against independent recursions."""

from __future__ import annotations

import heapq
import math
import subprocess
import sys

import numpy as np
import pytest

from portsim import VISIT_FIELDS, Records, scenario_from_dict, simulate
from portsim.engine.streams import BLOCK, make_generator
from portsim.model import compile_scenario
from portsim.scenario.distributions import LogNormal

from .helpers import records_of


def _single_stage(lanes: int, service: dict, rate: float = 1.0, horizon: float = 3600) -> dict:
    return {
        "name": "one stage",
        "horizon": horizon,
        "flows": [{"name": "f", "arrivals": {"rate": rate}, "route": ["s"]}],
        "stages": [{"name": "s", "lanes": [{"name": "g", "count": lanes, "service": service}]}],
    }


@pytest.mark.parametrize("lanes", [1, 3])
def test_fifo_multi_lane_queue_equals_the_kiefer_wolfowitz_recursion(lanes: int) -> None:
    """Given the engine's arrival times and the service stream, a FIFO c-lane queue is a
    recursion: start = max(arrival, earliest free lane), end = start + service. The engine
    must reproduce it to the last bit."""
    service = LogNormal(mean=2.5, cv=0.8)
    data = _single_stage(lanes, {"dist": "lognormal", "mean": 2.5, "cv": 0.8}, rate=1.0 / 1.0)
    model = compile_scenario(scenario_from_dict(data))
    rec = records_of(scenario_from_dict(data), 11, 2)
    rng = make_generator(11, 2, ("service", "f", "s", "g"))
    blocks = [service.sample(rng, BLOCK) for _ in range(rec.entities // BLOCK + 1)]
    requirement = np.concatenate(blocks)
    free = [0.0] * lanes
    for entity, arrival in enumerate(rec.entity_arrival):
        begin = max(arrival, heapq.heappop(free))
        end = begin + requirement[entity]
        heapq.heappush(free, end)
        row = entity  # one stage: the row of entity k is row k
        assert rec.visit_entity[row] == entity
        assert rec.visit_join[row] == arrival
        if begin >= model.horizon:
            assert math.isnan(rec.visit_start[row])
            continue
        assert rec.visit_start[row] == begin
        if end < model.horizon:
            assert rec.visit_end[row] == end
        else:
            assert math.isnan(rec.visit_end[row])


def test_lane_choice_takes_the_shortest_expected_wait() -> None:
    """Two groups serve everybody: a free lane wins (the first declared on a tie); otherwise
    (waiting + 1) / lanes × mean service, the first declared on a tie."""
    data = {
        "name": "choice",
        "horizon": 90,
        "flows": [{"name": "f", "arrivals": {"rate": 1.0}, "route": ["s"]}],
        "stages": [
            {
                "name": "s",
                "lanes": [
                    {"name": "slow", "count": 1, "service": {"dist": "constant", "value": 1000}},
                    {"name": "fast", "count": 2, "service": {"dist": "constant", "value": 100}},
                ],
            }
        ],
    }
    rec = records_of(scenario_from_dict(data), 5, 0)
    assert rec.entities > 30  # nobody finishes before t = 100, so the state only grows
    # the reference rule, played by hand
    free = {"slow": 1, "fast": 2}
    waiting = {"slow": 0, "fast": 0}
    lanes = {"slow": 1, "fast": 2}
    mean = {"slow": 1000, "fast": 100}
    expected = []
    for _ in range(rec.entities):
        choice = next((g for g in ("slow", "fast") if free[g]), None)
        if choice is None:
            choice = min(("slow", "fast"), key=lambda g: (waiting[g] + 1) * mean[g] / lanes[g])
            waiting[choice] += 1
        else:
            free[choice] -= 1
        expected.append(choice)
    assert expected[:4] == ["slow", "fast", "fast", "fast"]
    chosen = [rec.group_names[g] for g in rec.visit_group]
    assert chosen == expected


def test_records_hold_unfinished_visits_at_the_horizon() -> None:
    data = _single_stage(1, {"dist": "constant", "value": 50}, rate=0.1, horizon=600)
    rec = records_of(scenario_from_dict(data), 1, 0)
    waiting = np.isnan(rec.visit_start)
    in_service = ~waiting & np.isnan(rec.visit_end)
    assert waiting.any()
    assert in_service.sum() == 1  # one lane, busy at the horizon
    assert np.all(rec.visit_lane[waiting] == -1)
    assert np.all(rec.visit_lane[in_service] == 0)
    assert np.all(np.isnan(rec.entity_exit[rec.visit_entity[waiting | in_service]]))
    # every arrival has exactly one visit row in a one-stage route
    assert np.array_equal(rec.visit_entity, np.arange(rec.entities))


def test_an_empty_route_exits_at_arrival() -> None:
    data = {
        "name": "skip",
        "horizon": 3600,
        "flows": [{"name": "f", "arrivals": {"rate": 0.05}, "route": [{"stage": "s", "p": 0}]}],
        "stages": [
            {
                "name": "s",
                "lanes": [{"name": "g", "count": 1, "service": {"dist": "constant", "value": 1}}],
            }
        ],
    }
    result = simulate(scenario_from_dict(data), replications=1)
    rec = result.records[0]
    assert len(rec.visit_entity) == 0
    assert np.array_equal(rec.entity_exit, rec.entity_arrival)
    overall = result.per_replication[0]["overall"]
    # they passed no control: counted apart, in no wait (there is none to average)
    assert overall["served"] == 0
    assert overall["no_visit"] == rec.entities > 0
    assert math.isnan(overall["wait_mean_s"])
    assert result.per_replication[0]["stages"]["s"]["served"] == 0


def test_visit_fields_are_the_documented_contract() -> None:
    assert VISIT_FIELDS == (
        ("replication", "int32"),
        ("entity", "int64"),
        ("flow", "str"),
        ("arrival", "float64"),
        ("step", "int32"),
        ("stage", "str"),
        ("group", "str"),
        ("lane", "int32"),
        ("join", "float64"),
        ("start", "float64"),
        ("end", "float64"),
        ("exit", "float64"),
        ("class", "str"),
        ("kind", "str"),
        ("parent", "int64"),
        ("size", "int32"),
    )
    data = {
        "name": "two stages",
        "horizon": 1800,
        "flows": [{"name": "f", "arrivals": {"rate": 0.05}, "route": ["a", "b"]}],
        "stages": [
            {
                "name": "a",
                "lanes": [{"name": "ga", "count": 1, "service": {"dist": "constant", "value": 5}}],
                "transfer": {"dist": "constant", "value": 7},
            },
            {
                "name": "b",
                "lanes": [{"name": "gb", "count": 1, "service": {"dist": "constant", "value": 3}}],
            },
        ],
    }
    rec: Records = records_of(scenario_from_dict(data), 0, 4)
    table = rec.visit_table()
    assert list(table) == [name for name, _ in VISIT_FIELDS]
    for name, dtype in VISIT_FIELDS:
        column = table[name]
        assert len(column) == len(rec.visit_entity)
        if dtype == "str":
            assert column.dtype.kind == "U", name
        else:
            assert column.dtype == np.dtype(dtype), name
    assert set(table["replication"]) == {4}
    assert list(table["stage"][:2]) == ["a", "b"]
    assert list(table["group"][:2]) == ["ga", "gb"]
    # an exact event log for the first traveller, who never waits at this load:
    # arrival t0, a: service 5, transfer 7, b: service 3, exit t0 + 15
    t0 = table["arrival"][0]
    log = np.array(
        [
            [
                table["step"][i],
                table["join"][i] - t0,
                table["start"][i] - t0,
                table["end"][i] - t0,
                table["exit"][i] - t0,
            ]
            for i in (0, 1)
        ]
    )
    assert log == pytest.approx(np.array([[0, 0, 0, 5, 15], [1, 12, 12, 15, 15]]))


def test_the_simulation_path_does_not_import_heavy_modules() -> None:
    """Loading a scenario, running it and summarising it imports neither scipy nor
    matplotlib."""
    code = (
        "import sys, portsim\n"
        "s = portsim.scenario_from_dict({'name': 'x', 'horizon': 600, 'flows': [{'name': 'f',"
        " 'arrivals': {'rate': 1}, 'route': ['s']}], 'stages': [{'name': 's', 'lanes':"
        " [{'name': 'g', 'count': 2, 'service': {'dist': 'gamma', 'mean': 1, 'cv': 0.5}}]}]})\n"
        "portsim.simulate(s, replications=1)\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'scipy', 'matplotlib'})\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
