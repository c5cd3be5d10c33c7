"""Observed waits held against a run's (``portsim fit waits``): a validation on what was not
fitted.

The simulated waits are the queue waits (service start − queue join) of every visit of the
chosen flow (all flows by default) to the chosen stage (all stages by default), over every
replication, after the warm-up; a visit whose service had not started by the horizon is left
out (and counted). A flow is named as the scenario names who is served: ``passengers`` (with
its classes, if it has any, together), ``passengers.assisted`` (one class), ``cars`` (the
vehicles only, never the people who get out of them) or ``cars.passengers`` (those people);
what was compared is said in words (:attr:`WaitsComparison.compared`). The names are checked
against the scenario before it runs.

The two distributions are put side by side: their 50th, 90th and 95th percentiles (numpy's
linear interpolation, as the run's own), the Kolmogorov–Smirnov distance (the largest gap
between the two ECDFs, 0 to 1) and the Wasserstein distance (the area between them: how far,
in seconds, the observed waits would have to move on average to become the simulated ones),
both computed with numpy (:mod:`portsim.results.observed`), so that a run holding its waits
against observed ones (``portsim run --observed``) never imports scipy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import UsageError
from ..model.compile import compile_scenario
from ..model.model import Model
from ..results.observed import ks_distance, wasserstein_distance
from ..run.simulate import SimulationResult, simulate
from ..scenario.spec import Scenario
from .data import DataError, read_table
from .families import Floats
from .times import MIN_POINTS, UNITS

__all__ = [
    "QUANTILES",
    "ObservedSample",
    "Selection",
    "WaitsComparison",
    "compare_waits",
    "read_observed",
    "replication_waits",
    "select",
    "simulated_waits",
    "validate_waits_file",
]

#: the percentiles put side by side
QUANTILES = (50, 90, 95)


@dataclass(frozen=True, slots=True)
class WaitsComparison:
    """Observed and simulated waits (seconds, in order) and the distances between them."""

    source: str
    observed: Floats = field(repr=False)
    simulated: Floats = field(repr=False)
    ks: float
    wasserstein: float
    #: what was simulated: the flow and stage (empty: all) and the visits left unserved
    flow: str = ""
    stage: str = ""
    unserved: int = 0
    #: who was compared, in words (empty: every visit)
    compared: str = ""

    def quantiles(self) -> dict[int, tuple[float, float]]:
        """Each percentile of :data:`QUANTILES`: (observed, simulated), in seconds."""
        observed = np.percentile(self.observed, QUANTILES)
        simulated = np.percentile(self.simulated, QUANTILES)
        return {q: (float(o), float(s)) for q, o, s in zip(QUANTILES, observed, simulated,
                                                           strict=True)}  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        """The comparison as plain data (seconds)."""
        return {
            "source": self.source,
            "flow": self.flow or None,
            "stage": self.stage or None,
            "compared": self.compared or "every visit",
            "observed": {"n": len(self.observed), "mean_s": float(np.mean(self.observed))},
            "simulated": {
                "n": len(self.simulated),
                "mean_s": float(np.mean(self.simulated)),
                "unserved": self.unserved,
            },
            "quantiles_s": {
                f"p{q}": {"observed": o, "simulated": s} for q, (o, s) in self.quantiles().items()
            },
            "ks": self.ks,
            "wasserstein_s": self.wasserstein,
        }


def compare_waits(
    observed: Floats | list[float],
    simulated: Floats | list[float],
    *,
    source: str = "observed",
    flow: str = "",
    stage: str = "",
    unserved: int = 0,
    compared: str = "",
) -> WaitsComparison:
    """The two samples of waits (seconds) side by side, with their KS and Wasserstein
    distances."""
    ours = np.sort(np.asarray(observed, dtype=np.float64))
    theirs = np.sort(np.asarray(simulated, dtype=np.float64))
    if len(ours) == 0 or len(theirs) == 0:
        raise UsageError(f"{source}: no {'observed' if len(ours) == 0 else 'simulated'} waits")
    ks = ks_distance(ours, theirs)
    distance = wasserstein_distance(ours, theirs)
    return WaitsComparison(source, ours, theirs, ks, distance, flow, stage, unserved, compared)


@dataclass(frozen=True, slots=True)
class Selection:
    """Whose waits are compared: the subflows (by index; None: all), the stage (by index;
    None: all) and the words that say so."""

    subflows: frozenset[int] | None
    stage: int | None
    words: str


def select(model: Model, flow: str | None, stage: str | None, source: str = "") -> Selection:
    """The :class:`Selection` of ``flow`` (a flow, ``flow.class`` or ``flow.passengers``)
    at ``stage`` in ``model``; a name it does not have is a :class:`DataError`,
    ``SOURCE: --flow: no flow named X (…)``."""
    subflows, who = None, ""
    if flow is not None:
        subflows, who = _flow(model, flow, source)
    index = None
    if stage is not None:
        names = [s.name for s in model.stages]
        if stage not in names:
            raise DataError(source or "scenario", "--stage", f"no stage named {stage!r} (its "
                            f"stages: {', '.join(names)})")  # fmt: skip
        index = names.index(stage)
    where = f"at {stage}" if stage is not None else ""
    return Selection(subflows, index, " ".join(part for part in (who, where) if part))


def _flow(model: Model, flow: str, source: str) -> tuple[frozenset[int], str]:
    for compiled in model.flows:
        if compiled.name != flow:
            continue
        own = [s for s in model.subflows if s.flow == compiled.index
               and s.index != compiled.passengers]  # fmt: skip
        classes = [s.cls for s in own if s.cls]
        words = flow
        if classes:
            words += f" (its classes {', '.join(classes)} together)"
        if compiled.passengers is not None:
            words += f" (the {compiled.kind}s only; those who get out: {flow}.passengers)"
        return frozenset(s.index for s in own), words
    for subflow in model.subflows:
        if subflow.name == flow:
            return frozenset({subflow.index}), flow
    known = ", ".join(s.name for s in model.subflows)
    raise DataError(source or "scenario", "--flow", f"no flow named {flow!r} (its flows and "
                    f"classes: {known})")  # fmt: skip


def simulated_waits(
    result: SimulationResult, flow: str | None = None, stage: str | None = None
) -> tuple[Floats, int]:
    """The queue waits of ``result``'s visits (of ``flow`` to ``stage``; None: all) after the
    warm-up, and how many such visits had not started service by the horizon."""
    return _waits(result, select(result.model, flow, stage, result.scenario.name))


def _waits(result: SimulationResult, selection: Selection) -> tuple[Floats, int]:
    per, unserved = replication_waits(result, selection)
    return np.concatenate(per), unserved


def replication_waits(
    result: SimulationResult, selection: Selection
) -> tuple[tuple[Floats, ...], int]:
    """Each replication's queue waits of the visits ``selection`` names, after the warm-up
    (of a forecast from a state: from the state's time, the run's own warm-up), and how many
    such visits (in all) had not started service by the horizon."""
    if not result.records:
        raise UsageError("the run kept no records: run it with records=True")
    waits, unserved = [], 0
    for records in result.records:
        keep = records.visit_join >= result.model.warmup
        if selection.subflows is not None:
            subflows = records.entity_subflow[records.visit_entity]
            keep &= np.isin(subflows, np.fromiter(selection.subflows, dtype=subflows.dtype))
        if selection.stage is not None:
            keep &= records.visit_stage == selection.stage
        wait = records.visit_wait[keep]
        unserved += int(np.isnan(wait).sum())
        waits.append(wait[~np.isnan(wait)])
    return tuple(waits), unserved


@dataclass(frozen=True, slots=True)
class ObservedSample:
    """Observed waits (seconds), where they come from (``FILE: column``), and whose they are:
    the flow and stage of the scenario (None: every flow, every stage)."""

    source: str
    waits: Floats = field(repr=False)
    flow: str | None = None
    stage: str | None = None


def read_observed(
    path: str | Path,
    *,
    column: str = "wait_s",
    unit: str = "s",
    flow: str | None = None,
    stage: str | None = None,
) -> ObservedSample:
    """The observed waits in ``column`` of the CSV file at ``path`` (in ``unit``: ``s`` or
    ``min``), each a number zero or more, at least :data:`~.times.MIN_POINTS` of them; a
    problem is a :class:`~.data.DataError`, ``FILE: column: problem``."""
    if unit not in UNITS:
        raise DataError(str(path), column, f"no unit {unit!r}: choose s or min")
    table = read_table(path, [column])
    waits = table.numbers(column) * UNITS[unit]
    if len(waits) < MIN_POINTS:
        raise table.error(column, f"{len(waits)} waits: at least {MIN_POINTS} are needed")
    return ObservedSample(f"{path}: {column}", waits, flow, stage)


def validate_waits_file(
    path: str | Path,
    scenario: Scenario,
    *,
    column: str = "wait_s",
    unit: str = "s",
    flow: str | None = None,
    stage: str | None = None,
    replications: int | None = None,
    seed: int | None = None,
    scenario_file: str | Path | None = None,
) -> WaitsComparison:
    """Run ``scenario`` (read from ``scenario_file``, which names it in a problem) and
    compare its waits with the observed ones in ``column`` of the CSV file at ``path`` (in
    ``unit``: ``s`` or ``min``). The flow and stage are checked before the run."""
    observed = read_observed(path, column=column, unit=unit).waits
    source = str(scenario_file) if scenario_file is not None else scenario.name
    selection = select(compile_scenario(scenario), flow, stage, source)
    result = simulate(scenario, replications, seed, records=True)
    simulated, unserved = _waits(result, selection)
    if len(simulated) == 0:
        raise UsageError(f"{source}: no simulated waits of {selection.words or 'any visit'} "
                         "after the warm-up")  # fmt: skip
    return compare_waits(observed, simulated, source=f"{path}: {column}", flow=flow or "",
                         stage=stage or "", unserved=unserved,
                         compared=selection.words)  # fmt: skip
