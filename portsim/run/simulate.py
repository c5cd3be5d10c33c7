"""Run a scenario's replications and summarise them: the Python face of ``portsim run``."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import jupyter
from ..engine.replication import EngineCounters
from ..errors import UsageError
from ..model.model import Model
from ..results.catalog import LEVELS
from ..results.json_view import nested_view
from ..results.observed import ObservedWaits
from ..results.records import VISIT_FIELDS, Records
from ..results.rows import MetricTable
from ..results.statistics import aggregate
from ..results.summary import Summary, run_summary
from ..scenario.assume import assumptions_json
from ..scenario.spec import Scenario
from ..scenario.state import State, read_state
from .preflight import preflight, run_warnings, usable_workers
from .tasks import (
    Mapper,
    Progress,
    Task,
    TaskResult,
    completed_map,
    run_tasks,
    worker_pool,
)

__all__ = ["SimulationResult", "simulate", "summarise", "unseen", "write_visit_rows"]

_LEVELS = frozenset(LEVELS)


@dataclass(frozen=True, slots=True, eq=False)
class SimulationResult:
    """The replications of one scenario and their summary.

    ``summary`` holds the statistics, typed (:class:`~portsim.results.summary.Summary`:
    ``summary.stat(scope, metric)``; indexed, the content of the JSON output,
    :meth:`to_json`); ``tables`` hold each replication's metric rows, ``counters`` the
    engine's own measurements, ``records`` the per-entity records (empty when run without
    them); ``observed``, observed waits beside the run's own, when given
    (:func:`portsim.with_observed_waits`, ``portsim run --observed``).
    """

    scenario: Scenario
    model: Model = field(repr=False)
    seed: int
    replications: int
    warnings: tuple[str, ...]
    tables: tuple[MetricTable, ...] = field(repr=False)
    counters: tuple[EngineCounters, ...] = field(repr=False)
    records: tuple[Records, ...] = field(repr=False)
    summary: Summary = field(repr=False)
    observed: ObservedWaits | None = field(default=None, repr=False)

    @property
    def per_replication(self) -> tuple[dict[str, Any], ...]:
        """Each replication's metrics as nested blocks, like the JSON's but plain numbers."""
        return tuple(nested_view(table, _LEVELS) for table in self.tables)

    def rows(self) -> Iterator[tuple[int, str, str, str, int, str, float]]:
        """Every metric row: ``(replication, level, name, group, hour, metric, value)``."""
        for replication, table in enumerate(self.tables):
            for (level, name, group, hour, metric), value in table.items():
                yield replication, level, name, group, hour, metric, value

    def write_records_csv(self, path: str | Path) -> int:
        """Write every replication's records to a CSV file, one row per stage visit, with
        the columns of :data:`~portsim.results.records.VISIT_FIELDS`; empty cells for NaN.
        Returns the number of rows."""
        if not self.records:
            raise UsageError("this result has no records: run it with records=True")
        with Path(path).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([name for name, _ in VISIT_FIELDS])
            return write_visit_rows(writer, self.records)

    def to_dict(self) -> dict[str, Any]:
        """The JSON content as plain data (NaN as None); with observed waits, their
        ``observed_waits`` block; the shared assumptions the scenario used, last, when it used
        some (``docs/output.md``)."""
        data = self.summary.json()
        if self.observed is not None:
            data = {**data, "observed_waits": self.observed.json()}
        out = clean(data)
        if self.scenario.assumptions:
            out["assumptions"] = clean(assumptions_json(self.scenario.assumptions))
        return out  # type: ignore[no-any-return]

    def to_json(self, indent: int | None = 2) -> str:
        """The public JSON contract (``docs/output.md``)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    def to_pandas(self, table: str = "summary") -> Any:
        """A pandas DataFrame (needs ``pip install 'portsim[notebook]'``): ``"summary"``
        (each metric's mean and 95 % interval), ``"rows"`` (each replication's metric rows)
        or ``"records"`` (one row per stage visit)."""
        from ..results import frames  # noqa: PLC0415 - pandas only when asked for

        if table == "rows":
            return frames.rows_frame(self.tables)
        if table == "summary":
            return frames.stats_frame(aggregate(self.tables))
        if table == "records":
            return frames.records_frame(self.records)
        raise UsageError(f"to_pandas gives {', '.join(frames.FRAMES)}, not {table!r}")

    def _repr_html_(self) -> str:
        """How Jupyter shows a result: the answer and the main tables (the report layer
        draws it, imported when a notebook asks)."""
        from ..report.notebook import result_html  # noqa: PLC0415

        return result_html(self)

    def __repr__(self) -> str:
        """Two lines: the scenario, replications and seed; the answer's headline."""
        from ..report.notebook import result_repr  # noqa: PLC0415

        return result_repr(self)

    def plot(self, name: str | None = None) -> Any:
        """The run's charts, as ``--plots`` draws them: a :class:`~portsim.report.inline.Figures`
        (a dict of matplotlib figures by file name, ``demand_throughput.png``, that a
        notebook shows one after the other), or the one chart called ``name``
        (``"demand_throughput"``). They show in Jupyter without ``%matplotlib inline``."""
        from ..report.notebook import result_plots  # noqa: PLC0415

        return result_plots(self, name)


def write_visit_rows(writer: Any, records: Iterable[Records], *first: Any) -> int:
    """Write the visit rows of ``records`` with a CSV ``writer``, each row after the cells
    ``first`` (a variant's name, say); returns the number of rows."""
    rows = 0
    for replication in records:
        table = replication.visit_table()
        columns = [[_csv_cell(v) for v in table[name].tolist()] for name, _ in VISIT_FIELDS]
        writer.writerows((*first, *row) for row in zip(*columns, strict=True))
        rows += len(columns[0])
    return rows


def _csv_cell(value: Any) -> Any:
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return value


def clean(value: Any) -> Any:
    """Plain JSON data: NaN and infinities as None."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def simulate(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    *,
    workers: int = 1,
    records: bool = True,
    map: Mapper | None = None,
    progress: Progress | None = None,
    from_state: State | str | Path | Mapping[str, Any] | None = None,
) -> SimulationResult:
    """Run ``replications`` replications of ``scenario`` (default: the scenario's own numbers)
    with ``seed`` and summarise them.

    ``from_state`` (a :class:`~portsim.scenario.state.State`, a state file's path, or its
    plain data) forecasts from a state observed at a clock time: the run starts there with
    the observed queues, services and open lanes, and counts from then on
    (``docs/forecast-from-now.md``); a state that does not fit the scenario is a
    :class:`~portsim.errors.ScenarioError` naming the state's field.

    ``records=False`` keeps no per-entity records: the engine streams counts, sums and wait
    histograms (percentiles then agree with the exact ones to the histogram's resolution, see
    :mod:`portsim.results.streaming`) and memory does not grow with the horizon. The
    replications run on ``workers`` processes, or through ``map`` (any map function: a
    cluster's, say). Replication *r* is a pure function of (scenario, seed, r), so the
    results are identical whatever runs them. ``progress`` is told ``(done, total)`` as
    each replication finishes; without one, in a Jupyter notebook a bar is drawn below the
    cell (``progress=portsim.run.unseen`` draws none). An absurd amount of work
    (:mod:`portsim.model.work`) is refused with a :class:`UsageError` before anything runs;
    ``workers`` is capped at the replications and at :data:`~.preflight.WORKERS_PER_CORE`
    per core.
    """
    if progress is None and jupyter.in_notebook():  # a bar below the cell
        from ..report.progress import progress_display  # noqa: PLC0415 - see tests/test_layers.py

        with progress_display(scenario.name, replications or scenario.replications) as bar:
            return simulate(
                scenario,
                replications,
                seed,
                workers=workers,
                records=records,
                map=map,
                progress=bar or unseen,
                from_state=from_state,
            )
    seed = scenario.seed if seed is None else seed
    if seed < 0:
        raise UsageError("the seed must be a non-negative integer")
    state = None if from_state is None else read_state(from_state)
    checked = preflight(scenario, replications, records=records, state=state)
    model, replications = checked.model, checked.work.replications
    tasks = [Task("", model, seed, r, records) for r in range(replications)]
    workers = usable_workers(workers, replications)
    if map is not None or workers == 1:
        results = run_tasks(tasks, map, progress=progress)
    else:
        with worker_pool(workers) as pool:
            results = run_tasks(tasks, completed_map(pool), progress=progress)
    return summarise(scenario, model, seed, results)


def unseen(done: int, total: int) -> None:
    """A progress that shows nothing (``progress=unseen``: no bar, even in a notebook)."""


def summarise(
    scenario: Scenario, model: Model, seed: int, results: list[TaskResult]
) -> SimulationResult:
    """Combine the replications' metric rows into a :class:`SimulationResult`."""
    tables = tuple(r.table for r in results)
    warnings = tuple(run_warnings(model))
    summary = run_summary(
        model,
        aggregate(tables),
        seed=seed,
        replications=len(tables),
        warnings=list(warnings),
        lanes_open=[r.counters.lanes_open for r in results],
        emergencies=[r.counters.emergencies for r in results],
        tables=tables,
        officers_in_use=[r.counters.officers_in_use for r in results],
        officers_on_duty=[r.counters.officers_on_duty for r in results],
    )
    return SimulationResult(
        scenario=scenario,
        model=model,
        seed=seed,
        replications=len(tables),
        warnings=warnings,
        tables=tables,
        counters=tuple(r.counters for r in results),
        records=tuple(r.records for r in results if r.records is not None),
        summary=summary,
    )
