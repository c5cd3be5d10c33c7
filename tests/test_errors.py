"""A bad scenario file exits with code 2 and one line: FILE: field.path: problem."""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from portsim.cli import main

BASE: dict[str, Any] = {
    "name": "bad input",
    "horizon": "2h",
    "warmup": "10min",
    "flows": [
        {
            "name": "residents",
            "arrivals": {"rate": "600/h"},
            "route": ["exit_check", {"stage": "secondary", "p": 0.1}],
        },
        {
            "name": "visitors",
            "arrivals": {"daily_total": 2400, "profile": [1] * 24},
            "route": ["exit_check"],
        },
    ],
    "stages": [
        {
            "name": "exit_check",
            "lanes": [
                {"name": "counters", "count": 4, "service": {"dist": "exponential", "mean": "45s"}},
                {
                    "name": "egates",
                    "count": 2,
                    "service": {"dist": "constant", "value": "12s"},
                    "serves": ["residents"],
                },
            ],
        },
        {
            "name": "secondary",
            "lanes": [
                {
                    "name": "officers",
                    "count": 1,
                    "service": {"dist": "gamma", "mean": "5min", "cv": 0.5},
                }
            ],
        },
    ],
}


def _edit(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    change(data)
    return data


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        node: Any = data
        *parents, last = path.split(".")
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return change


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        node: Any = data
        *parents, last = path.split(".")
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        del node[last]

    return change


# (case id, scenario data, field path expected in the message, words expected in it)
CASES = [
    (
        "unknown field",
        _edit(_set("stages.0.lanes.0.lanes_open", 3)),
        "stages.exit_check.lanes.counters.lanes_open",
        "unknown field",
    ),
    ("missing field", _edit(_delete("horizon")), "horizon", "required"),
    ("missing nested field", _edit(_delete("flows.0.route")), "flows.residents.route", "required"),
    (
        "wrong type",
        _edit(_set("stages.0.lanes.0.count", "many")),
        "stages.exit_check.lanes.counters.count",
        "integer",
    ),
    (
        "negative count",
        _edit(_set("stages.0.lanes.0.count", -2)),
        "stages.exit_check.lanes.counters.count",
        "greater than or equal to 0",
    ),
    (
        "negative mean",
        _edit(_set("stages.0.lanes.0.service.mean", "-45s")),
        "stages.exit_check.lanes.counters.service.mean",
        "greater than 0",
    ),
    (
        "bad duration",
        _edit(_set("stages.0.lanes.0.service.mean", "45 parsecs")),
        "stages.exit_check.lanes.counters.service.mean",
        "not a duration",
    ),
    (
        "bad rate",
        _edit(_set("flows.0.arrivals.rate", "600/week")),
        "flows.residents.arrivals.rate",
        "not a rate",
    ),
    (
        "route names an unknown stage",
        _edit(_set("flows.1.route.0", "exit_chek")),
        "flows.visitors.route.0",
        "unknown stage 'exit_chek'",
    ),
    (
        "serves names an unknown flow",
        _edit(_set("stages.0.lanes.1.serves", ["resident"])),
        "stages.exit_check.lanes.egates.serves",
        "unknown flow or class 'resident'",
    ),
    (
        "flow with no eligible lane group",
        _edit(_set("stages.0.lanes.0.serves", ["residents"])),
        "flows.visitors.route.0",
        "no lane group",
    ),
    (
        "duplicate flow names",
        _edit(_set("flows.1.name", "residents")),
        "flows.residents",
        "duplicate flow name",
    ),
    (
        "duplicate stage names",
        _edit(_set("stages.1.name", "exit_check")),
        "stages.exit_check",
        "duplicate stage name",
    ),
    (
        "duplicate lane group names",
        _edit(_set("stages.0.lanes.1.name", "counters")),
        "stages.exit_check.lanes.counters",
        "duplicate lane group name",
    ),
    (
        "profile not 24 long",
        _edit(_set("flows.1.arrivals.profile", [1] * 23)),
        "flows.visitors.arrivals.profile",
        "24 hourly weights",
    ),
    (
        "probability above 1",
        _edit(_set("flows.0.route.1.p", 1.5)),
        "flows.residents.route.1.p",
        "less than or equal to 1",
    ),
    (
        "probability below 0",
        _edit(_set("flows.0.route.1.p", -0.1)),
        "flows.residents.route.1.p",
        "greater than or equal to 0",
    ),
    (
        "unknown distribution",
        _edit(_set("stages.1.lanes.0.service.dist", "pareto")),
        "stages.secondary.lanes.officers.service",
        "unknown dist 'pareto'",
    ),
    (
        "warm-up not shorter than the horizon",
        _edit(_set("warmup", "2h")),
        "warmup",
        "shorter than the horizon",
    ),
    ("no flows", _edit(_set("flows", [])), "flows", "at least one"),
    (
        "count and schedule both given",
        _edit(_set("stages.0.lanes.0.schedule", [{"from": "0h", "to": "24h", "count": 2}])),
        "stages.exit_check.lanes.counters",
        "give either 'count' (lanes always open) or 'schedule', not both",
    ),
    (
        "neither count nor schedule",
        _edit(_delete("stages.0.lanes.0.count")),
        "stages.exit_check.lanes.counters",
        "say how many lanes are open: give 'count' (lanes always open) or 'schedule'",
    ),
    (
        "count left empty",
        _edit(_set("stages.0.lanes.0.count", None)),
        "stages.exit_check.lanes.counters",
        "say how many lanes are open: give 'count' (lanes always open) or 'schedule'",
    ),
    (
        "overlapping schedule entries",
        _edit(
            _set(
                "stages.1.lanes.0",
                {
                    "name": "officers",
                    "service": {"dist": "constant", "value": 60},
                    "schedule": [
                        {"from": "0h", "to": "8h", "count": 1},
                        {"from": "7h", "to": "24h", "count": 2},
                    ],
                },
            )
        ),
        "stages.secondary.lanes.officers.schedule",
        "overlap",
    ),
    (
        "schedule entry ends before it starts",
        _edit(
            _set(
                "stages.1.lanes.0",
                {
                    "name": "officers",
                    "service": {"dist": "constant", "value": 60},
                    "schedule": [{"from": "9h", "to": "8h", "count": 1}],
                },
            )
        ),
        "stages.secondary.lanes.officers.schedule.0",
        "must be before 'to'",
    ),
    (
        "schedule past the end of the day",
        _edit(
            _set(
                "stages.1.lanes.0",
                {
                    "name": "officers",
                    "service": {"dist": "constant", "value": 60},
                    "schedule": [{"from": "9h", "to": "25h", "count": 1}],
                },
            )
        ),
        "stages.secondary.lanes.officers.schedule.0.to",
        "less than or equal to 86400",
    ),
    (
        "schedule that never opens",
        _edit(
            _set(
                "stages.1.lanes.0",
                {
                    "name": "officers",
                    "service": {"dist": "constant", "value": 60},
                    "schedule": [{"from": "9h", "to": "18h", "count": 0}],
                },
            )
        ),
        "flows.residents.route.1",
        "ever has a lane open",
    ),
    (
        "unknown queue discipline",
        _edit(_set("stages.0.lanes.0.queue", "priority")),
        "stages.exit_check.lanes.counters.queue",
        "'shared' or 'per_lane'",
    ),
    (
        "service_by_flow names an unknown flow",
        _edit(
            _set("stages.0.lanes.0.service_by_flow", {"coaches": {"dist": "constant", "value": 90}})
        ),
        "stages.exit_check.lanes.counters.service_by_flow.coaches",
        "unknown flow or class 'coaches'",
    ),
    (
        "service_by_flow names a flow the group does not serve",
        _edit(
            _set(
                "stages.0.lanes.1.service_by_flow", {"visitors": {"dist": "constant", "value": 90}}
            )
        ),
        "stages.exit_check.lanes.egates.service_by_flow.visitors",
        "does not serve",
    ),
    (
        "negative space",
        _edit(_set("stages.0.space", -5)),
        "stages.exit_check.space",
        "greater than or equal to 1",
    ),
    (
        "bad distribution parameters",
        _edit(_set("stages.0.lanes.0.service", {"dist": "uniform", "low": 9, "high": 3})),
        "stages.exit_check.lanes.counters.service",
        "low (9 s) must be less than high",
    ),
]


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize(
    ("data", "path", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_scenario_exits_2_with_one_line(
    tmp_path: Path, command: str, data: Any, path: str, words: str
) -> None:
    file = _write(tmp_path, data)
    result = _invoke(command, str(file))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{file}: {path}: "), lines[0]
    assert words in lines[0]
    assert "Traceback" not in result.stderr


def test_the_base_case_is_valid(tmp_path: Path) -> None:
    result = _invoke("validate", str(_write(tmp_path, BASE)))
    assert result.exit_code == 0, result.stderr
    assert "ok" in result.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: x\nhorizon: 2h\nflows: [\n  - name: a\n", "line 4"),
        ("name: x\n  horizon: 2h\n", "line 2"),
        ("name: x\nname: y\nhorizon: 1h\n", "line 2: key 'name' is given twice"),
        ("- just\n- a list\n", "a scenario must be a mapping"),
        ("", "a scenario must be a mapping"),
    ],
    ids=["unclosed bracket", "bad indentation", "duplicate key", "not a mapping", "empty"],
)
def test_yaml_problems_name_the_line(tmp_path: Path, text: str, expected: str) -> None:
    file = tmp_path / "broken.yaml"
    file.write_text(text, encoding="utf-8")
    result = _invoke("validate", str(file))
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert line.startswith(f"{file}: ")
    assert expected in line
    assert "\n" not in line


def test_missing_file(tmp_path: Path) -> None:
    file = tmp_path / "nowhere.yaml"
    result = _invoke("run", str(file))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{file}: cannot read the file")


def test_yaml_cannot_construct_python_objects(tmp_path: Path) -> None:
    file = tmp_path / "unsafe.yaml"
    file.write_text("name: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    result = _invoke("validate", str(file))
    assert result.exit_code == 2
    assert "pwned" not in result.stdout


def test_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    file = _write(tmp_path, CASES[0][1])
    done = subprocess.run(
        [sys.executable, "-m", "portsim", "run", str(file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == (
        f"{file}: stages.exit_check.lanes.counters.lanes_open: unknown field (fields here: "
        "name, count, schedule, built, opening, queue, service, service_by_flow, "
        "service_per_occupant, serves, priority, staff, staff_per_lane, lend_below, source)"
    )
