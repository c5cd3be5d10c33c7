"""The command line and the JSON contract, run as a user would."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from portsim import VISIT_FIELDS, load_scenario, scenario_from_dict, simulate
from portsim.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))

SMALL: dict[str, Any] = {
    "name": "small hall",
    "horizon": "3h",
    "warmup": "15min",
    "replications": 3,
    "seed": 5,
    "flows": [
        {
            "name": "residents",
            "direction": "southbound",
            "arrivals": {"rate": "300/h"},
            "route": ["exit_check", {"stage": "secondary", "p": 0.05}],
        },
        {"name": "visitors", "arrivals": {"rate": "200/h"}, "route": ["exit_check"]},
    ],
    "stages": [
        {
            "name": "exit_check",
            "lanes": [
                {"name": "counters", "count": 3, "service": {"dist": "exponential", "mean": "45s"}},
                {
                    "name": "egates",
                    "count": 2,
                    "service": {"dist": "lognormal", "mean": "12s", "cv": 0.4},
                    "serves": ["residents"],
                },
            ],
            "transfer": {"dist": "constant", "value": "1min"},
        },
        {
            "name": "secondary",
            "lanes": [
                {
                    "name": "officers",
                    "count": 2,
                    "service": {"dist": "gamma", "mean": "4min", "cv": 0.5},
                }
            ],
        },
    ],
}

METRIC = {"mean", "ci95"}


def _file(tmp_path: Path, data: dict[str, Any], name: str = "small.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _run_json(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["run", *args, "--json", "-"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _metrics(node: Any) -> list[dict[str, Any]]:
    """Every metric ``{"mean", "ci95"}`` below the blocks of a run JSON."""
    if isinstance(node, dict) and "mean" in node:
        return [node]
    if isinstance(node, dict):
        return [m for key, v in node.items() if key not in {"hour", "space"} for m in _metrics(v)]
    if isinstance(node, list):
        return [m for v in node for m in _metrics(v)]
    return []


def test_json_contract(tmp_path: Path) -> None:
    out = _run_json(str(_file(tmp_path, SMALL)))
    assert out["scenario"] == "small hall"
    assert out["replications"] == 3
    assert out["seed"] == 5
    assert out["warnings"] == []
    overall_keys = {
        "served",
        "unfinished",
        "wait_mean_s",
        "wait_p95_s",
        "wait_max_s",
        "system_time_mean_s",
    }
    stage_keys = {"served", "wait_mean_s", "wait_p95_s", "utilization", "queue_max"}
    flow_keys = {"served", "wait_mean_s", "wait_p95_s", "system_time_mean_s"}
    assert overall_keys <= out["overall"].keys()
    assert set(out["stages"]) == {"exit_check", "secondary"}
    assert set(out["flows"]) == {"residents", "visitors"}
    for block in out["stages"].values():
        assert stage_keys <= block.keys()
    for block in out["flows"].values():
        assert flow_keys <= block.keys()
    blocks = {k: out[k] for k in ("overall", "stages", "flows")}
    assert len(_metrics(blocks)) > 100
    for metric in _metrics(blocks):
        assert set(metric) == METRIC
        if metric["mean"] is not None:
            lo, hi = metric["ci95"]
            assert lo <= metric["mean"] <= hi
    served = (
        out["flows"]["residents"]["served"]["mean"] + out["flows"]["visitors"]["served"]["mean"]
    )
    assert served == pytest.approx(out["overall"]["served"]["mean"])


def test_overrides_and_a_single_replication_has_no_interval(tmp_path: Path) -> None:
    out = _run_json(str(_file(tmp_path, SMALL)), "--replications", "1", "--seed", "9")
    assert out["replications"] == 1
    assert out["seed"] == 9
    assert out["overall"]["wait_mean_s"]["ci95"] is None
    assert isinstance(out["overall"]["wait_mean_s"]["mean"], float)


def test_overloaded_stage_warns_and_still_completes(tmp_path: Path) -> None:
    data = json.loads(json.dumps(SMALL))
    data["stages"][0]["lanes"][0]["count"] = 1  # visitors alone need 2.5 counters
    result = CliRunner().invoke(main, ["run", str(_file(tmp_path, data)), "--json", "-"])
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert len(out["warnings"]) == 1
    assert "exit_check" in out["warnings"][0]
    assert ">= 1" in out["warnings"][0]
    assert "warning: stage 'exit_check'" in result.stderr
    assert out["overall"]["unfinished"]["mean"] > 0


def test_text_report_and_json_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["run", str(_file(tmp_path, SMALL)), "--json", str(target)])
    assert result.exit_code == 0, result.stderr
    assert "small hall" in result.stdout
    assert "exit_check" in result.stdout
    assert "residents" in result.stdout
    assert json.loads(target.read_text())["scenario"] == "small hall"


def test_same_seed_same_json(tmp_path: Path) -> None:
    file = str(_file(tmp_path, SMALL))
    assert _run_json(file) == _run_json(file)


def test_python_dash_m_and_console_script_agree(tmp_path: Path) -> None:
    file = str(_file(tmp_path, SMALL))
    via_module = subprocess.run(
        [sys.executable, "-m", "portsim", "run", file, "-r", "2", "--json", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(via_module.stdout)["replications"] == 2


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_every_shipped_scenario_validates_and_runs(path: Path, tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 0
    # a short version of it: the first six hours, one replication
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["horizon"] = "9h"
    data["warmup"] = 0
    if "assumptions" in data:  # the shared assumptions, beside the scenario, not the copy
        data["assumptions"] = str(path.parent / data["assumptions"])
    out = _run_json(str(_file(tmp_path, data, path.name)), "-r", "1")
    assert out["overall"]["served"]["mean"] > 0


def test_the_readme_commands_are_the_ones_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in ("pip install -e '.[test]'", "python -m pytest", "pip install -e '.[docs]'"):
        assert command in readme, command
        assert command in ci, command
    assert "portsim run scenarios/" in readme
    # the docs build: CI runs it whole (the API reference and the library's reports)
    assert "python docs/build.py api" in readme
    assert "python docs/build.py library" in readme
    assert re.search(r"^python docs/build\.py$", ci, re.MULTILINE)


def test_workers_do_not_change_the_results(tmp_path: Path) -> None:
    file = str(_file(tmp_path, SMALL))
    one = CliRunner().invoke(main, ["run", file, "-r", "4", "--workers", "1", "--json", "-"])
    two = CliRunner().invoke(main, ["run", file, "-r", "4", "--workers", "2", "--json", "-"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout


def test_records_csv_has_one_row_per_stage_visit(tmp_path: Path) -> None:
    target = tmp_path / "records.csv"
    result = CliRunner().invoke(
        main, ["run", str(_file(tmp_path, SMALL)), "-r", "2", "--records", str(target)]
    )
    assert result.exit_code == 0, result.stderr
    with target.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [name for name, _ in VISIT_FIELDS]
    expected = simulate(load_scenario(tmp_path / "small.yaml"), replications=2)
    assert len(rows) == sum(len(r.visit_entity) for r in expected.records)
    assert {row["replication"] for row in rows} == {"0", "1"}
    waiting = [row for row in rows if row["start"] == ""]
    assert all(row["lane"] == "-1" and row["end"] == "" for row in waiting)
    first = rows[0]
    assert float(first["join"]) >= float(first["arrival"])


def test_hourly_and_group_results_in_json(tmp_path: Path) -> None:
    out = _run_json(str(_file(tmp_path, SMALL)))
    hours = out["overall"]["hourly"]
    assert [h["hour"] for h in hours] == [0, 1, 2]
    for level in [out["overall"], *out["stages"].values(), *out["flows"].values()]:
        assert len(level["hourly"]) == 3
        assert sum(h["served"]["mean"] for h in level["hourly"]) == pytest.approx(
            level["served"]["mean"]
        )
    groups = out["stages"]["exit_check"]["groups"]
    assert set(groups) == {"counters", "egates"}
    for group in groups.values():
        assert {
            "served",
            "wait_mean_s",
            "wait_p95_s",
            "utilization",
            "queue_max",
            "lanes_open_mean",
        } <= group.keys()
    assert groups["counters"]["lanes_open_mean"]["mean"] == 3
    assert out["overall"]["served_per_day"]["mean"] == pytest.approx(
        out["overall"]["served"]["mean"] * 86_400 / (3 * 3600 - 15 * 60)
    )


def test_the_guide_s_scenario_example_is_valid_and_runs() -> None:
    guide = (ROOT / "docs" / "scenario-files.md").read_text(encoding="utf-8")
    first = guide.split("```yaml\n", 1)[1].split("```", 1)[0]
    scenario = scenario_from_dict(yaml.safe_load(first))
    result = simulate(scenario, replications=1)
    assert result.summary["scenario"] == "Huanggang southbound hall"
    assert set(result.summary["stages"]) == {"exit_check", "customs_secondary", "entry_check"}
    assert not result.warnings  # a planner copies it: no stage of it is overloaded


def test_reports_group_flows_by_direction(tmp_path: Path) -> None:
    data = json.loads(json.dumps(SMALL))
    data["flows"][1]["direction"] = "southbound"
    out = _run_json(str(_file(tmp_path, data)))
    south = out["directions"]["southbound"]
    flows = out["flows"]
    assert south["served"]["mean"] == pytest.approx(
        flows["residents"]["served"]["mean"] + flows["visitors"]["served"]["mean"]
    )
    assert len(south["hourly"]) == 3
    text = CliRunner().invoke(main, ["run", str(_file(tmp_path, data))]).stdout
    assert "direction southbound" in text


def test_the_guide_s_groups_and_vehicles_example_is_valid_and_runs() -> None:
    guide = (ROOT / "docs" / "scenario-files.md").read_text(encoding="utf-8")
    section = guide.split("\n## Groups, vehicles and classes\n", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    result = simulate(scenario_from_dict(yaml.safe_load(example)), replications=1)
    summary = result.summary
    assert set(summary["flows"]["residents"]["classes"]) == {"e_channel", "manual"}
    assert summary["flows"]["coaches"]["passengers"]["served"]["mean"] > 0
    assert summary["persons"]["served"]["mean"] > summary["overall"]["served"]["mean"]
    assert summary["vehicles"]["served"]["mean"] > 0
