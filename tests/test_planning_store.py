"""The results store: nothing lost, nothing counted twice — a sweep killed with SIGKILL
resumes to the same store as an uninterrupted one; ``portsim report`` re-reports it."""

from __future__ import annotations

import math
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from portsim import UsageError, replay
from portsim.cli import main
from portsim.planning import claims as claims_module
from portsim.planning.claims import POLL, STALE, State, host_name
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
        check=False,
    )
    assert resumed.returncode == 0, resumed.stderr
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
    assert "Every target is met up to " in report.stdout


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


# -- claims: two writers of one store compute each run once (tests/test_store_faults.py
# runs them as processes)


def _claim_row(db: Path, key: tuple[str, str, int, int], host: str, pid: int, age: float) -> None:
    beat = time.time() - age
    with sqlite3.connect(db) as connection:
        connection.execute(
            "INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*key, f"{host} pid {pid} other", host, pid, beat, beat),
        )


def test_a_claim_is_taken_over_only_from_an_owner_that_is_gone(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    store = SQLiteStore(db)
    claims = store.claims()
    key = ("s", "c", 1, 0)
    assert claims.claim(key) is State.MINE
    assert claims.claim(key) is State.MINE  # again: still this runner's
    here = host_name()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    cases = [
        (here, os.getpid(), 0.0, State.THEIRS),  # alive: this very process
        ("elsewhere", 1, 1.0, State.THEIRS),  # another host, beating
        ("elsewhere", 1, STALE + 1, State.MINE),  # another host, silent too long
        (here, int(dead.stdout), 0.0, State.MINE),  # a process of this host that is gone
    ]
    for host, pid, age, state in cases:
        _claim_row(db, key, host, pid, age)
        assert claims.claim(key) is state, (host, pid, age)
    store.put(*key, {("overall", "", "", -1, "served"): 1.0})
    assert claims.claim(key) is State.DONE
    with sqlite3.connect(db) as connection:  # the run's claim went with its commit
        assert connection.execute("SELECT COUNT(*) FROM claims").fetchone() == (0,)
    claims.release()


def test_claims_beat_while_held_and_go_when_released(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(claims_module, "HEARTBEAT", 0.02)
    db = tmp_path / "runs.db"
    claims = SQLiteStore(db).claims()
    claims.claim(("s", "c", 1, 0))
    query = "SELECT heartbeat - claimed FROM claims"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with sqlite3.connect(db) as connection:
            if connection.execute(query).fetchone()[0] > 0:
                break
        time.sleep(0.01)
    else:
        pytest.fail("no heartbeat")
    claims.release()
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM claims").fetchone() == (0,)


def test_a_run_another_writer_holds_is_waited_for_and_read(tmp_path: Path) -> None:
    """A sweep leaves a run claimed by another writer that is alive, computes the rest,
    then reads that run once the other writer stores it: the same table, each run once."""
    parameters = [parameter(COUNTERS, [3, 4])]
    reference = tmp_path / "reference.db"
    expected = sweep_result(
        hall(), parameters, replications=2, setup=Setup(workers=1, store=str(reference))
    )
    key = sorted(SQLiteStore(reference).rows())[-1]
    (table,) = SQLiteStore(reference).get(*key[:3], [key[3]]).values()
    db = tmp_path / "runs.db"
    other = SQLiteStore(db)
    held = other.claims()
    assert held.claim(key) is State.MINE
    got: list[Any] = []
    sweeping = threading.Thread(
        target=lambda: got.append(
            sweep_result(
                hall(),
                parameters,
                replications=2,
                setup=Setup(workers=1, store=str(db), resume=True),
            )
        )
    )
    sweeping.start()
    deadline = time.monotonic() + 30
    while len(SQLiteStore(db).rows()) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(2 * POLL)
    assert sweeping.is_alive(), "the sweep should wait for the run the other writer holds"
    other.put(*key, table)
    sweeping.join(30)
    (result,) = got
    assert (result.simulated, result.reused) == (3, 1)
    assert result.to_json() == expected.to_json()
    held.release()


def test_a_store_made_before_claims_is_read_and_resumed(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    parameters = [parameter(COUNTERS, [3, 4])]
    sweep_result(hall(), parameters, replications=2, setup=Setup(workers=1, store=str(db)))
    with sqlite3.connect(db) as connection:  # as portsim wrote stores before claims
        connection.execute("DROP TABLE claims")
    assert replay(str(db))
    with sqlite3.connect(db) as connection:  # reporting it wrote nothing: no claims table
        names = {n for (n,) in connection.execute("SELECT name FROM sqlite_master")}
    assert "claims" not in names
    more = sweep_result(
        hall(), parameters, replications=3, setup=Setup(workers=1, store=str(db), resume=True)
    )
    assert (more.simulated, more.reused) == (2, 4)
