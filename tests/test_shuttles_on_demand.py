"""Shuttles on demand (issue 25, part 3): a bus leaves when full, or ``max_wait`` after its
first passenger boarded, whichever comes first; with a fleet, a bus that left is away for
its ride and the way back. Event logs derived by hand (the tie rules of
tests/test_event_logs.py: a bus's wait ends and a bus comes back URGENT, before arrivals and
service ends at the same instant)."""

from __future__ import annotations

from typing import Any

from portsim import scenario_from_dict
from portsim.engine.replication import run_replication
from portsim.model.compile import compile_scenario

from .helpers import Row, const, event_log


def port(times: list[float], horizon: float = 1200, **bus: Any) -> dict[str, Any]:
    """Travellers at ``times`` pass a (one lane, 1 s: they reach the stop 1 s after they
    come), ride the shuttle (``bus``), then b (three lanes, 1 s: nobody queues there)."""
    return {
        "name": "on demand",
        "horizon": horizon,
        "flows": [{"name": "f", "arrivals": {"times": times}, "route": ["a", "b"]}],
        "stages": [
            {"name": "a", "lanes": [{"name": "l", "count": 1, "service": const(1)}],
             "transfer": {"shuttle": {"leaves": "when_full", **bus}}},
            {"name": "b", "lanes": [{"name": "l", "count": 3, "service": const(1)}]},
        ],
    }  # fmt: skip


def departures(data: dict[str, Any]) -> list[tuple[float, int, bool, float]]:
    """The shuttle's departures in replication 0: (time, aboard, full, first boarded)."""
    model = compile_scenario(scenario_from_dict(data))
    return list(run_replication(model, 0, 0).counters.shuttle_departures[0])


def test_a_bus_leaves_when_its_last_seat_is_taken() -> None:
    """3 seats, a 30 s ride, at most 600 s after the first passenger; one every minute from
    0, at the stop 1 s later (1, 61, 121, …, 361).

    Bus 1 takes e0 at 1, e1 at 61, e2 at 121: full, it leaves at 121; they alight at 151
    to b's lanes 0 1 2 (in boarding order) and are out at 152. No fleet: the next bus is
    already at the stop. It takes e3 at 181, e4 at 241, e5 at 301: full at 301, b at 331.
    Bus 3 takes e6 at 361 and nobody else comes: it leaves after its wait, 361 + 600 = 961,
    and e6 is at b at 991, out at 992. e6 waited 600 s for the bus: its time in port is
    992 − 360 = 632 s, its queue wait 0 (the wait for the bus counts in the time in port,
    as a timetabled shuttle's)."""
    data = port([0, 60, 120, 180, 240, 300, 360], seats=3, ride=30, max_wait=600)
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "a", "l", 0, 0, 0, 1, 152),
        Row(0, 1, "b", "l", 0, 151, 151, 152, 152),
        Row(1, 0, "a", "l", 0, 60, 60, 61, 152),
        Row(1, 1, "b", "l", 1, 151, 151, 152, 152),
        Row(2, 0, "a", "l", 0, 120, 120, 121, 152),
        Row(2, 1, "b", "l", 2, 151, 151, 152, 152),
        Row(3, 0, "a", "l", 0, 180, 180, 181, 332),
        Row(3, 1, "b", "l", 0, 331, 331, 332, 332),
        Row(4, 0, "a", "l", 0, 240, 240, 241, 332),
        Row(4, 1, "b", "l", 1, 331, 331, 332, 332),
        Row(5, 0, "a", "l", 0, 300, 300, 301, 332),
        Row(5, 1, "b", "l", 2, 331, 331, 332, 332),
        Row(6, 0, "a", "l", 0, 360, 360, 361, 992),
        Row(6, 1, "b", "l", 0, 991, 991, 992, 992),
    ]
    assert departures(data) == [(121, 3, True, 1), (301, 3, True, 181), (961, 1, False, 361)]


def test_a_bus_leaves_after_its_wait_with_whoever_is_aboard() -> None:
    """3 seats, a 30 s ride, at most 120 s after the first passenger; at the stop at 1,
    101, 121, 301, 311 (sparse: no bus fills).

    Bus 1 takes e0 at 1 and e1 at 101; its wait ends at 1 + 120 = 121, the instant e2
    reaches the stop: the wait's end is URGENT, so the bus leaves first, with e0 e1 (b at
    151), and e2 is the first of the next bus (its wait ends at 241: it leaves with e2
    alone, b at 271). Bus 3 takes e3 at 301 and e4 at 311, leaves at 421, b at 451."""
    data = port([0, 100, 120, 300, 310], seats=3, ride=30, max_wait=120)
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "a", "l", 0, 0, 0, 1, 152),
        Row(0, 1, "b", "l", 0, 151, 151, 152, 152),
        Row(1, 0, "a", "l", 0, 100, 100, 101, 152),
        Row(1, 1, "b", "l", 1, 151, 151, 152, 152),
        Row(2, 0, "a", "l", 0, 120, 120, 121, 272),
        Row(2, 1, "b", "l", 0, 271, 271, 272, 272),
        Row(3, 0, "a", "l", 0, 300, 300, 301, 452),
        Row(3, 1, "b", "l", 0, 451, 451, 452, 452),
        Row(4, 0, "a", "l", 0, 310, 310, 311, 452),
        Row(4, 1, "b", "l", 1, 451, 451, 452, 452),
    ]
    assert departures(data) == [(121, 2, False, 1), (241, 1, False, 121), (421, 2, False, 301)]


def test_a_fleet_of_one_makes_the_next_travellers_wait_for_its_return() -> None:
    """One bus of 2 seats, a 30 s ride and 50 s back (away 80 s), at most 100 s after its
    first passenger; at the stop at 1, 11, 21, 101, 151.

    The bus takes e0 at 1 and e1 at 11: full, it leaves at 11 (b at 41) and is back at 91.
    e2 reaches the empty stop at 21 and waits; the bus back at 91 takes it, and its wait
    starts then (91, not 21: it ends at 191). Bus 1's first wait would have ended at 101;
    it is the same bus's next trip, which that old wait does not end. e3 comes at 101 (after
    that old end, URGENT): the bus is full and leaves at 101 (b at 131), back at 181. e4
    reaches the empty stop at 151, the bus back at 181 takes it, and leaves after its wait
    at 281 (b at 311). e2 came at 20 and is out at 132: 112 s in port, 70 of them waiting
    for the bus to come back."""
    data = port([0, 10, 20, 100, 150], seats=2, ride=30, max_wait=100, fleet=1, back=50)
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "a", "l", 0, 0, 0, 1, 42),
        Row(0, 1, "b", "l", 0, 41, 41, 42, 42),
        Row(1, 0, "a", "l", 0, 10, 10, 11, 42),
        Row(1, 1, "b", "l", 1, 41, 41, 42, 42),
        Row(2, 0, "a", "l", 0, 20, 20, 21, 132),
        Row(2, 1, "b", "l", 0, 131, 131, 132, 132),
        Row(3, 0, "a", "l", 0, 100, 100, 101, 132),
        Row(3, 1, "b", "l", 1, 131, 131, 132, 132),
        Row(4, 0, "a", "l", 0, 150, 150, 151, 312),
        Row(4, 1, "b", "l", 0, 311, 311, 312, 312),
    ]
    assert departures(data) == [(11, 2, True, 1), (101, 2, True, 91), (281, 1, False, 181)]


def test_the_horizon_leaves_the_bus_at_the_stop_and_the_queue_unfinished() -> None:
    """The fleet's port cut at 100: e0 e1 are out at 42; e2 is aboard the bus at the stop
    (since 91) and nobody else has come: e2 is unfinished, with no row at b."""
    rows, _ = event_log(
        port([0, 10, 20], horizon=100, seats=2, ride=30, max_wait=100, fleet=1, back=50)
    )
    assert [(r.entity, r.stage, r.exit) for r in rows] == [
        (0, "a", 42), (0, "b", 42), (1, "a", 42), (1, "b", 42), (2, "a", None),
    ]  # fmt: skip
