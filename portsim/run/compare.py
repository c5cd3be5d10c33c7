"""Paired comparison of scenario variants with common random numbers.

Every variant runs with the same seed and replication indices, so a random source that the
variants share (same role, flow, stage and lane group names) gives each of them the same
numbers. The difference of a metric between a variant and the first one is taken
replication by replication and summarised with its Student-t 95 % interval: much narrower
than the difference of two independent runs when the variants share most of their
randomness.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import jupyter
from ..errors import UsageError
from ..model.model import Model
from ..model.routes import Alight, Board, Visit
from ..results.catalog import CATALOG, JUDGED_ON, SERVED, Metric, metric
from ..results.records import VISIT_FIELDS
from ..results.scopes import Scope
from ..results.statistics import paired
from ..results.summary import Summary
from ..scenario.spec import Scenario
from ..scenario.state import State, read_state
from .simulate import SimulationResult, clean, simulate, unseen, write_visit_rows
from .tasks import Progress

__all__ = [
    "Comparison",
    "compare",
    "judge_metric",
    "judged_on",
    "paired_differences",
    "routes_differ",
]


@dataclass(frozen=True, slots=True, eq=False)
class Comparison:
    """The runs of several variants and their paired differences from the first."""

    variants: tuple[str, ...]
    replications: int
    seed: int
    results: dict[str, SimulationResult] = field(repr=False)
    #: ``"<variant> - <first>"`` → the paired differences, a summary without the run's facts
    differences: dict[str, Summary] = field(repr=False)
    #: what the comparison is judged on, most important first (:func:`judged_on`)
    judged_on: tuple[Metric, ...] = JUDGED_ON["lanes"]

    @property
    def routes_differ(self) -> bool:
        """Whether the variants' routes differ (stops, their order, walks and rides, the
        clearance mode), so that a stop's cost is more than its queue."""
        return routes_differ([r.model for r in self.results.values()])

    @property
    def stops(self) -> dict[str, float]:
        """Each variant's stages visited per traveller served (:func:`stops_per_traveller`)."""
        return {name: stops_per_traveller(result) for name, result in self.results.items()}

    def to_dict(self) -> dict[str, Any]:
        out = {
            "variants": list(self.variants),
            "replications": self.replications,
            "seed": self.seed,
            "results": {name: r.to_dict() for name, r in self.results.items()},
            "differences": {name: d.json() for name, d in self.differences.items()},
        }
        return clean(out)  # type: ignore[no-any-return]

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    def to_pandas(self, table: str = "summary") -> Any:
        """A pandas DataFrame with a ``variant`` column: ``"summary"``, ``"rows"`` or
        ``"records"`` as for a run, or ``"differences"`` (each variant minus the first,
        paired by replication, with the 95 % interval)."""
        from ..results import frames  # noqa: PLC0415 - pandas only when asked for

        pd = frames.pandas_module()
        if table == "differences":
            base = self.variants[0]
            parts = [
                frames.stats_frame(
                    paired(self.results[base].tables, self.results[n].tables), variant=n
                )
                for n in self.variants[1:]
            ]
        else:
            parts = [self.results[n].to_pandas(table) for n in self.variants]
            for name, part in zip(self.variants, parts, strict=True):
                part.insert(0, "variant", name)
        return pd.concat(parts, ignore_index=True)

    def _repr_html_(self) -> str:
        """How Jupyter shows a comparison: the winner and the tables side by side."""
        from ..report.notebook import comparison_html  # noqa: PLC0415

        return comparison_html(self)

    def __repr__(self) -> str:
        """Two lines: the variants, replications and seed; the answer's headline."""
        from ..report.notebook import comparison_repr  # noqa: PLC0415

        return comparison_repr(self)

    def plot(self, name: str | None = None) -> Any:
        """The comparison's charts (waits side by side, the paired differences, the
        pledges): a :class:`~portsim.report.inline.Figures` that a notebook shows, or the one
        called ``name`` (``"compare_waits"``). Each variant's own charts:
        ``comparison.results[name].plot()``."""
        from ..report.notebook import comparison_plots  # noqa: PLC0415

        return comparison_plots(self, name)

    def write_records_csv(self, path: str | Path) -> int:
        """Every variant's records in one CSV file: a ``variant`` column, then the columns
        of :data:`~portsim.results.records.VISIT_FIELDS`; returns the number of rows."""
        if any(not result.records for result in self.results.values()):
            raise UsageError("this comparison has no records: run it with records=True")
        with Path(path).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["variant", *(name for name, _ in VISIT_FIELDS)])
            return sum(
                write_visit_rows(writer, result.records, name)
                for name, result in self.results.items()
            )


#: a comparison compares at least this many variants
MIN_VARIANTS = 2


def paired_differences(base: SimulationResult, other: SimulationResult) -> Summary:
    """``other − base`` for each metric both report (the overall, shared stages and groups,
    shared flows, directions and pledges), per replication, with the 95 % interval of the
    mean difference."""
    if base.replications != other.replications or base.seed != other.seed:
        raise UsageError("paired differences need the same seed and replications")
    return Summary(paired(base.tables, other.tables), days=base.model.days)


def stops_per_traveller(result: SimulationResult) -> float:
    """The stages a traveller served visits on the way through, on average: each flow's
    expected visits (a stage with ``p`` counts ``p``; classes by their share), weighted by
    the travellers each flow served (NaN when nobody was served)."""
    model, summary = result.model, result.summary
    total = weight = 0.0
    for flow in model.flows:
        served = summary.mean(Scope.flow(flow.name), SERVED)
        if not served > 0:
            continue
        subflows = [model.subflows[s] for s in flow.subflows]
        total += served * math.fsum(sub.share * math.fsum(sub.visits) for sub in subflows)
        weight += served
    return total / weight if weight else math.nan


def _step_key(model: Model, step: object) -> str:
    """A route step as it reads whatever the model's indices: stages, sub-routes and
    shuttles by name."""
    if isinstance(step, Visit):
        return f"visit {model.stages[step.stage].name}"
    if isinstance(step, Alight):
        return f"alight to {model.subflows[step.subflow].name}"
    if isinstance(step, Board):
        return f"board at {model.stages[model.shuttles[step.shuttle].stage].name}"
    return repr(step)


def _route_key(model: Model) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each sub-flow's route program, its steps named (not indexed)."""
    return tuple(
        (sub.name, tuple(_step_key(model, step) for step in sub.program)) for sub in model.subflows
    )


def routes_differ(models: Sequence[Model]) -> bool:
    """Whether some variant's routes differ from the first's (:attr:`Comparison.routes_differ`)."""
    first = _route_key(models[0])
    return any(_route_key(m) != first for m in models[1:])


def judged_on(models: Sequence[Model], judge: Metric | str | None = None) -> tuple[Metric, ...]:
    """What a comparison of ``models`` is judged on, most important first: ``judge`` first
    when given, then the catalog's order for the comparison's kind
    (:data:`~portsim.results.catalog.JUDGED_ON`): the time in port when the routes differ
    or a bus on demand leaves a stage (the wait for it is in the time in port, in no queue
    wait), else the waits."""
    buses = any(s.on_demand for m in models for s in m.shuttles)
    order = JUDGED_ON["routes" if buses or routes_differ(models) else "lanes"]
    if judge is None:
        return order
    first = judge_metric(judge)
    return (first, *(m for m in order if m != first))


def judge_metric(judge: Metric | str) -> Metric:
    """The metric a comparison is judged on: one of all travellers, with a better side."""
    try:
        found = metric(judge)
    except KeyError:
        found = None
    if found is None or not found.exists("overall") or not found.better:
        usable = [m.name for m in CATALOG.values() if m.exists("overall") and m.better]
        raise UsageError(
            f"--judge {getattr(judge, 'name', judge)}: a comparison is judged on a metric of "
            f"all travellers where lower or higher is better ({', '.join(usable)})"
        )
    return found


def compare(
    variants: Mapping[str, Scenario] | Sequence[tuple[str, Scenario]],
    replications: int | None = None,
    seed: int | None = None,
    *,
    workers: int = 1,
    records: bool = True,
    progress: Progress | None = None,
    judge: Metric | str | None = None,
    from_state: State | str | Path | Mapping[str, Any] | None = None,
) -> Comparison:
    """Run every variant with the same seed and replications (the first variant's, unless
    given) and difference each from the first, pairing replications. ``records=False``
    keeps no per-entity records (:func:`~.simulate.simulate`); ``progress`` is told
    ``(done, total)`` over every variant's replications as each finishes (without one, in a
    Jupyter notebook, a bar below the cell). ``judge`` (a
    metric of all travellers, or its name: ``WAIT_P95``, wait_p95_s) is what the answer
    leads with; by default the time in port when the variants' routes differ, the mean wait
    otherwise. ``from_state`` starts every variant from the same observed state
    (:func:`~.simulate.simulate`), so that they share their random numbers from then on."""
    if progress is None and jupyter.in_notebook():  # one bar below the cell, every variant's
        from ..report.progress import progress_display  # noqa: PLC0415 - see tests/test_layers.py

        with progress_display("compare", 1) as bar:
            return compare(
                variants,
                replications,
                seed,
                workers=workers,
                records=records,
                progress=bar or unseen,
                judge=judge,
                from_state=from_state,
            )
    items = list(variants.items()) if isinstance(variants, Mapping) else list(variants)
    if judge is not None:  # a metric that cannot judge is said before anything runs
        judge_metric(judge)
    if len(items) < MIN_VARIANTS:
        raise UsageError("a comparison needs at least two variants")
    names = [name for name, _ in items]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise UsageError(f"two variants are called {name!r}: give them different names")
    state = None if from_state is None else read_state(from_state)
    first = items[0][1]
    replications = first.replications if replications is None else replications
    seed = first.seed if seed is None else seed
    results: dict[str, SimulationResult] = {}
    for index, (name, s) in enumerate(items):
        told = None
        if progress is not None:
            told = _offset(progress, index * replications, len(items) * replications)
        results[name] = simulate(
            s,
            replications=replications,
            seed=seed,
            workers=workers,
            records=records,
            progress=told,
            from_state=state,
        )
    base = results[names[0]]
    differences = {
        f"{name} - {names[0]}": paired_differences(base, results[name]) for name in names[1:]
    }
    order = judged_on([r.model for r in results.values()], judge)
    return Comparison(tuple(names), replications, seed, results, differences, order)


def _offset(progress: Progress, before: int, total: int) -> Progress:
    """``progress`` told of one variant's replications as part of all of them."""
    return lambda done, _: progress(before + done, total)
