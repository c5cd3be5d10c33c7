"""Fuzzing scenario files: random mutations of a valid scenario (deleted keys, swapped
types, booleans, NaN, huge and tiny numbers, clock strings, aliases) end in a valid run or in
exit code 2 with one line, never a traceback."""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portsim.cli import main

from .strategies import scenarios

WEIRD: list[Any] = [
    True,
    False,
    None,
    math.nan,
    math.inf,
    -math.inf,
    0,
    -1,
    1e300,
    -1e300,
    10**30,
    1e12,
    1e-300,
    5e-324,
    "6:30",
    "24:00",
    "99:99",
    "1:30:00",
    "",
    "x" * 200,
    "1e12",
    "010",
    "2.5min",
    "1800/h",
    [],
    {},
    [1, 2],
    {"dist": "gamma"},
]
#: horizon and warm-up, overridden to keep a run short unless a mutation chose them
SHORT = ("horizon=20min", "warmup=0")


def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key and list index below ``node``, as paths."""
    out = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _places(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _places(value, (*path, index))
    return out


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    node = data
    for part in path[:-1]:
        node = node[part]
    return node


@st.composite
def mutated(draw: st.DrawFn) -> tuple[dict[str, Any], set[str]]:
    """A valid scenario with one to three mutations, and the top-level keys they touched."""
    data = copy.deepcopy(draw(scenarios(max_flows=2, max_stages=2)))
    touched: set[str] = set()
    for _ in range(draw(st.integers(1, 3))):
        places = _places(data)
        if not places:
            break
        path = draw(st.sampled_from(places))
        parent = _parent(data, path)
        touched.add(str(path[0]))
        action = draw(st.sampled_from(["delete", "weird", "wrap", "alias"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "wrap":
            parent[path[-1]] = draw(st.sampled_from([[parent[path[-1]]], {"x": parent[path[-1]]}]))
        elif action == "alias":  # the same object twice: the YAML gets an anchor and an alias
            other = draw(st.sampled_from(places))
            if other[:-1] != path[: len(other) - 1] and path[:-1] != other[: len(path) - 1]:
                parent[path[-1]] = _parent(data, other)[other[-1]]
                touched.add(str(other[0]))
        else:
            parent[path[-1]] = draw(st.sampled_from(WEIRD))
    return data, touched


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=mutated())
def test_a_mutated_scenario_runs_or_fails_in_one_line(
    tmp_path: Path, case: tuple[dict[str, Any], set[str]]
) -> None:
    data, touched = case
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    text = text.replace("'6:30'", "6:30").replace("'24:00'", "24:00")  # as planners write them
    file = tmp_path / "fuzzed.yaml"
    file.write_text(text, encoding="utf-8")
    overrides = [
        arg
        for assignment in SHORT
        if assignment.split("=")[0] not in touched
        for arg in ("--set", assignment)
    ]
    result = CliRunner().invoke(main, ["run", str(file), "-r", "1", "--workers", "1", *overrides])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        text,
        result.exception,
    )
    assert "Traceback" not in result.stderr
    assert result.exit_code in {0, 2}, (text, result.stderr)
    if result.exit_code == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, (text, result.stderr)
        assert lines[0].startswith(str(file)), lines[0]
        assert len(lines[0]) < 400, lines[0]
        assert result.stdout == ""
    else:
        assert "Flows" in result.stdout
