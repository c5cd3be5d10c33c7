"""A lane group drawing on several pools (``staff: [dual_counters, officers]``) in the
scenario, ``show``, the scenario in words and the diagram; careless input refused in one
line before the run (a pool named twice in one group, per-lane numbers for a pool it does
not draw on, an unknown pool in the list, a lane needing more of a pool than it has); and
the pool-short warning counting each pool's demand from all its groups, those of several
pools included."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from portsim import format_show, scenario_from_dict
from portsim.cli import main
from portsim.model import compile_scenario
from portsim.model.staff_load import staff_warnings
from portsim.report.describe import describe_scenario
from portsim.report.diagram import diagram_svg
from portsim.scenario.yaml_io import load_yaml

from .test_staff_streaming import two_directions
from .test_streaming import assert_runs_agree

SVG = "{http://www.w3.org/2000/svg}"

PORT = """\
name: counters with their officers
horizon: 1d
staff:
  - {name: counters, count: 6, switch: 3min}
  - name: officers
    schedule:
      - {from: "00:00", to: "08:00", count: 10}
      - {from: "08:00", to: "24:00", count: 20}
flows:
  - {name: north, arrivals: {rate: 60/h}, route: [north]}
stages:
  - name: north
    lanes:
      - name: dual
        staff: [counters, officers]
        staff_per_lane: {officers: 2}
        schedule:
          - {from: "00:00", to: "08:00", count: 4}
          - {from: "08:00", to: "24:00", count: 6}
        service: {dist: exponential, mean: 40s}
      - name: desks
        staff: officers
        schedule:
          - {from: "00:00", to: "08:00", count: 3}
          - {from: "08:00", to: "24:00", count: 9}
        service: {dist: exponential, mean: 40s}
"""


def _run(tmp_path: Path, text: str) -> tuple[int, str, str]:
    path = tmp_path / "port.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(path), "--replications", "1"])
    return result.exit_code, result.stdout, result.stderr


DUAL = "staff: [counters, officers]\n        staff_per_lane: {officers: 2}"


@pytest.mark.parametrize(
    ("new", "field", "words"),
    [
        (
            "staff: [officers, officers]",
            "stages.north.lanes.dual",
            "staff names pool 'officers' twice: a lane draws on a pool once",
        ),
        (
            "staff: [counters, officers]\n        staff_per_lane: {officers: 2, dual: 1}",
            "stages.north.lanes.dual",
            "staff_per_lane names pool 'dual', which this group does not draw on "
            "(its staff: counters, officers)",
        ),
        (
            "staff: [counters, oficers]",
            "stages.north.lanes.dual.staff",
            "unknown staff pool 'oficers' (pools: counters, officers)",
        ),
        (
            "staff: [counters, officers]\n        staff_per_lane: {counters: 7}",
            "stages.north.lanes.dual.staff_per_lane",
            "a lane takes 7 of pool 'counters', which has 6 on duty at most",
        ),
        (
            "staff: []",
            "stages.north.lanes.dual",
            "staff: name at least one pool (or leave 'staff' out)",
        ),
        (
            "staff: [counters, officers]\n        lend_below: 2min",
            "stages.north.lanes.dual.lend_below",
            "pool 'counters' or 'officers' does not lend lanes",
        ),
    ],
    ids=["named twice", "per lane of another pool", "unknown", "too many", "none", "lend"],
)
def test_careless_groups_of_several_pools_are_refused_in_one_line(
    tmp_path: Path, new: str, field: str, words: str
) -> None:
    assert DUAL in PORT
    code, out, err = _run(tmp_path, PORT.replace(DUAL, new, 1))
    assert code == 2, err
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"{tmp_path / 'port.yaml'}: {field}: "), lines[0]
    assert words in lines[0]


def test_each_pool_s_demand_counts_the_groups_of_several_pools() -> None:
    """00:00-08:00: counters 4 (dual) of 6; officers 4 × 2 + 3 = 11 of 10. 08:00-24:00:
    counters 6 of 6; officers 6 × 2 + 9 = 21 of 20."""
    model = compile_scenario(scenario_from_dict(load_yaml(PORT)))
    assert staff_warnings(model) == [
        "staff pool 'officers': at 00:00–08:00 the lane groups ask for 11 officers, the pool "
        "has 10: lanes wait for officers (and 1 more time in the run)"
    ]
    assert [p.groups for p in model.pools] == [(0,), (0, 1)]
    assert model.groups[0].staffing is not None
    assert model.groups[0].staffing.pools == (0, 1)
    assert model.groups[0].staffing.per_lane == (1, 2)


def _port() -> dict[str, Any]:
    """Two directions; the dual-facing counters draw on the officers too (2 a lane)."""
    data = two_directions()
    for stage in data["stages"]:
        for group in stage["lanes"]:
            if group["name"] == "dual":
                group["staff"] = ["dual_counters", "officers"]
                group["staff_per_lane"] = {"officers": 2}
    return data


def test_show_says_a_lane_takes_some_of_each_pool() -> None:
    lines = format_show(scenario_from_dict(_port())).splitlines()
    assert lines[2].endswith("shared by north.desks, north.dual, south.desks, south.dual")
    assert lines[3].endswith("shared by north.dual, south.dual")
    dual = [line for line in lines if line.startswith("  dual:")]
    assert len(dual) == 2
    assert all("; staff dual_counters and officers (2 a lane);" in line for line in dual)


def test_the_scenario_in_words_says_what_each_lane_takes() -> None:
    sections = dict(describe_scenario(scenario_from_dict(_port())))
    officers, counters = sections["Staff"]
    assert "north.dual (2 a lane, with dual_counters)" in officers
    assert "north.dual (with officers)" in counters
    stages = " ".join(sections["Stages and lanes"])
    assert "a lane takes 1 of pool dual_counters and 2 of pool officers" in stages


def test_the_diagram_names_both_pools_of_a_group() -> None:
    root = ET.fromstring(diagram_svg(scenario_from_dict(_port())))
    texts = {
        e.get("id", ""): " ".join(
            " ".join((t.text or "").replace("\u00a0", " ").split()) for t in e.iter(f"{SVG}text")
        )
        for e in root.iter()
        if e.get("id")
    }
    dual = " ".join(texts["lanes-north-dual-text"].split())
    assert "shares dual_counters (6 on duty, 3.0 min to switch)" in dual
    assert "shares officers, 2 a lane (9–12 on duty by the clock, 2.0 min to switch)" in dual


def test_streaming_and_exact_agree_with_counters_drawing_on_the_officers() -> None:
    """The two-direction port whose dual-facing counters also take 2 officers a lane: the
    streaming tallies and the exact metrics agree (the rules of tests/test_streaming.py)."""
    assert assert_runs_agree(scenario_from_dict(_port()), 2, 25) > 20


def test_the_officers_at_the_counters_count_in_the_officers_pool() -> None:
    """06:00-14:00 the officers pool is asked for the desks' 6 + 6 and the dual-facing
    counters' (5 + 1) lanes × 2 officers: 24 against 12 on duty."""
    model = compile_scenario(scenario_from_dict(_port()))
    warnings = staff_warnings(model)
    assert warnings[0].startswith(
        "staff pool 'officers': at 06:00–14:00 the lane groups ask for 24 officers, the pool has 12"
    )
