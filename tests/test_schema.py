"""The JSON Schema of scenario files: every shipped scenario is valid under it, what the
loader rejects for its form is rejected too, and the reference page is its output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from portsim.cli import main
from portsim.report.format_doc import schema_markdown
from portsim.scenario.schema import scenario_schema

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "golden" / "scenarios").glob("*.yaml")
)


def _validator() -> Draft202012Validator:
    schema = scenario_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_scenario_is_valid(path: Path) -> None:
    errors = list(_validator().iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
    assert not errors, [(list(e.absolute_path), e.message) for e in errors]


def _hall() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "scenarios" / "hall_modes.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("horizon",), "25 hours"),
        (("horizon",), -5),
        (("flows", 0, "arrivals"), {"rate": "fast"}),
        (("flows", 0, "kind"), "bicycle"),
        (("flows", 0, "route", 0), {"stage": "x", "p": 2}),
        (("clearance", "mode"), "teleport"),
        (("targets", 0, "share"), 1.5),
        (("clearance", "separate", "exit", "lanes", 0, "schedule", 0, "to"), "noon"),
        (("clearance", "separate", "exit", "lanes", 0, "colour"), "red"),
        (("clearance", "separate", "exit", "lanes", 0, "service"), {"mean": "45s"}),
    ],
)
def test_what_the_format_forbids_the_schema_rejects(path: tuple[Any, ...], value: Any) -> None:
    data = _hall()
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    assert list(_validator().iter_errors(data))


def test_durations_rates_and_bare_route_steps_are_valid_as_written() -> None:
    data = {
        "name": "written by hand",
        "horizon": "1.5d",
        "warmup": 600,
        "flows": [
            {"name": "a", "arrivals": {"rate": "1800/h"}, "route": ["s", {"stage": "t", "p": 0.5}]},
            {
                "name": "b",
                "arrivals": {"every": "4min", "from": "6h", "to": "23.5h"},
                "route": ["s"],
            },
            {"name": "c", "arrivals": {"times": ["0s", 3, "2.5min"]}, "route": ["s"]},
        ],
        "stages": [
            {
                "name": "s",
                "lanes": [
                    {
                        "name": "g",
                        "schedule": [{"from": "0h", "to": "24h", "count": 3}],
                        "service": {"dist": "triangular", "low": "10s", "mode": 20, "high": "1min"},
                    }
                ],
            },
            {
                "name": "t",
                "lanes": [
                    {"name": "h", "count": 1, "service": {"dist": "constant", "value": "30s"}}
                ],
            },
        ],
    }
    assert not list(_validator().iter_errors(data))


def test_every_field_of_the_file_format_has_a_description() -> None:
    schema = scenario_schema()
    for name, definition in schema["$defs"].items():
        assert definition.get("description"), name
    for field, node in schema["properties"].items():
        assert node.get("description"), field


def test_portsim_schema_prints_the_schema() -> None:
    done = CliRunner().invoke(main, ["schema"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output) == scenario_schema()


def test_the_reference_page_is_the_schema_as_markdown() -> None:
    """docs/scenario-format.md is `portsim schema --markdown`; regenerate it after changing
    the format: portsim schema --markdown > docs/scenario-format.md"""
    page = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    assert page == schema_markdown()
    assert CliRunner().invoke(main, ["schema", "--markdown"]).output == page
    for name in ("## Scenario", "## LaneGroup", "## Target", "`wait_within` | duration > 0"):
        assert name in page


def test_a_bus_on_demand_without_max_wait_is_refused_by_the_schema_as_by_the_loader() -> None:
    """The loader refuses a bus that leaves when full without max_wait (it might never
    leave): an editor validating against the schema must refuse it too."""
    from portsim import scenario_from_dict  # noqa: PLC0415
    from portsim.errors import ScenarioError  # noqa: PLC0415

    bus: dict[str, Any] = {"seats": 10, "ride": "5min", "leaves": "when_full"}
    lanes = [{"name": "l", "count": 1, "service": {"dist": "constant", "value": 1}}]
    data = {
        "name": "bus",
        "horizon": "1h",
        "flows": [{"name": "f", "arrivals": {"rate": "60/h"}, "route": ["a", "b"]}],
        "stages": [
            {"name": "a", "lanes": lanes, "transfer": {"shuttle": bus}},
            {"name": "b", "lanes": lanes},
        ],
    }

    def reasons(errors: list[Any]) -> list[str]:
        return [r for e in errors for r in (e.message, *reasons(list(e.context or ())))]

    assert "'max_wait' is a required property" in reasons(list(_validator().iter_errors(data)))
    with pytest.raises(ScenarioError, match="max_wait"):
        scenario_from_dict(data)
    for refused in (None, 0):
        bus["max_wait"] = refused
        assert list(_validator().iter_errors(data))
    bus["max_wait"] = "10min"
    assert not list(_validator().iter_errors(data))
    scenario_from_dict(data)


def test_a_timetable_with_loads_is_valid_and_its_careless_forms_are_not() -> None:
    """Each time beside its load is valid under the schema; a load of 0, a group beside the
    loads, a plain time among loaded ones and a load that is not whole are refused, as the
    loader refuses them."""
    validator = _validator()

    def errors(arrivals: dict[str, Any]) -> int:
        data = _hall()
        data["flows"][0]["arrivals"] = arrivals
        return len(list(validator.iter_errors(data)))

    loaded = [{"at": "06:02", "load": 612}, {"at": "06:10", "load": 540}]
    assert errors({"times": loaded}) == 0
    assert errors({"times": [{"at": "06:02", "load": 0}]}) > 0
    assert errors({"times": [{"at": "06:02", "load": 2.5}]}) > 0
    assert errors({"times": [*loaded, "06:30"]}) > 0
    assert errors({"times": loaded, "group": {"dist": "constant", "value": 2}}) > 0
    assert errors({"times": ["06:02", "06:10"], "loads": [612, 540]}) > 0
