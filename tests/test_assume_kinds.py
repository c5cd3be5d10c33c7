"""A shared assumption stands only where its kind goes (a speed in a walk's speed, and only
there; a duration or a count never there), a walk's speed that references an assumption in a
scenario without a file of them is one line, a comparison's ``--assume`` is checked against
its base (a variant that no longer uses the assumption runs), and a sweep's ``--vary`` takes
the walk form. Every expected time is computed by hand from constant services."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import portsim
from portsim.cli import main
from portsim.errors import ScenarioError

ASSUMED = """\
counter: {value: 40s, low: 30s, high: 60s, source: assumed}
speed: {value: 1.2, low: 0.9, high: 1.4, unit: m/s, source: a walking speed}
share: {value: 0.5, low: 0.25, high: 1.0, source: assumed}
"""

#: five travellers, one a minute from 0, at one constant-time counter, then a walk of 144 m
#: (120 s at 1.2 m/s) to a gate of 1 s: nobody waits while the counter takes under a minute,
#: so a traveller's time in port is the counter's time + 120 s + 1 s.
PORT = """\
name: port
assumptions: assumed.yaml
horizon: 1h
replications: 2
seed: 7
flows: [{name: f, arrivals: {every: 60s, from: 0h, to: 5min}, route: [hall, gate]}]
stages:
  - name: hall
    lanes:
      - name: counters
        count: 1
        service: {dist: constant, value: {assumption: counter}}
    transfer: {dist: constant, value: {walk: 144m, speed: {assumption: speed}}}
  - name: gate
    lanes: [{name: gate, count: {assumption: share, of: 2}, service: {dist: constant, value: 1s}}]
"""

WALK = "{walk: 144m, speed: {assumption: speed}}"


def _port(folder: Path, text: str = PORT, assumed: str = ASSUMED) -> Path:
    (folder / "assumed.yaml").write_text(assumed, encoding="utf-8")
    path = folder / "port.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.stderr, result.stderr
    return result.exit_code, result.stdout, result.stderr


def _refused(*args: str) -> str:
    """The one line a careless command is answered with (exit code 2)."""
    code, _, err = _invoke(*args)
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1, err
    return err.strip()


def _json(*args: str) -> dict:
    code, out, err = _invoke(*args, "--json", "-")
    assert code == 0, err
    return json.loads(out)


# -- a walk's speed that references an assumption, in a file that names none


NEEDS = (
    "stages.hall.transfer.value.speed: {assumption: speed} needs the file of shared "
    "assumptions named at the scenario's top: assumptions: assumptions.yaml"
)


def test_a_walk_at_an_assumed_speed_needs_the_file_of_assumptions(tmp_path: Path) -> None:
    text = PORT.replace("assumptions: assumed.yaml\n", "")
    text = text.replace("{assumption: counter}", "40s").replace("{assumption: share, of: 2}", "1")
    path = _port(tmp_path, text)
    assert _refused("validate", str(path)) == f"{path}: {NEEDS}"
    with pytest.raises(ScenarioError) as caught:
        portsim.load_scenario(path)
    assert str(caught.value) == f"{path}: {NEEDS}"
    # the same walk given by --set, to a file with a plain walk
    plain = _port(tmp_path, text.replace(WALK, "{walk: 144m, speed: 1.2}"), "")
    assert _invoke("validate", str(plain))[0] == 0
    assert _refused("run", str(plain), "--set", f"stages.hall.transfer.value={WALK}") == (
        f"{plain}: {NEEDS}"
    )


# -- an assumption stands where its kind goes


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (  # a duration as a speed: a 144 m walk would take 3.6 s
            WALK,
            "{walk: 144m, speed: {assumption: counter}}",
            "stages.hall.transfer.value.speed: counter is a duration (40.0 s), not a speed in m/s",
        ),
        (
            WALK,
            "{walk: 144m, speed: {assumption: share, of: 2}}",
            "stages.hall.transfer.value.speed: {assumption: share, of: 2} is a count, not a "
            "speed in m/s",
        ),
        (
            WALK,
            "{walk: 144m, speed: {assumption: speed, of: 2}}",
            "stages.hall.transfer.value.speed: {assumption: speed, of: 2} is a count, not a "
            "speed in m/s",
        ),
        (
            WALK,
            "{walk: 144m, speed: {assumption: share}}",
            "stages.hall.transfer.value.speed: share is a plain number (0.5), not a speed in "
            "m/s (a speed says unit: m/s in the file of assumptions)",
        ),
        (  # a speed as a duration: the counter would take 1.2 s
            "value: {assumption: counter}",
            "value: {assumption: speed}",
            "stages.hall.lanes.counters.service.value: speed is a speed (1.2 m/s), not a "
            "duration or a count: it goes in a walk's speed, {walk: 400m, speed: "
            "{assumption: speed}}",
        ),
        (  # a speed as a share of a count
            "{assumption: share, of: 2}",
            "{assumption: speed, of: 2}",
            "stages.gate.lanes.gate.count: speed is a speed (1.2 m/s), not a duration or a count",
        ),
    ],
)
def test_an_assumption_out_of_its_kind_is_one_line(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    assert old in PORT
    path = _port(tmp_path, PORT.replace(old, new))
    assert _refused("validate", str(path)).startswith(f"{path}: {said}")


def test_the_same_through_set(tmp_path: Path) -> None:
    path = _port(tmp_path)
    assert _refused(
        "run", str(path), "--set", "stages.hall.lanes.counters.service.value={assumption: speed}"
    ).startswith(f"{path}: stages.hall.lanes.counters.service.value: speed is a speed (1.2 m/s)")
    assert _refused(
        "run",
        str(path),
        "--set",
        "stages.hall.transfer.value={walk: 1m, speed: {assumption: counter}}",
    ) == (
        f"{path}: stages.hall.transfer.value.speed: counter is a duration (40.0 s), not a "
        "speed in m/s"
    )


@pytest.mark.parametrize(
    ("speed", "said"),
    [
        ("{value: 1.2, low: 0.9, high: 1.4, unit: km/h, source: s}", "speed.unit: 'km/h': the"),
        ("{value: 1s, low: 1s, high: 2s, unit: m/s, source: s}", "speed.value: a speed is a"),
    ],
)
def test_a_careless_unit_is_one_line(tmp_path: Path, speed: str, said: str) -> None:
    assumed = ASSUMED.replace(
        "{value: 1.2, low: 0.9, high: 1.4, unit: m/s, source: a walking speed}", speed
    )
    path = _port(tmp_path, assumed=assumed)
    assert _refused("validate", str(path)).startswith(f"{tmp_path / 'assumed.yaml'}: {said}")


def test_a_speed_runs_and_its_unit_is_in_the_json(tmp_path: Path) -> None:
    data = _json("run", str(_port(tmp_path)), "--assume", "speed=0.9")
    # 144 m at 0.9 m/s = 160 s: 40 + 160 + 1 s in port
    assert data["flows"]["f"]["system_time_mean_s"]["mean"] == pytest.approx(201.0)
    assert data["assumptions"]["speed"]["unit"] == "m/s"
    assert data["assumptions"]["share"]["unit"] is None


# -- compare --assume: checked against the base, not each variant


def test_a_variant_that_replaces_the_assumed_field_runs(tmp_path: Path) -> None:
    path = _port(tmp_path)
    data = _json(
        "compare",
        str(path),
        "--assume",
        "counter=30s",
        "--variant",
        "slow:assumption.counter=50s",
        "--variant",
        "fast:stages.hall.lanes.counters.service.value=10s",
        "-q",
    )
    results = data["results"]
    in_port = {n: r["flows"]["f"]["system_time_mean_s"]["mean"] for n, r in results.items()}
    # the counter's 30 s (assumed), 50 s (the variant's value), 10 s (a number), + 121 s
    assert in_port == {
        "base": pytest.approx(151.0),
        "slow": pytest.approx(171.0),
        "fast": pytest.approx(131.0),
    }
    assert results["base"]["assumptions"]["counter"]["value"] == 30.0
    assert "counter" not in results["fast"]["assumptions"]
    assert results["fast"]["assumptions"]["speed"]["value"] == 1.2


def test_compare_still_refuses_a_slip_of_the_base_or_of_a_variant(tmp_path: Path) -> None:
    path = _port(tmp_path, assumed=ASSUMED + "seats: {value: 70, low: 54, high: 70, source: s}\n")
    fast = "fast:stages.hall.lanes.counters.service.value=10s"
    assert _refused("compare", str(path), "--assume", "seats=60", "--variant", fast) == (
        f"{path}: --assume seats: the scenario does not use seats (it uses counter, speed, share)"
    )
    assert _refused("compare", str(path), "--variant", f"{fast};assumption.counter=20s") == (
        f"{path}: assumption.counter: the scenario does not use counter (it uses speed, "
        "share) (in the variant 'fast')"
    )


# -- a sweep's --vary takes the walk form


def test_a_sweep_varies_a_walk(tmp_path: Path) -> None:
    path = _port(tmp_path)
    walks = "{walk: 180m, speed: 1.5},{walk: 90m, speed: {assumption: speed}},30s"
    data = _json("sweep", str(path), "--vary", f"stages.hall.transfer.value={walks}", "-q")
    in_port = [row["flows.f.system_time_mean_s"] for row in data["rows"]]
    # walks of 120 s, 75 s (90 m at 1.2 m/s) and 30 s, after 40 s at the counter, + 1 s
    assert in_port == [pytest.approx(161.0), pytest.approx(116.0), pytest.approx(71.0)]
    labels = [row["stages.hall.transfer.value"] for row in data["rows"]]
    assert labels == ["180m at 1.5 m/s", "90m at speed", "30s"]
    variant = "short:stages.hall.transfer.value={walk: 60m, speed: 2}"
    data = _json("sweep", str(path), "--variant", variant, "-q")
    assert [row["flows.f.system_time_mean_s"] for row in data["rows"]] == [pytest.approx(71.0)]
    assert data["rows"][0]["variant"] == "short"  # a variant keeps its name


def test_a_careless_walk_in_a_sweep_is_one_line(tmp_path: Path) -> None:
    path = _port(tmp_path)
    said = _refused(
        "sweep", str(path), "--vary", "stages.hall.transfer.value={walk: far, speed: 1},30s"
    )
    assert said.startswith(f"{path}: stages.hall.transfer.value.walk: 'far' is not a distance")
