"""Stopped from outside: SIGTERM (``kill``, ``timeout``, systemd, Slurm, ``docker stop``) and
SIGHUP (a closed terminal) end a command as Ctrl-C does — one line saying which signal and
what was kept, exit code 128 + the signal, no worker process left, the results store's
committed runs kept — and workers die with their parent however it dies, SIGKILL included.

The processes are real. Each portsim started here carries a marker in its environment,
which its worker processes inherit, so that every process it left behind is found by the
marker (a zombie, dead but not yet reaped, does not count)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import portsim.cli
import portsim.cli_animate
import portsim.planning.requests
from portsim.cli import main
from portsim.cli_signals import Stopped, stop_line, stop_signals

from .planning_cases import COUNTERS, hall_data, write
from .test_cli import SMALL
from .test_long_jobs import BIG

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/environ").exists(), reason="finds processes through /proc"
)

MARK = "PORTSIM_TEST_MARK"
#: how long a command may take to start its workers on a loaded machine (seconds)
PATIENCE = 30.0
#: how long a command may take to stop once signalled: far less than one replication of
#: the runs below, so that a command that waited for its workers' tasks would fail
STOPPED_WITHIN = 10.0
#: how long the processes of a command may outlive it
GONE_WITHIN = 5.0


def _default_signals() -> None:
    """The child handles the stop signals as a shell's job would, whatever this process
    does with them (a background job ignores SIGINT, nohup ignores SIGHUP)."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)


Start = Callable[..., tuple[Any, str]]


@pytest.fixture
def start() -> Iterator[Start]:
    """Start ``portsim ARGS`` (or the Python ``code`` with ARGS; ``group``: in a session of
    its own) with a marker of its own: the process and the marker. Whatever a failed test
    left running is killed after it."""
    marks: list[str] = []

    def started(
        args: list[str], *, group: bool = False, code: str | None = None
    ) -> tuple[Any, str]:
        marks.append(uuid.uuid4().hex)
        program = ["-c", code] if code is not None else ["-m", "portsim"]
        process = subprocess.Popen(
            [sys.executable, *program, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, MARK: marks[-1]},
            preexec_fn=_default_signals,  # noqa: PLW1509 - it only resets signals
            start_new_session=group,
        )
        return process, marks[-1]

    yield started
    for mark in marks:
        for pid in _marked(mark):
            with suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def _marked(mark: str) -> dict[int, int]:
    """The live processes that carry ``mark``: pid → parent pid."""
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            stat = (entry / "stat").read_text()
        except OSError:  # gone, or not ours to read
            continue
        if f"{MARK}={mark}".encode() not in environ.split(b"\0"):
            continue
        state, parent = stat.rsplit(")", 1)[1].split()[:2]
        if state != "Z":
            found[int(entry.name)] = int(parent)
    return found


def _until(condition: Callable[[], bool], what: str, timeout: float = PATIENCE) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"still waiting, after {timeout:.0f} s, for {what}"
        time.sleep(0.02)


def _workers(process: Any, mark: str) -> list[int]:
    return [pid for pid, parent in _marked(mark).items() if parent == process.pid]


def _workers_started(process: Any, mark: str, count: int = 2) -> None:
    def started() -> bool:
        assert process.poll() is None, process.communicate()
        return len(_workers(process, mark)) >= count

    _until(started, f"{count} worker processes")


def _none_left(mark: str) -> None:
    _until(lambda: not _marked(mark), "every process of the command to be gone", GONE_WITHIN)


def _send(process: Any, number: int, group: bool) -> None:
    if group:  # as systemd, Slurm and timeout do: to every process of the job
        os.killpg(process.pid, number)
    else:  # as kill and docker stop do: to the process alone
        process.send_signal(number)


def _committed(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM runs").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


STOPS = [
    pytest.param(signal.SIGTERM, False, id="SIGTERM"),
    pytest.param(signal.SIGHUP, False, id="SIGHUP"),
    pytest.param(signal.SIGTERM, True, id="SIGTERM to the group"),
]


@pytest.mark.parametrize(("number", "group"), STOPS)
def test_a_signal_stops_a_run_and_its_workers(
    tmp_path: Path, start: Start, number: int, group: bool
) -> None:
    file = write(tmp_path / "big.yaml", BIG)
    process, mark = start(["run", str(file), "--workers", "2"], group=group)
    _workers_started(process, mark)
    _send(process, number, group)
    out, err = process.communicate(timeout=STOPPED_WITHIN)
    assert process.returncode == 128 + number, (process.returncode, err[-300:])
    assert out == ""
    name = signal.Signals(number).name
    assert err.splitlines()[-1] == f"interrupted by {name}: no results were written"
    assert len(err.splitlines()) == 2  # the note of a large run, then the line
    _none_left(mark)


def _sweep(file: Path, db: Path, *extra: str) -> list[str]:
    vary = ["--vary", f"{COUNTERS}=3:5", "-r", "4", "--workers", "2"]
    return ["sweep", str(file), *vary, "--store", str(db), "--quiet", *extra]


def _portsim(args: list[str]) -> subprocess.CompletedProcess[str]:
    """``portsim ARGS`` in a process of its own, as a planner runs it. (Not in the test's
    process: a pool forked by a process in which an in-process Dask cluster has run, as
    other tests of the same xdist worker may have done, can lose a task and wait for it
    for ever; measured: 2 hangs in 7 runs of tests/test_planning_where.py,
    tests/test_store_faults.py and this module's sweep test in one process.)"""
    return subprocess.run(
        [sys.executable, "-m", "portsim", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def whole_sweep(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The JSON of the sweep below, uninterrupted."""
    folder = tmp_path_factory.mktemp("whole")
    file = write(folder / "hall.yaml", hall_data(horizon="1d"))
    done = _portsim(_sweep(file, folder / "whole.db", "--json", "-"))
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(("number", "group"), STOPS)
def test_a_signal_stops_a_sweep_which_resumes_to_the_same_result(
    tmp_path: Path, start: Start, number: int, group: bool, whole_sweep: str
) -> None:
    file = write(tmp_path / "hall.yaml", hall_data(horizon="1d"))
    db = tmp_path / "runs.db"
    process, mark = start(_sweep(file, db), group=group)
    _workers_started(process, mark)
    _until(lambda: _committed(db) > 0 or process.poll() is not None, "a committed run")
    _send(process, number, group)
    out, err = process.communicate(timeout=STOPPED_WITHIN)
    assert process.returncode == 128 + number, (process.returncode, err[-300:])
    assert out == ""
    name = signal.Signals(number).name
    assert err.strip() == (
        f"interrupted by {name}: every finished replication is kept in {db}; "
        "the same command with --resume goes on from there"
    )
    _none_left(mark)
    kept = _committed(db)
    assert 0 < kept < 3 * 4, "the sweep should have been stopped mid-way"

    resumed = _portsim(_sweep(file, db, "--resume", "--json", "-"))
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout == whole_sweep
    assert _committed(db) == 3 * 4


@pytest.mark.parametrize("command", ["run", "sweep"])
def test_workers_die_with_a_parent_killed_with_sigkill(
    tmp_path: Path, start: Start, command: str
) -> None:
    if command == "run":
        args = ["run", str(write(tmp_path / "big.yaml", BIG)), "--workers", "2"]
    else:
        args = _sweep(write(tmp_path / "hall.yaml", hall_data(horizon="10d")), tmp_path / "s.db")
    process, mark = start(args)
    _workers_started(process, mark)
    process.kill()  # the parent alone: nothing can be said or cleaned up
    process.communicate(timeout=STOPPED_WITHIN)
    assert process.returncode == -signal.SIGKILL
    _none_left(mark)


#: a process whose child watches it (``HOW``: with prctl, or with the thread elsewhere),
#: says its pid and how it watches, then waits to be killed
WATCHED = """
import os, sys, time
from portsim.run import tasks

if sys.argv[1] == "thread":
    tasks._parent_death_signal = lambda: False
child = os.fork()
if child == 0:
    how = tasks.die_with_parent(os.getppid(), poll=0.05)
    print(os.getpid(), how, flush=True)
    time.sleep(60)
    os._exit(0)
time.sleep(60)
"""


@pytest.mark.parametrize("how", ["prctl", "thread"])
def test_a_worker_dies_with_its_parent_with_prctl_or_the_portable_thread(
    start: Start, how: str
) -> None:
    if how == "prctl" and not sys.platform.startswith("linux"):
        pytest.skip("prctl is Linux's")
    process, mark = start([how], code=WATCHED)
    assert process.stdout is not None
    child, said = process.stdout.readline().split()
    assert said == how
    assert int(child) in _marked(mark)
    process.kill()
    process.wait()
    _none_left(mark)


#: a process that runs another thread (as a Jupyter kernel or an in-process Dask cluster
#: does), starts a pool, says how its workers started, then waits to be killed
THREADED = """
import threading, time
threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
from portsim.run import tasks
pool = tasks.process_map(2)
print(pool._mp_context.get_start_method(), flush=True)
time.sleep(60)
"""


def test_a_process_with_threads_spawns_its_workers_which_still_die_with_it(
    start: Start,
) -> None:
    """A fork while other threads run copies the locks they hold (a worker then waits for
    ever, or a task is lost): with other threads the pool spawns its workers instead, and
    they are still the process's children, killed with it."""
    process, mark = start([], code=THREADED)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "spawn"
    _workers_started(process, mark)
    process.kill()
    process.communicate(timeout=STOPPED_WITHIN)
    _none_left(mark)


def test_the_start_method_is_forks_unless_other_threads_run() -> None:
    from portsim.run.tasks import _start_method  # noqa: PLC0415

    assert _start_method("spawn") == "spawn"
    assert _start_method("forkserver") == "forkserver"
    alone = threading.active_count() == 1
    assert _start_method("fork") == ("fork" if alone else "spawn")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert _start_method("fork") == "spawn"
    finally:
        stop.set()
        other.join()


COMMANDS = {
    "run": (portsim.cli, "simulate", ["run", "{file}"]),
    "report": (portsim.cli, "simulate", ["report", "{file}"]),
    "compare": (
        portsim.cli,
        "compare",
        ["compare", "{file}", "--variant", "b:stages.secondary.lanes.officers.count=3"],
    ),
    "animate": (portsim.cli_animate, "simulate", ["animate", "{file}"]),
    "sweep": (
        portsim.planning.requests,
        "sweep_result",
        ["sweep", "{file}", "--vary", "stages.secondary.lanes.officers.count=1,2"],
    ),
    "plan": (
        portsim.planning.requests,
        "plan",
        [
            "plan",
            "{file}",
            "--vary",
            "stages.secondary.lanes.officers.count=1:2",
            "--target",
            "pledges",
        ],
    ),
    "capacity": (
        portsim.planning.requests,
        "capacity",
        ["capacity", "{file}", "--scale", "flows.visitors.arrivals.rate", "--target", "pledges"],
    ),
}


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_says_a_stop_in_one_line_with_128_plus_the_signal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, number: int
) -> None:
    module, function, args = COMMANDS[command]
    stop = KeyboardInterrupt() if number == signal.SIGINT else Stopped(number)

    def stopped(*_: Any, **__: Any) -> Any:
        raise stop

    monkeypatch.setattr(module, function, stopped)
    monkeypatch.chdir(tmp_path)
    file = write(tmp_path / "small.yaml", SMALL)
    result = CliRunner().invoke(main, [a.format(file=file) for a in args])
    assert result.exit_code == 128 + number, result.output
    planning = command in {"sweep", "plan", "capacity"}
    kept = (
        "no results were kept (without --store, runs are kept in memory only)"
        if planning
        else "no results were written"
    )
    said = result.stderr.strip().splitlines()
    if command == "animate":  # what it will draw, said before it draws
        assert said[0].startswith("portsim: ")
        assert " frames " in said[0]
        said = said[1:]
    assert said == [stop_line(stop, kept)]
    assert list(tmp_path.iterdir()) == [file]


def _signal_myself(number: int) -> None:
    os.kill(os.getpid(), number)
    time.sleep(5)  # the handler raises before this ends


def test_the_handlers_are_put_back_and_an_ignored_signal_stays_ignored() -> None:
    before = {n: signal.getsignal(n) for n in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as nohup starts a command
    try:
        with stop_signals():
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            with pytest.raises(Stopped) as stopped:
                _signal_myself(signal.SIGTERM)
            assert stopped.value.signal == signal.SIGTERM
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, before[signal.SIGHUP])
    after = {n: signal.getsignal(n) for n in before}
    assert after == before
