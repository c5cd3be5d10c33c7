"""``portsim fit timetable``: a timetable round-trips to the arrivals it came from, exactly
(each train's time and load), through the format's timed arrivals with groups, as the engine
runs them; loads too many to list are rounded to a coarser group, and the fit says so."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest

from portsim import scenario_from_dict, simulate
from portsim.fit import DataError, fit_timetable, fit_timetable_file
from portsim.fit.timetable import MAX_TIMES
from portsim.scenario.yaml_io import load_yaml
from portsim.units import HOUR

#: (time, load): 06:30 150, 07:00 200, 07:00 250 (two trains at once), 09:15:30 100
TRAINS = [(6.5 * HOUR, 150), (7 * HOUR, 200), (7 * HOUR, 250), (9.25 * HOUR + 30, 100)]


def _expanded(times: tuple[float, ...], group: int) -> Counter[float]:
    """Passengers arriving at each time."""
    return Counter({t: n * group for t, n in Counter(times).items()})


def _by_time(trains: list[tuple[float, int]]) -> Counter[float]:
    out: Counter[float] = Counter()
    for time, load in trains:
        out[time] += load
    return out


def test_a_timetable_round_trips_through_timed_arrivals_with_groups() -> None:
    fit = fit_timetable(list(reversed(TRAINS)))
    assert fit.group == math.gcd(150, 200, 250, 100) == 50
    assert fit.arrivals.times == (6.5 * HOUR,) * 3 + (7 * HOUR,) * 9 + (9.25 * HOUR + 30,) * 2
    assert fit.arrivals.group is not None
    assert fit.arrivals.group.value == 50
    assert _expanded(fit.arrivals.times, fit.group) == _by_time(TRAINS)
    assert fit.passengers == fit.arriving == 700
    assert fit.notes() == ()
    pasted = load_yaml(fit.yaml())["arrivals"]
    assert pasted["times"][:4] == ["06:30", "06:30", "06:30", "07:00"]
    assert pasted["times"][-1] == "09:15:30"
    assert pasted["group"] == {"dist": "constant", "value": 50}


def test_the_engine_brings_each_train_s_load_at_its_time() -> None:
    """The pasted arrivals run: every passenger of each train arrives at its time."""
    fit = fit_timetable(TRAINS)
    scenario = scenario_from_dict({
        "name": "trains",
        "horizon": "12h",
        "flows": [{"name": "train", "arrivals": load_yaml(fit.yaml())["arrivals"],
                   "route": ["hall"]}],
        "stages": [{"name": "hall", "lanes": [{"name": "gates", "count": 5,
                                               "service": {"dist": "constant", "value": "2s"}}]}],
    })  # fmt: skip
    records = simulate(scenario, 1, seed=1).records[0]
    arrived = Counter(float(t) for t in records.entity_arrival)
    assert arrived == _by_time(TRAINS)


def test_loads_too_many_to_list_are_rounded_to_a_round_group() -> None:
    """Loads 1,001 and 1,999 six times a day (gcd 1: 18,000 arrivals, more than a list of
    5,000 holds) are rounded to groups of 5 (groups of 2 would list 9,000); each train moves
    by 1 passenger (1/1,001 of the smaller), and the fit says so first, though the day's total
    is kept."""
    trains = [(h * HOUR, load) for h in range(6, 18) for load in ((1001,) if h % 2 else (1999,))]
    assert sum(load for _, load in trains) > 5000
    fit = fit_timetable(trains, max_times=5000)
    assert fit.group == 5
    assert len(fit.arrivals.times) == 6 * 200 + 6 * 400 <= 5000
    assert fit.arriving == 18_000
    assert fit.passengers == 18_000
    assert fit.notes() == (
        "loads rounded to multiples of 5 to list at most 5,000 times (--max-times): each train "
        "within 1 passenger of its load (at most 0.1%), 18,000 passengers a day instead of "
        "18,000",
    )
    uneven = fit_timetable([(6 * HOUR, 1001), (7 * HOUR, 5998)], max_times=5000)
    assert uneven.group == 2
    assert uneven.arriving == 2 * (500 + 2999)
    assert uneven.notes()[0].endswith(f"{uneven.arriving:,} passengers a day instead of 6,999")


def test_the_reviewed_loads_list_at_most_500_times_and_say_how_far_they_moved() -> None:
    """Loads 123, 417 and 20 (gcd 1) listed 560 times; by default at most 500 are listed:
    groups of 2 (62 + 208 + 10 = 280 times: 208.5 rounds to even), the 123 and the 417
    each moved by 1 (the 123 by 0.8 %), and the day's 560 stays 560. Each time comes after
    a comment giving its load. ``max_times=560`` keeps every load exactly, one time per
    passenger."""
    trains = [(6.5 * HOUR, 123), (7 * HOUR, 417), (7.5 * HOUR, 20)]
    fit = fit_timetable(trains)
    assert MAX_TIMES == 500
    assert fit.group == 2
    assert len(fit.arrivals.times) == 62 + 208 + 10
    assert fit.notes() == (
        "loads rounded to multiples of 2 to list at most 500 times (--max-times): each train "
        "within 1 passenger of its load (at most 0.8%), 560 passengers a day instead of 560",
    )
    lines = fit.yaml().splitlines()
    assert lines[2] == "    # 06:30: 123 passengers, 62 groups of 2 (124 arrive)"
    assert "    # 07:00: 417 passengers, 208 groups of 2 (416 arrive)" in lines
    assert "    # 07:30: 20 passengers, 10 groups of 2" in lines
    pasted = load_yaml(fit.yaml())["arrivals"]
    assert pasted["times"].count("07:00") == 208
    exact = fit_timetable(trains, max_times=560)
    assert exact.group == 1
    assert exact.notes() == ()
    assert _expanded(exact.arrivals.times, 1) == _by_time(trains)


def test_a_train_of_less_than_half_a_group_is_said() -> None:
    """A train of 1 among trains of 1,999 (10,000 passengers at groups of 1 would list
    more than 5,000 times): groups of 2, and the train of 1 is left out."""
    fit = fit_timetable([(6 * HOUR, 1)] + [(7 * HOUR + k * 60, 1999) for k in range(5)],
                        max_times=5000)  # fmt: skip
    assert fit.group == 2
    assert fit.arrivals.times[0] == 7 * HOUR
    assert fit.notes() == (
        "loads rounded to multiples of 2 to list at most 5,000 times (--max-times): each train "
        "within 1 passenger of its load (at most 100.0%), 10,000 passengers a day instead of "
        "9,996; 1 train of less than half a group left out",
    )
    assert "    # 06:00: 1 passenger, 0 groups of 2 (left out)" in fit.yaml().splitlines()


def test_a_file_of_departures_with_the_ride(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("train,departs,load\nK1,06:05,120\nK2,06:35,0\nK3,07:05,180\n")
    fit = fit_timetable_file(path, time_column="departs", load_column="load", travel="25min")
    assert fit.trains == ((6.5 * HOUR, 120), (7.5 * HOUR, 180))  # the empty train brings nobody
    assert fit.group == 60
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
    assert arrivals["times"] == ["22:25", "24.25h"]
    scenario = scenario_from_dict({
        "name": "late coach", "horizon": "25h",
        "flows": [{"name": "coach", "arrivals": arrivals, "route": ["hall"]}],
        "stages": [{"name": "hall", "lanes": [{"name": "gates", "count": 40,
                                              "service": {"dist": "constant", "value": "1s"}}]}],
    })  # fmt: skip
    arrived = Counter(float(t) for t in simulate(scenario, 1, seed=1).records[0].entity_arrival)
    assert arrived == {22 * HOUR + 25 * 60: 40, 24.25 * HOUR: 40}
