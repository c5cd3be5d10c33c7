"""Getting the metric rows of configurations: from the results store when they are there,
else computed (wherever :class:`~.cluster.Where` says) and committed one by one as they
finish.

A :class:`Runner` belongs to one base scenario and one seed. Configuration *c*'s replication
*r* always runs with that seed and index *r* — common random numbers between
configurations — and is computed at most once per store. The runner counts what it
simulated and what it found already stored, so a plan can say how many runs it used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from .cluster import Where
from .store import ResultStore, open_store, scenario_hash
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

    def __exit__(self, *exc: object) -> None:
        self.where.__exit__(*exc)

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
        if not self.compute:
            raise UsageError(
                f"the store lacks {len(tasks)} runs of this request: it was interrupted; "
                "run it again with --resume to finish it"
            )
        left: dict[str, int] = {}
        for task in tasks:
            left[task.run] = left.get(task.run, 0) + 1
        self._tell(what, 0, len(tasks), 0, len(left))
        mapper = self.where.map()
        results: Any = map(run_task, tasks) if mapper is None else mapper(run_task, tasks)
        for done, result in enumerate(results, start=1):
            self.store.put(self.scenario, result.run, self.seed, result.replication, result.table)
            found[result.run][result.replication] = result.table
            self._seen.add((result.run, result.replication))
            self.simulated += 1
            left[result.run] -= 1
            finished = sum(1 for n in left.values() if n == 0)
            self._tell(what, done, len(tasks), finished, len(left))

    def _tell(self, what: str, done: int, total: int, finished: int, configurations: int) -> None:
        if self.progress is not None:
            self.progress(what, done, total, finished, configurations)
