"""Exact event logs of lane groups that draw on several staff pools at once, derived by hand
(the style and tie rules of tests/test_staff_event_logs.py), with the pools' rules
(portsim/engine/staff.py):

* a lane takes a unit of every pool it draws on, at once, only when each can give; until
  then it takes nothing (it holds no unit it cannot use);
* a released unit is free to its group at once and to the others after its own pool's
  ``switch``: a lane of another group opens when the last of its units is free to it;
* waiting groups are served the longest expected wait first (no lane open: infinite), ties
  to the group declared first; a group short in one pool lets the next take what it can;
* a lane lent (``lend``) gives back every unit it took: a dual-facing counter turns, its
  officer with it, each taking its own pool's switch.

Each test states the logs of committed units (on a lane, finishing, moving) it expects.
"""

from __future__ import annotations

from typing import Any

from portsim import scenario_from_dict
from portsim.engine.replication import EngineCounters, run_replication
from portsim.model import compile_scenario

from .helpers import Row, const, event_log


def _entry(start: float, end: float, count: int = 1) -> dict[str, Any]:
    return {"from": f"{start}s", "to": f"{end}s", "count": count}


def _group(name: str, staff: str | list[str], **lanes: Any) -> dict[str, Any]:
    return {"name": name, "staff": staff, "service": const(10), **lanes}


def counters(data: dict[str, Any]) -> EngineCounters:
    return run_replication(compile_scenario(scenario_from_dict(data)), 0, 0).counters


def holders(
    *, counter_switch: float, officer_switch: float, counter_until: float, officer_until: float
) -> dict[str, Any]:
    """One counter and one officer. Hall H holds the counter until ``counter_until``, hall B
    the officer until ``officer_until``; hall D's lane needs both. Two travellers come to D
    at 0 and 5, none elsewhere."""
    return {
        "name": "the later of the two",
        "horizon": 600,
        "staff": [
            {"name": "counters", "count": 1, "switch": counter_switch},
            {"name": "officers", "count": 1, "switch": officer_switch},
        ],
        "flows": [{"name": "d", "arrivals": {"times": [0, 5]}, "route": ["D"]}],
        "stages": [
            {
                "name": "H",
                "lanes": [_group("hold", "counters", schedule=[_entry(0, counter_until)])],
            },
            {
                "name": "B",
                "lanes": [_group("desk", "officers", schedule=[_entry(0, officer_until)])],
            },
            {"name": "D", "lanes": [_group("dual", ["counters", "officers"], count=1)]},
        ],
    }


def test_a_lane_of_two_pools_waits_for_the_later_of_the_two() -> None:
    """No switch time. At 0 (waits all infinite, ties to the first declared) H takes the
    counter, B the officer; D can take neither pair and waits, holding nothing. At 20 B's
    desk closes idle: the officer is free, but D still lacks the counter. At 30 H's lane
    closes: D opens at 30 with both. d0 30-40, d1 40-50.
    Counters committed: 1 throughout (H's, then D's at the same instant). Officers: 1, 0
    from 20 (free, taken by nobody), 1 from 30."""
    data = holders(counter_switch=0, officer_switch=0, counter_until=30, officer_until=20)
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "D", "dual", 0, 0, 30, 40, 40),
        Row(1, 0, "D", "dual", 0, 5, 40, 50, 50),
    ]
    c = counters(data)
    assert c.lanes_open == (((0.0, 1), (30.0, 0)), ((0.0, 1), (20.0, 0)), ((0.0, 0), (30.0, 1)))
    assert c.officers_in_use == (((0.0, 1),), ((0.0, 1), (20.0, 0), (30.0, 1)))


def test_with_switch_times_the_lane_opens_when_the_last_unit_reaches_it() -> None:
    """The counter turns in 3 s, the officer walks for 20 s. The officer, released at 20,
    reaches D at 40; the counter, released at 30, at 33. D opens at 40 (the later): d0
    40-50, d1 50-60. Both are committed while moving: counters 1 until 33, idle 33-40
    (0), D's from 40; officers 1 throughout (moving 20-40, then D's)."""
    data = holders(counter_switch=3, officer_switch=20, counter_until=30, officer_until=20)
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "D", "dual", 0, 0, 40, 50, 50),
        Row(1, 0, "D", "dual", 0, 5, 50, 60, 60),
    ]
    c = counters(data)
    assert c.lanes_open[2] == ((0.0, 0), (40.0, 1))
    assert c.officers_in_use == (((0.0, 1), (33.0, 0), (40.0, 1)), ((0.0, 1),))


def test_a_group_short_in_one_pool_does_not_block_another() -> None:
    """One counter, one officer, no switch. Declared in this order: H holds the counter
    until 100 s; D needs a counter and an officer; B holds the officer until 20; A needs an
    officer until 200. At 0 every wait is infinite: H takes the counter, D cannot (no
    counter) and holds nothing, B takes the officer, A cannot. At 20 B releases the
    officer: D, declared before A and as long a wait (infinite), lacks the counter, so A
    takes the officer: a0 (at 0) 20-30. At 100 the counter is free but D lacks the officer:
    it stays idle (D does not hold it). At 200 A's lane closes idle and D opens with both:
    d0 (at 0) 200-210.
    Counters committed: 1, 0 from 100, 1 from 200; officers: 1 throughout."""
    data: dict[str, Any] = {
        "name": "short in one pool",
        "horizon": 600,
        "staff": [{"name": "counters", "count": 1}, {"name": "officers", "count": 1}],
        "flows": [
            {"name": "d", "arrivals": {"times": [0]}, "route": ["D"]},
            {"name": "a", "arrivals": {"times": [0]}, "route": ["A"]},
        ],
        "stages": [
            {"name": "H", "lanes": [_group("hold", "counters", schedule=[_entry(0, 100)])]},
            {"name": "D", "lanes": [_group("dual", ["counters", "officers"], count=1)]},
            {"name": "B", "lanes": [_group("desk", "officers", schedule=[_entry(0, 20)])]},
            {"name": "A", "lanes": [_group("desk", "officers", schedule=[_entry(0, 200)])]},
        ],
    }
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "D", "dual", 0, 0, 200, 210, 210),
        Row(1, 0, "A", "desk", 0, 0, 20, 30, 30),
    ]
    c = counters(data)
    assert c.lanes_open == (
        ((0.0, 1), (100.0, 0)),
        ((0.0, 0), (200.0, 1)),
        ((0.0, 1), (20.0, 0)),
        ((0.0, 0), (20.0, 1), (200.0, 0)),
    )
    assert c.officers_in_use == (((0.0, 1), (100.0, 0), (200.0, 1)), ((0.0, 1),))


def test_a_counter_turns_with_its_officer() -> None:
    """Two dual-facing counters (30 s to turn, lend) and two officers (45 s to
    walk), one of each per counter; the north counter lends below 100 s, the south hall's
    rule opens a second counter (built 2) when the expected wait passes 30 s and closes it
    below 10 s; 60 s a northbound traveller, 20 s a southbound one.

    n0 at 0 takes the north counter (0-60). Seven south travellers come at 10: s0 is served
    at once (10-30); s1 waits, the expected wait (1 + 1) × 20 / 1 = 40 s passes 30 s and
    the rule asks. South lacks a counter and an officer: the north counter (its newcomer
    would wait 60 s < 100 s), which draws on both, is turned: it finishes n0 (overtime
    10-60), then its counter turns (free to the south at 90) and its officer walks (at 105):
    the south's counter 1 opens at 105, the later. Counter 0: s1 30-50, s2 50-70, s3 70-90,
    s4 90-110, s6 110-130; counter 1: s5 105-125. At 110 s6 starts and the queue is empty, but
    with both counters busy a newcomer would wait (0 + 1) × 20 / 2 = 10 s, not below 10 s.
    At 125 s5 leaves counter 1 idle (wait 0 < 10 s): the rule closes it and gives the loan
    back; released at 125, the counter faces north at 155 and the officer is back at 170,
    when the north counter reopens.
    Counters committed: 2; 1 from 90 (turned, idle) to 105; 2; 1 from 155 to 170; 2.
    Officers: 2 throughout (moving 60-105 and 125-170)."""
    counter = {"name": "counters", "staff": ["dual", "officers"]}
    data: dict[str, Any] = {
        "name": "a counter turns with its officer",
        "horizon": 600,
        "staff": [
            {"name": "dual", "count": 2, "switch": 30, "lend": True},
            {"name": "officers", "count": 2, "switch": 45},
        ],
        "flows": [
            {"name": "north", "arrivals": {"times": [0]}, "route": ["N"]},
            {"name": "south", "arrivals": {"times": [10] * 7}, "route": ["S"]},
        ],
        "stages": [
            {
                "name": "N",
                "lanes": [{**counter, "service": const(60), "count": 1, "lend_below": "100s"}],
            },
            {
                "name": "S",
                "lanes": [
                    {
                        **counter,
                        "service": const(20),
                        "count": 1,
                        "built": 2,
                        "opening": {"open_above": "30s", "close_below": "10s"},
                    }
                ],
            },
        ],
    }
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "N", "counters", 0, 0, 0, 60, 60),
        Row(1, 0, "S", "counters", 0, 10, 10, 30, 30),
        Row(2, 0, "S", "counters", 0, 10, 30, 50, 50),
        Row(3, 0, "S", "counters", 0, 10, 50, 70, 70),
        Row(4, 0, "S", "counters", 0, 10, 70, 90, 90),
        Row(5, 0, "S", "counters", 0, 10, 90, 110, 110),
        Row(6, 0, "S", "counters", 1, 10, 105, 125, 125),
        Row(7, 0, "S", "counters", 0, 10, 110, 130, 130),
    ]
    c = counters(data)
    assert c.lanes_open == (
        ((0.0, 1), (10.0, 0), (170.0, 1)),
        ((0.0, 1), (105.0, 2), (125.0, 1)),
    )
    assert c.overtime == (((10.0, 60.0),), ())
    assert c.officers_in_use == (
        ((0.0, 2), (90.0, 1), (105.0, 2), (155.0, 1), (170.0, 2)),
        ((0.0, 2),),
    )


def test_a_shift_end_in_one_pool_gives_back_the_lane_s_units_of_every_pool() -> None:
    """One counter all day; one officer until 50 s, nobody after. D's lane needs both (30 s
    a traveller); C, declared after, needs only a counter. At 0 (both waits infinite) D takes
    the counter and the officer; C waits. d0 0-30, d1 40-70. At 50 the officer's shift ends:
    none idle or moving, so D's lane is taken away and finishes d1 (overtime 50-70). At 70
    the officer goes home and the counter goes back to its pool: C opens with it at 70, c0
    (at 0) 70-100. d2 (at 80) waits for an officer who never comes.
    Counters committed: 1 throughout (D's, then C's); officers: 1 until 70 (finishing after
    50), then 0; on duty: 1, then 0 from 50."""
    data: dict[str, Any] = {
        "name": "a shift ends in one pool",
        "horizon": 600,
        "staff": [
            {"name": "counters", "count": 1},
            {"name": "officers", "schedule": [_entry(0, 50)]},
        ],
        "flows": [
            {"name": "d", "arrivals": {"times": [0, 40, 80]}, "route": ["D"]},
            {"name": "c", "arrivals": {"times": [0]}, "route": ["C"]},
        ],
        "stages": [
            {"name": "D", "lanes": [_group("dual", ["counters", "officers"], count=1)]},
            {"name": "C", "lanes": [_group("desk", "counters", count=1)]},
        ],
    }
    for stage in data["stages"]:
        stage["lanes"][0]["service"] = const(30)
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "D", "dual", 0, 0, 0, 30, 30),
        Row(1, 0, "C", "desk", 0, 0, 70, 100, 100),
        Row(2, 0, "D", "dual", 0, 40, 40, 70, 70),
        Row(3, 0, "D", "dual", -1, 80, None, None, None),  # never served: no lane
    ]
    c = counters(data)
    assert c.lanes_open == (((0.0, 1), (50.0, 0)), ((0.0, 0), (70.0, 1)))
    assert c.overtime == (((50.0, 70.0),), ())
    assert c.officers_in_use == (((0.0, 1),), ((0.0, 1), (70.0, 0)))
    assert c.officers_on_duty == (((0.0, 1),), ((0.0, 1), (50.0, 0)))
