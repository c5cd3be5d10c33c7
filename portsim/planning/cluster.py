"""Where replications run: here, on a local process pool, or on a Dask distributed cluster.

Each function here gives a *map* for the task seam (:mod:`~portsim.run.tasks`) that yields
results as they finish, not in the order of the tasks, so that a caller can commit each
finished replication at once; every result names its run and replication. A replication is a pure
function of (scenario, seed, index), so whoever computes it gives the same numbers, bit for
bit. Dask is optional (``pip install 'portsim[dask]'``); a cluster that loses a worker
computes the lost replications again elsewhere (the scheduler's own retry), and
whatever was committed before stays committed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import AbstractContextManager, ExitStack
from typing import Any

from ..errors import UsageError
from ..run.tasks import Mapper, Task, TaskResult, worker_pool

__all__ = ["Where", "dask_client", "unordered_map"]

#: tasks in flight per worker: enough to keep every worker busy, few enough that a stop
#: loses little and memory stays flat however large the grid
IN_FLIGHT_PER_WORKER = 2

Submit = Callable[[Callable[[Task], TaskResult], Task], Any]


def _unordered(submit: Submit, wait_first: Callable[[set[Any]], set[Any]], limit: int) -> Mapper:
    """A map that keeps at most ``limit`` tasks submitted and yields results as they finish."""

    def map_(function: Callable[[Task], TaskResult], tasks: Iterable[Task]) -> Iterator[TaskResult]:
        pending: set[Any] = set()
        queue = iter(tasks)
        try:
            for task in queue:
                pending.add(submit(function, task))
                while len(pending) >= limit:
                    for future in wait_first(pending):
                        pending.discard(future)
                        yield future.result()
            while pending:
                for future in wait_first(pending):
                    pending.discard(future)
                    yield future.result()
        finally:
            for future in pending:
                future.cancel()

    return map_


def _first_done(pending: set[Future[TaskResult]]) -> set[Future[TaskResult]]:
    done, _ = wait(pending, return_when=FIRST_COMPLETED)
    return done


def unordered_map(pool: ProcessPoolExecutor, workers: int) -> Mapper:
    """A process pool's map, results as they finish."""
    return _unordered(pool.submit, _first_done, workers * IN_FLIGHT_PER_WORKER)


def dask_client(address_or_client: Any) -> tuple[Any, bool]:
    """A Dask client for a scheduler address (``tcp://host:8786``), or the client given;
    and whether it was made here (and so is closed here)."""
    try:
        from dask.distributed import Client  # noqa: PLC0415 - optional
    except ImportError:
        raise UsageError(
            "running on a Dask cluster needs Dask: pip install 'portsim[dask]'"
        ) from None
    if isinstance(address_or_client, Client):
        return address_or_client, False
    if not isinstance(address_or_client, str):
        raise UsageError("dask= takes a scheduler address or a dask.distributed.Client")
    if not address_or_client.strip():  # Dask would start a cluster of its own on this machine
        raise UsageError("give the Dask scheduler's address, for example tcp://10.0.0.5:8786")
    try:
        return Client(address_or_client, timeout="20s"), True  # type: ignore[no-untyped-call, unused-ignore]
    except OSError as error:
        raise UsageError(
            f"cannot reach the Dask scheduler at {address_or_client}: {error}"
        ) from None
    except ValueError as error:  # Dask's own word on an address it cannot parse
        raise UsageError(
            f"{address_or_client!r} is not a Dask scheduler address ({error}): write "
            "tcp://HOST:PORT, for example tcp://10.0.0.5:8786"
        ) from None


def _dask_map(client: Any) -> Mapper:
    from dask.distributed import wait as dask_wait  # noqa: PLC0415 - optional

    def submit(function: Callable[[Task], TaskResult], task: Task) -> Any:
        return client.submit(function, task, pure=False)

    def first_done(pending: set[Any]) -> set[Any]:
        done = dask_wait(list(pending), return_when="FIRST_COMPLETED").done  # type: ignore[no-untyped-call, unused-ignore]
        return set(done)

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    return _unordered(submit, first_done, workers * IN_FLIGHT_PER_WORKER + 2)


class Where(AbstractContextManager["Where"]):
    """Here (``workers=1``), on ``workers`` local processes, or on a Dask cluster (``dask``:
    an address or a client). The pool or client starts at the first use and stops on exit."""

    def __init__(self, workers: int = 1, dask: Any = None) -> None:
        if workers < 1:
            raise UsageError("workers must be at least 1")
        self.workers = workers
        self.dask = dask
        self._stack = ExitStack()
        self._map: Mapper | None = None

    def map(self) -> Mapper | None:
        """The map to run tasks with; None: here, one after another."""
        if self._map is not None:
            return self._map
        if self.dask is not None:
            client, made_here = dask_client(self.dask)
            if made_here:
                self._stack.callback(client.close)
            self._map = _dask_map(client)
        elif self.workers > 1:
            pool = self._stack.enter_context(worker_pool(self.workers))
            self._map = unordered_map(pool, self.workers)
        return self._map

    def __exit__(self, *exc: Any) -> None:
        self._stack.__exit__(*exc)  # an exception stops the pool's workers at once
