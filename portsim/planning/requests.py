"""The Python face of ``portsim sweep``, ``plan`` and ``capacity``.

Each function takes the base scenario, what to vary, and where to run; each keeps every
finished replication in a results store (``store``: a path for an SQLite file, or None to
keep them in memory) and, with ``resume=True``, computes only what the store lacks. Every
request is recorded in the store with its definition, so ``portsim report`` can show it
again (:func:`~portsim.planning.replay.replay`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import UsageError
from ..model.days import compile_days
from ..scenario.load import dump_scenario
from ..scenario.spec import Scenario
from .capacity import (
    DEFAULT_FACTORS,
    CapacityResult,
    check_scale,
    parse_factors,
    search_capacity,
)
from .cluster import DASK_TIMEOUT
from .conditions import Condition, parse_conditions, with_pledges
from .confirm import Judge
from .demand import capacity_demand
from .officers import named_shifts, pool_hours
from .plan import PlanResult, point_of, scenario_costs, search_cheapest
from .runner import BatchProgress, Runner
from .setup import Setup, drawn_in_a_notebook
from .staffing import StaffingResult, group_path, search_staffing
from .store import ResultStore
from .sweep import SweepResult, run_sweep
from .vary import (
    Level,
    Parameter,
    check_assignments,
    parameter,
    parse_vary,
    variants_parameter,
)

#: what a planning request answers with
PlanningResult = SweepResult | PlanResult | CapacityResult | StaffingResult

__all__ = [
    "DEFAULT_MAX_REPLICATIONS",
    "PlanningResult",
    "Setup",
    "capacity",
    "parameters_of",
    "plan",
    "sweep",
    "sweep_result",
]

#: the most replications a candidate gets while its interval straddles a condition's bound
DEFAULT_MAX_REPLICATIONS = 40

Vary = Mapping[str, Any] | Sequence[Parameter | str]


def parameters_of(
    vary: Vary, variants: Mapping[str, Mapping[str, Any]] | None = None
) -> list[Parameter]:
    """Parameters from ``{path: values}`` (a list, or a text such as ``"8:20:2"``), from
    parameters or ``PATH=VALUES`` texts, plus ``variants`` (label → {path: value}) as one
    parameter called ``variant``."""
    out: list[Parameter] = []
    if isinstance(vary, Mapping):
        for path, values in vary.items():
            out.append(
                parse_vary(f"{path}={values}")
                if isinstance(values, str)
                else parameter(path, values)
            )
    else:
        out += [parse_vary(v) if isinstance(v, str) else v for v in vary]
    if variants:
        levels = [Level(label, None, tuple(sets.items())) for label, sets in variants.items()]
        out.append(variants_parameter(levels))
    return out


def _definition(parameters: Sequence[Parameter], **fields: Any) -> dict[str, Any]:
    return {
        "parameters": [
            {
                "name": p.name,
                "levels": [
                    [lv.label, lv.value, [list(a) for a in lv.assignments]] for lv in p.levels
                ],
            }
            for p in parameters
        ],
        **fields,
    }


def sweep_result(
    scenario: Scenario,
    parameters: Sequence[Parameter],
    *,
    replications: int | None = None,
    setup: Setup = Setup(),
    compute: bool = True,
    targets: str | Sequence[str] = (),
) -> SweepResult:
    """Run (or read from the store) every configuration of the grid. ``targets``: the
    conditions (whole-run, in the grammar of :mod:`portsim.planning.conditions`; default: the
    scenario's pledges) the plots and the HTML report judge the configurations by; a
    ``share_within`` condition adds its share to the table."""
    replications = scenario.replications if replications is None else replications
    parameters = named_shifts(scenario, parameters)
    check_assignments(dump_scenario(scenario), parameters)
    texts = _texts(targets)
    parsed = parse_conditions(texts, scenario) if texts else []
    hourly = [t.text for t in parsed if t.hourly]
    if hourly:
        raise UsageError(f"target {hourly[0]!r}: a sweep's table is of whole runs: no 'each hour'")
    definition = _definition(parameters, replications=replications)
    if texts:
        definition["targets"] = texts
    with setup.runner(with_pledges(scenario, parsed), compute=compute) as runner:
        runner.store.save_request("sweep", runner.scenario, definition | {"seed": runner.seed})
        return run_sweep(runner, parameters, replications, parsed)


@drawn_in_a_notebook
def sweep(
    scenario: Scenario,
    vary: Vary = (),
    *,
    variants: Mapping[str, Mapping[str, Any]] | None = None,
    replications: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    dask: Any = None,
    store: ResultStore | str | None = None,
    resume: bool = False,
    dask_timeout: float = DASK_TIMEOUT,
    progress: BatchProgress | None = None,
    targets: str | Sequence[str] = (),
) -> SweepResult:
    """Every configuration of a grid with common random numbers, as a
    :class:`~portsim.planning.sweep.SweepResult`: one row per configuration with the varied
    values, every whole-run metric and its 95 % interval, and the pledges' verdicts. In a
    notebook it shows the smallest configuration meeting every target and a compact table;
    ``to_pandas()`` gives a tidy long table (one row per configuration and metric, labelled),
    ``to_frame()`` the wide one (a column per metric path), ``to_columns()`` plain columns,
    ``plot()`` its charts. ``vary`` maps a field's path to its values
    (``{"stages.hall.lanes.egates.count": "8:20:2"}`` or a list); ``variants`` names sets
    of assignments. Runs on ``workers`` processes (default: all cores) or a Dask cluster
    (``dask``: an address or a client; the request stops when it has had no worker for
    ``dask_timeout`` seconds). ``progress`` is told of each batch's replications as they
    finish (:func:`~portsim.report.progress.planning_display` draws it; without one, in a
    Jupyter notebook, a bar is drawn below the cell). ``targets``:
    whole-run conditions to judge the configurations by, as ``plan`` takes them
    (``"overall.wait_p95<=15min"`` or a list; default: the scenario's pledges)."""
    setup = Setup(seed, store, resume, workers, dask, progress, dask_timeout)
    return sweep_result(
        scenario,
        parameters_of(vary, variants),
        replications=replications,
        setup=setup,
        targets=targets,
    )


def _judge(
    runner: Runner,
    conditions: Sequence[Condition],
    replications: int,
    max_replications: int | None,
    confidence: float,
) -> Judge:
    cap = (
        max(replications, DEFAULT_MAX_REPLICATIONS)
        if max_replications is None
        else max_replications
    )
    if cap < replications:
        raise UsageError(f"max_replications ({cap}) is below replications ({replications})")
    return Judge(
        runner,
        conditions,
        replications=replications,
        max_replications=cap,
        confidence=confidence,
        warmup=runner.base_scenario().warmup,
    )


def _texts(given: str | Sequence[str]) -> list[str]:
    """The conditions' texts given as ``targets=``: one text or several."""
    return [given] if isinstance(given, str) else list(given)


@drawn_in_a_notebook
def plan(
    scenario: Scenario,
    vary: Vary,
    targets: str | Sequence[str],
    *,
    variants: Mapping[str, Mapping[str, Any]] | None = None,
    cost: str | Mapping[str, float] | None = None,
    per_hour: bool = False,
    replications: int | None = None,
    max_replications: int | None = None,
    confidence: float = 0.95,
    exhaustive: bool = False,
    seed: int | None = None,
    workers: int | None = None,
    dask: Any = None,
    store: ResultStore | str | None = None,
    resume: bool = False,
    dask_timeout: float = DASK_TIMEOUT,
    setup: Setup | None = None,
    compute: bool = True,
    progress: BatchProgress | None = None,
) -> PlanResult | StaffingResult:
    """The cheapest configuration of the grid that meets every condition, found by a monotone
    search with each candidate confirmed statistically (:mod:`portsim.planning.plan`), with its
    evidence and the runs it took. ``targets``: the conditions, texts in the grammar of
    :mod:`portsim.planning.conditions`; ``cost`` prices each parameter (default: 1 a lane).
    ``exhaustive=True`` judges every configuration instead (the reference answer). Runs
    on ``workers`` processes (default: all cores) or a Dask cluster (``dask``), keeping
    every replication in ``store`` (``resume``: use what it holds), with ``progress`` told of
    each batch, as :func:`sweep`.

    With ``per_hour`` (one varied lane group count, hourly conditions), the fewest lanes in each
    hour of the day, as a schedule, against the best fixed count
    (:mod:`portsim.planning.staffing`)."""
    setup = setup or Setup(seed, store, resume, workers, dask, progress, dask_timeout)
    parameters = named_shifts(scenario, parameters_of(vary, variants))
    check_assignments(dump_scenario(scenario), parameters)
    texts = _texts(targets)
    replications = scenario.replications if replications is None else replications
    parsed = parse_conditions(texts, scenario, hourly=per_hour)
    costs = scenario_costs(cost, parameters, scenario)
    if per_hour and len(parameters) != 1:
        raise UsageError("--per-hour: vary exactly one lane group's count")
    if per_hour:
        group_path(parameters[0])
    definition = _definition(
        parameters,
        targets=texts,
        cost=dict(cost) if isinstance(cost, Mapping) else cost,
        per_hour=per_hour,
        replications=replications,
        max_replications=max_replications,
        confidence=confidence,
        exhaustive=exhaustive,
    )
    with setup.runner(with_pledges(scenario, parsed), compute=compute) as runner:
        runner.store.save_request("plan", runner.scenario, definition | {"seed": runner.seed})
        judge = _judge(runner, parsed, replications, max_replications, confidence)
        chosen, price, cheaper = search_cheapest(parameters, judge, costs, exhaustive=exhaustive)
        if per_hour:
            return _staffing(runner, parameters[0], parsed, judge, chosen)
        judged = tuple(judge.verdicts[k] for k in judge.order)
        return PlanResult(
            tuple(parameters),
            chosen,
            price,
            tuple(cheaper),
            judged,
            runner.simulated,
            runner.reused,
            math.prod(len(p.levels) for p in parameters),
            replications,
            judge.max_replications,
            "exhaustive" if exhaustive else "search",
            tuple(costs.of(parameters, point_of(parameters, e.configuration)) for e in judged),
            runner.seed,
            compile_days(runner.base_scenario()),
            pool_hours(runner, chosen),
        )


def _staffing(
    runner: Runner,
    parameter: Parameter,
    conditions: Sequence[Condition],
    judge: Judge,
    fixed: Any,
) -> StaffingResult:
    labels = [lv.label for lv in parameter.levels]
    level = labels.index(fixed.configuration.values[0][1]) if fixed is not None else None
    counts, evidence, judgements = search_staffing(
        runner,
        parameter,
        conditions,
        replications=judge.replications,
        max_replications=judge.max_replications,
        confidence=judge.confidence,
        fixed=fixed,
        fixed_level=level,
    )
    return StaffingResult(
        group_path(parameter),
        counts,
        int(parameter.levels[level].value or 0) if level is not None else None,
        evidence,
        fixed,
        runner.simulated,
        runner.reused,
        judgements + len(judge.order),
        runner.seed,
        compile_days(runner.base_scenario()),
        pool_hours(runner, evidence),
    )


@drawn_in_a_notebook
def capacity(
    scenario: Scenario,
    scale: str | Sequence[str],
    targets: str | Sequence[str],
    *,
    factors: str | Sequence[float] = DEFAULT_FACTORS,
    replications: int | None = None,
    max_replications: int | None = None,
    confidence: float = 0.95,
    exhaustive: bool = False,
    seed: int | None = None,
    workers: int | None = None,
    dask: Any = None,
    store: ResultStore | str | None = None,
    resume: bool = False,
    dask_timeout: float = DASK_TIMEOUT,
    setup: Setup | None = None,
    compute: bool = True,
    progress: BatchProgress | None = None,
) -> CapacityResult:
    """The largest factor on demand (the fields ``scale`` names, all multiplied by it) that
    still meets every condition, by bisection over ``factors`` with each factor confirmed
    statistically (:mod:`portsim.planning.capacity`); the other options as :func:`plan`."""
    setup = setup or Setup(seed, store, resume, workers, dask, progress, dask_timeout)
    paths = _texts(scale)
    if not paths:
        raise UsageError(
            "capacity: name a demand to scale, e.g. flows.visitors.arrivals.daily_total"
        )
    check_scale(dump_scenario(scenario), paths)
    grid = parse_factors(factors)
    texts = _texts(targets)
    replications = scenario.replications if replications is None else replications
    parsed = parse_conditions(texts, scenario)
    definition = {
        "scale": paths,
        "factors": list(grid),
        "targets": texts,
        "replications": replications,
        "max_replications": max_replications,
        "confidence": confidence,
        "exhaustive": exhaustive,
    }
    with setup.runner(with_pledges(scenario, parsed), compute=compute) as runner:
        runner.store.save_request("capacity", runner.scenario, definition | {"seed": runner.seed})
        judge = _judge(runner, parsed, replications, max_replications, confidence)
        found, shown = search_capacity(runner.base, paths, grid, judge, exhaustive=exhaustive)
        chosen = shown[0] if found is not None else None
        next_up = shown[-1] if shown and (found is None or found + 1 < len(grid)) else None
        judged = tuple(judge.verdicts[k] for k in judge.order)
        labels = [f"{f:g}" for f in grid]
        base_demand, demand = capacity_demand(
            runner.base_scenario(),
            {
                grid[labels.index(dict(e.configuration.values)["scale"])]: runner.scenario_of(
                    e.configuration
                )
                for e in judged
            },
            paths,
        )
        return CapacityResult(
            tuple(paths),
            grid,
            grid[found] if found is not None else None,
            dict(chosen.configuration.assignments) if chosen else {},
            chosen,
            next_up,
            judged,
            runner.simulated,
            runner.reused,
            replications,
            judge.max_replications,
            "exhaustive" if exhaustive else "search",
            runner.seed,
            compile_days(runner.base_scenario()),
            demand,
            base_demand,
        )
