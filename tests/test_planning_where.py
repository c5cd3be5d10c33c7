"""Where a sweep runs changes nothing: here, on a process pool or on a Dask cluster, the
table is the same bit for bit; a Dask worker killed mid-run loses nothing and counts
nothing twice; a cluster left with no worker stops the work within its timeout."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from portsim.errors import UsageError
from portsim.model.compile import compile_scenario
from portsim.planning.cluster import ClusterLostError, _dask_map, dask_client
from portsim.planning.requests import Setup, sweep_result
from portsim.planning.store import SQLiteStore
from portsim.planning.vary import Parameter, parameter
from portsim.run.tasks import Task, run_task

from .planning_cases import COUNTERS, EGATES, hall

PARAMETERS: list[Parameter] = [parameter(COUNTERS, [3, 4, 5]), parameter(EGATES, [2, 3])]


def _table(setup: Setup, horizon: str = "3h") -> str:
    return sweep_result(hall(horizon), PARAMETERS, replications=3, setup=setup).to_json()


@pytest.fixture(scope="module")
def serial() -> str:
    return _table(Setup(workers=1))


def test_a_process_pool_gives_the_same_table(serial: str) -> None:
    assert _table(Setup(workers=2)) == serial


def test_a_process_pool_started_beside_other_threads_gives_the_same_table(serial: str) -> None:
    """With other threads running (a notebook's kernel, a Dask client) the workers are
    spawned, not forked (``portsim.run.tasks``): the same table."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert _table(Setup(workers=2)) == serial
    finally:
        stop.set()
        other.join()


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    distributed = pytest.importorskip("dask.distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local,
        distributed.Client(local) as client,
    ):
        yield client


def test_a_dask_cluster_gives_the_same_table(serial: str, cluster: Any) -> None:
    assert _table(Setup(dask=cluster)) == serial
    address = cluster.scheduler.address
    assert _table(Setup(dask=address)) == serial


def _committed(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM runs").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("notaurl", "'notaurl' is not a Dask scheduler address"),
        ("localhost", "'localhost' is not a Dask scheduler address"),
        (" ", "give the Dask scheduler's address"),
    ],
)
def test_a_malformed_scheduler_address_is_one_line(address: str, problem: str) -> None:
    pytest.importorskip("dask.distributed")
    with pytest.raises(UsageError, match=problem):
        dask_client(address)


def test_a_dask_worker_killed_mid_run_loses_nothing(tmp_path: Path, cluster: Any) -> None:
    db = tmp_path / "runs.db"
    killed: list[int] = []
    at_kill: list[int] = []

    def kill_one_worker() -> None:
        deadline = time.monotonic() + 120
        while _committed(db) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        at_kill.append(_committed(db))
        pids = cluster.run(os.getpid)
        victim = sorted(pids.values())[0]
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)

    killer = threading.Thread(target=kill_one_worker)
    killer.start()
    long_day = _table(Setup(dask=cluster, store=str(db)), horizon="8h")
    killer.join()
    assert killed, "no worker was killed"
    assert at_kill[0] < 18, "the worker should have been killed mid-run"
    assert _committed(db) == 18
    keys = SQLiteStore(db).rows()
    assert len(set(keys)) == len(keys) == 18  # every run exactly once
    assert long_day == _table(Setup(workers=1), horizon="8h")


def test_results_lost_with_the_workers_are_waited_for_no_longer_than_the_timeout() -> None:
    """Replications finished on workers that are then closed, before their results were
    fetched: the scheduler would compute them again, but has no worker to — one line
    within the timeout, not a wait for ever."""
    distributed = pytest.importorskip("dask.distributed")
    model = compile_scenario(hall())
    tasks = [Task("c", model, 3, r, records=False) for r in range(8)]
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        results = _dask_map(client, timeout=1.0)(run_task, tasks)
        assert next(results).replication in range(8)
        time.sleep(1.0)  # the tasks in flight finish, their results held by the workers
        cluster.scale(0)
        started = time.monotonic()
        with pytest.raises(ClusterLostError, match="has had no worker for 1 s: stopped"):
            list(results)
        assert time.monotonic() - started < 1.0 + 5
