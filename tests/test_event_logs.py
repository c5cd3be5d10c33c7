"""Exact event logs for the engine's tricky paths, derived by hand.

Every scenario has deterministic arrivals (``times`` or ``every``) and ``constant`` service and
transfer times, so the whole visit table is known in advance; each test derives it in its
comments and asserts every row. The tie rules used throughout (see ``engine/replication.py``):

* events at the same instant run URGENT first — lane openings and closings, and shuttle
  departures — then NORMAL ones (arrivals, service ends, moves, alighting) in the order they
  were scheduled;
* a flow's next arrival is scheduled when its previous one is processed, so at one instant
  the flows' first arrivals come in flow order, then the rest, each flow in its own order;
* a shared group hands a freed lane to the head of its queue, otherwise the lowest idle
  lane index serves next; a per-lane group is joined at the lane with the fewest travellers
  (in service and waiting), the lowest index on a tie.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from portsim import scenario_from_dict

from .helpers import records_of

NAN = None  # a time that has not happened by the horizon


class Row(NamedTuple):
    entity: int
    step: int
    stage: str
    group: str
    lane: int
    join: float | None
    start: float | None
    end: float | None
    exit: float | None


def _time(value: Any) -> float | None:
    return None if math.isnan(value) else float(value)


def event_log(data: dict[str, Any]) -> tuple[list[Row], list[tuple[str, float]]]:
    """Every visit row, and each entity's (flow, arrival), of replication 0."""
    records = records_of(scenario_from_dict(data), 0, 0)
    table = records.visit_table()
    rows = [
        Row(
            int(table["entity"][i]),
            int(table["step"][i]),
            str(table["stage"][i]),
            str(table["group"][i]),
            int(table["lane"][i]),
            _time(table["join"][i]),
            _time(table["start"][i]),
            _time(table["end"][i]),
            _time(table["exit"][i]),
        )
        for i in range(len(table["entity"]))
    ]
    entities = [
        (records.flow_names[flow], float(arrival))
        for flow, arrival in zip(records.entity_flow, records.entity_arrival, strict=True)
    ]
    return rows, entities


def const(value: float) -> dict[str, Any]:
    return {"dist": "constant", "value": value}


def port(flows: list[dict[str, Any]], horizon: float = 600, **parts: Any) -> dict[str, Any]:
    return {"name": "event log", "horizon": horizon, "flows": flows, **parts}


def shuttle_crossing(exit_lanes: list[dict[str, Any]], entry_count: int) -> dict[str, Any]:
    """Separate checks: exit, a shuttle every 60 s from 20 s with 2 seats and a 30 s ride,
    entry with ``entry_count`` lanes of 5 s."""
    return {
        "mode": "separate",
        "separate": {
            "exit": {"lanes": exit_lanes},
            "crossing": {"shuttle": {"every": 60, "seats": 2, "ride": 30, "first": 20}},
            "entry": {"lanes": [{"name": "booths", "count": entry_count, "service": const(5)}]},
        },
    }


# ------------------------------------------------------------------------------- shuttles


def test_a_full_shuttle_leaves_the_rest_for_the_next_departure() -> None:
    """Departures at 20, 80, 140, … with 2 seats; a 30 s ride.

    exit (3 lanes, 10 s): e0 e1 e2 come at 0 and take lanes 0 1 2, ending at 10 and
    boarding in that order. e3 comes at 5, waits, and takes lane 0 when e0 leaves it at 10;
    it reaches the stop at 20, the instant of a departure. Departures are URGENT: the one at
    20 leaves first, with e0 e1 (full); e2 and e3 are left. e4 comes at 50 to the idle lanes
    (0 1 2: lane 0) and boards at 60. The 80 departure takes e2 e3 (full); e4 waits for 140.
    Rides end at 50, 110, 170; riders join entry (2 lanes, 5 s) in boarding order."""
    exit_lanes = [{"name": "counters", "count": 3, "service": const(10)}]
    data = port(
        [{"name": "f", "arrivals": {"times": [0, 0, 0, 5, 50]}, "route": ["clearance"]}],
        clearance=shuttle_crossing(exit_lanes, entry_count=2),
    )
    rows, entities = event_log(data)
    assert entities == [("f", 0.0), ("f", 0.0), ("f", 0.0), ("f", 5.0), ("f", 50.0)]
    assert rows == [
        Row(0, 0, "exit", "counters", 0, 0, 0, 10, 55),
        Row(0, 1, "entry", "booths", 0, 50, 50, 55, 55),
        Row(1, 0, "exit", "counters", 1, 0, 0, 10, 55),
        Row(1, 1, "entry", "booths", 1, 50, 50, 55, 55),
        Row(2, 0, "exit", "counters", 2, 0, 0, 10, 115),
        Row(2, 1, "entry", "booths", 0, 110, 110, 115, 115),
        Row(3, 0, "exit", "counters", 0, 5, 10, 20, 115),
        Row(3, 1, "entry", "booths", 1, 110, 110, 115, 115),
        Row(4, 0, "exit", "counters", 0, 50, 50, 60, 175),
        Row(4, 1, "entry", "booths", 0, 170, 170, 175, 175),
    ]


def test_whoever_reaches_the_stop_at_a_departure_instant_takes_the_next_one() -> None:
    """Two travellers reach the stop at 80, a departure instant, with seats to spare; the
    departure is URGENT, so neither rides it, however long ago their service began.

    exit (2 lanes; slow 70 s, fast 10 s): slow (flow 1, e0) comes at 10, lane 0, ends at 80;
    fast (flow 0, e1) comes at 70, lane 1, ends at 80. Both board the 140 departure, slow
    first (its service end was scheduled first), and alight at 170 to entry (2 lanes, 5 s).
    (Before departures were URGENT, slow rode at 80 and fast waited: the departure event was
    scheduled at 20, after slow's service end and before fast's.)"""
    exit_lanes = [
        {
            "name": "counters",
            "count": 2,
            "service": const(10),
            "service_by_flow": {"slow": const(70)},
        }
    ]
    data = port(
        [
            {"name": "fast", "arrivals": {"times": [70]}, "route": ["clearance"]},
            {"name": "slow", "arrivals": {"times": [10]}, "route": ["clearance"]},
        ],
        clearance=shuttle_crossing(exit_lanes, entry_count=2),
    )
    rows, entities = event_log(data)
    assert entities == [("slow", 10.0), ("fast", 70.0)]
    assert rows == [
        Row(0, 0, "exit", "counters", 0, 10, 10, 80, 175),
        Row(0, 1, "entry", "booths", 0, 170, 170, 175, 175),
        Row(1, 0, "exit", "counters", 1, 70, 70, 80, 175),
        Row(1, 1, "entry", "booths", 1, 170, 170, 175, 175),
    ]


# --------------------------------------------------------------------- lanes opening, closing


def test_a_lane_closing_as_its_service_ends_serves_nobody_who_comes_then() -> None:
    """Counters (30 s) have 2 lanes until 40 s, then 1: lane 1 closes at 40.

    e0 at 0: lane 0, 0-30. e1 at 10: lane 1, 10-40. e2 at 25 waits; at 30 e0 leaves lane 0
    and e2 takes it, 30-60. At 40 three things happen: the closing (URGENT, first), e1's
    service end in lane 1, and e3's arrival. Lane 1 finishes e1 and, being closed, takes
    nobody (README, "Lanes as ports run them": a lane that closes finishes the traveller it
    is serving and takes nobody new): e3 waits for lane 0 and starts at 60, ending at 90."""
    counters = {
        "name": "counters",
        "service": const(30),
        "schedule": [
            {"from": "0s", "to": "40s", "count": 2},
            {"from": "40s", "to": "24h", "count": 1},
        ],
    }
    data = port(
        [{"name": "f", "arrivals": {"times": [0, 10, 25, 40]}, "route": ["hall"]}],
        stages=[{"name": "hall", "lanes": [counters]}],
    )
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "hall", "counters", 0, 0, 0, 30, 30),
        Row(1, 0, "hall", "counters", 1, 10, 10, 40, 40),
        Row(2, 0, "hall", "counters", 0, 25, 30, 60, 60),
        Row(3, 0, "hall", "counters", 0, 40, 60, 90, 90),
    ]


def test_a_group_opening_as_travellers_come_serves_them_at_once() -> None:
    """counters (declared first; 1 lane from 60 s) and gates (2 lanes from 30 s), 20 s each.

    e0 at 10: no lane open; it joins the group that opens first, gates (30 < 60), and waits.
    At 30 gates open (URGENT, before the arrivals at 30): lane 0 takes e0, 30-50.
    e1 at 30: counters are closed; gates have lane 1 free: 30-50, no wait.
    e2 at 30: gates expect (0 waiting + 1) / 2 lanes × 20 s = 10 s; it queues there and
    takes lane 0 when e0 leaves at 50: 50-70. e1 leaves lane 1 idle at 50.
    At 60 counters open. e3 at 60: both groups have a free lane; the first declared wins:
    counters lane 0, 60-80. e4 at 60: counters expect 20 s, gates have lane 1 free: 60-80."""
    lanes = [
        {
            "name": "counters",
            "service": const(20),
            "schedule": [{"from": "60s", "to": "24h", "count": 1}],
        },
        {
            "name": "gates",
            "service": const(20),
            "schedule": [{"from": "30s", "to": "24h", "count": 2}],
        },
    ]
    data = port(
        [{"name": "f", "arrivals": {"times": [10, 30, 30, 60, 60]}, "route": ["hall"]}],
        stages=[{"name": "hall", "lanes": lanes}],
    )
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "hall", "gates", 0, 10, 30, 50, 50),
        Row(1, 0, "hall", "gates", 1, 30, 30, 50, 50),
        Row(2, 0, "hall", "gates", 0, 30, 50, 70, 70),
        Row(3, 0, "hall", "counters", 0, 60, 60, 80, 80),
        Row(4, 0, "hall", "gates", 1, 60, 60, 80, 80),
    ]


def test_per_lane_travellers_who_came_while_closed_take_the_lanes_as_they_open() -> None:
    """Booths, a queue per lane, 3 lanes from 30 s, 20 s each. e0 (0) and e1 (10) wait for
    any lane; at 30 (URGENT) they join the shortest open lanes in join order: lane 0, then
    lane 1. e2 at 30 finds lane 2 empty: served at once. e3 at 30: every lane has one
    traveller, the lowest index wins: lane 0, after e0, 50-70."""
    booths = {
        "name": "booths",
        "queue": "per_lane",
        "service": const(20),
        "schedule": [{"from": "30s", "to": "24h", "count": 3}],
    }
    data = port(
        [{"name": "f", "arrivals": {"times": [0, 10, 30, 30]}, "route": ["hall"]}],
        stages=[{"name": "hall", "lanes": [booths]}],
    )
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "hall", "booths", 0, 0, 30, 50, 50),
        Row(1, 0, "hall", "booths", 1, 10, 30, 50, 50),
        Row(2, 0, "hall", "booths", 2, 30, 30, 50, 50),
        Row(3, 0, "hall", "booths", 0, 30, 50, 70, 70),
    ]
