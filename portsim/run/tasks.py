"""The task seam: a replication is a task that returns its metric rows.

A :class:`Task` names a run (``run``: a key the caller chooses, for instance a hash of the
scenario and configuration), the compiled model, the seed and the replication index; it is
a pure function of those. :func:`run_tasks` maps tasks over any ``map``: the builtin one, a
process pool's, or a cluster's; a map may give the results in any order (a pool's
:func:`completed_map` gives each as it finishes, so progress is told as it happens) and
:func:`run_tasks` puts them back in the order of the tasks. Workers return metric rows, plus
the per-entity records only when asked for.

The local pool (:func:`worker_pool`) leaves stopping to the process that started it: its
workers ignore Ctrl-C, SIGTERM and SIGHUP, which that process handles (it says what was
kept, then kills them with :func:`stop_pool`), and they die with it however it dies,
SIGKILL included (:func:`die_with_parent`), so that no worker is ever left behind.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..engine.replication import EngineCounters, run_replication
from ..model.model import Model
from ..results.metrics import replication_table
from ..results.records import Records, records_from_log
from ..results.rows import MetricTable

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

__all__ = [
    "Progress",
    "Task",
    "TaskResult",
    "completed_map",
    "default_workers",
    "die_with_parent",
    "process_map",
    "run_task",
    "run_tasks",
    "stop_pool",
    "worker_pool",
]


@dataclass(frozen=True, slots=True)
class Task:
    """One replication of one run."""

    run: str
    model: Model
    seed: int
    replication: int
    #: keep the per-entity records (else only the metric rows come back)
    records: bool = True


@dataclass(frozen=True, slots=True, eq=False)
class TaskResult:
    run: str
    replication: int
    table: MetricTable
    counters: EngineCounters
    records: Records | None


def run_task(task: Task) -> TaskResult:
    """Run one replication and compute its metric rows (in the worker that runs it)."""
    if task.records:
        result = run_replication(task.model, task.seed, task.replication)
        assert result.log is not None
        records = records_from_log(task.model, task.replication, result.log)
        table = replication_table(task.model, result.counters, records)
        return TaskResult(task.run, task.replication, table, result.counters, records)
    from ..results.streaming import stream_replication  # noqa: PLC0415 - only when used

    table, counters = stream_replication(task.model, task.seed, task.replication)
    return TaskResult(task.run, task.replication, table, counters, None)


Mapper = Callable[[Callable[[Task], TaskResult], Iterable[Task]], Iterable[TaskResult]]
#: told ``(done, total)`` each time a task finishes
Progress = Callable[[int, int], None]


def run_tasks(
    tasks: Iterable[Task], map: Mapper | None = None, *, progress: Progress | None = None
) -> list[TaskResult]:
    """Each task's result, in the order of the tasks, computed by ``map`` (default: here,
    one after another; any order of results will do). ``progress`` is told as each
    finishes."""
    mapper: Mapper = map if map is not None else _serial
    todo = list(tasks)
    slots: dict[tuple[str, int], deque[int]] = defaultdict(deque)
    for position, task in enumerate(todo):
        slots[(task.run, task.replication)].append(position)
    results: list[TaskResult | None] = [None] * len(todo)
    for done, result in enumerate(mapper(run_task, todo), start=1):
        results[slots[(result.run, result.replication)].popleft()] = result
        if progress is not None:
            progress(done, len(todo))
    assert all(r is not None for r in results)
    return results  # type: ignore[return-value]


def _serial(function: Callable[[Task], TaskResult], tasks: Iterable[Task]) -> Iterator[TaskResult]:
    return (function(task) for task in tasks)


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


#: the signals a worker leaves to the process that started it: a terminal sends Ctrl-C
#: (SIGINT) and its hang-up (SIGHUP) to the whole process group, and systemd, Slurm and
#: ``timeout`` send SIGTERM to every process of the job; the parent says what was kept and
#: ends its workers itself (:func:`stop_pool`), so that a stop is told the same way however
#: it was sent
LEFT_TO_PARENT = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
#: how often a worker without ``prctl`` asks whether its parent is still there (seconds)
PARENT_POLL = 1.0
#: ``prctl``'s option that has the kernel signal a process when its parent dies (Linux)
_PR_SET_PDEATHSIG = 1


def _start_worker(creator: int, direct: bool) -> None:
    """Each worker, as it starts: leave the stop signals to its parent, and die with it.
    ``creator``: the process that made the pool; ``direct``: it is the worker's parent (the
    fork and spawn start methods; with forkserver the parent is the fork server, which ends
    when the creator does)."""
    for number in LEFT_TO_PARENT:
        signal.signal(number, signal.SIG_IGN)
    die_with_parent(creator if direct else os.getppid())


def die_with_parent(parent: int, poll: float = PARENT_POLL) -> str:
    """Have this process end when its parent ``parent`` does, however the parent ends
    (SIGKILL, a crash, the OOM killer): on Linux the kernel sends it SIGKILL at once
    (``prctl(PR_SET_PDEATHSIG)``), elsewhere a daemon thread asks every ``poll`` seconds
    whether the parent is still there (an orphan is adopted by another process, so
    ``os.getppid()`` changes) and ends the process. A parent already gone ends it at once.
    Returns how it watches: ``"prctl"`` or ``"thread"``."""
    if os.getppid() != parent:
        os._exit(1)
    if _parent_death_signal():
        if os.getppid() != parent:  # the parent died before the kernel was told
            os._exit(1)
        return "prctl"
    threading.Thread(
        target=_watch_parent, args=(parent, poll), name="portsim-parent-watch", daemon=True
    ).start()
    return "thread"


def _parent_death_signal() -> bool:
    """Ask the kernel for SIGKILL when the parent dies; False where it cannot be asked."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # noqa: PLC0415 - in the workers only

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):  # no C library to load, or no prctl in it
        return False


def _watch_parent(parent: int, poll: float) -> None:
    while os.getppid() == parent:
        time.sleep(poll)
    os._exit(1)


def process_map(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes (its ``map`` runs tasks, and so does
    :func:`completed_map` of it). The workers ignore SIGINT, SIGTERM and SIGHUP, which are
    left to this process (:func:`stop_pool` ends them), and die with this process however
    it dies (:func:`die_with_parent`). Prefer :func:`worker_pool`, which stops them when
    its block ends."""
    import multiprocessing  # noqa: PLC0415
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    context = multiprocessing.get_context(_start_method(multiprocessing.get_start_method()))
    direct = context.get_start_method() in ("fork", "spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(os.getpid(), direct),
    )
    # the workers start at the first task: started here, with the stop signals held, so
    # that a signal never lands in the fork's own hooks (where Python drops the exception
    # its handler raises: the stop would be lost); a held signal comes right after
    try:
        with _signals_held():
            pool.submit(os.getpid).result()
    except BaseException:  # a stop held while they started: they end at once
        stop_pool(pool)
        raise
    return pool


def _start_method(default: str) -> str:
    """How the pool's workers start: the platform's ``default``, but ``spawn`` instead of
    ``fork`` while this process runs other threads (a Jupyter kernel, an in-process Dask
    cluster, a progress bar's monitor). A fork copies the locks those threads hold at that
    instant, and a copy held for ever hangs the worker or loses its task (POSIX; CPython 3.12
    warns of it). ``spawn`` starts each worker afresh and is still its parent, so the
    workers still die with it (:func:`die_with_parent`); it costs the workers' imports, about a
    second, once per pool."""
    if default == "fork" and threading.active_count() > 1:
        return "spawn"
    return default


#: the signals that stop portsim (the command line's handlers raise on them)
_STOPS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextmanager
def _signals_held() -> Iterator[None]:
    """The stop signals held (blocked) in this thread while the block runs, then delivered."""
    hold = getattr(signal, "pthread_sigmask", None)
    if hold is None:  # no signal masks here (Windows)
        yield
        return
    before = hold(signal.SIG_BLOCK, _STOPS)
    try:
        yield
    finally:
        hold(signal.SIG_SETMASK, before)


@contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` processes (:func:`process_map`) for a ``with`` block: shut down
    when the block ends, after its tasks; when the block ends with an exception (Ctrl-C, a
    signal, an error) its workers are ended at once (:func:`stop_pool`)."""
    pool = process_map(workers)
    try:
        yield pool
    except BaseException:
        stop_pool(pool)
        raise
    pool.shutdown(wait=True, cancel_futures=True)


def completed_map(pool: Any) -> Mapper:
    """A ``map`` over ``pool`` (a :mod:`concurrent.futures` executor) that gives each result
    as soon as it is done, in whatever order they finish."""
    from concurrent.futures import as_completed  # noqa: PLC0415

    def mapper(
        function: Callable[[Task], TaskResult], tasks: Iterable[Task]
    ) -> Iterator[TaskResult]:
        futures = [pool.submit(function, task) for task in tasks]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            for future in futures:
                future.cancel()

    return mapper


def _quiet_stopped_pools(args: threading.ExceptHookArgs) -> None:
    """A pool's manager thread that finds its killed workers may try to fail a future
    already cancelled (CPython before 3.12 raises ``InvalidStateError`` there, in that
    thread): a pool stopped on purpose says nothing; any other thread's error as before."""
    from concurrent.futures import InvalidStateError  # noqa: PLC0415 - a pool imported it

    stopping = type(args.thread).__name__ == "_ExecutorManagerThread"
    if stopping and isinstance(args.exc_value, InvalidStateError):
        return
    _EXCEPTHOOK(args)


_EXCEPTHOOK = threading.excepthook


def stop_pool(pool: Any) -> None:
    """Stop a pool at once: cancel what has not started and kill the worker processes
    (SIGKILL: they ignore the stop signals, and hold nothing a kill could spoil: results
    come back through the pool's pipes), so that nothing is left running."""
    threading.excepthook = _quiet_stopped_pools
    kill = getattr(pool, "kill_workers", None)  # Python 3.14
    if kill is not None:
        kill()
        return
    # before shutdown, which forgets the processes; killed first, so that they end even if
    # the shutdown cannot
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.kill()
    # the tasks not yet taken wait in a pipe nobody reads now: the process must not wait, at
    # its exit, for them to be written (a pipe full of pickled models would never drain)
    calls = getattr(pool, "_call_queue", None)
    if calls is not None:
        calls.cancel_join_thread()
    # a worker killed while it sent a result leaves half a message, which the pool's thread
    # would wait for the rest of for ever (this process holds the pipe's other end): closing
    # that end gives it the end of the file, and the thread ends as for a broken pool
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        writer.close()
    pool.shutdown(wait=False, cancel_futures=True)
