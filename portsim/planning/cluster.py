"""Where replications run: here, on a local process pool, or on a Dask distributed cluster.

Each function here gives a *map* for the task seam (:mod:`~portsim.run.tasks`) that yields
results as they finish, not in the order of the tasks, so that a caller can commit each
finished replication at once; every result names its run and replication. A replication is a pure
function of (scenario, seed, index), so whoever computes it gives the same numbers, bit for
bit. Dask is optional (``pip install 'portsim[dask]'``); a cluster that loses a worker
computes the lost replications again elsewhere (the scheduler's own retry), and
whatever was committed before stays committed. A cluster left with no worker at all for
:data:`DASK_TIMEOUT` seconds (or the ``dask_timeout`` given) while runs wait stops the work
with :class:`ClusterLostError` (one line) instead of waiting for ever.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import AbstractContextManager, ExitStack
from typing import Any

from ..errors import StoppedError, UsageError
from ..run.tasks import Mapper, Task, TaskResult, worker_pool

__all__ = ["DASK_TIMEOUT", "ClusterLostError", "Where", "dask_client", "unordered_map"]

#: seconds a Dask cluster may have no worker while runs wait before the work stops
#: (``--dask-timeout``): long enough for a cluster to be restarted or to scale up from none
DASK_TIMEOUT = 300.0

#: tasks in flight per worker: enough to keep every worker busy, few enough that a stop
#: loses little and memory stays flat however large the grid
IN_FLIGHT_PER_WORKER = 2

Submit = Callable[[Callable[[Task], TaskResult], Task], Any]


class ClusterLostError(StoppedError):
    """A Dask cluster that has had no worker for longer than its timeout while runs waited
    (every worker lost, or none ever came): the work stops, what finished is kept."""


def _result(future: Any) -> TaskResult:
    return future.result()  # type: ignore[no-any-return]


def _unordered(
    submit: Submit,
    wait_first: Callable[[set[Any]], set[Any]],
    limit: int,
    result: Callable[[Any], TaskResult] = _result,
) -> Mapper:
    """A map that keeps at most ``limit`` tasks submitted and yields results as they finish
    (``result`` fetches a finished future's)."""

    def map_(function: Callable[[Task], TaskResult], tasks: Iterable[Task]) -> Iterator[TaskResult]:
        pending: set[Any] = set()
        queue = iter(tasks)
        try:
            for task in queue:
                pending.add(submit(function, task))
                while len(pending) >= limit:
                    for future in wait_first(pending):
                        yield result(future)
                        pending.discard(future)
            while pending:
                for future in wait_first(pending):
                    yield result(future)
                    pending.discard(future)
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


#: the names of Dask's errors for a task that no worker can run (a scheduler configured
#: with ``distributed.scheduler.no-workers-timeout`` fails such tasks with them)
_NO_WORKER_ERRORS = frozenset({"NoValidWorkerError", "NoWorkerError"})


class _Watch:
    """How long a Dask cluster has had no worker while this process waited for it; past
    ``timeout`` seconds, :meth:`nothing_yet` raises :class:`ClusterLostError`."""

    def __init__(self, client: Any, timeout: float) -> None:
        self.client = client
        self.timeout = timeout
        self.poll = min(1.0, max(0.05, timeout / 5))
        self._alone_since: float | None = None

    def nothing_yet(self) -> None:
        """A wait of :attr:`poll` seconds brought nothing: is there a worker?"""
        try:
            workers = bool(self.client.nthreads())
        except Exception:  # a scheduler out of reach has no worker to offer
            workers = False
        if workers:
            self._alone_since = None
            return
        now = time.monotonic()
        self._alone_since = now if self._alone_since is None else self._alone_since
        if now - self._alone_since >= self.timeout:
            raise self.lost()

    def lost(self) -> ClusterLostError:
        address = getattr(getattr(self.client, "scheduler", None), "address", None) or "?"
        return ClusterLostError(
            f"the Dask cluster at {address} has had no worker for {self.timeout:g} s: stopped"
        )


def _dask_map(client: Any, timeout: float = DASK_TIMEOUT) -> Mapper:
    """A Dask client's map, results as they finish; :class:`ClusterLostError` when the
    cluster has had no worker for ``timeout`` seconds while this process waited — for a
    task to finish, or for a finished task's result, which a lost worker takes with it."""
    from dask.distributed import wait as dask_wait  # noqa: PLC0415 - optional

    watch = _Watch(client, timeout)

    def submit(function: Callable[[Task], TaskResult], task: Task) -> Any:
        return client.submit(function, task, pure=False)

    def first_done(pending: set[Any]) -> set[Any]:
        while True:
            try:
                done = dask_wait(list(pending), timeout=watch.poll, return_when="FIRST_COMPLETED")  # type: ignore[no-untyped-call, unused-ignore]
            except TimeoutError:
                watch.nothing_yet()
                continue
            return set(done.done)

    def result(future: Any) -> TaskResult:
        while True:
            try:
                return future.result(timeout=watch.poll)  # type: ignore[no-any-return]
            except TimeoutError:
                watch.nothing_yet()
            except Exception as error:
                if type(error).__name__ in _NO_WORKER_ERRORS:
                    raise watch.lost() from None
                raise

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    return _unordered(submit, first_done, workers * IN_FLIGHT_PER_WORKER + 2, result)


class Where(AbstractContextManager["Where"]):
    """Here (``workers=1``), on ``workers`` local processes, or on a Dask cluster (``dask``:
    an address or a client; ``dask_timeout``: the seconds it may have no worker before the
    work stops with :class:`ClusterLostError`). The pool or client starts at the first use and
    stops on exit."""

    def __init__(
        self, workers: int = 1, dask: Any = None, dask_timeout: float = DASK_TIMEOUT
    ) -> None:
        if workers < 1:
            raise UsageError("workers must be at least 1")
        if not dask_timeout > 0:
            raise UsageError("the Dask timeout must be a positive number of seconds")
        self.workers = workers
        self.dask = dask
        self.dask_timeout = dask_timeout
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
            self._map = _dask_map(client, self.dask_timeout)
        elif self.workers > 1:
            pool = self._stack.enter_context(worker_pool(self.workers))
            self._map = unordered_map(pool, self.workers)
        return self._map

    def __exit__(self, *exc: Any) -> None:
        self._stack.__exit__(*exc)  # an exception stops the pool's workers at once
