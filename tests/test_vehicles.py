"""Vehicles with occupants, passengers who alight and meet their vehicle again, and exclusive
choices: exact event logs derived by hand (deterministic arrivals, constant services; the tie
rules are those of ``tests/test_event_logs.py``), person and vehicle counts, and the shares,
exclusivity and common random numbers of choices."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy import stats

from portsim import scenario_from_dict, simulate

from .helpers import Row, const, event_log, exponential, records_of
from .test_streaming import assert_runs_agree

ALPHA = 0.001


def lanes(name: str, service: float, per_occupant: float | None = None) -> dict[str, Any]:
    """A stage of one lane of constant service (plus a constant time per occupant)."""
    group: dict[str, Any] = {"name": "l", "count": 1, "service": const(service)}
    if per_occupant is not None:
        group["service_per_occupant"] = const(per_occupant)
    return {"name": name, "lanes": [group]}


def coach_port(hall: float, meet: bool = True) -> dict[str, Any]:
    """A coach of 4 (driver and 3 passengers) at 0: booth (60 s + 5 s per occupant), a
    2-minute drive to the park; the passengers alight after the booth and pass the hall
    (one counter, ``hall`` s each); the coach waits at the park (30 s) and meets them, then
    the gate (10 s)."""
    route: list[Any] = ["booth", {"alight": "hall_route"}, "park"]
    route += [{"meet": "passengers"}, "gate"] if meet else []
    booth = lanes("booth", 60, per_occupant=5)
    booth["transfer"] = const(120)
    return {
        "name": "coach",
        "horizon": 2000,
        "flows": [
            {
                "name": "coaches",
                "kind": "coach",
                "arrivals": {"times": [0]},
                "occupants": {"dist": "constant", "value": 4},
                "route": route,
            }
        ],
        "routes": {"hall_route": ["hall"]},
        "stages": [booth, lanes("hall", hall), lanes("park", 30), lanes("gate", 10)],
    }


def test_passengers_back_first_wait_for_their_coach() -> None:
    """booth: 0–80 (60 + 4 × 5). The passengers (entities 1–3, numbered as they alight) step
    off at 80, where the coach stands, and queue at once: hall 80–110, 110–140, 140–170. The
    coach drives 120 s: park 200–230, and reaches the meeting point at 230 with everyone
    back: it waits 0 s, the passengers waited 230 − 110, − 140, − 170 = 120, 90, 60 s and
    leave with it at 230; gate 230–240, exit 240."""
    data = coach_port(hall=30)
    rows, entities = event_log(data)
    assert entities == [("coaches", 0.0)] * 4  # passengers arrive with their coach
    assert rows == [
        Row(0, 0, "booth", "l", 0, 0, 0, 80, 240),
        Row(0, 1, "park", "l", 0, 200, 200, 230, 240),
        Row(0, 2, "gate", "l", 0, 230, 230, 240, 240),
        Row(1, 0, "hall", "l", 0, 80, 80, 110, 230),
        Row(2, 0, "hall", "l", 0, 80, 110, 140, 230),
        Row(3, 0, "hall", "l", 0, 80, 140, 170, 230),
    ]
    rec = records_of(scenario_from_dict(data), 0, 0)
    assert rec.entity_meet.tolist() == [0, 120, 90, 60]
    assert rec.entity_parent.tolist() == [-1, 0, 0, 0]
    assert rec.entity_size.tolist() == [4, 1, 1, 1]
    metrics = simulate(scenario_from_dict(data), replications=1).per_replication[0]
    coaches = metrics["flows"]["coaches"]
    assert (coaches["vehicle_dwell_mean_s"], coaches["vehicle_dwell_max_s"]) == (0, 0)
    passengers = coaches["passengers"]
    assert passengers["wait_for_vehicle_mean_s"] == 90
    assert passengers["wait_for_vehicle_max_s"] == 120
    assert passengers["wait_mean_s"] == (0 + 30 + 60) / 3  # at the hall; none aboard
    assert passengers["system_time_mean_s"] == 230


def test_the_coach_waits_for_its_last_passenger() -> None:
    """As above with a 100 s hall: 80–180, 180–280, 280–380. The coach reaches the meeting
    point at 230: the first passenger, back at 180, waited 50 s and leaves at 230; the others
    leave as they come back, 280 and 380, waiting 0 s. The coach waits from 230 to 380 (its
    dwell, 150 s) and then does its own remaining step: gate 380–390. Its exit is the last
    passenger's return plus the gate: 380 + 10."""
    data = coach_port(hall=100)
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "booth", "l", 0, 0, 0, 80, 390),
        Row(0, 1, "park", "l", 0, 200, 200, 230, 390),
        Row(0, 2, "gate", "l", 0, 380, 380, 390, 390),
        Row(1, 0, "hall", "l", 0, 80, 80, 180, 230),
        Row(2, 0, "hall", "l", 0, 80, 180, 280, 280),
        Row(3, 0, "hall", "l", 0, 80, 280, 380, 380),
    ]
    rec = records_of(scenario_from_dict(data), 0, 0)
    assert rec.entity_meet.tolist() == [150, 50, 0, 0]
    assert rec.entity_exit[0] == rec.entity_exit[1:].max() + 10
    coaches = simulate(scenario_from_dict(data), replications=1).per_replication[0]["flows"]
    assert coaches["coaches"]["vehicle_dwell_mean_s"] == 150


def test_after_alighting_the_coach_is_charged_for_its_driver_only() -> None:
    """Without a meeting point the passengers leave as they finish (110, 140, 170); the
    coach, with only its driver aboard, is served at the park in 30 s + 1 × 5 s: 200–235."""
    data = coach_port(hall=30, meet=False)
    data["stages"][2] = lanes("park", 30, per_occupant=5)
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "booth", "l", 0, 0, 0, 80, 235),
        Row(0, 1, "park", "l", 0, 200, 200, 235, 235),
        Row(1, 0, "hall", "l", 0, 80, 80, 110, 110),
        Row(2, 0, "hall", "l", 0, 80, 110, 140, 140),
        Row(3, 0, "hall", "l", 0, 80, 140, 170, 170),
    ]
    assert np.isnan(records_of(scenario_from_dict(data), 0, 0).entity_meet).all()


def test_a_vehicle_counts_once_and_its_occupants_each() -> None:
    """Two cars of 3 at 0 (booth: 20 s + 5 s per occupant, 35 s: 0–35, 35–70), a walker at 0
    (a counter, 10 s), and the coach of 4 above: vehicles 3; persons 3 + 3 + 1 + 4 = 11 (the
    coach's driver through the coach's queues, its 3 passengers through theirs)."""
    data = coach_port(hall=30)
    data["flows"] += [
        {
            "name": "cars",
            "kind": "car",
            "arrivals": {"times": [0, 0]},
            "occupants": {"dist": "constant", "value": 3},
            "route": ["car_booth"],
        },
        {"name": "walkers", "arrivals": {"times": [0]}, "route": ["counter"]},
    ]
    data["stages"] += [lanes("car_booth", 20, per_occupant=5), lanes("counter", 10)]
    rows, _ = event_log(data)
    cars = [r for r in rows if r.stage == "car_booth"]
    assert [(r.start, r.end) for r in cars] == [(0, 35), (35, 70)]
    metrics = simulate(scenario_from_dict(data), replications=1).per_replication[0]
    assert metrics["vehicles"]["served"] == 3
    assert metrics["persons"]["served"] == 11
    assert metrics["overall"]["served"] == 4  # entities of the flows: 3 vehicles, 1 walker
    assert metrics["flows"]["cars"]["served"] == 2
    assert metrics["flows"]["coaches"]["passengers"]["served"] == 3


def test_service_per_occupant_adds_n_times_its_time() -> None:
    """Cars of 1, 2 or 5 occupants: each one's booth service is 20 s + n × 5 s exactly."""
    data = {
        "name": "occupants",
        "horizon": 20_000,
        "flows": [
            {
                "name": "cars",
                "kind": "car",
                "arrivals": {"every": 100},
                "occupants": {"dist": "empirical", "values": [1, 2, 5]},
                "route": ["booth"],
            }
        ],
        "stages": [lanes("booth", 20, per_occupant=5)],
    }
    rec = records_of(scenario_from_dict(data), 3, 0)
    size = rec.entity_size[rec.visit_entity]
    assert set(size) == {1, 2, 5}
    assert np.array_equal(rec.visit_end - rec.visit_start, 20 + 5 * size)
    assert np.all(rec.visit_start == rec.visit_join)  # 45 s at most, every 100 s


# ------------------------------------------------------------------------------ choices


def trucks_port(options: list[dict[str, Any]], twice: bool = False) -> dict[str, Any]:
    """Trucks through a booth, then at most one of ``options``, then a health check with
    probability 0.31; cars through the same booth choose a kennel with probability 0.4.
    ``twice``: the trucks pass the booth and the same choice a second time."""
    choice = {"choose": options}
    route: list[Any] = ["booth", choice, *(["booth", choice] if twice else [])]
    stages = [
        {"name": name, "lanes": [{"name": "l", "count": 30, "service": exponential(60)}]}
        for name in ("booth", "xray", "exam", "dogs", "health", "kennel")
    ]
    return {
        "name": "trucks",
        "horizon": "1d",
        "flows": [
            {
                "name": "trucks",
                "kind": "truck",
                "arrivals": {"rate": "400/h"},
                "route": [*route, {"stage": "health", "p": 0.31}],
            },
            {
                "name": "cars",
                "kind": "car",
                "arrivals": {"rate": "100/h"},
                "route": ["booth", {"choose": [{"stage": "kennel", "p": 0.4}]}],
            },
        ],
        "stages": stages,
    }


XRAY_EXAM = [{"stage": "xray", "p": 0.3}, {"stage": "exam", "p": 0.05}]


def _chosen(rec: Any, entities: np.ndarray, options: list[str]) -> np.ndarray:
    """For each entity, the index of the option it visited (len(options): none); each
    visits at most one of them, once."""
    out = np.full(len(entities), len(options))
    for i, stage in enumerate(options):
        visited = rec.visit_entity[rec.visit_stage == rec.stage_names.index(stage)]
        assert len(np.unique(visited)) == len(visited)
        hit = np.isin(entities, visited)
        assert np.all(out[hit] == len(options)), "two branches of one choice"
        out[hit] = i
    return out


def test_a_choice_takes_at_most_one_branch_with_its_shares() -> None:
    """Over the trucks that finished (about 9,600): xray, exam or neither with 0.3, 0.05,
    0.65, by a chi-square test at α = 0.001; none visits two."""
    rec = records_of(scenario_from_dict(trucks_port(XRAY_EXAM)), 2, 0)
    trucks = np.flatnonzero((rec.entity_flow == 0) & ~np.isnan(rec.entity_exit))
    counts = np.bincount(_chosen(rec, trucks, ["xray", "exam"]), minlength=3)
    expected = len(trucks) * np.array([0.3, 0.05, 0.65])
    statistic = float(((counts - expected) ** 2 / expected).sum())
    assert statistic <= stats.chi2.ppf(1 - ALPHA, 2), (counts, expected)


def test_two_equal_choices_on_a_route_decide_independently() -> None:
    """The same choice twice on one route: two draws, so the pairs of outcomes have the
    products of the shares (chi-square on the 3 × 3 table, α = 0.001)."""
    rec = records_of(scenario_from_dict(trucks_port(XRAY_EXAM, twice=True)), 2, 0)
    trucks = np.flatnonzero((rec.entity_flow == 0) & ~np.isnan(rec.entity_exit))
    first, second = [], []
    for truck in trucks:
        stages = [rec.stage_names[s] for s in rec.visit_stage[rec.visit_entity == truck]]
        second_booth = stages.index("booth", 1)
        first.append(_option(stages[1:second_booth]))
        second.append(_option(stages[second_booth + 1 :]))
    table = np.zeros((3, 3))
    np.add.at(table, (np.asarray(first), np.asarray(second)), 1)
    p = np.array([0.3, 0.05, 0.65])
    expected = len(trucks) * np.outer(p, p)
    statistic = float(((table - expected) ** 2 / expected).sum())
    assert statistic <= stats.chi2.ppf(1 - ALPHA, 8), table


def _option(stages: list[str]) -> int:
    for i, name in enumerate(("xray", "exam")):
        if name in stages:
            return i
    return 2


def test_adding_a_branch_keeps_every_other_stream() -> None:
    """A dog search (p = 0.1) added to the trucks' choice: arrivals, the booth (services of
    every flow), the cars' own choice and kennel, and the trucks' health check decision are
    bit-identical; a truck at the X-ray in both needs the same service time there."""
    base = records_of(scenario_from_dict(trucks_port(XRAY_EXAM)), 7, 1)
    more = records_of(
        scenario_from_dict(trucks_port([*XRAY_EXAM, {"stage": "dogs", "p": 0.1}])), 7, 1
    )
    assert np.array_equal(base.entity_arrival, more.entity_arrival)
    assert np.array_equal(base.entity_flow, more.entity_flow)

    def rows(rec: Any, stage: str, who: np.ndarray | None = None) -> dict[int, tuple[float, ...]]:
        at = rec.visit_stage == rec.stage_names.index(stage)
        if who is not None:
            at &= np.isin(rec.visit_entity, who)
        return {
            int(rec.visit_entity[i]): tuple(
                column[i]
                for column in (rec.visit_lane, rec.visit_join, rec.visit_start, rec.visit_end)
            )
            for i in np.flatnonzero(at)
        }

    for stage in ("booth", "kennel"):  # booth: every flow; kennel: the cars' choice
        a, b = rows(base, stage), rows(more, stage)
        assert a.keys() == b.keys()
        assert all(np.array_equal(a[e], b[e], equal_nan=True) for e in a)
    cars = np.flatnonzero(base.entity_flow == 1)
    assert np.array_equal(base.entity_exit[cars], more.entity_exit[cars], equal_nan=True)
    trucks = np.flatnonzero(
        (base.entity_flow == 0) & ~np.isnan(base.entity_exit) & ~np.isnan(more.entity_exit)
    )
    health = [set(rows(rec, "health", trucks)) for rec in (base, more)]
    assert health[0] == health[1]
    assert 0.25 < len(health[0]) / len(trucks) < 0.37
    xray = [rows(rec, "xray", trucks) for rec in (base, more)]
    both = xray[0].keys() & xray[1].keys()
    assert len(both) > 100
    for e in both:
        (_, _, start_a, end_a), (_, _, start_b, end_b) = xray[0][e], xray[1][e]
        assert np.isclose(end_a - start_a, end_b - start_b, rtol=1e-9, atol=1e-9)
    dogs = _chosen(more, trucks, ["xray", "exam", "dogs"])
    assert 0.05 < np.mean(dogs == 2) < 0.15


def test_a_passengers_wait_is_the_same_sum_with_or_without_records() -> None:
    """Three coaches of 3 at 0: booth 0.2 s each (0–0.2, 0.2–0.4, 0.4–0.6: the third waits
    0.4 s aboard); each pair of passengers passes the hall (0.1 s) and a second hall (0.3 s).
    The last passenger waits 0.1 s at the hall (0.7–0.8) and 1.0 s at the second (0.8–1.8):
    1.5 s with its 0.4 s aboard, the longest. The streaming path (``records=False``) and the
    records must add these in the same order, so that maxima agree exactly, as documented."""
    data = {
        "name": "aboard",
        "horizon": 100,
        "flows": [
            {
                "name": "coaches",
                "kind": "coach",
                "arrivals": {"times": [0, 0, 0]},
                "occupants": {"dist": "constant", "value": 3},
                "route": ["booth", {"alight": "hall_route"}],
            }
        ],
        "routes": {"hall_route": ["hall", "hall2"]},
        "stages": [lanes("booth", 0.2), lanes("hall", 0.1), lanes("hall2", 0.3)],
    }
    s = scenario_from_dict(data)
    exact = simulate(s, replications=1).per_replication[0]
    assert exact["flows"]["coaches"]["passengers"]["wait_max_s"] == pytest.approx(1.5)
    assert_runs_agree(s, 1, 0)
