"""Another value for a shared assumption (``--assume NAME=VALUE``, ``assumption.NAME`` in
``--variant`` and ``--vary``): the value reaches the run (a D/D/1 queue's waits computed by
hand), careless input is one line before the run, the reports list the assumptions used
(text, HTML table, JSON block, comparison) and say nothing for a scenario without them; walks
given as a distance at a speed load to the seconds they take."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import portsim
from portsim.cli import main
from portsim.scenario.load import scenario_from_dict

ASSUMED = """\
counter: {value: 40s, low: 30s, high: 60s, source: assumed, confidence: L, words: a counter}
speed: {value: 1.2, low: 0.9, high: 1.4, unit: m/s, source: a walking speed, confidence: M}
"""

#: five travellers, one a minute from 0 (0, 60, ..., 240 s), at one constant-time counter,
#: then a walk of 144 m (2 min at 1.2 m/s) to a gate of 1 s. At the file's 40 s nobody
#: waits; at 90 s (D/D/1, service longer than the gap) the k-th traveller (from 0) starts
#: at 90k s, having arrived at 60k s: waits 0, 30, 60, 90, 120 s, a mean of 60 s.
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
    lanes: [{name: gate, count: 1, service: {dist: constant, value: 1s}}]
"""

PLAIN = """\
name: plain
horizon: 1h
replications: 2
seed: 7
flows: [{name: f, arrivals: {every: 60s, from: 0h, to: 5min}, route: [hall]}]
stages:
  - name: hall
    lanes: [{name: counters, count: 1, service: {dist: constant, value: 40s}}]
"""


def _port(folder: Path, text: str = PORT) -> Path:
    (folder / "assumed.yaml").write_text(ASSUMED, encoding="utf-8")
    path = folder / "port.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _plain(folder: Path) -> Path:
    path = folder / "plain.yaml"
    path.write_text(PLAIN, encoding="utf-8")
    return path


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.stderr, result.stderr
    return result.exit_code, result.stdout, result.stderr


def _json(*args: str) -> dict:
    code, out, err = _invoke(*args, "--json", "-")
    assert code == 0, err
    return json.loads(out)


def _waits(records: Path) -> list[float]:
    """The waits at the hall of the first replication's travellers, in arrival order."""
    rows = list(csv.DictReader(io.StringIO(records.read_text("utf-8"))))
    first = [r for r in rows if r["replication"] == "0" and r["stage"] == "hall"]
    first.sort(key=lambda r: float(r["join"]))
    return [float(r["start"]) - float(r["join"]) for r in first]


# -- the value reaches the run


def test_the_file_value_and_an_assumed_one_give_the_waits_computed_by_hand(
    tmp_path: Path,
) -> None:
    path = _port(tmp_path)
    as_written = tmp_path / "written.csv"
    code, _, err = _invoke("run", str(path), "--records", str(as_written), "-q")
    assert code == 0, err
    assert _waits(as_written) == [0.0] * 5
    assumed = tmp_path / "assumed.csv"
    code, _, err = _invoke(
        "run", str(path), "--assume", "counter=90s", "--records", str(assumed), "-q"
    )
    assert code == 0, err
    assert err.strip().startswith(f"warning: {path}: counter = 90")  # beyond its 60 s
    assert _waits(assumed) == [0.0, 30.0, 60.0, 90.0, 120.0]
    data = _json("run", str(path), "--assume", "counter=1.5min")
    assert data["overall"]["wait_mean_s"]["mean"] == pytest.approx(60.0, abs=1e-9)
    # the walk at another speed: 144 m at 0.9 m/s = 160 s between the counter and the gate
    # (nobody waits at either: one a minute, at most 40 s at a counter, 1 s at the gate)
    data = _json("run", str(path), "--assume", "speed=0.9", "--assume", "counter=40s")
    assert data["overall"]["system_time_mean_s"]["mean"] == pytest.approx(40.0 + 160.0 + 1.0)
    assert _json("run", str(path))["overall"]["system_time_mean_s"]["mean"] == pytest.approx(
        40.0 + 120.0 + 1.0
    )


def test_a_value_within_the_range_runs_without_a_warning_and_the_last_one_given_wins(
    tmp_path: Path,
) -> None:
    path = _port(tmp_path)
    code, out, err = _invoke(
        "run", str(path), "--assume", "counter=90s", "--assume", "counter=50s", "--json", "-"
    )
    assert code == 0
    assert err == ""
    block = json.loads(out)["assumptions"]["counter"]
    assert (block["value"], block["file_value"], block["overridden"]) == (50.0, 40.0, True)
    assert block["outside_range"] is False


def test_a_variant_and_a_sweep_take_an_assumption(tmp_path: Path) -> None:
    path = _port(tmp_path)
    data = _json("compare", str(path), "--variant", "slow:assumption.counter=90s", "-q")
    waits = {n: r["overall"]["wait_mean_s"]["mean"] for n, r in data["results"].items()}
    assert waits == {"base": 0.0, "slow": pytest.approx(60.0)}
    assert data["results"]["slow"]["assumptions"]["counter"]["value"] == 90.0
    sweep = _json("sweep", str(path), "--vary", "assumption.counter=30s:90s:30s", "-q")
    rows = {row["assumption.counter"]: row["overall.wait_mean_s"] for row in sweep["rows"]}
    # 30 s and 60 s: never longer than the minute between travellers, so nobody waits
    assert rows == {"30s": 0.0, "60s": 0.0, "90s": pytest.approx(60.0)}


# -- careless input: one line, exit code 2, before the run


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("countr=50s", "--assume countr: no assumption named countr in assumed.yaml"),
        ("counter=fast", "--assume counter: 'fast' is not a duration"),
        ("counter=50", None),  # a plain number of a duration is seconds: fine
        ("speed=fast", "--assume speed: 'fast': speed is a speed in m/s: a number, without"),
        ("counter=-5s", "--assume counter: '-5s' is below 0"),
        ("speed=0", "stages.hall.transfer.value.speed: a walking speed above 0"),
    ],
)
def test_a_careless_value_is_one_line(tmp_path: Path, given: str, said: str | None) -> None:
    path = _port(tmp_path)
    code, _, err = _invoke("run", str(path), "--assume", given, "--json", "-")
    if said is None:
        assert code == 0
        return
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"{path}: {said}")


def test_careless_uses_of_the_option_are_one_line(tmp_path: Path) -> None:
    path = _port(tmp_path)
    code, _, err = _invoke("run", str(path), "--assume", "counter")
    assert (code, err.strip()) == (
        2,
        "--assume counter: expected NAME=VALUE, for example land_counter_time=30s",
    )
    code, _, err = _invoke("run", str(_plain(tmp_path)), "--assume", "counter=50s")
    assert code == 2
    assert err.strip() == (
        f"{tmp_path / 'plain.yaml'}: --assume counter: the scenario references no shared "
        "assumption (assumptions: FILE and {assumption: NAME})"
    )
    (tmp_path / "assumed.yaml").write_text(
        ASSUMED + "seats: {value: 70, low: 54, high: 70, source: a bus}\n", encoding="utf-8"
    )
    code, _, err = _invoke("show", str(path), "--assume", "seats=60")
    assert code == 2
    assert err.strip() == (
        f"{path}: --assume seats: the scenario does not use seats (it uses counter, speed)"
    )


def test_show_and_validate_take_the_option(tmp_path: Path) -> None:
    path = _port(tmp_path)
    code, out, _ = _invoke("show", str(path), "--assume", "counter=50s")
    assert code == 0
    assert "counter (a counter) = 50.0 s (range 30.0 s – 60.0 s, given for this run: " in out
    assert "the file's 40.0 s" in out
    code, _, err = _invoke("validate", str(path), "--assume", "counter=nope")
    assert (code, err.startswith(f"{path}: --assume counter:")) == (2, True)


# -- the reports


class _Tables(HTMLParser):
    """The cells of each table of a page, by its data-name."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.name: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.name = dict(attrs).get("data-name")
            self.tables[self.name or ""] = []
        elif tag == "tr" and self.name is not None:
            self.tables[self.name].append([])
        elif tag in {"td", "th"}:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self.cell is not None and self.name is not None:
            self.tables[self.name][-1].append(" ".join(" ".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.name = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def _html_tables(path: Path) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(path.read_text("utf-8"))
    return parser.tables


def test_the_reports_list_the_assumptions_used(tmp_path: Path) -> None:
    path = _port(tmp_path)
    page = tmp_path / "r.html"
    code, out, _ = _invoke("run", str(path), "--assume", "counter=90s", "--html", str(page))
    assert code == 0
    assert "Shared assumptions (the file's unless given for this run)" in out
    assert (
        "- counter = 90.0 s (given for this run, outside the range), the file's 40.0 s "
        "(range 30.0 s – 60.0 s, confidence L): a counter"
    ) in out
    assert "- speed = 1.2 m/s (range 0.9 m/s – 1.4 m/s, confidence M)" in out
    rows = _html_tables(page)["assumptions"]
    assert rows[0] == [
        "assumption",
        "what it is",
        "value used",
        "file's value",
        "range",
        "source",
        "conf",
    ]
    assert rows[1] == [
        "counter",
        "a counter",
        "90.0 s (given for this run, outside the range)",
        "40.0 s",
        "30.0 s – 60.0 s",
        "assumed",
        "L",
    ]
    assert rows[2] == [
        "speed",
        "",
        "1.2 m/s",
        "1.2 m/s",
        "0.9 m/s – 1.4 m/s",
        "a walking speed",
        "M",
    ]
    block = _json("run", str(path))["assumptions"]
    assert block["speed"] == {
        "value": 1.2,
        "unit": "m/s",
        "file_value": 1.2,
        "overridden": False,
        "low": 0.9,
        "high": 1.4,
        "outside_range": False,
        "source": "a walking speed",
        "confidence": "M",
        "words": None,
        "used_at": ["stages.hall.transfer.value"],
    }
    assert block["counter"]["unit"] == "s"
    assert block["counter"]["used_at"] == ["stages.hall.lanes.counters.service.value"]


def test_a_comparison_says_each_variants_value(tmp_path: Path) -> None:
    path = _port(tmp_path)
    code, out, _ = _invoke("compare", str(path), "--variant", "slow:assumption.counter=55s", "-q")
    assert code == 0
    lines = out.splitlines()
    at = lines.index("Shared assumptions (value in each variant)")
    assert lines[at + 1] == (
        "- counter: base 40.0 s; slow 55.0 s (given for this run) (range 30.0 s – 60.0 s)"
    )
    assert lines[at + 2] == "- speed: base 1.2 m/s; slow 1.2 m/s (range 0.9 m/s – 1.4 m/s)"


def test_a_run_without_assumptions_reports_none(tmp_path: Path) -> None:
    path = _plain(tmp_path)
    page = tmp_path / "plain.html"
    code, out, _ = _invoke("run", str(path), "--html", str(page))
    assert code == 0
    assert "Shared assumptions" not in out
    assert "assumptions" not in _html_tables(page)
    assert "Shared assumptions" not in page.read_text("utf-8")
    assert "assumptions" not in _json("run", str(path))


# -- loading


def test_an_assumed_value_round_trips_and_a_walk_is_its_seconds(tmp_path: Path) -> None:
    path = _port(tmp_path)
    scenario = portsim.load_scenario(path, ["assumption.counter=45s", "assumption.speed=1.25"])
    assert scenario.stages[0].lanes[0].service.value == 45.0
    assert scenario.stages[0].transfer.value == 144 / 1.25 == 115.2
    assert scenario_from_dict(portsim.dump_scenario(scenario)) == scenario
    counter = next(a for a in scenario.assumptions if a.name == "counter")
    assert (counter.value, counter.file_value, counter.overridden) == (45.0, 40.0, True)
    same = portsim.load_scenario(path, assumptions={"counter": "45s", "speed": 1.25})
    assert same == scenario
    plain = portsim.load_scenario(path)
    assert all(a.file_value is None for a in plain.assumptions)
    assert scenario_from_dict(portsim.dump_scenario(plain)) == plain


def test_a_walk_needs_no_file_of_assumptions(tmp_path: Path) -> None:
    path = tmp_path / "walk.yaml"
    path.write_text(
        PLAIN.replace(
            "service: {dist: constant, value: 40s}}]",
            "service: {dist: constant, value: 40s}}]\n"
            "    transfer: {dist: uniform, low: {walk: 0.15km, speed: 1.25}, "
            "high: {walk: 375, speed: 1.25}}",
        ),
        encoding="utf-8",
    )
    transfer = portsim.load_scenario(path).stages[0].transfer
    assert (transfer.low, transfer.high) == (120.0, 300.0)
    # and one set from the command line
    walked = portsim.load_scenario(
        _plain(tmp_path), ["stages.hall.transfer={dist: constant, value: {walk: 90m, speed: 1.5}}"]
    ).stages[0]
    assert walked.transfer.value == 60.0


@pytest.mark.parametrize(
    ("walk", "said"),
    [
        ("{walk: far, speed: 1.2}", "stages.hall.transfer.value.walk: 'far' is not a distance"),
        ("{walk: 10m, speed: 0}", "stages.hall.transfer.value.speed: a walking speed above 0"),
        ("{walk: 10m, speed: 1, pace: 2}", "stages.hall.transfer.value: a walk is {walk: 400m"),
        ("{walk: 10m, speed: fast}", "stages.hall.transfer.value.speed: 'fast': a walk is"),
    ],
)
def test_a_careless_walk_is_one_line(tmp_path: Path, walk: str, said: str) -> None:
    path = _port(tmp_path, PORT.replace("{walk: 144m, speed: {assumption: speed}}", walk))
    code, _, err = _invoke("run", str(path))
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"{path}: {said}")


@pytest.mark.parametrize(
    ("file", "was"),
    [
        ("huanggang_old_hall_2008.yaml", (180.0, 360.0)),  # 3-6 min, as written before
        ("huanggang_new_hall_design.yaml", (180.0, 360.0)),
    ],
)
def test_the_library_crossings_load_to_the_durations_they_were(
    file: str, was: tuple[float, float]
) -> None:
    scenario = portsim.load_scenario(f"scenarios/{file}")
    assert scenario.clearance is not None
    assert scenario.clearance.separate is not None
    crossing = scenario.clearance.separate.crossing
    assert (crossing.low, crossing.high) == was


def test_the_library_walks_and_shuttle_load_to_the_durations_they_were() -> None:
    north = portsim.load_scenario("scenarios/luohu_northbound_2019.yaml")
    transfer = next(s for s in north.stages if s.name == "hk_departure").transfer
    assert (transfer.low, transfer.high) == (120.0, 300.0)
    luohu = portsim.load_scenario("scenarios/luohu_average_day_2019.yaml")
    transfer = next(s for s in luohu.stages if s.name == "hk_departure").transfer
    assert (transfer.low, transfer.high) == (120.0, 300.0)  # 2 and 5 min, as written before
    huanggang = portsim.load_scenario("scenarios/huanggang_land_port_2019.yaml")
    group = next(f for f in huanggang.flows if f.name == "shuttle_bus").arrivals.group
    assert (group.low, group.high) == (40, 70)
    walk = next(s for s in huanggang.stages if s.name == "passenger_exit").transfer
    assert (walk.low, walk.high) == (180.0, 360.0)
    slower = portsim.load_scenario(
        "scenarios/huanggang_land_port_2019.yaml",
        ["assumption.walking_speed=0.9", "assumption.shuttle_seats=54"],
    )
    walk = next(s for s in slower.stages if s.name == "passenger_exit").transfer
    assert (walk.low, walk.high) == (240.0, 480.0)
    group = next(f for f in slower.flows if f.name == "shuttle_bus").arrivals.group
    assert group.high == 54


def test_a_results_store_is_reported_as_it_was_run(tmp_path: Path) -> None:
    store = tmp_path / "runs.db"
    code, _, err = _invoke("report", str(store), "--assume", "counter=50s")
    assert (code, err.strip()) == (
        2,
        f"{store}: --assume: a results store is reported as it was run",
    )


@settings(max_examples=40, deadline=None)
@given(
    seconds=st.floats(min_value=0, max_value=1e6, allow_nan=False),
    metres=st.floats(min_value=0, max_value=1e5, allow_nan=False),
    speed=st.floats(min_value=0.01, max_value=10, allow_nan=False),
)
def test_any_value_given_reaches_the_fields_that_reference_it(
    tmp_path_factory: pytest.TempPathFactory, seconds: float, metres: float, speed: float
) -> None:
    folder = tmp_path_factory.mktemp("assume")
    path = _port(folder, PORT.replace("{walk: 144m,", f"{{walk: {metres!r}m,"))
    scenario = portsim.load_scenario(path, assumptions={"counter": seconds, "speed": speed})
    assert scenario.stages[0].lanes[0].service.value == seconds
    assert scenario.stages[0].transfer.value == metres / speed
    assert scenario_from_dict(portsim.dump_scenario(scenario)) == scenario
    outside = {a.name: a.outside for a in scenario.assumptions}
    assert outside == {"counter": not 30 <= seconds <= 60, "speed": not 0.9 <= speed <= 1.4}
