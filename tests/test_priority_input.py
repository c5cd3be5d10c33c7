"""Priority in the file format: careless input answered in one line before the run, the
schema, ``portsim show``, the scenario in words, the diagram, a lane group's own
priorities, and the waits a planner reads by class."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from portsim import dump_scenario, scenario_from_dict, simulate
from portsim.cli import main
from portsim.model.compile import compile_scenario
from portsim.report.describe import describe_scenario
from portsim.report.diagram import diagram_svg
from portsim.report.show import format_show
from portsim.scenario.schema import scenario_schema

from .helpers import const

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


def hall(**desks: Any) -> dict[str, Any]:
    """Crew (priority 0) and others, in two classes (old: priority 1), at one hall."""
    return {
        "name": "priorities",
        "horizon": "2h",
        "replications": 2,
        "flows": [
            {"name": "crew", "priority": 0, "arrivals": {"rate": "20/h"}, "route": ["hall"]},
            {
                "name": "others",
                "arrivals": {"rate": "100/h"},
                "classes": [
                    {"name": "old", "share": 0.2, "priority": 1},
                    {"name": "young", "share": 0.8},
                ],
                "route": ["hall"],
            },
        ],
        "stages": [
            {
                "name": "hall",
                "lanes": [{"name": "desks", "count": 2, "service": const(60), **desks}],
            }
        ],
    }


def _one_line_error(tmp_path: Path, data: dict[str, Any]) -> str:
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(path)])
    assert result.exit_code == 2, (result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0].removeprefix(f"{path}: ")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (1.5, "flows.crew.priority: must be a valid integer, not 1.5"),
        ("first", "flows.crew.priority: must be a valid integer, not 'first'"),
        (True, "flows.crew.priority: true is not a number"),
        (-1, "flows.crew.priority: must be greater than or equal to 0"),
        (1001, "flows.crew.priority: must be less than or equal to 1000"),
    ],
)
def test_a_priority_that_is_no_level_is_refused_in_one_line(
    tmp_path: Path, value: Any, words: str
) -> None:
    data = hall()
    data["flows"][0]["priority"] = value
    assert _one_line_error(tmp_path, data).startswith(words)
    data = hall()
    data["flows"][1]["classes"][0]["priority"] = value
    assert _one_line_error(tmp_path, data).startswith(
        words.replace("flows.crew", "flows.others.classes.old")
    )


def test_a_lane_group_s_priority_names_only_whom_it_serves(tmp_path: Path) -> None:
    unknown = _one_line_error(tmp_path, hall(priority={"crw": 0}))
    assert unknown == (
        "stages.hall.lanes.desks.priority.crw: unknown flow or class 'crw' (known: crew, "
        "others, others.old, others.young)"
    )
    level = _one_line_error(tmp_path, hall(priority={"crew": -2}))
    assert level.startswith("stages.hall.lanes.desks.priority.crew: must be greater than")
    data = hall(serves=["others"], priority={"crew": 1})
    data["stages"][0]["lanes"].append({"name": "crew desk", "count": 1, "service": const(30)})
    not_served = _one_line_error(tmp_path, data)
    assert not_served == (
        "stages.hall.lanes.desks.priority.crew: the group does not serve 'crew' (see its 'serves')"
    )


def test_the_schema_describes_priority_and_refuses_what_the_loader_refuses() -> None:
    schema = scenario_schema()
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    assert not list(validator.iter_errors(hall(priority={"others.young": 2})))
    for where in ("Flow", "FlowClass", "LaneGroup"):
        assert schema["$defs"][where]["properties"]["priority"]["description"]
    bad = hall()
    bad["flows"][0]["priority"] = -1
    assert list(validator.iter_errors(bad))
    bad["flows"][0]["priority"] = 0.5
    assert list(validator.iter_errors(bad))


def test_priorities_survive_a_round_trip_through_the_file() -> None:
    scenario = scenario_from_dict(hall(priority={"others.young": 2}))
    assert scenario_from_dict(dump_scenario(scenario)) == scenario
    assert scenario.flows[0].priority == 0
    assert scenario.flows[1].classes[0].priority == 1


def test_a_lane_group_s_own_priority_overrides_the_flows_there_only() -> None:
    """Young travellers have no priority of their own (last); at desks they are given 0,
    the crew's level: crew and young share rank 0, the old (1) come after them."""
    model = compile_scenario(scenario_from_dict(hall(priority={"others.young": 0})))
    names = [s.name for s in model.subflows]
    assert names == ["crew", "others.old", "others.young"]
    assert model.groups[0].priority == (0, 1, 0)
    # naming the flow sets every class of it; a class named too keeps its own
    model = compile_scenario(scenario_from_dict(hall(priority={"others": 0, "others.old": 2})))
    assert model.groups[0].priority == (0, 1, 0)


def test_show_and_the_words_say_each_flow_s_priority() -> None:
    scenario = scenario_from_dict(hall(priority={"others.young": 2}))
    shown = format_show(scenario).splitlines()
    assert "  crew (priority 0): hall" in shown
    assert "  others (old priority 1): hall" in shown
    assert "    others.young: priority 2 here" in shown
    words = dict(describe_scenario(scenario))
    crew, others = words["Who arrives"]
    assert "; priority 0 (served before a higher number or none, never interrupting);" in crew
    assert "; old priority 1 (served before" in others
    assert words["Stages and lanes"][0].endswith("; priority here: others.young 2.")
    no_priority = hall()
    no_priority["flows"][0].pop("priority")
    no_priority["flows"][1]["classes"][0].pop("priority")
    assert "priority" not in format_show(scenario_from_dict(no_priority))
    assert "priority" not in " ".join(
        " ".join(s) for _, s in describe_scenario(scenario_from_dict(no_priority))
    )


def _box_texts(svg: str) -> dict[str, list[str]]:
    root = ET.fromstring(svg)
    return {
        element.get("id", ""): [t.text or "" for t in element.iter(f"{SVG}text")]
        for element in root.iter()
        if element.get("id", "").endswith("-text")
    }


def test_the_diagram_marks_priorities_only_where_set() -> None:
    boxes = _box_texts(diagram_svg(scenario_from_dict(hall(priority={"others.young": 2}))))
    assert boxes["flow-crew-text"][-1] == "priority 0"
    assert boxes["flow-others-text"][-1] == "old 20 % (priority 1), young 80 %"
    assert boxes["lanes-hall-desks-text"][-1] == "priority here: others young 2"
    legend = "Priority: the lower number is served first, never interrupting a service; "
    svg = diagram_svg(scenario_from_dict(hall(priority={"others.young": 2})))
    assert legend in svg
    no_priority = hall()
    no_priority["flows"][0].pop("priority")
    no_priority["flows"][1]["classes"][0].pop("priority")
    plain = _box_texts(diagram_svg(scenario_from_dict(no_priority)))
    assert plain["flow-crew-text"] == boxes["flow-crew-text"][:-1]
    assert plain["flow-others-text"] == ["travellers", "100 an hour", "old 20 %, young 80 %"]
    assert plain["lanes-hall-desks-text"] == boxes["lanes-hall-desks-text"][:-1]
    assert legend not in diagram_svg(scenario_from_dict(no_priority))


def test_a_planner_reads_the_waits_by_flow_and_by_class() -> None:
    """The crew's and the old travellers' waits are there, each on its own, and the crew
    (served first) waits least."""
    metrics = simulate(scenario_from_dict(hall())).summary
    flows = metrics["flows"]
    crew, old, young = (
        flows["crew"]["wait_mean_s"]["mean"],
        flows["others"]["classes"]["old"]["wait_mean_s"]["mean"],
        flows["others"]["classes"]["young"]["wait_mean_s"]["mean"],
    )
    assert 0 <= crew < young
    assert 0 <= old < young


def test_the_guide_s_priority_example_is_valid_and_runs() -> None:
    """docs/scenario-files.md, "Priority in a queue": the crew and the assisted travellers
    wait less than the others (immigration at a load of 0.92), and the customs desks put
    the assisted with the crew."""
    guide = (ROOT / "docs" / "scenario-files.md").read_text(encoding="utf-8")
    section = guide.split("\n## Priority in a queue\n", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    scenario = scenario_from_dict(yaml.safe_load(example))
    model = compile_scenario(scenario)
    assert [s.name for s in model.subflows] == ["crew", "passengers.assisted", "passengers.others"]
    assert [g.priority for g in model.groups] == [(0, 1, 2), (0, 0, 1)]
    result = simulate(scenario, replications=2)
    assert not result.warnings
    flows = result.summary["flows"]
    others = flows["passengers"]["classes"]["others"]["wait_mean_s"]["mean"]
    assert flows["crew"]["wait_mean_s"]["mean"] < others
    assert flows["passengers"]["classes"]["assisted"]["wait_mean_s"]["mean"] < others
