"""Shuttles on demand (issue 25, part 3): a bus leaves when full, or ``max_wait`` after its
first passenger boarded, whichever comes first; with a fleet, a bus that left is away for
its ride and the way back. Event logs derived by hand (the tie rules of
tests/test_event_logs.py: a bus's wait ends and a bus comes back URGENT, before arrivals and
service ends at the same instant)."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from portsim import scenario_from_dict, simulate
from portsim.cli import main
from portsim.engine.replication import run_replication
from portsim.model.compile import compile_scenario
from portsim.model.overload import overload_warnings
from portsim.report.answer import run_answer
from portsim.report.describe import describe_scenario
from portsim.report.diagram import diagram_svg
from portsim.report.document import run_report_html
from portsim.report.show import format_show
from portsim.report.text import format_report
from portsim.results.catalog import TIME_IN_PORT, WAIT_MEAN, WAIT_P95
from portsim.run.compare import judged_on
from portsim.scenario import OnDemandShuttle, ShuttleCrossing
from portsim.scenario.yaml_io import load_yaml

from .helpers import (
    ALPHA,
    POWERED,
    Row,
    assert_mean_matches,
    const,
    event_log,
    replicate,
)

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
#: replications of the theory check: the full power (see tests/helpers.py)
REPLICATIONS = POWERED


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


def departures(data: dict[str, Any]) -> list[tuple[float, int, bool, float, float]]:
    """The shuttle's departures in replication 0: (time, aboard, full, first boarded, the
    riders' waits at the stop added up)."""
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
    # waits at the stop: 120 + 60 + 0, the same, and e6's 600
    assert departures(data) == [
        (121, 3, True, 1, 180), (301, 3, True, 181, 180), (961, 1, False, 361, 600),
    ]  # fmt: skip


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
    # waits at the stop: 120 + 20; 120; 120 + 110
    assert departures(data) == [
        (121, 2, False, 1, 140), (241, 1, False, 121, 120), (421, 2, False, 301, 230),
    ]  # fmt: skip


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
    # waits at the stop: 10 + 0; 80 + 0; 130
    assert departures(data) == [
        (11, 2, True, 1, 10), (101, 2, True, 91, 80), (281, 1, False, 181, 130),
    ]  # fmt: skip


def test_the_horizon_leaves_the_bus_at_the_stop_and_the_queue_unfinished() -> None:
    """The fleet's port cut at 100: e0 e1 are out at 42; e2 is aboard the bus at the stop
    (since 91) and nobody else has come: e2 is unfinished, with no row at b."""
    rows, _ = event_log(
        port([0, 10, 20], horizon=100, seats=2, ride=30, max_wait=100, fleet=1, back=50)
    )
    assert [(r.entity, r.stage, r.exit) for r in rows] == [
        (0, "a", 42), (0, "b", 42), (1, "a", 42), (1, "b", 42), (2, "a", None),
    ]  # fmt: skip


CARELESS = """\
name: careless
horizon: 1h
flows:
  - {name: f, arrivals: {rate: 600/h}, route: [a, b]}
stages:
  - name: a
    lanes: [{name: l, count: 2, service: {dist: constant, value: 5s}}]
    transfer: {shuttle: {seats: 40, ride: 8min, BUS}}
  - name: b
    lanes: [{name: l, count: 2, service: {dist: constant, value: 5s}}]
"""
PATH = "stages.a.transfer.shuttle"


@pytest.mark.parametrize(
    ("bus", "problem"),
    [
        ("leaves: when_ful, max_wait: 10min", f"{PATH}.leaves: must be 'when_full'"),
        ("leaves: by_timetable, max_wait: 10min", f"{PATH}.leaves: must be 'when_full'"),
        (
            "leaves: when_full",
            f"{PATH}: a shuttle that leaves only when full may never leave: the day's last "
            "travellers would wait for ever; give max_wait, the longest a bus waits after its "
            "first passenger boards (10min, say)",
        ),
        ("leaves: when_full, max_wait: 0", f"{PATH}.max_wait: must be greater than 0"),
        ("leaves: when_full, max_wait: -5min", f"{PATH}.max_wait: must be greater than 0"),
        (
            "leaves: when_full, max_wait: 10min, fleet: 0",
            f"{PATH}.fleet: must be greater than or equal to 1",
        ),
        (
            "leaves: when_full, max_wait: 10min, back: 5min",
            f"{PATH}: back is the return trip of a fleet's buses: give fleet (how many buses), "
            "or leave back out (a bus is then always at the stop)",
        ),
        (
            "max_wait: 10min",
            f"{PATH}: a shuttle leaves by a timetable ({{every, seats, ride}}) or when full "
            "({seats, ride, leaves: when_full, max_wait})",
        ),
        (
            "leaves: when_full, max_wait: 10min, every: 5min",
            f"{PATH}.every: unknown field for shuttle with 'seats' (fields here: seats, ride, "
            "leaves, max_wait, fleet, back, source)",
        ),
    ],
)
def test_a_careless_shuttle_is_answered_in_one_line(tmp_path: Path, bus: str, problem: str) -> None:
    """Each mistake is one line naming the file and the field, exit 2, before the run."""
    path = tmp_path / "careless.yaml"
    path.write_text(CARELESS.replace("BUS", bus), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [f"{path}: {problem}"]


def _waits_for_full_buses(
    data: dict[str, Any], replication: int, seats: int, before: float
) -> float:
    """The mean wait at the stop (reaching it to the bus leaving) of the riders of the full
    buses whose first passenger boarded before ``before`` (the ride is 0: a rider joins b
    the instant its bus leaves)."""
    done = replicate(scenario_from_dict(data), 0, replication)
    rec = done.records
    assert rec is not None
    first = rec.visit_stage == 0
    at_stop = dict(zip(rec.visit_entity[first].tolist(), rec.visit_end[first], strict=True))
    left = rec.visit_stage == 1
    riders = dict(zip(rec.visit_entity[left].tolist(), rec.visit_join[left], strict=True))
    by_bus: dict[float, list[float]] = {}
    for entity, departure in riders.items():
        by_bus.setdefault(float(departure), []).append(departure - at_stop[entity])
    full = [
        (time, since)
        for time, _, was_full, since, _ in done.counters.shuttle_departures[0]
        if was_full and since < before
    ]
    assert all(len(by_bus[time]) == seats for time, _ in full)
    return float(np.mean([w for time, _ in full for w in by_bus[time]]))


def test_a_bus_that_leaves_when_full_keeps_a_passenger_s_1_over_2_lambda_on_average() -> None:
    """Poisson arrivals at the stop at rate λ, buses of s seats that leave when full (the
    wait never ends first: a day, beyond the horizon), always one at the stop. The k-th
    boarder of a bus waits for the s − k after it, (s − k)/λ on average (memoryless gaps),
    and its place is uniform over 1..s: the mean is (s − 1)/(2λ). Each full bus whose
    first passenger boarded in the first 100 minutes counts (it fills in about s/λ = 50 s,
    so every one of them has left by the 2-hour horizon: the choice sees no later gap).
    Travellers reach the stop through 50 lanes of 1 s: a Poisson stream shifted by 1 s."""
    rate, seats = 0.2, 10
    data = {
        "name": "bus theory",
        "horizon": "2h",
        "flows": [{"name": "f", "arrivals": {"rate": rate}, "route": ["a", "b"]}],
        "stages": [
            {"name": "a", "lanes": [{"name": "l", "count": 50, "service": const(1)}],
             "transfer": {"shuttle": {"seats": seats, "ride": 0, "leaves": "when_full",
                                      "max_wait": "1d"}}},
            {"name": "b", "lanes": [{"name": "l", "count": 50, "service": const(1)}]},
        ],
    }  # fmt: skip
    waits = [_waits_for_full_buses(data, r, seats, before=6000) for r in range(REPLICATIONS)]
    assert_mean_matches(waits, (seats - 1) / (2 * rate), what="wait for the bus to leave")


@st.composite
def bus_ports(draw: st.DrawFn) -> dict[str, Any]:
    """A port whose travellers (Poisson, or at given times) pass a, ride a shuttle on
    demand (a few seats, a wait, a fleet or none) and pass b; the buses are often full,
    often late, often all away."""
    bus: dict[str, Any] = {
        "seats": draw(st.integers(1, 5)),
        "ride": draw(st.sampled_from([0, 5, 30.5, 120])),
        "max_wait": draw(st.sampled_from([1, 20, 60.25, 300])),
    }
    if draw(st.booleans()):
        bus["fleet"] = draw(st.integers(1, 3))
        if draw(st.booleans()):
            bus["back"] = draw(st.sampled_from([0, 10, 90]))
    if draw(st.booleans()):
        arrivals: dict[str, Any] = {"rate": draw(st.sampled_from([0.01, 0.1, 0.5]))}
    else:
        times = draw(st.lists(st.integers(0, 1500), min_size=1, max_size=40))
        arrivals = {"times": sorted(times)}
    service = draw(st.sampled_from([const(1), {"dist": "exponential", "mean": 3}]))
    return {
        "name": "bus property",
        "horizon": 1800,
        "flows": [{"name": "f", "arrivals": arrivals, "route": ["a", "b"]}],
        "stages": [
            {"name": "a", "lanes": [{"name": "l", "count": 2, "service": service}],
             "transfer": {"shuttle": {"leaves": "when_full", **bus}}},
            {"name": "b", "lanes": [{"name": "l", "count": 2, "service": const(1)}]},
        ],
    }  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(bus_ports(), st.integers(0, 3))
def test_buses_keep_their_seats_their_wait_and_their_fleet(data: dict[str, Any], seed: int) -> None:
    scenario = scenario_from_dict(data)
    bus = compile_scenario(scenario).shuttles[0]
    assert bus.max_wait is not None
    done = replicate(scenario, seed, 0)
    rec, log = done.records, done.counters.shuttle_departures[0]
    assert rec is not None
    # nobody lost: every traveller is served or still in port (at the stop, aboard, riding)
    overall = simulate(scenario, replications=1, seed=seed).per_replication[0]["overall"]
    assert overall["served"] + overall["unfinished"] == len(rec.entity_arrival)
    assert overall["served"] == np.sum(~np.isnan(rec.entity_exit))
    # whoever reached b got off a bus
    assert np.sum(rec.visit_stage == 1) <= sum(d[1] for d in log)
    previous = -math.inf
    for time, aboard, full, since, _ in log:
        assert 1 <= aboard <= bus.seats  # never more than its seats
        assert full == (aboard == bus.seats)
        # no later than its wait after its first boarder; a bus not full waited all of it
        assert since <= time <= since + bus.max_wait
        if not full:
            assert time == since + bus.max_wait
        assert since >= previous  # one bus takes passengers at a time
        previous = time
        if bus.fleet is not None:  # buses away at this instant, this one included
            away = sum(1 for d in log if d[0] <= time < d[0] + bus.away)
            assert away <= bus.fleet


FLEET_OF_ONE = {"seats": 2, "ride": 30, "max_wait": 100, "fleet": 1, "back": 50}


def test_the_run_reports_departures_full_buses_load_and_the_wait_for_the_bus() -> None:
    """The fleet of one above: 3 departures, 2 full (the third after its wait), 5 aboard
    (5/3 a bus), waits at the stop 10 + 80 + 130 = 220 s over 5 riders: 44 s. The text
    report says it in a section of its own."""
    result = simulate(scenario_from_dict(port([0, 10, 20, 100, 150], **FLEET_OF_ONE)))
    stage = result.per_replication[0]["stages"]["a"]
    assert stage["shuttle_departures"] == 3
    assert stage["shuttle_left_full"] == 2
    assert stage["shuttle_load_mean"] == 5 / 3
    assert stage["shuttle_wait_mean_s"] == 44
    assert "shuttle_departures" not in result.per_replication[0]["stages"]["b"]
    assert stage["shuttle_queue_mean"] == 220 / 1200
    assert stage["shuttle_queue_max"] == 1
    assert stage["shuttle_at_stop"] == 0
    assert math.isnan(stage["shuttle_censored_wait_mean_s"])
    text = format_report(result).splitlines()
    at = text.index(
        "Shuttles on demand (the wait for the bus to leave is in the time in port, not in the "
        "queue waits)"
    )
    assert text[at + 1 : at + 3] == [
        "- from a: 3 shuttle departures, 2 left full and 1 after their wait; mean load 1.7; "
        "mean wait for the bus to leave 44.0 s (those who left)",
        "  at the stop: mean at the stop 0.2, most at the stop 1",
    ]


def _queued(warmup: float = 0) -> dict[str, Any]:
    """The fleet of one (2 seats, away 30 + 50 s) with travellers at the stop at 1, 11,
    21, 31, 41, cut at 100."""
    data = port([0, 10, 20, 30, 40], horizon=100, **FLEET_OF_ONE)
    data["warmup"] = warmup
    return data


def test_the_queue_at_the_bus_stop_is_counted_and_who_is_left_there_is_censored() -> None:
    """e0 (1) and e1 (11) fill the bus, which leaves at 11 and is back at 91. e2 e3 e4
    reach the empty stop at 21, 31, 41: 1, 2, then 3 at the stop. The bus back at 91 takes
    e2 e3, full, and leaves at once; e4 is still there at the horizon, 100 − 41 = 59 s so
    far. At the stop: 1 over 1–11, 1 over 21–31, 2 over 31–41, 3 over 41–91, 1 over 91–100:
    10 + 10 + 20 + 150 + 9 = 199 person-seconds in 100 s, 1.99 on average, 3 at most. The
    wait for the bus of those who left: (10 + 0 + 70 + 60) / 4 = 35 s. The queue waits and
    the stage's queue stay 0: the wait for the bus is not a queue wait; the report says it."""
    result = simulate(scenario_from_dict(_queued()))
    stage = result.per_replication[0]["stages"]["a"]
    assert stage["shuttle_departures"] == 2
    assert stage["shuttle_wait_mean_s"] == 35
    assert stage["shuttle_queue_mean"] == 1.99
    assert stage["shuttle_queue_max"] == 3
    assert stage["shuttle_at_stop"] == 1
    assert stage["shuttle_censored_wait_mean_s"] == 59
    assert stage["shuttle_censored_wait_max_s"] == 59
    assert stage["queue_max"] == 0
    text = format_report(result)
    assert (
        "  at the stop: mean at the stop 2.0, most at the stop 3; 1 still at the stop at the "
        "end of the run, who had waited 59.0 s on average so far, 59.0 s at most (censored: "
        "at least this long)"
    ) in text.splitlines()
    assert (
        "- of them 1 at the bus stop of a, waiting for the bus 59.0 s on average so far, "
        "59.0 s at most (not in the waits above)"
    ) in text.splitlines()
    answer = run_answer(result)
    assert answer.headline.startswith("Travellers waited 0.0 s on average in the queues")
    assert answer.headline.endswith(", and 35.0 s for the bus at a.")
    assert (
        "At the bus stop of a, 1 were still waiting for the bus at the end of the run, for "
        "59.0 s on average so far (at least this long); at most 3 were at the stop at once."
    ) in answer.points
    streamed = simulate(scenario_from_dict(_queued()), records=False).per_replication[0]
    assert {k: v for k, v in streamed["stages"]["a"].items() if k.startswith("shuttle")} == {
        k: v for k, v in stage.items() if k.startswith("shuttle")
    }


def test_the_bus_stop_is_counted_from_the_end_of_the_warm_up() -> None:
    """The same port with a warm-up of 30 s: from 30, e2 is at the stop (1 over 30–31),
    then as above: 1 + 20 + 150 + 9 = 180 person-seconds in 70 s; 3 at most; the one
    departure after the warm-up (91) carried e2 e3, who waited 70 + 60 = 130 s: 65 s."""
    stage = simulate(scenario_from_dict(_queued(warmup=30))).per_replication[0]["stages"]["a"]
    assert stage["shuttle_departures"] == 1
    assert stage["shuttle_wait_mean_s"] == 65
    assert stage["shuttle_queue_mean"] == 180 / 70
    assert stage["shuttle_queue_max"] == 3
    assert stage["shuttle_at_stop"] == 1
    assert stage["shuttle_censored_wait_mean_s"] == 59


def test_a_timetabled_shuttle_reports_no_bus_metrics() -> None:
    data = port([0, 10], seats=2, ride=30, max_wait=100)
    data["stages"][0]["transfer"] = {"shuttle": {"every": 60, "seats": 2, "ride": 30}}
    result = simulate(scenario_from_dict(data), replications=1)
    assert not any("shuttle" in k for k in result.per_replication[0]["stages"]["a"])
    assert "Shuttles on demand" not in format_report(result)


def test_show_the_words_and_the_diagram_say_when_the_bus_leaves() -> None:
    scenario = scenario_from_dict(port([0], seats=40, ride=480, max_wait=600))
    lines = format_show(scenario).splitlines()
    assert (
        "  then: shuttle that leaves when full (40 seats) or 10.0 min after its first "
        "passenger, ride 8.0 min; a bus always at the stop"
    ) in lines
    fleet = scenario_from_dict(port([0], seats=40, ride=480, max_wait=600, fleet=3))
    assert (
        "  then: shuttle that leaves when full (40 seats) or 10.0 min after its first "
        "passenger, ride 8.0 min; a fleet of 3 buses, each away 16.0 min a trip"
    ) in format_show(fleet).splitlines()
    words = "\n".join(line for _, lines in describe_scenario(fleet) for line in lines)
    assert (
        "Then a shuttle that leaves when full (40 seats) or 10.0 min after its first "
        "passenger, riding 8.0 min; a fleet of 3 buses, each away 16.0 min a trip"
    ) in words
    root = ET.fromstring(diagram_svg(fleet))
    texts = {
        e.get("id"): [t.text for t in e.iter(f"{SVG}text")] for e in root.iter() if e.get("id")
    }
    assert texts["transfer-a-text"] == [
        "then a shuttle that leaves when full (40 seats)",
        "or 10.0 min after its first passenger",
        "ride 8.0 min; 3 buses, each away 16.0 min a trip",
    ]
    alone = ET.fromstring(diagram_svg(scenario))
    footer = next(e for e in alone.iter() if e.get("id") == "transfer-a-text")
    assert [t.text for t in footer.iter(f"{SVG}text")][
        -1
    ] == "ride 8.0 min; a bus always at the stop"


def test_a_fleet_too_small_for_its_stop_is_warned_before_the_run() -> None:
    """2 buses of 4 seats, away 5 + 4 min: at most 2 × 4 / 9 min = 53.3 an hour, against
    120 an hour through a (everyone rides). 5 buses carry 133 an hour: no warning."""
    data = {
        "name": "small fleet",
        "horizon": "2h",
        "flows": [{"name": "f", "arrivals": {"rate": "120/h"}, "route": ["a", "b"]}],
        "stages": [
            {"name": "a", "lanes": [{"name": "l", "count": 2, "service": const(10)}],
             "transfer": {"shuttle": {"seats": 4, "ride": "5min", "leaves": "when_full",
                                      "max_wait": "3min", "fleet": 2, "back": "4min"}}},
            {"name": "b", "lanes": [{"name": "l", "count": 2, "service": const(10)}]},
        ],
    }  # fmt: skip
    warned = overload_warnings(compile_scenario(scenario_from_dict(data)))
    assert warned == [
        "the shuttle from stage 'a': its 2 buses carry at most 53 an hour, fewer than the 120 "
        "an hour who reach it over the run: the queue at the stop grows without bound"
    ]
    data["stages"][0]["transfer"]["shuttle"]["fleet"] = 5
    assert overload_warnings(compile_scenario(scenario_from_dict(data))) == []


def _riders(optional_rate: str, locals_rate: str = "2000/h") -> dict[str, Any]:
    """2 buses of 20 seats from a, away 5 + 5 min: at most 2 × 20 / 10 min = 240 an hour.
    ``riders`` (100/h) pass a then b; ``locals`` only visit a (their last stop: no bus);
    ``some`` pass a and then b with probability 0.5 (half of them ride)."""
    return {
        "name": "who rides",
        "horizon": "2h",
        "flows": [
            {"name": "riders", "arrivals": {"rate": "100/h"}, "route": ["a", "b"]},
            {"name": "locals", "arrivals": {"rate": locals_rate}, "route": ["a"]},
            {"name": "some", "arrivals": {"rate": optional_rate},
             "route": ["a", {"stage": "b", "p": 0.5}]},
        ],
        "stages": [
            {"name": "a", "lanes": [{"name": "l", "count": 20, "service": const(10)}],
             "transfer": {"shuttle": {"seats": 20, "ride": "5min", "leaves": "when_full",
                                      "max_wait": "5min", "fleet": 2}}},
            {"name": "b", "lanes": [{"name": "l", "count": 5, "service": const(10)}]},
        ],
    }  # fmt: skip


def test_the_fleet_warning_counts_only_those_who_ride() -> None:
    """Riders 100/h and half of ``some`` (200/h) ride: 200 an hour, under the 240 the fleet
    carries: no warning, whatever the 2,000 locals who never ride. With ``some`` at 300/h,
    100 + 150 = 250 ride: over 240."""
    assert overload_warnings(compile_scenario(scenario_from_dict(_riders("200/h")))) == []
    warned = overload_warnings(compile_scenario(scenario_from_dict(_riders("300/h"))))
    assert warned == [
        "the shuttle from stage 'a': its 2 buses carry at most 240 an hour, fewer than the 250 "
        "an hour who reach it over the run: the queue at the stop grows without bound"
    ]


def test_one_bus_that_carries_just_as_many_as_come_is_worded_right() -> None:
    """1 bus of 10 seats, away 5 + 5 min: 60 an hour, as many as the 60 an hour who come
    (the queue at the stop cannot catch up, as at a load of 1)."""
    data = port([0], horizon=7200, seats=10, ride="5min", max_wait="10min", fleet=1)
    data["flows"][0]["arrivals"] = {"rate": "60/h"}
    warned = overload_warnings(compile_scenario(scenario_from_dict(data)))
    assert warned == [
        "the shuttle from stage 'a': its 1 bus carries at most 60 an hour, no more than the 60 "
        "an hour who reach it over the run: the queue at the stop grows without bound"
    ]


def test_the_guide_s_bus_loads_as_written() -> None:
    guide = (ROOT / "docs" / "scenario-files.md").read_text(encoding="utf-8")
    section = guide.split("\n### Shuttles that leave when full\n", 1)[1]
    crossing = load_yaml(section.split("```yaml\n", 1)[1].split("```", 1)[0])["crossing"]
    data = port([0], **crossing["shuttle"])
    bus = scenario_from_dict(data).stage("a").transfer
    assert isinstance(bus, ShuttleCrossing)
    assert bus.shuttle == OnDemandShuttle(
        seats=40, ride=480, leaves="when_full", max_wait=600, fleet=6, back=480
    )
    assert bus.shuttle.away == 960


class _Tables(HTMLParser):
    """The cells of each ``<table data-name=…>`` of a page, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.name: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.name = dict(attrs).get("data-name")
            self.tables[self.name or ""] = []
        elif tag == "tr" and self.name is not None:
            self.tables[self.name].append([])
        elif tag in {"td", "th"} and self.name is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self.name is not None and self.cell is not None:
            self.tables[self.name][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.name = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def test_the_html_report_has_a_table_of_the_buses() -> None:
    """The fleet of one above: the same figures as the text report (every replication
    alike: nothing in it is random)."""
    result = simulate(scenario_from_dict(port([0, 10, 20, 100, 150], **FLEET_OF_ONE)))
    parser = _Tables()
    parser.feed(run_report_html(result))
    assert parser.tables["shuttles"] == [
        ["", "shuttle departures", "left full", "mean load",
         "mean wait for the bus to leave (95 % interval)", "mean at the stop",
         "most at the stop", "still at the stop", "wait for the bus so far (mean)"],
        ["from a", "3", "2", "1.7", "44.0 s (44.0 – 44.0)", "0.2", "1", "0", "-"],
    ]  # fmt: skip


def test_a_bus_that_never_fills_leaves_its_wait_after_its_first_passenger() -> None:
    """Poisson arrivals at the stop at rate λ, buses too big to fill, a wait w. A bus takes
    its first passenger, then those who come in the next w (Poisson, λw on average), and
    leaves: it carries 1 + λw on average, and its passengers' waits add up to w for the
    first plus w/2 on average for each of the others, w(1 + λw/2). Each bus starts afresh
    (the gaps are memoryless), so the mean over the buses of a replication is unbiased for
    both. With λ = 0.05/s and w = 60 s: 4 aboard, 150 s of waiting a bus. The buses counted
    are those whose first passenger boarded in the first 100 minutes (all left by the
    2-hour horizon)."""
    rate, wait = 0.05, 60.0
    data = port([0], horizon=7200, seats=1000, ride=0, max_wait=wait)
    data["flows"][0]["arrivals"] = {"rate": rate}
    data["stages"][0]["lanes"][0]["count"] = 50
    data["stages"][1]["lanes"][0]["count"] = 50
    model = compile_scenario(scenario_from_dict(data))
    loads, waits = [], []
    for replication in range(REPLICATIONS):
        log = run_replication(model, 0, replication).counters.shuttle_departures[0]
        counted = [d for d in log if d[3] < 6000]
        assert not any(d[2] for d in counted)  # none full
        assert all(d[0] == d[3] + wait for d in counted)  # each left after its wait
        loads.append(np.mean([d[1] for d in counted]))
        waits.append(np.mean([d[4] for d in counted]))
    assert_mean_matches(loads, 1 + rate * wait, alpha=ALPHA / 2, what="aboard a bus")
    assert_mean_matches(
        waits, wait * (1 + rate * wait / 2), alpha=ALPHA / 2, what="waits of a bus's riders"
    )


def test_streaming_and_exact_give_the_same_bus_figures() -> None:
    """The bus figures come from the engine's log of departures, the same with or without
    per-entity records: equal to the last bit."""
    data = port([0], horizon=7200, seats=8, ride=60, max_wait=120, fleet=2, back=30)
    data["flows"][0]["arrivals"] = {"rate": 0.05}
    scenario = scenario_from_dict(data)
    exact = simulate(scenario, replications=2, seed=4).per_replication
    streamed = simulate(scenario, replications=2, seed=4, records=False).per_replication
    for a, b in zip(exact, streamed, strict=True):
        bus = {k: v for k, v in a["stages"]["a"].items() if k.startswith("shuttle")}
        assert len(bus) == 9  # departures, full, load, wait; the stop's queue and who is left
        streamed_bus = {k: v for k, v in b["stages"]["a"].items() if k.startswith("shuttle")}
        assert bus.keys() == streamed_bus.keys()
        for k, v in bus.items():  # NaN: nobody left at the stop, in both
            assert v == streamed_bus[k] or (math.isnan(v) and math.isnan(streamed_bus[k]))
        # the time in port as tests/test_streaming.py holds it (sums in another order)
        assert b["overall"]["system_time_mean_s"] == pytest.approx(
            a["overall"]["system_time_mean_s"], rel=1e-9, abs=0
        )


def test_a_sweep_of_fleets_shows_the_wait_for_the_bus_and_a_comparison_leads_with_time_in_port(
    tmp_path: Path,
) -> None:
    """The queue waits of a bus-bound port are all 0: a sweep's text shows the time in
    port, each stop's wait for the bus and who is left there; a comparison of such ports
    is judged on the time in port first (it holds the wait for the bus)."""
    data = port([0, 10, 20, 30, 40], horizon=300, **FLEET_OF_ONE)
    path = tmp_path / "bus.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = CliRunner().invoke(
        main, ["sweep", str(path), "--vary", "stages.a.transfer.shuttle.fleet=1:2:1", "-r", "1"]
    )
    assert out.exit_code == 0, out.output
    legend = [" ".join(line.split()) for line in out.output.splitlines()]
    for said in (
        "all travellers: time in port overall.system_time_mean_s",
        "stage a: mean wait for the bus to leave stages.a.shuttle_wait_mean_s",
        "stage a: still at the stop stages.a.shuttle_at_stop",
    ):
        assert said in legend
    bus = compile_scenario(scenario_from_dict(data))
    assert judged_on([bus, bus]) == (TIME_IN_PORT, WAIT_MEAN, WAIT_P95)
    data["stages"][0]["transfer"] = {"shuttle": {"every": 60, "seats": 2, "ride": 30}}
    timetabled = compile_scenario(scenario_from_dict(data))
    assert judged_on([timetabled, timetabled]) == (WAIT_MEAN, WAIT_P95, TIME_IN_PORT)
