"""Where and how a planning request runs (:class:`Setup`: the seed, the results store, the
workers or Dask cluster, the progress callback), and its progress drawn below the cell in a
Jupyter notebook, as the command line draws it on a terminal: a request given no
``progress`` (nor a ``setup``, which brings its own) draws one bar per batch of runs
(:func:`~portsim.report.progress.planning_display`, imported only there). Elsewhere nothing
is drawn unless asked for."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from .. import jupyter
from ..run.tasks import default_workers
from ..scenario.spec import Scenario
from .cluster import DASK_TIMEOUT, Where
from .runner import BatchProgress, Runner
from .store import ResultStore

__all__ = ["Setup", "drawn_in_a_notebook"]


@dataclass(frozen=True, slots=True)
class Setup:
    """Where and how a request runs: the seed, the store, the workers or cluster."""

    seed: int | None = None
    store: ResultStore | str | None = None
    resume: bool = False
    workers: int | None = None
    dask: Any = None
    progress: BatchProgress | None = None
    #: seconds the Dask cluster may have no worker while runs wait before the request stops
    dask_timeout: float = DASK_TIMEOUT

    def runner(self, scenario: Scenario, *, compute: bool = True) -> Runner:
        seed = scenario.seed if self.seed is None else self.seed
        where = Where(self.workers or default_workers(), self.dask, self.dask_timeout)
        return Runner(
            scenario,
            seed,
            store=self.store,
            resume=self.resume,
            where=where,
            progress=self.progress,
            compute=compute,
        )


P = ParamSpec("P")
R = TypeVar("R")


def drawn_in_a_notebook(request: Callable[P, R]) -> Callable[P, R]:
    """``request`` (``sweep``, ``plan``, ``capacity``) drawing its progress in a notebook when
    none is given."""

    @functools.wraps(request)
    def drawn(*args: P.args, **kwargs: P.kwargs) -> R:
        given = kwargs.get("progress") is not None or kwargs.get("setup") is not None
        if given or not jupyter.in_notebook():
            return request(*args, **kwargs)
        from ..report.progress import planning_display  # noqa: PLC0415 - see tests/test_layers.py

        with planning_display() as progress:
            kwargs["progress"] = progress
            return request(*args, **kwargs)

    return drawn
