"""The scenario format reference as Markdown, generated from the JSON Schema
(``portsim schema --markdown``; ``docs/scenario-format.md`` is its output, and a test fails
when the two drift apart)."""

from __future__ import annotations

from typing import Any

from ..scenario.schema import UNIT_KEY, scenario_schema

__all__ = ["schema_markdown"]

#: the definitions in the order a reader meets them
ORDER = (
    "Scenario",
    "Flow",
    "PoissonArrivals",
    "DailyProfileArrivals",
    "RegularArrivals",
    "TimedArrivals",
    "RouteStep",
    "Stage",
    "LaneGroup",
    "ScheduleEntry",
    "Exponential",
    "Constant",
    "LogNormal",
    "Gamma",
    "Uniform",
    "Triangular",
    "Empirical",
    "ShuttleCrossing",
    "Shuttle",
    "Clearance",
    "SeparateChecks",
    "ColocatedChecks",
    "CooperativeInspection",
    "ClearanceStop",
    "Target",
    "ReferenceFigure",
)
_UNIT_NAMES = {"duration": "duration", "time": "time of day", "rate": "rate"}


def _ref(node: dict[str, Any]) -> str:
    name = str(node["$ref"]).rsplit("/", 1)[-1]
    return f"[{name}](#{name.lower()})"


def _bounds(node: dict[str, Any]) -> str:
    parts = []
    for key, sign in (
        ("minimum", "≥"),
        ("exclusiveMinimum", ">"),
        ("maximum", "≤"),
        ("exclusiveMaximum", "<"),
    ):
        if key in node:
            parts.append(f"{sign} {node[key]:g}")
    return (" " + ", ".join(parts)) if parts else ""


def type_text(node: dict[str, Any]) -> str:
    """A schema node's type in words, with links to the definitions it names."""
    if UNIT_KEY in node and node[UNIT_KEY] in _UNIT_NAMES:
        return _UNIT_NAMES[node[UNIT_KEY]] + _bounds(node["anyOf"][0])
    if "$ref" in node:
        return _ref(node)
    for key in ("anyOf", "oneOf"):
        if key in node:
            options = [o for o in node[key] if o.get("type") != "null"]
            return " or ".join(type_text(o) for o in options)
    if "enum" in node:
        return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
    if "const" in node:
        return f"`{node['const']}`"
    kind = node.get("type")
    if kind == "array":
        size = ""
        if node.get("minItems") == node.get("maxItems") and "minItems" in node:
            size = f" of {node['minItems']}"
        return f"list{size} of {type_text(node['items'])}"
    if kind == "object":
        return f"mapping of name to {type_text(node.get('additionalProperties', {}))}"
    if kind == "string":
        return "text"
    if kind == "integer":
        return "whole number" + _bounds(node)
    if kind == "number":
        return "number" + _bounds(node)
    return "any"


def _default(node: dict[str, Any], required: bool) -> str:
    if required:
        return "required"
    if "default" in node and node["default"] is not None:
        value = node["default"]
        return f"default `{value:g}`" if isinstance(value, float) else f"default `{value}`"
    return "optional"


def _first_paragraph(text: str) -> str:
    return " ".join(text.replace("``", "`").split("\n\n")[0].split())


def _definition(name: str, node: dict[str, Any]) -> list[str]:
    lines = [f"## {name}", ""]
    if node.get("description"):
        lines += [_first_paragraph(node["description"]), ""]
    required = set(node.get("required", []))
    lines += ["| field | type | | meaning |", "| --- | --- | --- | --- |"]
    for field, sub in node.get("properties", {}).items():
        doc = " ".join(str(sub.get("description", "")).split()).replace("|", "\\|")
        lines.append(
            f"| `{field}` | {type_text(sub)} | {_default(sub, field in required)} | {doc} |"
        )
    return [*lines, ""]


def schema_markdown() -> str:
    """The scenario format reference: one section per kind of block, a table of fields."""
    schema = scenario_schema()
    definitions = dict(schema["$defs"])
    definitions["Scenario"] = {k: v for k, v in schema.items() if k != "$defs"}
    definitions["Scenario"]["description"] = "The whole file."
    lines = [
        "# The scenario format",
        "",
        "Generated from the JSON Schema (`portsim schema --markdown`); do not edit by hand: "
        "`tests/test_schema.py` fails when this page and the schema drift apart.",
        "",
        "A **duration** is a number of seconds or a number with a unit: `45s`, `2.5min`, "
        "`8h`, `1d`. A **time of day** is a duration from 00:00 (`6h`, `7.5h`). A **rate** is "
        "a number per second or a number per unit: `1800/h`, `30/min`. Unknown fields are "
        "errors. `portsim validate FILE` checks a file, including what a schema cannot say "
        "(a route names a stage that exists, a pledge a flow that exists).",
        "",
    ]
    names = [n for n in ORDER if n in definitions]
    names += sorted(set(definitions) - set(names))
    for name in names:
        lines += _definition(name, definitions[name])
    return "\n".join(lines).rstrip() + "\n"
