"""Observed waits as a section of a run's own reports (``portsim run FILE --observed
waits.csv``; in Python, :func:`with_observed_waits`).

The observed waits are read and checked as ``portsim fit waits`` reads them (:mod:`.data`:
``FILE: column: problem``), and the flow and stage named as it names them (:func:`.waits.select`:
a flow, ``flow.class`` or ``flow.passengers``); both before the run
(:func:`read_observed`, :func:`check_observed`). After it, the run's waits of that flow at
that stage, replication by replication, are put beside them
(:class:`~portsim.results.observed.ObservedWaits`, numpy alone: a run never imports scipy).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from pathlib import Path
from typing import overload

import numpy as np

from ..errors import UsageError
from ..model.model import Model
from ..results.observed import ObservedWaits, observed_waits
from ..run.compare import Comparison
from ..run.simulate import SimulationResult
from .families import Floats
from .times import UNITS
from .waits import ObservedSample, Selection, read_observed, replication_waits, select

__all__ = ["Observed", "check_observed", "observed_of", "with_observed_waits"]

#: observed waits as :func:`with_observed_waits` takes them: a CSV file, a sample read from
#: one, or the waits themselves
Observed = str | Path | ObservedSample | Sequence[float] | Floats


def check_observed(sample: ObservedSample, model: Model, source: str = "") -> Selection:
    """Whose waits ``sample`` is held against in ``model``: its flow and stage, checked
    (``SOURCE: --flow: no flow named X (…)``, ``SOURCE`` the scenario file)."""
    return select(model, sample.flow, sample.stage, source)


def observed_of(
    result: SimulationResult, sample: ObservedSample, source: str = ""
) -> ObservedWaits:
    """The observed waits of ``sample`` beside ``result``'s simulated ones (run with
    records); no simulated wait of that flow at that stage is a :class:`UsageError`."""
    selection = check_observed(sample, result.model, source or result.scenario.name)
    per, unserved = replication_waits(result, selection)
    if sum(len(w) for w in per) == 0:
        raise UsageError(
            f"{source or result.scenario.name}: no simulated waits of "
            f"{selection.words or 'any visit'} after the warm-up"
        )
    return observed_waits(
        sample.waits,
        per,
        source=sample.source,
        compared=selection.words,
        flow=sample.flow or "",
        stage=sample.stage or "",
        unserved=unserved,
        since=None if result.model.initial is None else result.model.warmup,
    )


@overload
def with_observed_waits(
    result: SimulationResult,
    observed: Observed,
    *,
    column: str = ...,
    unit: str = ...,
    flow: str | None = ...,
    stage: str | None = ...,
) -> SimulationResult: ...


@overload
def with_observed_waits(
    result: Comparison,
    observed: Observed,
    *,
    column: str = ...,
    unit: str = ...,
    flow: str | None = ...,
    stage: str | None = ...,
) -> Comparison: ...


def with_observed_waits(
    result: SimulationResult | Comparison,
    observed: Observed,
    *,
    column: str = "wait_s",
    unit: str = "s",
    flow: str | None = None,
    stage: str | None = None,
) -> SimulationResult | Comparison:
    """``result`` with observed waits beside its own: its text, HTML and notebook reports
    gain an "Observed waits" section and its JSON an ``observed_waits`` block
    (``docs/fitting-data.md``); a comparison (:func:`portsim.compare`), beside each
    variant's. ``observed``: a CSV file (its ``column``, in ``unit``), an
    :class:`~.waits.ObservedSample` (:func:`~.waits.read_observed`) or the waits themselves
    (in ``unit``); ``flow`` (a flow, ``flow.class`` or ``flow.passengers``) and ``stage``
    say whose waits they are (default: every visit). The runs must have their records
    (``records=True``). For example, ``portsim.with_observed_waits(portsim.simulate(scenario),
    "waits.csv", flow="northbound", stage="immigration")``."""
    if unit not in UNITS:
        raise UsageError(f"observed waits: no unit {unit!r}: choose s or min")
    if isinstance(observed, ObservedSample):
        sample = dataclasses.replace(
            observed, flow=flow or observed.flow, stage=stage or observed.stage
        )
    elif isinstance(observed, str | Path):
        sample = read_observed(observed, column=column, unit=unit, flow=flow, stage=stage)
    else:
        sample = ObservedSample("observed", _waits(observed) * UNITS[unit], flow, stage)
    if isinstance(result, Comparison):
        results = {n: _with(r, sample) for n, r in result.results.items()}
        return dataclasses.replace(result, results=results)
    return _with(result, sample)


def _with(result: SimulationResult, sample: ObservedSample) -> SimulationResult:
    return dataclasses.replace(result, observed=observed_of(result, sample))


def _waits(observed: Sequence[float] | Floats) -> Floats:
    """Waits given as numbers: each finite, zero or more, at least one."""
    try:
        waits = np.asarray(observed, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        waits = np.array([math.nan])
    if len(waits) == 0 or not np.all(np.isfinite(waits)) or np.any(waits < 0):
        raise UsageError("observed waits: each must be a number of seconds, zero or more")
    return waits
