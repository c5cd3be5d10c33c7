"""Shared assumptions (``assumptions: FILE`` and ``{assumption: NAME}``): resolved at load to
the numbers written out, round-tripped, refused with one line when careless; the joint
calibration finds a known optimum; the guide's leave-one-port-out tables are made from the
scenarios and assumptions as they are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import portsim
from portsim.cli import main

from . import calibration, library

ASSUMED = """\
counter: {value: 40s, low: 30s, high: 50s, source: assumed, confidence: L, words: a counter}
share: {value: 0.75, low: 0.5, high: 1.0, source: assumed}
"""

#: one traveller a minute at constant-time counters: nobody waits, so a traveller's time in
#: port is the counter's time exactly (40 s here: the figure was made with it)
PORT = """\
name: {name}
assumptions: assumed.yaml
horizon: 1h
seed: 7
flows: [{{name: f, arrivals: {{every: 60s}}, route: [hall]}}]
stages:
  - name: hall
    lanes:
      - name: counters
        count: {{assumption: share, of: {built}}}
        service: {{dist: constant, value: {{assumption: counter}}}}
reference:
  - figure: time in port
    value: 40s
    unit: s
    source: made with a counter of 40 s
    confidence: H
    compare_to: flows.f.system_time_mean_s
    check: validation
"""


def _port(folder: Path, name: str = "port", built: int = 94) -> Path:
    (folder / "assumed.yaml").write_text(ASSUMED, encoding="utf-8")
    path = folder / f"{name}.yaml"
    path.write_text(PORT.format(name=name, built=built), encoding="utf-8")
    return path


def test_a_reference_loads_as_the_value_written_out(tmp_path: Path) -> None:
    scenario = portsim.load_scenario(_port(tmp_path))
    written = (
        PORT.format(name="port", built=94)
        .replace("{assumption: share, of: 94}", "70")  # 0.75 x 94 = 70.5: a half to the even
        .replace("{assumption: counter}", "40s")
        .replace("assumptions: assumed.yaml\n", "")
    )
    (tmp_path / "plain.yaml").write_text(written, encoding="utf-8")
    plain = portsim.load_scenario(tmp_path / "plain.yaml")
    assert plain.assumptions is None  # a file without assumptions loads as before
    assert scenario.stages[0].lanes[0].count == 70
    assert scenario.stages[0].lanes[0].service.value == 40.0  # type: ignore[union-attr]
    assert {**portsim.dump_scenario(scenario), "assumptions": None} == {
        **portsim.dump_scenario(plain),
        "assumptions": None,
    }
    used = {a.name: a for a in scenario.assumptions or ()}
    assert used["counter"].used_at == ("stages.hall.lanes.counters.service.value",)
    assert (used["counter"].value, used["counter"].low, used["counter"].kind) == (
        40.0,
        30.0,
        "duration",
    )
    assert used["share"].used_at == ("stages.hall.lanes.counters.count",)


def test_the_loaded_scenario_round_trips_and_a_value_can_be_replaced(tmp_path: Path) -> None:
    scenario = portsim.load_scenario(_port(tmp_path))
    assert portsim.scenario_from_dict(portsim.dump_scenario(scenario)) == scenario
    dumped = tmp_path / "dumped.yaml"  # the values written out, and the record of them
    dumped.write_text(portsim.scenario_to_yaml(scenario), encoding="utf-8")
    assert portsim.load_scenario(dumped) == scenario
    faster = portsim.load_scenario(_port(tmp_path), assumptions={"counter": 30.0})
    assert faster.stages[0].lanes[0].service.value == 30.0  # type: ignore[union-attr]
    assert next(a for a in faster.assumptions or () if a.name == "counter").value == 30.0


def test_show_says_which_fields_take_the_shared_values(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["show", str(_port(tmp_path))])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = lines.index("  counter (a counter) = 40.0 s (range 30.0 s – 50.0 s; L; assumed)")
    assert lines[at + 1] == "    -> stages.hall.lanes.counters.service.value"
    assert "  share = 0.75 (range 0.5 – 1; assumed)" in lines


def _one_line(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 2, (result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            "{assumption: counter}",
            "{assumption: counter_time}",
            "stages.hall.lanes.counters.service.value: no assumption named 'counter_time' "
            "in assumed.yaml",
        ),
        (
            "{assumption: share, of: 94}",
            "{assumption: counter, of: 94}",
            "stages.hall.lanes.counters.count: counter is a duration: 'of' takes a share of a "
            "count",
        ),
        (
            "{assumption: share, of: 94}",
            "{assumption: share, times: 94}",
            "stages.hall.lanes.counters.count: a reference is {assumption: NAME} or "
            "{assumption: NAME, of: N}, not with 'times'",
        ),
        (
            "{assumption: share, of: 94}",
            "{assumption: share, of: 0.5}",
            "stages.hall.lanes.counters.count.of: of: a whole count (the share is taken of it)",
        ),
        (
            "assumptions: assumed.yaml\n",
            "",
            "stages.hall.lanes.counters.count: {assumption: share} needs the file of shared "
            "assumptions named at the scenario's top: assumptions: assumptions.yaml",
        ),
    ],
)
def test_a_careless_reference_is_one_line(tmp_path: Path, old: str, new: str, said: str) -> None:
    path = _port(tmp_path)
    path.write_text(path.read_text("utf-8").replace(old, new), encoding="utf-8")
    assert _one_line("run", str(path)) == f"{path}: {said}"


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("low: 30s", "low: 41s", "counter.value: must lie within its range: low <= value <= high"),
        (
            "source: assumed, confidence",
            "confidence",
            "counter.source: required: say the source, or 'assumed'",
        ),
        ("value: 40s", "value: 40", "counter.low: '30s' is not a number: write a number or 45s"),
        (
            "words: a counter",
            "wrds: a counter",
            "counter.wrds: no such field "
            "(fields: confidence, high, low, source, unit, value, words)",
        ),
    ],
)
def test_a_careless_file_of_assumptions_is_one_line_naming_it(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    path = _port(tmp_path)
    assumed = tmp_path / "assumed.yaml"
    assumed.write_text(ASSUMED.replace(old, new), encoding="utf-8")
    assert _one_line("run", str(path)) == f"{assumed}: {said}"


def test_a_missing_file_of_assumptions_is_one_line(tmp_path: Path) -> None:
    path = _port(tmp_path)
    (tmp_path / "assumed.yaml").unlink()
    line = _one_line("run", str(path))
    assert line.startswith(f"{tmp_path / 'assumed.yaml'}: cannot read the file")


def test_a_value_for_an_unknown_assumption_is_refused(tmp_path: Path) -> None:
    with pytest.raises(portsim.ScenarioError, match=r"no assumption named walk in assumed\.yaml"):
        portsim.load_scenario(_port(tmp_path), assumptions={"walk": 1.0})
    plain = tmp_path / "plain.yaml"
    plain.write_text(
        _port(tmp_path)
        .read_text("utf-8")
        .replace("assumptions: assumed.yaml\n", "")
        .replace("{assumption: share, of: 94}", "70")
        .replace("{assumption: counter}", "40s"),
        encoding="utf-8",
    )
    with pytest.raises(portsim.ScenarioError, match="references no shared assumption"):
        portsim.load_scenario(plain, assumptions={"counter": 30.0})


def test_the_joint_search_finds_the_value_the_figures_were_made_with(tmp_path: Path) -> None:
    """Two ports whose figure was made with a 40 s counter: every point but 40 s misses it by
    |T - 40| / 40 (by hand: nobody waits), so the grid over 30-50 s chooses 40 s, jointly
    and with either port left out; its verdict there is reproduced, elsewhere not."""
    files = {n: _port(tmp_path, n) for n in ("north", "south")}
    counter = portsim.scenario.assumptions.read_assumptions(tmp_path / "assumed.yaml")["counter"]
    points = calibration.grid(counter)
    assert points == (30.0, 35.0, 40.0, 45.0, 50.0)
    table = calibration.run_grid(files, "counter", points)
    for case in files:
        assert [table[case][v][0].miss for v in points] == [0.25, 0.125, 0.0, 0.125, 0.25]
        assert calibration.verdict_text(table[case][40.0]) == "reproduced (1 reproduced)"
        assert calibration.verdict_text(table[case][45.0]) == "not reproduced (1 not reproduced)"
    assert calibration.choose(table, list(files), nearest_to=50.0) == 40.0
    assert calibration.leave_one_out(table, nearest_to=30.0) == {"north": 40.0, "south": 40.0}


def test_a_flat_score_chooses_the_value_nearest_the_file() -> None:
    met = (calibration.Outcome("f", "validation", "reproduced", 0.0),)
    missed = (calibration.Outcome("f", "validation", "not reproduced", 0.5),)
    table = {"a": {25.0: met, 35.0: met, 45.0: met, 60.0: missed}}
    assert calibration.choose(table, ["a"], nearest_to=45.0) == 45.0
    assert calibration.choose(table, ["a"], nearest_to=60.0) == 45.0
    assert calibration.choose(table, [], nearest_to=60.0) == 60.0  # nothing to tell: the file


def test_the_guide_tables_were_made_from_the_scenarios_and_assumptions_as_they_are() -> None:
    for kind in ("lopo", "ranges"):
        marker, block = library.block_in_guide(kind, None)
        assert marker.endswith(f" {calibration.made_of()} -->"), (
            "regenerate on purpose: python -m tests.calibration"
        )
        assert block.count("\n| ") >= len(calibration.CASE_NAMES)


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("PORTSIM_CALIBRATE"),
    reason="the whole calibration grid (8.5 CPU minutes): PORTSIM_CALIBRATE=1 runs it; the "
    "suite checks the tables' hash (above), as it does the sensitivity tables'",
)
@pytest.mark.timeout(2400)  # the whole grid: 16 min on the 2 shared cores at a load of 6
def test_the_guide_tables_are_the_calibration_run() -> None:
    """The whole grid (8 points x 5 scenarios, 3 replications, and each other assumption's
    ends: 8.5 CPU minutes, the Spring Festival's six days most of them): the guide's two
    tables are what it gives. Like the sensitivity tables (``python -m tests.library
    --sensitivity``), a long run made on purpose: ``PORTSIM_CALIBRATE=1 python -m pytest
    tests/test_assumptions.py -k calibration_run`` checks them again."""
    lopo, ranges = calibration.blocks()
    assert library.block_in_guide("lopo", None)[1] == lopo
    assert library.block_in_guide("ranges", None)[1] == ranges
