"""The results store: nothing lost, nothing counted twice — a sweep killed with SIGKILL
resumes to the same store as an uninterrupted one; ``portsim report`` re-reports it."""

from __future__ import annotations

import math
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from portsim import UsageError, replay
from portsim.cli import main
from portsim.planning.requests import Setup, sweep_result
from portsim.planning.store import MemoryStore, SQLiteStore, decode_rows, encode_rows
from portsim.planning.vary import parameter
from portsim.results.rows import RESULTS_VERSION

from .planning_cases import COUNTERS, EGATES, hall, hall_data, write

ROOT = Path(__file__).resolve().parent.parent


def test_rows_read_back_bit_for_bit() -> None:
    table = {
        ("overall", "", "", -1, "wait_mean_s"): 0.1 + 0.2,
        ("flow", "visitors", "", 3, "wait_p95_s"): math.nan,
        ("group", "hall", "egates", -1, "utilization"): 1 / 3,
        ("target", "a pledge", "", -1, "share"): 5e-324,
    }
    back = decode_rows(encode_rows(table))
    assert list(back) == list(table)  # the order too
    for key, value in table.items():
        assert back[key] == value or (math.isnan(back[key]) and math.isnan(value))


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_run_is_kept_once(kind: str, tmp_path: Path) -> None:
    store = MemoryStore() if kind == "memory" else SQLiteStore(tmp_path / "runs.db")
    table = {("overall", "", "", -1, "served"): 3.0}
    assert store.put("s", "c", 1, 0, table)
    assert not store.put("s", "c", 1, 0, {("overall", "", "", -1, "served"): 4.0})
    assert store.get("s", "c", 1, [0, 1]) == {0: table}
    assert store.runs("s", 1) == 1
    assert store.runs("s", 2) == 0
    first = store.save_request("sweep", "s", {"b": 1, "a": [1, 2]})
    assert store.save_request("sweep", "s", {"a": [1, 2], "b": 1}) == first
    assert [r.definition for r in store.requests()] == [{"a": [1, 2], "b": 1}]


def test_resume_computes_only_what_is_missing(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    parameters = [parameter(COUNTERS, [3, 4])]
    first = sweep_result(hall(), parameters, replications=2, setup=Setup(workers=1, store=str(db)))
    assert (first.simulated, first.reused) == (4, 0)
    with pytest.raises(UsageError, match="already holds 4 runs"):
        sweep_result(hall(), parameters, replications=3, setup=Setup(workers=1, store=str(db)))
    more = sweep_result(
        hall(), parameters, replications=3, setup=Setup(workers=1, store=str(db), resume=True)
    )
    assert (more.simulated, more.reused) == (2, 4)
    fresh = sweep_result(hall(), parameters, replications=3, setup=Setup(workers=1))
    assert more.to_json() == fresh.to_json()
    assert len(SQLiteStore(db).rows()) == 6


def test_runs_of_an_earlier_results_version_are_not_mixed_with_new_ones(tmp_path: Path) -> None:
    """A store whose runs an earlier portsim made (another metric rows' version: lane-hours
    without overtime, say) is refused for new runs, resumed or not, in one line; it is still
    reported as it is. A new store takes today's version."""
    db = tmp_path / "runs.db"
    parameters = [parameter(COUNTERS, [3, 4])]
    sweep_result(hall(), parameters, replications=2, setup=Setup(workers=1, store=str(db)))
    assert SQLiteStore(db).version == RESULTS_VERSION
    with sqlite3.connect(db) as connection:  # as a store written before versions were kept
        connection.execute("PRAGMA user_version=0")
    for resume in (True, False):
        with pytest.raises(UsageError, match=r"results version 0, now \d+.*start a new store"):
            sweep_result(
                hall(),
                parameters,
                replications=3,
                setup=Setup(workers=1, store=str(db), resume=resume),
            )
    assert len(SQLiteStore(db).rows()) == 4  # nothing was added
    ((kind, again),) = replay(str(db))
    assert kind == "sweep"
    assert again.replications == 2


def _sweep_command(file: Path, db: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "portsim",
        "sweep",
        str(file),
        "--vary",
        f"{COUNTERS}=3:6",
        "--vary",
        f"{EGATES}=2,3",
        "-r",
        "3",
        "--workers",
        "2",
        "--store",
        str(db),
        *extra,
    ]


def _committed(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM runs").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_a_sweep_killed_with_sigkill_resumes_to_the_same_store(tmp_path: Path) -> None:
    file = write(tmp_path / "hall.yaml", hall_data(horizon="8h"))
    total = 4 * 2 * 3
    killed = tmp_path / "killed.db"
    process = subprocess.Popen(
        _sweep_command(file, killed),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while _committed(killed) < 4 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # the sweep and its worker processes
    process.wait()
    assert process.returncode == -signal.SIGKILL
    done_before = _committed(killed)
    assert 4 <= done_before < total, "the sweep should have been killed mid-way"

    resumed = subprocess.run(
        _sweep_command(file, killed, "--resume", "--json", "-"),
        capture_output=True,
        text=True,
        check=True,
    )
    whole = tmp_path / "whole.db"
    uninterrupted = subprocess.run(
        _sweep_command(file, whole, "--json", "-"), capture_output=True, text=True, check=True
    )
    assert resumed.stdout == uninterrupted.stdout
    a, b = SQLiteStore(killed), SQLiteStore(whole)
    keys = sorted(a.rows())
    assert keys == sorted(b.rows())
    assert len(keys) == len(set(keys)) == total  # every run exactly once
    for scenario, config, seed, replication in keys:
        assert a.get(scenario, config, seed, [replication]) == b.get(
            scenario, config, seed, [replication]
        )
    report = CliRunner().invoke(main, ["report", str(killed)])
    assert report.exit_code == 0, report.stderr
    assert "sweep: 8 configurations x 3 replications" in report.stdout
    assert f"0 runs simulated, {total} from the store" in report.stdout


def test_report_replays_plans_and_capacity_without_running(tmp_path: Path) -> None:
    db = tmp_path / "plan.db"
    file = write(tmp_path / "hall.yaml", hall_data())
    common = ["-r", "3", "--max-replications", "6", "--workers", "1", "--store", str(db)]
    planned = CliRunner().invoke(
        main,
        [
            "plan",
            str(file),
            "--vary",
            f"{COUNTERS}=2:7",
            "--target",
            "visitors.wait_p95<=5min",
            *common,
        ],
    )
    assert planned.exit_code == 0, planned.stderr
    capacity = CliRunner().invoke(
        main,
        [
            "capacity",
            str(file),
            "--scale",
            "flows.visitors.arrivals.rate",
            "--factors",
            "0.6:1.6:0.2",
            "--target",
            "visitors.wait_p95<=5min",
            "--resume",
            *common,
        ],
    )
    assert capacity.exit_code == 0, capacity.stderr
    (kind_plan, plan), (kind_capacity, found) = replay(str(db))
    assert (kind_plan, kind_capacity) == ("plan", "capacity")
    assert plan.simulated == 0
    assert found.simulated == 0
    report = CliRunner().invoke(main, ["report", str(db)])
    assert report.exit_code == 0
    assert report.stdout.split("\n\n")[0].split("runs:")[0] == planned.stdout.split("runs:")[0]
    assert "largest demand meeting every target" in report.stdout


def test_an_interrupted_request_is_not_reported_as_finished(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    sweep_result(
        hall(), [parameter(COUNTERS, [3, 4])], replications=2, setup=Setup(workers=1, store=str(db))
    )
    with sqlite3.connect(db) as connection:
        connection.execute("DELETE FROM runs WHERE replication = 1")
    result = CliRunner().invoke(main, ["report", str(db)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "the store lacks 2 runs of this request: it was interrupted; "
        "run it again with --resume to finish it"
    )
    (tmp_path / "junk.db").write_text("not a database")
    junk = CliRunner().invoke(main, ["report", str(tmp_path / "junk.db")])
    assert junk.exit_code == 2
    assert "not a portsim results store" in junk.stderr


@pytest.mark.parametrize(
    ("schema", "why"),
    [
        ("CREATE TABLE runs (x)", "its table 'runs' has the columns x"),
        ("CREATE TABLE customers (name TEXT)", "it has a table 'customers'"),
    ],
)
def test_another_programs_database_is_refused_and_left_as_it_was(
    tmp_path: Path, schema: str, why: str
) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute(schema)
    with pytest.raises(UsageError, match=f"not a portsim results store \\({why}\\)"):
        SQLiteStore(other)
    with sqlite3.connect(other) as connection:
        tables = connection.execute("SELECT name FROM sqlite_master").fetchall()
    assert len(tables) == 1  # portsim added none of its tables


def test_reporting_a_store_again_writes_nothing_to_it(tmp_path: Path) -> None:
    """``portsim report STORE.db`` only reads (so a store on a read-only disk reports)."""
    db = tmp_path / "runs.db"
    sweep_result(
        hall(), [parameter(COUNTERS, [3, 4])], replications=2, setup=Setup(workers=1, store=str(db))
    )
    store = SQLiteStore(db)
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    assert replay(store)
    assert statements
    assert not [s for s in statements if not s.lstrip().upper().startswith("SELECT")]
