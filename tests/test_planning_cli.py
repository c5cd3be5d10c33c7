"""``portsim sweep``, ``plan`` and ``capacity`` as a planner runs them: the outputs, and one
line with exit code 2 for anything the planner can mend."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from portsim.cli import main
from portsim.planning.requests import Setup, sweep_result
from portsim.planning.vary import parameter
from portsim.report import planning_display

from .planning_cases import COUNTERS, EGATES, hall, hall_data, sweep_table_header, write
from .test_long_jobs import _on_a_terminal

P95 = "visitors.wait_p95<=5min"
RATE = "flows.visitors.arrivals.rate"


@pytest.fixture
def hall_file(tmp_path: Path) -> Path:
    return write(tmp_path / "hall.yaml", hall_data())


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_sweep_writes_the_table_as_text_csv_and_json(hall_file: Path, tmp_path: Path) -> None:
    table = tmp_path / "sweep.csv"
    code, out, err = _invoke(
        "sweep",
        str(hall_file),
        "--vary",
        f"counters:{COUNTERS}=3:5:2",
        "--variant",
        "lean:stages.hall.lanes.egates.count=2",
        "--variant",
        "rich:stages.hall.lanes.egates.count=4",
        "-r",
        "2",
        "-w",
        "1",
        "--csv",
        str(table),
        "--json",
        str(tmp_path / "sweep.json"),
    )
    assert code == 0, err
    assert "sweep: 4 configurations x 2 replications, seed 3" in out
    header = sweep_table_header(out)
    assert header.split()[:2] == ["counters", "variant"]
    # headers in the catalog's words, with one unit a column; the paths in a legend below
    assert "all travellers: 95th-percentile wait (" in header
    assert "overall.wait_p95_s" not in header
    assert COUNTERS not in header
    legend = out.split("What the headers stand for")[1]
    assert re.search(rf"\n  counters +{re.escape(COUNTERS)}\n", legend)
    assert re.search(r"\n  all travellers: 95th-percentile wait +overall\.wait_p95_s\n", legend)
    with table.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["counters"], r["variant"]) for r in rows] == [
        ("3", "lean"),
        ("3", "rich"),
        ("5", "lean"),
        ("5", "rich"),
    ]
    assert float(rows[0]["overall.wait_p95_s.ci_low"]) <= float(rows[0]["overall.wait_p95_s"])
    data = json.loads((tmp_path / "sweep.json").read_text(encoding="utf-8"))
    assert data["parameters"] == ["counters", "variant"]
    assert [r["targets.visitors pledge.verdict"] for r in data["rows"]] == [
        r["targets.visitors pledge.verdict"] for r in rows
    ]


def test_plan_and_capacity_print_their_evidence(hall_file: Path) -> None:
    code, out, err = _invoke(
        "plan",
        str(hall_file),
        "--vary",
        f"counters:{COUNTERS}=1:8",
        "--vary",
        f"egates:{EGATES}=1:6",
        "--target",
        "visitors.wait_p95<=5min",
        "--target",
        "residents.share_within(2min)>=95%",
        "--cost",
        "counters=1,egates=0.3",
        "-r",
        "3",
        "--max-replications",
        "6",
        "-w",
        "1",
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("cheapest configuration: counters ")
    assert sum(line.startswith("one step cheaper: ") for line in lines) == 2
    (runs,) = [line for line in lines if line.startswith("runs: ")]
    assert runs.endswith("for the whole grid")
    # each target in words, as typed in the legend of the targets below
    assert lines[1].startswith("  flow visitors: 95th-percentile wait ≤ 5 min: ")
    targets = out.split("The targets as given:")[1]
    assert "flow visitors: 95th-percentile wait ≤ 5 min  visitors.wait_p95<=5min" in targets
    code, out, err = _invoke(
        "capacity",
        str(hall_file),
        "--scale",
        "flows.visitors.arrivals.rate",
        "--scale",
        "flows.residents.arrivals.rate",
        "--factors",
        "0.6:1.6:0.2",
        "--target",
        "visitors.wait_p95<=5min",
        "-r",
        "3",
        "--max-replications",
        "6",
        "-w",
        "1",
        "--json",
        "-",
    )
    assert code == 0, err
    data = json.loads(out)
    assert set(data["values"]) == {"flows.visitors.arrivals.rate", "flows.residents.arrivals.rate"}
    assert data["factor"] in {0.6, 0.8, 1.0, 1.2, 1.4, 1.6}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sweep", "--vary", "stages.hall.lanes.nobody.count=1:2"], "no item 'nobody'"),
        (["sweep", "--vary", f"{COUNTERS}=5:1"], "ends before it starts"),
        (["sweep", "--resume"], "--resume needs --store"),
        (["plan", "--vary", f"{COUNTERS}=1:3", "--target", "visitors.wait<=1"], "not a metric"),
        (["plan", "--vary", f"{COUNTERS}=1:3", "--target", P95, "--cost", "gates=1"], "no varied"),
        (["plan", "--per-hour", "--vary", "seed=1,2", "--target", P95], "lane group's count"),
        (["sweep", "--vary", "seed=1,2,3"], "same seed and replications"),
        (["sweep", "--vary", f"{COUNTERS}=1:5000", "--vary", f"{EGATES}=1:5000"], "25,000,000"),
        (["sweep", "--set", f"{RATE}=1000000000", "--vary", f"{COUNTERS}=1,2"], "days of work"),
        (["plan", "--set", f"{RATE}=1e6/s", "--vary", f"{COUNTERS}=1,2", "--target", P95], "days"),
        (
            [
                "capacity",
                "--scale",
                RATE,
                "--factors",
                "1:1e9:1e8",
                "--target",
                "visitors.wait_p95<=9h",
            ],
            "days of",
        ),
        (["sweep", "--vary", "replications=1,5"], "give them with --seed and --replications"),
        (
            ["sweep", "--variant", "a:horizon=2h", "--vary", "horizon=3h,4h"],
            "two parameters (horizon, variant)",
        ),
        (["capacity", "--scale", "flows.visitors.route", "--target", P95], "not a number"),
        (
            ["capacity", "--scale", RATE, "--target", "tourists.wait_p95<=1"],
            "no flow, class, stage",
        ),
    ],
)
def test_mendable_problems_are_one_line(hall_file: Path, args: list[str], message: str) -> None:
    code, out, err = _invoke(args[0], str(hall_file), *args[1:], "-w", "1")
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert message in err


ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow  # half a minute: left to the whole suite
def test_the_planning_guide_s_commands_run_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every command of the sweeps-and-plans guide, as written, in order, in one scratch
    folder (``tests/test_docs.py`` runs them with fewer replications; this runs them as a
    planner would and reads their answers)."""
    guide = (ROOT / "docs" / "howto-sweeps-and-plans.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", guide, re.DOTALL)
    commands = [shlex.split(line) for block in blocks for line in block.splitlines() if line]
    assert {c[1] for c in commands} == {"sweep", "plan", "report", "capacity", "run"}
    monkeypatch.chdir(tmp_path)
    outputs = []
    for command in commands:
        args = [str(ROOT / a) if a.startswith("examples/") else a for a in command[1:]]
        code, out, err = _invoke(*args, *(["-w", "2"] if args[0] != "report" else []))
        assert code == 0, f"{command}: {err}"
        outputs.append((command, out))
    assert (tmp_path / "sweep.csv").exists()
    plans = [out for c, out in outputs if c[1] == "plan" and "--per-hour" not in c]
    halls = [out for c, out in outputs if c[1] == "plan" and "--per-hour" not in c
             and "examples/egates_hall.yaml" in c]  # fmt: skip
    assert halls
    assert all(out.startswith("cheapest configuration: egates ") for out in halls)
    officers = [out for out in plans if out not in halls]  # the officers' plans
    assert officers
    assert all(" (officers pool); cost " in out.splitlines()[0] for out in officers)
    for index, (command, out) in enumerate(outputs):
        if command[1] == "report":  # the store's request again: the last plan that wrote it
            stored = [o for c, o in outputs[:index] if c[1] == "plan" and command[2] in c]
            assert out.split("runs:")[0] == stored[-1].split("runs:")[0]
        if command[1] == "capacity":
            assert out.startswith("Every target is met up to ")
            assert " travellers a day (" in out.splitlines()[0]
        if "--per-hour" in command:
            assert "schedule:" in out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_replications_configurations_and_time_left() -> None:
    stream = _Terminal()
    with planning_display(stream=stream) as progress:
        setup = Setup(workers=1, progress=progress)
        sweep_result(hall(), [parameter(COUNTERS, [4, 5])], replications=2, setup=setup)
    lines = stream.getvalue().split("\r")
    assert any(
        line.startswith("sweep: 0/4 replications, 0/2 configurations, ? left") for line in lines
    )
    assert any(
        line.startswith("sweep: 4/4 replications, 2/2 configurations, 00:00 left |")
        for line in lines
    )
    assert lines[-1] == ""  # the line is cleared at the end
    assert lines[-2].strip() == ""
    for stream, enabled in ((io.StringIO(), True), (_Terminal(), False)):  # a pipe, --quiet
        with planning_display(stream=stream, enabled=enabled) as progress:
            assert progress is None
        assert stream.getvalue() == ""


def test_a_new_batch_gets_its_own_count_and_a_long_label_keeps_its_end() -> None:
    stream = _Terminal()
    with planning_display(stream=stream) as progress:
        assert progress is not None
        progress("plan: egates=10", 0, 2, 0, 1)
        progress("plan: egates=10", 2, 2, 1, 1)
        progress("plan: " + "x" * 200 + "egates=12", 0, 4, 0, 1)
    lines = stream.getvalue().split("\r")
    assert any(line.startswith("plan: egates=10: 2/2 replications, 1/1 conf") for line in lines)
    trimmed = [line for line in lines if line.startswith("plan: …")]
    assert trimmed
    assert all("egates=12: 0/4 replications" in line and len(line) <= 80 for line in trimmed)


def test_a_terminal_shows_the_planning_progress_unless_quiet(hall_file: Path) -> None:
    args = ["sweep", str(hall_file), "--vary", f"{COUNTERS}=3,4", "-r", "2", "-w", "1"]
    code, out, err = _on_a_terminal([*args, "--json", "-"])
    assert code == 0
    assert "sweep: 4/4 replications, 2/2 configurations" in err
    assert json.loads(out)["replications"] == 2
    code, out, err = _on_a_terminal([*args, "--quiet"])
    assert code == 0
    assert err == ""
    assert "\nsweep: 2 configurations x 2 replications" in out


@pytest.mark.parametrize("command", ["sweep", "plan", "capacity"])
@pytest.mark.parametrize("option", ["--json", "--store", "--csv"])
def test_output_paths_are_checked_before_anything_runs(
    hall_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, option: str
) -> None:
    """A path in a missing folder, or the scenario file itself, is one line and exit 2
    before a single replication (the run functions are never called)."""
    if option == "--csv" and command != "sweep":
        pytest.skip("--csv is sweep's")

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("simulated before checking the outputs")

    for name in ("sweep_result", "plan", "capacity"):
        monkeypatch.setattr(f"portsim.planning.requests.{name}", never)
    extra = {
        "sweep": ["--vary", f"{COUNTERS}=3,4"],
        "plan": ["--vary", f"{COUNTERS}=3:5", "--target", P95],
        "capacity": ["--scale", RATE, "--target", P95],
    }[command]
    missing = tmp_path / "nowhere" / "out.file"
    for target, problem in ((missing, "does not exist"), (hall_file, "scenario file")):
        code, out, err = _invoke(command, str(hall_file), *extra, option, str(target))
        assert code == 2, err
        assert out == ""
        assert err.count("\n") == 1
        assert problem in err
        assert err.startswith(str(target))


def test_a_failed_write_after_a_sweep_is_one_line_and_the_table_still_prints(
    hall_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(self: object, path: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("portsim.planning.sweep.SweepResult.write_csv", full_disk)
    table = tmp_path / "sweep.csv"
    code, out, err = _invoke(
        "sweep", str(hall_file), "--vary", f"{COUNTERS}=3,4", "-r", "2", "-w", "1",
        "--csv", str(table),
    )  # fmt: skip
    assert code == 1
    assert err.strip() == f"{table}: cannot write: No space left on device"
    assert "sweep: 2 configurations x 2 replications" in out


@pytest.mark.parametrize("command", ["sweep", "plan", "capacity"])
def test_the_dask_timeout_help_says_the_default_the_request_uses(command: str) -> None:
    from portsim.planning.cluster import DASK_TIMEOUT  # noqa: PLC0415

    help_text = " ".join(CliRunner().invoke(main, [command, "--help"]).stdout.split())
    assert f"no worker this long (default {DASK_TIMEOUT:g})" in help_text
