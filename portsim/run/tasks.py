"""The task seam: a replication is a task that returns its metric rows.

A :class:`Task` names a run (``run``: a key the caller chooses, for instance a hash of the
scenario and configuration), the compiled model, the seed and the replication index; it is
a pure function of those. :func:`run_tasks` maps tasks over any ``map``: the builtin one, a
process pool's, or a cluster's; a map may give the results in any order (a pool's
:func:`completed_map` gives each as it finishes, so progress is told as it happens) and
:func:`run_tasks` puts them back in the order of the tasks. Workers return metric rows, plus
the per-entity records only when asked for.
"""

from __future__ import annotations

import os
import signal
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..engine.replication import EngineCounters, run_replication
from ..model.model import Model
from ..results.metrics import replication_table
from ..results.records import Records, records_from_log
from ..results.rows import MetricTable

__all__ = [
    "Progress",
    "Task",
    "TaskResult",
    "completed_map",
    "default_workers",
    "process_map",
    "run_task",
    "run_tasks",
    "stop_pool",
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


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the process that started them, which stops them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def process_map(workers: int) -> Any:
    """A pool of ``workers`` processes (a context manager; its ``map`` runs tasks, and so
    does :func:`completed_map` of it). The workers ignore Ctrl-C: :func:`stop_pool` ends
    them."""
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    return ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupt)


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


def stop_pool(pool: Any) -> None:
    """Stop a pool at once: cancel what has not started and end the worker processes (on
    Ctrl-C, say), so that nothing is left running."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
        return
    # before shutdown, which forgets the processes
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
