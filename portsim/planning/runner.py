"""Getting the metric rows of configurations: from the results store when they are there,
else computed (wherever :class:`~.cluster.Where` says) and committed one by one as they
finish.

A :class:`Runner` belongs to one base scenario and one seed. Configuration *c*'s replication
*r* always runs with that seed and index *r* — common random numbers between
configurations — and is computed at most once per store: with an SQLite store, a run is
claimed before it is computed (:mod:`.claims`), so that two processes computing into one
store share the work, and a run another process has claimed is read from the store once it
is there. The runner counts what it simulated and what it found already stored (or another
process stored), so a plan can say how many runs it used.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from ..errors import UsageError
from ..model.compile import compile_scenario
from ..model.model import Model
from ..model.work import ABSURD_STEPS, estimate_work
from ..results.rows import RESULTS_VERSION, MetricTable
from ..run.tasks import Task, run_task
from ..scenario.load import dump_scenario
from ..scenario.spec import Scenario
from .claims import POLL, Claims, RunKey, State
from .cluster import ClusterLostError, Where
from .store import ResultStore, SQLiteStore, open_store, scenario_hash
from .vary import Configuration

__all__ = ["BatchProgress", "Runner"]

#: what a runner is asked for: a configuration and how many replications (indices 0..n-1)
Want = tuple[Configuration, int]
#: told ``(what, replications done, replications, configurations done, configurations)``
#: when a batch of runs starts (none done) and each time one of them finishes; a display
#: (:func:`portsim.report.progress.planning_display`) draws it
BatchProgress = Callable[[str, int, int, int, int], None]


class Runner(AbstractContextManager["Runner"]):
    """Runs of one base scenario and seed, kept in ``store``."""

    def __init__(
        self,
        base: Scenario,
        seed: int,
        *,
        store: ResultStore | str | None = None,
        resume: bool = False,
        where: Where | None = None,
        progress: BatchProgress | None = None,
        compute: bool = True,
    ) -> None:
        if seed < 0:
            raise UsageError("the seed must be a non-negative integer")
        self.base = dump_scenario(base)
        self.seed = seed
        self.scenario = scenario_hash(self.base)
        self.store = open_store(store)
        held = getattr(self.store, "version", RESULTS_VERSION)
        if compute and held != RESULTS_VERSION:
            raise UsageError(
                f"{store}: its runs were made by an earlier portsim, whose metric definitions "
                f"differ (results version {held}, now {RESULTS_VERSION}; see CHANGELOG.md): "
                "they are not mixed with new runs; start a new store (portsim report still "
                "reads this one)"
            )
        if not resume and compute and self.store.runs(self.scenario, seed):
            raise UsageError(
                f"the store already holds {self.store.runs(self.scenario, seed)} runs of this "
                "scenario and seed: add --resume (resume=True) to use them, or choose another store"
            )
        self.store.save_scenario(self.scenario, self.base)
        self.where = where or Where()
        self.progress = progress
        self.compute = compute
        #: replications computed by this runner, and found already in the store
        self.simulated = 0
        self.reused = 0
        self._models: dict[str, Model] = {}
        self._seen: set[tuple[str, int]] = set()
        self._claims: Claims | None = None

    def __exit__(self, *exc: object) -> None:
        try:
            self.where.__exit__(*exc)
        finally:
            if self._claims is not None:
                self._claims.release()
                self._claims = None

    def base_scenario(self) -> Scenario:
        """The base scenario, as the store holds it."""
        return self.scenario_of(Configuration((), ()))

    def scenario_of(self, configuration: Configuration) -> Scenario:
        """The base scenario with the configuration's assignments."""
        return configuration.scenario(self.base)

    def model(self, configuration: Configuration) -> Model:
        """The compiled model of a configuration (compiled once)."""
        if configuration.key not in self._models:
            self._models[configuration.key] = compile_scenario(self.scenario_of(configuration))
        return self._models[configuration.key]

    def tables(self, wants: Sequence[Want], what: str = "running") -> list[list[MetricTable]]:
        """For each (configuration, n), the metric rows of replications 0..n-1, in order."""
        need: dict[str, tuple[Configuration, int]] = {}
        for configuration, n in wants:
            if n > need.get(configuration.key, (configuration, 0))[1]:
                need[configuration.key] = (configuration, n)
        found: dict[str, dict[int, MetricTable]] = {}
        tasks: list[Task] = []
        steps = 0.0
        for key, (configuration, n) in need.items():
            found[key] = self.store.get(self.scenario, key, self.seed, range(n))
            self._count_reused(key, found[key])
            if len(found[key]) < n:
                model = self.model(configuration)
                missing = [r for r in range(n) if r not in found[key]]
                steps += estimate_work(model, len(missing)).steps
                tasks += [Task(key, model, self.seed, r, records=False) for r in missing]
        if steps >= ABSURD_STEPS:
            raise UsageError(
                f"{len(tasks):,} replication(s) of {len(need):,} configuration(s) are about "
                f"{steps:.1e} traveller steps, more than {ABSURD_STEPS:.0e}: days of work; "
                "check the demand, the horizon, the grid and the replications"
            )
        if tasks:
            self._run(tasks, found, what)
        return [[found[c.key][r] for r in range(n)] for c, n in wants]

    def _count_reused(self, key: str, have: dict[int, MetricTable]) -> None:
        for r in have:
            if (key, r) not in self._seen:
                self._seen.add((key, r))
                self.reused += 1

    def _run(self, tasks: list[Task], found: dict[str, dict[int, MetricTable]], what: str) -> None:
        """Compute the tasks, committing each run as it finishes. With an SQLite store, each
        run is claimed before it is computed (:mod:`.claims`): a run that another process
        has claimed is left to it and read from the store when it is there (or computed
        here once its owner is gone)."""
        if not self.compute:
            raise UsageError(
                f"the store lacks {len(tasks)} runs of this request: it was interrupted; "
                "run it again with --resume to finish it"
            )
        batch = _Batch(self, tasks, found, what)
        if isinstance(self.store, SQLiteStore) and self._claims is None:
            self._claims = self.store.claims()
        mapper = self.where.map()
        todo = tasks
        while todo:
            theirs: list[Task] = []
            claimed = self._claimed(todo, theirs, batch)
            results: Any = map(run_task, claimed) if mapper is None else mapper(run_task, claimed)
            try:
                for result in results:
                    key = (self.scenario, result.run, self.seed, result.replication)
                    self.store.put(*key, result.table)
                    batch.kept(result.run, result.replication, result.table, simulated=True)
            except ClusterLostError as error:
                raise ClusterLostError(f"{error}; {self._kept()}") from None
            todo = self._after_others(theirs, batch)

    def _kept(self) -> str:
        """Where the runs finished are, and how to go on (for work stopped midway)."""
        if isinstance(self.store, SQLiteStore):
            held = self.store.runs(self.scenario, self.seed)
            return (
                f"{self.store.path} keeps the {held} runs finished: start workers, then run "
                "the same command with --resume to go on (--dask-timeout SECONDS waits longer)"
            )
        return "start workers and run it again (--store FILE.db keeps each run as it finishes)"

    def _claimed(self, tasks: list[Task], theirs: list[Task], batch: _Batch) -> Iterator[Task]:
        """The tasks this runner claims, one by one as they are wanted; the runs already
        stored are read, those another runner holds go to ``theirs``."""
        for task in tasks:
            state = State.MINE if self._claims is None else self._claims.claim(self._key(task))
            if state is State.MINE:
                yield task
            elif state is State.DONE:
                batch.read(task)
            else:
                theirs.append(task)

    def _after_others(self, theirs: list[Task], batch: _Batch) -> list[Task]:
        """Wait for the runs other runners hold: read each when it is stored; return (to be
        claimed and computed here) those whose owners are gone, as soon as there are any."""
        while theirs and self._claims is not None:
            states = self._claims.survey(self._key(task) for task in theirs)
            for task in theirs:
                if states[self._key(task)] is State.DONE:
                    batch.read(task)
            theirs = [task for task in theirs if states[self._key(task)] is not State.DONE]
            if any(states[self._key(task)] is None for task in theirs):
                return theirs
            if theirs:
                time.sleep(POLL)
        return []

    def _key(self, task: Task) -> RunKey:
        return (self.scenario, task.run, self.seed, task.replication)

    def _tell(self, what: str, done: int, total: int, finished: int, configurations: int) -> None:
        if self.progress is not None:
            self.progress(what, done, total, finished, configurations)


class _Batch:
    """The runs of one :meth:`Runner.tables` being gathered: each kept in ``found`` as it
    comes (computed here or read from the store), counted, and told to the progress."""

    def __init__(
        self,
        runner: Runner,
        tasks: list[Task],
        found: dict[str, dict[int, MetricTable]],
        what: str,
    ) -> None:
        self.runner = runner
        self.found = found
        self.what = what
        self.total = len(tasks)
        self.done = 0
        self.left: dict[str, int] = {}
        for task in tasks:
            self.left[task.run] = self.left.get(task.run, 0) + 1
        self._tell()

    def read(self, task: Task) -> None:
        """A run another process stored meanwhile: read from the store."""
        r = self.runner
        (table,) = r.store.get(r.scenario, task.run, r.seed, [task.replication]).values()
        self.kept(task.run, task.replication, table, simulated=False)

    def kept(self, run: str, replication: int, table: MetricTable, *, simulated: bool) -> None:
        self.found[run][replication] = table
        self.runner._seen.add((run, replication))
        if simulated:
            self.runner.simulated += 1
        else:
            self.runner.reused += 1
        self.left[run] -= 1
        self.done += 1
        self._tell()

    def _tell(self) -> None:
        finished = sum(1 for n in self.left.values() if n == 0)
        self.runner._tell(self.what, self.done, self.total, finished, len(self.left))
