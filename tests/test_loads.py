"""Timed arrivals with loads (``times: [{at: 06:02, load: 612}, …]``): each train brings
exactly its load at its time, with no random number drawn for it. Exact event logs derived by
hand, careless input answered in one line, a forecast from a state that brings only the
trains still to come, and properties: the arrivals' count is the sum of the loads, every
member at its train's time, whatever the rest of the port does."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from portsim import LoadedArrivals, TimedLoad, load_scenario, scenario_from_dict, simulate
from portsim.cli import main
from portsim.errors import ScenarioError
from portsim.model.compile import compile_scenario
from portsim.model.initial import start_from
from portsim.report.diagram import diagram_svg
from portsim.scenario.load import dump_scenario
from portsim.scenario.state import state_from_dict
from portsim.scenario.yaml_io import load_yaml

from .helpers import Row, const, event_log, run_model, visit_rows

SVG = "{http://www.w3.org/2000/svg}"


def port(
    arrivals: dict[str, Any], *, service: float = 10, count: int = 1, **parts: Any
) -> dict[str, Any]:
    """One flow of trains through a hall of ``count`` counters of constant ``service``."""
    return {
        "name": "trains",
        "horizon": parts.pop("horizon", 600),
        "flows": [{"name": "train", "arrivals": arrivals, "route": ["hall"]}],
        "stages": [
            {
                "name": "hall",
                "lanes": [{"name": "counter", "count": count, "service": const(service)}],
            }
        ],
        **parts,
    }


def loaded(*trains: tuple[float | str, int]) -> dict[str, Any]:
    return {"times": [{"at": at, "load": load} for at, load in trains]}


# ------------------------------------------------------------------------- event logs


def test_three_trains_at_a_d1_counter_every_wait_known() -> None:
    """Trains at 0 (load 3), 15 (load 1) and 40 (load 2); one counter of 10 s.

    Train 1's three arrive together at 0: e0 is served 0-10, e1 waits for 10-20, e2 for
    20-30 (waits 0, 10, 20). Train 2's one, e3, comes at 15 behind them: 30-40 (wait 15).
    Train 3's two come at 40, the instant e3 leaves: e4 takes the counter at 40, 40-50
    (wait 0), e5 after it, 50-60 (wait 10)."""
    rows, entities = event_log(port(loaded((0, 3), (15, 1), (40, 2))))
    assert entities == [("train", t) for t in (0.0, 0.0, 0.0, 15.0, 40.0, 40.0)]
    assert rows == [
        Row(0, 0, "hall", "counter", 0, 0, 0, 10, 10),
        Row(1, 0, "hall", "counter", 0, 0, 10, 20, 20),
        Row(2, 0, "hall", "counter", 0, 0, 20, 30, 30),
        Row(3, 0, "hall", "counter", 0, 15, 30, 40, 40),
        Row(4, 0, "hall", "counter", 0, 40, 40, 50, 50),
        Row(5, 0, "hall", "counter", 0, 40, 50, 60, 60),
    ]
    assert [r.start - r.join for r in rows if r.start is not None and r.join is not None] == [
        0, 10, 20, 15, 0, 10,
    ]  # fmt: skip


def test_a_load_of_one_is_a_plain_time_bit_for_bit() -> None:
    """Loads of 1 at given times run exactly as those plain times: every visit of every
    replication, with a random flow beside them and random service times (a load draws no
    random number, so no other stream moves)."""

    def run(trains: dict[str, Any]) -> list[list[Row]]:
        data = port(trains, service=0, horizon="2h", replications=3)
        data["stages"][0]["lanes"][0]["service"] = {"dist": "exponential", "mean": "50s"}
        data["flows"].append({"name": "walkers", "arrivals": {"rate": "60/h"}, "route": ["hall"]})
        result = simulate(scenario_from_dict(data), 3, seed=7)
        return [visit_rows(r) for r in result.records]

    times = [0, 30, 30, 600, 1800, 4000]
    plain = run({"times": times})
    assert run(loaded(*((t, 1) for t in times))) == plain
    assert sum(len(rows) for rows in plain) > 3 * len(times)  # the walkers came too


def test_loads_do_not_depend_on_the_seed() -> None:
    data = port(loaded(("00:01", 4), ("00:03", 2)), horizon=900)
    for seed in (1, 2, 99):
        arrived = simulate(scenario_from_dict(data), 1, seed=seed).records[0].entity_arrival
        assert [float(t) for t in arrived] == [60.0] * 4 + [180.0] * 2


def test_a_forecast_from_a_state_brings_only_the_trains_still_to_come() -> None:
    """State at 100 s, nobody in the hall. Trains at 0 (3, before the state: not brought),
    100 (2: at the state's time, after the observed) and 130 (1); one counter of 10 s:
    e0 and e1 at 100 take 100-110 and 110-120; e2 at 130 takes 130-140."""
    data = port(loaded((0, 3), (100, 2), (130, 1)))
    model = start_from(compile_scenario(scenario_from_dict(data)), state_from_dict({"at": 100}))
    records = run_model(model, 0, 0).records
    assert records is not None
    assert visit_rows(records) == [
        Row(0, 0, "hall", "counter", 0, 100, 100, 110, 110),
        Row(1, 0, "hall", "counter", 0, 100, 110, 120, 120),
        Row(2, 0, "hall", "counter", 0, 130, 130, 140, 140),
    ]


def test_the_expected_demand_counts_the_loads() -> None:
    """The rate the checks and plans read counts the travellers the loads bring, by hour:
    150 in hour 6, 250 + 200 in hour 7, and the 09:15 train, past the 8 h horizon, not at
    all."""
    data = port(
        loaded(("06:30", 150), ("07:00", 250), ("07:00", 200), ("09:15", 100)), horizon="8h"
    )
    flow = compile_scenario(scenario_from_dict(data)).flows[0]
    assert flow.party_size == 1.0
    assert flow.entity_rate.expected(6 * 3600, 7 * 3600) == pytest.approx(150)
    assert flow.entity_rate.expected(7 * 3600, 8 * 3600) == pytest.approx(450)
    assert flow.entity_rate.expected(0, 8 * 3600) == pytest.approx(600)


# ----------------------------------------------------------------------- the format


def test_the_file_form_round_trips_and_python_objects_are_the_same() -> None:
    scenario = scenario_from_dict(port(loaded(("06:02", 612), ("06:10", 540)), horizon="8h"))
    arrivals = scenario.flows[0].arrivals
    assert arrivals == LoadedArrivals(
        times=(TimedLoad(at=6 * 3600 + 120, load=612), TimedLoad(at=6 * 3600 + 600, load=540))
    )
    assert scenario_from_dict(dump_scenario(scenario)) == scenario
    with pytest.raises(ValueError, match="must not decrease"):
        LoadedArrivals(times=(TimedLoad(at=10, load=1), TimedLoad(at=5, load=1)))


CARELESS = [
    (
        loaded((0, 0)),
        "flows.train.arrivals.times.0.load: must be greater than or equal to 1",
    ),
    (
        loaded((0, 250_000)),
        "flows.train.arrivals.times.0.load: must be less than or equal to 100000",
    ),
    (
        loaded((0, 1.5)),  # type: ignore[arg-type]
        "flows.train.arrivals.times.0.load: must be a valid integer, not 1.5",
    ),
    (
        loaded((0, True)),
        "flows.train.arrivals.times.0.load: true is not a number: write a number here",
    ),
    (
        {"times": [{"at": 0}]},
        "flows.train.arrivals.times.0.load: required field is missing",
    ),
    (
        {"times": [{"at": 0, "passengers": 3}]},
        "flows.train.arrivals.times.0.passengers: unknown field (fields here: at, load)",
    ),
    (
        {"times": [{"at": 0, "load": 3}, 60]},
        "flows.train.arrivals.times.1: every time needs its load when one has it: write {at: "
        '"06:02", load: 612} (or leave out every load: plain times bring one each)',
    ),
    (
        {**loaded((0, 3)), "group": {"dist": "constant", "value": 2}},
        "flows.train.arrivals: each time brings exactly its load: a group would draw another "
        "size; leave out group (or the loads)",
    ),
    (
        {"times": [0, 60], "loads": [3, 1]},
        'flows.train.arrivals: write each time beside its load, times: [{at: "06:02", load: '
        "612}, …], not a list of loads beside the list of times",
    ),
    (
        {"times": [0, 60, 90], "loads": [3, 1]},
        'flows.train.arrivals: write each time beside its load, times: [{at: "06:02", load: '
        "612}, …], not a list of loads beside the list of times",
    ),
    (
        loaded((60, 3), (30, 1)),
        "flows.train.arrivals: times must not decrease (30 s comes after 60 s)",
    ),
    (
        {"times": []},
        "flows.train.arrivals.times: needs at least one item",
    ),
]


@pytest.mark.parametrize(("arrivals", "message"), CARELESS)
def test_careless_loads_are_answered_in_one_line(arrivals: dict[str, Any], message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict(port(arrivals))
    assert str(caught.value) == message


def test_the_cli_answers_a_careless_load_in_one_line_before_the_run(tmp_path: Path) -> None:
    path = tmp_path / "trains.yaml"
    path.write_text(
        "name: trains\nhorizon: 8h\n"
        "flows:\n  - name: train\n    arrivals:\n      times:\n"
        "        - {at: 06:02, load: 612}\n        - {at: 06:10, load: 0}\n"
        "    route: [hall]\n"
        "stages:\n  - name: hall\n    lanes:\n"
        "      - {name: counter, count: 1, service: {dist: constant, value: 10s}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["run", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"{path}: flows.train.arrivals.times.1.load: must be greater than or equal to 1\n"
    )


# ------------------------------------------------------------------------- properties

trains = st.lists(st.tuples(st.integers(0, 3600), st.integers(1, 40)), min_size=1, max_size=15)


@settings(max_examples=40, deadline=None)
@given(trains, st.integers(1, 3), st.integers(0, 2**16))
def test_the_arrivals_are_the_loads_at_their_times(
    given_trains: list[tuple[int, int]], counters: int, seed: int
) -> None:
    """Any timetable, any number of counters, any seed: the run's arrivals number the sum of
    the loads, every member at its train's time (counted by time), in the order of the
    times."""
    ordered = sorted(given_trains, key=lambda train: train[0])
    data = port(loaded(*ordered), service=20, count=counters, horizon="2h")
    arrived = [
        float(t) for t in simulate(scenario_from_dict(data), 1, seed=seed).records[0].entity_arrival
    ]
    assert len(arrived) == sum(load for _, load in ordered)
    expected: Counter[float] = Counter()
    for at, load in ordered:
        expected[float(at)] += load
    assert Counter(arrived) == expected
    assert arrived == sorted(arrived)


@settings(max_examples=25, deadline=None)
@given(trains, st.integers(1, 3600))
def test_a_state_s_time_splits_the_timetable(given_trains: list[tuple[int, int]], at: int) -> None:
    """From a state at ``at``, exactly the trains at or after it arrive, each with its load."""
    ordered = sorted(given_trains, key=lambda train: train[0])
    data = port(loaded(*ordered), service=1, count=50, horizon="2h")
    model = start_from(compile_scenario(scenario_from_dict(data)), state_from_dict({"at": at}))
    records = run_model(model, 0, 0).records
    assert records is not None
    expected: Counter[float] = Counter()
    for time, load in ordered:
        if time >= at:
            expected[float(time)] += load
    assert Counter(float(t) for t in records.entity_arrival) == expected


def test_the_guide_s_timetable_with_loads_loads_and_runs() -> None:
    """docs/scenario-files.md, "A timetable with loads": its flow, in a hall, brings 612 at
    06:02 and 540 + 38 at 06:10."""
    guide = (Path(__file__).resolve().parent.parent / "docs" / "scenario-files.md").read_text(
        encoding="utf-8"
    )
    section = guide.split("\n### A timetable with loads\n", 1)[1]
    flow = load_yaml(section.split("```yaml\n", 1)[1].split("```", 1)[0])[0]
    data = port(flow["arrivals"], horizon="7h", count=20)
    arrived = simulate(scenario_from_dict(data), 1, seed=1).records[0].entity_arrival
    assert Counter(float(t) for t in arrived) == {6 * 3600 + 120: 612, 6 * 3600 + 600: 578}


def test_a_streamed_run_agrees_with_the_recorded_one() -> None:
    """The fitted port's trains (each its load) with its random northbound flow, one weekday
    to 12:00: the tables streamed without records are those computed from the records."""
    from .test_streaming import assert_runs_agree  # noqa: PLC0415 - its helper

    s = load_scenario(_fitted_port(), ["calendar.days=[{type: weekday}]", "horizon=12h"])
    assert isinstance(s.flows[1].arrivals, LoadedArrivals)
    assert assert_runs_agree(s, 2, 3) > 100  # percentiles compared


def _fitted_port() -> Path:
    return Path(__file__).resolve().parent.parent / "examples" / "data" / "fitted_port.yaml"


def test_show_and_the_diagram_say_the_timetable_s_loads() -> None:
    """examples/data/fitted_port.yaml's 32 trains bring 120 to 420 each, 7,440 in all, from
    06:30 to 22:00 (the numbers of examples/data/train_timetable.csv)."""
    shown = CliRunner().invoke(main, ["show", str(_fitted_port())])
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    at = lines.index("  train_passengers: immigration")
    assert lines[at + 1] == (
        "    arrive 7,440 in all, in 32 loads at given times (120 to 420 at once), from 06:30 "
        "to 22:00"
    )
    root = ET.fromstring(diagram_svg(load_scenario(_fitted_port())))
    box = next(e for e in root.iter() if e.get("id") == "flow-train_passengers-text")
    assert [t.text for t in box.iter(f"{SVG}text")] == ["travellers", "7,440 in 32 timed loads"]
