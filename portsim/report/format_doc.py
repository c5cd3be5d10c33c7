"""The scenario format reference as Markdown, generated from the JSON Schema
(``portsim schema --markdown``; ``docs/scenario-format.md`` is its output, and a test fails
when the two drift apart)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
    "LoadedArrivals",
    "TimedLoad",
    "RouteStep",
    "Stage",
    "LaneGroup",
    "ScheduleEntry",
    "Exponential",
    "Constant",
    "LogNormal",
    "Gamma",
    "Weibull",
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
#: a node of the JSON Schema: its keywords and their values
Node = Mapping[str, object]


def _node(value: object) -> Node:
    """A keyword's value that is itself a schema node (an empty one if it is not)."""
    return value if isinstance(value, Mapping) else {}


def _nodes(value: object) -> list[Node]:
    """A keyword's list of schema nodes (``anyOf``, ``oneOf``)."""
    return [_node(v) for v in value] if isinstance(value, Sequence) else []


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def _ref(node: Node) -> str:
    name = str(node["$ref"]).rsplit("/", 1)[-1]
    return f"[{name}](#{name.lower()})"


def _bounds(node: Node) -> str:
    parts = []
    for key, sign in (
        ("minimum", "≥"),
        ("exclusiveMinimum", ">"),
        ("maximum", "≤"),
        ("exclusiveMaximum", "<"),
    ):
        if key in node:
            parts.append(f"{sign} {_number(node[key])}")
    return (" " + ", ".join(parts)) if parts else ""


def type_text(node: Node) -> str:
    """A schema node's type in words, with links to the definitions it names."""
    unit = node.get(UNIT_KEY)
    if isinstance(unit, str) and unit in _UNIT_NAMES:
        return _UNIT_NAMES[unit] + _bounds(_nodes(node.get("anyOf"))[0])
    if "$ref" in node:
        return _ref(node)
    for key in ("anyOf", "oneOf"):
        if key in node:
            options = [o for o in _nodes(node[key]) if o.get("type") != "null"]
            return " or ".join(type_text(o) for o in options)
    enum = node.get("enum")
    if isinstance(enum, Sequence):
        return "one of " + ", ".join(f"`{v}`" for v in enum)
    if "const" in node:
        return f"`{node['const']}`"
    kind = node.get("type")
    if kind == "array":
        size = ""
        if node.get("minItems") == node.get("maxItems") and "minItems" in node:
            size = f" of {node['minItems']}"
        return f"list{size} of {type_text(_node(node.get('items')))}"
    if kind == "object":
        return f"mapping of name to {type_text(_node(node.get('additionalProperties')))}"
    if kind == "string":
        return "text"
    if kind == "integer":
        return "whole number" + _bounds(node)
    if kind == "number":
        return "number" + _bounds(node)
    return "any"


def _default(node: Node, required: bool) -> str:
    if required:
        return "required"
    if "default" in node and node["default"] is not None:
        value = node["default"]
        return f"default `{value:g}`" if isinstance(value, float) else f"default `{value}`"
    return "optional"


def _first_paragraph(text: str) -> str:
    return " ".join(text.replace("``", "`").split("\n\n")[0].split())


def _definition(name: str, node: Node) -> list[str]:
    lines = [f"## {name}", ""]
    description = node.get("description")
    if isinstance(description, str) and description:
        lines += [_first_paragraph(description), ""]
    listed = node.get("required")
    required = set(listed) if isinstance(listed, Sequence) else set()
    lines += ["| field | type | | meaning |", "| --- | --- | --- | --- |"]
    for field, value in _node(node.get("properties")).items():
        sub = _node(value)
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
