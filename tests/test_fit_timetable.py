"""``portsim fit timetable``: a timetable round-trips to the arrivals it came from, exactly
(each train's time and load), through the format's timed arrivals with loads, as the engine
runs them: a CSV file → the YAML it prints → a scenario → the arrivals of a run, counted by
time."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from portsim import scenario_from_dict, simulate
from portsim.fit import DataError, fit_timetable, fit_timetable_file
from portsim.scenario.loads import LoadedArrivals
from portsim.scenario.yaml_io import load_yaml
from portsim.units import HOUR

#: (time, load): 06:30 150, 07:00 200, 07:00 250 (two trains at once), 09:15:30 100
TRAINS = [(6.5 * HOUR, 150), (7 * HOUR, 200), (7 * HOUR, 250), (9.25 * HOUR + 30, 100)]


def _by_time(trains: list[tuple[float, int]]) -> Counter[float]:
    out: Counter[float] = Counter()
    for time, load in trains:
        out[time] += load
    return out


def _arrived(arrivals: dict[str, object], horizon: str = "12h") -> Counter[float]:
    """The arrivals a run of one replication makes of a flow's pasted ``arrivals:``, by time."""
    scenario = scenario_from_dict({
        "name": "trains", "horizon": horizon,
        "flows": [{"name": "train", "arrivals": arrivals, "route": ["hall"]}],
        "stages": [{"name": "hall", "lanes": [{"name": "gates", "count": 5,
                                               "service": {"dist": "constant", "value": "2s"}}]}],
    })  # fmt: skip
    return Counter(float(t) for t in simulate(scenario, 1, seed=1).records[0].entity_arrival)


def test_a_timetable_round_trips_through_timed_arrivals_with_loads() -> None:
    """Each train one line, its time beside its load; two trains at 07:00 stay two lines,
    in the order given."""
    fit = fit_timetable(list(reversed(TRAINS)))
    assert fit.arrivals.at == (6.5 * HOUR, 7 * HOUR, 7 * HOUR, 9.25 * HOUR + 30)
    assert fit.arrivals.loads == (150, 250, 200, 100)
    assert fit.passengers == fit.arrivals.total == 700
    assert fit.notes() == ()
    assert fit.yaml() == (
        "arrivals:\n  times:\n    - {at: 06:30, load: 150}\n    - {at: 07:00, load: 250}\n"
        "    - {at: 07:00, load: 200}\n    - {at: 09:15:30, load: 100}\n"
    )
    pasted = load_yaml(fit.yaml())["arrivals"]
    assert scenario_from_dict({
        "name": "t", "horizon": "12h", "stages": [{"name": "hall", "lanes": [
            {"name": "gates", "count": 1, "service": {"dist": "constant", "value": 1}}]}],
        "flows": [{"name": "train", "arrivals": pasted, "route": ["hall"]}],
    }).flows[0].arrivals == fit.arrivals  # fmt: skip


def test_the_engine_brings_each_train_s_load_at_its_time() -> None:
    """The pasted arrivals run: every passenger of each train arrives at its time."""
    fit = fit_timetable(TRAINS)
    assert _arrived(load_yaml(fit.yaml())["arrivals"]) == _by_time(TRAINS)


def test_uneven_loads_are_kept_exactly_however_many_passengers() -> None:
    """Loads 123, 417 and 20 share no divisor but 1: each is written as it is, three lines
    (the format with one group per source had to list 560 times or round them); and loads of
    thousands, 1,001 and 1,999 twelve times a day, are twelve lines, nothing rounded."""
    trains = [(6.5 * HOUR, 123), (7 * HOUR, 417), (7.5 * HOUR, 20)]
    fit = fit_timetable(trains)
    assert fit.yaml().splitlines()[2:] == [
        "    - {at: 06:30, load: 123}",
        "    - {at: 07:00, load: 417}",
        "    - {at: 07:30, load: 20}",
    ]
    assert fit.notes() == ()
    assert _arrived(load_yaml(fit.yaml())["arrivals"]) == _by_time(trains)
    many = [(h * HOUR, 1001 if h % 2 else 1999) for h in range(6, 18)]
    big = fit_timetable(many)
    assert len(big.yaml().splitlines()) == 2 + 12
    assert big.passengers == 18_000
    assert _arrived(load_yaml(big.yaml())["arrivals"], "18h") == _by_time(many)


def test_the_example_file_round_trips_from_csv_to_the_run_s_arrivals() -> None:
    """examples/data/train_timetable.csv → the YAML → a scenario → the engine's arrivals:
    at each train's time, exactly its load (counted by time, from the file itself)."""
    path = Path(__file__).resolve().parent.parent / "examples" / "data" / "train_timetable.csv"
    fit = fit_timetable_file(path)
    rows = [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()[1:]]
    expected: Counter[float] = Counter()
    for _, clock, load in rows:
        hours, minutes = clock.split(":")
        expected[int(hours) * HOUR + int(minutes) * 60] += int(load)
    assert isinstance(fit.arrivals, LoadedArrivals)
    assert fit.passengers == sum(expected.values())
    assert _arrived(load_yaml(fit.yaml())["arrivals"], "24h") == expected


def test_a_file_of_departures_with_the_ride(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("train,departs,load\nK1,06:05,120\nK2,06:35,0\nK3,07:05,180\n")
    fit = fit_timetable_file(path, time_column="departs", load_column="load", travel="25min")
    assert fit.trains == ((6.5 * HOUR, 120), (7.5 * HOUR, 180))  # the empty train brings nobody
    assert fit.notes() == ("1 train of no passengers left out (load 0)",)
    path.write_text("train,departs,load\nK1,6.5h,120\n")
    with pytest.raises(DataError, match=r"departs: row 2: '6.5h' is not a clock time"):
        fit_timetable_file(path, time_column="departs", load_column="load")
    path.write_text("train,departs,load\nK1,06:05,0\n")
    with pytest.raises(DataError, match="load: every load is zero: nobody would arrive"):
        fit_timetable_file(path, time_column="departs", load_column="load")


def test_a_ride_past_midnight_is_carried_to_the_next_day_and_said(tmp_path: Path) -> None:
    """A coach leaving at 23:50 with a 25-minute ride arrives at 00:15 the next day: 24.25 h
    from 00:00 of day 1, listed as ``24.25h``, which the format reads back as such, and the
    fit says a scenario must run past 24 h to bring them; a run of 25 h brings all 40."""
    path = tmp_path / "t.csv"
    path.write_text("departs,load\n22:00,40\n23:50,40\n")
    fit = fit_timetable_file(path, time_column="departs", load_column="load", travel="25min")
    assert fit.trains == ((22 * HOUR + 25 * 60, 40), (24.25 * HOUR, 40))
    assert fit.notes() == (
        "1 train arrives after 24:00, on the next day (the first at 00:15, listed as 24.25h): "
        "a scenario must run past 24h to bring them",
    )
    arrivals = load_yaml(fit.yaml())["arrivals"]
    assert arrivals["times"] == [{"at": "22:25", "load": 40}, {"at": "24.25h", "load": 40}]
    scenario = scenario_from_dict({
        "name": "late coach", "horizon": "25h",
        "flows": [{"name": "coach", "arrivals": arrivals, "route": ["hall"]}],
        "stages": [{"name": "hall", "lanes": [{"name": "gates", "count": 40,
                                              "service": {"dist": "constant", "value": "1s"}}]}],
    })  # fmt: skip
    arrived = Counter(float(t) for t in simulate(scenario, 1, seed=1).records[0].entity_arrival)
    assert arrived == {22 * HOUR + 25 * 60: 40, 24.25 * HOUR: 40}


def test_a_load_more_than_a_train_brings_is_refused_with_its_row(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("arrival,passengers\n06:00,10\n06:30,250000\n")
    with pytest.raises(DataError, match=r"passengers: row 3: 250,000 is more than one train "
                       r"brings \(at most 100,000\)"):  # fmt: skip
        fit_timetable_file(path)
