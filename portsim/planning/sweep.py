"""Sweeps: every configuration of a grid, run with the same seed and replications (common
random numbers), as one table with a row per configuration.

The columns: the varied parameters (their labels), ``replications``, then every whole-run
metric of the run JSON by its path (``overall.wait_p95_s``, ``flows.visitors.served``,
``stages.exit.groups.egates.utilization``, ``targets.NAME.share``), each followed by its
95 % interval (``….ci_low``, ``….ci_high``), then each pledge's verdict
(``targets.NAME.verdict``: pass, fail or inconclusive). Every row has the same columns
(metrics a configuration lacks are NaN). :func:`portsim.sweep` returns this table as a
pandas DataFrame when pandas is installed, else as plain columns.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..model.overload import overload_warnings
from ..results.catalog import SHARE, row_metric
from ..results.pledges import verdict
from ..results.rows import ALL_HOURS, MetricKey, MetricTable
from ..results.scopes import Scope
from ..results.statistics import Stat, estimate
from .conditions import Condition, pledge_condition
from .runner import Runner
from .shown import Shown
from .vary import Configuration, Parameter, grid

__all__ = ["SweepResult", "column_of", "run_sweep", "sweep_table"]


def column_of(key: MetricKey) -> str:
    """The run JSON path of a whole-run metric row."""
    level, name, group, _, metric = key
    return ".".join((*Scope(level, name, group).path, metric))


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class SweepResult(Shown):
    """A sweep's table (``columns`` and one row per configuration) and how it was run."""

    parameters: tuple[Parameter, ...]
    configurations: tuple[Configuration, ...]
    replications: int
    seed: int
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...] = field(repr=False)
    warnings: dict[str, tuple[str, ...]] = field(repr=False)
    simulated: int = 0
    reused: int = 0
    #: what the plots and the HTML report judge the configurations by: whole-run conditions
    #: (default: the scenario's pledges); named as the ``targets=`` it was given
    targets: tuple[Condition, ...] = ()

    def stat(self, row: Sequence[Any], column: str) -> Stat | None:
        """The statistic of a metric ``column`` (a path of the run JSON) in one of
        :attr:`rows`: its mean and 95 % interval (None: no such column)."""
        if column not in self.columns:
            return None
        at = self.columns.index(column)
        mean, low, high = (float(v) for v in row[at : at + 3])
        return Stat(mean, low, high, self.replications)

    def to_columns(self) -> dict[str, list[Any]]:
        """Plain columns: name → one value per configuration."""
        return {name: [row[i] for row in self.rows] for i, name in enumerate(self.columns)}

    def to_frame(self) -> Any:
        """A pandas DataFrame (pandas must be installed)."""
        try:
            import pandas as pd  # type: ignore[import-untyped, unused-ignore]  # noqa: PLC0415
        except ImportError:
            raise UsageError("a DataFrame needs pandas: pip install 'portsim[pandas]'") from None
        return pd.DataFrame(self.to_columns(), columns=list(self.columns))

    def to_records(self) -> list[dict[str, Any]]:
        """One mapping per configuration (NaN as None), as ``--json`` writes them."""
        return [{c: _plain(v) for c, v in zip(self.columns, row, strict=True)} for row in self.rows]

    def to_json(self, indent: int | None = 2) -> str:
        out = {
            "parameters": [p.name for p in self.parameters],
            "replications": self.replications,
            "seed": self.seed,
            "rows": self.to_records(),
        }
        return json.dumps(out, indent=indent, ensure_ascii=False, allow_nan=False)

    def write_csv(self, path: str | Path) -> None:
        """The table as CSV, one row per configuration (empty cells for NaN)."""
        with Path(path).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(self.columns)
            writer.writerows(
                [["" if v is None else v for v in map(_plain, row)] for row in self.rows]
            )


def _plain(value: Any) -> Any:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def sweep_table(
    parameters: Sequence[Parameter],
    configurations: Sequence[Configuration],
    tables: Sequence[Sequence[MetricTable]],
    pledges: Sequence[tuple[str, float]],
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """The columns and rows of a sweep from each configuration's replications;
    ``pledges`` are the scenario's (name, pledged share)."""
    keys = list(dict.fromkeys(k for reps in tables for t in reps for k in t if k[3] == ALL_HOURS))
    columns = [p.name for p in parameters] + ["replications"]
    for key in keys:
        name = column_of(key)
        columns += [name, f"{name}.ci_low", f"{name}.ci_high"]
    columns += [f"targets.{name}.verdict" for name, _ in pledges]
    rows = []
    for configuration, reps in zip(configurations, tables, strict=True):
        row: list[Any] = [label for _, label in configuration.values] + [len(reps)]
        stats: dict[MetricKey, Stat] = {}
        for key in keys:
            stat = estimate([t.get(key, math.nan) for t in reps], row_metric(key[4])[0].bounds)
            stats[key] = stat
            row += [stat.mean, stat.low, stat.high]
        for name, share in pledges:
            stat = stats.get(Scope.pledge(name).key(SHARE), Stat(math.nan))
            row.append(verdict(stat.mean, stat.interval, share))
        rows.append(tuple(row))
    return tuple(columns), rows


def run_sweep(
    runner: Runner,
    parameters: Sequence[Parameter],
    replications: int,
    conditions: Sequence[Condition] = (),
) -> SweepResult:
    """Every configuration of the grid of ``parameters``, ``replications`` each;
    ``conditions`` (whole-run; default: the scenario's pledges) are kept for the plots and the
    report."""
    if replications < 1:
        raise UsageError("replications must be at least 1")
    configurations = grid(parameters)
    tables = runner.tables([(c, replications) for c in configurations], "sweep")
    scenario = runner.scenario_of(configurations[0])
    pledges = [(t.name, t.share) for t in scenario.targets]
    conditions = tuple(conditions) or tuple(pledge_condition(p) for p in scenario.targets)
    columns, rows = sweep_table(parameters, configurations, tables, pledges)
    warnings = {}
    for configuration in configurations:
        found = tuple(overload_warnings(runner.model(configuration)))
        if found:
            warnings[configuration.label()] = found
    return SweepResult(
        tuple(parameters),
        tuple(configurations),
        replications,
        runner.seed,
        columns,
        tuple(rows),
        warnings,
        runner.simulated,
        runner.reused,
        conditions,
    )
