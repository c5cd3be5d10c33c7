"""The public API is what ``__all__`` lists, and every name in it exists."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import portsim
from portsim.results import metric_paths

ROOT = Path(__file__).resolve().parent.parent


def test_every_public_name_exists() -> None:
    assert len(set(portsim.__all__)) == len(portsim.__all__)
    for name in portsim.__all__:
        assert hasattr(portsim, name), name


def test_the_core_of_the_api_is_public() -> None:
    for name in (
        "load_scenario",
        "simulate",
        "compare",
        "Scenario",
        "SimulationResult",
        "Records",
        "VISIT_FIELDS",
        "ScenarioError",
        "apply_overrides",
        "theory",
        "plots",
    ):
        assert name in portsim.__all__, name


def _paths(node: object, prefix: str = "") -> set[str]:
    """Dotted paths of the metrics ({"mean", "ci95"}) below a run JSON block, hourly aside."""
    if isinstance(node, dict) and "mean" in node:
        return {prefix}
    if isinstance(node, dict):
        return {
            p
            for key, value in node.items()
            if key != "hourly"
            for p in _paths(value, f"{prefix}.{key}" if prefix else key)
        }
    return set()


def test_metric_paths_are_exactly_what_a_run_reports() -> None:
    """``reference.compare_to`` is checked against the catalog's ``metric_paths`` of the
    compiled model: it must name every metric the summary gives, and nothing else."""
    scenario = portsim.load_scenario(
        ROOT / "scenarios" / "hall_modes.yaml", ["horizon=3h", "warmup=0"]
    )
    scenario = portsim.scenario_from_dict(
        {
            **portsim.dump_scenario(scenario),
            "stages": [
                {
                    "name": "customs",
                    "space": 5,
                    "lanes": [
                        {
                            "name": "officers",
                            "count": 1,
                            "service": {"dist": "constant", "value": 60},
                        }
                    ],
                }
            ],
        }
    )
    result = portsim.simulate(scenario, replications=2)
    assert _reported(result.to_dict()) == metric_paths(result.model)


def _reported(summary: dict) -> set[str]:
    """Every metric of the blocks, and each pledge's share (its block is a list item named
    by the pledge: ``targets.NAME.share``)."""
    blocks = ("overall", "stages", "flows", "directions", "persons", "vehicles")
    pledges = {f"targets.{t['name']}.share" for t in summary.get("targets", [])}
    return _paths({k: summary[k] for k in blocks if k in summary}) | pledges


def test_metric_paths_cover_classes_passengers_persons_and_vehicles() -> None:
    scenario = portsim.load_scenario(
        ROOT / "tests" / "golden" / "scenarios" / "land_port.yaml", ["horizon=2h"]
    )
    result = portsim.simulate(scenario, replications=2)
    paths = _reported(result.to_dict())
    assert paths == metric_paths(result.model)
    assert "flows.residents.classes.e_channel.wait_p95_s" in paths
    assert "flows.coaches.passengers.wait_for_vehicle_mean_s" in paths
    assert "flows.coaches.vehicle_dwell_max_s" in paths
    assert {"persons.served", "vehicles.served_per_day"} <= paths


def test_lookups_by_name_include_the_clearance_stages() -> None:
    scenario = portsim.load_scenario(ROOT / "scenarios" / "hall_modes.yaml")
    assert scenario.stage("exit").lanes[0].name == "e_gates"
    assert scenario.stage("entry").group("counters").count is None  # it follows a schedule
    assert scenario.flow("hk_residents").direction == "southbound"
    assert scenario.with_mode("cooperative").stage("joint").name == "joint"


def test_the_public_api_is_exactly_the_guide_s_table() -> None:
    """The Python guide (``docs/python-api.md``) lists the public API in a table;
    ``__all__`` is that list, no more and no less (engine internals stay out of it)."""
    text = (ROOT / "docs" / "python-api.md").read_text(encoding="utf-8")
    section = text.split("\n## The public API\n", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("| `")]
    listed = {name for line in table for name in re.findall(r"`([\w.]+)`", line.split("|")[1])}
    assert listed == set(portsim.__all__)


def test_the_guide_maps_one_folder_to_each_step_of_the_data_flow() -> None:
    """ "How it is built" (``docs/architecture.md``) names every subpackage, and every
    subpackage is a step."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## How it is built\n", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`portsim/(\w+)/`", section))
    package = Path(portsim.__file__).parent  # the source tree, or the installed wheel
    folders = {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
    assert (
        named
        == folders
        == {
            "scenario",
            "model",
            "engine",
            "results",
            "run",
            "fit",
            "planning",
            "report",
        }
    )


def _modules_after(statement: str) -> set[str]:
    """The modules a fresh interpreter has loaded after ``statement``."""
    code = f"import sys\n{statement}\nprint(' '.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return {name.split(".")[0] for name in out.split()}


def test_import_portsim_is_light_and_names_load_on_first_use() -> None:
    """``import portsim`` loads none of the heavy libraries (the API's names come on first use,
    PEP 562); ``portsim run`` loads no plotting, statistics or progress-bar library."""
    heavy = {"numpy", "pydantic", "simpy", "yaml", "scipy", "matplotlib", "tqdm", "sqlite3"}
    assert _modules_after("import portsim") & heavy == set()
    assert _modules_after("import portsim.cli") & {"matplotlib", "scipy", "tqdm"} == set()
    loaded = _modules_after("import portsim\nportsim.simulate\nportsim.theory.erlang_c")
    assert {"numpy", "simpy", "pydantic"} <= loaded
    assert set(portsim.__all__) <= set(dir(portsim))
    assert all(getattr(portsim, name) is not None for name in portsim.__all__)


def test_a_summary_reads_typed_and_as_the_json_scripts_knew() -> None:
    """``result.summary`` answers ``stat(scope, metric)`` and is the run JSON as a dict, as
    scripts written for earlier versions read it; so are a comparison's differences."""
    scenario = portsim.load_scenario(ROOT / "scenarios" / "hall_modes.yaml", ["horizon=2h"])
    result = portsim.simulate(scenario, replications=2, seed=3, records=False)
    summary = result.summary
    typed = summary.stat(portsim.Scope("overall"), "wait_p95_s")
    assert isinstance(summary, dict)
    assert summary["overall"]["wait_p95_s"] == {
        "mean": typed.mean,
        "ci95": list(typed.interval or []),
    }
    assert json.loads(json.dumps(summary)) == json.loads(json.dumps(summary.json()))
    assert result.to_dict()["overall"]["wait_p95_s"]["mean"] == typed.mean
    comparison = portsim.compare({"a": scenario, "b": scenario}, replications=2, seed=3)
    difference = comparison.differences["b - a"]
    assert isinstance(difference, dict)
    assert difference["overall"]["wait_mean_s"]["mean"] == 0
    assert difference.stat(portsim.Scope("overall"), "wait_mean_s").mean == 0
