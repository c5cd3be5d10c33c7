"""The task seam: a replication is a task that returns its metric rows.

A :class:`Task` names a run (``run``: a key the caller chooses, for instance a hash of the
scenario and configuration), the compiled model, the seed and the replication index; it is
a pure function of those. :func:`run_tasks` maps tasks over any ``map``: the builtin one, a
process pool's, or a cluster's. Workers return metric rows, plus the per-entity records only
when asked for.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..engine.replication import EngineCounters, run_replication
from ..model.model import Model
from ..results.metrics import replication_table
from ..results.records import Records, records_from_log
from ..results.rows import MetricTable

__all__ = ["Task", "TaskResult", "default_workers", "process_map", "run_task", "run_tasks"]


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


def run_tasks(tasks: Iterable[Task], map: Mapper | None = None) -> list[TaskResult]:
    """Each task's result, in the order of the tasks, computed by ``map`` (default: here,
    one after another)."""
    mapper: Mapper = map if map is not None else _serial
    return list(mapper(run_task, tasks))


def _serial(function: Callable[[Task], TaskResult], tasks: Iterable[Task]) -> Iterator[TaskResult]:
    return (function(task) for task in tasks)


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def process_map(workers: int) -> Any:
    """A ``map`` that runs tasks on ``workers`` processes (a context manager)."""
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    return ProcessPoolExecutor(max_workers=workers)
