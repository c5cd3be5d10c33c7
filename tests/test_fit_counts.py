"""``portsim fit counts``: a hand table gives its means exactly; arrivals drawn by the
scenario's own arrival model, counted by date and hour, fit back to the daily totals,
profiles and calendar they were drawn from; the YAML loads as a scenario."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import numpy as np
import pytest

from portsim import scenario_from_dict, simulate
from portsim.fit import DataError, fit_counts_file
from portsim.scenario.calendar import Calendar, CalendarDays
from portsim.scenario.yaml_io import load_yaml
from portsim.units import DAY, HOUR

MONDAY = datetime.date(2026, 3, 2)


def _write(path: Path, rows: list[tuple[object, ...]], header: tuple[str, ...]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_a_hand_table_gives_its_means_by_day_type(tmp_path: Path) -> None:
    """Monday 10 at 08:00 and 20 at 09:00; Tuesday 30 at 08:00 (09:00 missing: zero);
    Saturday 7 at 12:00. Weekday: 08:00 (10 + 30)/2 = 20, 09:00 20/2 = 10, total 30;
    weekend: 12:00 7, total 7. The calendar runs Monday to Saturday: five weekdays, one
    weekend day (the days the file skips take their type from their date)."""
    saturday = MONDAY + datetime.timedelta(days=5)
    rows = [
        (MONDAY, 8, 10),
        (MONDAY, "09:00", 20),
        (MONDAY + datetime.timedelta(days=1), 8, 30),
        (saturday, 12, 7),
    ]
    path = _write(tmp_path / "c.csv", rows, ("date", "hour", "count"))
    fit = fit_counts_file(path)
    (direction,) = fit.directions
    assert direction.days == {"weekday": 2, "weekend": 1}
    weekday = [0.0] * 24
    weekday[8], weekday[9] = 20.0, 10.0
    weekend = [0.0] * 24
    weekend[12] = 7.0
    assert direction.profile == {"weekday": tuple(weekday), "weekend": tuple(weekend)}
    assert direction.daily_total == {"weekday": 30.0, "weekend": 7.0}
    assert direction.missing_hours == 3 * 24 - 4
    assert fit.calendar == Calendar(
        start=MONDAY,
        days=(CalendarDays(type="weekday", repeat=5), CalendarDays(type="weekend")),
    )
    scenario = load_yaml(fit.yaml())
    assert scenario["flows"][0]["arrivals"]["daily_total"] == {"weekday": 30, "weekend": 7}
    assert scenario["calendar"]["days"] == [
        {"type": "weekday", "repeat": 5},
        {"type": "weekend"},
    ]


def test_one_day_type_gives_one_profile_and_no_calendar(tmp_path: Path) -> None:
    rows = [
        (MONDAY + datetime.timedelta(days=d), h, 2 * d + h) for d in range(7) for h in range(24)
    ]
    path = _write(tmp_path / "c.csv", rows, ("date", "hour", "count"))
    fit = fit_counts_file(path, every_day=True)
    (direction,) = fit.directions
    assert fit.calendar is None
    # hour h: the mean over d = 0..6 of 2d + h = 6 + h
    assert direction.arrivals() == {
        "daily_total": float(sum(6 + h for h in range(24))),
        "profile": tuple(float(6 + h) for h in range(24)),
    }
    assert "calendar" not in load_yaml(fit.yaml())


def test_day_types_from_a_column(tmp_path: Path) -> None:
    rows = [
        (MONDAY, 8, "normal", 5),
        (MONDAY + datetime.timedelta(days=1), 8, "festival_eve", 50),
        (MONDAY + datetime.timedelta(days=2), 8, "normal", 15),
    ]
    path = _write(tmp_path / "c.csv", rows, ("date", "hour", "kind", "count"))
    fit = fit_counts_file(path, day_type_column="kind")
    assert fit.directions[0].daily_total == {"normal": 10.0, "festival_eve": 50.0}
    assert fit.calendar is not None
    assert fit.calendar.day_types() == ("normal", "festival_eve", "normal")
    rows.append((MONDAY, 9, "festival_eve", 1))
    _write(path, rows, ("date", "hour", "kind", "count"))
    with pytest.raises(DataError, match="kind: row 5: 2026-03-02 is normal in an earlier row"):
        fit_counts_file(path, day_type_column="kind")


def _counted(tmp_path: Path, scenario_data: dict[str, object]) -> Path:
    """The scenario's arrivals of one replication, counted by date, hour and direction."""
    result = simulate(scenario_from_dict(scenario_data), 1, seed=26)
    records = result.records[0]
    rows = []
    for flow, name in enumerate(records.flow_names):
        times = records.entity_arrival[records.entity_flow == flow]
        counts = np.bincount((times // HOUR).astype(int), minlength=28 * 24)
        for index, count in enumerate(counts):
            day, hour = divmod(index, 24)
            rows.append((MONDAY + datetime.timedelta(days=day), hour, name, int(count)))
    return _write(tmp_path / "counted.csv", rows, ("date", "hour", "direction", "count"))


def test_arrivals_drawn_by_the_scenario_fit_back_to_what_drew_them(tmp_path: Path) -> None:
    """Four weeks of a daily profile by day type; each day type's daily total and each
    hour's weight are the means of Poisson counts over its days (20 weekdays, 8 weekend
    days): within 4.5 standard errors, sqrt(λ / days)."""
    weekday = [0, 0, 0, 0, 0, 0, 10, 40, 80, 60, 40, 30, 30, 30, 30, 40, 60, 80, 50, 30, 20,
               10, 5, 0]  # fmt: skip
    weekend = [5] * 6 + [20] * 12 + [10] * 6
    totals = {"weekday": 1200.0, "weekend": 2400.0}
    profiles = {"weekday": weekday, "weekend": weekend}
    calendar = {"start": str(MONDAY), "days": [{"type": "weekday", "repeat": 5},
                                                 {"type": "weekend", "repeat": 2}] * 4}  # fmt: skip
    path = _counted(tmp_path, {
        "name": "four weeks",
        "calendar": calendar,
        "flows": [{"name": "north", "arrivals": {"daily_total": totals, "profile": profiles},
                   "route": ["s"]}],
        "stages": [{"name": "s", "lanes": [{"name": "l", "count": 200,
                                            "service": {"dist": "constant", "value": "1s"}}]}],
    })  # fmt: skip
    fit = fit_counts_file(path, direction_column="direction")
    (north,) = fit.directions
    assert north.direction == "north"
    assert north.days == {"weekday": 20, "weekend": 8}
    assert north.missing_hours == 0
    assert fit.calendar == Calendar(
        start=MONDAY,
        days=(CalendarDays(type="weekday", repeat=5), CalendarDays(type="weekend", repeat=2)) * 4,
    )
    for kind, days in north.days.items():
        total = totals[kind]
        assert abs(north.daily_total[kind] - total) <= 4.5 * np.sqrt(total / days)
        weights = np.asarray(profiles[kind], dtype=float)
        expected = total * weights / weights.sum()
        got = np.asarray(north.profile[kind])
        assert np.all(np.abs(got - expected) <= 4.5 * np.sqrt(expected / days) + 1e-12)
    # and the YAML loads into a scenario that runs the same four weeks
    pasted = load_yaml(fit.yaml())
    pasted |= {"name": "fitted"}
    pasted["flows"][0]["route"] = ["s"]
    lane = {"name": "l", "count": 1, "service": {"dist": "constant", "value": "1s"}}
    pasted["stages"] = [{"name": "s", "lanes": [lane]}]
    scenario = scenario_from_dict(pasted)
    assert scenario.calendar == fit.calendar
    assert scenario.horizon == 28 * DAY
