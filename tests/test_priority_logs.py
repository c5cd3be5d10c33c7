"""Priority in a queue, never pre-emptive: exact event logs derived by hand, and how a
scenario's priorities compile to each lane group's queue order.

The tie rules are those of ``tests/test_event_logs.py``; one more here: a group whose
travellers differ in priority serves the lowest ``priority`` first (who has none, after
every level), first come first served within a level, and never takes a lane from someone
in service."""

from __future__ import annotations

from typing import Any

import pytest

from portsim import scenario_from_dict
from portsim.engine.control import lanes_class
from portsim.engine.lanes import PerLaneLanes, SharedLanes
from portsim.engine.priority import PriorityPerLane, PriorityShared
from portsim.model.compile import compile_scenario

from .helpers import Row, const, event_log


def port(flows: list[dict[str, Any]], lanes: dict[str, Any], **parts: Any) -> dict[str, Any]:
    """One stage, ``hall``, with one lane group."""
    return {
        "name": "priority log",
        "horizon": 600,
        "flows": flows,
        "stages": [{"name": "hall", "lanes": [lanes]}],
        **parts,
    }


def test_d_d_1_a_later_crew_member_overtakes_the_waiting_but_never_the_one_in_service() -> None:
    """A D/D/1: one desk, 10 s each. Ordinary travellers (no priority) every 6 s from 0
    until 20 s: o0 0, o1 6, o2 12, o3 18. Crew (priority 0) every 16 s from 3: c0 3, c1 19.
    Entities in order of coming: o0 e0, c0 e1, o1 e2, o2 e3, o3 e4, c1 e5.

    0: o0 finds the desk free, 0-10. 3: c0 comes while o0 is served: o0 is not pre-empted;
    c0 waits first in line. 6: o1 waits behind c0. 10: o0 leaves; c0 (crew first) 10-20.
    12: o2, 18: o3 wait behind o1. 19: c1 comes and goes ahead of o1 o2 o3, who came before
    it. 20: c0 leaves; c1 20-30. Then the ordinary travellers in the order they came: o1
    30-40, o2 40-50, o3 50-60. Waits: o0 0, c0 7, o1 24, o2 28, o3 32, c1 1."""
    data = port(
        [
            {"name": "ordinary", "arrivals": {"every": 6, "from": 0, "to": 20}, "route": ["hall"]},
            {
                "name": "crew",
                "priority": 0,
                "arrivals": {"every": 16, "from": 3, "to": 20},
                "route": ["hall"],
            },
        ],
        {"name": "desk", "count": 1, "service": const(10)},
    )
    rows, entities = event_log(data)
    assert entities == [
        ("ordinary", 0.0),
        ("crew", 3.0),
        ("ordinary", 6.0),
        ("ordinary", 12.0),
        ("ordinary", 18.0),
        ("crew", 19.0),
    ]
    assert rows == [
        Row(0, 0, "hall", "desk", 0, 0, 0, 10, 10),
        Row(1, 0, "hall", "desk", 0, 3, 10, 20, 20),
        Row(2, 0, "hall", "desk", 0, 6, 30, 40, 40),
        Row(3, 0, "hall", "desk", 0, 12, 40, 50, 50),
        Row(4, 0, "hall", "desk", 0, 18, 50, 60, 60),
        Row(5, 0, "hall", "desk", 0, 19, 20, 30, 30),
    ]


def test_three_levels_and_none_a_shared_queue_with_two_lanes() -> None:
    """Two desks, 20 s each. Ordinary (none) at 0, 0, 1; elderly (priority 2) at 2;
    diplomats (priority 1) at 3 and 4. Entities: o0 e0, o1 e1, o2 e2, elderly p0 e3,
    diplomats d0 e4, d1 e5.

    0: o0 desk 0, o1 desk 1, 0-20. 1: o2 waits; 2: p0 waits ahead of it (2 before none);
    3: d0 goes ahead of both, 4: d1 behind d0 (same level, first come). 20: both desks free
    at once, desk 0 first (o0's end was scheduled first): desk 0 d0, desk 1 d1, 20-40. 40:
    desk 0 p0, desk 1 o2, 40-60."""
    data = port(
        [
            {"name": "ordinary", "arrivals": {"times": [0, 0, 1]}, "route": ["hall"]},
            {"name": "elderly", "priority": 2, "arrivals": {"times": [2]}, "route": ["hall"]},
            {"name": "diplomats", "priority": 1, "arrivals": {"times": [3, 4]}, "route": ["hall"]},
        ],
        {"name": "desks", "count": 2, "service": const(20)},
    )
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "hall", "desks", 0, 0, 0, 20, 20),
        Row(1, 0, "hall", "desks", 1, 0, 0, 20, 20),
        Row(2, 0, "hall", "desks", 1, 1, 40, 60, 60),
        Row(3, 0, "hall", "desks", 0, 2, 40, 60, 60),
        Row(4, 0, "hall", "desks", 0, 3, 20, 40, 40),
        Row(5, 0, "hall", "desks", 1, 4, 20, 40, 40),
    ]


def test_per_lane_a_lane_serves_its_own_queue_s_first_level_first() -> None:
    """Booths with a queue per lane, 2 lanes, 10 s. Ordinary at 0, 0, 1, 2; crew (priority
    0) at 3. Entities: o0 e0, o1 e1, o2 e2, o3 e3, c0 e4.

    0: o0 lane 0 (0-10); o1 finds lane 1 empty (0-10). 1: o2 joins lane 0 (1 each: the
    lowest index). 2: o3 joins lane 1 (lane 0 has 2). 3: c0 finds 2 in each and joins lane
    0 (all travellers count, whatever their level): ahead of o2 there. 10: lane 0 serves c0
    10-20 (o2 overtaken), lane 1 serves o3 10-20 (another lane's queue is not c0's). 20:
    lane 0 serves o2 20-30."""
    data = port(
        [
            {"name": "ordinary", "arrivals": {"times": [0, 0, 1, 2]}, "route": ["hall"]},
            {"name": "crew", "priority": 0, "arrivals": {"times": [3]}, "route": ["hall"]},
        ],
        {"name": "booths", "count": 2, "queue": "per_lane", "service": const(10)},
    )
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "hall", "booths", 0, 0, 0, 10, 10),
        Row(1, 0, "hall", "booths", 1, 0, 0, 10, 10),
        Row(2, 0, "hall", "booths", 0, 1, 20, 30, 30),
        Row(3, 0, "hall", "booths", 1, 2, 10, 20, 20),
        Row(4, 0, "hall", "booths", 0, 3, 10, 20, 20),
    ]


def test_a_closing_lane_sends_its_queue_level_by_level() -> None:
    """Booths with a queue per lane, 100 s: 2 lanes until 50 s, then 1 (lane 1 closes).
    Ordinary at 0, 0, 1, 2, 3; crew (priority 0) at 4. Entities (and join order): o0..o4
    e0..e4, c0 e5.

    0: o0 lane 0, o1 lane 1 (0-100). 1: o2 lane 0 (1 each: lowest index). 2: o3 lane 1
    (lane 0 has 2). 3: o4 lane 0 (2 each). 4: c0 lane 1 (lane 0 has 3, lane 1 has 2), ahead
    of o3 there. 50: lane 1 closes (o1 finishes there at 100, in overtime); its queue moves
    level by level, c0 then o3 (without priority, join order would send o3 first), to lane
    0: c0 ahead of every ordinary traveller waiting there, o3 at the back. Lane 0 serves o0
    0-100, c0 100-200, o2 200-300, o4 300-400, o3 400-500. Movers keep their join time."""
    schedule = [{"from": "0s", "to": "50s", "count": 2}, {"from": "50s", "to": "24h", "count": 1}]
    data = port(
        [
            {"name": "ordinary", "arrivals": {"times": [0, 0, 1, 2, 3]}, "route": ["hall"]},
            {"name": "crew", "priority": 0, "arrivals": {"times": [4]}, "route": ["hall"]},
        ],
        {"name": "booths", "schedule": schedule, "queue": "per_lane", "service": const(100)},
    )
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "hall", "booths", 0, 0, 0, 100, 100),
        Row(1, 0, "hall", "booths", 1, 0, 0, 100, 100),
        Row(2, 0, "hall", "booths", 0, 1, 200, 300, 300),
        Row(3, 0, "hall", "booths", 0, 2, 400, 500, 500),
        Row(4, 0, "hall", "booths", 0, 3, 300, 400, 400),
        Row(5, 0, "hall", "booths", 0, 4, 100, 200, 200),
    ]


def test_an_extra_lane_an_opening_rule_opens_takes_the_crew_first() -> None:
    """One desk (30 s), 2 built; the rule opens a lane 15 s after more than 1 wait.
    Ordinary at 0, 1, 2; crew (priority 0) at 3. Entities o0 o1 o2 c0: e0..e3.

    0: o0 desk 0, 0-30. 1: o1 waits (1 waiting: not more than 1). 2: o2 waits: 2 wait, the
    rule asks for a lane, open at 17. 3: c0 waits, ahead of o1 o2. 17: desk 1 opens and takes
    the first in line, c0, 17-47. 30: desk 0 takes o1, 30-60. 47: desk 1 takes o2, 47-77."""
    desk = {
        "name": "desks",
        "count": 1,
        "built": 2,
        "opening": {"queue_above": 1, "delay": 15},
        "service": const(30),
    }
    data = port(
        [
            {"name": "ordinary", "arrivals": {"times": [0, 1, 2]}, "route": ["hall"]},
            {"name": "crew", "priority": 0, "arrivals": {"times": [3]}, "route": ["hall"]},
        ],
        desk,
    )
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "hall", "desks", 0, 0, 0, 30, 30),
        Row(1, 0, "hall", "desks", 0, 1, 30, 60, 60),
        Row(2, 0, "hall", "desks", 1, 2, 47, 77, 77),
        Row(3, 0, "hall", "desks", 1, 3, 17, 47, 47),
    ]


def test_those_who_waited_outside_the_port_go_in_at_the_opening_crew_first() -> None:
    """The port opens at 00:01 (60 s); one desk, 10 s. Ordinary at 0 and 10, crew (priority
    0) at 20: all wait outside, and go in at 60 in the order they came. o0 finds the desk
    free, 60-70; o1 then c0 join the queue at 60, c0 ahead: c0 70-80, o1 80-90."""
    data = port(
        [
            {"name": "ordinary", "arrivals": {"times": [0, 10]}, "route": ["hall"]},
            {"name": "crew", "priority": 0, "arrivals": {"times": [20]}, "route": ["hall"]},
        ],
        {"name": "desk", "count": 1, "service": const(10)},
        hours={"open": "00:01", "close": "24:00"},
    )
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "hall", "desk", 0, 60, 60, 70, 70),
        Row(1, 0, "hall", "desk", 0, 60, 80, 90, 90),
        Row(2, 0, "hall", "desk", 0, 60, 70, 80, 80),
    ]


def _closed_until_30(queue: str, service: float) -> dict[str, Any]:
    return {
        "name": "desks",
        "queue": queue,
        "schedule": [{"from": "30s", "to": "24h", "count": 2 if queue == "per_lane" else 1}],
        "service": const(service),
    }


WAITING_FOR_THE_OPENING = [
    {"name": "ordinary", "arrivals": {"times": [0, 10]}, "route": ["hall"]},
    {"name": "crew", "priority": 0, "arrivals": {"times": [20]}, "route": ["hall"]},
]


def test_a_shared_queue_formed_before_the_opening_is_served_crew_first() -> None:
    """One desk, 10 s, open from 30 s. o0 (e0, 0) and o1 (e1, 10) wait for it, c0 (e2,
    20) goes ahead of them. 30: the desk opens and takes c0, 30-40; then o0 40-50, o1
    50-60."""
    rows, _ = event_log(port(WAITING_FOR_THE_OPENING, _closed_until_30("shared", 10)))
    assert rows == [
        Row(0, 0, "hall", "desks", 0, 0, 40, 50, 50),
        Row(1, 0, "hall", "desks", 0, 10, 50, 60, 60),
        Row(2, 0, "hall", "desks", 0, 20, 30, 40, 40),
    ]


def test_per_lane_those_who_waited_for_a_lane_take_them_level_by_level() -> None:
    """Booths with a queue per lane, 2 from 30 s, 20 s each. o0 (e0, 0), o1 (e1, 10) and c0
    (e2, 20) wait for any lane. 30: they join the open lanes level by level, in join order
    within a level: c0 finds lane 0 empty (30-50), o0 lane 1 (30-50), o1 finds one in each
    and joins lane 0 (the lowest index), 50-70. (In join order alone, c0 would have waited
    behind o0 until 50.)"""
    rows, _ = event_log(port(WAITING_FOR_THE_OPENING, _closed_until_30("per_lane", 20)))
    assert rows == [
        Row(0, 0, "hall", "desks", 1, 0, 30, 50, 50),
        Row(1, 0, "hall", "desks", 0, 10, 50, 70, 70),
        Row(2, 0, "hall", "desks", 0, 20, 30, 50, 50),
    ]


@pytest.mark.parametrize("queue", ["shared", "per_lane"])
def test_the_expected_wait_that_chooses_a_group_counts_only_those_ahead(queue: str) -> None:
    """Desks and gates (declared in that order), 1 lane each, 20 s. Ordinary o0..o4 (e0..e4)
    at 0, crew c0 (e5) at 1. An expected wait is (ahead + 1) / lanes × 20 s, 0 with a lane
    free (a queue per lane: (the one in service + those waiting ahead) × 20 s at the
    shortest lane, the same with one lane); a tie goes to the first declared.

    0: o0 desks (free), o1 gates (free), o2 desks (20 against 20), o3 gates (40 against 20),
    o4 desks (40 against 40). 1: c0 has nobody of its level ahead at either: 20 against 20,
    desks (counting everyone it would have gone to the gates: 60 against 40). 20: desks
    serve c0 20-40, gates o3 20-40. 40: desks o2 40-60; 60: o4 60-80."""
    lanes = [
        {"name": "desks", "count": 1, "queue": queue, "service": const(20)},
        {"name": "gates", "count": 1, "queue": queue, "service": const(20)},
    ]
    data = port(
        [
            {"name": "ordinary", "arrivals": {"times": [0, 0, 0, 0, 0]}, "route": ["hall"]},
            {"name": "crew", "priority": 0, "arrivals": {"times": [1]}, "route": ["hall"]},
        ],
        lanes[0],
    )
    data["stages"][0]["lanes"] = lanes
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "hall", "desks", 0, 0, 0, 20, 20),
        Row(1, 0, "hall", "gates", 0, 0, 0, 20, 20),
        Row(2, 0, "hall", "desks", 0, 0, 40, 60, 60),
        Row(3, 0, "hall", "gates", 0, 0, 20, 40, 40),
        Row(4, 0, "hall", "desks", 0, 0, 60, 80, 80),
        Row(5, 0, "hall", "desks", 0, 1, 20, 40, 40),
    ]


# ------------------------------------------------------------------------- compiled ranks


def _ranks(flows: list[dict[str, Any]], **group: Any) -> Any:
    """The first group's ranks (a second group serves everyone)."""
    lanes = {"name": "desks", "count": 1, "service": const(10), **group}
    data = port(flows, lanes)
    data["stages"][0]["lanes"].append({"name": "others", "count": 1, "service": const(10)})
    return compile_scenario(scenario_from_dict(data)).groups[0].priority


def test_a_class_s_priority_overrides_its_flow_s_and_none_comes_after_every_level() -> None:
    flows = [
        {
            "name": "coach",
            "kind": "coach",
            "occupants": {"dist": "constant", "value": 20},
            "priority": 5,
            "arrivals": {"every": 60},
            "classes": [
                {"name": "elderly", "share": 0.25, "priority": 1},
                {"name": "others", "share": 0.75},
            ],
            "route": ["hall", {"alight": "on_foot"}, {"meet": "passengers"}],
        },
        {"name": "walkers", "arrivals": {"every": 60}, "route": ["hall"]},
        {"name": "crew", "priority": 0, "arrivals": {"every": 60}, "route": ["hall"]},
    ]
    data = port(flows, {"name": "desks", "count": 1, "service": const(10)})
    data["routes"] = {"on_foot": ["hall"]}
    model = compile_scenario(scenario_from_dict(data))
    names = tuple(s.name for s in model.subflows)
    assert names == ("coach.elderly", "coach.others", "coach.passengers", "walkers", "crew")
    assert tuple(s.priority for s in model.subflows) == (1, 5, 5, None, 0)
    # levels 0, 1, 5 are ranks 0, 1, 2; none is rank 3
    assert model.groups[0].priority == (1, 2, 2, 3, 0)


def test_a_group_whose_travellers_are_all_equal_keeps_its_plain_queue() -> None:
    same = [
        {"name": "a", "priority": 2, "arrivals": {"every": 60}, "route": ["hall"]},
        {"name": "b", "priority": 2, "arrivals": {"every": 60}, "route": ["hall"]},
    ]
    assert _ranks(same) is None
    # a group serving only the crew is plain too, even if others have another priority
    mixed = [{**same[0], "priority": 0}, same[1]]
    assert _ranks(mixed, serves=["a"]) is None
    assert _ranks(mixed) == (0, 1)
    assert _ranks([{**same[0], "priority": None}, same[1]]) == (1, 0)


def test_the_queue_class_is_chosen_when_the_group_is_built() -> None:
    assert lanes_class(False, False) is SharedLanes
    assert lanes_class(True, False) is PerLaneLanes
    assert lanes_class(False, False, True) is PriorityShared
    assert lanes_class(True, False, True) is PriorityPerLane
    assert issubclass(lanes_class(False, True, True), PriorityShared)
    assert issubclass(lanes_class(True, True, True), PriorityPerLane)
