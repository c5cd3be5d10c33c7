"""Exact event logs of staff pools, derived by hand (the style and tie rules of
tests/test_event_logs.py), with the pool's rules (portsim/engine/staff.py):

* groups waiting for officers are served one lane at a time, the longest expected wait
  first (a group with no lane open: an infinite wait; with a lane free: 0), ties to the
  group declared first; so at time 0 two groups with nothing open get one lane each;
* an officer released by a group is free to it at once and to the others ``switch`` later;
  the arrival is URGENT, like a lane change, so it comes before service ends at its instant;
* a lane that closes while it serves finishes its traveller (overtime) and its officer is
  released when the traveller leaves;
* at a shift's end lanes are taken away (the shortest expected wait first) and finish their
  travellers; those officers go home as their travellers leave.

Each test states the log of committed officers (on a lane, finishing, moving) it expects.
"""

from __future__ import annotations

from typing import Any

from portsim import scenario_from_dict
from portsim.engine.replication import EngineCounters, run_replication
from portsim.model import compile_scenario

from .helpers import Row, const, event_log


def two_halls(
    *,
    a_times: list[float],
    b_times: list[float],
    b_lanes: dict[str, Any],
    officers: int | list[dict[str, Any]] = 2,
    switch: float = 0,
) -> dict[str, Any]:
    """Hall A: 2 desks of 10 s; hall B: desks of 10 s as ``b_lanes`` says; one pool."""
    pool: dict[str, Any] = {"name": "officers", "switch": switch}
    pool.update({"count": officers} if isinstance(officers, int) else {"schedule": officers})
    desks = {"name": "desks", "staff": "officers", "service": const(10)}
    return {
        "name": "pool of two",
        "horizon": 600,
        "staff": [pool],
        "flows": [
            {"name": "a", "arrivals": {"times": a_times}, "route": ["A"]},
            {"name": "b", "arrivals": {"times": b_times}, "route": ["B"]},
        ],
        "stages": [
            {"name": "A", "lanes": [{**desks, "count": 2}]},
            {"name": "B", "lanes": [{**desks, **b_lanes}]},
        ],
    }


def counters(data: dict[str, Any]) -> EngineCounters:
    return run_replication(compile_scenario(scenario_from_dict(data)), 0, 0).counters


def test_a_group_waits_for_an_officer_another_group_releases() -> None:
    """Two officers; A plans 2 desks, B 1 desk until 20 s. At 0 neither has a desk open
    (waits infinite): A, declared first, gets one; then B (infinite) beats A (a free desk:
    0) to the second. A waits for its second officer.

    A: a0 0-10, a1 10-20, a2 20-30 at desk 0. B: b0 5-15, b1 15-25 at desk 0. At 20 B's
    desk closes while serving b1: it finishes (overtime 20-25) and its officer, released at
    25 with no switch time, opens A's desk 1 at once: a3 25-35; a4 takes desk 0 at 30-40.
    Committed officers: 2 throughout (the finishing one counts)."""
    data = two_halls(a_times=[0] * 5, b_times=[5, 5], b_lanes={"schedule": [_entry(0, 20)]})
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "A", "desks", 0, 0, 0, 10, 10),
        Row(1, 0, "A", "desks", 0, 0, 10, 20, 20),
        Row(2, 0, "A", "desks", 0, 0, 20, 30, 30),
        Row(3, 0, "A", "desks", 1, 0, 25, 35, 35),
        Row(4, 0, "A", "desks", 0, 0, 30, 40, 40),
        Row(5, 0, "B", "desks", 0, 5, 5, 15, 15),
        Row(6, 0, "B", "desks", 0, 5, 15, 25, 25),
    ]
    c = counters(data)
    assert c.lanes_open == (((0.0, 1), (25.0, 2)), ((0.0, 1), (20.0, 0)))
    assert c.overtime == ((), ((20.0, 25.0),))
    assert c.officers_in_use == (((0.0, 2),),)
    assert c.officers_on_duty == (((0.0, 2),),)


def test_an_officer_moving_to_another_group_takes_the_switch_time() -> None:
    """As above with a switch of 7 s: B's officer, released at 25, reaches A at 32.

    A's desk 0: a0 0-10, a1 10-20, a2 20-30, a3 30-40; desk 1 opens at 32 for a4, 32-42.
    The officer is committed while moving: 2 throughout."""
    data = two_halls(
        a_times=[0] * 5, b_times=[5, 5], b_lanes={"schedule": [_entry(0, 20)]}, switch=7
    )
    rows, _ = event_log(data)
    assert rows[:5] == [
        Row(0, 0, "A", "desks", 0, 0, 0, 10, 10),
        Row(1, 0, "A", "desks", 0, 0, 10, 20, 20),
        Row(2, 0, "A", "desks", 0, 0, 20, 30, 30),
        Row(3, 0, "A", "desks", 0, 0, 30, 40, 40),
        Row(4, 0, "A", "desks", 1, 0, 32, 42, 42),
    ]
    c = counters(data)
    assert c.lanes_open[0] == ((0.0, 1), (32.0, 2))
    assert c.officers_in_use == (((0.0, 2),),)


def test_an_officer_is_free_to_its_own_group_at_once() -> None:
    """Switch 15 s. B's desk closes idle at 20 (b0 5-15) and reopens at 30: its officer,
    released at 20, would reach A only at 35, so B takes it back at 30 and A never gets its
    second desk. b1 comes at 31 and is served 31-41; A serves a0-a2 at desk 0."""
    data = two_halls(
        a_times=[0] * 3,
        b_times=[5, 31],
        b_lanes={"schedule": [_entry(0, 20), _entry(30, 600)]},
        switch=15,
    )
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "A", "desks", 0, 0, 0, 10, 10),
        Row(1, 0, "A", "desks", 0, 0, 10, 20, 20),
        Row(2, 0, "A", "desks", 0, 0, 20, 30, 30),
        Row(3, 0, "B", "desks", 0, 5, 5, 15, 15),
        Row(4, 0, "B", "desks", 0, 31, 31, 41, 41),
    ]
    c = counters(data)
    assert c.lanes_open == (((0.0, 1),), ((0.0, 1), (20.0, 0), (30.0, 1)))
    assert c.officers_in_use == (((0.0, 2),),)


def test_a_shift_end_takes_a_lane_away_which_finishes_its_traveller() -> None:
    """Two officers until 50 s, one after; A plans 2 desks of 10 s... here of 30 s (B has
    none open). a0 a1 at 0 take desks 0 1 (0-30); a2 a3 at 40 take them again (40-70). At
    50 one officer goes: none idle or moving, so a desk is taken away, the higher (A is the
    only group), finishing a3 in overtime 50-70; its officer goes home at 70. Committed: 2
    until 70 (on duty 1 + 1 finishing), then 1."""
    data = two_halls(
        a_times=[0, 0, 40, 40],
        b_times=[],
        b_lanes={"count": 0},
        officers=[_entry(0, 50, 2), _entry(50, 600, 1)],
    )
    data["stages"][0]["lanes"][0]["service"] = const(30)
    data["flows"].pop()
    data["stages"].pop()
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "A", "desks", 0, 0, 0, 30, 30),
        Row(1, 0, "A", "desks", 1, 0, 0, 30, 30),
        Row(2, 0, "A", "desks", 0, 40, 40, 70, 70),
        Row(3, 0, "A", "desks", 1, 40, 40, 70, 70),
    ]
    c = counters(data)
    assert c.lanes_open == (((0.0, 2), (50.0, 1)),)
    assert c.overtime == (((50.0, 70.0),),)
    assert c.officers_on_duty == (((0.0, 2), (50.0, 1)),)
    assert c.officers_in_use == (((0.0, 2), (70.0, 1)),)


def _entry(start: float, end: float, count: int = 1) -> dict[str, Any]:
    return {"from": f"{start}s", "to": f"{end}s", "count": count}


def dual_counters(
    *, north: dict[str, Any], south: dict[str, Any], lend: bool = False
) -> dict[str, Any]:
    """Two dual-facing counters (a switch of 30 s) shared by a northbound hall (60 s a
    traveller) and a southbound one (20 s)."""
    counter = {"name": "counters", "staff": "dual"}
    return {
        "name": "dual-facing counters",
        "horizon": 600,
        "staff": [{"name": "dual", "count": 2, "switch": 30, "lend": lend}],
        "flows": [
            {"name": "north", "arrivals": {"times": [0, 0, 90, 95]}, "route": ["N"]},
            {"name": "south", "arrivals": {"times": [100, 190]}, "route": ["S"]},
        ],
        "stages": [
            {"name": "N", "lanes": [{**counter, "service": const(60), **north}]},
            {"name": "S", "lanes": [{**counter, "service": const(20), **south}]},
        ],
    }


def test_a_counter_turns_at_a_schedule_change_after_its_traveller() -> None:
    """Both counters face north until 100 s, then one faces south.

    North: n0 n1 at 0 take counters 0 1 (0-60); n2 at 90 takes counter 0 (90-150), n3 at
    95 counter 1 (95-155). At 100 the north plan drops to 1: counter 1 closes while serving
    n3 and finishes it (overtime 100-155); the south plan asks for 1 and waits. Released at
    155, the counter turns for 30 s and opens south at 185. s0 (came at 100) is served
    185-205, s1 (190) 205-225. Committed: 2 throughout."""
    data = dual_counters(
        north={"schedule": [_entry(0, 100, 2), _entry(100, 600, 1)]},
        south={"schedule": [_entry(0, 100, 0), _entry(100, 600, 1)]},
    )
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "N", "counters", 0, 0, 0, 60, 60),
        Row(1, 0, "N", "counters", 1, 0, 0, 60, 60),
        Row(2, 0, "N", "counters", 0, 90, 90, 150, 150),
        Row(3, 0, "N", "counters", 1, 95, 95, 155, 155),
        Row(4, 0, "S", "counters", 0, 100, 185, 205, 205),
        Row(5, 0, "S", "counters", 0, 190, 205, 225, 225),
    ]
    c = counters(data)
    assert c.lanes_open == (((0.0, 2), (100.0, 1)), ((0.0, 0), (185.0, 1)))
    assert c.overtime == (((100.0, 155.0),), ())
    assert c.officers_in_use == (((0.0, 2),),)


def test_a_counter_turns_when_the_other_sides_queue_passes_its_line() -> None:
    """The turn (``lend``): one counter faces north (lends below 100 s), one south, whose
    rule opens a second (built 2) when the expected wait passes 30 s, closes it below 10 s.

    n0 at 0 takes the north counter (0-60). Five south travellers come at 10: s0 is served
    at once (10-30); s1 waits: the expected wait (1 + 1) × 20 / 1 = 40 s passes 30 s, and the
    rule asks (no delay). No counter is free: the north one, whose newcomer would wait 60 s
    (< 100 s), is turned: it finishes n0 (overtime 10-60), turns for 30 s and opens south at
    90, an URGENT instant before s3's service end there. South counter 0: s1 30-50, s2
    50-70, s3 70-90; counter 1: s4 90-110. At 90, s3 leaves an empty queue: the wait is 0 <
    10 s, the rule closes its lane and gives the loan back; counter 1 finishes s4 (overtime
    90-110), turns back for 30 s and faces north again at 140."""
    data = dual_counters(
        north={"count": 1, "lend_below": "100s"},
        south={
            "count": 1,
            "built": 2,
            "opening": {"open_above": "30s", "close_below": "10s"},
        },
        lend=True,
    )
    data["flows"][0]["arrivals"]["times"] = [0]
    data["flows"][1]["arrivals"]["times"] = [10] * 5
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "N", "counters", 0, 0, 0, 60, 60),
        Row(1, 0, "S", "counters", 0, 10, 10, 30, 30),
        Row(2, 0, "S", "counters", 0, 10, 30, 50, 50),
        Row(3, 0, "S", "counters", 0, 10, 50, 70, 70),
        Row(4, 0, "S", "counters", 0, 10, 70, 90, 90),
        Row(5, 0, "S", "counters", 1, 10, 90, 110, 110),
    ]
    c = counters(data)
    assert c.lanes_open == (
        ((0.0, 1), (10.0, 0), (140.0, 1)),
        ((0.0, 1), (90.0, 2), (90.0, 1)),
    )
    assert c.overtime == (((10.0, 60.0),), ((90.0, 110.0),))
    assert c.officers_in_use == (((0.0, 2),),)


def test_the_longest_expected_wait_gets_the_next_officer() -> None:
    """Three officers, three halls: A and B plan 2 desks, C 1 desk until 20 s; 10 s a
    traveller. At 0 each gets one desk (waits infinite, ties to the first declared: A, B, C),
    and A and B wait for a second. Two travellers come to A at 0, four to B.

    A: a0 0-10, a1 10-20 at desk 0. B: b0 0-10, b1 10-20 at desk 0, b2 b3 waiting. At 20
    (URGENT, before the service ends at 20) C's desk closes idle and its officer is free:
    A's newcomer would wait (0 + 1) × 10 / 1 = 10 s, B's (2 + 1) × 10 / 1 = 30 s, so B, though
    declared after A, opens desk 1: b2 20-30 there; then b1 leaves desk 0 and b3 takes it,
    20-30. Entities in arrival order: a0 b0 a1 b1 b2 b3."""
    desks = {"name": "desks", "staff": "officers", "service": const(10)}
    data = {
        "name": "longest wait first",
        "horizon": 600,
        "staff": [{"name": "officers", "count": 3}],
        "flows": [
            {"name": "a", "arrivals": {"times": [0, 0]}, "route": ["A"]},
            {"name": "b", "arrivals": {"times": [0] * 4}, "route": ["B"]},
        ],
        "stages": [
            {"name": "A", "lanes": [{**desks, "count": 2}]},
            {"name": "B", "lanes": [{**desks, "count": 2}]},
            {"name": "C", "lanes": [{**desks, "schedule": [_entry(0, 20)]}]},
        ],
    }
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "A", "desks", 0, 0, 0, 10, 10),
        Row(1, 0, "B", "desks", 0, 0, 0, 10, 10),
        Row(2, 0, "A", "desks", 0, 0, 10, 20, 20),
        Row(3, 0, "B", "desks", 0, 0, 10, 20, 20),
        Row(4, 0, "B", "desks", 1, 0, 20, 30, 30),
        Row(5, 0, "B", "desks", 0, 0, 20, 30, 30),
    ]
    c = counters(data)
    assert c.lanes_open == (((0.0, 1),), ((0.0, 1), (20.0, 2)), ((0.0, 1), (20.0, 0)))
    assert c.officers_in_use == (((0.0, 3),),)


def test_no_lane_is_lent_that_cannot_open_a_lane_of_the_borrower() -> None:
    """A pool of 3 that lends. North: 1 desk of 10 s (1 officer), lends below 30 s. South: 1
    lane of 60 s taking 2 officers, built 2, whose rule opens another when more than 2 wait.

    n0 at 0 is served 0-10. Four south travellers come at 100: s0 is served 100-160, and
    three wait: the rule asks for a second lane, which takes 2 officers; none is free, and
    north's desk would give only 1 (its newcomer's wait, 0, is below its line): turning it
    would shut the desk and leave its officer idle, so nothing is lent. South serves s1
    160-220, s2 220-280, s3 280-340 on its one lane; north's desk stays open and serves n1,
    n2, n3 as they come at 200, 210, 220."""
    data: dict[str, Any] = {
        "name": "a loan that cannot help",
        "horizon": 600,
        "staff": [{"name": "pool", "count": 3, "lend": True}],
        "flows": [
            {"name": "north", "arrivals": {"times": [0, 200, 210, 220]}, "route": ["N"]},
            {"name": "south", "arrivals": {"times": [100] * 4}, "route": ["S"]},
        ],
        "stages": [
            {
                "name": "N",
                "lanes": [
                    {
                        "name": "desk",
                        "staff": "pool",
                        "count": 1,
                        "built": 1,
                        "lend_below": "30s",
                        "service": const(10),
                    }
                ],
            },
            {
                "name": "S",
                "lanes": [
                    {
                        "name": "lanes",
                        "staff": "pool",
                        "staff_per_lane": 2,
                        "count": 1,
                        "built": 2,
                        "opening": {"queue_above": 2, "queue_below": 1, "delay": 0},
                        "service": const(60),
                    }
                ],
            },
        ],
    }
    rows, _ = event_log(data)
    starts = sorted((r.stage, r.join, r.start) for r in rows)
    assert starts == [
        ("N", 0, 0),
        ("N", 200, 200),
        ("N", 210, 210),
        ("N", 220, 220),
        ("S", 100, 100),
        ("S", 100, 160),
        ("S", 100, 220),
        ("S", 100, 280),
    ]
    c = counters(data)
    assert c.lanes_open[0] == ((0.0, 1),)  # the desk never closes
    assert c.officers_in_use == (((0.0, 3),),)
