"""Deterministic arrivals: ``{every, from, to}`` timetables and explicit ``{times: […]}``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from portsim import TimedArrivals, scenario_from_dict, simulate
from portsim.cli import main

from .helpers import records_of


def _data(arrivals: dict[str, Any], horizon: Any = 100, **extra: Any) -> dict[str, Any]:
    return {
        "name": "arrivals",
        "horizon": horizon,
        "flows": [{"name": "walkers", "arrivals": arrivals, "route": ["desk"]}],
        "stages": [
            {
                "name": "desk",
                "lanes": [
                    {"name": "clerks", "count": 1, "service": {"dist": "constant", "value": 10}}
                ],
            }
        ],
        **extra,
    }


def _arrival_times(arrivals: dict[str, Any], horizon: Any = 100) -> list[float]:
    records = records_of(scenario_from_dict(_data(arrivals, horizon)), 0, 0)
    return [float(t) for t in records.entity_arrival]


@pytest.mark.parametrize(
    ("arrivals", "expected"),
    [
        ({"every": 10, "from": 5, "to": 40}, [5, 15, 25, 35]),  # 'to' itself is excluded
        ({"every": "25s"}, [0, 25, 50, 75]),  # from 0 to before the horizon (100)
        ({"every": 30, "to": 1000}, [0, 30, 60, 90]),  # 'to' past the horizon: the horizon
        ({"every": 40, "from": 20}, [20, 60]),
        ({"every": "0.5min", "from": "1min", "to": "2min"}, [60, 90]),
    ],
)
def test_every_arrives_on_the_timetable(arrivals: dict[str, Any], expected: list[float]) -> None:
    assert _arrival_times(arrivals) == expected


def test_times_at_or_after_the_horizon_are_dropped() -> None:
    times = [0, 50, 99.5, 100, 100, 150]
    assert _arrival_times({"times": times}) == [0, 50, 99.5]


def test_arrivals_at_one_instant_keep_their_order() -> None:
    """Three walkers at 3 s: entities 0, 1, 2 in that order, served one after another."""
    records = records_of(scenario_from_dict(_data({"times": [0, 3, 3, 3]})), 0, 0)
    assert records.entity_arrival.tolist() == [0, 3, 3, 3]
    assert records.visit_entity.tolist() == [0, 1, 2, 3]
    assert records.visit_start.tolist() == [0, 10, 20, 30]
    assert records.visit_end.tolist() == [10, 20, 30, 40]


def test_two_flows_at_one_instant_take_turns_in_flow_order() -> None:
    """Each flow schedules its next arrival as the previous one comes: at one instant the
    flows' first arrivals come in flow order, then each flow's next one in turn."""
    data = _data({"times": [7, 7]})
    data["flows"].append({"name": "riders", "arrivals": {"times": [7, 7, 7]}, "route": ["desk"]})
    records = records_of(scenario_from_dict(data), 0, 0)
    flows = [records.flow_names[f] for f in records.entity_flow]
    assert flows == ["walkers", "riders", "walkers", "riders", "riders"]
    assert records.visit_start.tolist() == [7, 17, 27, 37, 47]


def test_hourly_rows_count_the_arrivals_of_each_hour() -> None:
    """Walkers every 10 min from 1h to before 3h: 6 in hours 1 and 2. Others at given times,
    of which 0s and 20min come before the 30-min warm-up and are not counted, and 4h and
    5h are at or after the horizon. Deterministic: every replication has the same counts."""
    others = ["0s", "20min", "59min", "1h", "1h", "239min", "4h", "5h"]
    data = _data({"every": "10min", "from": "1h", "to": "3h"}, horizon="4h", warmup="30min")
    data["flows"].append({"name": "others", "arrivals": {"times": others}, "route": ["desk"]})
    summary = simulate(scenario_from_dict(data), replications=2, seed=3).summary

    def arrived(block: dict[str, Any]) -> list[float]:
        counts = []
        for row in block["hourly"]:
            assert row["arrived"]["ci95"] == [row["arrived"]["mean"]] * 2
            counts.append(row["arrived"]["mean"])
        return counts

    assert arrived(summary["flows"]["walkers"]) == [0, 6, 6, 0]
    assert arrived(summary["flows"]["others"]) == [1, 2, 0, 1]
    assert arrived(summary["overall"]) == [1, 8, 6, 1]
    assert summary["overall"]["served"]["mean"] == 16


# ------------------------------------------------------------------------------- validation


def _validate(tmp_path: Path, arrivals: dict[str, Any]) -> tuple[Path, Any]:
    file = tmp_path / "arrivals.yaml"
    file.write_text(yaml.safe_dump(_data(arrivals), sort_keys=False), encoding="utf-8")
    return file, CliRunner().invoke(main, ["validate", str(file)])


@pytest.mark.parametrize(
    ("arrivals", "line"),
    [
        (
            {"times": ["0s", "5s", "3s"]},
            "flows.walkers.arrivals.times: must not decrease (3 s comes after 5 s)",
        ),
        ({"times": []}, "flows.walkers.arrivals.times: needs at least one item"),
        ({"times": [-1]}, "flows.walkers.arrivals.times.0: must be greater than or equal to 0"),
        ({"every": "0s"}, "flows.walkers.arrivals.every: must be greater than 0"),
        (
            {"every": 10, "from": "50s", "to": "20s"},
            "flows.walkers.arrivals: 'to' (20 s) must be after 'from' (50 s)",
        ),
        (
            {"every": 10, "from": 50, "to": 50},
            "flows.walkers.arrivals: 'to' (50 s) must be after 'from' (50 s)",
        ),
    ],
    ids=[
        "decreasing times",
        "no times",
        "negative time",
        "zero every",
        "to before from",
        "to at from",
    ],
)
def test_bad_arrivals_exit_2_with_one_line(
    tmp_path: Path, arrivals: dict[str, Any], line: str
) -> None:
    file, result = _validate(tmp_path, arrivals)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"{file}: {line}\n"


def test_equal_times_are_valid(tmp_path: Path) -> None:
    _, result = _validate(tmp_path, {"times": ["0s", "3s", "3s", "90s"]})
    assert result.exit_code == 0, result.stderr
    assert "ok" in result.stdout


def test_decreasing_times_are_refused_in_python_too() -> None:
    with pytest.raises(ValueError, match=r"must not decrease \(3 s comes after 5 s\)"):
        TimedArrivals(times=(0.0, 5.0, 3.0))
