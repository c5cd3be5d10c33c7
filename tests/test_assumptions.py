"""Shared assumptions (``assumptions: FILE`` and ``{assumption: NAME}``): resolved at load to
the numbers written out, round-tripped, refused with one line when careless; the joint
calibration finds a known optimum; the guide's leave-one-port-out tables are made from the
scenarios and assumptions as they are."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner

import portsim
from portsim.cli import main
from portsim.results.figures import NOT_REPRODUCED, REPRODUCED
from portsim.scenario.assumptions import Assumption

from . import calibration, calibration_search, library
from .calibration_search import Space, Told, descend

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


def test_the_joint_search_finds_the_value_the_figures_were_made_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two ports whose figure was made with a 40 s counter: every point but 40 s misses it by
    |T - 40| / 40 (by hand: nobody waits), so the search over 30-50 s chooses 40 s, jointly
    and with either port left out, and nothing else does as well (35 s: two misses of
    0.125, a score of 0.03125 > 0.01); nobody waits, so the share of counters staffed moves
    nothing: the figures cannot tell it, and the file's 0.75 is kept."""
    monkeypatch.setattr(calibration.library, "workers", lambda: 1)
    files = {n: _port(tmp_path, n) for n in ("north", "south")}
    assumed = portsim.scenario.assumptions.read_assumptions(tmp_path / "assumed.yaml")
    assert calibration.grid(assumed["counter"]) == (30.0, 35.0, 40.0, 45.0, 50.0)
    runs = calibration.Runs(files, {n: {"counter", "share"} for n in files}, _run_outcomes)
    for case in files:
        missed = [runs.outcomes(case, {"counter": v, "share": 0.75})[0].miss for v in (30, 40)]
        assert missed == [0.25, 0.0]
        at_45 = runs.outcomes(case, {"counter": 45.0, "share": 0.75})
        assert calibration.verdict_text(at_45) == "not reproduced (1 not reproduced)"
    together = calibration.calibrate(runs, list(files), assumed)
    assert together.values == {"counter": 40.0, "share": 0.75}
    assert together.told == (
        Told("counter", 40.0, 40.0, 40.0, cannot_tell=False),
        Told("share", 0.75, 0.5, 1.0, cannot_tell=True),
    )
    held = calibration.leave_one_out(runs, assumed)
    assert {case: c.values["counter"] for case, c in held.items()} == {"north": 40.0, "south": 40.0}
    there = runs.outcomes("north", held["north"].values)
    assert calibration.verdict_text(there) == "reproduced (1 reproduced)"


def _run_outcomes(file: Path, values: Mapping[str, float]) -> calibration.Outcomes:
    assert set(values) == {"counter", "share"}  # the values the port uses, no others
    return calibration.run_outcomes(file, values)


def test_the_runs_are_kept_in_a_store_and_taken_back_under_the_same_tag(
    tmp_path: Path,
) -> None:
    calls: list[tuple[str, dict[str, float]]] = []
    store = tmp_path / "runs.jsonl"
    files, used = {"pin": Path("pin.yaml")}, {"pin": {"t"}}
    first = calibration.Runs(files, used, _fake(calls), store, "a")
    made = [first.outcomes("pin", {"t": t, "s": 0.5}) for t in (25.0, 30.0)]
    assert len(calls) == 2
    again = calibration.Runs(files, used, _fake(calls), store, "a")
    assert [again.outcomes("pin", {"t": t}) for t in (25.0, 30.0)] == made
    assert len(calls) == 2  # taken back, not run again
    assert (again.count(), again.count("pin")) == (2, 2)
    other = calibration.Runs(files, used, _fake(calls), store, "b")
    other.outcomes("pin", {"t": 25.0})
    assert len(calls) == 3  # another tag: the scenarios or settings changed, run again


def test_a_flat_score_keeps_the_value_nearest_the_file() -> None:
    """A score flat on 25-45 s: the descent keeps the file's 45 s (or the point of the flat
    stretch nearest it); 60 s, which misses, is not chosen."""
    points = {"t": (25.0, 35.0, 45.0, 60.0)}
    flat = lambda point: 0.25 if point["t"] == 60.0 else 0.0  # noqa: E731
    assert descend(flat, Space(points, {"t": 45.0}), {"t": 45.0}) == {"t": 45.0}
    assert descend(flat, Space(points, {"t": 60.0}), {"t": 60.0}) == {"t": 45.0}
    assert descend(flat, Space(points, {"t": 30.0}), {"t": 60.0}) == {"t": 25.0}  # tie: lower


def test_a_grid_has_the_ends_the_value_and_round_steps() -> None:
    assert calibration_search.grid(25, 60, 45) == (25, 30, 35, 40, 45, 50, 55, 60)
    assert calibration_search.grid(7, 15, 12) == (7, 8, 10, 12, 14, 15)
    assert calibration_search.grid(7, 20, 10) == (7, 8, 10, 12, 14, 16, 18, 20)
    assert calibration_search.grid(0.5, 1.0, 0.75) == (0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1.0)
    assert calibration_search.grid(3, 3, 3) == (3,)


#: fake ports (the runner reads the file's name): ``bowl`` is least at t = 30 s, e = 12 s
#: and uses nothing else; ``ridge`` is met wherever s / t = 1 / 50 (capacity ~ staffed share
#: / counter time), a pair confounded along the whole ranges; ``pin`` wants t = 30 s only
FAKE_RANGES = {"t": (25.0, 50.0, 45.0), "e": (7.0, 15.0, 12.0), "s": (0.5, 1.0, 0.75)}
FAKE_USED = {"bowl": {"t", "e"}, "ridge": {"t", "s"}, "pin": {"t"}, "flat": {"e"}}


def _fake_miss(port: str, v: Mapping[str, float]) -> float:
    if port == "bowl":
        return math.hypot((v["t"] - 30) / 10, (v["e"] - 12) / 4)
    if port == "ridge":
        return abs(v["s"] * 50 / v["t"] - 1)
    if port == "pin":
        return abs(v["t"] - 30) / 30
    return 0.0


def _fake(calls: list[tuple[str, dict[str, float]]]) -> calibration.Runner:
    def runner(file: Path, values: Mapping[str, float]) -> calibration.Outcomes:
        port = file.stem
        assert set(values) == FAKE_USED[port]  # given only the values the port uses
        calls.append((port, dict(values)))
        m = _fake_miss(port, values)
        verdict = REPRODUCED if m <= 0.05 else NOT_REPRODUCED
        return (calibration.Outcome("wait", "validation", verdict, m),)

    return runner


def _fake_assumptions() -> dict[str, Assumption]:
    return {
        n: Assumption(n, value, low, high, "assumed", "number")
        for n, (low, high, value) in FAKE_RANGES.items()
    }


def _fake_runs(ports: list[str], calls: list[tuple[str, dict[str, float]]]) -> calibration.Runs:
    files = {p: Path(f"{p}.yaml") for p in ports}
    return calibration.Runs(files, {p: FAKE_USED[p] for p in ports}, _fake(calls))


def test_the_search_finds_a_known_minimum_and_runs_each_port_once_a_value() -> None:
    """The bowl's least is at t = 30 s, e = 12 s (score 0, by hand); its neighbours miss by
    at least 0.25 (one step of 5 s or 2 s), beyond the 0.01: both are told exactly. The
    ``flat`` port uses e alone and misses nothing: running it at every e changes nothing.
    No port runs twice at the same values of what it uses, and ``flat`` runs once for each
    point of e's grid at most, whatever t and s are."""
    calls: list[tuple[str, dict[str, float]]] = []
    runs = _fake_runs(["bowl", "flat"], calls)
    found = calibration.calibrate(runs, ["bowl", "flat"], _fake_assumptions())
    assert found.values == {"t": 30.0, "e": 12.0}  # s: no port here uses it
    assert found.told == (Told("t", 30.0, 30.0, 30.0, False), Told("e", 12.0, 12.0, 12.0, False))
    keys = [(port, tuple(sorted(v.items()))) for port, v in calls]
    assert len(keys) == len(set(keys))
    assert sum(1 for port, _ in calls if port == "flat") <= len(calibration_search.grid(7, 15, 12))


def test_a_flat_assumption_and_a_confounded_pair_are_cannot_tell() -> None:
    """On the ridge alone, every t of the grid has an s with s / t = 1 / 50 (25 s and 0.5 ...
    50 s and 1.0): the score at the chosen point rises when t moves with s held (35 s at
    s = 0.8: |0.8 x 50 / 35 - 1| = 0.14, squared 0.02 > 0.01), but the profile, s chosen
    again, stays 0: neither can be told. The descent from the file's (45 s, 0.75) reaches
    40 s (the nearer of 35 s and 40 s to the ridge at 0.75, misses 0.071 and 0.0625) and
    then 0.8. A third assumption no port here uses (e) is flat: cannot tell, the file's
    12 s kept: the ``flat`` port uses it and misses nothing."""
    runs = _fake_runs(["ridge", "flat"], [])
    found = calibration.calibrate(runs, ["ridge", "flat"], _fake_assumptions())
    assert found.values == {"t": 40.0, "e": 12.0, "s": 0.8}
    assert found.told == (
        Told("t", 40.0, 25.0, 50.0, cannot_tell=True),
        Told("e", 12.0, 7.0, 15.0, cannot_tell=True),
        Told("s", 0.8, 0.5, 1.0, cannot_tell=True),
    )
    single = runs.score(["ridge"])
    assert single({"t": 35.0, "e": 12.0, "s": 0.8}) > calibration.TOLERANCE


def test_a_third_port_tells_the_confounded_pair_apart_and_leave_one_out_says_so() -> None:
    """With ``pin`` (t = 30 s, missing 1/6 a step of 5 s: 0.028 > 0.01), t is told; on the
    ridge s is then 30 / 50 = 0.6, and its neighbours 0.5 and 0.7 cost at least 0.028 with
    t chosen again (by hand: 0.5 with 25 s or 30 s, 0.7 with 35 s or 30 s): told too. The
    lines alone stall: from (45 s, 0.75) t goes to 35 s (0.0051 + 0.0278), s to 0.7 (0 +
    0.0278), and at s = 0.7 both 30 s and 35 s score 0.0278; the diagonal step to (30 s,
    0.6) scores 0. Left out, ``pin`` is validated at the ridge's choice alone, where t
    cannot be told; the ridge at ``pin``'s, where s (used by no other port) cannot be
    told."""
    runs = _fake_runs(["ridge", "pin"], [])
    assumptions = _fake_assumptions()
    found = calibration.calibrate(runs, ["ridge", "pin"], assumptions)
    assert found.values == {"t": 30.0, "s": 0.6}  # e: no port here uses it
    assert found.of("t") == Told("t", 30.0, 30.0, 30.0, cannot_tell=False)
    assert found.of("s") == Told("s", 0.6, 0.6, 0.6, cannot_tell=False)
    held = calibration.leave_one_out(runs, assumptions)
    assert held["pin"].of("t").cannot_tell
    assert held["ridge"].values["t"] == 30.0
    assert not held["ridge"].of("t").cannot_tell
    assert held["ridge"].of("s") == Told("s", 0.75, 0.5, 1.0, cannot_tell=True)
    lines = calibration.lopo_block(runs, assumptions, found, held).splitlines()
    assert lines[0].endswith("Chosen on all 2 together: `t` 30; `s` 0.6.")
    ridge = next(line for line in lines if line.startswith("| `ridge` |"))
    # s / t = 0.75 / 30 = 1 / 40: a miss of 0.25 at the values the pin chose
    assert ridge == (
        "| `ridge` | `t` 30, `s` cannot tell (taken: 0.75) | not reproduced (1 not "
        "reproduced) | not reproduced (1 not reproduced) |"
    )


def test_the_guide_tables_were_made_from_the_scenarios_and_assumptions_as_they_are() -> None:
    for kind in ("lopo", "ranges"):
        marker, block = library.block_in_guide(kind, None)
        assert marker.endswith(f" {calibration.made_of()} -->"), (
            "regenerate on purpose: python -m tests.calibration"
        )
        assert block.count("\n| ") >= len(calibration.cases())


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("PORTSIM_CALIBRATE"),
    reason="the whole calibration (the joint searches, every case: 26 CPU minutes): "
    "PORTSIM_CALIBRATE=1 runs it; the suite checks the tables' hash (above), as it does the "
    "sensitivity tables'",
)
@pytest.mark.timeout(3600)  # the whole calibration: 23 min on the 2 shared cores at a load of 5
def test_the_guide_tables_are_the_calibration_run() -> None:
    """The whole calibration (the joint search on all five land ports and on each four,
    with what the figures can tell of each assumption: 144 runs of 3 replications, 26 CPU
    minutes, the Spring Festival's 30 runs 19 of them): the guide's two tables are what it
    gives. Like the sensitivity tables (``python -m tests.library --sensitivity``), a long
    run made on purpose: ``PORTSIM_CALIBRATE=1 python -m pytest tests/test_assumptions.py
    -k calibration_run`` checks them again."""
    lopo, ranges = calibration.blocks()
    assert library.block_in_guide("lopo", None)[1] == lopo
    assert library.block_in_guide("ranges", None)[1] == ranges
