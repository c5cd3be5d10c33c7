"""A results store under faults, on real processes: a disk that fills mid-sweep (a file-size
limit), a store in a read-only folder, two sweeps writing one store at once, a writer
killed, a Dask cluster that loses every worker. Each ends in one line (exit code 1) or
finishes; nothing committed is lost, no run is computed twice, and the request resumed
gives the table of an uninterrupted one."""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from portsim.cli import main
from portsim.planning.store import SQLiteStore

from .planning_cases import COUNTERS, EGATES, hall_data, write

#: the sweep of every test: 4 x 2 configurations, 3 replications each
TOTAL = 24
VARY = ["--vary", f"{COUNTERS}=3:6", "--vary", f"{EGATES}=2,3", "-r", "3", "-q"]

#: a child that says on stderr each run it has committed (``committed KEYS``), then runs
#: the command line: what a store must still hold after the child has failed
LOGGED = """
import json, sys
from portsim.planning import store
put = store.SQLiteStore.put
def logged(self, *args):
    added = put(self, *args)
    print("committed", json.dumps(args[:4]), file=sys.stderr, flush=True)
    return added
store.SQLiteStore.put = logged
from portsim.cli import main
main(sys.argv[1:], prog_name="portsim")
"""


def _sweep(file: Path, db: Path, *extra: str, workers: int = 2) -> list[str]:
    command = ["sweep", str(file), *VARY, "--workers", str(workers), "--store", str(db)]
    return [sys.executable, "-c", LOGGED, *command, *extra]


def _run(command: list[str], preexec: Callable[[], None] | None = None) -> Any:
    return subprocess.run(
        command, check=False, capture_output=True, text=True, preexec_fn=preexec, timeout=120
    )


def _said(stderr: str) -> tuple[list[tuple[Any, ...]], list[str]]:
    """The runs a child committed, and the other lines it said."""
    lines = stderr.strip().splitlines()
    committed = [tuple(json.loads(x.split(" ", 1)[1])) for x in lines if x.startswith("committed")]
    return committed, [x for x in lines if not x.startswith("committed")]


@pytest.fixture(scope="module")
def hall_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("hall") / "hall.yaml", hall_data())


def _uninterrupted(file: Path) -> str:
    done = _run(_sweep(file, file.with_suffix(".db"), "--json", "-"))
    assert done.returncode == 0, done.stderr
    return str(done.stdout)


@pytest.fixture(scope="module")
def whole(hall_file: Path) -> str:
    """The sweep's JSON, uninterrupted, in a store of its own."""
    return _uninterrupted(hall_file)


@pytest.fixture(scope="module")
def long_file(hall_file: Path) -> Path:
    """A longer day (an 8-hour horizon): a sweep to stop midway."""
    return write(hall_file.with_name("long.yaml"), hall_data(horizon="8h"))


@pytest.fixture(scope="module")
def long_whole(long_file: Path) -> str:
    return _uninterrupted(long_file)


def _keys(db: Path) -> list[tuple[str, str, int, int]]:
    store = SQLiteStore(db)
    try:
        return store.rows()
    finally:
        store.close()


def _resumed(file: Path, db: Path, whole: str) -> None:
    """Resumed, the sweep gives the uninterrupted table, and holds every run once."""
    done = _run(_sweep(file, db, "--resume", "--json", "-"))
    assert done.returncode == 0, done.stderr
    assert done.stdout == whole
    keys = _keys(db)
    assert len(keys) == len(set(keys)) == TOTAL


def _file_size_limit(limit: int) -> Callable[[], None]:
    """A child's files cannot grow past ``limit`` bytes: a full disk, for it alone (writes
    fail with EFBIG instead of the process being killed by SIGXFSZ)."""

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limited


def test_a_full_disk_is_one_line_and_loses_no_committed_run(
    tmp_path: Path, hall_file: Path, whole: str
) -> None:
    db = tmp_path / "full.db"
    full = _run(_sweep(hall_file, db), _file_size_limit(300_000))
    committed, said = _said(full.stderr)
    assert full.returncode == 1, full.stderr
    assert 0 < len(committed) < TOTAL, "the disk should have filled mid-sweep"
    assert said == [
        f"{db}: the results store cannot be written: a disk I/O error (is the disk full?); "
        f"its {len(committed)} runs are kept: free space on its disk (or move the store to "
        "another disk), then run the same command with --resume to go on"
    ]
    assert sorted(_keys(db)) == sorted(committed)  # each committed run, and nothing else
    _resumed(hall_file, db, whole)


def test_a_store_that_cannot_be_made_is_one_line(tmp_path: Path, hall_file: Path) -> None:
    db = tmp_path / "new.db"
    full = _run(_sweep(hall_file, db), _file_size_limit(5_000))
    assert full.returncode == 1
    assert full.stderr.strip().splitlines() == [
        f"{db}: the results store cannot be made: a disk I/O error (is the disk full?); "
        "choose a --store on a disk and in a folder you can write"
    ]


def test_a_disk_too_full_for_the_shm_file_still_reports(
    tmp_path: Path, hall_file: Path, whole: str
) -> None:
    """SQLite cannot make the store's -shm file (32 KB) on a disk that full: the store is
    read all the same (``immutable``, its -wal being empty), not called another program's."""
    db = tmp_path / "runs.db"
    assert _run(_sweep(hall_file, db)).returncode == 0
    assert not db.with_name("runs.db-shm").exists()
    report = _run([sys.executable, "-m", "portsim", "report", str(db)], _file_size_limit(1_000))
    assert report.returncode == 0, report.stderr
    assert f"0 runs simulated, {TOTAL} from the store" in report.stdout


# -- a read-only folder: as root too (root writes anywhere, unless it gives that power up)

PR_CAPBSET_DROP = 24
#: CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER: what lets root ignore a file's mode
ROOT_POWERS = (1, 2, 3)


def _as_a_user() -> None:
    """A child that obeys files' modes, as root too (the powers dropped before it starts)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for power in ROOT_POWERS:
        if libc.prctl(PR_CAPBSET_DROP, power, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A folder that the children run by :func:`_as_a_user` cannot write."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        probe = _run(["sh", "-c", f"touch '{folder}/x'"], _as_a_user)
    except subprocess.SubprocessError:
        probe = None
    if probe is None or probe.returncode == 0:
        folder.chmod(0o755)
        pytest.skip("no folder can be made read-only here")
    folder.chmod(0o755)
    yield folder
    folder.chmod(0o755)


def _wal_only(file: Path, db: Path) -> None:
    """A store whose runs are all still in its -wal, as a killed writer leaves it."""
    code = (
        "import os, sys\n"
        "from portsim import load_scenario\n"
        "from portsim.planning.requests import Setup, sweep_result\n"
        "from portsim.planning.vary import parameter\n"
        f"p = [parameter({COUNTERS!r}, [3, 4, 5, 6]), parameter({EGATES!r}, [2, 3])]\n"
        f"sweep_result(load_scenario({str(file)!r}), p, replications=3,\n"
        f"             setup=Setup(workers=1, store={str(db)!r}))\n"
        "os._exit(0)  # no close: no checkpoint\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


#: what a write to a store in a read-only folder says: the folder, or the file itself
FOLDER = (
    "its folder cannot be written (SQLite makes its -wal and -shm files there); its 24 runs "
    "are kept: make the folder writable (or copy the store to a folder you can write)"
)
FILE = (
    "it is read-only; its 24 runs are kept: make it writable (or copy it to a folder you can write)"
)


@pytest.mark.parametrize(
    ("left", "problem"),
    [
        ("closed", FOLDER),  # read with SQLite's immutable open
        ("in its -wal, read-only files", FILE),  # read-only open, the -shm file being there
        ("in its -wal, no -shm", FOLDER),  # read from a copy: the runs in the -wal too
    ],
    ids=["closed", "wal-read-only-files", "wal-no-shm"],
)
def test_a_store_in_a_read_only_folder_is_read_and_writing_it_is_one_line(
    read_only: Path, hall_file: Path, whole: str, left: str, problem: str
) -> None:
    db = read_only / "runs.db"
    if left == "closed":
        assert _run(_sweep(hall_file, db)).returncode == 0
    else:
        _wal_only(hall_file, db)
        assert db.with_name("runs.db-wal").stat().st_size > 0
        if "no -shm" in left:
            db.with_name("runs.db-shm").unlink()
    files = sorted(read_only.iterdir())
    modes = {path: path.stat().st_mode for path in files}
    if "read-only files" in left:
        for path in files:
            path.chmod(0o444)
    read_only.chmod(0o555)
    report = _run([sys.executable, "-m", "portsim", "report", str(db)], _as_a_user)
    assert report.returncode == 0, report.stderr
    assert f"0 runs simulated, {TOTAL} from the store" in report.stdout
    more = _run(_sweep(hall_file, db, "--resume", "-r", "4"), _as_a_user)
    assert more.returncode == 1
    assert more.stderr.strip().splitlines() == [
        f"{db}: the results store cannot be written: {problem}, then run the same command "
        "with --resume to go on"
    ]
    assert sorted(read_only.iterdir()) == files  # nothing made
    read_only.chmod(0o755)
    for path, mode in modes.items():
        path.chmod(mode)
    _resumed(hall_file, db, whole)


# -- two writers


def _simulated(stdout: str) -> int:
    return int(stdout.split(" runs simulated", maxsplit=1)[0].rsplit(" ", 1)[1])


def test_two_sweeps_into_one_store_compute_each_run_once(
    tmp_path: Path, hall_file: Path, whole: str
) -> None:
    db = tmp_path / "shared.db"
    outs = [tmp_path / "a.json", tmp_path / "b.json"]
    both = [
        subprocess.Popen(
            _sweep(hall_file, db, "--resume", "--json", str(out), workers=1),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for out in outs
    ]
    said = [process.communicate(timeout=120) for process in both]
    for process, (_, stderr) in zip(both, said, strict=True):
        assert process.returncode == 0, stderr
    computed = [sorted(_said(stderr)[0]) for _, stderr in said]
    assert sum(_simulated(stdout) for stdout, _ in said) == TOTAL  # each run once
    assert not set(computed[0]) & set(computed[1])
    assert sorted(computed[0] + computed[1]) == sorted(_keys(db))
    for out in outs:  # each writer's table is the uninterrupted one
        assert out.read_text(encoding="utf-8") == whole
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM claims").fetchone() == (0,)


def test_the_claims_of_a_killed_writer_are_taken_over_at_once(
    tmp_path: Path, long_file: Path, long_whole: str
) -> None:
    db = tmp_path / "killed.db"
    process = subprocess.Popen(
        _sweep(long_file, db),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        with sqlite3.connect(db, timeout=5) as connection:
            tables = {n for (n,) in connection.execute("SELECT name FROM sqlite_master")}
            if (
                "claims" in tables
                and connection.execute("SELECT COUNT(*) FROM runs").fetchone()[0] >= 2
            ):
                break
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    with sqlite3.connect(db) as connection:
        left = connection.execute("SELECT pid FROM claims").fetchall()
    assert left, "the killed writer should have left claims"
    assert {pid for (pid,) in left} == {process.pid}
    started = time.monotonic()
    _resumed(long_file, db, long_whole)
    assert time.monotonic() - started < 30  # not the heartbeat's 60 s: its process is gone


# -- Dask


def test_a_dask_cluster_without_workers_stops_in_one_line_and_resumes(
    tmp_path: Path, long_file: Path, long_whole: str
) -> None:
    distributed = pytest.importorskip("dask.distributed")
    db = tmp_path / "dask.db"
    timeout = 2.0
    gone: list[float] = []
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:

        def close_the_workers() -> None:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and _count(db) < 2:
                time.sleep(0.02)
            cluster.scale(0)
            gone.append(time.monotonic())

        closer = threading.Thread(target=close_the_workers)
        closer.start()
        address = cluster.scheduler_address
        args = ["sweep", str(long_file), *VARY, "--store", str(db), "--dask", address]
        result = CliRunner().invoke(main, [*args, "--dask-timeout", str(timeout)])
        stopped = time.monotonic()
        closer.join()
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.strip().splitlines()
    held = _count(db)
    assert line == (
        f"the Dask cluster at {address} has had no worker for 2 s: stopped; {db} keeps the "
        f"{held} runs finished: start workers, then run the same command with --resume to "
        "go on (--dask-timeout SECONDS waits longer)"
    )
    assert timeout <= stopped - gone[0] < timeout + 5
    assert 2 <= held < TOTAL
    _resumed(long_file, db, long_whole)


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM runs").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_a_read_only_store_keeps_its_results_version(read_only: Path, hall_file: Path) -> None:
    """A read-only store of an earlier portsim (results version 0) is read as such: it is
    reported, and a run to be added is refused for its version (exit 2), not its folder."""
    db = read_only / "runs.db"
    assert _run(_sweep(hall_file, db)).returncode == 0
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA user_version=0")
    connection.close()  # its -wal and -shm files go with it
    read_only.chmod(0o555)
    code = (
        "from portsim.planning.store import SQLiteStore\n"
        f"store = SQLiteStore({str(db)!r})\n"
        "print(store.version, store.writable)"
    )
    opened = _run([sys.executable, "-c", code], _as_a_user)
    assert opened.stdout.split() == ["0", "False"], opened.stderr
    report = _run([sys.executable, "-m", "portsim", "report", str(db)], _as_a_user)
    assert report.returncode == 0, report.stderr
    more = _run(_sweep(hall_file, db, "--resume", "-r", "4"), _as_a_user)
    assert more.returncode == 2
    assert "results version 0" in more.stderr
