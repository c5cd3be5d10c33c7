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

from typing import Any

from .helpers import Row, const, event_log


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


def test_the_horizon_leaves_riders_boarders_and_queues_unfinished() -> None:
    """The first test's port cut at 100 s, with four more travellers at 95.

    Departures at 20 and 80 only (140 is past the horizon). e0 e1 ride at 20 and are out
    at 55. e2 e3 ride at 80 and are still riding at 100 (alighting at 110): no entry row,
    no exit. e4 is still at the stop. At 95, e5 e6 e7 take the idle exit lanes 0 1 2 and
    are in service at 100 (end unknown); e8 is still queued (lane -1, no start)."""
    exit_lanes = [{"name": "counters", "count": 3, "service": const(10)}]
    times = [0, 0, 0, 5, 50, 95, 95, 95, 95]
    data = port(
        [{"name": "f", "arrivals": {"times": times}, "route": ["clearance"]}],
        horizon=100,
        clearance=shuttle_crossing(exit_lanes, entry_count=2),
    )
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "exit", "counters", 0, 0, 0, 10, 55),
        Row(0, 1, "entry", "booths", 0, 50, 50, 55, 55),
        Row(1, 0, "exit", "counters", 1, 0, 0, 10, 55),
        Row(1, 1, "entry", "booths", 1, 50, 50, 55, 55),
        Row(2, 0, "exit", "counters", 2, 0, 0, 10, None),
        Row(3, 0, "exit", "counters", 0, 5, 10, 20, None),
        Row(4, 0, "exit", "counters", 0, 50, 50, 60, None),
        Row(5, 0, "exit", "counters", 0, 95, 95, None, None),
        Row(6, 0, "exit", "counters", 1, 95, 95, None, None),
        Row(7, 0, "exit", "counters", 2, 95, 95, None, None),
        Row(8, 0, "exit", "counters", -1, 95, None, None, None),
    ]


def test_lane_changes_come_before_a_departure_at_the_same_instant() -> None:
    """A ride of 0 s: riders join entry at the departure instant. Entry booths (5 s) close
    at 20 — the first departure — and at 80 — the second — and open at 40 and 100. Lane
    changes come first, so both riders find the booth closed: e0 (exit 0-10) alights at 20
    and waits until 40; e1 (exit 50-60) alights at 80 and waits until 100."""
    data = port(
        [{"name": "f", "arrivals": {"times": [0, 50]}, "route": ["clearance"]}],
        clearance=shuttle_crossing([{"name": "counters", "count": 2, "service": const(10)}], 1),
    )
    data["clearance"]["separate"]["crossing"]["shuttle"]["ride"] = 0
    open_hours = [("0s", "20s"), ("40s", "80s"), ("100s", "1d")]
    data["clearance"]["separate"]["entry"]["lanes"][0] = {
        "name": "booths",
        "service": const(5),
        "schedule": [{"from": a, "to": b, "count": 1} for a, b in open_hours],
    }
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "exit", "counters", 0, 0, 0, 10, 45),
        Row(0, 1, "entry", "booths", 0, 20, 40, 45, 45),
        Row(1, 0, "exit", "counters", 0, 50, 50, 60, 105),
        Row(1, 1, "entry", "booths", 0, 80, 100, 105, 105),
    ]


# --------------------------------------------------------------------- lanes opening, closing


def test_a_lane_closing_as_its_service_ends_serves_nobody_who_comes_then() -> None:
    """Counters (30 s) have 2 lanes until 40 s, then 1: lane 1 closes at 40.

    e0 at 0: lane 0, 0-30. e1 at 10: lane 1, 10-40. e2 at 25 waits; at 30 e0 leaves lane 0
    and e2 takes it, 30-60. At 40 three things happen: the closing (URGENT, first), e1's
    service end in lane 1, and e3's arrival. Lane 1 finishes e1 and, being closed, takes
    nobody (``docs/scenario-files.md``, "Lane groups": a lane that closes finishes the traveller it
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


# ------------------------------------------------------------------------- per-lane queues


def _booths(schedule: list[tuple[str, str, int]]) -> dict[str, Any]:
    """Booths with a queue per lane, open as ``(from, to, count)`` says."""
    return {
        "name": "booths",
        "queue": "per_lane",
        "schedule": [{"from": a, "to": b, "count": n} for a, b, n in schedule],
    }


def test_a_closing_per_lane_queue_rejoins_the_shortest_open_lanes() -> None:
    """Booths (60 s) have 3 lanes until 30 s, then 2: lane 2 closes at 30.

    e0 e1 e2 at 0 take lanes 0 1 2. Then one a second, each to the shortest lane (lowest
    index on a tie): e3 (1) lane 0, e4 (2) lane 1, e5 (3) lane 2, e6 (4) lane 0, e7 (5)
    lane 1, e8 (6) lane 2. At 30 lane 2 closes; e2 finishes there at 60. Its queue moves in
    join order: e5 finds lanes 0 and 1 with 3 travellers each and takes lane 0 (4 now), e8
    takes lane 1. Lane 0 serves e0 e3 e6 e5, lane 1 e1 e4 e7 e8, one a minute; movers keep
    their join time."""
    booths = {**_booths([("0s", "30s", 3), ("30s", "24h", 2)]), "service": const(60)}
    data = port(
        [{"name": "f", "arrivals": {"times": [0, 0, 0, 1, 2, 3, 4, 5, 6]}, "route": ["hall"]}],
        stages=[{"name": "hall", "lanes": [booths]}],
    )
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "hall", "booths", 0, 0, 0, 60, 60),
        Row(1, 0, "hall", "booths", 1, 0, 0, 60, 60),
        Row(2, 0, "hall", "booths", 2, 0, 0, 60, 60),
        Row(3, 0, "hall", "booths", 0, 1, 60, 120, 120),
        Row(4, 0, "hall", "booths", 1, 2, 60, 120, 120),
        Row(5, 0, "hall", "booths", 0, 3, 180, 240, 240),
        Row(6, 0, "hall", "booths", 0, 4, 120, 180, 180),
        Row(7, 0, "hall", "booths", 1, 5, 120, 180, 180),
        Row(8, 0, "hall", "booths", 1, 6, 180, 240, 240),
    ]


def test_closing_lanes_send_travellers_who_joined_at_one_instant_in_join_order() -> None:
    """Booths (100 s): 1 lane until 10 s, 3 until 50 s, then 1 again.

    e0 e1 e2 at 0 all join lane 0 (the only one open): lane 0 has 3. At 10 lanes 1 and 2
    open (the queues already formed stay). e3 and e4 at 10 are served at once in lanes 1
    and 2. e5 at 11 joins lane 1 (1 vs 1: lowest index). At 12, e6 joins lane 2 (1
    traveller, the fewest) and then e7 finds lane 0 with 3 and lanes 1 and 2 with 2 each:
    lane 1. So lane 1 holds e5 e7 and lane 2 holds e6, and e6 joined before e7 at the same
    instant. At 50 lanes 1 and 2 close (e3 e4 finish there at 110) and their queues move to
    lane 0 in join order, e5 e6 e7, behind e1 e2: lane 0 serves e0 e1 e2 e5 e6 e7."""
    booths = {
        **_booths([("0s", "10s", 1), ("10s", "50s", 3), ("50s", "24h", 1)]),
        "service": const(100),
    }
    data = port(
        [{"name": "f", "arrivals": {"times": [0, 0, 0, 10, 10, 11, 12, 12]}, "route": ["hall"]}],
        horizon=700,
        stages=[{"name": "hall", "lanes": [booths]}],
    )
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "hall", "booths", 0, 0, 0, 100, 100),
        Row(1, 0, "hall", "booths", 0, 0, 100, 200, 200),
        Row(2, 0, "hall", "booths", 0, 0, 200, 300, 300),
        Row(3, 0, "hall", "booths", 1, 10, 10, 110, 110),
        Row(4, 0, "hall", "booths", 2, 10, 10, 110, 110),
        Row(5, 0, "hall", "booths", 0, 11, 300, 400, 400),
        Row(6, 0, "hall", "booths", 0, 12, 400, 500, 500),
        Row(7, 0, "hall", "booths", 0, 12, 500, 600, 600),
    ]


# --------------------------------------------------------------------------- lane choice


def test_lane_choice_ties_go_to_the_first_declared_group() -> None:
    """counters (declared first; 1 lane; 20 s, visitors 30 s) serve everybody; egates
    (2 lanes, 40 s) serve residents only. For a resident both expect (waiting + 1) × 20 s
    once no lane is free, so equal queues tie, and ties go to counters.

    Residents r0..r5 at 0 (entities 0-5): r0 takes the free counter, 0-20; r1 and r2 find
    egates lanes 0 and 1 free, 0-40. r3: counters 1 × 20 = 20, egates 1 × 40 / 2 = 20, a
    tie: counters, 20-40. r4: counters 2 × 20 = 40, egates 20: egates, and at 40 r1's lane 0
    (its service end was scheduled before r2's) takes it, 40-80. r5: counters 40, egates
    2 × 40 / 2 = 40, a tie: counters, 40-60.
    At 100 come visitor v0 (its arrival was scheduled at the start, so first: entity 6), r6
    (scheduled at 0: entity 7), then v1 (scheduled as v0 came: entity 8). v0 takes the idle
    counter, 100-130. r6: counters expect 20, egates have lanes 0 and 1 free: lane 0,
    100-140. v1 may only use counters: it waits there, with two egates idle, 130-160."""
    lanes = [
        {
            "name": "counters",
            "count": 1,
            "service": const(20),
            "service_by_flow": {"visitors": const(30)},
        },
        {"name": "egates", "count": 2, "service": const(40), "serves": ["residents"]},
    ]
    data = port(
        [
            {"name": "residents", "arrivals": {"times": [0] * 6 + [100]}, "route": ["hall"]},
            {"name": "visitors", "arrivals": {"times": [100, 100]}, "route": ["hall"]},
        ],
        stages=[{"name": "hall", "lanes": lanes}],
    )
    rows, entities = event_log(data)
    assert [flow for flow, _ in entities] == ["residents"] * 6 + [
        "visitors",
        "residents",
        "visitors",
    ]
    assert rows == [
        Row(0, 0, "hall", "counters", 0, 0, 0, 20, 20),
        Row(1, 0, "hall", "egates", 0, 0, 0, 40, 40),
        Row(2, 0, "hall", "egates", 1, 0, 0, 40, 40),
        Row(3, 0, "hall", "counters", 0, 0, 20, 40, 40),
        Row(4, 0, "hall", "egates", 0, 0, 40, 80, 80),
        Row(5, 0, "hall", "counters", 0, 0, 40, 60, 60),
        Row(6, 0, "hall", "counters", 0, 100, 100, 130, 130),
        Row(7, 0, "hall", "egates", 0, 100, 100, 140, 140),
        Row(8, 0, "hall", "counters", 0, 100, 130, 160, 160),
    ]


# ---------------------------------------------------------------------------------- routes


def test_optional_steps_at_the_edges_and_a_stage_visited_twice() -> None:
    """Stages a (10 s, then a 5 s transfer), b (20 s, then 7 s) and c (3 s), one lane each.

    Flow f, route [a, b with p 1, c with p 0, a]: b is always visited, c never, a twice; the
    way from b to the second a is b's transfer, and nothing follows the last a, so its
    transfer is not taken. f0 at 0: a 0-10, b at 15, 15-35, a at 42, 42-52, out at 52.
    f1 at 0 waits at a: 10-20, b at 25 waits for f0: 35-55, a at 62, 62-72, out at 72.
    Flow g, route [a, c with p 0]: g0 at 100: a 100-110, and out at 110 (no transfer: no
    stop follows)."""
    stages = [
        {
            "name": "a",
            "lanes": [{"name": "ga", "count": 1, "service": const(10)}],
            "transfer": const(5),
        },
        {
            "name": "b",
            "lanes": [{"name": "gb", "count": 1, "service": const(20)}],
            "transfer": const(7),
        },
        {"name": "c", "lanes": [{"name": "gc", "count": 1, "service": const(3)}]},
    ]
    route_f = ["a", {"stage": "b", "p": 1}, {"stage": "c", "p": 0}, "a"]
    data = port(
        [
            {"name": "f", "arrivals": {"times": [0, 0]}, "route": route_f},
            {"name": "g", "arrivals": {"times": [100]}, "route": ["a", {"stage": "c", "p": 0}]},
        ],
        stages=stages,
    )
    rows, entities = event_log(data)
    assert entities == [("f", 0.0), ("f", 0.0), ("g", 100.0)]
    assert rows == [
        Row(0, 0, "a", "ga", 0, 0, 0, 10, 52),
        Row(0, 1, "b", "gb", 0, 15, 15, 35, 52),
        Row(0, 2, "a", "ga", 0, 42, 42, 52, 52),
        Row(1, 0, "a", "ga", 0, 0, 10, 20, 72),
        Row(1, 1, "b", "gb", 0, 25, 35, 55, 72),
        Row(1, 2, "a", "ga", 0, 62, 62, 72, 72),
        Row(2, 0, "a", "ga", 0, 100, 100, 110, 110),
    ]
